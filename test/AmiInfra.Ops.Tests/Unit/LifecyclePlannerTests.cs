using AmiInfra.Ops.Lifecycle;

namespace AmiInfra.Ops.Tests.Unit;

public sealed class LifecyclePlannerTests
{
    [Fact]
    public void Count_rule_acts_on_all_but_the_newest_n()
    {
        var factory = Amis.Factory("""{ "deprecate": { "keepNewest": 2 } }""");
        var amis = new[] { Amis.Ami("ami-3", 3), Amis.Ami("ami-1", 1), Amis.Ami("ami-2", 2), Amis.Ami("ami-4", 4) };

        var plan = LifecyclePlanner.Plan(factory, amis, Amis.Now).ToDictionary(d => d.Ami.ImageId);

        Assert.Equal(LifecycleAction.Keep, plan["ami-1"].Action);
        Assert.Equal(LifecycleAction.Keep, plan["ami-2"].Action);
        Assert.Equal(LifecycleAction.Deprecate, plan["ami-3"].Action);
        Assert.Equal("beyond the newest 2 (#3)", plan["ami-3"].Reason);
        Assert.Equal(LifecycleAction.Deprecate, plan["ami-4"].Action);
    }

    [Fact]
    public void Age_rule_never_acts_on_the_newest_keep_at_least_even_when_all_are_old()
    {
        var factory = Amis.Factory("""{ "delete": { "afterDays": 10 }, "keepAtLeast": 2 }""");
        var amis = new[] { Amis.Ami("ami-a", 100), Amis.Ami("ami-b", 200), Amis.Ami("ami-c", 300) };

        var plan = LifecyclePlanner.Plan(factory, amis, Amis.Now);

        Assert.Equal([LifecycleAction.Keep, LifecycleAction.Keep, LifecycleAction.Delete], plan.Select(d => d.Action));
    }

    [Fact]
    public void Amis_are_ranked_per_region()
    {
        var factory = Amis.Factory("""{ "delete": { "keepNewest": 1 } }""", """{ "regions": ["us-east-1", "eu-west-1"] }""");
        var amis = new[] { Amis.Ami("ami-east", 5), Amis.Ami("ami-west", 50, region: "eu-west-1") };

        var plan = LifecyclePlanner.Plan(factory, amis, Amis.Now);

        Assert.All(plan, d => Assert.Equal(LifecycleAction.Keep, d.Action));
    }

    [Fact]
    public void An_already_deprecated_ami_is_marked_as_done()
    {
        var factory = Amis.Factory("""{ "deprecate": { "afterDays": 30 }, "keepAtLeast": 1 }""");
        var deprecated = Amis.Ami("ami-old", 60) with { DeprecationTime = Amis.Now.AddDays(-20) };

        var plan = LifecyclePlanner.Plan(factory, [Amis.Ami("ami-new", 1), deprecated], Amis.Now);

        Assert.True(plan[1].AlreadyApplied);
        Assert.Equal(LifecycleAction.Deprecate, plan[1].Action);
    }

    [Fact]
    public void A_launch_older_than_the_window_does_not_exclude()
    {
        var factory = Amis.Factory("""{ "delete": { "afterDays": 30 }, "keepAtLeast": 1, "exclude": { "launchedWithinDays": 7 } }""");
        var launchedLongAgo = Amis.Ami("ami-old", 60) with { LastLaunched = Amis.Now.AddDays(-8) };

        var plan = LifecyclePlanner.Plan(factory, [Amis.Ami("ami-new", 1), launchedLongAgo], Amis.Now);

        Assert.Equal(LifecycleAction.Delete, plan[1].Action);
        Assert.Null(plan[1].KeptBy);
    }

    [Fact]
    public void Public_and_shared_exclusions_keep_and_say_why()
    {
        var factory = Amis.Factory("""{ "delete": { "afterDays": 30 }, "keepAtLeast": 1, "exclude": { "public": true, "sharedWithAccounts": ["111122223333"] } }""");
        var amis = new[]
        {
            Amis.Ami("ami-new", 1),
            Amis.Ami("ami-public", 60) with { Public = true },
            Amis.Ami("ami-shared", 70) with { SharedWith = ["111122223333"] },
        };

        var plan = LifecyclePlanner.Plan(factory, amis, Amis.Now).ToDictionary(d => d.Ami.ImageId);

        Assert.Equal(("public", LifecycleAction.Delete), (plan["ami-public"].KeptBy, plan["ami-public"].WouldBe));
        Assert.Equal("shared with 111122223333", plan["ami-shared"].KeptBy);
        Assert.Equal(LifecycleAction.Keep, plan["ami-shared"].Action);
    }

    [Fact]
    public void A_disabled_ami_takes_no_place_in_the_window()
    {
        // Windows hold the newest available AMIs: a disabled AMI no longer launches, so it does not count.
        // (Before the windows, AMIs of every state were ranked: ami-older was #2 and deleted.)
        var factory = Amis.Factory("""{ "delete": { "afterDays": 30 }, "keepAtLeast": 1 }""");
        var amis = new[] { Amis.Ami("ami-disabled", 40) with { State = "disabled" }, Amis.Ami("ami-older", 50) };

        var plan = LifecyclePlanner.Plan(factory, amis, Amis.Now).ToDictionary(d => d.Ami.ImageId);

        Assert.Equal(LifecycleAction.Delete, plan["ami-disabled"].Action);
        Assert.Equal((LifecycleAction.Keep, "among the newest 1 (keepAtLeast)"), (plan["ami-older"].Action, plan["ami-older"].Reason));
    }

    [Fact]
    public void A_count_step_acts_once_an_ami_is_a_day_old()
    {
        // A step by count is rendered as an AGE filter of one day plus its window.
        var factory = Amis.Factory("""{ "delete": { "keepNewest": 1 } }""");
        var amis = new[] { Amis.Ami("ami-new", 0) with { Created = Amis.Now.AddHours(-2) }, Amis.Ami("ami-hours", 0) with { Created = Amis.Now.AddHours(-20) }, Amis.Ami("ami-day", 2) };

        var plan = LifecyclePlanner.Plan(factory, amis, Amis.Now).ToDictionary(d => d.Ami.ImageId);

        Assert.Equal(LifecycleAction.Keep, plan["ami-new"].Action);
        Assert.Equal((LifecycleAction.Keep, "within the rules"), (plan["ami-hours"].Action, plan["ami-hours"].Reason));
        Assert.Equal((LifecycleAction.Delete, "beyond the newest 1 (#3)"), (plan["ami-day"].Action, plan["ami-day"].Reason));
    }

    [Fact]
    public void A_count_step_counts_across_recipe_versions()
    {
        // Image Builder's COUNT counts per recipe version; the windows count per image, whatever the version.
        var factory = Amis.Factory("""{ "delete": { "keepNewest": 2 } }""");
        var amis = new[] { ("ami-v3", 5, "1.0.3"), ("ami-v2", 40, "1.0.2"), ("ami-v1", 70, "1.0.1") }
            .Select(a => Amis.Ami(a.Item1, a.Item2) with { Tags = new Dictionary<string, string> { [Rules.AmiTagKeys.Factory] = "ff", [Rules.AmiTagKeys.Image] = "app", [Rules.AmiTagKeys.RecipeVersion] = a.Item3 } })
            .ToList();

        var plan = LifecyclePlanner.Plan(factory, amis, Amis.Now);

        Assert.Equal([LifecycleAction.Keep, LifecycleAction.Keep, LifecycleAction.Delete], plan.Select(d => d.Action));
    }

    [Fact]
    public void A_region_exclusion_is_named_before_a_recent_launch_as_image_builder_checks_them()
    {
        var factory = Amis.Factory("""{ "delete": { "afterDays": 30 }, "exclude": { "launchedWithinDays": 7, "regions": ["us-east-1"] } }""");
        var amis = new[] { Amis.Ami("ami-new", 1), Amis.Ami("ami-old", 60) with { LastLaunched = Amis.Now.AddDays(-1) } };

        var plan = LifecyclePlanner.Plan(factory, amis, Amis.Now);

        Assert.Equal("region us-east-1", plan[1].KeptBy);
    }
}
