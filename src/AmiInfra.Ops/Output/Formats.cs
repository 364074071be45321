using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AmiInfra.Ops.Output;

/// <summary>How values are rendered in tables and JSON.</summary>
public static class Formats
{
    /// <summary>JSON settings: camelCase, indented, enums as strings; every key written on every row (null when unknown).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>A UTC time as yyyy-MM-dd HH:mm, or null.</summary>
    public static string? Time(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>An age in whole days, e.g. "42d".</summary>
    public static string Days(int days) => days.ToString(CultureInfo.InvariantCulture) + "d";

    /// <summary>A number in the invariant culture.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A dollar amount with two decimals.</summary>
    public static string Dollars(decimal value) => "$" + value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// Prose wrapped at spaces to at most <paramref name="width"/> columns (null: one line); a word longer than the
    /// width (an ARN) stays whole on a line of its own, continuation lines are indented by two spaces.
    /// </summary>
    public static IEnumerable<string> Wrap(string text, int? width)
    {
        if (width is not { } max || text.Length <= max)
        {
            yield return text;
            yield break;
        }

        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > max)
            {
                yield return line.ToString();
                line.Clear().Append("  ");
            }

            if (line.Length > 0 && line.ToString() != "  ")
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    /// <summary>Parses an EC2 time string (ISO 8601), or null when absent or unreadable.</summary>
    public static DateTimeOffset? ParseTime(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;
}
