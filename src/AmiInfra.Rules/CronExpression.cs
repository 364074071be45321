using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>
/// Image Builder schedule expressions: <c>cron(minutes hours day-of-month month day-of-week year)</c>,
/// the EventBridge dialect, where exactly one of day-of-month and day-of-week is <c>?</c>.
/// Source: "Use cron expressions in Image Builder" (https://docs.aws.amazon.com/imagebuilder/latest/userguide/cron-expressions.html).
/// </summary>
public static partial class CronExpression
{
    // Fields, values and special characters as the page lists them: minutes 0-59, hours 0-23,
    // day-of-month 1-31 (, - * ? / L W), month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT
    // (, - * ? L #, no /), year 1970-2199; one of day-of-month and day-of-week is '?'.

    /// <summary>What the error messages say is accepted.</summary>
    public const string Accepted =
        "an Image Builder cron expression 'cron(minutes hours day-of-month month day-of-week year)' with '?' in exactly one of day-of-month and day-of-week, e.g. 'cron(0 4 ? * sun *)'";

    private static readonly string[] Months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] Days = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    /// <summary>Null when the expression is valid; else the expression, why it is not, and what is accepted.</summary>
    public static Problem? Check(string expression) =>
        Reason(expression) is { } reason ? new Problem($"{Text.Quote(expression)} ({reason})", Accepted) : null;

    /// <summary>Returns null when the expression is valid, else why it is not.</summary>
    public static string? Reason(string expression)
    {
        var match = Outer().Match(expression);
        if (!match.Success)
        {
            return "it is not of the form cron(...)";
        }

        var fields = match.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            return $"it has {fields.Length} fields, not 6";
        }

        var problems = new[]
        {
            Field(fields[0], "minutes", 0, 59, null, false),
            Field(fields[1], "hours", 0, 23, null, false),
            Field(fields[2], "day-of-month", 1, 31, null, true),
            Field(fields[3], "month", 1, 12, Months, false),
            Field(fields[4], "day-of-week", 1, 7, Days, true),
            Field(fields[5], "year", 1970, 2199, null, false),
        };
        var problem = problems.FirstOrDefault(p => p is not null);
        if (problem is not null)
        {
            return problem;
        }

        return (fields[2] == "?") == (fields[4] == "?")
            ? "exactly one of day-of-month and day-of-week must be '?'"
            : null;
    }

    private static string? Field(string field, string name, int min, int max, string[]? names, bool questionAllowed)
    {
        if (field == "?")
        {
            return questionAllowed ? null : $"'?' is not allowed in {name}";
        }

        foreach (var part in field.Split(','))
        {
            var (range, step) = part.Split('/') switch
            {
                [var r] => (r, (string?)null),
                [var r, var s] => (r, s),
                _ => (part, "bad"),
            };
            if (step is not null && name == "day-of-week")
            {
                return $"'{part}' has a step, which day-of-week does not take";
            }

            if (step is not null && (!int.TryParse(step, out var stepValue) || stepValue < 1 || stepValue > max))
            {
                return $"'{part}' has an invalid step in {name}";
            }

            if (range == "*")
            {
                continue;
            }

            if ((name == "day-of-month" && (range == "L" || DayOfMonthSpecial().IsMatch(range)))
                || (name == "day-of-week" && DayOfWeekSpecial().IsMatch(range)))
            {
                continue;
            }

            // '#' names the nth such day of the month: "the third Friday of the month" is 6#3, and a month has at most
            // five of any day ("Use cron expressions in Image Builder", wildcards: "The # wildcard ... 1-5").
            if (range.Contains('#', StringComparison.Ordinal))
            {
                if (name != "day-of-week")
                {
                    return $"'{part}' has a '#', which only day-of-week takes";
                }

                if (range.Split('#') is not [var day, var nth] || !InRange(day, min, max, names))
                {
                    return $"'{part}' is not a day of the week (1 to 7 or SUN to SAT) followed by # and 1 to 5";
                }

                if (nth is not ("1" or "2" or "3" or "4" or "5"))
                {
                    return $"'{part}' asks for occurrence {nth} of a day in the month; '#' takes 1 to 5 (a month has at most five of any day)";
                }

                continue;
            }

            var bounds = range.Split('-');
            if (bounds.Length > 2 || bounds.Any(b => !InRange(b, min, max, names)))
            {
                return $"'{part}' is not a value or range from {min} to {max} in {name}";
            }
        }

        return null;
    }

    private static bool InRange(string value, int min, int max, string[]? names)
    {
        if (int.TryParse(value, out var n))
        {
            return n >= min && n <= max;
        }

        return names is not null && Array.IndexOf(names, value.ToUpperInvariant()) >= 0;
    }

    [GeneratedRegex("^cron\\((.+)\\)$")]
    private static partial Regex Outer();

    [GeneratedRegex("^(?:[1-9]|[12][0-9]|3[01])W$|^LW$")]
    private static partial Regex DayOfMonthSpecial();

    [GeneratedRegex("^(?:[1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)(?:#[1-5]|L)$", RegexOptions.IgnoreCase)]
    private static partial Regex DayOfWeekSpecial();
}
