using System.Text;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.KMS;
using AmiInfra.Constructs.Build;
using Annotations = Amazon.CDK.Assertions.Annotations;

namespace AmiInfra.Constructs.Tests.Build;

/// <summary>
/// A factory's build side, synthesized once: shared infrastructure (with a second configuration
/// for Graviton instances), one component of ours and one AWS-managed, an x86 recipe from an SSM
/// parameter with two volumes, an Arm recipe from an Image Builder image, and three pipelines:
/// scheduled without a start condition, scheduled with one, and manual.
/// </summary>
public sealed class BuildTemplateFixture
{
    public const string UserData = "#!/bin/bash\necho 'build starts'\n";
    public const string DistributionArn = "arn:aws:imagebuilder:us-east-1:123456789012:distribution-configuration/golden-al2023";

    public BuildTemplateFixture()
    {
        var stack = TestEnv.NewStack("Factory");
        var key = new Key(stack, "BuildKey", new KeyProps { EnableKeyRotation = true });
        var build = new BuildInfrastructure(stack, "Build", new BuildInfrastructureProps
        {
            NamePrefix = "golden",
            Key = key,
            InstanceTypes = ["m7i.large", "m6i.large"],
            Subnet = TestEnv.Subnet("subnet-0123456789abcdef0"),
            SecurityGroups = [TestEnv.SecurityGroup("sg-0123456789abcdef0")],
            LogRetentionDays = 30,
            Tags = new Dictionary<string, string> { ["team"] = "platform" },
        });
        DefaultInfrastructureArn = build.DefaultInfrastructure.InfrastructureConfigurationArn;
        DefaultAgainArn = build.InfrastructureFor(["m7i.large", "m6i.large"]).InfrastructureConfigurationArn;
        var graviton = build.InfrastructureFor(["m7g.large"]);
        GravitonAgainArn = build.InfrastructureFor(["m7g.large"]).InfrastructureConfigurationArn;

        Hardening = new Component(stack, "Hardening", new ComponentProps
        {
            ComponentName = "golden-hardening",
            Document = Documents.Parse(Documents.Hardening, "components/hardening.yaml"),
            Platform = ComponentPlatform.Linux,
            Tags = new Dictionary<string, string> { ["team"] = "platform" },
        });
        var update = Component.FromManaged("update-linux");
        Recipe = new ImageRecipe(stack, "Recipe", new ImageRecipeProps
        {
            ImageRecipeName = "golden-al2023",
            Description = "Amazon Linux 2023, hardened",
            ParentImage = ParentImage.FromSsmParameterName("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
            Components = [new RecipeComponent(update), new RecipeComponent(Hardening, new Dictionary<string, string> { ["Level"] = "2", ["Audit"] = "true" })],
            BlockDevices =
            [
                new BlockDevice { DeviceName = "/dev/xvda", SizeGiB = 30, KmsKey = key, ThroughputMiBps = 250 },
                new BlockDevice { DeviceName = "/dev/xvdb", SizeGiB = 100, VolumeType = "io2", Iops = 4000, KmsKey = key },
            ],
            WorkingDirectory = "/var/tmp/imagebuilder",
            RemoveSsmAgent = true,
            UserData = UserData,
            Tags = new Dictionary<string, string> { ["team"] = "platform" },
        });
        var arm = new ImageRecipe(stack, "ArmRecipe", new ImageRecipeProps
        {
            ImageRecipeName = "golden-al2023-arm",
            ParentImage = ParentImage.FromImageBuilderImage("amazon-linux-2023-arm64/x.x.x"),
            Components = [new RecipeComponent(Component.FromManaged("update-linux", "1.0.2"))],
            BlockDevices = [new BlockDevice { DeviceName = "/dev/xvda", SizeGiB = 20, KmsKey = key }],
        });

        _ = new ImagePipeline(stack, "Pipeline", new ImagePipelineProps
        {
            ImagePipelineName = "golden-al2023",
            Description = "Weekly hardened Amazon Linux 2023",
            Recipe = Recipe,
            InfrastructureConfiguration = build.DefaultInfrastructure,
            DistributionConfiguration = AmiInfra.Constructs.Distribution.DistributionConfiguration.FromDistributionConfigurationArn(stack, "Distribution", DistributionArn),
            Cron = "cron(0 4 ? * sun *)",
            TestTimeoutMinutes = 120,
            Tags = new Dictionary<string, string> { ["team"] = "platform" },
        });
        _ = new ImagePipeline(stack, "ArmPipeline", new ImagePipelineProps
        {
            ImagePipelineName = "golden-al2023-arm",
            Recipe = arm,
            InfrastructureConfiguration = graviton,
            Cron = "cron(30 2 1 * ? *)",
            StartCondition = StartCondition.ExpressionMatchOnly,
            Timezone = "Etc/UTC",
            Enabled = false,
            TestsEnabled = false,
            ScanningEnabled = false,
            EnhancedMetadata = false,
        });
        _ = new ImagePipeline(stack, "ManualPipeline", new ImagePipelineProps
        {
            ImagePipelineName = "golden-al2023-manual",
            Recipe = Recipe,
            InfrastructureConfiguration = build.DefaultInfrastructure,
        });

        Template = Template.FromStack(stack);
        Annotations = Annotations.FromStack(stack);
        KeyId = Single(Template, "AWS::KMS::Key");
        RoleId = Single(Template, "AWS::IAM::Role");
        PolicyId = Single(Template, "AWS::IAM::Policy");
        ProfileId = Single(Template, "AWS::IAM::InstanceProfile");
        BucketId = Single(Template, "AWS::S3::Bucket");
        TopicId = Single(Template, "AWS::SNS::Topic");
        HardeningId = Single(Template, "AWS::ImageBuilder::Component");
    }

    public Template Template { get; }

    public Annotations Annotations { get; }

    public Component Hardening { get; }

    public ImageRecipe Recipe { get; }

    public string DefaultInfrastructureArn { get; }

    public string DefaultAgainArn { get; }

    public string GravitonAgainArn { get; }

    public string KeyId { get; }

    public string RoleId { get; }

    public string PolicyId { get; }

    public string ProfileId { get; }

    public string BucketId { get; }

    public string TopicId { get; }

    public string HardeningId { get; }

    private static string Single(Template template, string type) => Assert.Single(template.FindResources(type).Keys);
}

[Collection(CdkCollection.Name)]
public sealed class BuildTemplateTests(BuildTemplateFixture fixture) : IClassFixture<BuildTemplateFixture>
{
    private readonly Template _template = fixture.Template;

    private static Dictionary<string, object> Ref(string id) => new() { ["Ref"] = id };

    private static Dictionary<string, object> Arn(string id) => new() { ["Fn::GetAtt"] = new object[] { id, "Arn" } };

    private static Dictionary<string, object> Join(params object[] parts) => new() { ["Fn::Join"] = new object[] { "", parts } };

    private static readonly Dictionary<string, object> Partition = Ref("AWS::Partition");

    private static readonly Dictionary<string, object> Region = Ref("AWS::Region");

    private static IDictionary<string, object> Map(params (string Key, object Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    private static Dictionary<string, object> DenyInsecureTransport(string action, object principal) => new()
    {
        ["Effect"] = "Deny",
        ["Action"] = action,
        ["Principal"] = principal,
        ["Condition"] = Map(("Bool", Map(("aws:SecureTransport", "false")))),
    };

    // --- BuildInfrastructure ---

    [Fact]
    public void Instance_role_is_assumable_by_ec2_and_holds_only_the_two_managed_policies_image_builder_documents()
    {
        _template.HasResourceProperties("AWS::IAM::Role", new Dictionary<string, object>
        {
            ["RoleName"] = "golden-image-build-instance",
            ["AssumeRolePolicyDocument"] = Match.ObjectLike(Map(("Statement", new object[]
            {
                Map(("Action", "sts:AssumeRole"), ("Effect", "Allow"), ("Principal", Map(("Service", "ec2.amazonaws.com")))),
            }))),
            ["ManagedPolicyArns"] = new object[]
            {
                Join("arn:", Partition, ":iam::aws:policy/AmazonSSMManagedInstanceCore"),
                Join("arn:", Partition, ":iam::aws:policy/EC2InstanceProfileForImageBuilder"),
            },
        });
        _template.ResourceCountIs("AWS::IAM::Role", 1);
    }

    [Fact]
    public void Instance_role_may_only_write_logs_under_the_prefix_and_use_the_key_through_s3()
    {
        _template.HasResourceProperties("AWS::IAM::Policy", new Dictionary<string, object>
        {
            ["Roles"] = new object[] { Ref(fixture.RoleId) },
            ["PolicyDocument"] = Match.ObjectLike(Map(("Statement", new object[]
            {
                Map(
                    ("Sid", "WriteBuildLogs"),
                    ("Effect", "Allow"),
                    ("Action", "s3:PutObject"),
                    ("Resource", Join(Arn(fixture.BucketId), "/logs/*"))),
                Map(
                    ("Sid", "EncryptBuildLogs"),
                    ("Effect", "Allow"),
                    ("Action", new object[] { "kms:GenerateDataKey", "kms:Decrypt" }),
                    ("Resource", Arn(fixture.KeyId)),
                    ("Condition", Map(("StringEquals", Map(("kms:ViaService", "s3.us-east-1.amazonaws.com")))))),
            }))),
        });
        _template.ResourceCountIs("AWS::IAM::Policy", 1);
    }

    [Fact]
    public void Instance_profile_holds_the_instance_role()
    {
        _template.HasResourceProperties("AWS::IAM::InstanceProfile", new Dictionary<string, object>
        {
            ["InstanceProfileName"] = "golden-image-build-instance",
            ["Roles"] = new object[] { Ref(fixture.RoleId) },
        });
    }

    [Fact]
    public void Infrastructure_requires_imdsv2_with_hop_limit_2_and_terminates_failed_instances()
    {
        _template.ResourceCountIs("AWS::ImageBuilder::InfrastructureConfiguration", 2);
        _template.AllResourcesProperties("AWS::ImageBuilder::InfrastructureConfiguration", Match.ObjectLike(new Dictionary<string, object>
        {
            ["InstanceMetadataOptions"] = Match.ObjectEquals(Map(("HttpTokens", "required"), ("HttpPutResponseHopLimit", 2))),
            ["TerminateInstanceOnFailure"] = true,
            ["InstanceProfileName"] = Ref(fixture.ProfileId),
            ["Logging"] = Match.ObjectEquals(Map(("S3Logs", Map(("S3BucketName", Ref(fixture.BucketId)), ("S3KeyPrefix", "logs"))))),
            ["SnsTopicArn"] = Ref(fixture.TopicId),
            ["SubnetId"] = "subnet-0123456789abcdef0",
            ["SecurityGroupIds"] = new object[] { "sg-0123456789abcdef0" },
            ["Tags"] = Map(("team", "platform")),
            ["ResourceTags"] = Map(("team", "platform")),
        }));
    }

    [Fact]
    public void Infrastructure_is_created_after_the_instance_role_and_its_policy()
    {
        _template.HasResource("AWS::ImageBuilder::InfrastructureConfiguration", new Dictionary<string, object>
        {
            ["Properties"] = Match.ObjectLike(Map(("Name", "golden-build"))),
            ["DependsOn"] = Match.ArrayWith([fixture.PolicyId, fixture.RoleId]),
        });
    }

    [Fact]
    public void Default_infrastructure_uses_the_given_instance_types_in_order()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::InfrastructureConfiguration", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-build",
            ["InstanceTypes"] = new object[] { "m7i.large", "m6i.large" },
        }));
    }

    [Fact]
    public void Infrastructure_for_other_instance_types_is_a_second_configuration_shared_by_later_requests()
    {
        var name = new Capture();
        _template.HasResourceProperties("AWS::ImageBuilder::InfrastructureConfiguration", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = name,
            ["InstanceTypes"] = new object[] { "m7g.large" },
        }));

        Assert.Matches("^golden-build-[0-9a-f]{1,8}$", name.AsString());
        Assert.Equal(fixture.DefaultInfrastructureArn, fixture.DefaultAgainArn);
        Assert.NotEqual(fixture.DefaultInfrastructureArn, fixture.GravitonAgainArn);
    }

    [Fact]
    public void Log_bucket_is_kms_encrypted_private_retained_and_expires_logs()
    {
        _template.HasResource("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["DeletionPolicy"] = "Retain",
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["BucketName"] = "golden-build-logs-123456789012-us-east-1",
                ["BucketEncryption"] = Map(("ServerSideEncryptionConfiguration", new object[]
                {
                    Map(
                        ("BucketKeyEnabled", true),
                        ("ServerSideEncryptionByDefault", Map(("SSEAlgorithm", "aws:kms"), ("KMSMasterKeyID", Arn(fixture.KeyId))))),
                })),
                ["PublicAccessBlockConfiguration"] = Map(
                    ("BlockPublicAcls", true), ("BlockPublicPolicy", true), ("IgnorePublicAcls", true), ("RestrictPublicBuckets", true)),
                ["OwnershipControls"] = Map(("Rules", new object[] { Map(("ObjectOwnership", "BucketOwnerEnforced")) })),
                ["LifecycleConfiguration"] = Map(("Rules", new object[]
                {
                    Map(("Id", "ExpireBuildLogs"), ("Status", "Enabled"), ("ExpirationInDays", 30), ("AbortIncompleteMultipartUpload", Map(("DaysAfterInitiation", 7)))),
                })),
            }),
        });
    }

    [Fact]
    public void Log_bucket_refuses_requests_without_tls()
    {
        _template.HasResourceProperties("AWS::S3::BucketPolicy", new Dictionary<string, object>
        {
            ["Bucket"] = Ref(fixture.BucketId),
            ["PolicyDocument"] = Match.ObjectLike(Map(("Statement", Match.ArrayWith([Match.ObjectLike(DenyInsecureTransport("s3:*", Map(("AWS", "*"))))])))),
        });
    }

    [Fact]
    public void Topic_is_encrypted_with_the_key_and_refuses_requests_without_tls()
    {
        _template.HasResourceProperties("AWS::SNS::Topic", new Dictionary<string, object>
        {
            ["TopicName"] = "golden-image-builder",
            ["DisplayName"] = "golden image builds",
            ["KmsMasterKeyId"] = Arn(fixture.KeyId),
        });
        _template.HasResourceProperties("AWS::SNS::TopicPolicy", new Dictionary<string, object>
        {
            ["Topics"] = new object[] { Ref(fixture.TopicId) },
            ["PolicyDocument"] = Match.ObjectLike(Map(("Statement", Match.ArrayWith([Match.ObjectLike(DenyInsecureTransport("sns:Publish", "*"))])))),
        });
    }

    /// <summary>
    /// Fix 9: Image Builder notifies the topic of every AVAILABLE and FAILED image itself, so no EventBridge rule
    /// sends failures a second time, and the topic policy lets no service in: it only denies publishing without TLS.
    /// </summary>
    [Fact]
    public void Failed_builds_are_notified_once_by_image_builder_and_the_topic_admits_no_other_service()
    {
        _template.ResourceCountIs("AWS::Events::Rule", 0);
        _template.HasResourceProperties("AWS::ImageBuilder::InfrastructureConfiguration", Match.ObjectLike(Map(("SnsTopicArn", Ref(fixture.TopicId)))));
        _template.HasResourceProperties("AWS::SNS::TopicPolicy", new Dictionary<string, object>
        {
            ["Topics"] = new object[] { Ref(fixture.TopicId) },
            ["PolicyDocument"] = Match.ObjectLike(Map(("Statement", new object[] { Match.ObjectLike(DenyInsecureTransport("sns:Publish", "*")) }))),
        });
    }

    // --- Component ---

    [Fact]
    public void Component_carries_the_document_and_a_version_derived_from_it()
    {
        var version = new Capture();
        _template.HasResourceProperties("AWS::ImageBuilder::Component", new Dictionary<string, object>
        {
            ["Name"] = "golden-hardening",
            ["Version"] = version,
            ["Platform"] = "Linux",
            ["Data"] = Documents.Hardening,
            ["Description"] = "Hardens the build per the CIS benchmark",
            ["ChangeDescription"] = Match.StringLikeRegexp("^Content fingerprint [0-9a-f]{12}$"),
            ["Tags"] = Map(("team", "platform")),
        });

        Assert.Matches(@"^1\.0\.\d{1,10}$", version.AsString());
        Assert.True(long.Parse(version.AsString().Split('.')[2], System.Globalization.CultureInfo.InvariantCulture) <= Component.MaxVersionNode);
        Assert.Equal(fixture.Hardening.ComponentVersion, version.AsString());
        Assert.Equal($"golden-hardening/{version.AsString()}", fixture.Hardening.Fingerprint);
    }

    [Fact]
    public void Component_is_only_the_one_of_ours_managed_ones_are_referenced()
    {
        _template.ResourceCountIs("AWS::ImageBuilder::Component", 1);
    }

    // --- ImageRecipe ---

    [Fact]
    public void Recipe_starts_from_the_ssm_parameter_and_runs_components_in_order_with_sorted_parameters()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::ImageRecipe", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023",
            ["Version"] = fixture.Recipe.ImageRecipeVersion,
            ["Description"] = "Amazon Linux 2023, hardened",
            ["ParentImage"] = "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
            ["Components"] = new object[]
            {
                Match.ObjectEquals(Map(("ComponentArn", Join("arn:", Partition, ":imagebuilder:", Region, ":aws:component/update-linux/x.x.x")))),
                Match.ObjectEquals(Map(
                    ("ComponentArn", Ref(fixture.HardeningId)),
                    ("Parameters", new object[]
                    {
                        Map(("Name", "Audit"), ("Value", new object[] { "true" })),
                        Map(("Name", "Level"), ("Value", new object[] { "2" })),
                    }))),
            },
        }));
        Assert.Matches(@"^1\.0\.\d{1,10}$", fixture.Recipe.ImageRecipeVersion);
    }

    [Fact]
    public void Recipe_volumes_are_encrypted_with_the_customer_managed_key_and_deleted_with_the_instance()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::ImageRecipe", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023",
            ["BlockDeviceMappings"] = new object[]
            {
                Map(("DeviceName", "/dev/xvda"), ("Ebs", Match.ObjectEquals(Map(
                    ("VolumeSize", 30), ("VolumeType", "gp3"), ("Throughput", 250),
                    ("Encrypted", true), ("KmsKeyId", Arn(fixture.KeyId)), ("DeleteOnTermination", true))))),
                Map(("DeviceName", "/dev/xvdb"), ("Ebs", Match.ObjectEquals(Map(
                    ("VolumeSize", 100), ("VolumeType", "io2"), ("Iops", 4000),
                    ("Encrypted", true), ("KmsKeyId", Arn(fixture.KeyId)), ("DeleteOnTermination", true))))),
            },
        }));
    }

    [Fact]
    public void Recipe_sets_working_directory_removes_the_ssm_agent_and_base64_encodes_user_data()
    {
        var userData = new Capture();
        _template.HasResourceProperties("AWS::ImageBuilder::ImageRecipe", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023",
            ["WorkingDirectory"] = "/var/tmp/imagebuilder",
            ["AdditionalInstanceConfiguration"] = Match.ObjectEquals(Map(
                ("SystemsManagerAgent", Map(("UninstallAfterBuild", true))),
                ("UserDataOverride", userData))),
            ["Tags"] = Map(("team", "platform")),
        }));

        Assert.Equal(BuildTemplateFixture.UserData, Encoding.UTF8.GetString(Convert.FromBase64String(userData.AsString())));
    }

    [Fact]
    public void Recipe_from_an_image_builder_image_resolves_it_in_the_stack_partition_and_region()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::ImageRecipe", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023-arm",
            ["ParentImage"] = Join("arn:", Partition, ":imagebuilder:", Region, ":aws:image/amazon-linux-2023-arm64/x.x.x"),
            ["Components"] = new object[]
            {
                Map(("ComponentArn", Join("arn:", Partition, ":imagebuilder:", Region, ":aws:component/update-linux/1.0.2"))),
            },
            ["AdditionalInstanceConfiguration"] = Match.ObjectEquals(Map(("SystemsManagerAgent", Map(("UninstallAfterBuild", false))))),
            ["WorkingDirectory"] = Match.Absent(),
            ["Description"] = Match.Absent(),
        }));
    }

    /// <summary>How pipelines refer to an infrastructure configuration: by an ARN built from its name, usable from any stack.</summary>
    private static Dictionary<string, object> InfrastructureArn(string name) => new()
    {
        ["Fn::Join"] = new object[]
        {
            "",
            new object[]
            {
                "arn:", Map(("Ref", "AWS::Partition")), ":imagebuilder:", Map(("Ref", "AWS::Region")), ":",
                Map(("Ref", "AWS::AccountId")), ":infrastructure-configuration/" + name,
            },
        },
    };

    // --- ImagePipeline ---

    [Fact]
    public void Scheduled_pipeline_without_a_start_condition_renders_the_service_default_and_warns()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::ImagePipeline", new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023",
            ["Description"] = "Weekly hardened Amazon Linux 2023",
            ["ImageRecipeArn"] = Ref(Single("AWS::ImageBuilder::ImageRecipe", "golden-al2023")),
            ["InfrastructureConfigurationArn"] = InfrastructureArn("golden-build"),
            ["DistributionConfigurationArn"] = BuildTemplateFixture.DistributionArn,
            ["Status"] = "ENABLED",
            ["Schedule"] = Map(("ScheduleExpression", "cron(0 4 ? * sun *)"), ("PipelineExecutionStartCondition", "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE")),
            ["ImageTestsConfiguration"] = Map(("ImageTestsEnabled", true), ("TimeoutMinutes", 120)),
            ["ImageScanningConfiguration"] = Map(("ImageScanningEnabled", true)),
            ["EnhancedImageMetadataEnabled"] = true,
            ["Tags"] = Map(("team", "platform")),
        });
        fixture.Annotations.HasWarning("/Factory/Pipeline", Match.StringLikeRegexp("^golden-al2023: no start condition chosen"));
    }

    [Fact]
    public void Pipeline_with_a_chosen_start_condition_renders_it_and_does_not_warn()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::ImagePipeline", new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023-arm",
            ["ImageRecipeArn"] = Ref(Single("AWS::ImageBuilder::ImageRecipe", "golden-al2023-arm")),
            ["Status"] = "DISABLED",
            ["Schedule"] = Match.ObjectEquals(Map(("ScheduleExpression", "cron(30 2 1 * ? *)"), ("PipelineExecutionStartCondition", "EXPRESSION_MATCH_ONLY"), ("AutoDisablePolicy", Map(("FailureCount", 5))))),
            ["ImageTestsConfiguration"] = Map(("ImageTestsEnabled", false), ("TimeoutMinutes", 90)),
            ["ImageScanningConfiguration"] = Map(("ImageScanningEnabled", false)),
            ["EnhancedImageMetadataEnabled"] = false,
        });
        fixture.Annotations.HasNoWarning("/Factory/ArmPipeline", Match.AnyValue());
    }

    [Fact]
    public void Pipeline_on_other_instance_types_uses_their_configuration()
    {
        var graviton = Assert.Single(_template.FindResources("AWS::ImageBuilder::InfrastructureConfiguration", new Dictionary<string, object>
        {
            ["Properties"] = Match.ObjectLike(Map(("InstanceTypes", new object[] { "m7g.large" }))),
        }).Values);
        var name = (string)((IDictionary<string, object>)((IDictionary<string, object>)graviton)["Properties"])["Name"];

        _template.HasResourceProperties("AWS::ImageBuilder::ImagePipeline", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023-arm",
            ["InfrastructureConfigurationArn"] = InfrastructureArn(name),
        }));
    }

    [Fact]
    public void Manual_pipeline_has_no_schedule_and_does_not_warn()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::ImagePipeline", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023-manual",
            ["Schedule"] = Match.Absent(),
            ["DistributionConfigurationArn"] = Match.Absent(),
            ["ImageTestsConfiguration"] = Map(("ImageTestsEnabled", true), ("TimeoutMinutes", 90)),
        }));
        fixture.Annotations.HasNoWarning("/Factory/ManualPipeline", Match.AnyValue());
    }

    private string Single(string type, string name) =>
        Assert.Single(_template.FindResources(type, new Dictionary<string, object> { ["Properties"] = Match.ObjectLike(Map(("Name", name))) }).Keys);
}
