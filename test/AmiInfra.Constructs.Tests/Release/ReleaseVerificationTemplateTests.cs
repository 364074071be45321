using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using AmiInfra.Constructs.Release;
using AmiInfra.Constructs.TargetAccounts;
using AmiInfra.Rules;

namespace AmiInfra.Constructs.Tests.Release;

/// <summary>The verification of the scenario's images with a target account, forwarding its failures to another region, its instance profile, and the target-account StackSet with the release part; synthesized once.</summary>
public sealed class ReleaseVerificationTemplateFixture
{
    public const string HomeBus = "arn:aws:events:eu-west-1:123456789012:event-bus/default";

    public ReleaseVerificationTemplateFixture()
    {
        var stack = TestEnv.NewStack("Release");
        Verification = new ReleaseVerification(stack, "Release", ReleaseVerificationScenario.Props with
        {
            TargetAccounts = ["444455556666"],
            FailuresForwardedTo = HomeBus,
        });
        _ = new ReleaseInstanceProfile(stack, "ReleaseInstance", "golden");
        Json = JsonNode.Parse(JsonSerializer.Serialize(Template.FromStack(stack).ToJSON()))!.AsObject();

        var targets = TestEnv.NewStack("Targets");
        var stackSet = new TargetAccountStackSet(targets, "Targets", new TargetAccountStackSetProps
        {
            StackSetName = "golden-distribution-targets",
            FactoryAccount = TestEnv.Account,
            OrganizationalUnitIds = ["ou-ab12-cdefgh34"],
            Region = "us-east-1",
            ReleaseFactory = "golden",
            ReleaseAccounts = ["444455556666"],
        });
        StackSetTemplate = JsonNode.Parse(stackSet.TemplateBody)!.AsObject();

        // Copies land in more regions than the account controls are set in.
        var wider = new TargetAccountStackSet(targets, "Wider", new TargetAccountStackSetProps
        {
            StackSetName = "golden-wider-targets",
            FactoryAccount = TestEnv.Account,
            OrganizationalUnitIds = ["ou-ab12-cdefgh34"],
            Region = "us-east-1",
            ReleaseFactory = "golden",
            ReleaseRegions = ["eu-west-1", "ap-southeast-2"],
            ReleaseAccounts = ["444455556666"],
            AccountControls = new AmiInfra.Constructs.Governance.AccountControlsProps { NamePrefix = "golden", SnapshotBlockPublicAccess = "block-all-sharing" },
            ControlRegions = ["eu-west-1"],
        });
        WiderTemplate = JsonNode.Parse(wider.TemplateBody)!.AsObject();
        WiderRegions = JsonNode.Parse(JsonSerializer.Serialize(Template.FromStack(targets).ToJSON()))!["Resources"]!.AsObject()
            .Select(r => r.Value!).Single(r => r["Properties"]!["StackSetName"]?.GetValue<string>() == "golden-wider-targets")["Properties"]!["StackInstancesGroup"]![0]!["Regions"]!
            .AsArray().Select(r => r!.GetValue<string>()).ToList();
    }

    public IReadOnlyList<string> WiderRegions { get; }

    public JsonObject WiderTemplate { get; }

    public ReleaseVerification Verification { get; }

    public JsonObject Json { get; }

    public JsonObject StackSetTemplate { get; }

    public IEnumerable<JsonObject> Resources(string type) =>
        Json["Resources"]!.AsObject().Select(r => r.Value!.AsObject()).Where(r => r["Type"]!.GetValue<string>() == type);
}

[Collection(CdkCollection.Name)]
public sealed class ReleaseVerificationTemplateTests(ReleaseVerificationTemplateFixture fixture) : IClassFixture<ReleaseVerificationTemplateFixture>
{
    private JsonObject StateMachine => Assert.Single(fixture.Resources("AWS::StepFunctions::StateMachine"));

    private JsonObject Role => fixture.Resources("AWS::IAM::Role").Single(r => r["Properties"]!["RoleName"]?.GetValue<string>() == Releases.StateMachineRoleName("golden", "us-east-1"));

    private static IEnumerable<JsonObject> Statements(JsonObject role) =>
        role["Properties"]!["Policies"]!.AsArray().SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray()).Select(s => s!.AsObject());

    private static IEnumerable<string> Strings(JsonNode? node) => node is JsonArray a ? a.Select(x => x!.ToJsonString().Trim('"')) : node is null ? [] : [node.ToJsonString().Trim('"')];

    [Fact]
    public void The_state_machine_has_the_name_the_cli_starts_and_its_regional_role()
    {
        Assert.Equal("golden-release-verify", StateMachine["Properties"]!["StateMachineName"]!.GetValue<string>());
        Assert.Equal("STANDARD", StateMachine["Properties"]!["StateMachineType"]!.GetValue<string>());
        Assert.NotNull(Role);
        var substitutions = StateMachine["Properties"]!["DefinitionSubstitutions"]!.AsObject();
        Assert.Equal(["FactoryAccount", "Partition", "Region", "RoleArn"], substitutions.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_sdk_action_a_task_calls_is_allowed_by_the_role_it_runs_with()
    {
        var definition = fixture.Verification.Definition;
        var actions = ReleaseDefinition.TaskActions(definition);
        Assert.Contains("ec2:RunInstances", actions);
        Assert.Contains("ec2:TerminateInstances", actions);
        Assert.Contains("ssm:SendCommand", actions);
        Assert.Contains("events:PutEvents", actions);
        var allowed = Statements(Role).SelectMany(s => Strings(s["Action"])).ToHashSet(StringComparer.Ordinal);
        Assert.All(actions, a => Assert.Contains(a, allowed));

        // The target role allows every action on a copy and on the account's launch templates (all but the
        // factory-account sharing and latest parameter, and the failure event, which run with the state machine's role).
        var target = fixture.StackSetTemplate["Resources"]![ReleaseTargetPart.LogicalId]!.AsObject();
        var targetAllowed = Statements(target).SelectMany(s => Strings(s["Action"])).ToHashSet(StringComparer.Ordinal);
        Assert.All(actions.Where(a => a is not ("events:PutEvents" or "ssm:PutParameter" or "ec2:ModifyImageAttribute")), a => Assert.Contains(a, targetAllowed));
    }

    /// <summary>Sharing is granted and rendered only for images that name consumers, and only on the factory's own AMIs.</summary>
    [Fact]
    public void Only_images_with_launch_permissions_share_and_only_the_factorys_amis()
    {
        var role = $"arn:aws:iam::{TestEnv.Account}:role/x";
        var statement = Assert.Single(ReleaseVerification.Statements(ReleaseVerificationScenario.Props, "aws", "us-east-1", TestEnv.Account, role), s => ((string[])s["Action"]).Contains("ec2:ModifyImageAttribute"));
        Assert.Equal(["arn:aws:ec2:us-east-1::image/*"], (string[])statement["Resource"]);
        Assert.Contains(AmiTagKeys.Factory, JsonSerializer.Serialize(statement["Condition"]), StringComparison.Ordinal);
        var share = JsonNode.Parse(fixture.Verification.Definition)!["States"]!["Share"]!;
        Assert.Equal("$.config.share", share["Parameters"]!["LaunchPermission"]!["Add.$"]!.GetValue<string>());

        var noConsumers = ReleaseVerificationScenario.Props with { Images = ReleaseVerificationScenario.Props.Images.Select(i => i with { LaunchPermissions = new ReleaseLaunchPermissions() }).ToList() };
        Assert.DoesNotContain(ReleaseVerification.Statements(noConsumers, "aws", "us-east-1", TestEnv.Account, role), s => ((string[])s["Action"]).Contains("ec2:ModifyImageAttribute"));
        var states = JsonNode.Parse(ReleaseDefinition.Render(noConsumers, TestEnv.Account, "aws", "us-east-1", role))!["States"]!.AsObject();
        Assert.False(states.ContainsKey("Share"));
        Assert.Equal("PromoteHere", states["RecordPass"]!["Next"]!.GetValue<string>());
        Assert.DoesNotContain("ec2:ModifyImageAttribute", ReleaseDefinition.TaskActions(ReleaseDefinition.Render(noConsumers, TestEnv.Account, "aws", "us-east-1", role)));
    }

    [Fact]
    public void Every_task_on_a_copy_runs_with_the_copys_account_role_and_every_wait_counts_against_the_timeout()
    {
        var states = JsonNode.Parse(fixture.Verification.Definition)!["States"]!.AsObject();
        foreach (var (name, state) in states)
        {
            if (state!["Type"]!.GetValue<string>() == "Task" && !state["Resource"]!.GetValue<string>().EndsWith(":events:putEvents", StringComparison.Ordinal))
            {
                Assert.True(state["Credentials"]?["RoleArn.$"]?.GetValue<string>() == "$.role.arn", $"{name} runs without the copy's role");
                Assert.NotNull(state["Catch"] ?? (name == "Terminate" ? state["Retry"] : null));
            }

            if (state["Type"]!.GetValue<string>() == "Wait" && name.StartsWith("WaitFor", StringComparison.Ordinal))
            {
                Assert.StartsWith("Count", state["Next"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Instances_are_launched_with_imdsv2_the_release_profile_and_the_declared_subnet()
    {
        var states = JsonNode.Parse(fixture.Verification.Definition)!["States"]!.AsObject();
        var launch = states["Launch broken"]!["Parameters"]!;
        Assert.Equal("required", launch["MetadataOptions"]!["HttpTokens"]!.GetValue<string>());
        Assert.Equal("golden-release-instance", launch["IamInstanceProfile"]!["Name"]!.GetValue<string>());
        Assert.Equal("subnet-00000000000000000", launch["SubnetId"]!.GetValue<string>());
        Assert.Null(states["Launch al2023"]!["Parameters"]!["SubnetId"]);
    }

    [Fact]
    public void Scoped_actions_are_scoped_to_the_factorys_tagged_resources()
    {
        foreach (var statement in Statements(Role))
        {
            var resources = Strings(statement["Resource"]).ToList();
            if (resources.Contains("*"))
            {
                Assert.All(Strings(statement["Action"]), a => Assert.Matches("^(ec2:Describe|ssm:Describe|ssm:GetCommandInvocation)", a));
            }

            if (Strings(statement["Action"]).Any(a => a is "ec2:TerminateInstances" or "ec2:DisableImage" or "ec2:EnableImageDeprecation"))
            {
                Assert.Contains("aws:ResourceTag/amiinfra:factory", statement["Condition"]!.ToJsonString(), StringComparison.Ordinal);
            }
        }

        var assume = Statements(Role).Single(s => Strings(s["Action"]).Contains("sts:AssumeRole"));
        Assert.Contains(Strings(assume["Resource"]), r => r.Contains(":iam::444455556666:role/golden-release-target", StringComparison.Ordinal));
    }

    [Fact]
    public void The_trigger_starts_the_verification_for_every_available_ami_of_the_factory_and_target_accounts()
    {
        var rule = Assert.Single(fixture.Resources("AWS::Events::Rule"), r => r["Properties"]!["Name"]?.GetValue<string>() == "golden-release-verify");
        var pattern = rule["Properties"]!["EventPattern"]!;
        Assert.Equal("EC2 AMI State Change", pattern["detail-type"]![0]!.GetValue<string>());
        Assert.Equal("available", pattern["detail"]!["State"]![0]!.GetValue<string>());
        Assert.Equal(["123456789012", "444455556666"], pattern["account"]!.AsArray().Select(a => a!.GetValue<string>()));
        var target = rule["Properties"]!["Targets"]![0]!;
        Assert.Contains("\"amiId\": <amiId>", target["InputTransformer"]!["InputTemplate"]!.GetValue<string>(), StringComparison.Ordinal);
        var policy = Assert.Single(fixture.Resources("AWS::Events::EventBusPolicy"));
        Assert.Contains("444455556666", policy["Properties"]!["Statement"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_instance_profile_holds_only_the_ssm_managed_policy()
    {
        var role = fixture.Resources("AWS::IAM::Role").Single(r => r["Properties"]!["RoleName"]?.GetValue<string>() == "golden-release-instance");
        Assert.Single(role["Properties"]!["ManagedPolicyArns"]!.AsArray());
        Assert.Null(role["Properties"]!["Policies"]);
        Assert.Single(fixture.Resources("AWS::IAM::InstanceProfile"));
    }

    [Fact]
    public void Target_accounts_get_the_role_only_the_factorys_state_machines_assume_and_the_forwarding_rule()
    {
        var resources = fixture.StackSetTemplate["Resources"]!.AsObject();
        var role = resources[ReleaseTargetPart.LogicalId]!;
        Assert.Equal("golden-release-target", role["Properties"]!["RoleName"]!.GetValue<string>());
        Assert.Contains("golden-release-sfn-*", role["Properties"]!["AssumeRolePolicyDocument"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("AWS::IAM::InstanceProfile", resources["ReleaseInstanceProfile"]!["Type"]!.GetValue<string>());
        var rule = resources["ReleaseForwardRule"]!;
        Assert.Contains("event-bus/default", rule["Properties"]!["Targets"]![0]!["Arn"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_region_forwards_with_its_own_role_allowed_only_that_regions_bus_and_the_factory_account_forwards_nothing()
    {
        var resources = fixture.StackSetTemplate["Resources"]!.AsObject();
        var role = resources["ReleaseForwardRole"]!;
        var rule = resources["ReleaseForwardRule"]!;

        // Regional: no condition on the roles' region, so no rule names a role another region's stack makes; and only
        // in the accounts that receive copies (not the factory's), whose events the factory's bus accepts.
        Assert.Equal(ReleaseTargetPart.ForwardsCondition, role["Condition"]!.GetValue<string>());
        Assert.Equal(ReleaseTargetPart.ForwardsCondition, rule["Condition"]!.GetValue<string>());
        var forwards = fixture.StackSetTemplate["Conditions"]![ReleaseTargetPart.ForwardsCondition]!["Fn::And"]!.AsArray();
        Assert.Equal("444455556666", forwards[0]!["Fn::Equals"]![1]!.GetValue<string>());
        Assert.Equal("AWS::AccountId", forwards[0]!["Fn::Equals"]![0]!["Ref"]!.GetValue<string>());
        Assert.Equal(TargetAccountTemplate.NotFactoryAccountCondition, forwards[1]!["Condition"]!.GetValue<string>());
        Assert.Equal("golden-release-forward-${AWS::Region}", role["Properties"]!["RoleName"]!["Fn::Sub"]!.GetValue<string>());
        Assert.Equal("ReleaseForwardRole", rule["Properties"]!["Targets"]![0]!["RoleArn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        var statement = role["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray().Single()!;
        Assert.Equal("events:PutEvents", statement["Action"]!.GetValue<string>());
        Assert.Equal(rule["Properties"]!["Targets"]![0]!["Arn"]!.ToJsonString(), statement["Resource"]!.ToJsonString());
        Assert.Contains("${AWS::Region}", statement["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("events:*", statement["Resource"]!.ToJsonString(), StringComparison.Ordinal);

        // A stack instance whose regional resources are all conditioned away still has a resource.
        Assert.NotNull(resources[TargetAccountTemplate.PlaceholderId]);
        var notFactory = fixture.StackSetTemplate["Conditions"]![TargetAccountTemplate.NotFactoryAccountCondition]!.ToJsonString();
        Assert.Contains(TargetAccountTemplate.FactoryAccountParameter, notFactory, StringComparison.Ordinal);
        Assert.Contains("Fn::Not", notFactory, StringComparison.Ordinal);
    }

    [Fact]
    public void Copies_in_more_regions_than_the_controls_widen_the_stack_instances_but_not_the_controls()
    {
        Assert.Equal(["us-east-1", "eu-west-1", "ap-southeast-2"], fixture.WiderRegions);

        var resources = fixture.WiderTemplate["Resources"]!.AsObject();
        Assert.Equal(ReleaseTargetPart.ForwardsCondition, resources["ReleaseForwardRule"]!["Condition"]!.GetValue<string>());
        Assert.Equal(AccountControlsPart.InControlRegionsCondition, resources["SnapshotBlockPublicAccess"]!["Condition"]!.GetValue<string>());
        var controls = fixture.WiderTemplate["Conditions"]![AccountControlsPart.InControlRegionsCondition]!["Fn::And"]!.AsArray();
        var inRegions = controls[0]!["Fn::Or"]!.AsArray().Select(e => e!["Fn::Equals"]![1]!.GetValue<string>());
        Assert.Equal(["us-east-1", "eu-west-1"], inRegions);
        Assert.Equal(TargetAccountTemplate.NotFactoryAccountCondition, controls[1]!["Condition"]!.GetValue<string>());
    }

    /// <summary>
    /// A failure is an event on the region's default bus, put with the state machine's own role (the factory account's
    /// bus, whatever account the copy is in); a region that is not the home region forwards those events there.
    /// </summary>
    [Fact]
    public void Failures_are_events_on_the_default_bus_forwarded_to_the_home_region()
    {
        var states = JsonNode.Parse(fixture.Verification.Definition)!["States"]!.AsObject();
        var put = states["PutFailureEvent"]!;
        Assert.Null(put["Credentials"]);
        var entry = put["Parameters"]!["Entries"]![0]!;
        Assert.Equal(Releases.EventSource, entry["Source"]!.GetValue<string>());
        Assert.Equal(Releases.FailedDetailType, entry["DetailType"]!.GetValue<string>());
        Assert.Equal("PutFailureEvent", states["Notify"]!["Next"]!.GetValue<string>());
        Assert.Contains(Statements(Role), s => Strings(s["Action"]).Contains("events:PutEvents") && s["Resource"]!.ToJsonString().Contains($":events:us-east-1:{TestEnv.Account}:event-bus/default", StringComparison.Ordinal) && Strings(s["Resource"]).Count() == 1);
        Assert.DoesNotContain(Statements(Role), s => Strings(s["Action"]).Any(a => a.StartsWith("sns:", StringComparison.Ordinal) || a.StartsWith("kms:", StringComparison.Ordinal)));

        var rule = Assert.Single(fixture.Resources("AWS::Events::Rule"), r => r["Properties"]!["Name"]?.GetValue<string>() == "golden-release-failures");
        Assert.Equal(JsonSerializer.Serialize(ReleaseVerification.FailurePattern("golden")), rule["Properties"]!["EventPattern"]!.ToJsonString());
        var target = rule["Properties"]!["Targets"]![0]!;
        Assert.Equal(ReleaseVerificationTemplateFixture.HomeBus, target["Arn"]!.GetValue<string>());
        var forwardRole = fixture.Json["Resources"]![target["RoleArn"]!["Fn::GetAtt"]![0]!.GetValue<string>()]!.AsObject();
        Assert.Equal(ReleaseVerificationTemplateFixture.HomeBus, Strings(Assert.Single(Statements(forwardRole))["Resource"]).Single());
    }

    /// <summary>A copy is launched with its account's consumer launch template unless the image says otherwise; the template never takes the declared subnet.</summary>
    [Fact]
    public void Copies_launch_with_their_accounts_consumer_launch_template_unless_declared_otherwise()
    {
        var role = $"arn:aws:iam::{TestEnv.Account}:role/x";
        var withTemplate = ReleaseVerificationScenario.Props with
        {
            Images = [ReleaseVerificationScenario.Props.Images[0] with { SubnetId = "subnet-00000000000000001", LaunchTemplates = [new ReleaseLaunchTemplate { LaunchTemplateId = "lt-0123456789abcdef0" }, new ReleaseLaunchTemplate { LaunchTemplateId = "lt-0fedcba9876543210", AccountId = "444455556666" }] }],
        };
        var states = JsonNode.Parse(ReleaseDefinition.Render(withTemplate, TestEnv.Account, "aws", "us-east-1", role))!["States"]!.AsObject();
        Assert.Equal("Template al2023", states["Configure al2023"]!["Next"]!.GetValue<string>());
        var choices = states["Template al2023"]!["Choices"]!.AsArray().Select(c => (c!["StringEquals"]!.GetValue<string>(), c["Next"]!.GetValue<string>())).ToList();
        Assert.Equal([(TestEnv.Account, "Launch al2023 with lt-0123456789abcdef0"), ("444455556666", "Launch al2023 with lt-0fedcba9876543210")], choices);
        Assert.Equal("Launch al2023", states["Template al2023"]!["Default"]!.GetValue<string>());
        var launch = states["Launch al2023 with lt-0fedcba9876543210"]!["Parameters"]!;
        Assert.Equal("lt-0fedcba9876543210", launch["LaunchTemplate"]!["LaunchTemplateId"]!.GetValue<string>());
        Assert.Equal("$Default", launch["LaunchTemplate"]!["Version"]!.GetValue<string>());
        Assert.Null(launch["SubnetId"]);
        Assert.Equal("subnet-00000000000000001", states["Launch al2023"]!["Parameters"]!["SubnetId"]!.GetValue<string>());
        Assert.Equal(Releases.InstanceProfileName("golden"), launch["IamInstanceProfile"]!["Name"]!.GetValue<string>());

        // RunInstances with a launch template is authorized on the template and on the key pair it names, too.
        var run = ReleaseVerification.Statements(withTemplate, "aws", "us-east-1", TestEnv.Account, role).Where(st => ((string[])st["Action"]).Contains("ec2:RunInstances")).SelectMany(st => (string[])st["Resource"]).ToList();
        Assert.Contains($"arn:aws:ec2:us-east-1:{TestEnv.Account}:launch-template/*", run);
        Assert.Contains($"arn:aws:ec2:us-east-1:{TestEnv.Account}:key-pair/*", run);

        var without = withTemplate with { Images = [withTemplate.Images[0] with { LaunchWithTemplates = false }] };
        var plain = JsonNode.Parse(ReleaseDefinition.Render(without, TestEnv.Account, "aws", "us-east-1", role))!["States"]!.AsObject();
        Assert.Equal("Launch al2023", plain["Configure al2023"]!["Next"]!.GetValue<string>());
        Assert.DoesNotContain(plain, s => s.Key.StartsWith("Launch al2023 with", StringComparison.Ordinal));
    }

    /// <summary>
    /// A consumer's launch template (of an account the factory's copies are shared with) is updated after a factory copy
    /// passed, through the target role of that account; the state machine may assume it, and the target role may update
    /// the account's launch templates.
    /// </summary>
    [Fact]
    public void A_consumers_launch_template_is_updated_through_the_target_role_of_its_account()
    {
        var role = $"arn:aws:iam::{TestEnv.Account}:role/x";
        var props = ReleaseVerificationScenario.Props with
        {
            Images = [ReleaseVerificationScenario.Props.Images[0] with { LaunchTemplates = [new ReleaseLaunchTemplate { LaunchTemplateId = "lt-0123456789abcdef0", AccountId = "111122223333" }] }],
        };
        var map = JsonNode.Parse(ReleaseDefinition.Render(props, TestEnv.Account, "aws", "us-east-1", role))!["States"]!["LaunchTemplates"]!["ItemProcessor"]!["States"]!;
        var choices = map["OfThisAccount"]!["Choices"]!.AsArray();
        Assert.Equal("$.account", choices[1]!["Variable"]!.GetValue<string>());
        Assert.Equal(TestEnv.Account, choices[1]!["StringEquals"]!.GetValue<string>());
        Assert.Equal("ConsumerAccount", choices[1]!["Next"]!.GetValue<string>());
        Assert.Contains("golden-release-target", map["ConsumerAccount"]!["Parameters"]!["arn.$"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("$.role.arn", map["NewVersion"]!["Credentials"]!["RoleArn.$"]!.GetValue<string>());

        Assert.Equal(["111122223333"], ReleaseVerification.RoleAccounts(props, TestEnv.Account));
        var assume = Assert.Single(ReleaseVerification.Statements(props, "aws", "us-east-1", TestEnv.Account, role), st => ((string[])st["Action"]).Contains("sts:AssumeRole"));
        Assert.Contains("arn:aws:iam::111122223333:role/golden-release-target", (string[])assume["Resource"]);

        var target = fixture.StackSetTemplate["Resources"]![ReleaseTargetPart.LogicalId]!.AsObject();
        var templates = Assert.Single(Statements(target), st => Strings(st["Action"]).Contains("ec2:CreateLaunchTemplateVersion"));
        Assert.Contains(":launch-template/*", templates["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("${AWS::AccountId}", templates["Resource"]!.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>Without accounts that receive copies (only consumer launch templates), the StackSet forwards nothing: the target role alone.</summary>
    [Fact]
    public void Accounts_that_receive_no_copies_forward_nothing()
    {
        var template = new TargetAccountTemplate(["us-east-1"]);
        ReleaseTargetPart.AddTo(template, "golden", ["us-east-1"], []);
        var resources = JsonNode.Parse(template.Render())!["Resources"]!.AsObject();
        Assert.NotNull(resources[ReleaseTargetPart.LogicalId]);
        Assert.Null(resources["ReleaseForwardRule"]);
        Assert.Null(resources["ReleaseForwardRole"]);
    }
}
