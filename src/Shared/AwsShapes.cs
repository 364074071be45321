using System.Text.RegularExpressions;

namespace AmiInfra;

/// <summary>
/// The shapes of AWS identifiers that both the declaration and the constructs check. Shared by the
/// two projects (linked into both), which must not depend on each other.
/// </summary>
internal static partial class AwsShapes
{
    /// <summary>A 12-digit account id.</summary>
    [GeneratedRegex("^[0-9]{12}$")]
    public static partial Regex AccountId();

    /// <summary>An organization ARN; group 1 is the organization id.</summary>
    [GeneratedRegex("^arn:aws(?:-cn|-us-gov)?:organizations::[0-9]{12}:organization/(o-[a-z0-9]{10,32})$")]
    public static partial Regex OrganizationArn();

    /// <summary>An OU ARN; group 1 is the organization id, group 2 the OU id.</summary>
    [GeneratedRegex("^arn:aws(?:-cn|-us-gov)?:organizations::[0-9]{12}:ou/(o-[a-z0-9]{10,32})/(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$")]
    public static partial Regex OrganizationalUnitArn();

    /// <summary>An OU id or a root id.</summary>
    [GeneratedRegex("^(?:ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$")]
    public static partial Regex OrganizationalUnitOrRootId();

    /// <summary>An AMI id.</summary>
    [GeneratedRegex("^ami-(?:[0-9a-f]{8}|[0-9a-f]{17})$")]
    public static partial Regex AmiId();

    /// <summary>An SSM parameter name (a path).</summary>
    [GeneratedRegex("^/[a-zA-Z0-9_.\\-/]{1,1010}$")]
    public static partial Regex SsmParameterName();

    /// <summary>An Image Builder managed image: name/version, e.g. amazon-linux-2023-x86/x.x.x.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-_]{0,125}/(?:x|[0-9]+)\\.(?:x|[0-9]+)\\.(?:x|[0-9]+)$")]
    public static partial Regex ImageBuilderImage();

    /// <summary>An AWS Marketplace product id.</summary>
    [GeneratedRegex("^prod-[a-z0-9]{8,32}$")]
    public static partial Regex MarketplaceProductId();

    /// <summary>An AWS-managed component name such as update-linux.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-_]{0,125}$")]
    public static partial Regex ManagedComponentName();

    /// <summary>A semantic version with x wildcards, as Image Builder takes them.</summary>
    [GeneratedRegex("^(?:x|[0-9]+)\\.(?:x|[0-9]+)\\.(?:x|[0-9]+)$")]
    public static partial Regex ComponentVersion();
}
