using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SNS;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>Properties of a <see cref="BuildInfrastructure"/>.</summary>
public sealed record BuildInfrastructureProps
{
    /// <summary>Prefix of every physical name (the factory name; 2 to 20 lower-case letters, digits, hyphens).</summary>
    public required string NamePrefix { get; init; }

    /// <summary>The customer-managed key that encrypts build logs and notifications.</summary>
    public required IKey Key { get; init; }

    /// <summary>Instance types for build and test instances (tried in order). Default: m7i.large.</summary>
    public IReadOnlyList<string> InstanceTypes { get; init; } = ["m7i.large"];

    /// <summary>Subnet for build instances (yours, or a <see cref="BuildNetwork"/>'s). Default: a default-VPC subnet chosen by the service.</summary>
    public string? SubnetId { get; init; }

    /// <summary>Security groups for build instances (need a subnet). Default: the VPC's default group.</summary>
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];

    /// <summary>EC2 key pair for build instances. Default: none (reach them with Session Manager).</summary>
    public string? KeyPair { get; init; }

    /// <summary>Days build logs are kept. Default: 90.</summary>
    public int LogRetentionDays { get; init; } = 90;

    /// <summary>Tags for build instances and the infrastructure configuration. Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// What every build of a factory shares: the build instances' role and instance profile (only
/// what a build needs), an encrypted, TLS-only, private log bucket that expires old logs, an
/// encrypted, TLS-only notification topic that Image Builder tells of every finished and failed build, and the
/// infrastructure configuration (IMDSv2 required with hop limit 2, terminate on failure).
/// </summary>
public sealed class BuildInfrastructure : Construct
{
    /// <summary>AWS-managed policies a build instance needs, as the Image Builder documentation lists them.</summary>
    public static readonly IReadOnlyList<string> InstanceManagedPolicies = ["AmazonSSMManagedInstanceCore", "EC2InstanceProfileForImageBuilder"];

    private readonly BuildInfrastructureProps _props;
    private readonly Dictionary<string, string> _configurations = new(StringComparer.Ordinal);

    /// <summary>Creates the shared build infrastructure.</summary>
    public BuildInfrastructure(Construct scope, string id, BuildInfrastructureProps props)
        : base(scope, id)
    {
        Validate(props);
        _props = props;
        var stack = Stack.Of(this);

        LogBucket = new Bucket(this, "Logs", new BucketProps
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

        var topic = new Topic(this, "Notifications", new TopicProps
        {
            TopicName = $"{props.NamePrefix}-image-builder",
            DisplayName = $"{props.NamePrefix} image builds",
            MasterKey = props.Key,
        });

        // The topic policy only denies publishing without TLS (the statement TopicProps.EnforceSSL writes, which the
        // CDK adds only along with another statement). Image Builder publishes through its service-linked role, an
        // identity of this account whose own policy allows sns:Publish, so no Allow statement is needed, and no
        // service principal is let in.
        var policy = new TopicPolicy(topic, "Policy", new TopicPolicyProps { Topics = [topic] });
        policy.Document.AddStatements(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowPublishThroughSSLOnly",
            Effect = Effect.DENY,
            Principals = [new StarPrincipal()],
            Actions = ["sns:Publish"],
            Resources = [topic.TopicArn],
            Conditions = new Dictionary<string, object> { ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" } },
        }));
        Topic = topic;

        InstanceRole = new Role(this, "InstanceRole", new RoleProps
        {
            RoleName = $"{props.NamePrefix}-image-build-instance",
            Description = $"Build and test instances of the {props.NamePrefix} AMI factory",
            AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
            ManagedPolicies = InstanceManagedPolicies.Select(ManagedPolicy.FromAwsManagedPolicyName).ToArray(),
        });
        InstanceRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "WriteBuildLogs",
            Actions = ["s3:PutObject"],
            Resources = [LogBucket.ArnForObjects("logs/*")],
        }));
        InstanceRole.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "EncryptBuildLogs",
            Actions = ["kms:GenerateDataKey", "kms:Decrypt"],
            Resources = [props.Key.KeyArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"s3.{stack.Region}.{AmiInfra.Rules.Partitions.Of(stack.Region)?.DnsSuffix ?? Aws.URL_SUFFIX}" },
            },
        }));

        InstanceProfile = new CfnInstanceProfile(this, "InstanceProfile", new CfnInstanceProfileProps
        {
            InstanceProfileName = $"{props.NamePrefix}-image-build-instance",
            Roles = [InstanceRole.RoleName],
        });

        // Image Builder itself publishes to the topic when an image becomes AVAILABLE or FAILED ("Amazon SNS
        // integration in Image Builder": https://docs.aws.amazon.com/imagebuilder/latest/userguide/integ-sns.html), so
        // no EventBridge rule forwards failures too: each failure is notified once, and the topic policy needs no
        // statement for another service.
        DefaultInfrastructureArn = InfrastructureFor(props.InstanceTypes);
    }

    /// <summary>The build log bucket.</summary>
    public IBucket LogBucket { get; }

    /// <summary>The notification topic: Image Builder publishes every image that becomes AVAILABLE or FAILED.</summary>
    public ITopic Topic { get; }

    /// <summary>The build instances' role.</summary>
    public IRole InstanceRole { get; }

    /// <summary>The build instances' instance profile.</summary>
    public CfnInstanceProfile InstanceProfile { get; }

    /// <summary>The infrastructure configuration for the default instance types.</summary>
    public string DefaultInfrastructureArn { get; }

    /// <summary>
    /// The ARN of the infrastructure configuration for these instance types: created on first use,
    /// shared after. Its id and name follow the instance types, so adding an image never changes
    /// another's. The ARN is built from the name, so stacks of the same account and region can use
    /// it without a cross-stack export (they must deploy after this one).
    /// </summary>
    public string InfrastructureFor(IReadOnlyList<string> instanceTypes)
    {
        var key = string.Join(",", instanceTypes);
        if (_configurations.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var isDefault = _configurations.Count == 0;
        var suffix = isDefault ? "" : "-" + Component.VersionNode(key).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
        var resource = Cfn.Resource(this, isDefault ? "Resource" : "Infrastructure" + suffix, "AWS::ImageBuilder::InfrastructureConfiguration", new Dictionary<string, object?>
        {
            ["Name"] = $"{_props.NamePrefix}-build{suffix}",
            ["Description"] = $"Build instances of the {_props.NamePrefix} factory ({key})",
            ["InstanceProfileName"] = InstanceProfile.Ref,
            ["InstanceTypes"] = instanceTypes.ToArray(),
            ["SubnetId"] = _props.SubnetId,
            ["SecurityGroupIds"] = _props.SecurityGroupIds.Count == 0 ? null : _props.SecurityGroupIds.ToArray(),
            ["KeyPair"] = _props.KeyPair,
            ["TerminateInstanceOnFailure"] = true,
            ["InstanceMetadataOptions"] = new Dictionary<string, object> { ["HttpTokens"] = "required", ["HttpPutResponseHopLimit"] = 2 },
            ["Logging"] = new Dictionary<string, object>
            {
                ["S3Logs"] = new Dictionary<string, object> { ["S3BucketName"] = LogBucket.BucketName, ["S3KeyPrefix"] = "logs" },
            },
            ["SnsTopicArn"] = Topic.TopicArn,
            ["ResourceTags"] = Cfn.TagMap(_props.Tags),
            ["Tags"] = Cfn.TagMap(_props.Tags),
        });
        resource.Node.AddDependency(InstanceRole);
        var arn = $"arn:{Naming.Partition}:imagebuilder:{Naming.Region}:{Naming.Account}:infrastructure-configuration/{_props.NamePrefix}-build{suffix}";
        _configurations[key] = arn;
        return arn;
    }

    private void Validate(BuildInfrastructureProps props)
    {
        Checks.Shape($"{Node.Path}.NamePrefix", props.NamePrefix, AmiInfra.Rules.PhysicalNames.Factory);
        if (props.InstanceTypes.Count == 0)
        {
            throw new ConstructValidationException($"{Node.Path}.InstanceTypes", "no instance types", "at least one instance type");
        }

        Checks.Each($"{Node.Path}.InstanceTypes", props.InstanceTypes, AmiInfra.Rules.Identifiers.InstanceType);
        Checks.Each($"{Node.Path}.SecurityGroupIds", props.SecurityGroupIds, AmiInfra.Rules.Identifiers.SecurityGroupId);
        Checks.Require($"{Node.Path}.SecurityGroupIds", AmiInfra.Rules.Lists.AtMost(props.SecurityGroupIds.Count, AmiInfra.Rules.Builds.MaxSecurityGroups, "security groups", "EC2's limit per network interface"));
        if (props.LogRetentionDays < 1)
        {
            throw new ConstructValidationException($"{Node.Path}.LogRetentionDays", props.LogRetentionDays.ToString(System.Globalization.CultureInfo.InvariantCulture), "at least 1 day");
        }

        if (props.SecurityGroupIds.Count > 0 && props.SubnetId is null)
        {
            throw new ConstructValidationException($"{Node.Path}.SubnetId", null, "a subnet whenever security groups are given");
        }
    }
}
