using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SNS;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>Properties of a <see cref="BuildInfrastructure"/>.</summary>
public sealed record BuildInfrastructureProps
{
    /// <summary>Prefix of every physical name (the factory name; 2 to 20 lower-case letters, digits, hyphens). No default.</summary>
    public required string NamePrefix { get; init; }

    /// <summary>
    /// The customer-managed key that encrypts build logs and notifications. A key of the app gets the key policy
    /// statement that lets Image Builder publish encrypted notifications; for an imported key, add it yourself. No default.
    /// </summary>
    public required IKey Key { get; init; }

    /// <summary>
    /// Instance types for build and test instances (tried in order). Default: m7i.large and m6i.large: AWS recommends
    /// more than one, so that a build finds capacity ("Create an infrastructure configuration":
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-infra-config.html).
    /// </summary>
    public IReadOnlyList<string> InstanceTypes { get; init; } = ["m7i.large", "m6i.large"];

    /// <summary>Subnet for build instances (yours, or a <see cref="BuildNetwork"/>'s). Default: a default-VPC subnet chosen by the service.</summary>
    public ISubnet? Subnet { get; init; }

    /// <summary>Security groups for build instances (need a subnet). Default: the VPC's default group.</summary>
    public IReadOnlyList<ISecurityGroup> SecurityGroups { get; init; } = [];

    /// <summary>EC2 key pair for build instances. Default: none (reach them with Session Manager).</summary>
    public IKeyPair? KeyPair { get; init; }

    /// <summary>Days build logs are kept. Default: 90.</summary>
    public int LogRetentionDays { get; init; } = 90;

    /// <summary>
    /// A bucket for S3 server access logs of the build log bucket. Default: none: the log bucket is private, TLS-only
    /// and written by the build role alone, and AWS CloudTrail records who reads it (cdk-nag's AwsSolutions-S1 is
    /// acknowledged on it with that reason).
    /// </summary>
    public IBucket? ServerAccessLogsBucket { get; init; }

    /// <summary>Tags for build instances and the infrastructure configurations. Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// What every build of a factory shares: the build instances' role and instance profile (only
/// what a build needs), an encrypted, TLS-only, private log bucket that expires old logs, an
/// encrypted, TLS-only notification topic that Image Builder tells of every finished and failed build
/// (the key policy statement that lets it encrypt them is added here), and infrastructure
/// configurations (IMDSv2 required with hop limit 2, terminate on failure).
/// </summary>
public sealed partial class BuildInfrastructure : Construct
{
    /// <summary>AWS-managed policies a build instance needs, as the Image Builder documentation lists them.</summary>
    public static readonly IReadOnlyList<string> InstanceManagedPolicies = ["AmazonSSMManagedInstanceCore", "EC2InstanceProfileForImageBuilder"];

    private readonly BuildInfrastructureProps _props;
    private readonly Dictionary<string, InfrastructureConfiguration> _configurations = new(StringComparer.Ordinal);

    /// <summary>Creates the shared build infrastructure.</summary>
    public BuildInfrastructure(Construct scope, string id, BuildInfrastructureProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Validate(props);
        _props = props;
        var stack = Stack.Of(this);

        var bucket = new Bucket(this, "Logs", new BucketProps
        {
            BucketName = $"{props.NamePrefix}-build-logs-{stack.Account}-{stack.Region}",
            Encryption = BucketEncryption.KMS,
            EncryptionKey = props.Key,
            BucketKeyEnabled = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            Versioned = false,
            RemovalPolicy = RemovalPolicy.RETAIN,
            ServerAccessLogsBucket = props.ServerAccessLogsBucket,
            ServerAccessLogsPrefix = props.ServerAccessLogsBucket is null ? null : $"{props.NamePrefix}-build-logs/",
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "ExpireBuildLogs",
                    Expiration = Duration.Days(props.LogRetentionDays),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(7),
                },
            ],
        });
        if (props.ServerAccessLogsBucket is null)
        {
            Acknowledge(bucket, "AwsSolutions-S1", "Build logs only: the bucket is private (public access blocked), TLS-only and written by the build instance role alone; AWS CloudTrail records who reads it. Give ServerAccessLogsBucket to log access too");
        }

        LogBucket = bucket;
        Topic = CreateTopic(props);
        AllowImageBuilderToNotify(props.Key, stack);
        PublishKeyArn(props, stack);

        var role = new Role(this, "InstanceRole", new RoleProps
        {
            RoleName = $"{props.NamePrefix}-image-build-instance",
            Description = $"Build and test instances of the {props.NamePrefix} AMI factory",
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
            ManagedPolicies = InstanceManagedPolicies.Select(ManagedPolicy.FromAwsManagedPolicyName).ToArray(),
        });
        AcknowledgeManagedPolicies(role, "the build instance role");
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "WriteBuildLogs",
            Actions = ["s3:PutObject"],
            Resources = [LogBucket.ArnForObjects("logs/*")],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "EncryptBuildLogs",
            Actions = ["kms:GenerateDataKey", "kms:Decrypt"],
            Resources = [props.Key.KeyArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"s3.{stack.Region}.{Partitions.Of(stack.Region)?.DnsSuffix ?? Aws.URL_SUFFIX}" },
            },
        }));
        Acknowledge(
            role.Node.FindChild("DefaultPolicy"),
            "AwsSolutions-IAM5",
            "Build logs are written under the logs/ prefix of the factory's own log bucket, one object per build step, with keys Image Builder chooses",
            $"Resource::<{((CfnBucket)bucket.Node.DefaultChild!).LogicalId}.Arn>/logs/*");
        InstanceRole = role;

        var profile = new CfnInstanceProfile(this, "InstanceProfile", new CfnInstanceProfileProps
        {
            InstanceProfileName = $"{props.NamePrefix}-image-build-instance",
            Roles = [role.RoleName],
        });
        InstanceProfile = new ProfileOf(this, "InstanceProfileReference", profile, role);

        // Image Builder itself publishes to the topic when an image becomes AVAILABLE or FAILED ("Amazon SNS
        // integration in Image Builder": https://docs.aws.amazon.com/imagebuilder/latest/userguide/integ-sns.html), so
        // no EventBridge rule forwards failures too: each failure is notified once, and the topic policy needs no
        // statement for another service.
        DefaultInfrastructure = InfrastructureFor(props.InstanceTypes);
    }

    /// <summary>The prefix of every physical name (the factory name).</summary>
    public string NamePrefix => _props.NamePrefix;

    /// <summary>The build log bucket.</summary>
    public IBucket LogBucket { get; }

    /// <summary>The notification topic: Image Builder publishes every image that becomes AVAILABLE or FAILED.</summary>
    public ITopic Topic { get; }

    /// <summary>The build instances' role.</summary>
    public IRole InstanceRole { get; }

    /// <summary>The build instances' instance profile.</summary>
    public IInstanceProfile InstanceProfile { get; }

    /// <summary>The infrastructure configuration for the default instance types.</summary>
    public IInfrastructureConfiguration DefaultInfrastructure { get; }

    /// <summary>
    /// The infrastructure configuration for these instance types: created on first use, shared after. Its id and name
    /// follow the instance types, so adding an image never changes another's. Its ARN is built from the name, so stacks
    /// of the same account and region can use it without a cross-stack export (they must deploy after this one).
    /// </summary>
    public IInfrastructureConfiguration InfrastructureFor(IReadOnlyList<string> instanceTypes) => InfrastructureFor(instanceTypes, null);

    /// <summary>
    /// The infrastructure configuration for these instance types and placement (Availability Zone, tenancy, Dedicated
    /// Host): created on first use, shared after, named after both (as <see cref="InfrastructureFor(IReadOnlyList{string})"/>,
    /// which is this without a placement).
    /// </summary>
    public IInfrastructureConfiguration InfrastructureFor(IReadOnlyList<string> instanceTypes, BuildPlacement? placement)
    {
        var key = string.Join(",", instanceTypes) + (placement is null ? "" : "@" + placement.Fingerprint);
        if (_configurations.TryGetValue(key, out var existing))
        {
            return existing;
        }

        // The default configuration is the construct "Resource", the others "Infrastructure-<hash>": with their L1 as the
        // "Default" child, their logical ids are those of the raw resources at these paths before.
        var isDefault = _configurations.Count == 0;
        var suffix = isDefault ? "" : "-" + Component.VersionNode(key).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        var configuration = new InfrastructureConfiguration(this, isDefault ? "Resource" : "Infrastructure" + suffix, new InfrastructureConfigurationProps
        {
            InfrastructureConfigurationName = $"{_props.NamePrefix}-build{suffix}",
            Description = $"Build instances of the {_props.NamePrefix} factory ({string.Join(",", instanceTypes)}{(placement is null ? "" : $"; placed: {Describe(placement)}")})",
            Placement = placement,
            InstanceProfile = InstanceProfile,
            InstanceTypes = instanceTypes,
            Subnet = _props.Subnet,
            SecurityGroups = _props.SecurityGroups,
            KeyPair = _props.KeyPair,
            LogBucket = LogBucket,
            LogKeyPrefix = "logs",
            NotificationTopic = Topic,
            ResourceTags = _props.Tags,
            Tags = _props.Tags,
        });
        configuration.Node.AddDependency(InstanceRole);
        _configurations[key] = configuration;
        return configuration;
    }

    private static string Describe(BuildPlacement placement) => string.Join(", ", new[]
    {
        placement.AvailabilityZone is { } zone ? $"zone {zone}" : null,
        placement.TenancyName is { } tenancy ? $"tenancy {tenancy}" : null,
        placement.HostId is { } host ? $"host {host}" : null,
        placement.HostResourceGroupArn is { } group ? $"host group {group}" : null,
    }.OfType<string>());

    /// <summary>Acknowledges AwsSolutions-IAM4 for the AWS-managed policies Image Builder documents for build instances.</summary>
    internal static void AcknowledgeManagedPolicies(IConstruct role, string what) =>
        Acknowledge(
            role,
            "AwsSolutions-IAM4",
            $"The AWS-managed policies EC2 Image Builder documents for {what} (Systems Manager and Image Builder's own calls); AWS keeps them current as the services change",
            InstanceManagedPolicies.Select(p => $"Policy::arn:<AWS::Partition>:iam::aws:policy/{p}").ToArray());

    /// <summary>Records an acknowledgement on the L1 of <paramref name="construct"/>.</summary>
    internal static void Acknowledge(IConstruct construct, string ruleId, string reason, params string[] appliesTo)
    {
        var resource = construct as CfnResource ?? (CfnResource)construct.Node.DefaultChild!;
        NagMetadata.Add(resource, [new Acknowledgement(ruleId, reason, appliesTo.Length == 0 ? null : appliesTo)]);
    }

    private void Validate(BuildInfrastructureProps props)
    {
        var where = Node.Path;
        Checks.Shape($"{where}.NamePrefix", props.NamePrefix, PhysicalNames.Factory);
        if (props.InstanceTypes.Count == 0)
        {
            throw new ConstructValidationException($"{where}.InstanceTypes", "no instance types", "at least one instance type");
        }

        Checks.Each($"{where}.InstanceTypes", props.InstanceTypes, Identifiers.InstanceType);
        for (var i = 0; i < props.InstanceTypes.Count; i++)
        {
            if (!Checks.IsToken(props.InstanceTypes[i]) && AmiInfra.Rules.InstanceTypes.Exists(props.InstanceTypes[i], out _) is { } problem)
            {
                throw Checks.Exception($"{where}.InstanceTypes", problem with { Index = i });
            }
        }

        Checks.Require($"{where}.SecurityGroups", Lists.AtMost(props.SecurityGroups.Count, Builds.MaxSecurityGroups, "security groups", "EC2's limit per network interface"));
        if (props.LogRetentionDays < 1)
        {
            throw new ConstructValidationException($"{where}.LogRetentionDays", props.LogRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture), "at least 1 day");
        }

        if (props.SecurityGroups.Count > 0 && props.Subnet is null)
        {
            throw new ConstructValidationException($"{where}.Subnet", null, "a subnet whenever security groups are given");
        }
    }

    /// <summary>The instance profile made here (an L1, whose logical id predates the L2), as an <see cref="IInstanceProfile"/>.</summary>
    private sealed class ProfileOf(Construct scope, string id, CfnInstanceProfile profile, IRole role) : Resource(scope, id), IInstanceProfile
    {
        public string InstanceProfileName { get; } = profile.Ref;

        public string InstanceProfileArn { get; } = profile.AttrArn;

        public IRole? Role { get; } = role;
    }
}
