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

        Assert.Equal(RetirementAction.Keep, plan["ami-1"].Action);
        Assert.Equal(RetirementAction.Keep, plan["ami-2"].Action);
        Assert.Equal(RetirementAction.Deprecate, plan["ami-3"].Action);
        Assert.Equal("beyond the newest 2 (#3)", plan["ami-3"].Reason);
        Assert.Equal(RetirementAction.Deprecate, plan["ami-4"].Action);
    }

    [Fact]
    public void Age_rule_never_acts_on_the_newest_keep_at_least_even_when_all_are_old()
    {
        var factory = Amis.Factory("""{ "delete": { "afterDays": 10 }, "keepAtLeast": 2 }""");
        var amis = new[] { Amis.Ami("ami-a", 100), Amis.Ami("ami-b", 200), Amis.Ami("ami-c", 300) };

        var plan = LifecyclePlanner.Plan(factory, amis, Amis.Now);

        Assert.Equal([RetirementAction.Keep, RetirementAction.Keep, RetirementAction.Delete], plan.Select(d => d.Action));
    }

    [Fact]
    public void Amis_are_ranked_per_region()
    {
        var factory = Amis.Factory("""{ "delete": { "keepNewest": 1 } }""", """{ "regions": ["us-east-1", "eu-west-1"] }""");
        var amis = new[] { Amis.Ami("ami-east", 5), Amis.Ami("ami-west", 50, region: "eu-west-1") };

        var plan = LifecyclePlanner.Plan(factory, amis, Amis.Now);

        Assert.All(plan, d => Assert.Equal(RetirementAction.Keep, d.Action));
    }

    [Fact]
    public void An_already_deprecated_ami_is_marked_as_done()
    {
        var factory = Amis.Factory("""{ "deprecate": { "afterDays": 30 }, "keepAtLeast": 1 }""");
        var deprecated = Amis.Ami("ami-old", 60) with { DeprecationTime = Amis.Now.AddDays(-20) };

        var plan = LifecyclePlanner.Plan(factory, [Amis.Ami("ami-new", 1), deprecated], Amis.Now);

        Assert.True(plan[1].AlreadyApplied);
        Assert.Equal(RetirementAction.Deprecate, plan[1].Action);
    }

    [Fact]
    public void A_launch_older_than_the_window_does_not_exclude()
    {
        var factory = Amis.Factory("""{ "delete": { "afterDays": 30 }, "keepAtLeast": 1, "exclude": { "launchedWithinDays": 7 } }""");
        var launchedLongAgo = Amis.Ami("ami-old", 60) with { LastLaunched = Amis.Now.AddDays(-8) };

        var plan = LifecyclePlanner.Plan(factory, [Amis.Ami("ami-new", 1), launchedLongAgo], Amis.Now);

        Assert.Equal(RetirementAction.Delete, plan[1].Action);
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

        Assert.Equal(("public", RetirementAction.Delete), (plan["ami-public"].KeptBy, plan["ami-public"].WouldBe));
        Assert.Equal("shared with 111122223333", plan["ami-shared"].KeptBy);
        Assert.Equal(RetirementAction.Keep, plan["ami-shared"].Action);
    }
}
