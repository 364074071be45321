using System.Globalization;

namespace AmiInfra.Rules;

/// <summary>
/// What is wrong with a value, as a rule sees it: the value received (rendered for a person) and
/// what would be accepted. A rule knows no declaration path and no construct: the caller says
/// <em>where</em> the value is, and adds <see cref="Index"/> and <see cref="Part"/> to that place.
/// </summary>
/// <param name="Value">The value received, rendered for a person (quoted text, a number, "3 tags"); null when it is missing.</param>
/// <param name="Accepted">What would be accepted, in words.</param>
public sealed record Problem(string? Value, string Accepted)
{
    /// <summary>The item of a list that is wrong, when the rule checked a list. Default: null (the value as a whole).</summary>
    public int? Index { get; init; }

    /// <summary>
    /// The part of a composite value that is wrong, in the rule's own words (e.g. "iops" of a volume,
    /// or a tag's key), for the caller to map onto its field name. Default: null (the value as a whole).
    /// </summary>
    public string? Part { get; init; }

    /// <summary>For a value listed twice: the index of its first listing, for the caller to name. Default: null.</summary>
    public int? DuplicateOf { get; init; }

    /// <summary>What is accepted, with the first listing of a duplicate named by the caller's path for the list.</summary>
    public string AcceptedAt(string listPath) => DuplicateOf is { } first ? $"{Accepted} ({listPath}[{first}])" : Accepted;

    /// <summary>The problem as one line after a location: "got X; expected Y" or "missing; expected Y".</summary>
    public string Describe() => Value is null ? $"missing; expected {Accepted}" : $"got {Value}; expected {Accepted}";

    /// <summary>The first problem of several checks, or null when every check passed.</summary>
    public static Problem? First(params Problem?[] problems) => problems.FirstOrDefault(p => p is not null);
}

/// <summary>How values are rendered in problems.</summary>
public static class Text
{
    /// <summary>Quotes a text value, shortened when long: "abc", or "abc..." (120 characters).</summary>
    public static string Quote(string value) =>
        value.Length > 80 ? $"\"{value[..77]}...\" ({value.Length} characters)" : $"\"{value}\"";

    /// <summary>A whole number as the invariant culture writes it.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// How many single-character edits (insert, delete, replace) turn <paramref name="a"/> into
    /// <paramref name="b"/>, ignoring case: what "did you mean" suggestions are ranked by.
    /// </summary>
    public static int EditDistance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    /// <summary>The candidates closest to <paramref name="name"/> (edit distance at most <paramref name="maxDistance"/>), closest first.</summary>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates, int maxDistance) =>
        candidates
            .Select(c => (Name: c, Distance: Text.EditDistance(name, c)))
            .Where(c => c.Distance <= maxDistance)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(2)
            .Select(c => c.Name)
            .ToList();

    /// <summary>A list of words: "a, b or c".</summary>
    public static string OneOf(IEnumerable<string> values)
    {
        var list = values.ToList();
        return list.Count switch
        {
            0 => "",
            1 => list[0],
            _ => string.Join(", ", list.Take(list.Count - 1)) + " or " + list[^1],
        };
    }
}
