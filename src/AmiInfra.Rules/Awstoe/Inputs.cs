using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static AmiInfra.Rules.Awstoe.ToeDocuments;
using static AmiInfra.Rules.Awstoe.YamlValues;

namespace AmiInfra.Rules.Awstoe;

/// <summary>
/// A step's <c>inputs</c>, checked against its action module: the shape (a mapping, or a list of
/// mappings), the inputs it requires, the type of each (read as AWSTOE reads YAML), the values it
/// names, and the inputs that are not for the component's platform. Inputs the module does not
/// document are warned of. A value holding a <c>{{ }}</c> reference is resolved at run time, so only
/// the reference itself is checked (see <see cref="References"/>).
/// </summary>
internal static partial class Inputs
{
    public static void Check(YamlNode? inputs, ActionModule module, string step, ToePlatforms platform, List<string> warnings)
    {
        if (IsNull(inputs))
        {
            if (!module.InputsOptional)
            {
                var required = module.Inputs.Where(i => i.Required).Select(i => i.Name).Concat(module.OneOf ?? []).ToList();
                throw DocumentProblem.At(inputs, $"step \"{step}\" ({module.Name}) with no inputs", $"inputs for the {module.Name} action{(required.Count == 0 ? "" : $" ({string.Join(", ", required)})")}");
            }

            return;
        }

        switch (module.Shape)
        {
            case InputShape.Expression:
                Conditions.Expression(inputs!, step, depth: 1, "the Assert inputs", warnings);
                break;
            case InputShape.Object:
                Operation(inputs!, module, step, platform, warnings, "");
                break;
            case InputShape.List:
                // The action modules page documents these modules' inputs as a list of operations
                // (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html);
                // the CDK README once passed CreateFile a single mapping, but the CDK is a client, not
                // AWSTOE, and AWS documents no single-mapping form: a mapping is refused.
                if (inputs is not YamlSequenceNode list)
                {
                    throw DocumentProblem.At(inputs, $"inputs of step \"{step}\" ({module.Name}) that are not a list", $"a list of operations for {module.Name}, each a mapping such as - {string.Join(": ...", module.Inputs.Where(i => i.Required).Select(i => i.Name))}: ...");
                }

                if (list.Children.Count == 0)
                {
                    throw DocumentProblem.At(list, $"an empty list of inputs in step \"{step}\" ({module.Name})", $"at least one operation for {module.Name}");
                }

                for (var i = 0; i < list.Children.Count; i++)
                {
                    Operation(list.Children[i], module, step, platform, warnings, $"[{i}]");
                }

                break;
        }
    }

    private static void Operation(YamlNode node, ActionModule module, string step, ToePlatforms platform, List<string> warnings, string index)
    {
        var at = $"inputs{index} of step \"{step}\" ({module.Name})";
        if (node is not YamlMappingNode operation)
        {
            throw DocumentProblem.At(node, $"{at} that are not a mapping", $"a mapping of {module.Name}'s inputs: {string.Join(", ", module.Inputs.Select(i => i.Name))}");
        }

        foreach (var (key, value, keyNode) in Entries(operation))
        {
            var input = module.Inputs.FirstOrDefault(i => i.Name == key);
            if (input is null)
            {
                warnings.Add($"line {Line(keyNode)}: {at}: the input \"{key}\" is not one {module.Name} documents ({string.Join(", ", module.Inputs.Select(i => i.Name))})");
                continue;
            }

            if ((input.Platforms & platform) == 0)
            {
                throw DocumentProblem.At(keyNode, $"the input {key} in {at} of a {ActionModules.Describe(platform)} component", $"no {key}: {module.Name} does not support it on {ActionModules.Describe(platform)}");
            }

            Value(value, input, at);
        }

        foreach (var input in module.Inputs.Where(i => i.Required))
        {
            if (IsNull(Child(operation, input.Name)))
            {
                throw DocumentProblem.At(operation, $"{at} without {input.Name}", $"{input.Name} in every {module.Name} operation (required: {string.Join(", ", module.Inputs.Where(i => i.Required).Select(i => i.Name))})");
            }
        }

        if (module.OneOf is { } oneOf && oneOf.Count(name => !IsNull(Child(operation, name))) != 1)
        {
            throw DocumentProblem.At(operation, $"{at} with {(oneOf.Any(name => !IsNull(Child(operation, name))) ? "both " : "neither ")}{string.Join(oneOf.Any(name => !IsNull(Child(operation, name))) ? " and " : " nor ", oneOf)}", $"exactly one of {string.Join(" or ", oneOf)}");
        }

        // WebDownload (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html):
        // "For file verification to be enabled, both the checksum and the algorithm must be
        // provided." The page does not say whether a lone checksum fails the step or is ignored.
        // Reading chosen: refuse it, as the page's "must be provided" reads, since the other
        // reading would download the file unverified while the document says it is checked.
        if (module.Name == "WebDownload" && IsNull(Child(operation, "checksum")) != IsNull(Child(operation, "algorithm")))
        {
            throw DocumentProblem.At(operation, $"{at} with only one of checksum and algorithm", "both checksum and algorithm, or neither");
        }

        // SetRegistry's "Supported path prefixes" (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html):
        // HKEY_CLASSES_ROOT / HKCR:, HKEY_USERS / HKU:, HKEY_LOCAL_MACHINE / HKLM:, HKEY_CURRENT_CONFIG / HKCC:,
        // HKEY_CURRENT_USER / HKCU:. The page does not say the prefixes are case-sensitive, and the
        // registry itself is not, so case is not held against a path; a path that starts with a
        // {{ }} reference is only known at run time.
        if (module.Name == "SetRegistry" && Child(operation, "path") is YamlScalarNode { Value: { } registryPath } pathNode
            && !registryPath.StartsWith("{{", StringComparison.Ordinal) && !RegistryHive().IsMatch(registryPath))
        {
            throw DocumentProblem.At(pathNode, $"the registry path {Text.Quote(registryPath)} in {at}", "a path starting with one of the prefixes SetRegistry supports: HKEY_CLASSES_ROOT or HKCR:, HKEY_USERS or HKU:, HKEY_LOCAL_MACHINE or HKLM:, HKEY_CURRENT_CONFIG or HKCC:, HKEY_CURRENT_USER or HKCU:");
        }

        // InstallMSI and UninstallMSI: logOptions' acceptable values are the msiexec /L flags
        // "i,w,e,a,r,u,c,m,o,p,v,x,+,!,*" (same page), written in any case (its own example and
        // default is *VX); an empty value means the default.
        if (module.Name is "InstallMSI" or "UninstallMSI" && Child(operation, "logOptions") is YamlScalarNode { Value: { } flags } flagsNode
            && !HoldsReference(flagsNode) && !LogFlags().IsMatch(flags))
        {
            throw DocumentProblem.At(flagsNode, $"logOptions {Text.Quote(flags)} in {at}", "msiexec logging flags, any of i w e a r u c m o p v x + ! * (default *VX)");
        }
    }

    [GeneratedRegex(@"^(?:(?:HKEY_CLASSES_ROOT|HKEY_USERS|HKEY_LOCAL_MACHINE|HKEY_CURRENT_CONFIG|HKEY_CURRENT_USER)(?:\\|$)|HKCR:|HKU:|HKLM:|HKCC:|HKCU:)", RegexOptions.IgnoreCase)]
    private static partial Regex RegistryHive();

    [GeneratedRegex(@"^[iwearucmopvx+!*]*$", RegexOptions.IgnoreCase)]
    private static partial Regex LogFlags();

    private static void Value(YamlNode value, ModuleInput input, string at)
    {
        if (IsNull(value) || HoldsReference(value))
        {
            return;
        }

        var problem = input.Type switch
        {
            InputType.Text => value is YamlScalarNode ? null : "text",
            InputType.Boolean => Boolean(value) is null ? "true or false" : null,
            InputType.Integer => Integer(value) is null ? "an unquoted whole number" : null,
            InputType.TextList => value is YamlSequenceNode list && list.Children.All(c => c is YamlScalarNode) ? null : "a list of text values",
            InputType.TextMap => value is YamlMappingNode map && map.Children.Values.All(c => c is YamlScalarNode) ? null : "a mapping of names to text values",
            InputType.Any => value is YamlMappingNode ? "text, a number or a list" : null,
            InputType.NameValueList => value is YamlSequenceNode items && items.Children.All(c => c is YamlMappingNode m && !IsNull(Child(m, "name")) && !IsNull(Child(m, "value"))) ? null : "a list of mappings, each with name and value",
            _ => null,
        };
        if (problem is not null)
        {
            throw DocumentProblem.At(value, $"{Describe(value)} for {input.Name} in {at}", problem);
        }

        if (input.Values is { } values && ScalarText(value) is { } text && !values.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            throw DocumentProblem.At(value, $"{input.Name} {Text.Quote(text)} in {at}", $"one of {string.Join(", ", values)}");
        }
    }

    /// <summary>Whether a scalar holds a {{ }} reference, whose value is only known at run time.</summary>
    internal static bool HoldsReference(YamlNode node) => node is YamlScalarNode { Value: { } text } && text.Contains("{{", StringComparison.Ordinal);

    internal static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode { Value: { } text } => Text.Quote(text),
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "a value",
    };
}
