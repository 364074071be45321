using YamlDotNet.RepresentationModel;
using static AmiInfra.Rules.Awstoe.ToeDocuments;
using static AmiInfra.Rules.Awstoe.YamlValues;

namespace AmiInfra.Rules.Awstoe;

/// <summary>A step's loop: its name (if any), which the step's inputs can refer to as well as "loop".</summary>
/// <param name="Name">The loop's name, or null.</param>
internal sealed record StepLoop(string? Name);

/// <summary>
/// The <c>loop</c> construct. Source: "Use looping constructs in AWSTOE"
/// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-looping-constructs.html): exactly one
/// of <c>for</c> (start, end and a non-zero updateBy, whole numbers without expressions, that end the
/// loop) and <c>forEach</c> (a list of text, or a delimited <c>list</c> with one delimiter of . , ; : \n
/// \t space - _); loop names unique in their phase.
/// </summary>
internal static class Loops
{
    private const string Delimiters = ".,;:\n\t -_";

    public static StepLoop? Check(YamlNode? node, string step, HashSet<string> phaseLoops)
    {
        if (IsNull(node))
        {
            return null;
        }

        if (node is not YamlMappingNode loop)
        {
            throw DocumentProblem.At(node, $"a loop in step \"{step}\" that is not a mapping", "a loop with for or forEach, and optionally a name");
        }

        var name = ScalarText(Child(loop, "name"));
        if (!string.IsNullOrEmpty(name) && !phaseLoops.Add(name))
        {
            throw DocumentProblem.At(loop, $"the loop name \"{name}\" a second time in the phase", "loop names unique within a phase");
        }

        var hasFor = !IsNull(Child(loop, "for"));
        var hasForEach = !IsNull(Child(loop, "forEach"));
        if (hasFor == hasForEach)
        {
            throw DocumentProblem.At(loop, $"a loop in step \"{step}\" with {(hasFor ? "both for and forEach" : "neither for nor forEach")}", "exactly one of for and forEach");
        }

        if (hasFor)
        {
            For(Child(loop, "for")!, step);
        }
        else
        {
            ForEach(Child(loop, "forEach")!, step);
        }

        return new StepLoop(string.IsNullOrEmpty(name) ? null : name);
    }

    private static void For(YamlNode node, string step)
    {
        if (node is not YamlMappingNode range)
        {
            throw DocumentProblem.At(node, $"for in step \"{step}\" that is not a mapping", "for with start, end and updateBy");
        }

        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var key in new[] { "start", "end", "updateBy" })
        {
            var value = Child(range, key);
            values[key] = value is not null && Integer(value) is { } n
                ? n
                : throw DocumentProblem.At(value ?? range, $"for.{key} {(value is null ? "missing" : Inputs.Describe(value))} in step \"{step}\"", $"a whole number for {key} (no expressions: loop bounds are fixed)");
        }

        var (start, end, by) = (values["start"], values["end"], values["updateBy"]);
        if (by == 0 || (end > start && by < 0) || (end < start && by > 0))
        {
            throw DocumentProblem.At(range, $"a loop from {start} to {end} by {by} in step \"{step}\", which never ends", "an updateBy that is not 0 and goes from start towards end");
        }
    }

    private static void ForEach(YamlNode node, string step)
    {
        switch (node)
        {
            case YamlSequenceNode list when list.Children.All(c => c is YamlScalarNode):
                return;
            case YamlMappingNode map:
                if (ScalarText(Child(map, "list")) is null)
                {
                    throw DocumentProblem.At(map, $"forEach without list in step \"{step}\"", "forEach with list (a delimited string), and optionally delimiter");
                }

                if (Child(map, "delimiter") is { } delimiter && !IsNull(delimiter) && (ScalarText(delimiter) is not { Length: 1 } d || !Delimiters.Contains(d, StringComparison.Ordinal)))
                {
                    throw DocumentProblem.At(delimiter, $"the delimiter {Inputs.Describe(delimiter)} in step \"{step}\"", "one delimiter character: . , ; : newline tab space - or _");
                }

                return;
            default:
                throw DocumentProblem.At(node, $"forEach with {Inputs.Describe(node)} in step \"{step}\"", "forEach with a list of text values, or with list and delimiter");
        }
    }
}
