using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace AmiInfra.Ops.Cli;

/// <summary>Durations on the command line: a whole number with s, m or h (90s, 15m, 1h), or plain seconds.</summary>
public static partial class Durations
{
    /// <summary>What a duration looks like, for messages.</summary>
    public const string Expected = "a duration such as 90s, 15m or 1h (a whole number of seconds, minutes or hours, at least 1s)";

    /// <summary>The default of --timeout.</summary>
    public static readonly TimeSpan DefaultRunTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Parses a duration; null when it is not one.</summary>
    public static TimeSpan? TryParse(string text)
    {
        var match = Shape().Match(text.Trim());
        if (!match.Success || !long.TryParse(match.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 || n > 1_000_000)
        {
            return null;
        }

        return match.Groups["unit"].Value switch
        {
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromSeconds(n),
        };
    }

    /// <summary>A duration as the command line writes it: 90s, 15m, 1h.</summary>
    public static string Format(TimeSpan value) =>
        value.TotalSeconds % 3600 == 0 ? $"{value.TotalHours:0}h"
        : value.TotalSeconds % 60 == 0 ? $"{value.TotalMinutes:0}m"
        : $"{value.TotalSeconds:0}s";

    /// <summary>The option parser: the duration, or a parse error naming what is accepted.</summary>
    internal static TimeSpan Parse(ArgumentResult result, TimeSpan fallback)
    {
        if (result.Tokens.Count == 0)
        {
            return fallback;
        }

        var text = result.Tokens[^1].Value;
        if (TryParse(text) is { } value)
        {
            return value;
        }

        result.AddError($"got '{text}'; expected {Expected}");
        return fallback;
    }

    [GeneratedRegex("^(?<n>[0-9]+)(?<unit>[smh]?)$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
