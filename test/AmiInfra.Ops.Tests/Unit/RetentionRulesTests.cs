using AmiInfra.Ops.Audit;
using AmiInfra.Ops.Inventory;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Tests.Unit;

/// <summary>The audit's day-two checks: stalled pipelines and retention tags that disagree with the windows.</summary>
public sealed class RetentionRulesTests
{
    private const string Rules = """{ "delete": { "afterDays": 365 }, "keepAtLeast": 2 }""";

    private static AmiRecord Tagged(AmiRecord ami, params string[] keys) =>
        ami with { Tags = new Dictionary<string, string>(ami.Tags).Concat(keys.Select(k => KeyValuePair.Create(k, "true"))).ToDictionary() };

    private static List<Violation> Check(Declaration.Factory factory, params AmiRecord[] amis) =>
        AuditRules.Check(factory, "123456789012", amis, ["us-east-1"], Amis.Now).Where(v => v.Kind is ViolationKind.StalledPipeline or ViolationKind.RetentionMarksStale).ToList();

    [Fact]
    public void A_weekly_pipeline_without_an_ami_for_more_than_two_weeks_and_a_day_is_stalled()
    {
        var factory = LifecycleForecastTests.Factory(null);

        var stalled = Assert.Single(Check(factory, Amis.Ami("ami-16", 16), Amis.Ami("ami-30", 30)));

        Assert.Equal((ViolationKind.StalledPipeline, "ami-16", "app"), (stalled.Kind, stalled.ImageId, stalled.Image));
        Assert.Equal("no new AMI for 16 days: the newest available one is from 2026-05-16, while cron(0 4 ? * sun *) runs at least every 7 days", stalled.Detail);
        Assert.Empty(Check(factory, Amis.Ami("ami-14", 14)));
    }

    [Fact]
    public void Only_an_available_ami_counts_and_an_image_without_schedule_never_stalls()
    {
        var weekly = LifecycleForecastTests.Factory(null);
        var manual = LifecycleForecastTests.Factory(null, schedule: null);

        Assert.Single(Check(weekly, Amis.Ami("ami-disabled", 2) with { State = "disabled" }, Amis.Ami("ami-old", 20)));
        Assert.Empty(Check(manual, Amis.Ami("ami-old", 400)));
    }

    [Fact]
    public void Tags_that_match_the_windows_are_not_stale()
    {
        var factory = LifecycleForecastTests.Factory(Rules);

        var violations = Check(factory, Tagged(Amis.Ami("ami-1", 3), AmiTagKeys.RetainDelete), Tagged(Amis.Ami("ami-2", 10), AmiTagKeys.RetainDelete), Amis.Ami("ami-3", 12));

        Assert.Empty(violations);
    }

    [Fact]
    public void A_missing_tag_within_a_window_and_a_tag_outside_it_are_stale()
    {
        var factory = LifecycleForecastTests.Factory(Rules);

        var violations = Check(factory, Tagged(Amis.Ami("ami-1", 3), AmiTagKeys.RetainDelete), Amis.Ami("ami-2", 10), Tagged(Amis.Ami("ami-3", 12), AmiTagKeys.RetainDelete));

        Assert.Equal(["ami-2", "ami-3"], violations.Select(v => v.ImageId));
        Assert.All(violations, v => Assert.Equal(ViolationKind.RetentionMarksStale, v.Kind));
        Assert.Equal("amiinfra:retain-delete is missing, but the AMI is among the newest 2 available (keepAtLeast): the retention marker has not run, or failed", violations[0].Detail);
        Assert.Equal("amiinfra:retain-delete is set, but the AMI is not among the newest 2 available (keepAtLeast): the retention marker has not run, or failed", violations[1].Detail);
    }

    [Fact]
    public void Tags_are_not_stale_within_a_day_of_the_newest_ami()
    {
        // ami-new, a few hours old, pushed ami-3 out of the window: the marker runs after the build and daily.
        var factory = LifecycleForecastTests.Factory(Rules);
        var fresh = Amis.Ami("ami-new", 0) with { Created = Amis.Now.AddHours(-5) };

        Assert.Empty(Check(factory, fresh, Tagged(Amis.Ami("ami-2", 7), AmiTagKeys.RetainDelete), Tagged(Amis.Ami("ami-3", 14), AmiTagKeys.RetainDelete)));
    }

    [Fact]
    public void A_disabled_ami_is_not_checked_and_takes_no_place_in_a_window()
    {
        var factory = LifecycleForecastTests.Factory(Rules);

        var violations = Check(
            factory,
            Amis.Ami("ami-disabled", 2) with { State = "disabled" },
            Tagged(Amis.Ami("ami-1", 3), AmiTagKeys.RetainDelete),
            Tagged(Amis.Ami("ami-2", 10), AmiTagKeys.RetainDelete));

        Assert.Empty(violations);
    }
}
