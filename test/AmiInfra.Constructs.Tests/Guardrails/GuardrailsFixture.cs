using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.CXAPI;
using AmiInfra.Constructs.Build;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Constructs.Guardrails;
using AmiInfra.Constructs.Lifecycle;
using AmiInfra.Constructs.TargetAccounts;
using Constructs;
using CdkLifecycleRule = AmiInfra.Constructs.Lifecycle.LifecycleRule;
using GuardrailPack = AmiInfra.Constructs.Guardrails.Guardrails;

namespace AmiInfra.Constructs.Tests.Guardrails;

/// <summary>An annotation of a synthesized stack.</summary>
public sealed record Message(string Level, string Path, string Text);

/// <summary>
/// Two apps, each synthesized once. The main app (guardrails with default options) holds a compliant
/// factory built from the real constructs (home stack, second-region stack, target-account stack), one
/// stack per rule with exactly that rule's fault, and a stack for acknowledgements. The opted-in app
/// declares public images and a key pair. A third app has the guardrails on one of its stacks only.
/// </summary>
public sealed class GuardrailsFixture
{
    public const string Account = TestEnv.Account;
    public const string LaunchAccount = "111111111111";
    public const string TargetAccount = "222222222222";
    public const string OrganizationArn = "arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5";
    public const string OrganizationalUnitArn = "arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34";
    public const string AcknowledgementReason = "imported key material, rotated by the HSM team every 90 days";

    /// <summary>The stacks of the compliant factory.</summary>
    public static readonly string[] CompliantStacks = ["Compliant", "CompliantRegion", "CompliantTarget"];

    private readonly Dictionary<string, IReadOnlyList<Message>> _messages = new(StringComparer.Ordinal);

    public GuardrailsFixture()
    {
        var main = new App();
        GuardrailPack.Apply(main);
        Compliant(main);
        Faults(main);
        RealConstructFault(main);
        Acknowledgements(main);
        FragmentResources(main);
        Read(main);

        var optedIn = new App();
        GuardrailPack.Apply(optedIn, new GuardrailOptions { AllowPublicImages = true, DeclaredKeyPairs = ["builder"] });
        var opted = NewStack(optedIn, "OptedIn");
        PublicDistribution(opted);
        Infrastructure(opted, "Infrastructure", keyPair: "builder");

        // AMI-020: public sharing (to us-east-1) where the app blocks public access for AMIs in the same account and
        // region; in another account, the block is in another region than the sharing, and nothing is found.
        Stack Other(string account, string id, string region) => new(optedIn, id, new StackProps { Env = new Amazon.CDK.Environment { Account = account, Region = region } });
        PublicDistribution(Other("210987654321", "AMI-020", "us-east-1"));
        new AmiInfra.Constructs.Governance.AccountControls(Other("210987654321", "AMI-020-Controls", "us-east-1"), "Controls", new AmiInfra.Constructs.Governance.AccountControlsProps { NamePrefix = "golden", ImageBlockPublicAccess = true });
        PublicDistribution(Other("310987654321", "AMI-020-OtherRegion", "us-east-1"));
        new AmiInfra.Constructs.Governance.AccountControls(Other("310987654321", "AMI-020-OtherControls", "eu-west-1"), "Controls", new AmiInfra.Constructs.Governance.AccountControlsProps { NamePrefix = "golden", ImageBlockPublicAccess = true });
        Read(optedIn);

        // Applied to one stack rather than the app: that stack is checked, its sibling is not.
        var stackScoped = new App();
        var guarded = NewStack(stackScoped, "StackScoped");
        new Key(guarded, "Key", new KeyProps { EnableKeyRotation = false });
        new Key(NewStack(stackScoped, "Sibling"), "Key", new KeyProps { EnableKeyRotation = false });
        GuardrailPack.Apply(guarded);
        Read(stackScoped);
        AlreadyGuarded = main;
    }

    /// <summary>An app the guardrails are applied to (for the second-call test).</summary>
    public App AlreadyGuarded { get; }

    /// <summary>The path of the acknowledged key's resource, and of the one that is not.</summary>
    public string AcknowledgedKeyPath { get; private set; } = "";

    public string UnacknowledgedKeyPath { get; private set; } = "";

    /// <summary>The cdk_nag metadata of the acknowledged key's resource, resolved.</summary>
    public object? AcknowledgedKeyMetadata { get; private set; }

    /// <summary>The guardrail annotations (those starting with a rule id) of a stack.</summary>
    public IReadOnlyList<Message> Findings(string stack) => _messages[stack].Where(m => m.Text.StartsWith("AMI-", StringComparison.Ordinal)).ToList();

    /// <summary>Every annotation of a stack.</summary>
    public IReadOnlyList<Message> Messages(string stack) => _messages[stack];

    private void Read(App app)
    {
        var assembly = app.Synth();
        foreach (var stack in assembly.Stacks)
        {
            _messages[stack.StackName] = stack.Messages
                .Select(m => new Message(m.Level.ToString(), m.Id, m.Entry.Data as string ?? ""))
                .ToList();
        }
    }

    private static Stack NewStack(App app, string id, string region = TestEnv.Region) =>
        new(app, id, new StackProps { Env = new Amazon.CDK.Environment { Account = Account, Region = region } });

    private static void Compliant(App app)
    {
        var home = NewStack(app, "Compliant");
        var key = new Key(home, "BuildKey", new KeyProps { EnableKeyRotation = true, Alias = "alias/golden/build" });
        var build = new BuildInfrastructure(home, "Build", new BuildInfrastructureProps { NamePrefix = "golden", Key = key });
        var recipe = new ImageRecipe(home, "Recipe", new ImageRecipeProps
        {
            ImageRecipeName = "golden-al2023",
            ParentImage = ParentImage.FromSsmParameterName("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
            Components = [new RecipeComponent(Component.FromManaged("update-linux"))],
            BlockDevices = [new BlockDevice { DeviceName = "/dev/xvda", SizeGiB = 20, KmsKey = key }],
        });
        string[] regions = [TestEnv.Region, "eu-west-1"];
        var distribution = new DistributionConfiguration(home, "Distribution", new DistributionConfigurationProps
        {
            DistributionConfigurationName = "golden-al2023",
            Regions = regions.Select(region => new RegionDistribution
            {
                Region = region,
                KmsKey = RegionalKey.FromAlias(home, $"AmiKey-{region}", region, "golden/ami"),
                AmiName = "golden-al2023-{{ imagebuilder:buildDate }}",
                LaunchAccounts = [LaunchAccount],
                LaunchOrganizationArns = [OrganizationArn],
                LaunchOrganizationalUnitArns = [OrganizationalUnitArn],
                TargetAccounts = [TargetAccount],
            }).ToList(),
        });
        new ImagePipeline(home, "Pipeline", new ImagePipelineProps
        {
            ImagePipelineName = "golden-al2023",
            Recipe = recipe,
            InfrastructureConfiguration = build.DefaultInfrastructure,
            DistributionConfiguration = distribution,
            Cron = "cron(0 4 ? * sun *)",
            StartCondition = StartCondition.ExpressionMatchOnly,
        });
        var role = new LifecycleExecutionRole(home, "LifecycleRole");
        new AmiLifecyclePolicy(home, "Lifecycle", new AmiLifecyclePolicyProps
        {
            LifecyclePolicyName = "golden-al2023",
            ExecutionRole = role.Role,
            Recipes = [new RecipeSelection("golden-al2023")],
            Deprecate = CdkLifecycleRule.Age(90),
            Delete = CdkLifecycleRule.Age(365),
        });
        RegionalResources(home);
        var compliantRegion = NewStack(app, "CompliantRegion", "eu-west-1");
        RegionalResources(compliantRegion);
        new AmiInfra.Constructs.Governance.AccountControls(compliantRegion, "Controls", new AmiInfra.Constructs.Governance.AccountControlsProps
        {
            NamePrefix = "golden",
            ImageBlockPublicAccess = true,
            SnapshotBlockPublicAccess = "block-all-sharing",
            EbsEncryptionByDefault = true,
            EbsDefaultKey = AmiInfra.Constructs.Governance.AccountControlsProps.AwsManagedKey,
            AllowedImagesMode = "audit-mode",
            AllowedImagesCriteria = [new([Account], [], null, null), new(["amazon"], ["al2023-ami-*"], 365, 30)],
        });

        var target = NewStack(app, "CompliantTarget");
        new CrossAccountLifecycleRole(target, "LifecycleAccess", new CrossAccountLifecycleRoleProps { FactoryAccount = Account });
        new TargetAccountStackSet(target, "Targets", new TargetAccountStackSetProps
        {
            StackSetName = "golden-distribution-targets",
            FactoryAccount = Account,
            OrganizationalUnitIds = ["ou-ab12-cdefgh34"],
            Region = TestEnv.Region,
        });
    }

    private static void RegionalResources(Stack stack)
    {
        new RegionalKey(stack, "AmiKey", new RegionalKeyProps
        {
            AliasName = "golden/ami",
            LaunchAccounts = [LaunchAccount],
            LaunchOrganizationArns = [OrganizationArn],
            LaunchOrganizationalUnitArns = [OrganizationalUnitArn],
            TargetAccounts = [TargetAccount],
        });
        new RecycleBinRetention(stack, "RecycleBin", new RecycleBinRetentionProps { FactoryName = "golden" });
    }

    /// <summary>One stack per rule, each with exactly that rule's fault; the stack is named after the rule.</summary>
    private static void Faults(App app)
    {
        PublicDistribution(NewStack(app, "AMI-001"));

        RawDistribution(NewStack(app, "AMI-003-NoKey"), null, new Dictionary<string, object> { ["UserIds"] = new[] { LaunchAccount } }, null);
        RawDistribution(NewStack(app, "AMI-003-AwsEbs"), $"arn:aws:kms:{TestEnv.Region}:{Account}:alias/aws/ebs", null, [TargetAccount]);

        var ungranted = NewStack(app, "AMI-004");
        new RegionalKey(ungranted, "AmiKey", new RegionalKeyProps { AliasName = "narrow/ami", LaunchAccounts = [LaunchAccount] });
        new DistributionConfiguration(ungranted, "Distribution", new DistributionConfigurationProps
        {
            DistributionConfigurationName = "narrow",
            Regions =
            [
                new RegionDistribution
                {
                    Region = TestEnv.Region,
                    KmsKey = RegionalKey.FromAlias(ungranted, "NarrowKey", TestEnv.Region, "narrow/ami"),
                    AmiName = "narrow-{{ imagebuilder:buildDate }}",
                    LaunchAccounts = [LaunchAccount, "333333333333"],
                },
            ],
        });

        Infrastructure(NewStack(app, "AMI-005"), "Infrastructure", httpTokens: "optional");
        Infrastructure(NewStack(app, "AMI-006"), "Infrastructure", terminate: false);
        Infrastructure(NewStack(app, "AMI-007"), "Infrastructure", keyPair: "debug");

        var recipe = NewStack(app, "AMI-008");
        var recipeKey = new Key(recipe, "Key", new KeyProps { EnableKeyRotation = true });
        Cfn.Resource(recipe, "Recipe", "AWS::ImageBuilder::ImageRecipe", new Dictionary<string, object?>
        {
            ["Name"] = "unencrypted",
            ["Version"] = "1.0.0",
            ["ParentImage"] = "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
            ["Components"] = new object[] { new Dictionary<string, object> { ["ComponentArn"] = "arn:aws:imagebuilder:us-east-1:aws:component/update-linux/x.x.x" } },
            ["BlockDeviceMappings"] = new object[]
            {
                new Dictionary<string, object> { ["DeviceName"] = "/dev/xvda", ["Ebs"] = new Dictionary<string, object> { ["VolumeSize"] = 20, ["Encrypted"] = true, ["KmsKeyId"] = recipeKey.KeyArn } },
                new Dictionary<string, object> { ["DeviceName"] = "/dev/xvdb", ["Ebs"] = new Dictionary<string, object> { ["VolumeSize"] = 50, ["Encrypted"] = false } },
            },
        });

        new Key(NewStack(app, "AMI-009"), "Key", new KeyProps { EnableKeyRotation = false });

        new Bucket(NewStack(app, "AMI-010"), "Bucket", new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            BlockPublicAccess = new BlockPublicAccess(new BlockPublicAccessOptions { BlockPublicAcls = true, IgnorePublicAcls = true, RestrictPublicBuckets = true, BlockPublicPolicy = false }),
        });
        new Bucket(NewStack(app, "AMI-011"), "Bucket", new BucketProps { Encryption = BucketEncryption.S3_MANAGED, BlockPublicAccess = BlockPublicAccess.BLOCK_ALL });
        new Bucket(NewStack(app, "AMI-012"), "Bucket", new BucketProps { EnforceSSL = true, BlockPublicAccess = BlockPublicAccess.BLOCK_ALL });

        var plainTopic = new Topic(NewStack(app, "AMI-013"), "Topic", new TopicProps { EnforceSSL = true });
        AllowEventBridge(plainTopic);
        var insecure = NewStack(app, "AMI-014");
        AllowEventBridge(new Topic(insecure, "Topic", new TopicProps { MasterKey = new Key(insecure, "Key", new KeyProps { EnableKeyRotation = true }) }));

        Role(NewStack(app, "AMI-015"), ["s3:*"], ["arn:aws:s3:::golden-artifacts/*"]);
        var everywhere = Role(NewStack(app, "AMI-016"), ["s3:GetObject"], ["*"]);
        everywhere.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps { Sid = "FindImages", Actions = ["ec2:DescribeImages"], Resources = ["*"] }));
        Role(NewStack(app, "AMI-017"), ["s3:GetObject"], ["arn:aws:s3:::golden-artifacts/*"], "AdministratorAccess");

        // A region without Recycle Bin rules anywhere in the app.
        var retiring = NewStack(app, "AMI-018", "ca-central-1");
        new AmiLifecyclePolicy(retiring, "Lifecycle", new AmiLifecyclePolicyProps
        {
            LifecyclePolicyName = "retiring",
            ExecutionRole = new LifecycleExecutionRole(retiring, "LifecycleRole").Role,
            Recipes = [new RecipeSelection("retiring")],
            Delete = CdkLifecycleRule.Count(5),
        });

        var skipping = NewStack(app, "AMI-019");
        new ImagePipeline(skipping, "Pipeline", new ImagePipelineProps
        {
            ImagePipelineName = "skipping",
            Recipe = ImageRecipe.FromImageRecipeArn(skipping, "Recipe", $"arn:aws:imagebuilder:{TestEnv.Region}:{Account}:image-recipe/skipping/1.0.0"),
            InfrastructureConfiguration = InfrastructureConfiguration.FromInfrastructureConfigurationName(skipping, "Infrastructure", "skipping"),
            Cron = "cron(0 4 ? * sun *)",
            StartCondition = StartCondition.ExpressionMatchAndDependencyUpdatesAvailable,
        });
    }

    /// <summary>A fault injected through a real construct's props: an undeclared key pair.</summary>
    private static void RealConstructFault(App app)
    {
        var stack = NewStack(app, "RealKeyPair");
        new BuildInfrastructure(stack, "Build", new BuildInfrastructureProps
        {
            NamePrefix = "debugging",
            Key = new Key(stack, "BuildKey", new KeyProps { EnableKeyRotation = true }),
            KeyPair = Amazon.CDK.AWS.EC2.KeyPair.FromKeyPairName(stack, "KeyPair", "debug"),
        });
    }

    /// <summary>Two keys without rotation, one of them acknowledged.</summary>
    private void Acknowledgements(App app)
    {
        var stack = NewStack(app, "Acknowledged");
        var acknowledged = new Key(stack, "Imported", new KeyProps { EnableKeyRotation = false });
        var other = new Key(stack, "Other", new KeyProps { EnableKeyRotation = false });
        GuardrailPack.Acknowledge(acknowledged, GuardrailRuleIds.KeyRotationOff, AcknowledgementReason);
        GuardrailPack.Acknowledge(acknowledged, "AwsSolutions-KMS5", AcknowledgementReason, "/^Rotation::.*$/");
        AcknowledgedKeyPath = "/" + acknowledged.Node.DefaultChild!.Node.Path;
        AcknowledgedKeyMetadata = stack.Resolve(((CfnResource)acknowledged.Node.DefaultChild!).GetMetadata("cdk_nag"));
        UnacknowledgedKeyPath = "/" + other.Node.DefaultChild!.Node.Path;
    }

    /// <summary>Two public distributions in a fragment (rendered in C#, included in one call); one is acknowledged.</summary>
    private static void FragmentResources(App app)
    {
        var stack = NewStack(app, "Fragment");
        CfnFragmentResource Public(string id) => new(id, CfnDefinition.Of("AWS::ImageBuilder::DistributionConfiguration", new Dictionary<string, object?>
        {
            ["Name"] = id.ToLowerInvariant(),
            ["Distributions"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["Region"] = TestEnv.Region,
                    ["AmiDistributionConfiguration"] = new Dictionary<string, object>
                    {
                        ["Name"] = "image-{{ imagebuilder:buildDate }}",
                        ["LaunchPermissionConfiguration"] = new Dictionary<string, object> { ["UserGroups"] = new[] { "all" } },
                    },
                },
            },
        }));
        var acknowledgedInDefinition = Public("PublicThree");
        acknowledgedInDefinition = acknowledgedInDefinition with { Definition = acknowledgedInDefinition.Definition.Acknowledging(new Acknowledgement(GuardrailRuleIds.PublicWithoutOptIn, AcknowledgementReason)) };
        var fragment = new CfnFragment(stack, "Images", [Public("PublicOne"), Public("PublicTwo"), acknowledgedInDefinition]);
        GuardrailPack.Acknowledge(fragment.Resource("PublicTwo"), GuardrailRuleIds.PublicWithoutOptIn, AcknowledgementReason);
    }

    private static void PublicDistribution(Stack stack) =>
        RawDistribution(stack, null, new Dictionary<string, object> { ["UserGroups"] = new[] { "all" } }, null);

    private static void RawDistribution(Stack stack, string? key, Dictionary<string, object>? permission, string[]? targets) =>
        Cfn.Resource(stack, "Distribution", "AWS::ImageBuilder::DistributionConfiguration", new Dictionary<string, object?>
        {
            ["Name"] = stack.StackName.ToLowerInvariant(),
            ["Distributions"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["Region"] = TestEnv.Region,
                    ["AmiDistributionConfiguration"] = Cfn.Clean(new Dictionary<string, object?>
                    {
                        ["Name"] = "image-{{ imagebuilder:buildDate }}",
                        ["KmsKeyId"] = key,
                        ["LaunchPermissionConfiguration"] = permission,
                        ["TargetAccountIds"] = targets,
                    }),
                },
            },
        });

    private static void Infrastructure(Stack stack, string id, string httpTokens = "required", bool terminate = true, string? keyPair = null) =>
        Cfn.Resource(stack, id, "AWS::ImageBuilder::InfrastructureConfiguration", new Dictionary<string, object?>
        {
            ["Name"] = "build",
            ["InstanceProfileName"] = "build-instance",
            ["InstanceTypes"] = new[] { "m7i.large" },
            ["TerminateInstanceOnFailure"] = terminate,
            ["InstanceMetadataOptions"] = new Dictionary<string, object> { ["HttpTokens"] = httpTokens, ["HttpPutResponseHopLimit"] = 2 },
            ["KeyPair"] = keyPair,
        });

    private static void AllowEventBridge(Topic topic) =>
        topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "EventBridgePublishes",
            Principals = [new ServicePrincipal("events.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [topic.TopicArn],
        }));

    private static Role Role(Stack stack, string[] actions, string[] resources, string? managedPolicy = null)
    {
        var role = new Role(stack, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
            ManagedPolicies = managedPolicy is null ? null : [ManagedPolicy.FromAwsManagedPolicyName(managedPolicy)],
        });
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps { Sid = "ReadArtifacts", Actions = actions, Resources = resources }));
        return role;
    }
}
