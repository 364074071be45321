using Amazon.CDK.Assertions;
using AmiInfra.Constructs.Governance;
using AmiInfra.Rules;

namespace AmiInfra.Constructs.Tests.Governance;

/// <summary>Two stacks: every control with the regional key as the default key, and Allowed AMIs alone. Synthesized once.</summary>
public sealed class AccountControlsFixture
{
    public const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789";

    public static readonly AccountControlsProps Everything = new()
    {
        NamePrefix = "golden",
        ImageBlockPublicAccess = true,
        SnapshotBlockPublicAccess = "block-all-sharing",
        EbsEncryptionByDefault = true,
        EbsDefaultKey = KeyArn,
        AllowedImagesMode = "audit-mode",
        AllowedImagesCriteria = [new([TestEnv.Account], [], null, null), new(["amazon", "111122223333"], ["al2023-ami-*"], 365, 30)],
    };

    public static readonly AccountControlsProps AllowedOnly = new()
    {
        NamePrefix = "golden",
        AllowedImagesMode = "enabled",
        AllowedImagesCriteria = [new([TestEnv.Account], [], null, null)],
    };

    public AccountControlsFixture()
    {
        var all = TestEnv.NewStack("Everything");
        new AccountControls(all, "Controls", Everything);
        All = Template.FromStack(all);
        var allowed = TestEnv.NewStack("AllowedOnly");
        new AccountControls(allowed, "Controls", AllowedOnly);
        Allowed = Template.FromStack(allowed);
    }

    public Template All { get; }

    public Template Allowed { get; }
}

[Collection(CdkCollection.Name)]
public sealed class AccountControlsTests(AccountControlsFixture fixture) : IClassFixture<AccountControlsFixture>
{
    [Fact]
    public void Snapshot_block_public_access_is_cloudformation_s_own_resource()
    {
        fixture.All.HasResourceProperties("AWS::EC2::SnapshotBlockPublicAccess", new Dictionary<string, object> { ["State"] = "block-all-sharing" });
        fixture.Allowed.ResourceCountIs("AWS::EC2::SnapshotBlockPublicAccess", 0);
    }

    [Fact]
    public void Each_other_control_is_a_custom_resource_of_the_function()
    {
        var token = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { AccountControls.LogicalIds.Function, "Arn" } };
        fixture.All.HasResourceProperties(AccountControls.ImageBlockPublicAccessType, new Dictionary<string, object> { ["ServiceToken"] = token, ["Control"] = "image-block-public-access", ["State"] = "block-new-sharing" });
        fixture.All.HasResourceProperties(AccountControls.EbsEncryptionByDefaultType, new Dictionary<string, object> { ["ServiceToken"] = token, ["Control"] = "ebs-encryption-by-default", ["DefaultKey"] = AccountControlsFixture.KeyArn });
        fixture.All.HasResourceProperties(AccountControls.AllowedImagesType, new Dictionary<string, object>
        {
            ["ServiceToken"] = token,
            ["Control"] = "allowed-images",
            ["Mode"] = "audit-mode",
            ["Criteria"] = new object[]
            {
                new Dictionary<string, object> { ["Providers"] = new[] { TestEnv.Account }, ["Names"] = Array.Empty<string>() },
                new Dictionary<string, object> { ["Providers"] = new[] { "amazon", "111122223333" }, ["Names"] = new[] { "al2023-ami-*" }, ["MaxDaysSinceCreated"] = 365, ["MaxDaysSinceDeprecated"] = 30 },
            },
        });
        fixture.Allowed.ResourceCountIs(AccountControls.ImageBlockPublicAccessType, 0);
        fixture.Allowed.ResourceCountIs(AccountControls.EbsEncryptionByDefaultType, 0);
    }

    [Fact]
    public void The_function_is_inline_python_on_a_pinned_runtime_with_a_deterministic_name_and_its_own_log_group()
    {
        fixture.All.HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["FunctionName"] = "golden-account-controls",
            ["Runtime"] = "python3.12",
            ["Handler"] = "index.handler",
            ["Code"] = new Dictionary<string, object> { ["ZipFile"] = AccountControls.HandlerSource },
            ["Role"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { AccountControls.LogicalIds.Role, "Arn" } },
            ["LoggingConfig"] = new Dictionary<string, object> { ["LogGroup"] = new Dictionary<string, object> { ["Ref"] = AccountControls.LogicalIds.LogGroup } },
        });
        fixture.All.HasResourceProperties("AWS::Logs::LogGroup", new Dictionary<string, object> { ["LogGroupName"] = "/aws/lambda/golden-account-controls", ["RetentionInDays"] = 90 });
        fixture.All.HasResourceProperties("AWS::IAM::Role", new Dictionary<string, object>
        {
            ["RoleName"] = new Dictionary<string, object> { ["Fn::Sub"] = "golden-account-controls-${AWS::Region}" },
        });
    }

    private static readonly string[] EveryControlAction =
    [
        "ec2:GetImageBlockPublicAccessState", "ec2:EnableImageBlockPublicAccess", "ec2:DisableImageBlockPublicAccess",
        "ec2:GetEbsEncryptionByDefault", "ec2:EnableEbsEncryptionByDefault", "ec2:DisableEbsEncryptionByDefault",
        "ec2:GetEbsDefaultKmsKeyId", "ec2:ModifyEbsDefaultKmsKeyId", "ec2:ResetEbsDefaultKmsKeyId",
        "ec2:GetAllowedImagesSettings", "ec2:EnableAllowedImagesSettings", "ec2:ReplaceImageCriteriaInAllowedImagesSettings", "ec2:DisableAllowedImagesSettings",
    ];

    private static object RoleWith(object[] actions) => new Dictionary<string, object>
    {
        ["AssumeRolePolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
        {
            ["Statement"] = new[] { new Dictionary<string, object> { ["Effect"] = "Allow", ["Principal"] = new Dictionary<string, object> { ["Service"] = "lambda.amazonaws.com" }, ["Action"] = "sts:AssumeRole" } },
        }),
        ["Policies"] = new object[]
        {
            Match.ObjectLike(new Dictionary<string, object>
            {
                ["PolicyName"] = "WriteOwnLogs",
                ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Statement"] = new[] { Match.ObjectLike(new Dictionary<string, object> { ["Action"] = new[] { "logs:CreateLogStream", "logs:PutLogEvents" }, ["Resource"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { AccountControls.LogicalIds.LogGroup, "Arn" } } }) },
                }),
            }),
            Match.ObjectLike(new Dictionary<string, object>
            {
                ["PolicyName"] = "AccountControlsForAmis",
                ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Statement"] = new[] { Match.ObjectLike(new Dictionary<string, object> { ["Effect"] = "Allow", ["Action"] = actions, ["Resource"] = "*" }) },
                }),
            }),
        },
    };

    [Fact]
    public void The_role_may_call_exactly_the_ec2_actions_of_every_control_the_function_manages_and_write_its_logs()
    {
        fixture.All.HasResourceProperties("AWS::IAM::Role", RoleWith(EveryControlAction));
    }

    /// <summary>
    /// With Allowed AMIs alone declared, the role still holds the actions of the other controls: were one of them
    /// declared before, its custom resource is deleted in the cleanup phase, after the role's update, and must restore.
    /// </summary>
    [Fact]
    public void The_role_keeps_the_actions_of_controls_no_longer_declared_so_that_their_delete_can_restore()
    {
        fixture.Allowed.HasResourceProperties("AWS::IAM::Role", RoleWith(EveryControlAction));
        Assert.Equal(EveryControlAction, AccountControls.Actions);
    }

    [Fact]
    public void Every_custom_resource_gives_cloudformation_a_service_timeout_a_minute_above_the_function_s_timeout()
    {
        fixture.All.HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object> { ["Timeout"] = 300 });
        foreach (var type in new[] { AccountControls.ImageBlockPublicAccessType, AccountControls.EbsEncryptionByDefaultType, AccountControls.AllowedImagesType })
        {
            fixture.All.HasResourceProperties(type, new Dictionary<string, object> { ["ServiceTimeout"] = 360 });
        }

        fixture.Allowed.HasResourceProperties(AccountControls.AllowedImagesType, new Dictionary<string, object> { ["ServiceTimeout"] = 360 });
        Assert.Equal(3, fixture.All.FindResources(AccountControls.ImageBlockPublicAccessType).Count + fixture.All.FindResources(AccountControls.EbsEncryptionByDefaultType).Count + fixture.All.FindResources(AccountControls.AllowedImagesType).Count);
    }

    /// <summary>What cdk-nag finds on the function and its role is acknowledged on them, with the reason, and only that.</summary>
    [Fact]
    public void The_role_s_wildcard_resource_and_the_runtime_are_acknowledged_for_cdk_nag()
    {
        static Dictionary<string, object> Suppressed(string id, string[]? appliesTo) => new()
        {
            ["cdk_nag"] = new Dictionary<string, object>
            {
                ["rules_to_suppress"] = new[] { appliesTo is null ? Match.ObjectLike(new Dictionary<string, object> { ["id"] = id, ["reason"] = Match.AnyValue() }) : Match.ObjectLike(new Dictionary<string, object> { ["id"] = id, ["applies_to"] = appliesTo }) },
            },
        };

        Assert.Single(fixture.All.FindResources("AWS::IAM::Role", new Dictionary<string, object> { ["Metadata"] = Suppressed("AwsSolutions-IAM5", ["Resource::*"]) }));
        Assert.Single(fixture.All.FindResources("AWS::Lambda::Function", new Dictionary<string, object> { ["Metadata"] = Suppressed("AwsSolutions-L1", null) }));
    }

    [Fact]
    public void Every_action_the_role_allows_is_one_the_handler_calls()
    {
        foreach (var action in AccountControls.Actions)
        {
            // The Query API action name, as the handler sends it.
            Assert.Contains($"\"{action["ec2:".Length..]}\"", AccountControls.HandlerSource, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Snapshot_block_alone_needs_no_function()
    {
        var resources = AccountControls.Render(new AccountControlsProps { NamePrefix = "golden", SnapshotBlockPublicAccess = "block-new-sharing" }, "Controls");
        Assert.Equal(["AWS::EC2::SnapshotBlockPublicAccess"], resources.Select(r => r.Definition.Type));
    }

    [Theory]
    [InlineData("NamePrefix", "golden factory")]
    [InlineData("SnapshotBlockPublicAccess", "unblocked")]
    [InlineData("AllowedImagesMode", "disabled")]
    public void Refuses_what_ec2_would_refuse(string prop, string value)
    {
        var props = prop switch
        {
            "NamePrefix" => AccountControlsFixture.AllowedOnly with { NamePrefix = value },
            "SnapshotBlockPublicAccess" => AccountControlsFixture.AllowedOnly with { SnapshotBlockPublicAccess = value },
            _ => AccountControlsFixture.AllowedOnly with { AllowedImagesMode = value },
        };
        var e = Assert.Throws<ConstructValidationException>(() => AccountControls.Render(props, "Controls"));
        Assert.Equal($"Controls.{prop}", e.Where);
    }

    [Fact]
    public void Refuses_more_criteria_than_ec2_takes()
    {
        var criteria = Enumerable.Range(0, Rules.Governance.MaxCriteria + 1).Select(_ => new AllowedImagesCriterion(["amazon"], [], null, null)).ToList();
        var e = Assert.Throws<ConstructValidationException>(() => AccountControls.Render(AccountControlsFixture.AllowedOnly with { AllowedImagesCriteria = criteria }, "Controls"));
        Assert.Equal("Controls.AllowedImagesCriteria", e.Where);
    }
}
