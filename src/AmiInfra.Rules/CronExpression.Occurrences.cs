namespace AmiInfra.Rules;

/// <remarks>
/// When a valid expression fires (<see cref="Occurrences"/>). Semantics from "Use cron expressions in Image Builder"
/// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/cron-expressions.html) and, where that page is
/// terse, EventBridge's "Cron expressions reference" (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html),
/// the dialect Image Builder uses:
/// <list type="bullet">
/// <item>day-of-week 1-7 is SUN-SAT (1 = Sunday), as both pages list it ("1-7 or sun-sat"; an older copy of the
/// Image Builder page wrote "1-7 or mon-sun", which its current edition and EventBridge's do not);</item>
/// <item><c>L</c> in day-of-month is the last day of the month (28-31); <c>dL</c> in day-of-week is the last
/// such weekday of the month (<c>6L</c>: the last Friday); <c>LW</c> is the last weekday (Monday to Friday) of the month;</item>
/// <item><c>nW</c> is the weekday closest to day n, in the same month: a Saturday moves to the Friday before (the 1st
/// to Monday the 3rd), a Sunday to the Monday after (the last day of the month to the Friday before); a month without
/// day n has no occurrence;</item>
/// <item><c>d#n</c> is the n-th weekday d of the month (<c>2#1</c>: the first Monday); a month without it has none;</item>
/// <item><c>a/s</c> is a, a+s, ... up to the field's maximum; <c>*/s</c> starts at the field's minimum; a range
/// whose start is after its end (which <see cref="Reason"/> accepts, and the pages do not explain) is read as wrapping
/// around (<c>FRI-MON</c>: Friday to Monday); a step on L, LW or nW changes nothing. Each list item stands alone, as
/// <see cref="Reason"/> reads it (the Image Builder page's <c>sat#2,4</c> thus means the second Saturday, or any
/// Wednesday);</item>
/// <item>the expression is read in the schedule's IANA time zone (default UTC). Image Builder's page is silent
/// about daylight saving time; EventBridge Scheduler's "Daylight saving time"
/// (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#daylist-savings-time) is followed:
/// a local time that does not exist (clocks forward) has no occurrence, and one that exists twice (clocks back)
/// occurs once, at its first instant.</item>
/// </list>
/// </remarks>
public static partial class CronExpression
{
    /// <summary>The earliest and latest year an expression can name.</summary>
    private static readonly (int Min, int Max) Years = (1970, 2199);

    /// <summary>
    /// The instants at which <paramref name="expression"/> fires from <paramref name="from"/> (included) to
    /// <paramref name="to"/> (excluded), in ascending order, as UTC times. Throws <see cref="ArgumentException"/>
    /// when the expression is not valid (see <see cref="Check"/>) or the time zone is unknown (see <see cref="FindTimeZone"/>).
    /// </summary>
    /// <param name="expression">A valid Image Builder cron expression.</param>
    /// <param name="from">The first instant looked at.</param>
    /// <param name="to">The first instant no longer looked at.</param>
    /// <param name="timeZone">The IANA time zone the expression is read in (an Image Builder schedule's <c>timezone</c>). Default: Etc/UTC.</param>
    public static IEnumerable<DateTimeOffset> Occurrences(string expression, DateTimeOffset from, DateTimeOffset to, string timeZone = "Etc/UTC")
    {
        if (Reason(expression) is { } reason)
        {
            throw new ArgumentException($"{Text.Quote(expression)} is not a valid cron expression ({reason})", nameof(expression));
        }

        var zone = FindTimeZone(timeZone) ?? throw new ArgumentException($"{Text.Quote(timeZone)} is not a known IANA time zone", nameof(timeZone));
        return Enumerate(CronFields.Parse(expression), zone, from, to);
    }

    /// <summary>
    /// The schedule's nominal period: the longest time between two consecutive occurrences in the four years
    /// before <paramref name="at"/> (a monthly schedule: 31 days; weekly: 7 days, give or take an hour across a
    /// daylight saving change), the time from the last occurrence to <paramref name="at"/> included, so a schedule
    /// that stopped firing has a long period. Null when it did not fire in those four years.
    /// </summary>
    /// <param name="expression">A valid Image Builder cron expression.</param>
    /// <param name="timeZone">The IANA time zone the expression is read in.</param>
    /// <param name="at">The instant the period is wanted at.</param>
    public static TimeSpan? Period(string expression, string timeZone, DateTimeOffset at)
    {
        DateTimeOffset? previous = null;
        var longest = TimeSpan.Zero;
        foreach (var occurrence in Occurrences(expression, at.AddYears(-4), at, timeZone))
        {
            if (previous is { } p && occurrence - p > longest)
            {
                longest = occurrence - p;
            }

            previous = occurrence;
        }

        return previous is { } last ? (at - last > longest ? at - last : longest) : null;
    }

    /// <summary>
    /// The time zone of an IANA id, or null when the system knows none by that id. UTC and Etc/UTC need no
    /// time zone data; other ids are read from the system's (tzdata on Linux and macOS; on Windows through ICU).
    /// </summary>
    public static TimeZoneInfo? FindTimeZone(string ianaId)
    {
        if (ianaId is "UTC" or "Etc/UTC")
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(ianaId);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    private static IEnumerable<DateTimeOffset> Enumerate(CronFields fields, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset to)
    {
        // A day of local time starts at most 14 hours either side of UTC: one day of margin on both sides.
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime).AddDays(-1);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, zone).DateTime).AddDays(1);
        if (day.Year < Years.Min)
        {
            day = new DateOnly(Years.Min, 1, 1);
        }

        while (day <= last && day.Year <= Years.Max)
        {
            if (!fields.Years[day.Year - Years.Min])
            {
                day = new DateOnly(day.Year, 1, 1).AddYears(1);
                continue;
            }

            if (!fields.Months[day.Month])
            {
                day = new DateOnly(day.Year, day.Month, 1).AddMonths(1);
                continue;
            }

            if (fields.DayMatches(day))
            {
                foreach (var hour in fields.Hours)
                {
                    foreach (var minute in fields.Minutes)
                    {
                        var local = day.ToDateTime(new TimeOnly(hour, minute), DateTimeKind.Unspecified);
                        if (zone.IsInvalidTime(local))
                        {
                            continue;
                        }

                        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
                        var instant = new DateTimeOffset(local, offset).ToUniversalTime();
                        if (instant >= to)
                        {
                            yield break;
                        }

                        if (instant >= from)
                        {
                            yield return instant;
                        }
                    }
                }
            }

            day = day.AddDays(1);
        }
    }

    /// <summary>The fields of a valid expression, expanded.</summary>
    private sealed class CronFields
    {
        private CronFields(int[] minutes, int[] hours, bool[] months, bool[] years, DayOfMonthField? dayOfMonth, DayOfWeekField? dayOfWeek)
        {
            Minutes = minutes;
            Hours = hours;
            Months = months;
            Years = years;
            DayOfMonth = dayOfMonth;
            DayOfWeek = dayOfWeek;
        }

        public int[] Minutes { get; }

        public int[] Hours { get; }

        public bool[] Months { get; }

        public bool[] Years { get; }

        private DayOfMonthField? DayOfMonth { get; }

        private DayOfWeekField? DayOfWeek { get; }

        public static CronFields Parse(string expression)
        {
            var fields = Outer().Match(expression).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return new CronFields(
                Values(fields[0], 0, 59, null).Order().ToArray(),
                Values(fields[1], 0, 23, null).Order().ToArray(),
                Flags(Values(fields[3], 1, 12, CronExpression.Months), 13, 0),
                Flags(Values(fields[5], CronExpression.Years.Min, CronExpression.Years.Max, null), CronExpression.Years.Max - CronExpression.Years.Min + 1, CronExpression.Years.Min),
                fields[2] == "?" ? null : DayOfMonthField.Parse(fields[2]),
                fields[4] == "?" ? null : DayOfWeekField.Parse(fields[4]));
        }

        /// <summary>Exactly one of the day fields is '?': the other one decides.</summary>
        public bool DayMatches(DateOnly day) => DayOfMonth?.Matches(day) ?? DayOfWeek!.Matches(day);

        private static bool[] Flags(IEnumerable<int> values, int size, int offset)
        {
            var flags = new bool[size];
            foreach (var value in values)
            {
                flags[value - offset] = true;
            }

            return flags;
        }
    }

    private sealed class DayOfMonthField
    {
        private readonly bool[] days = new bool[32];
        private readonly List<int> nearestWeekday = [];
        private bool last;
        private bool lastWeekday;

        public static DayOfMonthField Parse(string field)
        {
            var parsed = new DayOfMonthField();
            foreach (var part in field.Split(','))
            {
                var range = part.Split('/')[0];
                if (range == "L")
                {
                    parsed.last = true;
                }
                else if (range == "LW")
                {
                    parsed.lastWeekday = true;
                }
                else if (range.EndsWith('W'))
                {
                    parsed.nearestWeekday.Add(int.Parse(range[..^1], System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    foreach (var day in Values(part, 1, 31, null))
                    {
                        parsed.days[day] = true;
                    }
                }
            }

            return parsed;
        }

        public bool Matches(DateOnly date)
        {
            var lastDay = DateTime.DaysInMonth(date.Year, date.Month);
            return days[date.Day]
                || (last && date.Day == lastDay)
                || (lastWeekday && date.Day == LastWeekday(date.Year, date.Month, lastDay))
                || nearestWeekday.Any(n => date.Day == NearestWeekday(date.Year, date.Month, n, lastDay));
        }

        private static int LastWeekday(int year, int month, int lastDay) =>
            new DateOnly(year, month, lastDay).DayOfWeek switch
            {
                System.DayOfWeek.Saturday => lastDay - 1,
                System.DayOfWeek.Sunday => lastDay - 2,
                _ => lastDay,
            };

        private static int NearestWeekday(int year, int month, int day, int lastDay)
        {
            if (day > lastDay)
            {
                return -1;
            }

            return new DateOnly(year, month, day).DayOfWeek switch
            {
                System.DayOfWeek.Saturday => day == 1 ? 3 : day - 1,
                System.DayOfWeek.Sunday => day == lastDay ? day - 2 : day + 1,
                _ => day,
            };
        }
    }

    private sealed class DayOfWeekField
    {
        private readonly bool[] days = new bool[8];
        private readonly List<(int Day, int Nth)> nth = [];
        private readonly List<int> lastOf = [];

        public static DayOfWeekField Parse(string field)
        {
            var parsed = new DayOfWeekField();
            foreach (var part in field.Split(','))
            {
                var hash = part.IndexOf('#', StringComparison.Ordinal);
                if (hash > 0)
                {
                    parsed.nth.Add((Value(part[..hash], Days), int.Parse(part[(hash + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
                }
                else if (part.Length > 1 && part.EndsWith('L'))
                {
                    parsed.lastOf.Add(Value(part[..^1], Days));
                }
                else
                {
                    foreach (var day in Values(part, 1, 7, Days))
                    {
                        parsed.days[day] = true;
                    }
                }
            }

            return parsed;
        }

        /// <summary>Day-of-week numbers: 1 = Sunday ... 7 = Saturday.</summary>
        public bool Matches(DateOnly date)
        {
            var weekday = (int)date.DayOfWeek + 1;
            var lastDay = DateTime.DaysInMonth(date.Year, date.Month);
            return days[weekday]
                || nth.Any(x => x.Day == weekday && ((date.Day - 1) / 7) + 1 == x.Nth)
                || lastOf.Any(x => x == weekday && date.Day + 7 > lastDay);
        }
    }

    /// <summary>The values of one field of numbers (and names): lists, ranges (wrapping when start is after end), steps.</summary>
    private static IEnumerable<int> Values(string field, int min, int max, string[]? names)
    {
        var values = new SortedSet<int>();
        foreach (var part in field.Split(','))
        {
            var pieces = part.Split('/');
            var step = pieces.Length > 1 ? int.Parse(pieces[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
            var bounds = pieces[0].Split('-');
            List<int> sequence;
            if (pieces[0] == "*")
            {
                sequence = Enumerable.Range(min, max - min + 1).ToList();
            }
            else if (bounds.Length == 2)
            {
                var (start, end) = (Value(bounds[0], names), Value(bounds[1], names));
                sequence = start <= end
                    ? Enumerable.Range(start, end - start + 1).ToList()
                    : Enumerable.Range(start, max - start + 1).Concat(Enumerable.Range(min, end - min + 1)).ToList();
            }
            else
            {
                var start = Value(bounds[0], names);
                sequence = pieces.Length > 1 ? Enumerable.Range(start, max - start + 1).ToList() : [start];
            }

            for (var i = 0; i < sequence.Count; i += step)
            {
                values.Add(sequence[i]);
            }
        }

        return values;
    }

    private static int Value(string value, string[]? names) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : Array.IndexOf(names!, value.ToUpperInvariant()) + 1;
}
