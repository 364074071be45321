using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>A rule that a text value has a shape: a pattern, and what it means in words.</summary>
/// <param name="Pattern">The pattern the whole value matches.</param>
/// <param name="Accepted">What the pattern accepts, in words, with an example.</param>
public sealed record Shape(Regex Pattern, string Accepted)
{
    /// <summary>The pattern as text (the JSON schema has the same).</summary>
    public string Regex => Pattern.ToString();

    /// <summary>Whether the value has the shape.</summary>
    public bool IsMatch(string value) => Pattern.IsMatch(value);

    /// <summary>Null when the value has the shape; else the value and what is accepted.</summary>
    public Problem? Check(string value) => Pattern.IsMatch(value) ? null : new Problem(Text.Quote(value), Accepted);

    /// <summary>The first item of a list that does not have the shape, or is listed twice.</summary>
    public Problem? CheckAll(IReadOnlyList<string> values) => Lists.Check(values, Check);
}

/// <summary>Rules about lists of values.</summary>
public static class Lists
{
    /// <summary>
    /// Checks each item with <paramref name="item"/>, and that no item is listed twice; the problem
    /// names the item (<see cref="Problem.Index"/>). Items for which <paramref name="skip"/> holds
    /// (e.g. unresolved CDK tokens) are neither checked nor compared.
    /// </summary>
    public static Problem? Check(IReadOnlyList<string> values, Func<string, Problem?> item, Func<string, bool>? skip = null)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            if (skip?.Invoke(values[i]) == true)
            {
                continue;
            }

            if (item(values[i]) is { } problem)
            {
                return problem with { Index = i };
            }

            if (!seen.TryAdd(values[i], i))
            {
                return new Problem(Text.Quote(values[i]), "a value not already listed") { Index = i, DuplicateOf = seen[values[i]] };
            }
        }

        return null;
    }

    /// <summary>At most <paramref name="max"/> items.</summary>
    public static Problem? AtMost(int count, int max, string items, string why) =>
        count <= max ? null : new Problem($"{count} {items}", $"at most {max} {items} ({why})");
}
