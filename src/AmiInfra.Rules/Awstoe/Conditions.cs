using YamlDotNet.RepresentationModel;
using static AmiInfra.Rules.Awstoe.ToeDocuments;
using static AmiInfra.Rules.Awstoe.YamlValues;

namespace AmiInfra.Rules.Awstoe;

/// <summary>
/// The <c>if</c> construct and the Assert module's expressions. Sources: "Use conditional constructs
/// in AWSTOE", "Use comparison operators in AWSTOE component documents" and "Use logical operators"
/// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-conditional-constructs.html and its
/// neighbours). An expression has exactly one operator at its top level; logical operators nest at
/// most 4 levels deep (stated in the current Japanese and Chinese editions of the page).
/// </summary>
internal static class Conditions
{
    /// <summary>Comparison operators whose operand is compared with a second key, value.</summary>
    private static readonly string[] WithValue =
    [
        "stringEquals", "stringLessThan", "stringLessThanEquals", "stringGreaterThan", "stringGreaterThanEquals", "patternMatches",
        "numberEquals", "numberLessThan", "numberLessThanEquals", "numberGreaterThan", "numberGreaterThanEquals",
    ];

    /// <summary>Comparison operators that compare a file's hash with the operand, naming the file by path.</summary>
    private static readonly string[] WithPath = ["fileMD5Equals", "fileSHA1Equals", "fileSHA256Equals", "fileSHA512Equals"];

    /// <summary>Comparison operators with one operand.</summary>
    private static readonly string[] Single = ["stringIsEmpty", "stringIsWhitespace", "binaryExists", "fileExists", "folderExists"];

    private static readonly string[] Logical = ["and", "or", "not"];

    private static readonly string[] StepActions = ["Abort", "Execute", "Skip"];

    private const int MaxDepth = 4;

    private static IEnumerable<string> Operators => WithValue.Concat(WithPath).Concat(Single).Concat(Logical);

    /// <summary>A step's <c>if</c>: one expression, with optional then and else (Abort, Execute or Skip).</summary>
    public static void Check(YamlNode? node, string step, List<string> warnings)
    {
        if (IsNull(node))
        {
            return;
        }

        // The syntax block writes a one-item list; every example writes a mapping. Both are read.
        var expression = node is YamlSequenceNode { Children.Count: 1 } list ? list.Children[0] : node!;
        if (expression is not YamlMappingNode map)
        {
            throw DocumentProblem.At(node, $"an if in step \"{step}\" that is not a conditional expression", "a mapping with one comparison or logical operator, and optionally then and else");
        }

        foreach (var key in new[] { "then", "else" })
        {
            if (Child(map, key) is { } action && !StepActions.Contains(ScalarText(action)))
            {
                throw DocumentProblem.At(action, $"{key} {Inputs.Describe(action)} in the if of step \"{step}\"", "Abort, Execute or Skip");
            }
        }

        Expression(map, step, depth: 1, "the if", warnings, ignore: ["then", "else"]);
    }

    /// <summary>An expression: exactly one operator at the top, with the keys it needs.</summary>
    public static void Expression(YamlNode node, string step, int depth, string what, List<string> warnings, string[]? ignore = null)
    {
        if (node is not YamlMappingNode map)
        {
            throw DocumentProblem.At(node, $"{what} of step \"{step}\" that is not an expression", "a mapping with one comparison or logical operator");
        }

        var operators = Entries(map).Where(e => Operator(e.Key) is not null).ToList();
        if (operators.Count != 1)
        {
            var unknown = Entries(map).Select(e => e.Key).Where(k => Operator(k) is null && k is not ("value" or "path") && !(ignore ?? []).Contains(k)).ToList();
            throw DocumentProblem.At(
                map,
                operators.Count == 0
                    ? $"{what} of step \"{step}\" without an operator{(unknown.Count == 0 ? "" : $" ({string.Join(", ", unknown)})")}"
                    : $"{what} of step \"{step}\" with {operators.Count} operators ({string.Join(", ", operators.Select(o => o.Key))})",
                "exactly one comparison or logical operator at the top of an expression: " + string.Join(", ", Operators));
        }

        var (key, value, _) = operators[0];
        var name = Operator(key)!;
        var second = WithValue.Contains(name) ? "value" : WithPath.Contains(name) ? "path" : null;

        // The comparison operators page lists each operator's keys (the operand, and value or path
        // for two-value operators, https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-comparison-operators.html);
        // AWS does not say whether AWSTOE refuses another key or ignores it, so it is warned of.
        foreach (var (other, _, keyNode) in Entries(map))
        {
            if (other != key && other != second && !(ignore ?? []).Contains(other))
            {
                warnings.Add($"line {Line(keyNode)}: {what} of step \"{step}\": the key \"{other}\" is not one {name} takes{(second is null ? "" : $" ({name}, {second})")}; AWSTOE may ignore or refuse it");
            }
        }

        if (Logical.Contains(name))
        {
            if (depth > MaxDepth)
            {
                throw DocumentProblem.At(map, $"logical operators nested {depth} deep in step \"{step}\"", $"at most {MaxDepth} levels of and, or and not");
            }

            var operands = value is YamlSequenceNode items ? items.Children.ToList() : [value];
            if (operands.Count == 0 || (name != "not" && value is not YamlSequenceNode) || (name == "not" && operands.Count != 1))
            {
                throw DocumentProblem.At(value, $"{name} with {(value is YamlSequenceNode ? $"{operands.Count} operands" : "an operand that is not a list")} in step \"{step}\"", name == "not" ? "not with one expression" : $"{name} with a list of expressions");
            }

            foreach (var operand in operands)
            {
                Expression(operand, step, depth + 1, $"an operand of {name}", warnings);
            }

            return;
        }

        if (value is not YamlScalarNode)
        {
            throw DocumentProblem.At(value, $"{name} with {Inputs.Describe(value)} in step \"{step}\"", $"{name} with a text operand");
        }

        if (second is not null && IsNull(Child(map, second)))
        {
            throw DocumentProblem.At(map, $"{name} without {second} in step \"{step}\"", $"{name} with {second}: the {(second == "value" ? "value it compares" : "file whose hash it compares")}");
        }
    }

    /// <summary>The operator a key names (AWS's own examples write stringlessThan for stringLessThan: case is not held against it).</summary>
    private static string? Operator(string key) => Operators.FirstOrDefault(o => string.Equals(o, key, StringComparison.OrdinalIgnoreCase));
}
