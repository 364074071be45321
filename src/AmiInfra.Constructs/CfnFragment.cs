using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.CloudFormation.Include;
using Constructs;

namespace AmiInfra.Constructs;

/// <summary>One resource of a <see cref="CfnFragment"/>.</summary>
/// <param name="LogicalId">Its logical id in the stack's template: 1 to 255 letters and digits.</param>
/// <param name="Definition">Its type and properties.</param>
public sealed record CfnFragmentResource(string LogicalId, CfnDefinition Definition);

/// <summary>
/// Many CloudFormation resources rendered in C# and handed to the CDK in one call, whatever their
/// number. Every construct created from .NET costs a round trip to the jsii runtime and a
/// reflection pass over its class (about 2 ms for a <see cref="CfnResource"/>); a fragment costs
/// that once, and the runtime creates its resources by itself (a <see cref="CfnInclude"/> of the
/// rendered template). The resources keep the logical ids given here; they refer to each other
/// with <see cref="Ref"/> and <see cref="GetAtt"/>, and may hold CDK tokens (resolved at synth,
/// like any other string).
/// </summary>
/// <remarks>
/// The resources are ordinary resources of the stack: they are synthesized, referenced and checked
/// by the guardrails like any other. They exist as .NET objects only when asked for
/// (<see cref="Resource"/>, one jsii call), e.g. to acknowledge a guardrail finding on one of them.
/// </remarks>
public sealed partial class CfnFragment : Construct
{
    private const string MarkerStart = "{{fragment:";

    private readonly Dictionary<string, IReadOnlyDictionary<string, object>> _resolved;

    /// <summary>Creates the resources, in one jsii call.</summary>
    /// <param name="scope">The stack, or a construct in it.</param>
    /// <param name="id">The fragment's id; the resources' construct paths are under it.</param>
    /// <param name="resources">The resources, with distinct logical ids; at least one.</param>
    public CfnFragment(Construct scope, string id, IReadOnlyList<CfnFragmentResource> resources)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(resources);
        if (resources.Count == 0)
        {
            throw new ConstructValidationException($"CfnFragment {id}.Resources", "an empty list", "at least one resource");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            if (!LogicalIdShape().IsMatch(resource.LogicalId))
            {
                throw new ConstructValidationException($"CfnFragment {id}.Resources", $"the logical id \"{resource.LogicalId}\"", "1 to 255 letters and digits");
            }

            if (!ids.Add(resource.LogicalId))
            {
                throw new ConstructValidationException($"CfnFragment {id}.Resources", $"the logical id \"{resource.LogicalId}\" twice", "one resource per logical id");
            }
        }

        // Included resources carry the template's metadata only: the construct path, which the
        // CDK adds to every other resource when the CLI asks for it, is added here.
        var path = Node.TryGetContext("aws:cdk:enable-path-metadata") is true or "true" ? $"{Node.Path}/Template/" : null;
        _resolved = new Dictionary<string, IReadOnlyDictionary<string, object>>(resources.Count, StringComparer.Ordinal);
        var template = new Dictionary<string, object>(resources.Count, StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            var where = $"CfnFragment {id}.{resource.LogicalId}";
            var properties = (Dictionary<string, object>)ResolveMarkers(resource.Definition.Properties, ids, where);
            _resolved[resource.LogicalId] = properties;
            var entry = new Dictionary<string, object> { ["Type"] = resource.Definition.Type, ["Properties"] = properties };
            if (path is not null)
            {
                entry["Metadata"] = new Dictionary<string, object> { ["aws:cdk:path"] = path + resource.LogicalId };
            }

            template[resource.LogicalId] = entry;
        }

        Resources = resources;
        Template = Include(this, template);
        foreach (var warning in resources.SelectMany(r => r.Definition.Warnings))
        {
            Annotations.Of(this).AddWarning(warning);
        }
    }

    /// <summary>The resources, as given.</summary>
    public IReadOnlyList<CfnFragmentResource> Resources { get; }

    /// <summary>The construct holding the resources.</summary>
    public CfnInclude Template { get; }

    /// <summary>A reference to the resource <paramref name="logicalId"/> of the same fragment ({"Ref": ...}), as a whole property value.</summary>
    public static string Ref(string logicalId) => $"{MarkerStart}Ref:{logicalId}}}}}";

    /// <summary>An attribute of the resource <paramref name="logicalId"/> of the same fragment ({"Fn::GetAtt": ...}), as a whole property value.</summary>
    public static string GetAtt(string logicalId, string attribute) => $"{MarkerStart}GetAtt:{logicalId}.{attribute}}}}}";

    /// <summary>
    /// The logical id the CDK gives a resource at <paramref name="path"/> below its stack (the ids of
    /// the constructs from the stack's child down to the resource): a fragment that uses it keeps
    /// the logical ids, and so the deployed resources, of a layout built from constructs.
    /// </summary>
    public static string LogicalIdFor(params string[] path)
    {
        var components = path.Where(c => c != "Default").ToArray();
        if (components.Length == 0)
        {
            throw new ConstructValidationException("CfnFragment.LogicalIdFor", "an empty path", "at least one construct id");
        }

        if (components.Length == 1 && NonAlphanumeric().Replace(components[0], "") is { Length: <= 255 } single)
        {
            return single;
        }

        var hash = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(string.Join("/", components))))[..8];
        var human = new StringBuilder();
        string? previous = null;
        foreach (var component in components)
        {
            // As the CDK does: a component the previous one ends with is left out, and so is "Resource".
            if (previous is not null && previous.EndsWith(component, StringComparison.Ordinal))
            {
                continue;
            }

            previous = component;
            if (component != "Resource")
            {
                human.Append(NonAlphanumeric().Replace(component, ""));
            }
        }

        return (human.Length > 240 ? human.ToString(0, 240) : human.ToString()) + hash;
    }

    /// <summary>The resource <paramref name="logicalId"/>, as a construct (one jsii call).</summary>
    public CfnResource Resource(string logicalId) =>
        _resolved.ContainsKey(logicalId)
            ? (CfnResource)Template.GetResource(logicalId)
            : throw new ConstructValidationException($"CfnFragment {Node.Id}.Resource", $"\"{logicalId}\"", "the logical id of one of the fragment's resources");

    /// <summary>The properties of a resource with the fragment references replaced by the intrinsic functions they stand for.</summary>
    internal IReadOnlyDictionary<string, object> ResolvedProperties(string logicalId) => _resolved[logicalId];

    private static CfnInclude Include(Construct scope, Dictionary<string, object> resources)
    {
        // The include reads the file while it is created; the .json suffix selects its JSON parser.
        var file = Path.Combine(Path.GetTempPath(), $"amiinfra-fragment-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new Dictionary<string, object> { ["Resources"] = resources }));
        try
        {
            return new CfnInclude(scope, "Template", new CfnIncludeProps { TemplateFile = file });
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static object ResolveMarkers(object value, HashSet<string> ids, string where) => value switch
    {
        string text when text.Contains(MarkerStart, StringComparison.Ordinal) => Marker(text, ids, where),
        string text => text,
        System.Collections.IDictionary map => ResolveMap(map, ids, where),
        System.Collections.IEnumerable items => items.Cast<object>().Select(i => ResolveMarkers(i, ids, where)).ToArray(),
        _ => value,
    };

    private static Dictionary<string, object> ResolveMap(System.Collections.IDictionary map, HashSet<string> ids, string where)
    {
        var result = new Dictionary<string, object>(map.Count, StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in map)
        {
            if (entry.Value is not null)
            {
                result[(string)entry.Key] = ResolveMarkers(entry.Value, ids, where);
            }
        }

        return result;
    }

    private static Dictionary<string, object> Marker(string text, HashSet<string> ids, string where)
    {
        var match = MarkerShape().Match(text);
        if (!match.Success)
        {
            throw new ConstructValidationException(where, $"\"{text}\"", "a fragment reference (CfnFragment.Ref or GetAtt) as a whole property value, not inside a longer string");
        }

        var target = match.Groups["id"].Value;
        if (!ids.Contains(target))
        {
            throw new ConstructValidationException(where, $"a reference to \"{target}\"", "a reference to a resource of the same fragment");
        }

        return match.Groups["kind"].Value == "Ref"
            ? new Dictionary<string, object> { ["Ref"] = target }
            : new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { target, match.Groups["attribute"].Value } };
    }

    [GeneratedRegex("^[A-Za-z0-9]{1,255}$")]
    private static partial Regex LogicalIdShape();

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex NonAlphanumeric();

    [GeneratedRegex("^\\{\\{fragment:(?:(?<kind>Ref):(?<id>[A-Za-z0-9]+)|(?<kind>GetAtt):(?<id>[A-Za-z0-9]+)\\.(?<attribute>[A-Za-z0-9.]+))\\}\\}$")]
    private static partial Regex MarkerShape();
}
