using System.Text.Json.Nodes;
using AmiInfra.Declaration;

namespace AmiInfra.App.Tests;

/// <summary>The two sharing examples, synthesized once: one from a delegated administrator, one from the management account with its own VPC.</summary>
public sealed class FirstDeployFixture
{
    public Synthesized Sharing { get; } = Synthesized.From(FactoryLoader.Load(Repository.Path("examples", "organization-sharing", "factory.json")));

    public Synthesized LandingZone { get; } = Synthesized.From(FactoryLoader.Load(Repository.Path("examples", "landing-zone", "factory.json")));
}

/// <summary>
/// What AWS needs at run time, read in the synthesized templates of the examples: where the StackSet is created
/// from, which parameters Image Builder writes, which keys the target accounts' copies read, the launch templates
/// the distribution role may update, the build network.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class FirstDeployTests(FirstDeployFixture fixture) : IClassFixture<FirstDeployFixture>
{
    private static string Environment(Synthesized synth, string stack) =>
        (string)synth.Manifest["artifacts"]![stack]!["environment"]!;

    private static JsonObject StackSet(Synthesized synth) =>
        synth.Resources("AWS::CloudFormation::StackSet").Single().Resource["Properties"]!.AsObject();

    private static JsonObject RoleTemplate(Synthesized synth) =>
        JsonNode.Parse((string)StackSet(synth)["TemplateBody"]!)!["Resources"]!["DistributionRole"]!.AsObject();

    /// <summary>Fix 1: by default the factory account creates the StackSet as a registered delegated administrator.</summary>
    [Fact]
    public void Targets_stack_defaults_to_a_delegated_administrator_in_the_factory_account()
    {
        Assert.Equal("aws://123456789012/us-east-1", Environment(fixture.Sharing, "golden-targets"));
        Assert.Equal("DELEGATED_ADMIN", (string?)StackSet(fixture.Sharing)["CallAs"]);
        Assert.Equal("SERVICE_MANAGED", (string?)StackSet(fixture.Sharing)["PermissionModel"]);
    }

    /// <summary>Fix 1: from the management account, the targets stack is deployed there and calls as SELF.</summary>
    [Fact]
    public void Targets_stack_from_the_management_account_is_deployed_there_and_calls_as_self()
    {
        Assert.Equal("aws://999988887777/eu-central-1", Environment(fixture.LandingZone, "golden-targets"));
        Assert.Equal("SELF", (string?)StackSet(fixture.LandingZone)["CallAs"]);
        Assert.Equal("aws://123456789012/eu-central-1", Environment(fixture.LandingZone, "golden-factory"));
    }

    /// <summary>Fix 2: every output parameter is one Image Builder's service-linked role may put.</summary>
    [Fact]
    public void Output_parameters_are_under_the_path_the_service_linked_role_may_write()
    {
        var names = new[] { fixture.Sharing, fixture.LandingZone }
            .SelectMany(s => s.Resources("AWS::ImageBuilder::DistributionConfiguration"))
            .SelectMany(d => d.Resource["Properties"]!["Distributions"]!.AsArray())
            .SelectMany(d => d!["SsmParameterConfigurations"]?.AsArray() ?? [])
            .Select(p => (string)p!["ParameterName"]!)
            .ToList();
        // With release verification on (the default), the verification writes the latest parameter, not the distribution.
        var promoted = new[] { fixture.Sharing, fixture.LandingZone }
            .SelectMany(s => s.Resources("AWS::StepFunctions::StateMachine"))
            .SelectMany(m => System.Text.Json.Nodes.JsonNode.Parse((string)m.Resource["Properties"]!["DefinitionString"]!)!["States"]!.AsObject())
            .Where(state => state.Key.StartsWith("Configure ", StringComparison.Ordinal))
            .Select(state => (string)state.Value!["Result"]!["parameter"]!)
            .ToList();
        names.AddRange(promoted);
        Assert.NotEmpty(promoted);
        Assert.All(names, n => Assert.StartsWith("/imagebuilder/", n, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Sharing.Resources("AWS::ImageBuilder::ImagePipeline"), p => p.Resource["Properties"]!["ExecutionRole"] is not null);
    }

    /// <summary>Fix 3: the build key, which encrypts what target accounts copy from, lets their distribution role read it.</summary>
    [Fact]
    public void Build_key_lets_the_target_accounts_distribution_role_read_the_build_output()
    {
        var key = fixture.Sharing.Resources("AWS::KMS::Key").Single(k => k.Stack == "golden-factory").Resource;
        var statements = key["Properties"]!["KeyPolicy"]!["Statement"]!.AsArray();
        var read = statements.Single(s => (string?)s!["Sid"] == "ReadBuildOutputForTargetAccountCopies")!;
        Assert.Equal(["kms:Decrypt", "kms:DescribeKey", "kms:ReEncryptFrom"], read["Action"]!.AsArray().Select(a => (string)a!));
        Assert.Contains(":iam::444455556666:role/EC2ImageBuilderDistributionCrossAccountRole", read["Condition"]!["ArnEquals"]!["aws:PrincipalArn"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.NotNull(read["Condition"]!["StringLike"]!["kms:ViaService"]);
        Assert.DoesNotContain(statements, s => (string?)s!["Sid"] == "AllowEventBridgeToNotify");
    }

    /// <summary>Fix 4: a launch template in a target account gets the role with the launch-template permissions there.</summary>
    [Fact]
    public void Distribution_role_may_update_launch_templates_when_one_is_in_another_account()
    {
        var policies = RoleTemplate(fixture.LandingZone)["Properties"]!["Policies"]!.AsArray().Select(p => (string)p!["PolicyName"]!).ToList();
        Assert.Equal(["UseFactoryKeys", "UpdateLaunchTemplates"], policies);
        Assert.Equal(["UseFactoryKeys", "UpdateLaunchTemplates"], RoleTemplate(fixture.Sharing)["Properties"]!["Policies"]!.AsArray().Select(p => (string)p!["PolicyName"]!));
    }

    /// <summary>Fix 4: a factory with a launch template in another account deploys the role even without target accounts.</summary>
    [Fact]
    public void Launch_templates_in_another_account_alone_need_the_targets_stack()
    {
        var factory = FactoryLoader.Load(Repository.Path("examples", "organization-sharing", "factory.json"));
        var withoutTargets = factory with
        {
            Images = factory.Images.Select(i => i with { Distribution = i.Distribution with { TargetAccounts = [] } }).ToList(),
        };
        Assert.True(AmiInfra.App.Stacks.TargetsStack.IsNeeded(withoutTargets));
        Assert.False(AmiInfra.App.Stacks.TargetsStack.IsNeeded(Declarations.Default()));
    }

    /// <summary>Fix 8: consumers need the key ARN to grant their Auto Scaling role (CreateGrant takes no alias of another account).</summary>
    [Fact]
    public void Regional_stacks_output_the_key_arn_consumers_grant_on()
    {
        foreach (var region in new[] { "us-east-1", "eu-west-1", "ap-southeast-2" })
        {
            var output = fixture.Sharing.Templates[$"golden-region-{region}"]["Outputs"]!["AmiKeyArn"]!;
            Assert.Equal("Arn", (string?)output["Value"]!["Fn::GetAtt"]![1]);
        }
    }

    /// <summary>Fix 7: network factory-vpc puts the build instances in the factory's own VPC.</summary>
    [Fact]
    public void Factory_vpc_holds_the_build_instances()
    {
        var factory = fixture.LandingZone.Templates["golden-factory"]["Resources"]!.AsObject();
        var subnet = factory.Single(r => (string?)r.Value!["Type"] == "AWS::EC2::Subnet" && r.Key.Contains("Private", StringComparison.Ordinal)).Key;
        var configuration = factory.Single(r => (string?)r.Value!["Type"] == "AWS::ImageBuilder::InfrastructureConfiguration").Value!;
        Assert.Equal(subnet, (string?)configuration["Properties"]!["SubnetId"]!["Ref"]);
        Assert.Single(factory, r => (string?)r.Value!["Type"] == "AWS::EC2::NatGateway");

        var sharing = fixture.Sharing.Templates["golden-factory"]["Resources"]!.AsObject();
        Assert.DoesNotContain(sharing, r => ((string)r.Value!["Type"]!).StartsWith("AWS::EC2::", StringComparison.Ordinal));
        var defaultVpc = sharing.Single(r => (string?)r.Value!["Type"] == "AWS::ImageBuilder::InfrastructureConfiguration").Value!;
        Assert.Null(defaultVpc["Properties"]!["SubnetId"]);
    }

    /// <summary>Retention windows: no lifecycle policy counts per recipe version, with retain-at-least or a count filter.</summary>
    [Fact]
    public void No_policy_counts_per_recipe_version()
    {
        var details = fixture.LandingZone.Resources("AWS::ImageBuilder::LifecyclePolicy")
            .SelectMany(p => p.Resource["Properties"]!["PolicyDetails"]!.AsArray())
            .ToList();
        Assert.Equal(3, details.Count);
        Assert.All(details, d => Assert.Null(d!["Filter"]!["RetainAtLeast"]));
        Assert.All(details, d => Assert.Equal("AGE", (string?)d!["Filter"]!["Type"]));
    }

    /// <summary>
    /// Fix 9: no EventBridge rule repeats the builds Image Builder already sends to the topic (AVAILABLE, FAILED): the
    /// factory's rules carry only the events it does not send there, and the topic lets in only those rules.
    /// </summary>
    [Fact]
    public void Build_failures_reach_the_topic_once()
    {
        var rules = fixture.Sharing.Resources("AWS::Events::Rule").Select(r => r.Resource["Properties"]!).Where(r => (string?)r["Targets"]![0]!["Id"] is not ("Verify" or "HomeRegion" or "Rebuild")).ToList();
        Assert.DoesNotContain(rules, r => (string?)r["EventPattern"]!["detail-type"]![0] == "EC2 Image Builder Image State Change");
        var policy = fixture.Sharing.Resources("AWS::SNS::TopicPolicy").Single().Resource;
        var allows = policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Where(s => (string?)s!["Effect"] == "Allow").ToList();
        var allow = Assert.Single(allows)!;
        Assert.Equal("events.amazonaws.com", (string?)allow["Principal"]!["Service"]);
        Assert.Equal(rules.Count, allow["Condition"]!["ArnEquals"]!["aws:SourceArn"]!.AsArray().Count);
    }
}
