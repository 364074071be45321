using System.Globalization;
using AmiInfra.Rules;

namespace AmiInfra.Rules.Tests;

/// <summary>
/// When an expression fires. Expectations are worked out by hand from the calendar (2026-01-01 is a Thursday,
/// 2026-06-01 a Monday) and the semantics of "Use cron expressions in Image Builder".
/// </summary>
public sealed class CronOccurrencesTests
{
    private static DateTimeOffset Utc(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string[] Fires(string expression, string from, string to, string timeZone = "Etc/UTC") =>
        CronExpression.Occurrences(expression, Utc(from), Utc(to), timeZone)
            .Select(o => o.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
            .ToArray();

    [Fact]
    public void Weekly_on_sunday_at_four_fires_every_sunday_in_utc()
    {
        Assert.Equal(
            ["2026-06-07 04:00", "2026-06-14 04:00", "2026-06-21 04:00", "2026-06-28 04:00"],
            Fires("cron(0 4 ? * sun *)", "2026-06-01", "2026-07-01"));
    }

    [Fact]
    public void Day_of_week_one_is_sunday()
    {
        Assert.Equal(Fires("cron(0 4 ? * sun *)", "2026-06-01", "2026-07-01"), Fires("cron(0 4 ? * 1 *)", "2026-06-01", "2026-07-01"));
        Assert.Equal(["2026-06-06 04:00"], Fires("cron(0 4 ? * 7 *)", "2026-06-01", "2026-06-08"));
    }

    [Fact]
    public void The_bounds_are_from_included_to_excluded()
    {
        Assert.Equal(["2026-06-07 04:00"], Fires("cron(0 4 ? * sun *)", "2026-06-07 04:00", "2026-06-14 04:00"));
    }

    [Fact]
    public void L_in_day_of_month_is_the_last_day_of_each_month_leap_years_included()
    {
        Assert.Equal(
            ["2026-01-31 04:00", "2026-02-28 04:00", "2026-03-31 04:00", "2026-04-30 04:00"],
            Fires("cron(0 4 L * ? *)", "2026-01-01", "2026-05-01"));
        Assert.Equal(["2028-02-29 04:00"], Fires("cron(0 4 L 2 ? *)", "2028-01-01", "2029-01-01"));
    }

    [Fact]
    public void Fifteen_w_is_the_weekday_closest_to_the_fifteenth()
    {
        // 2026: Feb 15, Mar 15 and Nov 15 are Sundays (Monday after), Aug 15 a Saturday (Friday before).
        Assert.Equal(
            ["2026-01-15", "2026-02-16", "2026-03-16", "2026-04-15", "2026-05-15", "2026-06-15",
             "2026-07-15", "2026-08-14", "2026-09-15", "2026-10-15", "2026-11-16", "2026-12-15"],
            Fires("cron(0 4 15W * ? *)", "2026-01-01", "2027-01-01").Select(f => f[..10]));
    }

    [Fact]
    public void W_does_not_cross_the_month()
    {
        // 2026-08-01 is a Saturday: Monday the 3rd, not Friday in July. 2026-05-31 is a Sunday: Friday the 29th.
        Assert.Equal(["2026-08-03 04:00"], Fires("cron(0 4 1W 8 ? 2026)", "2026-01-01", "2027-01-01"));
        Assert.Equal(["2026-05-29 04:00"], Fires("cron(0 4 31W 5 ? 2026)", "2026-01-01", "2027-01-01"));
        Assert.Empty(Fires("cron(0 4 31W 6 ? 2026)", "2026-01-01", "2027-01-01"));
    }

    [Fact]
    public void Lw_is_the_last_weekday_of_the_month()
    {
        // 2026-01-31 and 2026-02-28 are Saturdays; 2026-03-31 a Tuesday.
        Assert.Equal(["2026-01-30 04:00", "2026-02-27 04:00", "2026-03-31 04:00"], Fires("cron(0 4 LW * ? *)", "2026-01-01", "2026-04-01"));
    }

    [Fact]
    public void Two_hash_one_is_the_first_monday_of_the_month()
    {
        Assert.Equal(["2026-06-01 04:00", "2026-07-06 04:00", "2026-08-03 04:00"], Fires("cron(0 4 ? * 2#1 *)", "2026-06-01", "2026-09-01"));
        Assert.Equal(Fires("cron(0 4 ? * 2#1 *)", "2026-06-01", "2026-09-01"), Fires("cron(0 4 ? * mon#1 *)", "2026-06-01", "2026-09-01"));
    }

    [Fact]
    public void A_fifth_weekday_that_a_month_lacks_does_not_fire()
    {
        // Fridays of 2026: January has five (the 30th), February four.
        Assert.Equal(["2026-01-30 04:00"], Fires("cron(0 4 ? * 6#5 *)", "2026-01-01", "2026-03-01"));
    }

    [Fact]
    public void Six_l_is_the_last_friday_of_the_month()
    {
        Assert.Equal(["2026-01-30 04:00", "2026-02-27 04:00", "2026-03-27 04:00"], Fires("cron(0 4 ? * 6L *)", "2026-01-01", "2026-04-01"));
    }

    [Fact]
    public void Steps_start_at_their_value_or_at_the_field_minimum()
    {
        Assert.Equal(["2027-01-01 04:05", "2027-01-01 04:25", "2027-01-01 04:45"], Fires("cron(5/20 4 1 1 ? 2027)", "2027-01-01", "2028-01-01"));
        Assert.Equal(["2027-01-01 00:00", "2027-01-01 08:00", "2027-01-01 16:00"], Fires("cron(0 */8 1 1 ? 2027)", "2027-01-01", "2028-01-01"));
        Assert.Equal(["2027-02-01", "2027-02-11", "2027-02-21"], Fires("cron(0 0 1/10 2 ? 2027)", "2027-01-01", "2028-01-01").Select(f => f[..10]));
        Assert.Equal(["2027-01-01 01:00", "2027-01-01 03:00", "2027-01-01 05:00"], Fires("cron(0 1-5/2 1 1 ? 2027)", "2027-01-01", "2028-01-01"));
    }

    [Fact]
    public void Lists_ranges_and_names_combine()
    {
        // 2026-06-01 is a Monday: weekdays Monday to Friday, at 1:00 and 1:30.
        Assert.Equal(10, Fires("cron(0,30 1 ? * MON-FRI *)", "2026-06-01", "2026-06-06").Length);
        Assert.Equal(["2026-06-01", "2026-06-05", "2026-06-06", "2026-06-07"], Fires("cron(0 4 ? * FRI-MON *)", "2026-06-01", "2026-06-08").Select(f => f[..10]));
        Assert.Equal(["2026-01-01", "2026-02-01", "2026-03-01"], Fires("cron(0 4 1 jan,feb,MAR ? *)", "2026-01-01", "2027-01-01").Select(f => f[..10]));
    }

    [Fact]
    public void The_year_field_bounds_the_occurrences()
    {
        Assert.Equal(["2027-01-01 00:00"], Fires("cron(0 0 1 1 ? 2027)", "2020-01-01", "2040-01-01"));
        Assert.Empty(Fires("cron(0 0 1 1 ? 2020)", "2021-01-01", "2040-01-01"));
    }

    [Fact]
    public void A_time_zone_moves_the_occurrences_with_its_daylight_saving_time()
    {
        // Europe/Berlin: UTC+1, UTC+2 from 2026-03-29 (last Sunday of March).
        Assert.Equal(["2026-03-22 03:00", "2026-03-29 02:00"], Fires("cron(0 4 ? * sun *)", "2026-03-20", "2026-03-30", "Europe/Berlin"));
    }

    [Fact]
    public void A_local_time_the_clocks_skip_does_not_fire_and_one_they_repeat_fires_once()
    {
        // 2026-03-29 02:30 does not exist in Berlin (02:00 -> 03:00); 2026-10-25 02:30 exists twice (first at 00:30 UTC).
        Assert.Equal(["2026-03-28 01:30", "2026-03-30 00:30"], Fires("cron(30 2 * * ? *)", "2026-03-28", "2026-03-31", "Europe/Berlin"));
        Assert.Equal(["2026-10-24 00:30", "2026-10-25 00:30", "2026-10-26 01:30"], Fires("cron(30 2 * * ? *)", "2026-10-24", "2026-10-27", "Europe/Berlin"));
    }

    [Fact]
    public void Period_is_the_longest_gap_between_occurrences()
    {
        var at = Utc("2026-06-01");

        Assert.Equal(TimeSpan.FromDays(7), CronExpression.Period("cron(0 4 ? * sun *)", "Etc/UTC", at));
        Assert.Equal(TimeSpan.FromDays(31), CronExpression.Period("cron(0 8 1 * ? *)", "Etc/UTC", at));
        Assert.Equal(TimeSpan.FromDays(35), CronExpression.Period("cron(0 4 ? * 2#1 *)", "Etc/UTC", at));
        Assert.Equal(TimeSpan.FromDays(7) + TimeSpan.FromHours(1), CronExpression.Period("cron(0 4 ? * sun *)", "Europe/Berlin", at));
    }

    [Fact]
    public void Period_of_a_schedule_that_stopped_runs_to_now_and_of_one_that_never_ran_is_null()
    {
        var at = Utc("2026-06-01");

        Assert.Equal(at - Utc("2024-12-29 04:00"), CronExpression.Period("cron(0 4 ? * sun 2024)", "Etc/UTC", at));
        Assert.Null(CronExpression.Period("cron(0 4 ? * sun 2030)", "Etc/UTC", at));
    }

    [Fact]
    public void An_invalid_expression_or_an_unknown_time_zone_is_refused()
    {
        Assert.Throws<ArgumentException>(() => CronExpression.Occurrences("cron(0 4 * * sun *)", Utc("2026-01-01"), Utc("2026-02-01")));
        Assert.Throws<ArgumentException>(() => CronExpression.Occurrences("cron(0 4 ? * sun *)", Utc("2026-01-01"), Utc("2026-02-01"), "Mars/Olympus"));
        Assert.Null(CronExpression.FindTimeZone("Mars/Olympus"));
        Assert.Equal(TimeZoneInfo.Utc, CronExpression.FindTimeZone("UTC"));
    }
}
