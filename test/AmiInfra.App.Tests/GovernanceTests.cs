using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AmiInfra.Declaration;

namespace AmiInfra.App.Tests;

/// <summary>The governance example (controls everywhere, copies retired) and the sharing example (no governance), synthesized once.</summary>
public sealed class GovernanceFixture
{
    public Synthesized Governed { get; } = Synthesized.From(FactoryLoader.Load(Repository.Path("examples", "governance", "factory.json")));

    public Synthesized Ungoverned { get; } = Synthesized.From(FactoryLoader.Load(Repository.Path("examples", "organization-sharing", "factory.json")));
}

/// <summary>
/// Where the account controls for AMIs go: every regional stack of the factory account, and every target account
/// in every distribution region through the StackSet; and the lifecycle role that puts the target accounts' copies
/// in reach of the factory's lifecycle policies.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed partial class GovernanceTests(GovernanceFixture fixture) : IClassFixture<GovernanceFixture>
{
    private static JsonObject StackSet(Synthesized synth) =>
        synth.Resources("AWS::CloudFormation::StackSet").Single().Resource["Properties"]!.AsObject();

    private static JsonObject StackSetTemplate(Synthesized synth) =>
        JsonNode.Parse((string)StackSet(synth)["TemplateBody"]!)!.AsObject();

    private static JsonObject Resource(JsonObject template, string logicalId) => template["Resources"]![logicalId]!.AsObject();

    [Theory]
    [InlineData("golden-region-us-east-1")]
    [InlineData("golden-region-eu-west-1")]
    public void Every_distribution_region_of_the_factory_account_gets_the_declared_controls(string stack)
    {
        var template = fixture.Governed.Templates[stack];
        Assert.Equal("block-all-sharing", (string?)Resource(template, "SnapshotBlockPublicAccess")["Properties"]!["State"]);
        Assert.Equal("block-new-sharing", (string?)Resource(template, "ImageBlockPublicAccess")["Properties"]!["State"]);
        var key = fixture.Governed.Resources("AWS::KMS::Key").Single(k => k.Stack == stack).LogicalId;
        Assert.Equal(key, (string?)Resource(template, "EbsEncryptionByDefault")["Properties"]!["DefaultKey"]!["Fn::GetAtt"]![0]);
        var allowed = Resource(template, "AllowedImages")["Properties"]!;
        Assert.Equal("audit-mode", (string?)allowed["Mode"]);
        Assert.Equal("123456789012", (string?)allowed["Criteria"]![0]!["Providers"]![0]);
        Assert.Equal(["amazon", "aws-marketplace"], allowed["Criteria"]![1]!["Providers"]!.AsArray().Select(p => (string)p!));
        Assert.Equal(365, (int)allowed["Criteria"]![1]!["MaxDaysSinceCreated"]!);
    }

    [Fact]
    public void The_stackset_deploys_the_consumer_controls_to_every_distribution_region_and_the_roles_to_one()
    {
        var group = StackSet(fixture.Governed)["StackInstancesGroup"]![0]!;
        Assert.Equal(["us-east-1", "eu-west-1"], group["Regions"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("ou-ab12-workload1", (string?)group["DeploymentTargets"]!["OrganizationalUnitIds"]![0]);

        var template = StackSetTemplate(fixture.Governed);
        Assert.Equal("us-east-1", (string?)template["Conditions"]!["InRolesRegion"]!["Fn::Equals"]![1]);
        Assert.Equal("InRolesRegion", (string?)Resource(template, "DistributionRole")["Condition"]);
        Assert.Equal("InRolesRegion", (string?)Resource(template, "LifecycleRole")["Condition"]);
        foreach (var control in new[] { "SnapshotBlockPublicAccess", "ImageBlockPublicAccess", "EbsEncryptionByDefault", "AllowedImages", "AccountControlsFunction", "AccountControlsRole", "AccountControlsLogs" })
        {
            // In every region; not in the factory account, should it be in a target OU (its regional stacks set its controls).
            Assert.Equal("NotFactoryAccount", (string?)Resource(template, control)["Condition"]);
        }

        Assert.Equal("FactoryAccountId", (string?)template["Conditions"]!["NotFactoryAccount"]!["Fn::Not"]![0]!["Fn::Equals"]![1]!["Ref"]);
        Assert.Null(Resource(template, "AmiInfraTargetAccount")["Condition"]);

        // Consumers get a default EBS key of their own (targetAccountEbsKey stackset-key), never the factory's; Allowed AMIs
        // let them launch the factory's AMIs and the allowed providers'.
        Assert.Equal("EbsDefaultKey", (string?)Resource(template, "EbsEncryptionByDefault")["Properties"]!["DefaultKey"]!["Fn::GetAtt"]![0]);
        Assert.Equal("alias/amiinfra/golden/ebs-default", (string?)Resource(template, "EbsDefaultKeyAlias")["Properties"]!["AliasName"]);
        Assert.Equal("NotFactoryAccount", (string?)Resource(template, "EbsDefaultKey")["Condition"]);
        var criteria = Resource(template, "AllowedImages")["Properties"]!["Criteria"]!.AsArray();
        Assert.Equal("123456789012", (string?)criteria[0]!["Providers"]![0]);
        Assert.Equal("python3.12", (string?)Resource(template, "AccountControlsFunction")["Properties"]!["Runtime"]);
        Assert.Contains("def handler(event, context):", (string)Resource(template, "AccountControlsFunction")["Properties"]!["Code"]!["ZipFile"]!, StringComparison.Ordinal);
    }

    /// <summary>
    /// Without governance the StackSet sets no account controls; with release verification on it spans the regions the
    /// copies land in, each of which forwards the account's new AMIs to the factory (the roles stay in the roles' region).
    /// </summary>
    [Fact]
    public void Without_governance_the_stackset_has_no_controls_and_spans_the_regions_copies_land_in()
    {
        Assert.Equal(["us-east-1", "eu-west-1", "ap-southeast-2"], StackSet(fixture.Ungoverned)["StackInstancesGroup"]![0]!["Regions"]!.AsArray().Select(r => (string)r!));
        var template = StackSetTemplate(fixture.Ungoverned);
        Assert.Equal(["InRolesRegion", "NotFactoryAccount", "ForwardsNewAmis"], template["Conditions"]!.AsObject().Select(c => c.Key));
        // Only the target account (444455556666) forwards its new AMIs: the other accounts of the OU get the role alone.
        Assert.Contains("444455556666", template["Conditions"]!["ForwardsNewAmis"]!.ToJsonString(), StringComparison.Ordinal);
        // The distribution role, and what the release verification needs in the accounts (its forwarding rule is regional).
        Assert.Equal(["DistributionRole", "ReleaseTargetRole", "ReleaseInstanceRole", "ReleaseInstanceProfile", "AmiInfraTargetAccount", "ReleaseForwardRole", "ReleaseForwardRule"], template["Resources"]!.AsObject().Select(r => r.Key));
        Assert.DoesNotContain(fixture.Ungoverned.Resources(), r => ((string)r.Resource["Type"]!).StartsWith("Custom::AmiInfra", StringComparison.Ordinal));
    }

    /// <summary>
    /// With release verification on (the default), the declared launch permissions are granted by each region's
    /// verification once a copy passed, not by the distribution as the copy lands: no consumer can launch an unverified copy.
    /// </summary>
    [Fact]
    public void Declared_launch_permissions_are_granted_after_verification_not_by_the_distribution()
    {
        var distributions = fixture.Ungoverned.Resources().Where(r => (string?)r.Resource["Type"] == "AWS::ImageBuilder::DistributionConfiguration").ToList();
        Assert.NotEmpty(distributions);
        Assert.All(distributions, d => Assert.DoesNotContain("LaunchPermissionConfiguration", d.Resource.ToJsonString(), StringComparison.Ordinal));

        var machines = fixture.Ungoverned.Resources().Where(r => (string?)r.Resource["Type"] == "AWS::StepFunctions::StateMachine"
            && ((string?)r.Resource["Properties"]!["StateMachineName"])?.EndsWith("-release-verify", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(3, machines.Count);
        Assert.All(machines, m =>
        {
            var states = JsonNode.Parse((string)m.Resource["Properties"]!["DefinitionString"]!)!["States"]!.AsObject();
            var share = states.Where(s => s.Key.StartsWith("Configure ", StringComparison.Ordinal)).Select(s => s.Value!["Result"]!["share"]!.ToJsonString()).First();
            Assert.Contains("\"UserId\":\"111122223333\"", share, StringComparison.Ordinal);
            Assert.Contains("ou-ab12-workload1", share, StringComparison.Ordinal);
            Assert.Equal("modifyImageAttribute", ((string)states["Share"]!["Resource"]!).Split(':')[^1]);
        });
    }

    /// <summary>The example rebuilds its image on a new CVE of high severity or above: a rule on Image Builder's event starts the pipeline.</summary>
    [Fact]
    public void A_new_high_or_critical_cve_starts_the_images_pipeline()
    {
        var rule = fixture.Ungoverned.Resources().Single(r => (string?)r.Resource["Type"] == "AWS::Events::Rule" && (string?)r.Resource["Properties"]!["Name"] == "golden-al2023-cve").Resource["Properties"]!;
        Assert.Equal("EC2 Image Builder CVE Detected", (string?)rule["EventPattern"]!["detail-type"]![0]);
        var severities = rule["EventPattern"]!["detail"]!["$or"]!.AsArray().Select(o => o!["finding-severity-counts"]!.AsObject().Single().Key).ToList();
        Assert.Equal(["critical", "high"], severities);
        Assert.Equal("Rebuild", (string?)rule["Targets"]![0]!["Id"]);
        var machine = fixture.Ungoverned.Resources().Single(r => (string?)r.Resource["Properties"]!["StateMachineName"] == "golden-al2023-cve-rebuild").Resource;
        Assert.Contains("startImagePipelineExecution", machine["Properties"]!.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// The consumer launch template the example declares in eu-west-1 (account 111122223333, which the copies are shared
    /// with) is updated by the verification of that region through the target role there, which the StackSet deploys.
    /// </summary>
    [Fact]
    public void A_consumers_launch_template_is_updated_after_verification_through_the_target_role_of_its_account()
    {
        var role = fixture.Ungoverned.Resources().Single(r => r.Stack == "golden-region-eu-west-1" && (string?)r.Resource["Properties"]!["RoleName"] == "golden-release-sfn-eu-west-1").Resource;
        var assume = role["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray().Single(st => st!["Action"]!.ToJsonString().Contains("sts:AssumeRole", StringComparison.Ordinal))!;
        Assert.Contains(":iam::111122223333:role/golden-release-target", assume["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        var target = StackSetTemplate(fixture.Ungoverned)["Resources"]!["ReleaseTargetRole"]!;
        Assert.Contains("ec2:CreateLaunchTemplateVersion", target.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A target account's copy is in scope of the image's lifecycle policy: the policy selects every version of the
    /// image's recipe; the distribution copies each build into the target account; the StackSet puts
    /// Ec2ImageBuilderCrossAccountLifecycleAccess into the accounts of the OU holding it, trusting Image Builder only
    /// on behalf of the factory account and for an image ARN that the recipe's images have; and its policy is the
    /// lifecycle execution policy, which acts on what carries CreatedBy: EC2 Image Builder, as Image Builder's copies do.
    /// </summary>
    [Fact]
    public void A_target_account_copy_is_in_scope_of_the_lifecycle_policy()
    {
        var synth = fixture.Governed;
        var policy = synth.Resources("AWS::ImageBuilder::LifecyclePolicy").Single().Resource["Properties"]!;
        var selection = policy["ResourceSelection"]!["Recipes"]![0]!;
        Assert.Equal(("golden-al2023", "x.x.x"), ((string)selection["Name"]!, (string)selection["SemanticVersion"]!));

        var recipe = synth.Resources("AWS::ImageBuilder::ImageRecipe").Single().Resource["Properties"]!;
        Assert.Equal("golden-al2023", (string?)recipe["Name"]);
        var distribution = synth.Resources("AWS::ImageBuilder::DistributionConfiguration").Single().Resource["Properties"]!;
        Assert.All(distribution["Distributions"]!.AsArray(), d => Assert.Equal("444455556666", (string?)d!["AmiDistributionConfiguration"]!["TargetAccountIds"]![0]));

        var role = Resource(StackSetTemplate(synth), "LifecycleRole")["Properties"]!;
        Assert.Equal("Ec2ImageBuilderCrossAccountLifecycleAccess", (string?)role["RoleName"]);
        var trust = role["AssumeRolePolicyDocument"]!["Statement"]![0]!;
        Assert.Equal("imagebuilder.amazonaws.com", (string?)trust["Principal"]!["Service"]);
        Assert.Equal("FactoryAccountId", (string?)trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]!["Ref"]);
        Assert.Equal("123456789012", StackSet(synth)["Parameters"]!.AsArray().Single(p => (string)p!["ParameterKey"]! == "FactoryAccountId")!["ParameterValue"]!.GetValue<string>());
        var imageArn = $"arn:aws:imagebuilder:us-east-1:123456789012:image/golden-al2023/{(string)recipe["Version"]!}/1";
        Assert.Matches(Glob((string)trust["Condition"]!["ArnLike"]!["aws:SourceArn"]!), imageArn);
        Assert.EndsWith(":iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy", (string)role["ManagedPolicyArns"]![0]!["Fn::Sub"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void The_targets_stack_says_what_the_stackset_puts_into_the_accounts()
    {
        Assert.Equal(
            "AmiInfra factory golden: the StackSet that puts the Image Builder distribution role, the lifecycle role, the retention marker's role and the account controls for AMIs with a default EBS key of the account's own into every account of the target OUs.",
            (string?)fixture.Governed.Templates["golden-targets"]["Description"]);
        Assert.Equal(
            "AmiInfra factory golden: the StackSet that puts the Image Builder distribution role into every account of the target OUs.",
            (string?)fixture.Ungoverned.Templates["golden-targets"]["Description"]);
        Assert.Contains("the account controls for AMIs", (string)StackSet(fixture.Governed)["Description"]!, StringComparison.Ordinal);
    }

    /// <summary>An account leaving the target OUs keeps its stack by default (its controls stay); onAccountRemoval "delete" deletes it.</summary>
    [Fact]
    public void An_account_leaving_the_target_ous_keeps_its_stack_unless_declared_otherwise()
    {
        Assert.Equal("retain", fixture.Governed.Factory.Organization!.OnAccountRemoval);
        Assert.True((bool)StackSet(fixture.Governed)["AutoDeployment"]!["RetainStacksOnAccountRemoval"]!);
        Assert.True((bool)StackSet(fixture.Governed)["AutoDeployment"]!["Enabled"]!);

        var deleting = fixture.Governed.Factory with { Organization = fixture.Governed.Factory.Organization with { OnAccountRemoval = "delete" } };
        var stack = new AmiInfra.App.Stacks.TargetsStack(new Amazon.CDK.App(), deleting);
        Amazon.CDK.Assertions.Template.FromStack(stack).HasResourceProperties("AWS::CloudFormation::StackSet", new Dictionary<string, object>
        {
            ["AutoDeployment"] = new Dictionary<string, object> { ["Enabled"] = true, ["RetainStacksOnAccountRemoval"] = false },
        });
    }

    /// <summary>targetAccountEbsKey: the target accounts' default EBS key as declared; left out, each account keeps its own, with a warning.</summary>
    [Fact]
    public void The_target_accounts_default_ebs_key_is_the_declared_one()
    {
        var factory = fixture.Governed.Factory;
        string? DefaultKey(AmiInfra.Declaration.TargetAccountEbsKey? key) =>
            AmiInfra.App.Stacks.DeclaredAccountControls.ForTargetAccounts(factory with { Governance = factory.Governance with { TargetAccountEbsKey = key } }).EbsDefaultKey;
        Assert.Null(DefaultKey(null));
        Assert.Null(DefaultKey(AmiInfra.Declaration.TargetAccountEbsKey.Keep));
        Assert.Equal("aws-managed", DefaultKey(AmiInfra.Declaration.TargetAccountEbsKey.AwsManaged));
        Assert.Null(DefaultKey(AmiInfra.Declaration.TargetAccountEbsKey.StackSetKey));
        Assert.Equal("alias/amiinfra/golden/ebs-default", AmiInfra.App.Stacks.DeclaredAccountControls.TargetAccountEbsKeyAlias(factory));
        Assert.DoesNotContain(factory.Warnings, w => w.StartsWith("governance.targetAccountEbsKey", StringComparison.Ordinal));

        var many = FactoryLoader.Load(Repository.Path("test", "AmiInfra.App.Tests", "GoodDeclarations", "governance-many-regions", "factory.json"));
        Assert.Contains(many.Warnings, w => w.StartsWith("governance.targetAccountEbsKey: the target accounts get EBS encryption by default and keep their default key", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_retirement_the_target_accounts_get_no_lifecycle_role()
    {
        Assert.Null(StackSetTemplate(fixture.Ungoverned)["Resources"]!["LifecycleRole"]);
    }

    [Fact]
    public void The_guardrails_pass_the_governed_factory()
    {
        // Synthesis ran the guardrails: the account-controls role's "*" holds account attributes only (AMI-016).
        Assert.Contains(fixture.Governed.Resources("AWS::IAM::Role"), r => r.LogicalId == "AccountControlsRole");
        var errors = fixture.Governed.Manifest["artifacts"]!.AsObject()
            .SelectMany(a => a.Value!["metadata"]?.AsObject().SelectMany(m => m.Value!.AsArray()) ?? [])
            .Where(entry => (string?)entry!["type"] == "aws:cdk:error")
            .Select(entry => entry!["data"]!.ToJsonString())
            .ToList();
        Assert.Empty(errors);
    }

    /// <summary>An IAM ArnLike pattern as a regex: * and ? within the ARN.</summary>
    private static Regex Glob(string pattern) => new("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$");
}
