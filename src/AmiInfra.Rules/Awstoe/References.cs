using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using static AmiInfra.Rules.Awstoe.ToeDocuments;

namespace AmiInfra.Rules.Awstoe;

/// <summary>
/// The <c>{{ }}</c> references in a step's inputs. Sources: "Use variables in your custom component
/// document" (parameters and constants, case-sensitive, spaces trimmed), "Use looping constructs"
/// (loop.index, loop.value, or the loop's name) and "Chaining" in the document framework page
/// (<c>{{ phase.step.inputs[i].name }}</c>, <c>{{ phase.step.outputs.name }}</c>; no chaining from the
/// build stage to the test stage). A reference must name something that has a value when the step
/// runs: a declared parameter or constant, or an input or output of a step that ran before it. A
/// loop variable outside its step's loop is only warned of (see <see cref="Resolve"/>). Text inside <c>{{ }}</c> that is no AWSTOE reference (e.g. <c>{{ .Id }}</c> of a
/// docker --format template) is left alone, as is the content of a file (CreateFile, AppendFile),
/// which often is a template of another tool.
/// </summary>
internal static partial class References
{
    /// <summary>Where a step's references are resolved.</summary>
    internal sealed record Scope(string Phase, string Step, ActionModule Module, StepLoop? Loop, IReadOnlyDictionary<string, string> Variables, IReadOnlyDictionary<string, Dictionary<string, ActionModule>> EarlierSteps, List<string> Warnings);

    private static readonly string[] BuildStage = ["build", "validate"];

    /// <summary>
    /// The phases of Image Builder's test stage. "Use the AWSTOE component document framework"
    /// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-use-documents.html): Image
    /// Builder "uses the test and container-host-test phases during its test stage", and "does not
    /// support chaining from the build stage to the test stage"; so neither phase chains to build or
    /// validate.
    /// </summary>
    private static readonly string[] TestStage = ["test", "container-host-test"];

    public static void Check(YamlNode inputs, Scope scope) => Walk(inputs, scope, key: null);

    private static void Walk(YamlNode node, Scope scope, string? key)
    {
        switch (node)
        {
            case YamlScalarNode { Value: { } text } scalar when text.Contains("{{", StringComparison.Ordinal):
                if (key == "content" && scope.Module.Name is "CreateFile" or "AppendFile")
                {
                    return;
                }

                foreach (Match match in Reference().Matches(text))
                {
                    Resolve(match.Groups[1].Value.Trim(), scalar, scope);
                }

                break;
            case YamlSequenceNode list:
                foreach (var item in list.Children)
                {
                    Walk(item, scope, key);
                }

                break;
            case YamlMappingNode map:
                foreach (var (k, value, _) in YamlValues.Entries(map))
                {
                    Walk(value, scope, k);
                }

                break;
        }
    }

    private static void Resolve(string reference, YamlNode node, Scope scope)
    {
        if (Chain().Match(reference) is { Success: true } chain)
        {
            Chained(reference, chain, node, scope);
        }
        else if (LoopVariable().Match(reference) is { Success: true } loop)
        {
            // "Use looping constructs in AWSTOE"
            // (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-looping-constructs.html):
            // "If reference expressions are used within a step that does not contain a loop, then
            // AWSTOE does not resolve the expressions and they appear in the step with no
            // replacement." That is a documented outcome, not a refusal, so a loop variable outside
            // its loop (no loop on the step, or another step's loop name, which the page says
            // "cannot be used") is warned of: the text reaches the command as written.
            var name = loop.Groups["loop"].Value;
            if (scope.Loop is null || (name != "loop" && name != scope.Loop.Name))
            {
                scope.Warnings.Add($"line {YamlValues.Line(node)}: the reference {{{{ {reference} }}}} in step \"{scope.Step}\" is left unreplaced by AWSTOE: " + (scope.Loop is null
                    ? "the step has no loop"
                    : $"it is not a variable of the step's own loop (loop.index, loop.value{(scope.Loop.Name is null ? "" : $", {scope.Loop.Name}.index, {scope.Loop.Name}.value")})"));
            }
        }
        else if (Name().IsMatch(reference) && !scope.Variables.ContainsKey(reference))
        {
            var close = Text.Closest(reference, scope.Variables.Keys, 2).FirstOrDefault();
            throw DocumentProblem.At(node, $"the reference {{{{ {reference} }}}} in step \"{scope.Step}\"{(close is null ? "" : $" (did you mean {close}?)")}",
                scope.Variables.Count == 0
                    ? "a parameter or constant the document declares (it declares none)"
                    : $"a parameter or constant the document declares (references are case-sensitive): {string.Join(", ", scope.Variables.Keys)}");
        }
    }

    private static void Chained(string reference, Match chain, YamlNode node, Scope scope)
    {
        var phase = chain.Groups["phase"].Value;
        var step = chain.Groups["step"].Value;
        string Fail(string accepted) => throw DocumentProblem.At(node, $"the reference {{{{ {reference} }}}} in step \"{scope.Step}\"", accepted);

        if (TestStage.Contains(scope.Phase) && BuildStage.Contains(phase))
        {
            Fail($"a step of the {scope.Phase} phase: Image Builder runs {phase} in the build stage and {scope.Phase} in the test stage, and does not chain across stages");
        }

        if (!scope.EarlierSteps.TryGetValue(phase, out var steps) || !steps.TryGetValue(step, out var module))
        {
            Fail($"a step that runs before {scope.Step}: {phase}.{step} is not an earlier step of the document");
        }

        var variable = chain.Groups["variable"].Value;
        var indexed = chain.Groups["index"].Success;
        if (chain.Groups["kind"].Value == "outputs")
        {
            if (!module!.Outputs.Contains(variable))
            {
                Fail(module.Outputs.Count == 0 ? $"a step with outputs: {module.Name} has none" : $"an output of {module.Name}: {string.Join(", ", module.Outputs)}");
            }

            return;
        }

        if (indexed != (module!.Shape == InputShape.List))
        {
            Fail(module.Shape == InputShape.List
                ? $"{phase}.{step}.inputs[index].{variable}: {module.Name} takes a list of inputs, counted from 0"
                : $"{phase}.{step}.inputs.{variable}: {module.Name} takes one mapping of inputs, without an index");
        }

        if (module.Shape != InputShape.Expression && module.Inputs.All(i => i.Name != variable))
        {
            Fail($"an input of {module.Name}: {string.Join(", ", module.Inputs.Select(i => i.Name))}");
        }
    }

    [GeneratedRegex("\\{\\{(.*?)\\}\\}", RegexOptions.Singleline)]
    private static partial Regex Reference();

    [GeneratedRegex("^(?<phase>[^.\\s{}\\[\\]]+)\\.(?<step>[^.\\s{}\\[\\]]+)\\.(?<kind>inputs|outputs)(?:\\[(?<index>[0-9]+)\\])?\\.(?<variable>[A-Za-z0-9_-]+)$")]
    private static partial Regex Chain();

    [GeneratedRegex("^(?<loop>[A-Za-z0-9_-]+)\\.(?:index|value)$")]
    private static partial Regex LoopVariable();

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex Name();
}
