using AmiInfra.Rules;

namespace AmiInfra.Rules.Tests;

/// <summary>What the constructs and the ops tool share about retention windows: their size, their age filter, their tag.</summary>
public sealed class RetentionWindowTests
{
    [Fact]
    public void A_step_by_age_keeps_keep_at_least_and_a_step_by_count_its_keep_newest()
    {
        Assert.Equal(3, Lifecycles.WindowSize(new LifecycleStepRule("delete", 365, null), keepAtLeast: 3));
        Assert.Equal(5, Lifecycles.WindowSize(new LifecycleStepRule("deprecate", null, 5), keepAtLeast: 3));
    }

    [Fact]
    public void A_step_by_count_is_rendered_as_one_day_of_age()
    {
        Assert.Equal(90, Lifecycles.FilterAgeDays(new LifecycleStepRule("deprecate", 90, null)));
        Assert.Equal(1, Lifecycles.FilterAgeDays(new LifecycleStepRule("delete", null, 4)));
    }

    [Fact]
    public void Each_step_has_its_own_retention_tag_under_the_amiinfra_prefix()
    {
        Assert.Equal(["amiinfra:retain-deprecate", "amiinfra:retain-disable", "amiinfra:retain-delete"], Lifecycles.StepNames.Select(AmiTagKeys.Retain));
        Assert.All(Lifecycles.StepNames.Select(AmiTagKeys.Retain), key => Assert.StartsWith(AmiTagKeys.Prefix, key));
        Assert.Throws<ArgumentOutOfRangeException>(() => AmiTagKeys.Retain("archive"));
    }
}
