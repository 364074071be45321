using System.Text.Json;
using Amazon.CDK.Assertions;
using Amazon.CDK;
using AmiInfra.Constructs.Tests.Distribution;
using AmiInfra.Constructs.TargetAccounts;
using AmiInfra.Rules;

namespace AmiInfra.Constructs.Tests.TargetAccounts;

/// <summary>The target-account StackSet, synthesized once.</summary>
public sealed class TargetAccountStackSetFixture
{
    public TargetAccountStackSetFixture()
    {
        var stack = TestEnv.NewStack("Targets");
        var targets = new TargetAccountStackSet(stack, "Targets", new TargetAccountStackSetProps
        {
            StackSetName = "amiinfra-golden-distribution-role",
            FactoryAccount = TestEnv.Account,
            OrganizationalUnitIds = ["ou-ab12-cdefgh34", "r-ab12"],
            Region = "us-east-1",
        });
        Template = Template.FromStack(stack);
        RoleTemplate = JsonDocument.Parse(targets.TemplateBody).RootElement.Clone();

        // From the management account, for a factory that also updates launch templates in target accounts.
        var management = new Stack(new App(), "Management", new StackProps { Env = new Amazon.CDK.Environment { Account = ManagementAccount, Region = "us-east-1" } });
        var fromManagement = new TargetAccountStackSet(management, "Targets", new TargetAccountStackSetProps
        {
            StackSetName = "amiinfra-golden-distribution-role",
            FactoryAccount = TestEnv.Account,
            OrganizationalUnitIds = ["ou-ab12-cdefgh34"],
            Region = "us-east-1",
            Deployment = StackSets.ManagementAccount,
            ManagementAccount = ManagementAccount,
            UpdatesLaunchTemplates = true,
            WorkflowExecutionRoles = ["golden-*-workflows"],
        });
        ManagementTemplate = Template.FromStack(management);
        LaunchTemplateRoleTemplate = JsonDocument.Parse(fromManagement.TemplateBody).RootElement.Clone();

        var factory = TestEnv.NewStack("BuildKey");
        var key = new Amazon.CDK.AWS.KMS.Key(factory, "BuildKey");
        TargetAccountStackSet.AllowCopiesFrom(key, ["444455556666", "777788889999"]);
        BuildKeyTemplate = Template.FromStack(factory);
    }

    public const string ManagementAccount = "999988887777";

    public Template Template { get; }
    public JsonElement RoleTemplate { get; }
    public Template ManagementTemplate { get; }
    public JsonElement LaunchTemplateRoleTemplate { get; }
    public Template BuildKeyTemplate { get; }
}

[Collection(CdkCollection.Name)]
public sealed class TargetAccountStackSetTests(TargetAccountStackSetFixture fixture) : IClassFixture<TargetAccountStackSetFixture>
{
    private JsonElement Role => fixture.RoleTemplate.GetProperty("Resources").GetProperty("DistributionRole");

    [Fact]
    public void StackSet_is_service_managed_and_deploys_automatically_to_the_ous_in_the_home_region()
    {
        fixture.Template.ResourceCountIs("AWS::CloudFormation::StackSet", 1);
        fixture.Template.HasResourceProperties("AWS::CloudFormation::StackSet", new Dictionary<string, object>
        {
            ["StackSetName"] = "amiinfra-golden-distribution-role",
            ["PermissionModel"] = "SERVICE_MANAGED",
            ["CallAs"] = "DELEGATED_ADMIN",
            ["AutoDeployment"] = new Dictionary<string, object> { ["Enabled"] = true, ["RetainStacksOnAccountRemoval"] = false },
            ["Capabilities"] = new[] { "CAPABILITY_NAMED_IAM" },
            ["StackInstancesGroup"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["DeploymentTargets"] = new Dictionary<string, object> { ["OrganizationalUnitIds"] = new[] { "ou-ab12-cdefgh34", "r-ab12" } },
                    ["Regions"] = new[] { "us-east-1" },
                },
            },
            ["Parameters"] = new object[] { new Dictionary<string, object> { ["ParameterKey"] = "FactoryAccountId", ["ParameterValue"] = TestEnv.Account } },
        });
    }

    [Fact]
    public void Role_has_the_exact_name_image_builder_assumes()
    {
        Assert.Equal("AWS::IAM::Role", Role.GetProperty("Type").GetString());
        Assert.Equal("EC2ImageBuilderDistributionCrossAccountRole", Role.GetProperty("Properties").GetProperty("RoleName").GetString());
    }

    /// <summary>Fix 9: the role trusts only Image Builder's service-linked role of the factory account, not the whole account.</summary>
    [Fact]
    public void Role_trusts_only_image_builders_service_linked_role_in_the_factory_account()
    {
        var statement = Assert.Single(Role.GetProperty("Properties").GetProperty("AssumeRolePolicyDocument").GetProperty("Statement").EnumerateArray());
        Assert.Equal("sts:AssumeRole", statement.GetProperty("Action").GetString());
        Assert.Equal("arn:${AWS::Partition}:iam::${FactoryAccountId}:root", statement.GetProperty("Principal").GetProperty("AWS").GetProperty("Fn::Sub").GetString());
        Assert.Equal(
            "arn:${AWS::Partition}:iam::${FactoryAccountId}:role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder",
            statement.GetProperty("Condition").GetProperty("ArnEquals").GetProperty("aws:PrincipalArn").GetProperty("Fn::Sub").GetString());
    }

    /// <summary>Pipelines with workflows distribute as their execution roles: the role trusts those too, and nothing else of the account.</summary>
    [Fact]
    public void Role_trusts_the_factorys_workflow_execution_roles_when_it_has_any()
    {
        var role = fixture.LaunchTemplateRoleTemplate.GetProperty("Resources").GetProperty("DistributionRole");
        var statement = Assert.Single(role.GetProperty("Properties").GetProperty("AssumeRolePolicyDocument").GetProperty("Statement").EnumerateArray());
        var trusted = statement.GetProperty("Condition").GetProperty("ArnLike").GetProperty("aws:PrincipalArn").EnumerateArray().Select(a => a.GetProperty("Fn::Sub").GetString()).ToList();

        Assert.Equal(
            [
                "arn:${AWS::Partition}:iam::${FactoryAccountId}:role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder",
                "arn:${AWS::Partition}:iam::${FactoryAccountId}:role/golden-*-workflows",
            ],
            trusted);
        Assert.False(statement.GetProperty("Condition").TryGetProperty("ArnEquals", out _));
    }

    /// <summary>Fix 1: from the management account the StackSet calls as SELF, from a delegated administrator as DELEGATED_ADMIN.</summary>
    [Fact]
    public void StackSet_from_the_management_account_calls_as_self()
    {
        fixture.ManagementTemplate.HasResourceProperties("AWS::CloudFormation::StackSet", new Dictionary<string, object>
        {
            ["PermissionModel"] = "SERVICE_MANAGED",
            ["CallAs"] = "SELF",
        });
    }

    /// <summary>Fix 4: the role may update launch templates Image Builder created in its account, as the cross-account guide lists.</summary>
    [Fact]
    public void Role_may_update_image_builder_launch_templates_only_when_asked()
    {
        Assert.Equal(["UseFactoryKeys"], Policies(Role).Select(p => p.GetProperty("PolicyName").GetString()));

        var role = fixture.LaunchTemplateRoleTemplate.GetProperty("Resources").GetProperty("DistributionRole");
        var statements = Policies(role).Single(p => p.GetProperty("PolicyName").GetString() == "UpdateLaunchTemplates")
            .GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().ToDictionary(s => s.GetProperty("Sid").GetString()!);
        var templates = "arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:launch-template/*";

        var update = statements["NewVersionsOfImageBuilderTemplates"];
        Assert.Equal(["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"], update.GetProperty("Action").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(templates, update.GetProperty("Resource").GetProperty("Fn::Sub").GetString());
        Assert.Equal("EC2 Image Builder", update.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:ResourceTag/CreatedBy").GetString());

        var describe = statements["FindLaunchTemplates"];
        Assert.Equal("ec2:DescribeLaunchTemplates", describe.GetProperty("Action").GetString());
        Assert.Equal("*", describe.GetProperty("Resource").GetString());

        var tag = statements["TagLaunchTemplates"];
        Assert.Equal("ec2:CreateTags", tag.GetProperty("Action").GetString());
        Assert.Equal(templates, tag.GetProperty("Resource").GetProperty("Fn::Sub").GetString());
        Assert.Equal("EC2 Image Builder", tag.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:RequestTag/CreatedBy").GetString());
    }

    /// <summary>Fix 3: the key of the build output lets target accounts' distribution role read it, through EC2, and nothing more.</summary>
    [Fact]
    public void Build_key_lets_the_distribution_role_of_target_accounts_read_the_source_of_its_copy()
    {
        var roles = new[] { ":iam::444455556666:root", ":iam::777788889999:root", ":iam::444455556666:role/EC2ImageBuilderDistributionCrossAccountRole", ":iam::777788889999:role/EC2ImageBuilderDistributionCrossAccountRole" };
        fixture.BuildKeyTemplate.HasResourceProperties("AWS::KMS::Key", new Dictionary<string, object>
        {
            ["KeyPolicy"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith(
                [
                    Match.ObjectLike(new Dictionary<string, object>
                    {
                        ["Sid"] = "ReadBuildOutputForTargetAccountCopies",
                        ["Effect"] = "Allow",
                        ["Action"] = new[] { "kms:Decrypt", "kms:DescribeKey", "kms:ReEncryptFrom" },
                        ["Condition"] = Match.ObjectLike(new Dictionary<string, object>
                        {
                            ["ArnEquals"] = Match.ObjectLike(new Dictionary<string, object> { ["aws:PrincipalArn"] = Match.AnyValue() }),
                            ["StringLike"] = Match.ObjectLike(new Dictionary<string, object> { ["kms:ViaService"] = Match.AnyValue() }),
                        }),
                    }),
                    Match.ObjectLike(new Dictionary<string, object>
                    {
                        ["Sid"] = "GrantsForTargetAccountCopies",
                        ["Action"] = "kms:CreateGrant",
                        ["Condition"] = Match.ObjectLike(new Dictionary<string, object>
                        {
                            ["Bool"] = new Dictionary<string, object> { ["kms:GrantIsForAWSResource"] = "true" },
                        }),
                    }),
                ]),
            }),
        });
        var text = JsonSerializer.Serialize(fixture.BuildKeyTemplate.ToJSON());
        Assert.All(roles, r => Assert.Contains(r, text, StringComparison.Ordinal));
        Assert.DoesNotContain("kms:Encrypt", text, StringComparison.Ordinal);
        Assert.DoesNotContain("kms:GenerateDataKey", text, StringComparison.Ordinal);
    }

    private static IEnumerable<JsonElement> Policies(JsonElement role) => role.GetProperty("Properties").GetProperty("Policies").EnumerateArray();

    [Fact]
    public void Role_carries_the_aws_managed_cross_account_distribution_policy()
    {
        var arn = Assert.Single(Role.GetProperty("Properties").GetProperty("ManagedPolicyArns").EnumerateArray());
        Assert.Equal("arn:${AWS::Partition}:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess", arn.GetProperty("Fn::Sub").GetString());
    }

    [Fact]
    public void Role_may_use_only_the_factory_accounts_keys_and_grant_only_for_aws_resources()
    {
        var statements = Assert.Single(Role.GetProperty("Properties").GetProperty("Policies").EnumerateArray())
            .GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().ToDictionary(s => s.GetProperty("Sid").GetString()!);
        var keys = "arn:${AWS::Partition}:kms:*:${FactoryAccountId}:key/*";
        Assert.Equal(keys, statements["ReEncryptCopiesWithFactoryKeys"].GetProperty("Resource").GetProperty("Fn::Sub").GetString());
        Assert.Equal(keys, statements["GrantsForAwsResources"].GetProperty("Resource").GetProperty("Fn::Sub").GetString());
        Assert.Equal("true", statements["GrantsForAwsResources"].GetProperty("Condition").GetProperty("Bool").GetProperty("kms:GrantIsForAWSResource").GetString());
        Assert.DoesNotContain(statements.Values, s => s.GetProperty("Resource").ValueKind == JsonValueKind.String && s.GetProperty("Resource").GetString() == "*");
    }
}

[Collection(CdkCollection.Name)]
public sealed class TargetAccountStackSetValidationTests(ScopeFixture scope) : IClassFixture<ScopeFixture>
{
    private static readonly TargetAccountStackSetProps Valid = new()
    {
        StackSetName = "amiinfra-golden-distribution-role",
        FactoryAccount = TestEnv.Account,
        OrganizationalUnitIds = ["ou-ab12-cdefgh34"],
        Region = "us-east-1",
    };

    private ConstructValidationException Reject(TargetAccountStackSetProps props) =>
        Assert.Throws<ConstructValidationException>(() => new TargetAccountStackSet(scope.Stack, "Targets", props));

    [Fact]
    public void Rejects_a_malformed_factory_account()
    {
        Assert.Equal("Validation/Targets.FactoryAccount", Reject(Valid with { FactoryAccount = "12345" }).Where);
    }

    [Fact]
    public void Rejects_no_organizational_units()
    {
        Assert.Equal("Validation/Targets.OrganizationalUnitIds", Reject(Valid with { OrganizationalUnitIds = [] }).Where);
    }

    [Fact]
    public void Rejects_an_ou_arn_where_an_ou_id_is_expected()
    {
        var e = Reject(Valid with { OrganizationalUnitIds = [DistributionConfigurationFixture.OuArn] });
        Assert.Equal("Validation/Targets.OrganizationalUnitIds[0]", e.Where);
    }

    [Fact]
    public void Rejects_deploying_from_the_management_account_without_naming_it()
    {
        var e = Reject(Valid with { Deployment = StackSets.ManagementAccount });
        Assert.Equal("Validation/Targets.Deployment", e.Where);
    }

    [Fact]
    public void Rejects_a_delegated_administrator_that_is_the_management_account()
    {
        var e = Reject(Valid with { ManagementAccount = TestEnv.Account });
        Assert.Equal("Validation/Targets.Deployment", e.Where);
        Assert.Contains("the management account cannot be registered as a delegated administrator", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_the_management_account_mode_in_another_account()
    {
        var e = Reject(Valid with { Deployment = StackSets.ManagementAccount, ManagementAccount = "999988887777" });
        Assert.Equal("Validation/Targets.Deployment", e.Where);
    }

    [Fact]
    public void Rejects_an_unknown_region()
    {
        Assert.Equal("Validation/Targets.Region", Reject(Valid with { Region = "moon-1" }).Where);
    }

    [Fact]
    public void Rejects_a_workflow_role_name_iam_refuses()
    {
        Assert.Equal("Validation/Targets.WorkflowExecutionRoles[0]", Reject(Valid with { WorkflowExecutionRoles = ["golden workflows"] }).Where);
    }
}

[Collection(CdkCollection.Name)]
public sealed class TargetAccountStackSetPartsTests(ScopeFixture scope) : IClassFixture<ScopeFixture>
{
    private static readonly TargetAccountStackSetProps Valid = new()
    {
        StackSetName = "amiinfra-golden-distribution-role",
        FactoryAccount = TestEnv.Account,
        OrganizationalUnitIds = ["ou-ab12-cdefgh34"],
        Region = "us-east-1",
    };

    private static readonly AmiInfra.Constructs.Governance.AccountControlsProps Controls = new() { NamePrefix = "golden", ImageBlockPublicAccess = true };

    [Fact]
    public void Rejects_a_stackset_with_nothing_to_deploy()
    {
        var e = Assert.Throws<ConstructValidationException>(() => new TargetAccountStackSet(scope.Stack, "Empty", Valid with { DistributionRole = false }));
        Assert.Equal("Validation/Empty.DistributionRole", e.Where);
    }

    [Fact]
    public void Rejects_an_unknown_control_region()
    {
        var e = Assert.Throws<ConstructValidationException>(() => new TargetAccountStackSet(scope.Stack, "Moon", Valid with { AccountControls = Controls, ControlRegions = ["moon-1"] }));
        Assert.Equal("Validation/Moon.ControlRegions", e.Where);
    }

    [Fact]
    public void Rejects_a_template_body_larger_than_a_stackset_takes()
    {
        var criteria = Enumerable.Range(0, AmiInfra.Rules.Governance.MaxCriteria)
            .Select(i => new AllowedImagesCriterion([.. Enumerable.Range(0, 50).Select(a => $"{100000000000 + (i * 50) + a}")], [.. Enumerable.Range(0, 20).Select(n => $"name-{n:D2}-" + new string('x', 100))], null, null)).ToList();
        var controls = Controls with { AllowedImagesMode = "audit-mode", AllowedImagesCriteria = criteria };
        var e = Assert.Throws<ConstructValidationException>(() => new TargetAccountStackSet(scope.Stack, "Huge", Valid with { AccountControls = controls }));
        Assert.Equal("Validation/Huge.TemplateBody", e.Where);
        Assert.Contains("51,200", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Controls_alone_deploy_no_role_and_no_outputs()
    {
        var targets = new TargetAccountStackSet(scope.Stack, "ControlsOnly", Valid with { DistributionRole = false, AccountControls = Controls, ControlRegions = ["eu-west-1"] });
        var template = JsonDocument.Parse(targets.TemplateBody).RootElement;
        var resources = template.GetProperty("Resources").EnumerateObject().Select(r => r.Name).ToList();
        Assert.DoesNotContain("DistributionRole", resources);
        Assert.Contains("ImageBlockPublicAccess", resources);
        Assert.Contains("AmiInfraTargetAccount", resources);
        Assert.False(template.TryGetProperty("Outputs", out _));
        Assert.Equal("AWS::Logs::LogGroup", template.GetProperty("Resources").GetProperty("AccountControlsLogs").GetProperty("Type").GetString());
        Assert.Equal("Delete", template.GetProperty("Resources").GetProperty("AccountControlsLogs").GetProperty("DeletionPolicy").GetString());
    }

    [Fact]
    public void The_lifecycle_role_is_the_one_image_builder_looks_up_trusting_the_factory_account()
    {
        var targets = new TargetAccountStackSet(scope.Stack, "Retiring", Valid with { RetiresCopies = true });
        var role = JsonDocument.Parse(targets.TemplateBody).RootElement.GetProperty("Resources").GetProperty("LifecycleRole").GetProperty("Properties");
        Assert.Equal(AmiInfra.Constructs.Lifecycle.CrossAccountLifecycleRole.Name, role.GetProperty("RoleName").GetString());
        var condition = role.GetProperty("AssumeRolePolicyDocument").GetProperty("Statement")[0].GetProperty("Condition");
        Assert.Equal("FactoryAccountId", condition.GetProperty("StringEquals").GetProperty("aws:SourceAccount").GetProperty("Ref").GetString());
        Assert.Equal(AmiInfra.Constructs.Lifecycle.CrossAccountLifecycleRole.SourceArnPattern, condition.GetProperty("ArnLike").GetProperty("aws:SourceArn").GetString());
    }

    /// <summary>
    /// The default EBS key of the target accounts: a customer-managed key of each account and region, rotated, usable by the
    /// account only through EC2, kept when the stack goes, and the controls make it the default key by its ARN.
    /// </summary>
    [Fact]
    public void A_stackset_key_becomes_the_default_ebs_key_of_each_target_account_and_region()
    {
        var controls = Controls with { EbsEncryptionByDefault = true };
        var targets = new TargetAccountStackSet(scope.Stack, "EbsKey", Valid with { AccountControls = controls, ControlRegions = ["eu-west-1"], EbsDefaultKeyAlias = "alias/amiinfra/golden/ebs-default" });
        var resources = JsonDocument.Parse(targets.TemplateBody).RootElement.GetProperty("Resources");

        var key = resources.GetProperty("EbsDefaultKey");
        Assert.Equal("AWS::KMS::Key", key.GetProperty("Type").GetString());
        Assert.Equal("NotFactoryAccount", key.GetProperty("Condition").GetString());
        Assert.Equal("Retain", key.GetProperty("DeletionPolicy").GetString());
        Assert.Equal("Retain", key.GetProperty("UpdateReplacePolicy").GetString());
        Assert.True(key.GetProperty("Properties").GetProperty("EnableKeyRotation").GetBoolean());
        var statements = key.GetProperty("Properties").GetProperty("KeyPolicy").GetProperty("Statement").EnumerateArray().ToDictionary(s => s.GetProperty("Sid").GetString()!);
        var administer = statements["AdministerThroughIam"];
        Assert.Equal("arn:${AWS::Partition}:iam::${AWS::AccountId}:root", administer.GetProperty("Principal").GetProperty("AWS").GetProperty("Fn::Sub").GetString());
        Assert.DoesNotContain(administer.GetProperty("Action").EnumerateArray(), a => a.GetString() is "kms:Decrypt" or "kms:Encrypt" or "kms:*" || a.GetString()!.StartsWith("kms:GenerateDataKey", StringComparison.Ordinal));
        var use = statements["UseThroughEc2InThisAccount"];
        Assert.Equal("*", use.GetProperty("Principal").GetProperty("AWS").GetString());
        var condition = use.GetProperty("Condition").GetProperty("StringEquals");
        Assert.Equal("AWS::AccountId", condition.GetProperty("kms:CallerAccount").GetProperty("Ref").GetString());
        Assert.Equal("ec2.${AWS::Region}.${AWS::URLSuffix}", condition.GetProperty("kms:ViaService").GetProperty("Fn::Sub").GetString());

        var alias = resources.GetProperty("EbsDefaultKeyAlias").GetProperty("Properties");
        Assert.Equal("alias/amiinfra/golden/ebs-default", alias.GetProperty("AliasName").GetString());
        Assert.Equal("EbsDefaultKey", alias.GetProperty("TargetKeyId").GetProperty("Ref").GetString());

        var ebs = resources.GetProperty(AmiInfra.Constructs.Governance.AccountControls.LogicalIds.EbsEncryptionByDefault).GetProperty("Properties");
        Assert.Equal("EbsDefaultKey", ebs.GetProperty("DefaultKey").GetProperty("Fn::GetAtt")[0].GetString());
        Assert.Equal("Arn", ebs.GetProperty("DefaultKey").GetProperty("Fn::GetAtt")[1].GetString());
        Assert.DoesNotContain("amiinfra:stackset-ebs-key", targets.TemplateBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_stackset_key_the_target_accounts_keep_their_default_key()
    {
        var targets = new TargetAccountStackSet(scope.Stack, "KeepKey", Valid with { AccountControls = Controls with { EbsEncryptionByDefault = true } });
        var resources = JsonDocument.Parse(targets.TemplateBody).RootElement.GetProperty("Resources");
        Assert.False(resources.TryGetProperty("EbsDefaultKey", out _));
        Assert.Equal("keep", resources.GetProperty(AmiInfra.Constructs.Governance.AccountControls.LogicalIds.EbsEncryptionByDefault).GetProperty("Properties").GetProperty("DefaultKey").GetString());
    }

    [Theory]
    [InlineData(false, null, "alias/amiinfra/golden/ebs-default")]
    [InlineData(true, "aws-managed", "alias/amiinfra/golden/ebs-default")]
    [InlineData(true, null, "alias/aws/ebs")]
    public void Rejects_a_stackset_key_the_controls_cannot_use(bool encryption, string? defaultKey, string alias)
    {
        var controls = Controls with { EbsEncryptionByDefault = encryption, EbsDefaultKey = defaultKey };
        var e = Assert.Throws<ConstructValidationException>(() => new TargetAccountStackSet(scope.Stack, "BadKey", Valid with { AccountControls = controls, EbsDefaultKeyAlias = alias }));
        Assert.Equal("Validation/BadKey.EbsDefaultKeyAlias", e.Where);
    }

    /// <summary>The descriptions say what the StackSet holds, not only the distribution role.</summary>
    [Fact]
    public void Descriptions_name_every_part_of_the_template()
    {
        var targets = new TargetAccountStackSet(scope.Stack, "Described", Valid with { DistributionRole = false, RetiresCopies = true, AccountControls = Controls, ControlRegions = ["eu-west-1"] });
        var description = JsonDocument.Parse(targets.TemplateBody).RootElement.GetProperty("Description").GetString()!;
        Assert.Equal("AmiInfra target account: the lifecycle role Ec2ImageBuilderCrossAccountLifecycleAccess (the factory's lifecycle policies retire the account's copies) and the account controls for AMIs (in every region of the stack instances)", description);
        Assert.Equal($"AmiInfra: what every account of the target OUs receives from the factory account {TestEnv.Account}: {targets.Summary}", targets.Resource.Description);
        Assert.DoesNotContain("distribution role", targets.Summary, StringComparison.Ordinal);
    }

    /// <summary>The StackSet template carries the acknowledgements of the resources it deploys, as the constructs do in the app.</summary>
    [Fact]
    public void The_stackset_template_carries_the_acknowledgements_of_its_roles_and_function()
    {
        var targets = new TargetAccountStackSet(scope.Stack, "Acknowledged", Valid with { RetiresCopies = true, AccountControls = Controls, ControlRegions = ["eu-west-1"] });
        var resources = JsonDocument.Parse(targets.TemplateBody).RootElement.GetProperty("Resources");
        string[] Rules(string logicalId) => resources.GetProperty(logicalId).GetProperty("Metadata").GetProperty("cdk_nag").GetProperty("rules_to_suppress")
            .EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray();

        Assert.Equal(["AwsSolutions-IAM4"], Rules("LifecycleRole"));
        Assert.Contains("AwsSolutions-IAM4", Rules("DistributionRole"));
        Assert.Equal(["AwsSolutions-IAM5"], Rules(AmiInfra.Constructs.Governance.AccountControls.LogicalIds.Role));
        Assert.Equal(["AwsSolutions-L1"], Rules(AmiInfra.Constructs.Governance.AccountControls.LogicalIds.Function));
        Assert.False(resources.GetProperty(AmiInfra.Constructs.Governance.AccountControls.LogicalIds.LogGroup).TryGetProperty("Metadata", out _));
    }
}

[Collection(CdkCollection.Name)]
public sealed class TargetAccountTemplateTests
{
    /// <summary>Each part adds itself: what one part adds is never removed by another, and the order is stable.</summary>
    [Fact]
    public void Parts_add_themselves_account_wide_first_then_the_placeholder_then_regional_ones()
    {
        var template = new TargetAccountTemplate(["us-east-1", "eu-west-1"]);
        LifecycleRolePart.AddTo(template);
        AccountControlsPart.AddTo(template, new AmiInfra.Constructs.Governance.AccountControlsProps { NamePrefix = "golden", SnapshotBlockPublicAccess = "block-all-sharing" }, "Parts", ["us-east-1", "eu-west-1"]);
        var rendered = JsonDocument.Parse(template.Render()).RootElement;

        Assert.Equal(["LifecycleRole", "AmiInfraTargetAccount", "SnapshotBlockPublicAccess"], rendered.GetProperty("Resources").EnumerateObject().Select(r => r.Name));
        Assert.Equal("InRolesRegion", rendered.GetProperty("Resources").GetProperty("LifecycleRole").GetProperty("Condition").GetString());
        Assert.Equal("NotFactoryAccount", rendered.GetProperty("Resources").GetProperty("SnapshotBlockPublicAccess").GetProperty("Condition").GetString());
        Assert.Equal(["LifecycleRoleArn"], rendered.GetProperty("Outputs").EnumerateObject().Select(o => o.Name));
        Assert.Equal(["InRolesRegion", "NotFactoryAccount"], rendered.GetProperty("Conditions").EnumerateObject().Select(c => c.Name));
    }

    [Fact]
    public void In_one_region_roles_carry_no_condition_and_no_placeholder_is_needed()
    {
        var template = new TargetAccountTemplate(["us-east-1"]);
        DistributionRolePart.AddTo(template, updatesLaunchTemplates: false);
        var rendered = JsonDocument.Parse(template.Render()).RootElement;

        Assert.Equal(["DistributionRole"], rendered.GetProperty("Resources").EnumerateObject().Select(r => r.Name));
        Assert.False(rendered.GetProperty("Resources").GetProperty("DistributionRole").TryGetProperty("Condition", out _));
        Assert.False(rendered.TryGetProperty("Conditions", out _));
    }

    /// <summary>A part that serves only some regions of the stack instances is conditioned to them; Fn::Or takes at most 10 conditions, so longer lists nest.</summary>
    [Fact]
    public void A_part_of_fewer_regions_is_conditioned_to_them_in_groups_of_at_most_ten()
    {
        string[] all = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1"];
        var template = new TargetAccountTemplate(all);
        Assert.Equal("Own", template.InRegions("Few", all, "Own"));
        Assert.Null(template.InRegions("None", all.Reverse().ToArray(), null));

        Assert.Equal("Twelve", template.InRegions("Twelve", all[..12], null));
        Assert.Equal("One", template.InRegions("One", ["eu-west-1"], template.NotFactoryAccount()));
        var conditions = JsonDocument.Parse(template.Render()).RootElement.GetProperty("Conditions");
        var twelve = conditions.GetProperty("Twelve").GetProperty("Fn::Or");
        Assert.Equal([10, 2], twelve.EnumerateArray().Select(g => g.GetProperty("Fn::Or").GetArrayLength()));
        var one = conditions.GetProperty("One").GetProperty("Fn::And");
        Assert.Equal("eu-west-1", one[0].GetProperty("Fn::Equals")[1].GetString());
        Assert.Equal(TargetAccountTemplate.NotFactoryAccountCondition, one[1].GetProperty("Condition").GetString());
        Assert.Throws<InvalidOperationException>(() => template.InRegions("Elsewhere", ["me-south-1"], null));
    }
}
