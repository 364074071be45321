using AmiInfra.Declaration;
using AmiInfra.Ops.Lifecycle;

namespace AmiInfra.Ops.Tests.Unit;

/// <summary>
/// Small simulations worked out by hand. Day 0 is Sunday 2026-06-07: a weekly Sunday 04:00 schedule builds on days
/// 0, 7, 14, ... (build n on day 7(n-1)); the policy runs at 12:00 UTC and acts on an image older than N days on day
/// (build day + N); the Recycle Bin keeps what the policy deletes from that 12:00.
/// </summary>
public sealed class LifecycleForecastTests
{
    private static readonly DateTimeOffset Sunday = new(2026, 6, 7, 0, 0, 0, TimeSpan.Zero);

    private const string Weekly = """{ "cron": "cron(0 4 ? * sun *)", "startCondition": "EXPRESSION_MATCH_ONLY" }""";

    internal static Factory Factory(string? lifecycle, string? schedule = Weekly, string regions = """["us-east-1"]""", int sizeGiB = 8)
    {
        var json = $$"""
            {
              "name": "ff", "account": "123456789012", "region": "us-east-1", "build": {},
              "distribution": { "regions": {{regions}} },
              {{(lifecycle is null ? "" : $"\"lifecycle\": {lifecycle},")}}
              "images": [ { "name": "app", "platform": "linux", "parent": { "amiId": "ami-0123456789abcdef0" },
                            "components": [ { "managed": "update-linux" } ], "rootVolume": { "deviceName": "/dev/xvda", "sizeGiB": {{sizeGiB}} }
                            {{(schedule is null ? "" : $", \"schedule\": {schedule}")}} } ]
            }
            """;
        return FactoryLoader.Parse(json, Path.GetTempPath());
    }

    private static ImageForecast Run(Factory factory, ForecastSettings? settings = null) =>
        Assert.Single(LifecycleForecast.Run(factory, settings ?? new ForecastSettings(), Sunday).Images);

    /// <summary>The builds whose AMI exists in the region at the end of the day.</summary>
    private static int[] Existing(ImageForecast forecast, int day, string region = "us-east-1") =>
        forecast.Events.Where(e => e.Kind == "build" && e.Day <= day).Select(e => e.Build!.Value)
            .Except(forecast.Events.Where(e => e.Kind == "delete" && e.Day <= day && e.Regions.Contains(region)).Select(e => e.Build!.Value))
            .Order()
            .ToArray();

    private static int DayOf(ImageForecast forecast, string kind, int build) => forecast.Events.Single(e => e.Kind == kind && e.Build == build).Day;

    [Fact]
    public void Weekly_builds_keeping_three_and_deleting_after_thirty_days_leave_these_amis_on_day_sixty()
    {
        var forecast = Run(Factory("""{ "delete": { "afterDays": 30 }, "keepAtLeast": 3 }"""), new ForecastSettings { Days = 61 });

        // Build n (day 7(n-1)) is 30 days old at 12:00 on day 7(n-1)+30 and then outside the newest 3: builds 1-5
        // go on days 30, 37, 44, 51, 58. Day 60: builds 6-9 (days 35, 42, 49, 56) exist.
        Assert.Equal([30, 37, 44, 51, 58], Enumerable.Range(1, 5).Select(b => DayOf(forecast, "delete", b)));
        Assert.Equal([6, 7, 8, 9], Existing(forecast, 60));
        // The Recycle Bin (14 days) still holds builds 4 and 5 (deleted days 51, 58), no longer build 3 (day 44).
        Assert.Equal(new ForecastDay(60, Launchable: 4, Deprecated: 0, Disabled: 0, RecycleBin: 2, Snapshots: 6), forecast.Regions[0].Days[60]);
        Assert.Equal(9, forecast.Builds);
    }

    [Fact]
    public void A_count_rule_retires_superseded_recipe_versions_like_any_ami()
    {
        var forecast = Run(Factory("""{ "delete": { "keepNewest": 2 } }"""), new ForecastSettings { Days = 90, ContentChangeDays = 30 });

        // Versions: builds 1-5 (days 0-28) are recipe version 1, 6-9 (days 35-56) version 2, 10-13 (days 63-84) version 3.
        Assert.Contains("recipe version 1", forecast.Events.Single(e => e.Kind == "build" && e.Build == 5).Detail);
        Assert.Contains("recipe version 2", forecast.Events.Single(e => e.Kind == "build" && e.Build == 9).Detail);
        Assert.Contains("recipe version 3", forecast.Events.Single(e => e.Kind == "build" && e.Build == 13).Detail);
        // The window counts per image: the newest of each superseded version goes once two newer builds exist,
        // whatever their version: build 5 when build 7 comes (day 42), build 9 when build 11 comes (day 70).
        Assert.Equal(42, DayOf(forecast, "delete", 5));
        Assert.Equal(70, DayOf(forecast, "delete", 9));
        Assert.Equal([12, 13], Existing(forecast, 89));
        // With Image Builder's COUNT filter, which counts per recipe version, builds 4-5, 8-9 and 12-13 would all
        // stay: 6 AMIs on day 89, and two more for every content change after that.
        Assert.Equal(2, forecast.Regions[0].Days[89].Registered);
    }

    [Fact]
    public void A_stall_of_four_hundred_days_keeps_the_newest_three_launchable()
    {
        var forecast = Run(
            Factory("""{ "deprecate": { "afterDays": 90 }, "disable": { "afterDays": 180 }, "delete": { "afterDays": 365 }, "keepAtLeast": 3 }"""),
            new ForecastSettings { StallFrom = 100, StallDays = 400 });
        var days = forecast.Regions[0].Days;

        // Builds 1-15 on days 0-98; none from day 100 to 499; build 16 on day 504.
        Assert.All(days.Skip(100).Take(400), d => Assert.True(d.Launchable >= 3, $"day {d.Day}: {d.Launchable} launchable"));
        // Everything older than builds 13-15 is gone; those three are not even deprecated: their windows skip them.
        Assert.Equal(new ForecastDay(499, Launchable: 3, Deprecated: 0, Disabled: 0, RecycleBin: 0, Snapshots: 3), days[499]);
        Assert.Equal([13, 14, 15], Existing(forecast, 499));
        Assert.Equal(174, forecast.Events.First(e => e.Kind == "deprecate-skipped" && e.Build == 13).Day);
        // Once build 16 exists, build 13 leaves the windows: deprecated, disabled, deleted one run after the other.
        Assert.Equal((504, 505, 506), (DayOf(forecast, "deprecate", 13), DayOf(forecast, "disable", 13), DayOf(forecast, "delete", 13)));
        Assert.Empty(forecast.Violations);
    }

    [Fact]
    public void A_stall_spanning_a_content_change_keeps_the_window_across_recipe_versions()
    {
        var forecast = Run(
            Factory("""{ "deprecate": { "keepNewest": 2 }, "delete": { "keepNewest": 3 } }"""),
            new ForecastSettings { Days = 200, ContentChangeDays = 30, StallFrom = 100, StallDays = 60 });
        var days = forecast.Regions[0].Days;

        // Build 15 (day 98) is recipe version 4; the stall (days 100-159) spans the changes of days 120 and 150, so
        // build 16 (day 161) is version 6.
        Assert.Contains("recipe version 4", forecast.Events.Single(e => e.Kind == "build" && e.Build == 15).Detail);
        Assert.Contains("recipe version 6", forecast.Events.Single(e => e.Kind == "build" && e.Build == 16).Detail);
        Assert.Equal([13, 14, 15], Existing(forecast, 159));
        Assert.Equal(new ForecastDay(159, Launchable: 3, Deprecated: 1, Disabled: 0, RecycleBin: 0, Snapshots: 3), days[159]);
        // Version 6 pushes the old version out of the windows one build at a time, never below 3 launchable.
        Assert.Equal((161, 161), (DayOf(forecast, "delete", 13), DayOf(forecast, "deprecate", 14)));
        Assert.Equal([16, 17, 18], Existing(forecast, 175));
        Assert.All(days.Skip(14), d => Assert.Equal(3, d.Launchable));
    }

    [Fact]
    public void The_recycle_bin_keeps_a_deleted_amis_snapshot_billed_for_its_retention()
    {
        // A yearly schedule (June 7): build 1 on day 0, build 2 on day 365, which pushes build 1 out of keepAtLeast 1.
        var lifecycle = """{ "delete": { "afterDays": 30 }, "keepAtLeast": 1, "recycleBin": { "amiRetentionDays": 7, "snapshotRetentionDays": 21 } }""";
        var forecast = Run(Factory(lifecycle, """{ "cron": "cron(0 4 7 6 ? *)", "startCondition": "EXPRESSION_MATCH_ONLY" }""", sizeGiB: 20), new ForecastSettings { Days = 500 });
        var days = forecast.Regions[0].Days;

        Assert.Equal(365, DayOf(forecast, "delete", 1));
        // Deleted at 12:00 on day 365: the AMI stays restorable until 12:00 on day 372, its snapshot until day 386.
        Assert.Equal((1, 1, 2), (days[365].Registered, days[365].RecycleBin, days[365].Snapshots));
        Assert.Equal((1, 2), (days[371].RecycleBin, days[371].Snapshots));
        Assert.Equal((0, 2), (days[372].RecycleBin, days[372].Snapshots));
        Assert.Equal((0, 2), (days[385].RecycleBin, days[385].Snapshots));
        Assert.Equal((0, 1), (days[386].RecycleBin, days[386].Snapshots));
        Assert.Equal(386, DayOf(forecast, "recycle-bin-expiry", 1));
        Assert.Equal((2, 40), (forecast.Regions[0].Peak.Snapshots, forecast.Regions[0].Peak.GiB));
    }

    [Fact]
    public void Snapshots_that_are_not_deleted_with_their_ami_stay_billed()
    {
        var lifecycle = """{ "delete": { "afterDays": 30 }, "keepAtLeast": 1, "deleteSnapshots": false, "recycleBin": { "amiRetentionDays": 7 } }""";
        var forecast = Run(Factory(lifecycle, """{ "cron": "cron(0 4 7 6 ? *)", "startCondition": "EXPRESSION_MATCH_ONLY" }"""), new ForecastSettings { Days = 500 });

        Assert.Equal((1, 0, 2), (forecast.Regions[0].Days[499].Registered, forecast.Regions[0].Days[499].RecycleBin, forecast.Regions[0].Days[499].Snapshots));
    }

    [Fact]
    public void Without_the_marker_a_stall_leaves_days_without_a_launchable_ami()
    {
        // What the retention tags prevent: build 2 (day 7, the last before the stall) is disabled on day 67 like
        // build 1 on day 60, and nothing launches until build 31 on day 210.
        var factory = Factory("""{ "deprecate": { "afterDays": 30 }, "disable": { "afterDays": 60 }, "delete": { "afterDays": 90 }, "keepAtLeast": 1 }""");
        var settings = new ForecastSettings { Days = 220, StallFrom = 10, StallDays = 200 };

        var unmarked = Run(factory, settings with { Marker = false });
        var marked = Run(factory, settings);

        var violation = Assert.Single(unmarked.Violations);
        Assert.Equal(("no-launchable-ami", "us-east-1", 67, 210), (violation.Kind, violation.Region, violation.FirstDay, violation.LastDay));
        Assert.Empty(marked.Violations);
        Assert.Equal(1, marked.Regions[0].Days[209].Launchable);
    }

    [Fact]
    public void Under_the_skip_assumption_a_region_exclusion_holds_back_disable_and_delete_elsewhere()
    {
        // eu-west-1's AMIs are always skipped, so (as the engine assumes) no image resource ever leaves "available":
        // the deprecate rule matches it every day and Image Builder never reaches disable or delete, in any region.
        var factory = Factory(
            """{ "deprecate": { "afterDays": 30 }, "delete": { "afterDays": 60 }, "keepAtLeast": 1, "exclude": { "regions": ["eu-west-1"] } }""",
            regions: """["us-east-1", "eu-west-1"]""");

        var forecast = Run(factory, new ForecastSettings { Days = 120 });

        Assert.DoesNotContain(forecast.Events, e => e.Kind == "delete");
        var overdue = Assert.Single(forecast.Violations);
        Assert.Equal(("overdue-ami", "us-east-1"), (overdue.Kind, overdue.Region));
        Assert.Equal(0, forecast.Regions[1].Days[119].Deprecated);
    }

    [Fact]
    public void Dependency_updates_build_once_per_content_change()
    {
        var forecast = Run(
            Factory("""{ "delete": { "keepNewest": 2 } }""", """{ "cron": "cron(0 4 ? * sun *)", "startCondition": "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE" }"""),
            new ForecastSettings { Days = 100, ContentChangeDays = 30 });

        // Changes on days 30, 60, 90: built at the next Sunday (days 0, 35, 63, 91).
        Assert.Equal([0, 35, 63, 91], forecast.Events.Where(e => e.Kind == "build").Select(e => e.Day));
    }

    [Fact]
    public void An_image_without_schedule_is_built_once_and_without_rules_keeps_everything()
    {
        var once = Run(Factory(null, schedule: null));

        Assert.Equal(1, once.Builds);
        Assert.All(once.Regions[0].Days, d => Assert.Equal(1, d.Launchable));
        Assert.Contains("no schedule: one build on day 0, none after", once.Notes);
        Assert.Contains("no retirement rules: every AMI is kept", once.Notes);
        Assert.Empty(once.Violations);
    }

    [Fact]
    public void A_schedule_is_read_in_its_time_zone()
    {
        var factory = Factory(null);
        var image = factory.Images[0] with { Schedule = factory.Images[0].Schedule! with { Cron = "cron(30 0 ? * sun *)", Timezone = "Europe/Berlin" } };

        var forecast = Run(factory with { Images = [image] }, new ForecastSettings { Days = 14 });

        // Sunday 00:30 in Berlin (UTC+2 in June) is Saturday 22:30 UTC: days 6 and 13.
        Assert.Equal([6, 13], forecast.Events.Where(e => e.Kind == "build").Select(e => e.Day));
    }
}
