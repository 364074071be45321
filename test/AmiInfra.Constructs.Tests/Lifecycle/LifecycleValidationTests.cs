using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using AmiInfra.Constructs.Lifecycle;

namespace AmiInfra.Constructs.Tests.Lifecycle;

/// <summary>A scope and a role for the validation tests; the constructs throw before they touch either.</summary>
public sealed class LifecycleValidationFixture
{
    public LifecycleValidationFixture()
    {
        Role = TestEnv.RoleArn($"arn:aws:iam::{TestEnv.Account}:role/lifecycle");
    }

    /// <summary>A new stack at every use: a construct that rejects its props has added itself to the tree already.</summary>
    public Stack Stack => TestEnv.NewStack("Validation");

    public IRole Role { get; }
}

[Collection(CdkCollection.Name)]
public sealed class LifecycleValidationTests(LifecycleValidationFixture fixture) : IClassFixture<LifecycleValidationFixture>
{
    private AmiLifecyclePolicyProps Valid => new()
    {
        LifecyclePolicyName = "golden-al2023",
        ExecutionRole = fixture.Role,
        Recipes = [new RecipeSelection("golden-al2023")],
        Delete = LifecycleRule.Age(365),
    };

    private ConstructValidationException Rejected(AmiLifecyclePolicyProps props) =>
        Assert.Throws<ConstructValidationException>(() => new AmiLifecyclePolicy(fixture.Stack, "Policy", props));

    private ConstructValidationException Rejected(RecycleBinRetentionProps props) =>
        Assert.Throws<ConstructValidationException>(() => new RecycleBinRetention(fixture.Stack, "Bin", props));

    [Fact]
    public void Rejects_disable_before_deprecate()
    {
        var e = Rejected(Valid with { Deprecate = LifecycleRule.Age(90), Disable = LifecycleRule.Age(30), Delete = null });

        Assert.Equal("Validation/Policy.Disable.AfterDays", e.Where);
        Assert.Equal("30", e.Value);
        Assert.StartsWith("more than Deprecate.AfterDays (90)", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_delete_before_disable()
    {
        var e = Rejected(Valid with { Disable = LifecycleRule.Count(10), Delete = LifecycleRule.Count(5) });

        Assert.Equal("Validation/Policy.Delete.KeepNewest", e.Where);
        Assert.Equal("5", e.Value);
        Assert.StartsWith("more than Disable.KeepNewest (10)", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_delete_before_deprecate()
    {
        var e = Rejected(Valid with { Deprecate = LifecycleRule.Age(400) });

        Assert.Equal("Validation/Policy.Delete.AfterDays", e.Where);
        Assert.Equal("365", e.Value);
        Assert.StartsWith("more than Deprecate.AfterDays (400)", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_age_no_unit_of_image_builder_expresses_at_its_prop()
    {
        // The rule's edges are Lifecycles.AgeDays's (Rules tests); here, that the construct names the prop.
        var e = Rejected(Valid with { Delete = LifecycleRule.Age(1002) });

        Assert.Equal("Validation/Policy.Delete.AfterDays", e.Where);
        Assert.StartsWith("1002", e.Value);
        Assert.Equal(AmiInfra.Rules.Lifecycles.AgeDays(1002)!.Accepted, e.Accepted);
    }

    [Fact]
    public void Rejects_a_count_above_what_image_builder_accepts()
    {
        var e = Rejected(Valid with { Deprecate = LifecycleRule.Count(1001), Delete = null });

        Assert.Equal("Validation/Policy.Deprecate.KeepNewest", e.Where);
        Assert.Equal("1001", e.Value);
        Assert.Equal("a whole number from 1 to 1000 AMIs", e.Accepted);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void Rejects_keep_at_least_outside_what_image_builder_accepts(int keep)
    {
        var e = Rejected(Valid with { KeepAtLeast = keep });

        Assert.Equal("Validation/Policy.KeepAtLeast", e.Where);
        Assert.Equal(keep.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Value);
        Assert.Equal("a whole number from 1 to 10 AMIs (the newest AMIs retirement by age keeps)", e.Accepted);
    }

    [Fact]
    public void With_retention_windows_rejects_fifty_declared_exclusion_tags()
    {
        var tags = Enumerable.Range(0, 50).ToDictionary(i => $"keep{i}", _ => "true");
        var e = Rejected(Valid with { RetentionWindows = true, Exclusions = new LifecycleExclusions { Tags = tags } });

        Assert.Equal("Validation/Policy.Exclusions.Tags", e.Where);
        Assert.Equal("50 tags", e.Value);
        Assert.StartsWith("at most 49 tags: each step also excludes its retention tag", e.Accepted, StringComparison.Ordinal);

        // Without windows, Image Builder's 50 are the limit.
        _ = new AmiLifecyclePolicy(fixture.Stack, "Policy", Valid with { Exclusions = new LifecycleExclusions { Tags = tags } });
    }

    [Fact]
    public void With_retention_windows_rejects_a_declared_retention_tag()
    {
        var e = Rejected(Valid with { RetentionWindows = true, Exclusions = new LifecycleExclusions { Tags = new Dictionary<string, string> { ["amiinfra:retain-delete"] = "false" } } });

        Assert.Equal("Validation/Policy.Exclusions.Tags.amiinfra:retain-delete", e.Where);
        Assert.StartsWith("a key other than the retention tags", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_launched_within_days_above_what_image_builder_accepts()
    {
        var e = Rejected(Valid with { Exclusions = new LifecycleExclusions { LaunchedWithinDays = 366 } });

        Assert.Equal("Validation/Policy.Exclusions.LaunchedWithinDays", e.Where);
        Assert.Equal("366", e.Value);
        Assert.Equal("a whole number from 1 to 365 days", e.Accepted);
    }

    [Fact]
    public void Rejects_both_a_count_rule_and_an_age_rule_for_the_same_action()
    {
        var e = Rejected(Valid with { Delete = new LifecycleRule { AfterDays = 365, KeepNewest = 10 } });

        Assert.Equal("Validation/Policy.Delete", e.Where);
        Assert.Equal("both AfterDays and KeepNewest", e.Value);
        Assert.Equal("one rule per action: either AfterDays (by age) or KeepNewest (by count) for Delete", e.Accepted);
    }

    [Fact]
    public void Rejects_a_rule_with_neither_age_nor_count()
    {
        var e = Rejected(Valid with { Disable = new LifecycleRule() });

        Assert.Equal("Validation/Policy.Disable", e.Where);
        Assert.Equal("neither AfterDays nor KeepNewest", e.Value);
    }

    [Fact]
    public void Rejects_a_delete_rule_that_keeps_no_ami()
    {
        var e = Rejected(Valid with { Delete = LifecycleRule.Count(0) });

        Assert.Equal("Validation/Policy.Delete.KeepNewest", e.Where);
        Assert.Equal("0", e.Value);
        Assert.Equal("at least 1: a delete rule that keeps no AMI would leave the image with none", e.Accepted);
    }

    [Fact]
    public void Rejects_a_count_rule_that_keeps_fewer_than_keep_at_least()
    {
        var e = Rejected(Valid with { Delete = LifecycleRule.Count(2), KeepAtLeast = 3 });

        Assert.Equal("Validation/Policy.Delete.KeepNewest", e.Where);
        Assert.Equal("2", e.Value);
        Assert.StartsWith("at least KeepAtLeast (3)", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_policy_without_any_step()
    {
        var e = Rejected(Valid with { Delete = null });

        Assert.Equal("Validation/Policy.Delete", e.Where);
        Assert.Equal("at least one of Deprecate, Disable or Delete", e.Accepted);
    }

    [Fact]
    public void Rejects_a_policy_that_selects_no_image()
    {
        var e = Rejected(Valid with { Recipes = [] });

        Assert.Equal("Validation/Policy.Recipes", e.Where);
        Assert.Null(e.Value);
    }

    [Theory]
    [InlineData("aws:cloudformation:stack-name")]
    [InlineData("Aufbewahrung-Büro")]
    [InlineData("keep|me")]
    public void Rejects_an_exclusion_tag_key_that_image_builder_does_not_accept(string key)
    {
        var e = Rejected(Valid with { Exclusions = new LifecycleExclusions { Tags = new Dictionary<string, string> { [key] = "true" } } });

        Assert.Equal($"Validation/Policy.Exclusions.Tags[\"{key}\"]", e.Where);
        Assert.Equal($"the tag key \"{key}\"", e.Value);
        Assert.StartsWith("a tag key of 1 to 128 characters", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_excluded_region_that_is_not_a_region_code()
    {
        var e = Rejected(Valid with { Exclusions = new LifecycleExclusions { Regions = ["eu-west-1", "Ireland"] } });

        Assert.Equal("Validation/Policy.Exclusions.Regions[1]", e.Where);
        Assert.Equal("\"Ireland\"", e.Value);
    }

    [Fact]
    public void Rejects_an_excluded_account_that_is_not_an_account_id()
    {
        var e = Rejected(Valid with { Exclusions = new LifecycleExclusions { SharedWithAccounts = ["12345"] } });

        Assert.Equal("Validation/Policy.Exclusions.SharedWithAccounts[0]", e.Where);
        Assert.Equal("\"12345\"", e.Value);
        Assert.Equal("a 12-digit AWS account id", e.Accepted);
    }

    [Fact]
    public void Rejects_a_recipe_version_image_builder_does_not_accept()
    {
        var e = Rejected(Valid with { Recipes = [new RecipeSelection("golden-al2023", "1.*")] });

        Assert.Equal("Validation/Policy.Recipes[0].Version", e.Where);
        Assert.Equal("\"1.*\"", e.Value);
    }

    [Fact]
    public void Rejects_a_policy_name_image_builder_does_not_accept()
    {
        var e = Rejected(Valid with { LifecyclePolicyName = "golden/al2023" });

        Assert.Equal("Validation/Policy.LifecyclePolicyName", e.Where);
        Assert.Equal("\"golden/al2023\"", e.Value);
    }

    [Fact]
    public void Rejects_a_snapshot_retention_shorter_than_the_ami_retention()
    {
        var e = Rejected(new RecycleBinRetentionProps { FactoryName = "golden", AmiRetentionDays = 14, SnapshotRetentionDays = 7 });

        Assert.Equal("Validation/Bin.SnapshotRetentionDays", e.Where);
        Assert.Equal("7", e.Value);
        Assert.StartsWith("at least AmiRetentionDays (14)", e.Accepted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(366)]
    public void Rejects_a_recycle_bin_retention_outside_what_the_recycle_bin_accepts(int days)
    {
        var e = Rejected(new RecycleBinRetentionProps { FactoryName = "golden", AmiRetentionDays = days });

        Assert.Equal("Validation/Bin.AmiRetentionDays", e.Where);
        Assert.Equal("a whole number from 1 to 365 days", e.Accepted);
    }

    [Fact]
    public void Rejects_a_factory_name_that_is_not_a_tag_value()
    {
        var e = Rejected(new RecycleBinRetentionProps { FactoryName = "golden!" });

        Assert.Equal("Validation/Bin.FactoryName", e.Where);
        Assert.Equal("\"golden!\"", e.Value);
    }

    [Fact]
    public void Rejects_an_execution_role_name_iam_does_not_accept()
    {
        var e = Assert.Throws<ConstructValidationException>(() =>
            new LifecycleExecutionRole(fixture.Stack, "Role", new LifecycleExecutionRoleProps { RoleName = new string('r', 65) }));

        Assert.Equal("Validation/Role.RoleName", e.Where);
    }

    [Fact]
    public void Rejects_a_cross_account_role_for_a_factory_account_that_is_not_an_account_id()
    {
        var e = Assert.Throws<ConstructValidationException>(() =>
            new CrossAccountLifecycleRole(fixture.Stack, "CrossAccount", new CrossAccountLifecycleRoleProps { FactoryAccount = "me" }));

        Assert.Equal("Validation/CrossAccount.FactoryAccount", e.Where);
        Assert.Equal("\"me\"", e.Value);
    }

    [Fact]
    public void Accepts_an_unresolved_policy_name()
    {
        var name = Fn.Join("-", ["golden", Aws.REGION]);

        var policy = new AmiLifecyclePolicy(new Stack(new App(), "Tokens"), "Policy", Valid with { LifecyclePolicyName = name });

        Assert.Equal(name, policy.LifecyclePolicyName);
    }
}
