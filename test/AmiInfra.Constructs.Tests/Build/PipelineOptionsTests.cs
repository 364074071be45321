using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.KMS;
using AmiInfra.Constructs.Build;

namespace AmiInfra.Constructs.Tests.Build;

/// <summary>
/// The pipeline options of 2025-2026, synthesized once: a factory whose events go to its build topic, with placed
/// infrastructure configurations, a scheduled pipeline with auto-disable and a log group, a manual one; and a second
/// factory whose events go to an event bus.
/// </summary>
public sealed class PipelineOptionsFixture
{
    public const string BusArn = "arn:aws:events:us-east-1:999988887777:event-bus/platform";
    public const string HostId = "h-0123456789abcdef0";

    public PipelineOptionsFixture()
    {
        var stack = TestEnv.NewStack("Options");
        var key = new Key(stack, "BuildKey", new KeyProps { EnableKeyRotation = true });
        var build = new BuildInfrastructure(stack, "Build", new BuildInfrastructureProps { NamePrefix = "golden", Key = key });
        OnHost = build.InfrastructureFor(["m7i.large", "m6i.large"], new BuildPlacement { Tenancy = InstanceTenancy.Host, HostId = HostId }).InfrastructureConfigurationName;
        Dedicated = build.InfrastructureFor(["m7i.large", "m6i.large"], new BuildPlacement { Tenancy = InstanceTenancy.Dedicated, AvailabilityZone = "us-east-1b" }).InfrastructureConfigurationName;
        DedicatedAgain = build.InfrastructureFor(["m7i.large", "m6i.large"], new BuildPlacement { Tenancy = InstanceTenancy.Dedicated, AvailabilityZone = "us-east-1b" }).InfrastructureConfigurationName;
        Events = new BuildEvents(stack, "Events", new BuildEventsProps { Build = build });

        var recipe = new ImageRecipe(stack, "Recipe", new ImageRecipeProps
        {
            ImageRecipeName = "golden-al2023",
            ParentImage = ParentImage.FromSsmParameterName("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
            Components = [new RecipeComponent(Component.FromManaged("update-linux"))],
            BlockDevices = [new BlockDevice { DeviceName = "/dev/xvda", SizeGiB = 20, KmsKey = key }],
        });
        var logGroup = ImageLogGroup.NameFor("golden", "al2023");
        _ = new CfnFragment(stack, "Logs", [new CfnFragmentResource("al2023Logs", ImageLogGroup.Render(new ImageLogGroupProps
        {
            LogGroupName = logGroup,
            RetentionDays = 30,
            KmsKeyArn = BuildInfrastructure.KeyArnReference("golden"),
        }, "Options/Logs"))]);
        _ = new ImagePipeline(stack, "Pipeline", new ImagePipelineProps
        {
            ImagePipelineName = "golden-al2023",
            Recipe = recipe,
            InfrastructureConfiguration = build.DefaultInfrastructure,
            Cron = "cron(0 4 ? * sun *)",
            StartCondition = StartCondition.ExpressionMatchOnly,
            AutoDisableAfterFailures = 3,
            ImageLogGroupName = logGroup,
            PipelineLogGroupName = logGroup,
        });
        _ = new ImagePipeline(stack, "Manual", new ImagePipelineProps
        {
            ImagePipelineName = "golden-al2023-manual",
            Recipe = recipe,
            InfrastructureConfiguration = build.DefaultInfrastructure,
        });
        Template = Template.FromStack(stack);

        var busStack = TestEnv.NewStack("BusOptions");
        var busBuild = new BuildInfrastructure(busStack, "Build", new BuildInfrastructureProps { NamePrefix = "golden", Key = new Key(busStack, "BuildKey", new KeyProps { EnableKeyRotation = true }) });
        BusEvents = new BuildEvents(busStack, "Events", new BuildEventsProps { Build = busBuild, EventBusArn = BusArn });
        BusTemplate = Template.FromStack(busStack);

        var releaseStack = TestEnv.NewStack("ReleaseOptions");
        var releaseBuild = new BuildInfrastructure(releaseStack, "Build", new BuildInfrastructureProps { NamePrefix = "golden", Key = new Key(releaseStack, "BuildKey", new KeyProps { EnableKeyRotation = true }) });
        ReleaseEvents = new BuildEvents(releaseStack, "Events", new BuildEventsProps { Build = releaseBuild, ReleaseFailures = true });
        ReleaseTemplate = Template.FromStack(releaseStack);
    }

    public BuildEvents ReleaseEvents { get; }

    public Template ReleaseTemplate { get; }

    public Template Template { get; }

    public Template BusTemplate { get; }

    public BuildEvents Events { get; }

    public BuildEvents BusEvents { get; }

    public string OnHost { get; }

    public string Dedicated { get; }

    public string DedicatedAgain { get; }

    public static JsonObject Json(Template template) => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(template.ToJSON()))!.AsObject();

    public static IEnumerable<JsonObject> Resources(Template template, string type) =>
        Json(template)["Resources"]!.AsObject().Select(r => r.Value!.AsObject()).Where(r => (string?)r["Type"] == type);
}

[Collection(CdkCollection.Name)]
public sealed class PipelineOptionsTests(PipelineOptionsFixture fixture) : IClassFixture<PipelineOptionsFixture>
{
    [Fact]
    public void A_scheduled_pipeline_disables_itself_after_the_failures_given_and_logs_to_its_log_group()
    {
        fixture.Template.HasResourceProperties("AWS::ImageBuilder::ImagePipeline", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023",
            ["Schedule"] = new Dictionary<string, object>
            {
                ["ScheduleExpression"] = "cron(0 4 ? * sun *)",
                ["PipelineExecutionStartCondition"] = "EXPRESSION_MATCH_ONLY",
                ["AutoDisablePolicy"] = new Dictionary<string, object> { ["FailureCount"] = 3 },
            },
            ["LoggingConfiguration"] = new Dictionary<string, object>
            {
                ["ImageLogGroupName"] = "/aws/imagebuilder/golden/al2023",
                ["PipelineLogGroupName"] = "/aws/imagebuilder/golden/al2023",
            },
        }));
    }

    [Fact]
    public void A_manual_pipeline_has_no_schedule_and_no_logging_configuration()
    {
        var manual = PipelineOptionsFixture.Resources(fixture.Template, "AWS::ImageBuilder::ImagePipeline").Single(p => (string?)p["Properties"]!["Name"] == "golden-al2023-manual");

        Assert.Null(manual["Properties"]!["Schedule"]);
        Assert.Null(manual["Properties"]!["LoggingConfiguration"]);
    }

    [Fact]
    public void The_image_log_group_keeps_its_events_as_declared_encrypted_with_the_build_key_by_its_arn()
    {
        fixture.Template.HasResourceProperties("AWS::Logs::LogGroup", new Dictionary<string, object>
        {
            ["LogGroupName"] = "/aws/imagebuilder/golden/al2023",
            ["RetentionInDays"] = 30,
            ["KmsKeyId"] = "{{resolve:ssm:/amiinfra/golden/build-key-arn}}",
        });
        fixture.Template.HasResourceProperties("AWS::SSM::Parameter", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "/amiinfra/golden/build-key-arn",
            ["Value"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { Match.StringLikeRegexp("^BuildKey"), "Arn" } },
        }));
    }

    [Fact]
    public void The_build_key_lets_cloudwatch_logs_use_it_for_the_factorys_log_groups_only()
    {
        var statement = KeyStatement(fixture.Template, "AllowCloudWatchLogsForTheFactorysLogGroups");

        Assert.Equal("logs.us-east-1.amazonaws.com", (string?)statement["Principal"]!["Service"]);
        Assert.Equal("arn:aws:logs:us-east-1:123456789012:log-group:/aws/imagebuilder/golden/*", (string?)statement["Condition"]!["ArnLike"]!["kms:EncryptionContext:aws:logs:arn"]);
    }

    [Fact]
    public void Events_a_team_acts_on_reach_the_build_topic_as_readable_messages()
    {
        var rules = PipelineOptionsFixture.Resources(fixture.Template, "AWS::Events::Rule").Select(r => r["Properties"]!.AsObject()).ToList();

        Assert.Equal(
            ["EC2 Image Builder CVE Detected", "EC2 Image Builder Image Pipeline Automatically Disabled", "EC2 Image Builder Workflow Step Waiting"],
            rules.Select(r => (string)r["EventPattern"]!["detail-type"]![0]!).Order(StringComparer.Ordinal));
        Assert.All(rules, rule =>
        {
            Assert.Equal("aws.imagebuilder", (string?)rule["EventPattern"]!["source"]![0]);
            var target = rule["Targets"]![0]!;
            Assert.Equal("BuildTopic", (string?)target["Id"]);
            Assert.Equal("$.resources[0]", (string?)target["InputTransformer"]!["InputPathsMap"]!["resource"]);
            Assert.Equal("$.region", (string?)target["InputTransformer"]!["InputPathsMap"]!["region"]);
            var template = (string)target["InputTransformer"]!["InputTemplate"]!;
            Assert.StartsWith("\"Image Builder", template, StringComparison.Ordinal);
            Assert.Contains("<resource>", template, StringComparison.Ordinal);
            Assert.Contains("<region>", template, StringComparison.Ordinal);
        });
        Assert.Equal(["golden-image-builder-cve-detected", "golden-image-builder-pipeline-disabled", "golden-image-builder-step-waiting"], fixture.Events.RuleNames);
    }

    [Fact]
    public void The_topic_lets_only_the_factorys_rules_publish_and_the_key_lets_eventbridge_encrypt()
    {
        var policy = PipelineOptionsFixture.Resources(fixture.Template, "AWS::SNS::TopicPolicy").Single()["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray();
        var allow = policy.Single(s => (string?)s!["Sid"] == "AllowTheFactorysEventRulesToPublish")!;

        Assert.Equal("events.amazonaws.com", (string?)allow["Principal"]!["Service"]);
        Assert.Equal(
            fixture.Events.RuleNames.Select(n => $"arn:aws:events:us-east-1:123456789012:rule/{n}"),
            allow["Condition"]!["ArnEquals"]!["aws:SourceArn"]!.AsArray().Select(a => (string)a!));
        var key = KeyStatement(fixture.Template, "AllowEventBridgeToPublishToTheBuildTopic");
        Assert.Equal("events.amazonaws.com", (string?)key["Principal"]!["Service"]);
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey*"], key["Action"]!.AsArray().Select(a => (string)a!));
    }

    [Fact]
    public void Events_go_to_a_declared_bus_as_image_builder_sends_them_through_a_role()
    {
        var rules = PipelineOptionsFixture.Resources(fixture.BusTemplate, "AWS::Events::Rule").Select(r => r["Properties"]!.AsObject()).ToList();

        Assert.Equal(4, rules.Count);
        Assert.Contains(rules, r => (string?)r["EventPattern"]!["detail-type"]![0] == "EC2 Image Builder Image State Change"
            && r["EventPattern"]!["detail"]!["state"]!["status"]!.AsArray().Select(s => (string)s!).SequenceEqual(["AVAILABLE", "FAILED"]));
        Assert.All(rules, r =>
        {
            Assert.Equal(PipelineOptionsFixture.BusArn, (string?)r["Targets"]![0]!["Arn"]);
            Assert.Null(r["Targets"]![0]!["InputTransformer"]);
            Assert.NotNull(r["Targets"]![0]!["RoleArn"]);
        });
        fixture.BusTemplate.HasResourceProperties("AWS::IAM::Policy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["PolicyDocument"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Statement"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object> { ["Action"] = "events:PutEvents", ["Resource"] = PipelineOptionsFixture.BusArn })]),
            }),
        }));
        var topicPolicy = PipelineOptionsFixture.Resources(fixture.BusTemplate, "AWS::SNS::TopicPolicy").Single().ToJsonString();
        Assert.DoesNotContain("events.amazonaws.com", topicPolicy, StringComparison.Ordinal);
    }

    [Fact]
    public void Placed_configurations_carry_their_placement_and_are_shared_by_what_asks_for_the_same()
    {
        fixture.Template.HasResourceProperties("AWS::ImageBuilder::InfrastructureConfiguration", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = fixture.OnHost,
            ["Placement"] = new Dictionary<string, object> { ["Tenancy"] = "host", ["HostId"] = PipelineOptionsFixture.HostId },
        }));
        fixture.Template.HasResourceProperties("AWS::ImageBuilder::InfrastructureConfiguration", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = fixture.Dedicated,
            ["Placement"] = new Dictionary<string, object> { ["Tenancy"] = "dedicated", ["AvailabilityZone"] = "us-east-1b" },
            ["Description"] = Match.StringLikeRegexp("placed: zone us-east-1b, tenancy dedicated"),
        }));
        Assert.Equal(fixture.Dedicated, fixture.DedicatedAgain);
        Assert.NotEqual(fixture.OnHost, fixture.Dedicated);
        Assert.Equal(3, PipelineOptionsFixture.Resources(fixture.Template, "AWS::ImageBuilder::InfrastructureConfiguration").Count());
    }

    private static JsonNode KeyStatement(Template template, string sid) =>
        PipelineOptionsFixture.Resources(template, "AWS::KMS::Key").Single()["Properties"]!["KeyPolicy"]!["Statement"]!.AsArray().Single(s => (string?)s!["Sid"] == sid)!;

    /// <summary>The release verification's failures, from every region, reach the build topic with the region, account, AMI and reason.</summary>
    [Fact]
    public void Release_verification_failures_reach_the_build_topic_with_region_account_and_reason()
    {
        var rule = PipelineOptionsFixture.Resources(fixture.ReleaseTemplate, "AWS::Events::Rule").Select(r => r["Properties"]!.AsObject())
            .Single(r => (string?)r["Name"] == "golden-image-builder-release-failed");
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(AmiInfra.Constructs.Release.ReleaseVerification.FailurePattern("golden")), rule["EventPattern"]!.ToJsonString());
        var transformer = rule["Targets"]![0]!["InputTransformer"]!;
        foreach (var (name, path) in new[] { ("region", "$.detail.region"), ("account", "$.detail.account"), ("ami", "$.detail.amiId"), ("reason", "$.detail.reason") })
        {
            Assert.Equal(path, (string?)transformer["InputPathsMap"]![name]);
            Assert.Contains($"<{name}>", (string)transformer["InputTemplate"]!, StringComparison.Ordinal);
        }

        var allow = PipelineOptionsFixture.Resources(fixture.ReleaseTemplate, "AWS::SNS::TopicPolicy").Single()["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray()
            .Single(s => (string?)s!["Sid"] == "AllowTheFactorysEventRulesToPublish")!;
        Assert.Contains("arn:aws:events:us-east-1:123456789012:rule/golden-image-builder-release-failed", allow["Condition"]!["ArnEquals"]!["aws:SourceArn"]!.AsArray().Select(a => (string)a!));
        Assert.DoesNotContain("golden-image-builder-release-failed", fixture.Events.RuleNames);
    }
}
