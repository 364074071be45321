using Amazon.CDK;
using Amazon.CDK.Assertions;
using AmiInfra.Constructs.Lifecycle;

namespace AmiInfra.Constructs.Tests.Lifecycle;

/// <summary>
/// One factory's retirement: an execution role, a policy by age (recipe selection, every exclusion),
/// a policy by count (tag selection, snapshots kept), the Recycle Bin rules in the home region and in
/// a second region, and the cross-account role of a target account. Synthesized once.
/// </summary>
public sealed class LifecycleTemplateFixture
{
    public LifecycleTemplateFixture()
    {
        var home = TestEnv.NewStack("Home");
        var role = new LifecycleExecutionRole(home, "LifecycleRole");
        new AmiLifecyclePolicy(home, "Al2023Lifecycle", new AmiLifecyclePolicyProps
        {
            LifecyclePolicyName = "golden-al2023",
            ExecutionRole = role.Role,
            Recipes = [new RecipeSelection("golden-al2023")],
            Deprecate = LifecycleRule.Age(90),
            Disable = LifecycleRule.Age(180),
            Delete = LifecycleRule.Age(365),
            KeepAtLeast = 3,
            Exclusions = new LifecycleExclusions
            {
                LaunchedWithinDays = 30,
                Tags = new Dictionary<string, string> { ["retain"] = "true" },
                Public = true,
                Regions = ["eu-west-1"],
                SharedWithAccounts = ["210987654321"],
            },
        });
        new AmiLifecyclePolicy(home, "UbuntuLifecycle", new AmiLifecyclePolicyProps
        {
            LifecyclePolicyName = "golden-ubuntu2404",
            ExecutionRole = role.Role,
            ImageTags = new Dictionary<string, string> { ["amiinfra:image"] = "ubuntu2404" },
            Delete = LifecycleRule.Count(5),
            DeleteSnapshots = false,
            Enabled = false,
            Description = "Keeps five Ubuntu AMIs",
        });
        new RecycleBinRetention(home, "RecycleBin", new RecycleBinRetentionProps
        {
            FactoryName = "golden",
            AmiRetentionDays = 14,
            SnapshotRetentionDays = 21,
            Tags = new Dictionary<string, string> { ["team"] = "platform" },
        });
        Home = Template.FromStack(home);
        HomeAnnotations = Amazon.CDK.Assertions.Annotations.FromStack(home);

        var regional = TestEnv.NewStack("Regional", "eu-west-1");
        new RecycleBinRetention(regional, "RecycleBin", new RecycleBinRetentionProps { FactoryName = "golden", AmiRetentionDays = 30 });
        Regional = Template.FromStack(regional);

        var noDisable = TestEnv.NewStack("NoDisable");
        new AmiLifecyclePolicy(noDisable, "Lifecycle", new AmiLifecyclePolicyProps
        {
            LifecyclePolicyName = "golden-bastion",
            ExecutionRole = TestEnv.LifecycleRole,
            Recipes = [new RecipeSelection("golden-bastion")],
            Deprecate = LifecycleRule.Age(30),
            Delete = LifecycleRule.Age(365),
            KeepAtLeast = 2,
        });
        NoDisableAnnotations = Amazon.CDK.Assertions.Annotations.FromStack(noDisable);

        // Retention windows: every step by age, each excluding its retention tag next to the declared ones.
        var windows = TestEnv.NewStack("Windows");
        new AmiLifecyclePolicy(windows, "Al2023Lifecycle", new AmiLifecyclePolicyProps
        {
            LifecyclePolicyName = "golden-al2023",
            ExecutionRole = TestEnv.LifecycleRole,
            Recipes = [new RecipeSelection("golden-al2023")],
            Deprecate = LifecycleRule.Age(30),
            Disable = LifecycleRule.Age(90),
            Delete = LifecycleRule.Count(5),
            KeepAtLeast = 2,
            RetentionWindows = true,
            Exclusions = new LifecycleExclusions { Tags = new Dictionary<string, string> { ["retain"] = "true" }, LaunchedWithinDays = 14 },
        });
        new AmiLifecyclePolicy(windows, "BastionLifecycle", new AmiLifecyclePolicyProps
        {
            LifecyclePolicyName = "golden-bastion",
            ExecutionRole = TestEnv.LifecycleRole,
            Recipes = [new RecipeSelection("golden-bastion")],
            Deprecate = LifecycleRule.Age(30),
            Delete = LifecycleRule.Age(1400),
            KeepAtLeast = 2,
            RetentionWindows = true,
        });
        Windows = Template.FromStack(windows);
        WindowsAnnotations = Amazon.CDK.Assertions.Annotations.FromStack(windows);

        var target = TestEnv.NewStack("Target");
        new CrossAccountLifecycleRole(target, "CrossAccountLifecycle", new CrossAccountLifecycleRoleProps { FactoryAccount = "111122223333" });
        Target = Template.FromStack(target);
    }

    public Template Home { get; }

    public Amazon.CDK.Assertions.Annotations HomeAnnotations { get; }

    public Amazon.CDK.Assertions.Annotations NoDisableAnnotations { get; }

    public Template Regional { get; }

    public Template Windows { get; }

    public Amazon.CDK.Assertions.Annotations WindowsAnnotations { get; }

    public Template Target { get; }
}

[Collection(CdkCollection.Name)]
public sealed class LifecycleTemplateTests(LifecycleTemplateFixture fixture) : IClassFixture<LifecycleTemplateFixture>
{
    private readonly Template _home = fixture.Home;

    private static object AgeFilter(int days) =>
        Match.ObjectEquals(new Dictionary<string, object> { ["Type"] = "AGE", ["Value"] = days, ["Unit"] = "DAYS" });

    private static object AgeFilterKeeping(int days, int keep) =>
        Match.ObjectEquals(new Dictionary<string, object> { ["Type"] = "AGE", ["Value"] = days, ["Unit"] = "DAYS", ["RetainAtLeast"] = keep });

    [Fact]
    public void Execution_role_is_assumable_by_image_builder_for_its_own_account_only()
    {
        _home.HasResourceProperties("AWS::IAM::Role", new Dictionary<string, object>
        {
            ["AssumeRolePolicyDocument"] = new Dictionary<string, object>
            {
                ["Statement"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["Action"] = "sts:AssumeRole",
                        ["Effect"] = "Allow",
                        ["Principal"] = new Dictionary<string, object> { ["Service"] = "imagebuilder.amazonaws.com" },
                        ["Condition"] = new Dictionary<string, object>
                        {
                            ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = TestEnv.Account },
                        },
                    },
                },
            },
        });
    }

    [Fact]
    public void Execution_role_holds_only_the_aws_managed_lifecycle_execution_policy()
    {
        _home.HasResourceProperties("AWS::IAM::Role", Match.ObjectLike(new Dictionary<string, object>
        {
            ["ManagedPolicyArns"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["Fn::Join"] = new object[]
                    {
                        "",
                        new object[] { "arn:", new Dictionary<string, object> { ["Ref"] = "AWS::Partition" }, ":iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy" },
                    },
                },
            },
        }));
        _home.ResourceCountIs("AWS::IAM::Role", 1);
        _home.ResourceCountIs("AWS::IAM::Policy", 0);
    }

    [Fact]
    public void Each_image_gets_its_own_policy_running_as_the_factory_role()
    {
        _home.ResourceCountIs("AWS::ImageBuilder::LifecyclePolicy", 2);
        var roles = _home.FindResources("AWS::IAM::Role");
        var roleId = Assert.Single(roles.Keys);
        _home.AllResourcesProperties("AWS::ImageBuilder::LifecyclePolicy", new Dictionary<string, object>
        {
            ["ResourceType"] = "AMI_IMAGE",
            ["ExecutionRole"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { roleId, "Arn" } },
        });
    }

    /// <summary>
    /// Fix 5: retain-at-least is documented for delete rules only, so deprecate and disable by age act on every AMI older
    /// than their age, whatever its recipe version (superseded versions are deprecated and disabled, no longer shared);
    /// only deletion keeps the newest keepAtLeast.
    /// </summary>
    [Fact]
    public void Age_policy_deprecates_then_disables_then_deletes_with_snapshots_and_retains_only_on_delete()
    {
        _home.HasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023",
            ["Status"] = "ENABLED",
            ["PolicyDetails"] = new object[]
            {
                Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Action"] = Match.ObjectEquals(new Dictionary<string, object> { ["Type"] = "DEPRECATE", ["IncludeResources"] = new Dictionary<string, object> { ["Amis"] = true } }),
                    ["Filter"] = AgeFilter(90),
                }),
                Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Action"] = Match.ObjectEquals(new Dictionary<string, object> { ["Type"] = "DISABLE", ["IncludeResources"] = new Dictionary<string, object> { ["Amis"] = true } }),
                    ["Filter"] = AgeFilter(180),
                }),
                Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Action"] = Match.ObjectEquals(new Dictionary<string, object> { ["Type"] = "DELETE", ["IncludeResources"] = new Dictionary<string, object> { ["Amis"] = true, ["Snapshots"] = true } }),
                    ["Filter"] = AgeFilterKeeping(365, 3),
                }),
            },
        }));
    }

    [Fact]
    public void Age_policy_selects_every_version_of_the_image_recipe()
    {
        _home.HasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023",
            ["ResourceSelection"] = Match.ObjectEquals(new Dictionary<string, object>
            {
                ["Recipes"] = new object[] { new Dictionary<string, object> { ["Name"] = "golden-al2023", ["SemanticVersion"] = "x.x.x" } },
            }),
        }));
    }

    [Fact]
    public void Every_step_of_the_age_policy_carries_every_exclusion()
    {
        var exclusions = new Dictionary<string, object>
        {
            ["Amis"] = new Dictionary<string, object>
            {
                ["IsPublic"] = true,
                ["LastLaunched"] = new Dictionary<string, object> { ["Unit"] = "DAYS", ["Value"] = 30 },
                ["Regions"] = new[] { "eu-west-1" },
                ["SharedAccounts"] = new[] { "210987654321" },
                ["TagMap"] = new Dictionary<string, object> { ["retain"] = "true" },
            },
        };
        object Step(string type) => Match.ObjectLike(new Dictionary<string, object>
        {
            ["Action"] = Match.ObjectLike(new Dictionary<string, object> { ["Type"] = type }),
            ["ExclusionRules"] = Match.ObjectEquals(exclusions),
        });

        _home.HasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023",
            ["PolicyDetails"] = new[] { Step("DEPRECATE"), Step("DISABLE"), Step("DELETE") },
        }));
    }

    [Fact]
    public void A_policy_without_exclusions_renders_none()
    {
        _home.HasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-ubuntu2404",
            ["PolicyDetails"] = new object[] { Match.ObjectLike(new Dictionary<string, object> { ["ExclusionRules"] = Match.Absent() }) },
        }));
    }

    [Fact]
    public void Count_policy_deletes_all_but_the_newest_and_keeps_snapshots_when_told()
    {
        _home.HasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-ubuntu2404",
            ["Status"] = "DISABLED",
            ["Description"] = "Keeps five Ubuntu AMIs",
            ["PolicyDetails"] = new object[]
            {
                Match.ObjectEquals(new Dictionary<string, object>
                {
                    ["Action"] = new Dictionary<string, object> { ["Type"] = "DELETE", ["IncludeResources"] = new Dictionary<string, object> { ["Amis"] = true, ["Snapshots"] = false } },
                    ["Filter"] = new Dictionary<string, object> { ["Type"] = "COUNT", ["Value"] = 5 },
                }),
            },
            ["ResourceSelection"] = Match.ObjectEquals(new Dictionary<string, object>
            {
                ["TagMap"] = new Dictionary<string, object> { ["amiinfra:image"] = "ubuntu2404" },
            }),
        }));
    }

    [Fact]
    public void Warns_when_deregistered_amis_leave_their_snapshots_behind()
    {
        fixture.HomeAnnotations.HasWarning("/Home/UbuntuLifecycle", Match.StringLikeRegexp("golden-ubuntu2404: DeleteSnapshots is false"));
        Assert.Empty(fixture.HomeAnnotations.FindWarning("/Home/Al2023Lifecycle", Match.AnyValue()));
    }

    /// <summary>Fix 5: without a disable step, the AMIs that deletion keeps per superseded recipe version would stay shared: say so.</summary>
    [Fact]
    public void Warns_when_superseded_recipe_versions_would_keep_launchable_amis()
    {
        fixture.NoDisableAnnotations.HasWarning("/NoDisable/Lifecycle", Match.StringLikeRegexp("golden-bastion: the delete step keeps the newest 2 AMI\\(s\\) of every recipe version"));
        Assert.Empty(fixture.HomeAnnotations.FindWarning("/Home/Al2023Lifecycle", Match.AnyValue()));
    }

    [Fact]
    public void Default_description_summarizes_the_rules()
    {
        _home.HasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023",
            ["Description"] = "Retires the AMIs of golden-al2023: deprecate after 90 days, disable after 180 days, delete after 365 days; deletion by age keeps the newest 3 of each recipe version; snapshots are deleted with their AMIs.",
        }));
    }

    /// <summary>
    /// Retention windows: Image Builder's count and retain-at-least hold per recipe version, so every step is an age filter
    /// (a count step one day old) and the AMIs in the step's window, tagged amiinfra:retain-step, are excluded.
    /// </summary>
    [Fact]
    public void With_retention_windows_every_step_is_by_age_and_excludes_its_retention_tag()
    {
        object Step(string type, int days, string tag) => Match.ObjectEquals(new Dictionary<string, object>
        {
            ["Action"] = new Dictionary<string, object> { ["Type"] = type, ["IncludeResources"] = type == "DELETE" ? new Dictionary<string, object> { ["Amis"] = true, ["Snapshots"] = true } : new Dictionary<string, object> { ["Amis"] = true } },
            ["Filter"] = AgeFilter(days),
            ["ExclusionRules"] = new Dictionary<string, object>
            {
                ["Amis"] = new Dictionary<string, object>
                {
                    ["LastLaunched"] = new Dictionary<string, object> { ["Unit"] = "DAYS", ["Value"] = 14 },
                    ["TagMap"] = new Dictionary<string, object> { [tag] = "true", ["retain"] = "true" },
                },
            },
        });

        fixture.Windows.HasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023",
            ["PolicyDetails"] = new[]
            {
                Step("DEPRECATE", 30, "amiinfra:retain-deprecate"),
                Step("DISABLE", 90, "amiinfra:retain-disable"),
                Step("DELETE", 1, "amiinfra:retain-delete"),
            },
        }));
        var text = System.Text.Json.JsonSerializer.Serialize(fixture.Windows.ToJSON());
        Assert.DoesNotContain("RetainAtLeast", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"COUNT\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void With_retention_windows_a_policy_without_declared_exclusions_still_excludes_the_retention_tag_and_ages_over_1000_days_go_in_weeks()
    {
        fixture.Windows.HasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-bastion",
            ["PolicyDetails"] = new object[]
            {
                Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Filter"] = AgeFilter(30),
                    ["ExclusionRules"] = Match.ObjectEquals(new Dictionary<string, object> { ["Amis"] = new Dictionary<string, object> { ["TagMap"] = new Dictionary<string, object> { ["amiinfra:retain-deprecate"] = "true" } } }),
                }),
                Match.ObjectLike(new Dictionary<string, object>
                {
                    // 1400 days: Image Builder takes at most 1000 of a unit, and 1400 days are exactly 200 weeks.
                    ["Filter"] = Match.ObjectEquals(new Dictionary<string, object> { ["Type"] = "AGE", ["Value"] = 200, ["Unit"] = "WEEKS" }),
                    ["ExclusionRules"] = Match.ObjectEquals(new Dictionary<string, object> { ["Amis"] = new Dictionary<string, object> { ["TagMap"] = new Dictionary<string, object> { ["amiinfra:retain-delete"] = "true" } } }),
                }),
            },
        }));
    }

    [Fact]
    public void With_retention_windows_the_description_states_the_windows_and_no_per_version_warning_is_given()
    {
        fixture.Windows.HasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023",
            ["Description"] = "Retires the AMIs of golden-al2023: deprecate after 30 days but never the newest 2, disable after 90 days but never the newest 2, delete all but the newest 5 (available AMIs of the image in each region and account, across recipe versions, tagged amiinfra:retain-<step> by the retention marker); snapshots are deleted with their AMIs.",
        }));

        // Without a disable step, nothing of a superseded recipe version is kept by Image Builder's per-version counting.
        Assert.Empty(fixture.WindowsAnnotations.FindWarning("/Windows/BastionLifecycle", Match.AnyValue()));
    }

    [Fact]
    public void Recycle_bin_keeps_the_factory_amis_selected_by_the_factory_tag()
    {
        _home.HasResourceProperties("AWS::Rbin::Rule", Match.ObjectLike(new Dictionary<string, object>
        {
            ["ResourceType"] = "EC2_IMAGE",
            ["RetentionPeriod"] = new Dictionary<string, object> { ["RetentionPeriodValue"] = 14, ["RetentionPeriodUnit"] = "DAYS" },
            ["ResourceTags"] = new object[] { new Dictionary<string, object> { ["ResourceTagKey"] = "amiinfra:factory", ["ResourceTagValue"] = "golden" } },
        }));
    }

    [Fact]
    public void Recycle_bin_keeps_image_builder_snapshots_at_least_as_long_as_amis()
    {
        _home.HasResourceProperties("AWS::Rbin::Rule", Match.ObjectLike(new Dictionary<string, object>
        {
            ["ResourceType"] = "EBS_SNAPSHOT",
            ["RetentionPeriod"] = new Dictionary<string, object> { ["RetentionPeriodValue"] = 21, ["RetentionPeriodUnit"] = "DAYS" },
            ["ResourceTags"] = new object[]
            {
                new Dictionary<string, object> { ["ResourceTagKey"] = "CreatedBy", ["ResourceTagValue"] = "EC2 Image Builder" },
                new Dictionary<string, object> { ["ResourceTagKey"] = "amiinfra:factory", ["ResourceTagValue"] = "golden" },
            },
        }));
    }

    [Fact]
    public void Recycle_bin_rules_are_tag_level_and_carry_the_given_tags()
    {
        _home.ResourceCountIs("AWS::Rbin::Rule", 2);
        _home.AllResourcesProperties("AWS::Rbin::Rule", Match.ObjectLike(new Dictionary<string, object>
        {
            ["ResourceTags"] = Match.AnyValue(),
            ["Tags"] = new object[] { new Dictionary<string, object> { ["Key"] = "team", ["Value"] = "platform" } },
        }));
    }

    [Fact]
    public void Recycle_bin_in_another_region_keeps_snapshots_as_long_as_amis_by_default()
    {
        fixture.Regional.ResourceCountIs("AWS::Rbin::Rule", 2);
        fixture.Regional.AllResourcesProperties("AWS::Rbin::Rule", Match.ObjectLike(new Dictionary<string, object>
        {
            ["RetentionPeriod"] = new Dictionary<string, object> { ["RetentionPeriodValue"] = 30, ["RetentionPeriodUnit"] = "DAYS" },
            ["Tags"] = Match.Absent(),
        }));
    }

    [Fact]
    public void Cross_account_role_has_the_name_image_builder_requires_and_trusts_the_factory_account_only()
    {
        fixture.Target.HasResourceProperties("AWS::IAM::Role", Match.ObjectLike(new Dictionary<string, object>
        {
            ["RoleName"] = "Ec2ImageBuilderCrossAccountLifecycleAccess",
            ["AssumeRolePolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["Action"] = "sts:AssumeRole",
                        ["Effect"] = "Allow",
                        ["Principal"] = new Dictionary<string, object> { ["Service"] = "imagebuilder.amazonaws.com" },
                        ["Condition"] = new Dictionary<string, object>
                        {
                            ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = "111122223333" },
                            ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = "arn:*:imagebuilder:*:*:image/*/*/*" },
                        },
                    },
                },
            }),
        }));
    }
}
