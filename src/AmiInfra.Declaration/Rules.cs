using System.Text.RegularExpressions;

namespace AmiInfra.Declaration;

/// <summary>The shapes AWS accepts for the values a declaration holds.</summary>
public static partial class Rules
{
    /// <summary>The regions AmiInfra can distribute to (commercial, GovCloud and China partitions).</summary>
    public static readonly IReadOnlySet<string> Regions = new SortedSet<string>(StringComparer.Ordinal)
    {
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
        "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
        "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
        "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
    };

    /// <summary>Most target accounts one distribution copies into.</summary>
    public const int MaxTargetAccounts = 1536;

    /// <summary>The partition of a region.</summary>
    public static string PartitionOf(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : "aws";

    /// <summary>Factory and image names: they prefix physical names, so they are short and plain.</summary>
    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$")]
    public static partial Regex Name();

    /// <summary>A 12-digit account id.</summary>
    public static Regex AccountId() => AwsShapes.AccountId();

    /// <summary>An organization id.</summary>
    [GeneratedRegex("^o-[a-z0-9]{10,32}$")]
    public static partial Regex OrganizationId();

    /// <summary>An organization ARN; group 1 is the organization id.</summary>
    public static Regex OrganizationArn() => AwsShapes.OrganizationArn();

    /// <summary>An OU ARN; group 1 is the organization id, group 2 the OU id.</summary>
    public static Regex OrganizationalUnitArn() => AwsShapes.OrganizationalUnitArn();

    /// <summary>An OU id or a root id.</summary>
    public static Regex OrganizationalUnitOrRootId() => AwsShapes.OrganizationalUnitOrRootId();

    /// <summary>An EC2 instance type such as m7i.large, c7gn.16xlarge or u-6tb1.metal.</summary>
    [GeneratedRegex("^[a-z][a-z0-9-]*[0-9][a-z0-9-]*\\.(?:nano|micro|small|medium|large|[0-9]*xlarge|metal(?:-[0-9]+xl)?)$")]
    public static partial Regex InstanceType();

    /// <summary>An AMI id.</summary>
    public static Regex AmiId() => AwsShapes.AmiId();

    /// <summary>A subnet id.</summary>
    [GeneratedRegex("^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$")]
    public static partial Regex SubnetId();

    /// <summary>A security group id.</summary>
    [GeneratedRegex("^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$")]
    public static partial Regex SecurityGroupId();

    /// <summary>A launch template id.</summary>
    [GeneratedRegex("^lt-(?:[0-9a-f]{8}|[0-9a-f]{17})$")]
    public static partial Regex LaunchTemplateId();

    /// <summary>An SSM parameter name (a path).</summary>
    public static Regex SsmParameterName() => AwsShapes.SsmParameterName();

    /// <summary>An Image Builder managed image: name/version, e.g. amazon-linux-2023-x86/x.x.x.</summary>
    public static Regex ImageBuilderImage() => AwsShapes.ImageBuilderImage();

    /// <summary>An AWS Marketplace product id.</summary>
    public static Regex MarketplaceProductId() => AwsShapes.MarketplaceProductId();

    /// <summary>An AWS-managed component name such as update-linux.</summary>
    public static Regex ManagedComponentName() => AwsShapes.ManagedComponentName();

    /// <summary>A semantic version with x wildcards, as Image Builder takes them.</summary>
    public static Regex ComponentVersion() => AwsShapes.ComponentVersion();

    /// <summary>A tag key (EC2 rules: not starting with aws:).</summary>
    [GeneratedRegex("^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}$")]
    public static partial Regex TagKey();

    /// <summary>A tag value.</summary>
    [GeneratedRegex("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}$")]
    public static partial Regex TagValue();
}
