using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SNS;

namespace AmiInfra.Constructs.Build;

/// <summary>The hardware build and test instances run on (Image Builder's Placement).</summary>
public enum InstanceTenancy
{
    /// <summary>Shared hardware (EC2's default).</summary>
    Default,

    /// <summary>Single-tenant hardware (Dedicated Instances).</summary>
    Dedicated,

    /// <summary>A Dedicated Host: one given by <see cref="BuildPlacement.HostId"/> or <see cref="BuildPlacement.HostResourceGroupArn"/>, or one EC2 places the instance on (auto-placement).</summary>
    Host,
}

/// <summary>Where build and test instances run: Availability Zone, tenancy, Dedicated Host (Image Builder's Placement).</summary>
public sealed record BuildPlacement
{
    /// <summary>The Availability Zone of the stack's region, such as us-east-1a. With a subnet, it must be the subnet's. Default: EC2's choice (or the subnet's).</summary>
    public string? AvailabilityZone { get; init; }

    /// <summary>The tenancy. Default: none set (shared hardware).</summary>
    public InstanceTenancy? Tenancy { get; init; }

    /// <summary>The Dedicated Host the instances run on (h- and 17 hexadecimal digits); needs <see cref="InstanceTenancy.Host"/>. Default: none.</summary>
    public string? HostId { get; init; }

    /// <summary>The host resource group whose hosts the instances run on; needs <see cref="InstanceTenancy.Host"/>, not with <see cref="HostId"/>. Default: none.</summary>
    public string? HostResourceGroupArn { get; init; }

    /// <summary>The tenancy as Image Builder writes it.</summary>
    internal string? TenancyName => Tenancy switch
    {
        null => null,
        InstanceTenancy.Default => "default",
        InstanceTenancy.Dedicated => "dedicated",
        _ => "host",
    };

    /// <summary>What identifies the placement, for the name of a configuration shared by the images that ask for it.</summary>
    internal string Fingerprint => $"{AvailabilityZone}|{TenancyName}|{HostId}|{HostResourceGroupArn}";
}

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

    /// <summary>Where build and test instances run on the hardware: Availability Zone, tenancy, Dedicated Host. Default: none (shared hardware, EC2's choice of zone).</summary>
    public BuildPlacement? Placement { get; init; }

    /// <summary>Terminate build and test instances when a build fails. Default: true.</summary>
    public bool TerminateInstanceOnFailure { get; init; } = true;

    /// <summary>Hops a metadata response may travel (1 to 64); IMDSv2 is always required. Default: 2 (containers on the instance reach it).</summary>
    public int HttpPutResponseHopLimit { get; init; } = 2;

    /// <summary>Tags of the build and test instances Image Builder launches. Default: none.</summary>
    public IReadOnlyDictionary<string, string> ResourceTags { get; init; } = new Dictionary<string, string>();

    /// <summary>Tags of the configuration (its initial tags: <c>Tags.Of</c> adds to them). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
