using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SNS;

namespace AmiInfra.Constructs.Build;

/// <summary>Properties of an <see cref="InfrastructureConfiguration"/>.</summary>
public sealed record InfrastructureConfigurationProps
{
    /// <summary>
    /// The configuration's physical name (3 to 128 letters, digits, '-', '_' and inner spaces; a token is checked when
    /// CloudFormation resolves it). Default: a name generated from the construct path.
    /// </summary>
    public string? InfrastructureConfigurationName { get; init; }

    /// <summary>Description. Default: none.</summary>
    public string? Description { get; init; }

    /// <summary>Instance types for build and test instances, tried in order. Default: none (Image Builder chooses).</summary>
    public IReadOnlyList<string> InstanceTypes { get; init; } = [];

    /// <summary>
    /// The instance profile of build and test instances; give this or <see cref="Role"/>, not both. Default: an instance
    /// profile of <see cref="Role"/>, or of a role created here with the AWS-managed policies Image Builder documents
    /// for build instances (AmazonSSMManagedInstanceCore, EC2InstanceProfileForImageBuilder).
    /// </summary>
    public IInstanceProfile? InstanceProfile { get; init; }

    /// <summary>The role of build and test instances (trusting ec2.amazonaws.com). Default: see <see cref="InstanceProfile"/>.</summary>
    public IRole? Role { get; init; }

    /// <summary>The subnet build and test instances run in. Default: a subnet of the default VPC, chosen by Image Builder.</summary>
    public ISubnet? Subnet { get; init; }

    /// <summary>Security groups of build and test instances (at most 5; they need <see cref="Subnet"/>). Default: the VPC's default group.</summary>
    public IReadOnlyList<ISecurityGroup> SecurityGroups { get; init; } = [];

    /// <summary>An EC2 key pair for build and test instances. Default: none (reach them with Session Manager).</summary>
    public IKeyPair? KeyPair { get; init; }

    /// <summary>
    /// The bucket build logs go to. A role created here may write them; a role given must be allowed to
    /// (s3:PutObject under <see cref="LogKeyPrefix"/>). Default: none (no build logs in S3).
    /// </summary>
    public IBucket? LogBucket { get; init; }

    /// <summary>The key prefix of build logs in <see cref="LogBucket"/>. Default: none (the bucket's root).</summary>
    public string? LogKeyPrefix { get; init; }

    /// <summary>
    /// The topic Image Builder tells of every image that becomes AVAILABLE or FAILED. An encrypted topic's key must let
    /// Image Builder's service-linked role use it (<see cref="BuildInfrastructure"/> grants it). Default: none.
    /// </summary>
    public ITopic? NotificationTopic { get; init; }

    /// <summary>Terminate build and test instances when a build fails. Default: true.</summary>
    public bool TerminateInstanceOnFailure { get; init; } = true;

    /// <summary>Hops a metadata response may travel (1 to 64); IMDSv2 is always required. Default: 2 (containers on the instance reach it).</summary>
    public int HttpPutResponseHopLimit { get; init; } = 2;

    /// <summary>Tags of the build and test instances Image Builder launches. Default: none.</summary>
    public IReadOnlyDictionary<string, string> ResourceTags { get; init; } = new Dictionary<string, string>();

    /// <summary>Tags of the configuration (its initial tags: <c>Tags.Of</c> adds to them). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
