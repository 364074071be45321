using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using AmiInfra.Constructs.Lifecycle;
using AmiInfra.Constructs.TargetAccounts;

namespace AmiInfra.Constructs.Tests.Lifecycle;

/// <summary>A factory's retention marker with an encrypted log group, and the StackSet that puts its role into the target accounts; synthesized once.</summary>
public sealed class RetentionMarkerTemplateFixture
{
    public RetentionMarkerTemplateFixture()
    {
        var stack = TestEnv.NewStack("Marker");
        var key = new Amazon.CDK.AWS.KMS.Key(stack, "BuildKey", new Amazon.CDK.AWS.KMS.KeyProps { EnableKeyRotation = true });
        Marker = new RetentionMarker(stack, "RetentionMarker", RetentionMarkerScenario.Props with { LogKey = key });
        Template = Template.FromStack(stack);
        Json = JsonNode.Parse(JsonSerializer.Serialize(Template.ToJSON()))!.AsObject();

        var targets = TestEnv.NewStack("Targets");
        var stackSet = new TargetAccountStackSet(targets, "Targets", new TargetAccountStackSetProps
        {
            StackSetName = "golden-distribution-targets",
            FactoryAccount = TestEnv.Account,
            OrganizationalUnitIds = ["ou-ab12-cdefgh34"],
            Region = "us-east-1",
            RetiresCopies = true,
            RetentionMarkerFactory = "golden",
        });
        StackSetTemplate = JsonNode.Parse(stackSet.TemplateBody)!.AsObject();
    }

    public RetentionMarker Marker { get; }

    public Template Template { get; }

    public JsonObject Json { get; }

    public JsonObject StackSetTemplate { get; }
}

[Collection(CdkCollection.Name)]
public sealed class RetentionMarkerTemplateTests(RetentionMarkerTemplateFixture fixture) : IClassFixture<RetentionMarkerTemplateFixture>
{
    private IEnumerable<(string Id, JsonObject Resource)> OfType(string type) =>
        fixture.Json["Resources"]!.AsObject().Where(r => (string?)r.Value!["Type"] == type).Select(r => (r.Key, r.Value!.AsObject()));

    private JsonObject Role => OfType("AWS::IAM::Role").Single().Resource;

    private static Dictionary<string, JsonNode> Statements(JsonNode role) =>
        role["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray().ToDictionary(s => (string)s!["Sid"]!, s => s!);

    [Fact]
    public void The_function_runs_the_inline_handler_with_its_own_log_group()
    {
        var (_, function) = OfType("AWS::Lambda::Function").Single();
        var properties = function["Properties"]!;
        Assert.Equal("golden-retention-marker", (string?)properties["FunctionName"]);
        Assert.Equal("python3.12", (string?)properties["Runtime"]);
        Assert.Equal(900, (int)properties["Timeout"]!);
        Assert.Equal(RetentionMarker.HandlerSource, (string?)properties["Code"]!["ZipFile"]);
        var (logsId, logs) = OfType("AWS::Logs::LogGroup").Single();
        Assert.Equal(logsId, (string?)properties["LoggingConfig"]!["LogGroup"]!["Ref"]);
        Assert.Equal("/aws/lambda/golden-retention-marker", (string?)logs["Properties"]!["LogGroupName"]);
        Assert.Equal(90, (int)logs["Properties"]!["RetentionInDays"]!);
        Assert.Equal("Delete", (string?)logs["DeletionPolicy"]);
        Assert.Null(function["Properties"]!["Environment"]);
    }

    [Fact]
    public void The_log_group_is_encrypted_with_the_given_key_which_lets_cloudwatch_logs_use_it_for_that_group_only()
    {
        var (keyId, key) = OfType("AWS::KMS::Key").Single();
        var (_, logs) = OfType("AWS::Logs::LogGroup").Single();
        Assert.Equal(keyId, (string?)logs["Properties"]!["KmsKeyId"]!["Fn::GetAtt"]![0]);
        var statement = key["Properties"]!["KeyPolicy"]!["Statement"]!.AsArray().Single(s => (string?)s!["Sid"] == "RetentionMarkerLogs")!;
        Assert.Contains("logs.", statement["Principal"]!["Service"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(":log-group:/aws/lambda/golden-retention-marker", statement["Condition"]!["ArnEquals"]!["kms:EncryptionContext:aws:logs:arn"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_role_may_list_images_tag_only_the_factorys_images_with_the_three_keys_and_assume_only_the_target_marker_roles()
    {
        var properties = Role["Properties"]!;
        Assert.Equal("golden-retention-marker", (string?)properties["RoleName"]);
        Assert.Equal("lambda.amazonaws.com", (string?)properties["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]);
        var statements = Statements(Role);
        Assert.Equal(["AssumeTargetAccountMarkerRoles", "ListImages", "MarkRetentionWindows", "WriteOwnLogs"], statements.Keys.Order(StringComparer.Ordinal));

        Assert.Equal("ec2:DescribeImages", (string?)statements["ListImages"]["Action"]);
        var mark = statements["MarkRetentionWindows"];
        Assert.Equal(["ec2:CreateTags", "ec2:DeleteTags"], mark["Action"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("arn:${AWS::Partition}:ec2:*::image/*", (string?)mark["Resource"]!["Fn::Sub"]);
        Assert.Equal(["amiinfra:retain-deprecate", "amiinfra:retain-disable", "amiinfra:retain-delete"], mark["Condition"]!["ForAllValues:StringEquals"]!["aws:TagKeys"]!.AsArray().Select(k => (string)k!));
        Assert.Equal("false", (string?)mark["Condition"]!["Null"]!["aws:TagKeys"]);
        Assert.Equal("golden", (string?)mark["Condition"]!["StringEquals"]!["aws:ResourceTag/amiinfra:factory"]);
        Assert.Equal("sts:AssumeRole", (string?)statements["AssumeTargetAccountMarkerRoles"]["Action"]);
        Assert.Equal("arn:${AWS::Partition}:iam::*:role/golden-retention-marker-target", (string?)statements["AssumeTargetAccountMarkerRoles"]["Resource"]!["Fn::Sub"]);
    }

    [Fact]
    public void Without_target_accounts_the_role_assumes_nothing()
    {
        var stack = TestEnv.NewStack("OwnAccountOnly");
        var marker = new RetentionMarker(stack, "Marker", new RetentionMarkerProps
        {
            FactoryName = "golden",
            Images = [new RetentionMarkerImage { ImageName = "al2023", RecipeName = "golden-al2023", Regions = ["us-east-1"], Delete = LifecycleRule.Age(30) }],
        });
        var role = JsonNode.Parse(JsonSerializer.Serialize(Template.FromStack(stack).FindResources("AWS::IAM::Role")))!.AsObject().Single().Value!;
        Assert.DoesNotContain("AssumeTargetAccountMarkerRoles", Statements(role).Keys);
        Assert.NotNull(marker.Function);
    }

    [Fact]
    public void An_image_that_becomes_available_and_a_daily_schedule_invoke_the_function_with_the_configuration()
    {
        var rules = OfType("AWS::Events::Rule").ToDictionary(r => (string)r.Resource["Properties"]!["Name"]!, r => r.Resource["Properties"]!);
        Assert.Equal(["golden-retention-marker-built-1", "golden-retention-marker-scheduled-1"], rules.Keys.Order(StringComparer.Ordinal));

        var built = rules["golden-retention-marker-built-1"];
        var pattern = built["EventPattern"]!;
        Assert.Equal("aws.imagebuilder", (string?)pattern["source"]![0]);
        Assert.Equal("EC2 Image Builder Image State Change", (string?)pattern["detail-type"]![0]);
        Assert.Equal("AVAILABLE", (string?)pattern["detail"]!["state"]!["status"]![0]);
        Assert.Contains(":image/golden-\"", pattern["resources"]![0]!["prefix"]!.ToJsonString(), StringComparison.Ordinal);
        var transformer = built["Targets"]![0]!["InputTransformer"]!;
        Assert.Equal("$.resources[0]", (string?)transformer["InputPathsMap"]!["image"]);
        Assert.Equal(RetentionMarker.EventInput(fixture.Input()), (string?)transformer["InputTemplate"]);

        var scheduled = rules["golden-retention-marker-scheduled-1"];
        Assert.Equal("rate(1 day)", (string?)scheduled["ScheduleExpression"]);
        Assert.Equal(RetentionMarker.ScheduledInput(fixture.Input()), (string?)scheduled["Targets"]![0]!["Input"]);
        Assert.Equal(2, OfType("AWS::Lambda::Permission").Count());
        Assert.All(OfType("AWS::Lambda::Permission"), p => Assert.Equal("events.amazonaws.com", (string?)p.Resource["Properties"]!["Principal"]));
    }

    [Fact]
    public void The_role_and_function_carry_their_acknowledgements()
    {
        string[] Rules(JsonObject resource) => resource["Metadata"]!["cdk_nag"]!["rules_to_suppress"]!.AsArray().Select(r => (string)r!["id"]!).ToArray();
        Assert.Equal(["AwsSolutions-IAM5", "AwsSolutions-IAM5", "AwsSolutions-IAM5"], Rules(Role));
        Assert.Equal(["AwsSolutions-L1"], Rules(OfType("AWS::Lambda::Function").Single().Resource));
    }

    [Fact]
    public void A_large_factory_splits_its_configuration_into_inputs_and_rules_that_fit()
    {
        var accounts = Enumerable.Range(0, 1200).Select(i => $"4444{i:D8}").ToList();
        var props = new RetentionMarkerProps
        {
            FactoryName = "golden",
            Images =
            [
                .. Enumerable.Range(0, 300).Select(i => new RetentionMarkerImage
                {
                    ImageName = $"image{i}",
                    RecipeName = $"golden-image{i}",
                    Regions = ["us-east-1", "eu-west-1", "ap-southeast-2"],
                    TargetAccounts = i == 0 ? accounts : ["444455556666"],
                    Deprecate = LifecycleRule.Age(30),
                    Delete = LifecycleRule.Count(5),
                }),
            ],
        };
        var inputs = RetentionMarker.Inputs(props);
        Assert.True(inputs.Count > RetentionMarker.MaxTargetsPerRule);
        Assert.All(inputs, i => Assert.True(RetentionMarker.EventInput(i).Length <= RetentionMarker.MaxInput));
        var entries = inputs.SelectMany(i => JsonNode.Parse(i)!["images"]!.AsArray()).ToList();
        var image0 = entries.Where(e => (string?)e!["image"] == "image0").ToList();
        Assert.True(image0.Count > 1);
        Assert.Equal(accounts, image0.SelectMany(e => e!["accounts"]!.AsArray().Select(a => (string)a!)));
        Assert.Equal([true, .. Enumerable.Repeat(false, image0.Count - 1)], image0.Select(e => (bool)e!["self"]!));
        Assert.Equal(300, entries.Select(e => (string)e!["image"]!).Distinct().Count());

        var stack = TestEnv.NewStack("Large");
        _ = new RetentionMarker(stack, "Marker", props);
        var rules = Template.FromStack(stack).FindResources("AWS::Events::Rule");
        var perKind = (inputs.Count + RetentionMarker.MaxTargetsPerRule - 1) / RetentionMarker.MaxTargetsPerRule;
        Assert.Equal(2 * perKind, rules.Count);
    }

    [Theory]
    [InlineData(new[] { "golden-al2023", "golden-ubuntu" }, "golden-")]
    [InlineData(new[] { "golden-al2023" }, "golden-al2023/")]
    [InlineData(new[] { "golden-Al2023", "golden-Ubuntu" }, "golden-")]
    [InlineData(new[] { "web", "golden" }, "")]
    public void The_event_rule_filters_on_the_prefix_the_images_share(string[] recipes, string prefix)
    {
        Assert.Equal(prefix, RetentionMarker.EventPrefix(recipes));
    }

    [Fact]
    public void The_stackset_role_trusts_only_the_marker_role_and_may_only_mark_the_factorys_images()
    {
        var role = fixture.StackSetTemplate["Resources"]!["RetentionMarkerRole"]!;
        var properties = role["Properties"]!;
        Assert.Equal("golden-retention-marker-target", (string?)properties["RoleName"]);
        var trust = properties["AssumeRolePolicyDocument"]!["Statement"]![0]!;
        Assert.Equal("arn:${AWS::Partition}:iam::${FactoryAccountId}:root", (string?)trust["Principal"]!["AWS"]!["Fn::Sub"]);
        Assert.Equal("arn:${AWS::Partition}:iam::${FactoryAccountId}:role/golden-retention-marker", (string?)trust["Condition"]!["ArnEquals"]!["aws:PrincipalArn"]!["Fn::Sub"]);
        var statements = Statements(role);
        Assert.Equal(["ListImages", "MarkRetentionWindows"], statements.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("arn:${AWS::Partition}:ec2:*::image/*", (string?)statements["MarkRetentionWindows"]["Resource"]!["Fn::Sub"]);
        Assert.Equal(3, statements["MarkRetentionWindows"]["Condition"]!["ForAllValues:StringEquals"]!["aws:TagKeys"]!.AsArray().Count);
        Assert.Equal(["AwsSolutions-IAM5", "AwsSolutions-IAM5"], role["Metadata"]!["cdk_nag"]!["rules_to_suppress"]!.AsArray().Select(r => (string)r!["id"]!));
        Assert.Equal(["DistributionRole", "LifecycleRole", "RetentionMarkerRole"], fixture.StackSetTemplate["Resources"]!.AsObject().Select(r => r.Key));
        Assert.NotNull(fixture.StackSetTemplate["Outputs"]!["RetentionMarkerRoleArn"]);
    }

    [Theory]
    [InlineData("golden_factory", "FactoryName")]
    [InlineData("golden", "Images[0].Regions[0]")]
    public void Rejects_what_the_marker_cannot_use(string factory, string where)
    {
        var props = new RetentionMarkerProps
        {
            FactoryName = factory,
            Images = [new RetentionMarkerImage { ImageName = "al2023", RecipeName = "golden-al2023", Regions = ["moon-1"], Delete = LifecycleRule.Age(30) }],
        };
        var e = Assert.Throws<ConstructValidationException>(() => new RetentionMarker(TestEnv.NewStack("Rejected"), "Marker", props));
        Assert.Equal($"Rejected/Marker.{where}", e.Where);
    }

    [Fact]
    public void Rejects_an_image_without_a_step()
    {
        var props = new RetentionMarkerProps
        {
            FactoryName = "golden",
            Images = [new RetentionMarkerImage { ImageName = "al2023", RecipeName = "golden-al2023", Regions = ["us-east-1"] }],
        };
        var e = Assert.Throws<ConstructValidationException>(() => new RetentionMarker(TestEnv.NewStack("NoStep"), "Marker", props));
        Assert.Equal("NoStep/Marker.Images[0]", e.Where);
    }
}

internal static class RetentionMarkerTemplateFixtureExtensions
{
    /// <summary>The one input of the fixture's marker.</summary>
    public static string Input(this RetentionMarkerTemplateFixture fixture) => Assert.Single(RetentionMarker.Inputs(RetentionMarkerScenario.Props with { LogKey = null }));
}
