using AmiInfra.Ops.Lifecycle;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Tests.Unit;

/// <summary>The shared rule semantics: windows, due steps, and one execution of Image Builder's lifecycle policy.</summary>
public sealed class LifecycleEngineTests
{
    private static readonly DateTimeOffset Now = Amis.Now;

    private static Declaration.ImageLifecycle Rules(string lifecycle) => Amis.Factory(lifecycle).Images[0].Lifecycle!;

    [Fact]
    public void Steps_render_age_steps_with_keep_at_least_and_count_steps_as_one_day_with_keep_newest()
    {
        var steps = LifecycleEngine.Steps(Rules("""{ "deprecate": { "keepNewest": 5 }, "disable": { "afterDays": 90 }, "delete": { "afterDays": 180 }, "keepAtLeast": 2 }"""));

        Assert.Equal(
            [("deprecate", 1, 5, AmiTagKeys.RetainDeprecate), ("disable", 90, 2, AmiTagKeys.RetainDisable), ("delete", 180, 2, AmiTagKeys.RetainDelete)],
            steps.Select(s => (s.Name, s.AgeDays, s.Window, s.TagKey)));
    }

    [Fact]
    public void Only_available_amis_are_ranked_newest_first_ties_by_id()
    {
        var amis = new[]
        {
            Amis.Ami("ami-b", 5), Amis.Ami("ami-a", 5), Amis.Ami("ami-new", 1) with { State = "disabled" }, Amis.Ami("ami-old", 9) with { DeprecationTime = Now },
        };

        var ranks = LifecycleEngine.Ranks(amis);

        Assert.Equal(new Dictionary<string, int> { ["ami-a"] = 0, ["ami-b"] = 1, ["ami-old"] = 2 }, ranks);
    }

    [Fact]
    public void Marks_put_each_steps_tag_on_its_window_only()
    {
        var rules = Rules("""{ "deprecate": { "keepNewest": 2 }, "delete": { "afterDays": 30 }, "keepAtLeast": 1 }""");
        var amis = new[] { Amis.Ami("ami-1", 1), Amis.Ami("ami-2", 2), Amis.Ami("ami-3", 3) };

        var marks = LifecycleEngine.Marks(rules, amis);

        Assert.Equal([AmiTagKeys.RetainDelete, AmiTagKeys.RetainDeprecate], marks["ami-1"].Order(StringComparer.Ordinal));
        Assert.Equal([AmiTagKeys.RetainDeprecate], marks["ami-2"]);
        Assert.Empty(marks["ami-3"]);
    }

    [Fact]
    public void Execution_applies_one_action_per_image_the_first_rule_that_matches()
    {
        var rules = Rules("""{ "deprecate": { "afterDays": 30 }, "disable": { "afterDays": 60 }, "delete": { "afterDays": 90 }, "keepAtLeast": 1 }""");
        var old = Amis.Ami("ami-old", 100);
        var image = new ImageResource("b1", old.Created!.Value, ImageStatus.Available, [old]);

        var first = LifecycleEngine.Execute(rules, image, (_, _) => null, Now);
        var second = LifecycleEngine.Execute(rules, image with { Status = first.Status }, (_, _) => null, Now);
        var third = LifecycleEngine.Execute(rules, image with { Status = second.Status }, (_, _) => null, Now);

        // 100 days old: due for all three, but Image Builder deprecates, then disables, then deletes, one run each.
        Assert.Equal((LifecycleAction.Deprecate, ImageStatus.Deprecated), (first.Step!.Action, first.Status));
        Assert.Equal((LifecycleAction.Disable, ImageStatus.Disabled), (second.Step!.Action, second.Status));
        Assert.Equal((LifecycleAction.Delete, ImageStatus.Deleted), (third.Step!.Action, third.Status));
    }

    [Fact]
    public void A_skipped_ami_keeps_the_image_in_its_state_while_the_others_are_acted_on()
    {
        var rules = Rules("""{ "delete": { "afterDays": 30 }, "keepAtLeast": 1 }""");
        var east = Amis.Ami("ami-1", 40);
        var west = Amis.Ami("ami-1", 40, region: "eu-west-1") with { Tags = new Dictionary<string, string>(east.Tags) { [AmiTagKeys.RetainDelete] = "true" } };
        var image = new ImageResource("b1", east.Created!.Value, ImageStatus.Available, [east, west]);

        var outcome = LifecycleEngine.Execute(rules, image, (step, ami) => LifecycleEngine.PolicySkip(rules, step, ami, Now), Now);

        Assert.Equal(LifecycleAction.Delete, outcome.Step!.Action);
        Assert.True(outcome.Amis.Single(o => o.Ami.Region == "us-east-1").Done);
        var skipped = outcome.Amis.Single(o => o.Ami.Region == "eu-west-1");
        Assert.False(skipped.Done);
        Assert.Equal("tag amiinfra:retain-delete=true (among the newest 1, keepAtLeast)", skipped.SkippedBy);
        Assert.Equal(ImageStatus.Available, outcome.Status);
    }

    [Fact]
    public void A_deprecate_rule_that_skips_every_ami_still_takes_the_images_one_action()
    {
        // Deprecate matches first; its window skips the AMI; disable and delete are not evaluated in the same run.
        var rules = Rules("""{ "deprecate": { "afterDays": 30 }, "delete": { "afterDays": 60 }, "keepAtLeast": 1 }""");
        var ami = Amis.Ami("ami-1", 100) with { Tags = new Dictionary<string, string> { [AmiTagKeys.RetainDeprecate] = "true" } };

        var outcome = LifecycleEngine.Execute(rules, new ImageResource("b1", ami.Created!.Value, ImageStatus.Available, [ami]), (step, a) => LifecycleEngine.PolicySkip(rules, step, a, Now), Now);

        Assert.Equal(LifecycleAction.Deprecate, outcome.Step!.Action);
        Assert.NotNull(Assert.Single(outcome.Amis).SkippedBy);
        Assert.Equal(ImageStatus.Available, outcome.Status);
    }

    [Fact]
    public void Deprecate_skips_deprecated_images_and_no_rule_matches_a_young_image()
    {
        var rules = Rules("""{ "deprecate": { "afterDays": 30 }, "keepAtLeast": 1 }""");
        var old = Amis.Ami("ami-1", 40);
        var young = Amis.Ami("ami-2", 10);

        Assert.Null(LifecycleEngine.Execute(rules, new ImageResource("b1", old.Created!.Value, ImageStatus.Deprecated, [old]), (_, _) => null, Now).Step);
        Assert.Null(LifecycleEngine.Execute(rules, new ImageResource("b2", young.Created!.Value, ImageStatus.Available, [young]), (_, _) => null, Now).Step);
    }

    [Fact]
    public void The_policy_checks_exclusions_in_image_builders_order()
    {
        var rules = Rules("""{ "delete": { "afterDays": 30 }, "exclude": { "regions": ["us-east-1"], "tags": { "retain": "true" }, "launchedWithinDays": 7 } }""");
        var step = LifecycleEngine.Steps(rules)[0];
        var ami = Amis.Ami("ami-1", 40) with
        {
            LastLaunched = Now.AddDays(-1),
            Tags = new Dictionary<string, string> { ["retain"] = "true", [AmiTagKeys.RetainDelete] = "true" },
        };

        Assert.Equal("region us-east-1", LifecycleEngine.PolicySkip(rules, step, ami, Now));
        Assert.StartsWith("tag amiinfra:retain-delete=true", LifecycleEngine.PolicySkip(rules, step, ami with { Region = "eu-west-1" }, Now));
        Assert.Equal("tag retain=true", LifecycleEngine.PolicySkip(rules, step, ami with { Region = "eu-west-1", Tags = new Dictionary<string, string> { ["retain"] = "true" } }, Now));
        Assert.StartsWith("launched within 7 days", LifecycleEngine.PolicySkip(rules, step, ami with { Region = "eu-west-1", Tags = new Dictionary<string, string>() }, Now));
    }

    [Fact]
    public void A_retention_tag_with_another_value_does_not_protect()
    {
        var ami = Amis.Ami("ami-1", 40) with { Tags = new Dictionary<string, string> { [AmiTagKeys.RetainDelete] = "false" } };

        Assert.False(LifecycleEngine.Marked(ami, AmiTagKeys.RetainDelete));
    }
}
