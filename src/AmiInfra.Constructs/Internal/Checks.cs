using AmiInfra.Rules;

namespace AmiInfra.Constructs;

/// <summary>
/// How the constructs apply the rules (<c>AmiInfra.Rules</c>) to their props: values that are
/// unresolved CDK tokens are skipped (they are checked when CloudFormation resolves them), and a
/// problem becomes a <see cref="ConstructValidationException"/> at the construct path and prop.
/// </summary>
internal static class Checks
{
    /// <summary>
    /// Whether a string holds a CDK token, told from its text alone (no jsii call): CDK encodes
    /// string tokens as <c>${Token[...]}</c>, the test <c>Token.IsUnresolved</c> makes too.
    /// </summary>
    public static bool IsToken(string? text) => text is not null && text.Contains("${Token[", StringComparison.Ordinal);

    /// <summary>Throws for <paramref name="problem"/> at <paramref name="where"/>, with its index and part added.</summary>
    /// <param name="where">The construct and prop, e.g. "stack/Recipe.BlockDevices[0]".</param>
    /// <param name="problem">The problem, or null.</param>
    /// <param name="part">Maps a part the rule names (e.g. "iops") to the prop's name (e.g. "Iops"). Default: the part with its first letter in upper case.</param>
    public static void Require(string where, Problem? problem, Func<string, string>? part = null)
    {
        if (problem is not null)
        {
            throw Exception(where, problem, part);
        }
    }

    /// <summary>The exception for <paramref name="problem"/> at <paramref name="where"/>.</summary>
    public static ConstructValidationException Exception(string where, Problem problem, Func<string, string>? part = null)
    {
        var at = problem.Index is { } index ? $"{where}[{index}]" : where;
        if (problem.Part is { } p)
        {
            at = Join(at, (part ?? Pascal)(p));
        }

        return new ConstructValidationException(at, problem.Value, problem.AcceptedAt(where));
    }

    /// <summary>A resource or AMI description of 1 to 1024 characters (<see cref="Builds.ResourceDescription"/>), unless it is null or a token.</summary>
    public static void Description(string where, string? description)
    {
        if (description is not null && !IsToken(description))
        {
            Require(where, Builds.ResourceDescription(description));
        }
    }

    /// <summary>A value of <paramref name="shape"/>, unless it is a token.</summary>
    public static void Shape(string where, string value, Shape shape)
    {
        if (!IsToken(value))
        {
            Require(where, shape.Check(value));
        }
    }

    /// <summary>Values of <paramref name="shape"/>, none listed twice; tokens are skipped.</summary>
    public static void List(string where, IReadOnlyList<string> values, Shape shape) =>
        Require(where, Lists.Check(values, shape.Check, IsToken));

    /// <summary>Values of <paramref name="shape"/> (duplicates allowed); tokens are skipped.</summary>
    public static void Each(string where, IReadOnlyList<string> values, Shape shape)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (!IsToken(values[i]) && shape.Check(values[i]) is { } problem)
            {
                throw Exception(where, problem with { Index = i });
            }
        }
    }

    /// <summary>A whole number within <paramref name="range"/>.</summary>
    public static void Range(string where, int value, (int Min, int Max) range, string unit) =>
        Require(where, value < range.Min || value > range.Max ? new Problem(Text.Number(value), $"a whole number from {range.Min} to {range.Max} {unit}") : null);

    /// <summary>Tags that <paramref name="rule"/> accepts; token keys and values are skipped. A tag is named as where["key"].</summary>
    public static void Tags(string where, IReadOnlyDictionary<string, string> tags, TagRule rule) =>
        Require(where, rule.Check(tags, IsToken), key => $"[{Text.Quote(key)}]");

    private static string Join(string at, string part) => part.StartsWith('[') ? at + part : $"{at}.{part}";

    private static string Pascal(string part) => part.Length == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..];
}
