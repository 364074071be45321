using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>
/// The shapes of AWS identifiers a factory names: accounts, organizations, EC2 and SSM resources,
/// Image Builder images and components. Each is a pattern and its meaning in words.
/// </summary>
public static partial class Identifiers
{
    /// <summary>An AWS account id: 12 digits.</summary>
    public static readonly Shape AccountId = new(AccountIdPattern(), "a 12-digit AWS account id");

    /// <summary>An organization id (Organizations API: ^o-[a-z0-9]{10,32}$).</summary>
    public static readonly Shape OrganizationId = new(OrganizationIdPattern(), "an organization id such as o-a1b2c3d4e5");

    /// <summary>An OU id or a root id (Organizations API: ou-... and r-...).</summary>
    public static readonly Shape OrganizationalUnitOrRootId = new(OrganizationalUnitOrRootIdPattern(), "an OU id such as ou-ab12-cdefgh34 or a root id such as r-ab12");

    /// <summary>An organization ARN; group "organization" is the organization id, "partition" the partition.</summary>
    public static readonly Shape OrganizationArn = new(OrganizationArnPattern(), "an organization ARN such as arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5");

    /// <summary>An OU ARN; groups "organization" and "unit" are the organization and OU ids, "partition" the partition.</summary>
    public static readonly Shape OrganizationalUnitArn = new(OrganizationalUnitArnPattern(), "an OU ARN such as arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34");

    /// <summary>An AMI id: ami- and 8 or 17 hexadecimal digits.</summary>
    public static readonly Shape AmiId = new(AmiIdPattern(), "an AMI id such as ami-0123456789abcdef0");

    /// <summary>A subnet id.</summary>
    public static readonly Shape SubnetId = new(SubnetIdPattern(), "a subnet id such as subnet-0123456789abcdef0");

    /// <summary>A security group id.</summary>
    public static readonly Shape SecurityGroupId = new(SecurityGroupIdPattern(), "a security group id such as sg-0123456789abcdef0");

    /// <summary>
    /// A launch template id as Image Builder's LaunchTemplateConfiguration takes it: lt- and 17
    /// hexadecimal digits (Image Builder API reference, LaunchTemplateConfiguration.launchTemplateId).
    /// </summary>
    public static readonly Shape LaunchTemplateId = new(LaunchTemplateIdPattern(), "a launch template id such as lt-0123456789abcdef0 (lt- and 17 hexadecimal digits)");

    /// <summary>
    /// An EC2 instance type such as m7i.large, c7gn.16xlarge, u-6tb1.metal, mac2-m2pro.metal, c8i-flex.12xlarge
    /// or r8g.metal-24xl. AWS publishes no pattern: this is the shape of every name in EC2's list of
    /// instance types (the InstanceType enumeration of the EC2 API); whether a type exists in a region is EC2's to say.
    /// </summary>
    public static readonly Shape InstanceType = new(InstanceTypePattern(), "an EC2 instance type such as m7i.large or c7g.xlarge");

    /// <summary>An SSM parameter holding the parent AMI id: a path such as /aws/service/...</summary>
    public static readonly Shape ParentSsmParameter = new(SsmParameterPathPattern(), "an SSM parameter name such as /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");

    /// <summary>An Image Builder managed image: name/version, e.g. amazon-linux-2023-x86/x.x.x.</summary>
    public static readonly Shape ImageBuilderImage = new(ImageBuilderImagePattern(), "an Image Builder managed image such as amazon-linux-2023-x86/x.x.x");

    /// <summary>An AWS Marketplace product id.</summary>
    public static readonly Shape MarketplaceProductId = new(MarketplaceProductIdPattern(), "an AWS Marketplace product id such as prod-abcdefgh12345");

    /// <summary>An AWS-managed component name such as update-linux.</summary>
    public static readonly Shape ManagedComponentName = new(ManagedComponentNamePattern(), "an AWS-managed component name such as update-linux");

    /// <summary>
    /// A component or image version as a recipe refers to it: three nodes, numbers or x, with only x
    /// to the right of the first x ("When you use a wildcard in any node, all nodes to the right of the
    /// first wildcard must also be wildcards", Image Builder API reference, ImageVersion), each number
    /// at most 2^30-1.
    /// </summary>
    public static readonly Shape VersionFilter = new(VersionFilterPattern(), "a version such as 1.0.0, 1.0.x, 1.x.x or x.x.x (numbers up to 1073741823)");

    /// <summary>A CodeConnections (formerly CodeStar connections) connection ARN.</summary>
    public static readonly Shape ConnectionArn = new(ConnectionArnPattern(), "a CodeConnections (CodeStar connections) ARN such as arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789");

    /// <summary>An ARN (of any service) in <paramref name="partition"/>: its second field names the partition.</summary>
    public static Problem? ArnInPartition(string arn, Partition partition) =>
        arn.Split(':') is [_, var named, ..] && named == partition.Name
            ? null
            : new Problem(Text.Quote(arn), $"an ARN of the factory's partition, arn:{partition.Name}:... ({partition.Title})");

    /// <summary>The partition named by an organization or OU ARN that has the shape.</summary>
    public static string PartitionOfOrganizationArn(string arn) =>
        (OrganizationArnPattern().Match(arn) is { Success: true } m ? m : OrganizationalUnitArnPattern().Match(arn)).Groups["partition"].Value;

    /// <summary>The organization id in an organization or OU ARN that has the shape.</summary>
    public static string OrganizationOf(string arn) =>
        (OrganizationArnPattern().Match(arn) is { Success: true } m ? m : OrganizationalUnitArnPattern().Match(arn)).Groups["organization"].Value;

    /// <summary>An organization or OU ARN of <paramref name="partition"/> (its ARNs name it).</summary>
    public static Problem? InPartition(string arn, Partition partition) => ArnInPartition(arn, partition);

    [GeneratedRegex("^arn:(?:aws|aws-cn|aws-us-gov):(?:codestar-connections|codeconnections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$")]
    private static partial Regex ConnectionArnPattern();

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex AccountIdPattern();

    [GeneratedRegex("^o-[a-z0-9]{10,32}$")]
    private static partial Regex OrganizationIdPattern();

    [GeneratedRegex("^(?:ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$")]
    private static partial Regex OrganizationalUnitOrRootIdPattern();

    [GeneratedRegex("^arn:(?<partition>aws|aws-cn|aws-us-gov):organizations::[0-9]{12}:organization/(?<organization>o-[a-z0-9]{10,32})$")]
    private static partial Regex OrganizationArnPattern();

    [GeneratedRegex("^arn:(?<partition>aws|aws-cn|aws-us-gov):organizations::[0-9]{12}:ou/(?<organization>o-[a-z0-9]{10,32})/(?<unit>ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$")]
    private static partial Regex OrganizationalUnitArnPattern();

    [GeneratedRegex("^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex AmiIdPattern();

    [GeneratedRegex("^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex SubnetIdPattern();

    [GeneratedRegex("^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex SecurityGroupIdPattern();

    [GeneratedRegex("^lt-[0-9a-f]{17}$")]
    private static partial Regex LaunchTemplateIdPattern();

    [GeneratedRegex("^[a-z][a-z0-9]*(?:-[a-z0-9]+)?\\.(?:nano|micro|small|medium|large|xlarge|[1-9][0-9]*xlarge|metal(?:-[1-9][0-9]*xl)?)$")]
    private static partial Regex InstanceTypePattern();

    [GeneratedRegex("^/[a-zA-Z0-9_.\\-/]{1,1010}$")]
    private static partial Regex SsmParameterPathPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-_]{0,125}/(?:[0-9]+\\.[0-9]+\\.(?:[0-9]+|x)|[0-9]+\\.x\\.x|x\\.x\\.x)$")]
    private static partial Regex ImageBuilderImagePattern();

    [GeneratedRegex("^prod-[a-z0-9]{8,32}$")]
    private static partial Regex MarketplaceProductIdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-_]{0,125}$")]
    private static partial Regex ManagedComponentNamePattern();

    [GeneratedRegex("^(?:(?:0|[1-9][0-9]{0,8}|10[0-6][0-9]{7}|107[0-2][0-9]{6}|1073[0-6][0-9]{5}|10737[0-3][0-9]{4}|1073740[0-9]{3}|1073741[0-7][0-9]{2}|10737418[01][0-9]|107374182[0-3])\\.(?:0|[1-9][0-9]{0,8}|10[0-6][0-9]{7}|107[0-2][0-9]{6}|1073[0-6][0-9]{5}|10737[0-3][0-9]{4}|1073740[0-9]{3}|1073741[0-7][0-9]{2}|10737418[01][0-9]|107374182[0-3])\\.(?:(?:0|[1-9][0-9]{0,8}|10[0-6][0-9]{7}|107[0-2][0-9]{6}|1073[0-6][0-9]{5}|10737[0-3][0-9]{4}|1073740[0-9]{3}|1073741[0-7][0-9]{2}|10737418[01][0-9]|107374182[0-3])|x)|(?:0|[1-9][0-9]{0,8}|10[0-6][0-9]{7}|107[0-2][0-9]{6}|1073[0-6][0-9]{5}|10737[0-3][0-9]{4}|1073740[0-9]{3}|1073741[0-7][0-9]{2}|10737418[01][0-9]|107374182[0-3])\\.x\\.x|x\\.x\\.x)$")]
    private static partial Regex VersionFilterPattern();
}
