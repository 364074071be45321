using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AmiInfra.Constructs.Guardrails;

/// <summary>
/// Reading resolved CloudFormation values as jsii hands them over: maps, lists, strings, numbers,
/// booleans and intrinsic functions. Keys match without regard to case, because typed L1 resources
/// name their properties in camelCase (<c>bucketEncryption</c>) before rendering and raw resources in
/// CloudFormation's PascalCase (<c>BucketEncryption</c>); the two differ only in case.
/// </summary>
internal static partial class CfnValues
{
    /// <summary>The value of <paramref name="key"/> in a map; null when absent or not a map.</summary>
    public static object? Get(object? map, string key)
    {
        if (map is not IDictionary<string, object> dictionary)
        {
            return null;
        }

        if (dictionary.TryGetValue(key, out var exact))
        {
            return exact;
        }

        foreach (var (k, v) in dictionary)
        {
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>The value at a path of keys.</summary>
    public static object? Get(object? map, params string[] path)
    {
        var value = map;
        foreach (var key in path)
        {
            value = Get(value, key);
        }

        return value;
    }

    /// <summary>A list as a list; a single value as a list of one (IAM's Action and Resource); null as empty.</summary>
    public static IReadOnlyList<object?> List(object? value) => value switch
    {
        null => [],
        string => [value],
        IDictionary<string, object> => [value],
        IEnumerable items => items.Cast<object?>().ToList(),
        _ => [value],
    };

    /// <summary>True for the boolean true or the string "true".</summary>
    public static bool IsTrue(object? value) =>
        value is true || (value is string s && string.Equals(s, "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A value as text: strings as they are, intrinsic functions as far as they can be read
    /// (<c>Ref</c> as <c>${Name}</c>, <c>Fn::GetAtt</c> as <c>${Name.Attribute}</c>, <c>Fn::Join</c>
    /// joined, <c>Fn::Sub</c> as its template). Null for what cannot be read (conditions, imports).
    /// </summary>
    public static string? Text(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return s;
            case bool b:
                return b ? "true" : "false";
            case IConvertible c:
                return c.ToString(CultureInfo.InvariantCulture);
        }

        if (value is not IDictionary<string, object> { Count: 1 } function)
        {
            return null;
        }

        var (name, argument) = function.First();
        switch (name)
        {
            case "Ref":
                return argument is string r ? "${" + r + "}" : null;
            case "Fn::GetAtt":
                var parts = List(argument);
                return parts.Count == 2 && parts[0] is string resource && parts[1] is string attribute ? "${" + resource + "." + attribute + "}" : null;
            case "Fn::Sub":
                return argument is string template ? template : List(argument) is [string t, ..] ? t : null;
            case "Fn::Join":
                var join = List(argument);
                if (join.Count != 2 || join[0] is not string separator)
                {
                    return null;
                }

                var text = new StringBuilder();
                var first = true;
                foreach (var item in List(join[1]))
                {
                    if (Text(item) is not { } piece)
                    {
                        return null;
                    }

                    if (!first)
                    {
                        text.Append(separator);
                    }

                    text.Append(piece);
                    first = false;
                }

                return text.ToString();
            default:
                return null;
        }
    }

    /// <summary>Every readable string inside a value (map values and list items, recursively).</summary>
    public static IEnumerable<string> Strings(object? value)
    {
        if (Text(value) is { } text)
        {
            yield return text;
            yield break;
        }

        switch (value)
        {
            case IDictionary<string, object> map:
                foreach (var item in map.Values)
                {
                    foreach (var s in Strings(item))
                    {
                        yield return s;
                    }
                }

                break;
            case IEnumerable items and not string:
                foreach (var item in items)
                {
                    foreach (var s in Strings(item))
                    {
                        yield return s;
                    }
                }

                break;
        }
    }

    /// <summary>The logical id a value refers to (<c>Ref</c> or <c>Fn::GetAtt</c>); null otherwise.</summary>
    public static string? ReferencedLogicalId(object? value) =>
        Text(value) is { } text && ReferenceShape().Match(text) is { Success: true } match && !match.Groups[1].Value.StartsWith("AWS::", StringComparison.Ordinal)
            ? match.Groups[1].Value
            : null;

    /// <summary>Whether an IAM action pattern (with * and ? wildcards) covers <paramref name="action"/>.</summary>
    public static bool Covers(string pattern, string action)
    {
        if (pattern == "*")
        {
            return true;
        }

        var regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return Regex.IsMatch(action, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>The statements of a policy document.</summary>
    public static IReadOnlyList<object?> Statements(object? document) => List(Get(document, "Statement"));

    /// <summary>Whether a statement allows (rather than denies).</summary>
    public static bool Allows(object? statement) => string.Equals(Text(Get(statement, "Effect")), "Allow", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a statement is a deny of requests not sent over TLS (<c>aws:SecureTransport</c> false).</summary>
    public static bool DeniesInsecureTransport(object? statement)
    {
        if (!string.Equals(Text(Get(statement, "Effect")), "Deny", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var condition = Get(statement, "Condition", "Bool");
        return Text(Get(condition, "aws:SecureTransport")) is { } value && string.Equals(value, "false", StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("^\\$\\{([A-Za-z0-9:]+)(?:\\.[A-Za-z0-9.]+)?\\}$")]
    private static partial Regex ReferenceShape();
}
