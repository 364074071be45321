using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using AmiInfra.Constructs.Build;

namespace AmiInfra.Constructs.Tests.Build;

/// <summary>
/// Props the Build constructs refuse. They check their props right after joining the construct
/// tree, so a rejected construct keeps its id: each case gets a scope of its own, under one stack
/// that is never synthesized.
/// </summary>
public sealed class BuildValidationFixture
{
    private int _cases;

    public BuildValidationFixture()
    {
        Stack = TestEnv.NewStack("Validation");
        Key = Amazon.CDK.AWS.KMS.Key.FromKeyArn(Stack, "Key", KeyArn);
        Update = Component.FromManaged("update-linux");
    }

    public const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

    public Stack Stack { get; }

    public IKey Key { get; }

    public IComponent Update { get; }

    /// <summary>A fresh scope named Case{n}.</summary>
    public global::Constructs.Construct NewScope() => new(Stack, $"Case{Interlocked.Increment(ref _cases)}");
}

[Collection(CdkCollection.Name)]
public sealed class BuildValidationTests(BuildValidationFixture fixture) : IClassFixture<BuildValidationFixture>
{
    private static BlockDevice Root(int size = 30, string type = "gp3", string keyArn = BuildValidationFixture.KeyArn) => new()
    {
        DeviceName = "/dev/xvda",
        SizeGiB = size,
        VolumeType = type,
        KmsKey = keyArn.Length == 0 ? null! : TestEnv.KeyArn(keyArn),
    };

    private ImageRecipeProps Recipe => new()
    {
        ImageRecipeName = "golden-al2023",
        ParentImage = ParentImage.FromSsmParameterName("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
        Components = [new RecipeComponent(fixture.Update)],
        BlockDevices = [Root()],
    };

    private BuildInfrastructureProps Infrastructure => new() { NamePrefix = "golden", Key = fixture.Key };

    private static ImagePipelineProps Pipeline => new()
    {
        ImagePipelineName = "golden-al2023",
        Recipe = ImageRecipe.FromFragment("Recipe", "golden-al2023", "1.0.1"),
        InfrastructureConfiguration = InfrastructureConfiguration.FromInfrastructureConfigurationArn(TestEnv.NewStack("Imports"), "Infrastructure", "arn:aws:imagebuilder:us-east-1:123456789012:infrastructure-configuration/golden-build"),
        Cron = "cron(0 4 ? * sun *)",
        StartCondition = StartCondition.ExpressionMatchOnly,
    };

    private (ConstructValidationException Error, string Path) Rejected(Func<global::Constructs.Construct, object> create)
    {
        var scope = fixture.NewScope();
        var e = Assert.Throws<ConstructValidationException>(() => create(scope));
        return (e, scope.Node.Path);
    }

    /// <summary>Each bootable type just outside its limits (the rule's table, AmiInfra.Rules.Ebs.Types).</summary>
    public static TheoryData<string, int> SizesOutsideTheLimits()
    {
        var data = new TheoryData<string, int>();
        foreach (var type in AmiInfra.Rules.Ebs.Types)
        {
            data.Add(type.Type, type.MinGiB - 1);
            data.Add(type.Type, type.MaxGiB + 1);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SizesOutsideTheLimits))]
    public void Recipe_rejects_a_volume_size_outside_ebs_limits(string type, int size)
    {
        var iops = AmiInfra.Rules.Ebs.TypeOf(type)!.IopsRequired ? 100 : (int?)null;
        var (e, path) = Rejected(s => new ImageRecipe(s, "Recipe", Recipe with { BlockDevices = [Root(), Root(size, type) with { DeviceName = "/dev/xvdb", Iops = iops }] }));

        Assert.Equal($"{path}/Recipe.BlockDevices[1].SizeGiB", e.Where);
        Assert.Equal(size.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Value);
        Assert.Equal(AmiInfra.Rules.Ebs.SizeAccepted(AmiInfra.Rules.Ebs.TypeOf(type)!), e.Accepted);
    }

    [Fact]
    public void Recipe_rejects_an_unknown_volume_type()
    {
        var (e, path) = Rejected(s => new ImageRecipe(s, "Recipe", Recipe with { BlockDevices = [Root(type: "sc1")] }));

        Assert.Equal($"{path}/Recipe.BlockDevices[0].VolumeType", e.Where);
        Assert.Equal("\"sc1\"", e.Value);
    }

    [Theory]
    [InlineData("arn:aws:kms:us-east-1:123456789012:alias/aws/ebs")]
    [InlineData("")]
    public void Recipe_rejects_the_aws_managed_ebs_key_or_none(string keyArn)
    {
        var (e, path) = Rejected(s => new ImageRecipe(s, "Recipe", Recipe with { BlockDevices = [Root(keyArn: keyArn)] }));

        Assert.Equal($"{path}/Recipe.BlockDevices[0].KmsKey", e.Where);
        Assert.Equal(keyArn.Length == 0 ? null : $"\"{keyArn}\"", e.Value);
        Assert.StartsWith("a customer-managed KMS key", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipe_rejects_zero_components()
    {
        var (e, path) = Rejected(s => new ImageRecipe(s, "Recipe", Recipe with { Components = [] }));

        Assert.Equal($"{path}/Recipe.Components", e.Where);
        Assert.Equal("0 components", e.Value);
        Assert.Equal("1 to 20 components", e.Accepted);
    }

    [Fact]
    public void Recipe_rejects_more_than_twenty_components()
    {
        var (e, _) = Rejected(s => new ImageRecipe(s, "Recipe", Recipe with { Components = Enumerable.Repeat(new RecipeComponent(fixture.Update), 21).ToList() }));

        Assert.Equal("21 components", e.Value);
    }

    [Fact]
    public void Recipe_rejects_no_block_device()
    {
        var (e, path) = Rejected(s => new ImageRecipe(s, "Recipe", Recipe with { BlockDevices = [] }));

        Assert.Equal($"{path}/Recipe.BlockDevices", e.Where);
    }

    [Fact]
    public void Recipe_rejects_user_data_over_the_limit()
    {
        var (e, path) = Rejected(s => new ImageRecipe(s, "Recipe", Recipe with { UserData = new string('#', AmiInfra.Rules.Builds.MaxUserDataBytes + 1) }));

        Assert.Equal($"{path}/Recipe.UserData", e.Where);
        Assert.Equal("a script of 16,384 bytes", e.Value);
    }

    /// <summary>A description beyond Image Builder's 1,024 characters (or empty) is refused, never cut: one rule (Builds.ResourceDescription) for every resource.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1025)]
    public void Recipe_pipeline_and_component_refuse_a_description_image_builder_refuses(int length)
    {
        var text = new string('d', length);

        var (recipe, recipePath) = Rejected(s => new ImageRecipe(s, "Recipe", Recipe with { Description = text }));
        var (pipeline, pipelinePath) = Rejected(s => new ImagePipeline(s, "Pipeline", Pipeline with { Description = text }));
        var (component, componentPath) = Rejected(s => new Component(s, "Component", new ComponentProps
        {
            ComponentName = "golden-setup",
            Platform = ComponentPlatform.Linux,
            Document = Documents.Parse(Documents.Baseline),
            Description = text,
        }));

        Assert.Equal(($"{recipePath}/Recipe.Description", $"{length} characters", "1 to 1024 characters"), (recipe.Where, recipe.Value, recipe.Accepted));
        Assert.Equal(($"{pipelinePath}/Pipeline.Description", $"{length} characters"), (pipeline.Where, pipeline.Value));
        Assert.Equal(($"{componentPath}/Component.Description", $"{length} characters"), (component.Where, component.Value));
    }

    [Theory]
    [InlineData("golden.al2023")]
    [InlineData("ab")]
    [InlineData(" golden")]
    [InlineData("")]
    public void Recipe_rejects_a_name_image_builder_refuses(string name)
    {
        var (e, path) = Rejected(s => new ImageRecipe(s, "Recipe", Recipe with { ImageRecipeName = name }));

        Assert.Equal($"{path}/Recipe.ImageRecipeName", e.Where);
        Assert.Equal($"\"{name}\"", e.Value);
    }

    [Theory]
    [InlineData("Golden")]
    [InlineData("g")]
    [InlineData("golden_factory")]
    [InlineData("golden-")]
    [InlineData("a-factory-name-of-21c")]
    public void Infrastructure_rejects_a_bad_name_prefix(string prefix)
    {
        var (e, path) = Rejected(s => new BuildInfrastructure(s, "Build", Infrastructure with { NamePrefix = prefix }));

        Assert.Equal($"{path}/Build.NamePrefix", e.Where);
        Assert.Equal($"\"{prefix}\"", e.Value);
        Assert.Equal(AmiInfra.Rules.PhysicalNames.Factory.Accepted, e.Accepted);
    }

    [Fact]
    public void Infrastructure_rejects_security_groups_without_a_subnet()
    {
        var (e, path) = Rejected(s => new BuildInfrastructure(s, "Build", Infrastructure with { SecurityGroups = [TestEnv.SecurityGroup("sg-0123456789abcdef0")] }));

        Assert.Equal($"{path}/Build.Subnet", e.Where);
        Assert.Null(e.Value);
        Assert.Equal("a subnet whenever security groups are given", e.Accepted);
    }

    /// <summary>AWSTOE validates a document for the platform it runs on: ExecuteBash has no place in a Windows component.</summary>
    [Fact]
    public void Component_rejects_an_action_module_of_another_platform()
    {
        var document = ComponentDocument.Parse("""
            schemaVersion: 1.0
            phases:
              - name: build
                steps:
                  - name: Hello
                    action: ExecuteBash
                    inputs:
                      commands: [echo hello]
            """, "hello.yml");

        var (e, _) = Rejected(s => new Component(s, "Hello", new ComponentProps { ComponentName = "golden-hello", Document = document, Platform = ComponentPlatform.Windows }));

        Assert.Equal("hello.yml", e.Where);
        Assert.Equal("line 5: action ExecuteBash in step \"Hello\" of a Windows component", e.Value);
        Assert.Equal("an action module that runs on Windows: ExecuteBash runs on Linux only", e.Accepted);
    }

    [Fact]
    public void Infrastructure_rejects_no_instance_type()
    {
        var (e, path) = Rejected(s => new BuildInfrastructure(s, "Build", Infrastructure with { InstanceTypes = [] }));

        Assert.Equal($"{path}/Build.InstanceTypes", e.Where);
    }

    [Fact]
    public void Infrastructure_rejects_an_instance_type_ec2_does_not_name_so()
    {
        var (e, path) = Rejected(s => new BuildInfrastructure(s, "Build", Infrastructure with { InstanceTypes = ["m7i.large", "M7i.large"] }));

        Assert.Equal($"{path}/Build.InstanceTypes[1]", e.Where);
        Assert.Equal("\"M7i.large\"", e.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Infrastructure_rejects_a_log_retention_out_of_range(int days)
    {
        var (e, path) = Rejected(s => new BuildInfrastructure(s, "Build", Infrastructure with { LogRetentionDays = days }));

        Assert.Equal($"{path}/Build.LogRetentionDays", e.Where);
    }

    [Theory]
    [InlineData("0 4 ? * sun *", "it is not of the form cron(...)")]
    [InlineData("cron(0 4 ? * sun)", "it has 5 fields, not 6")]
    [InlineData("cron(0 4 * * sun *)", "exactly one of day-of-month and day-of-week must be '?'")]
    [InlineData("cron(0 24 ? * sun *)", "'24' is not a value or range from 0 to 23 in hours")]
    [InlineData("cron(0 4 ? * sun 1969)", "'1969' is not a value or range from 1970 to 2199 in year")]
    public void Pipeline_rejects_an_invalid_cron(string cron, string problem)
    {
        var (e, path) = Rejected(s => new ImagePipeline(s, "Pipeline", Pipeline with { Cron = cron }));

        Assert.Equal($"{path}/Pipeline.Cron", e.Where);
        Assert.Equal($"\"{cron}\" ({problem})", e.Value);
    }

    [Theory]
    [InlineData(59)]
    [InlineData(1441)]
    public void Pipeline_rejects_a_test_timeout_out_of_range(int minutes)
    {
        var (e, path) = Rejected(s => new ImagePipeline(s, "Pipeline", Pipeline with { TestTimeoutMinutes = minutes }));

        Assert.Equal($"{path}/Pipeline.TestTimeoutMinutes", e.Where);
        Assert.Equal(minutes.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Value);
        Assert.Equal("a whole number from 60 to 1440 minutes", e.Accepted);
    }

    [Theory]
    [InlineData("Europe/Paris")]
    [InlineData("America/New_York")]
    public void Pipeline_rejects_a_time_zone_cloudformation_cannot_express(string timezone)
    {
        var (e, path) = Rejected(s => new ImagePipeline(s, "Pipeline", Pipeline with { Timezone = timezone }));

        Assert.Equal($"{path}/Pipeline.Timezone", e.Where);
        Assert.Equal($"\"{timezone}\"", e.Value);
        Assert.StartsWith("UTC", e.Accepted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("golden_al2023!")]
    [InlineData("")]
    public void Component_rejects_a_name_image_builder_refuses(string name)
    {
        var (e, path) = Rejected(s => new Component(s, "Component", new ComponentProps
        {
            ComponentName = name,
            Document = Documents.Parse(Documents.Baseline),
            Platform = ComponentPlatform.Linux,
        }));

        Assert.Equal($"{path}/Component.ComponentName", e.Where);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.0.0")]
    [InlineData("v1.0")]
    public void Component_rejects_a_major_minor_that_is_not_two_version_nodes(string majorMinor)
    {
        var (e, path) = Rejected(s => new Component(s, "Component", new ComponentProps
        {
            ComponentName = "golden-baseline",
            Document = Documents.Parse(Documents.Baseline),
            Platform = ComponentPlatform.Linux,
            MajorMinor = majorMinor,
        }));

        Assert.Equal($"{path}/Component.MajorMinor", e.Where);
        Assert.Equal($"\"{majorMinor}\"", e.Value);
    }

    [Theory]
    [InlineData("Update-Linux", "x.x.x")]
    [InlineData("update-linux", "latest")]
    [InlineData("update-linux", "1.0")]
    public void Managed_component_rejects_a_bad_name_or_version(string name, string version)
    {
        Assert.Throws<ConstructValidationException>(() => Component.FromManaged(name, version));
    }

    [Theory]
    [InlineData("ssm", "aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")]
    [InlineData("ami", "ami-12345")]
    [InlineData("imagebuilder", "amazon-linux-2023-x86")]
    [InlineData("marketplace", "prod-1")]
    public void Parent_image_rejects_a_malformed_reference(string kind, string value)
    {
        Func<ParentImage> create = kind switch
        {
            "ssm" => () => ParentImage.FromSsmParameterName(value),
            "ami" => () => ParentImage.FromAmiId(value),
            "imagebuilder" => () => ParentImage.FromImageBuilderImage(value),
            _ => () => ParentImage.FromMarketplace(value),
        };

        var e = Assert.Throws<ConstructValidationException>(() => create());

        Assert.Equal($"\"{value}\"", e.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Infrastructure_configuration_rejects_a_hop_limit_imds_does_not_take(int hops)
    {
        var (e, path) = Rejected(s => new InfrastructureConfiguration(s, "Infrastructure", new InfrastructureConfigurationProps { HttpPutResponseHopLimit = hops }));

        Assert.Equal($"{path}/Infrastructure.HttpPutResponseHopLimit", e.Where);
        Assert.Equal("a whole number from 1 to 64 hops", e.Accepted);
    }

    [Fact]
    public void Infrastructure_configuration_rejects_a_role_with_an_instance_profile()
    {
        var (e, path) = Rejected(s => new InfrastructureConfiguration(s, "Infrastructure", new InfrastructureConfigurationProps
        {
            Role = TestEnv.RoleArn("arn:aws:iam::123456789012:role/builder"),
            InstanceProfile = Amazon.CDK.AWS.IAM.InstanceProfile.FromInstanceProfileName(s, "Profile", "builder"),
        }));

        Assert.Equal($"{path}/Infrastructure.Role", e.Where);
    }

    [Theory]
    [InlineData("t3.4xlarge")]
    [InlineData("m7i.medium")]
    public void Infrastructure_rejects_a_size_its_family_does_not_come_in(string instanceType)
    {
        var (e, path) = Rejected(s => new BuildInfrastructure(s, "Build", Infrastructure with { InstanceTypes = ["m7i.large", instanceType] }));

        Assert.Equal($"{path}/Build.InstanceTypes[1]", e.Where);
        Assert.StartsWith("an instance type EC2 has: ", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Infrastructure_configuration_rejects_a_size_its_family_does_not_come_in()
    {
        var (e, path) = Rejected(s => new InfrastructureConfiguration(s, "Infrastructure", new InfrastructureConfigurationProps { InstanceTypes = ["t3.4xlarge"] }));

        Assert.Equal($"{path}/Infrastructure.InstanceTypes[0]", e.Where);
        Assert.Equal("\"t3.4xlarge\"", e.Value);
    }

    [Fact]
    public void Recipe_rejects_a_root_volume_smaller_than_a_known_parents_snapshot()
    {
        var windows = Recipe with
        {
            ParentImage = ParentImage.FromSsmParameterName("/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base"),
            BlockDevices = [Root(size: 29) with { DeviceName = "/dev/sda1" }],
        };

        var (e, path) = Rejected(s => new ImageRecipe(s, "Recipe", windows));

        Assert.Equal($"{path}/Recipe.BlockDevices[0].SizeGiB", e.Where);
        Assert.StartsWith("at least 30 GiB", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Recipe_takes_any_root_volume_for_a_parent_of_unknown_size()
    {
        var scope = fixture.NewScope();

        _ = new ImageRecipe(scope, "Recipe", Recipe with { ParentImage = ParentImage.FromAmiId("ami-0123456789abcdef0"), BlockDevices = [Root(size: 1)] });
    }

    [Fact]
    public void Pipeline_rejects_instance_types_of_another_architecture_than_the_recipes_parent()
    {
        var (e, path) = Rejected(s =>
        {
            var infrastructure = new InfrastructureConfiguration(s, "Infrastructure", new InfrastructureConfigurationProps { InstanceTypes = ["m7g.large", "m7i.large"] });
            var arm = ImageRecipe.FromFragment("Recipe", "golden-al2023-arm", "1.0.1", ParentImage.FromSsmParameterName("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"));
            return new ImagePipeline(s, "Pipeline", Pipeline with { Recipe = arm, InfrastructureConfiguration = infrastructure });
        });

        Assert.Equal($"{path}/Pipeline.InfrastructureConfiguration.InstanceTypes[1]", e.Where);
        Assert.Equal("\"m7i.large\" (x86_64)", e.Value);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void Pipeline_rejects_an_auto_disable_count_image_builder_does_not_take(int failures)
    {
        var (e, path) = Rejected(s => new ImagePipeline(s, "Pipeline", Pipeline with { AutoDisableAfterFailures = failures }));

        Assert.Equal($"{path}/Pipeline.AutoDisableAfterFailures", e.Where);
        Assert.StartsWith("1 to 10 consecutive failed scheduled runs", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_rejects_a_log_group_image_builder_cannot_write_without_an_execution_role()
    {
        var (e, path) = Rejected(s => new ImagePipeline(s, "Pipeline", Pipeline with { ImageLogGroupName = "/platform/golden/al2023" }));

        Assert.Equal($"{path}/Pipeline.ImageLogGroupName", e.Where);
        Assert.StartsWith("a log group under /aws/imagebuilder/", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_takes_a_log_group_elsewhere_with_an_execution_role()
    {
        var scope = fixture.NewScope();

        _ = new ImagePipeline(scope, "Pipeline", Pipeline with { PipelineLogGroupName = "/platform/golden/al2023", ExecutionRole = TestEnv.RoleArn("arn:aws:iam::123456789012:role/pipeline") });
    }

    [Fact]
    public void Image_log_group_rejects_a_retention_cloudwatch_logs_does_not_take()
    {
        var e = Assert.Throws<ConstructValidationException>(() => ImageLogGroup.Render(new ImageLogGroupProps { LogGroupName = "/aws/imagebuilder/golden/al2023", RetentionDays = 100, KmsKeyArn = BuildValidationFixture.KeyArn }, "Logs"));

        Assert.Equal("Logs.RetentionDays", e.Where);
        Assert.Equal("100", e.Value);
    }

    [Fact]
    public void Image_log_group_rejects_a_tag_value_cloudwatch_logs_does_not_take()
    {
        var e = Assert.Throws<ConstructValidationException>(() => ImageLogGroup.Render(new ImageLogGroupProps
        {
            LogGroupName = "/aws/imagebuilder/golden/al2023",
            RetentionDays = 90,
            KmsKeyArn = BuildValidationFixture.KeyArn,
            Tags = new Dictionary<string, string> { ["team"] = "web#1" },
        }, "Logs"));

        Assert.Equal("Logs.Tags[\"team\"]", e.Where);
        Assert.Equal("\"web#1\"", e.Value);
    }

    [Theory]
    [InlineData(InstanceTenancy.Dedicated, "h-0123456789abcdef0", null, null, "Tenancy")]
    [InlineData(null, null, "arn:aws:resource-groups:us-east-1:123456789012:group/hosts", null, "Tenancy")]
    [InlineData(InstanceTenancy.Host, "h-0123456789abcdef0", "arn:aws:resource-groups:us-east-1:123456789012:group/hosts", null, "HostResourceGroupArn")]
    [InlineData(InstanceTenancy.Host, "h-0123", null, null, "HostId")]
    [InlineData(null, null, null, "eu-west-1a", "AvailabilityZone")]
    [InlineData(null, null, null, "us-east-1", "AvailabilityZone")]
    public void Infrastructure_configuration_rejects_a_placement_image_builder_refuses(InstanceTenancy? tenancy, string? hostId, string? group, string? zone, string part)
    {
        var placement = new BuildPlacement { Tenancy = tenancy, HostId = hostId, HostResourceGroupArn = group, AvailabilityZone = zone };

        var (e, path) = Rejected(s => new InfrastructureConfiguration(s, "Infrastructure", new InfrastructureConfigurationProps { Placement = placement }));

        Assert.Equal($"{path}/Infrastructure.Placement.{part}", e.Where);
    }

    [Theory]
    [InlineData("us-east-1b")]
    [InlineData("us-east-1-bos-1a")]
    public void Infrastructure_configuration_takes_a_zone_or_local_zone_of_its_region(string zone)
    {
        var scope = fixture.NewScope();

        _ = new InfrastructureConfiguration(scope, "Infrastructure", new InfrastructureConfigurationProps { Placement = new BuildPlacement { AvailabilityZone = zone, Tenancy = InstanceTenancy.Dedicated } });
    }

    [Theory]
    [InlineData("arn:aws:events:ap-south-1:123456789012:event-bus/platform")]
    [InlineData("arn:aws-cn:events:cn-north-1:123456789012:event-bus/platform")]
    [InlineData("arn:aws:sns:us-east-1:123456789012:platform")]
    public void Events_reject_a_bus_eventbridge_does_not_deliver_to_from_the_region(string bus)
    {
        var (e, path) = Rejected(s => new BuildEvents(s, "Events", new BuildEventsProps { Build = new BuildInfrastructure(s, "Build", Infrastructure), EventBusArn = bus }));

        Assert.Equal($"{path}/Events.EventBusArn", e.Where);
    }
}
