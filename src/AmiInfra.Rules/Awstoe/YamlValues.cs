using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AmiInfra.Rules.Awstoe;

/// <summary>
/// Reads YAML values the way AWSTOE (a Go program reading YAML 1.1) does: a text field takes any
/// scalar as its literal text (so an unquoted <c>0755</c> stays "0755"), a boolean is one of YAML
/// 1.1's forms (true, yes, on, ...), and an integer is an unquoted YAML 1.1 integer (decimal, 0x hex,
/// 0 octal, 0b binary, with _ separators).
/// </summary>
/// <remarks>
/// AWS names no YAML version ("Create a YAML component document",
/// https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-component-yaml.html). Its
/// action modules page says "The input for permissions must be a string value" yet writes
/// <c>permissions: 0777</c>, <c>755</c> and <c>766</c> unquoted, and writes numeric bucket owners for
/// String inputs (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html):
/// so a text input takes a scalar's text as written, never a number's re-rendering. Integer fields
/// (timeoutSeconds, maxAttempts, for's bounds, delaySeconds) are typed Integer on the document
/// framework, looping and action modules pages, and a quoted "60" is a YAML string, so only an
/// unquoted integer is one.
/// </remarks>
internal static partial class YamlValues
{
    private static readonly HashSet<string> True = new(StringComparer.Ordinal) { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" };
    private static readonly HashSet<string> False = new(StringComparer.Ordinal) { "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF" };

    /// <summary>The child of a mapping with a text key, or null.</summary>
    public static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The keys of a mapping, as text (a key that is not a scalar reads as its node type).</summary>
    public static IEnumerable<(string Key, YamlNode Value, YamlNode KeyNode)> Entries(YamlMappingNode node) =>
        node.Children.Select(c => (c.Key is YamlScalarNode { Value: { } k } ? k : $"<{c.Key.NodeType}>", c.Value, c.Key));

    /// <summary>Whether a node is the YAML null (empty, ~ or null).</summary>
    public static bool IsNull(YamlNode? node) =>
        node is null || (node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s && s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    /// <summary>A scalar's text, whatever its YAML type; null for a mapping or sequence.</summary>
    public static string? ScalarText(YamlNode? node) => node is YamlScalarNode s && !IsNull(s) ? s.Value ?? "" : null;

    /// <summary>A YAML 1.1 boolean; quoted "true" and "false" are read too.</summary>
    public static bool? Boolean(YamlNode node)
    {
        if (node is not YamlScalarNode { Value: { } text } scalar)
        {
            return null;
        }

        if (scalar.Style is ScalarStyle.Plain or ScalarStyle.Any)
        {
            return True.Contains(text) ? true : False.Contains(text) ? false : null;
        }

        return text switch { "true" => true, "false" => false, _ => null };
    }

    /// <summary>An unquoted YAML 1.1 integer.</summary>
    public static long? Integer(YamlNode node)
    {
        if (node is not YamlScalarNode { Value: { } raw, Style: ScalarStyle.Plain or ScalarStyle.Any })
        {
            return null;
        }

        var text = raw.Replace("_", "", StringComparison.Ordinal);
        if (!IntegerShape().IsMatch(text))
        {
            return null;
        }

        var negative = text.StartsWith('-');
        var digits = text.TrimStart('+', '-');
        try
        {
            long value = digits switch
            {
                _ when digits.StartsWith("0x", StringComparison.Ordinal) => Convert.ToInt64(digits[2..], 16),
                _ when digits.StartsWith("0b", StringComparison.Ordinal) => Convert.ToInt64(digits[2..], 2),
                _ when digits.Length > 1 && digits[0] == '0' => Convert.ToInt64(digits[1..], 8),
                _ => long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture),
            };
            return negative ? -value : value;
        }
        catch (Exception e) when (e is OverflowException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Applies YAML merge keys in place: a mapping's <c>&lt;&lt;: *anchor</c> (or <c>&lt;&lt;: [*a, *b]</c>) brings in
    /// the keys of the merged mappings that the mapping does not write itself, the first merged
    /// mapping winning over later ones; the <c>&lt;&lt;</c> key itself is removed.
    /// </summary>
    /// <remarks>
    /// AWS documents components as "YAML or JSON" ("Create a YAML component document",
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-component-yaml.html) without
    /// naming a YAML version or its features. The merge key is part of YAML 1.1
    /// (https://yaml.org/type/merge.html), the YAML this class reads throughout, and YAML readers
    /// apply it; reading <c>&lt;&lt;</c> as a literal step key would refuse settings a team shares between
    /// steps, which is stricter than any YAML reader AWSTOE can use. A key written in the mapping
    /// wins over a merged one, as YAML 1.1 says ("keys ... are inserted ... unless the key already
    /// exists"); a second <c>&lt;&lt;</c> in one mapping is a duplicate key and already refused by the parser.
    /// </remarks>
    public static void ApplyMerges(YamlNode node) => Merge(node, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance));

    private static void Merge(YamlNode node, HashSet<YamlNode> done)
    {
        if (!done.Add(node))
        {
            return;
        }

        if (node is YamlSequenceNode list)
        {
            foreach (var item in list.Children)
            {
                Merge(item, done);
            }

            return;
        }

        if (node is not YamlMappingNode map)
        {
            return;
        }

        foreach (var child in map.Children.Values.ToList())
        {
            Merge(child, done);
        }

        var key = map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: "<<", Style: ScalarStyle.Plain or ScalarStyle.Any });
        if (key is null)
        {
            return;
        }

        var sources = map.Children[key] switch
        {
            YamlMappingNode one => [one],
            YamlSequenceNode many when many.Children.All(c => c is YamlMappingNode) => many.Children.Cast<YamlMappingNode>().ToList(),
            var other => throw ToeDocuments.DocumentProblem.At(other, $"a merge key << with {(other is YamlSequenceNode ? "a list that is not of mappings" : "a value that is not a mapping")}", "<< followed by an alias of a mapping (<<: *name) or a list of such aliases"),
        };
        map.Children.Remove(key);
        foreach (var source in sources)
        {
            foreach (var (k, v) in source.Children)
            {
                if (!map.Children.ContainsKey(k))
                {
                    map.Children.Add(k, v);
                }
            }
        }
    }

    /// <summary>The line of a node, for messages.</summary>
    public static long Line(YamlNode node) => node.Start.Line;

    [GeneratedRegex("^[-+]?(?:0b[01]+|0x[0-9a-fA-F]+|0[0-7]+|0|[1-9][0-9]*)$")]
    private static partial Regex IntegerShape();
}
