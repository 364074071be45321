using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SSM;
using AmiInfra.Rules;

namespace AmiInfra.Constructs.Distribution;

/// <summary>What made the AMIs: put on every AMI as the <see cref="AmiTagKeys"/> tags.</summary>
/// <param name="Factory">The factory name.</param>
/// <param name="Image">The image name.</param>
/// <param name="RecipeVersion">The version of the image recipe (may be a token).</param>
public sealed record AmiOrigin(string Factory, string Image, string RecipeVersion);

/// <summary>A launch template whose new version (and, when asked, default version) uses the newest AMI.</summary>
public sealed record LaunchTemplateTarget
{
    /// <summary>
    /// The launch template (of the app, or imported with <c>LaunchTemplate.FromLaunchTemplateAttributes</c>): its id
    /// (lt- and 17 hexadecimal digits) is what Image Builder takes. No default.
    /// </summary>
    public required ILaunchTemplate LaunchTemplate { get; init; }

    /// <summary>The account that owns the launch template. Default: null (the factory's own account).</summary>
    public string? AccountId { get; init; }

    /// <summary>Make the new version the default version. Default: true.</summary>
    public bool SetDefaultVersion { get; init; } = true;
}

/// <summary>
/// The launch template EC2 launches Fast Launch's pre-provisioning instances with: by id or by name, and a version
/// (Image Builder FastLaunchLaunchTemplateSpecification; EC2 requires the version).
/// </summary>
public sealed record FastLaunchTemplate
{
    /// <summary>The launch template id (lt- and 17 hexadecimal digits). Default: null (give <see cref="LaunchTemplateName"/>).</summary>
    public string? LaunchTemplateId { get; init; }

    /// <summary>The launch template name (3 to 128 characters). Default: null (give <see cref="LaunchTemplateId"/>).</summary>
    public string? LaunchTemplateName { get; init; }

    /// <summary>The version: a number, $Latest or $Default. No default (EC2's EnableFastLaunch requires it).</summary>
    public required string Version { get; init; }
}

/// <summary>
/// EC2 Fast Launch for the Windows AMI in one region and account: EC2 pre-provisions snapshots of the AMI, already
/// through Sysprep specialize and the out-of-box experience, so instances launch faster. Image Builder enables it
/// with its service-linked role, whose policy allows ec2:EnableFastLaunch on images and launch templates tagged
/// CreatedBy: EC2 Image Builder (AWSServiceRoleForImageBuilder); a launch template given here must carry that tag.
/// </summary>
public sealed record FastLaunchSettings
{
    /// <summary>Enable Fast Launch (false: Image Builder takes no Fast Launch action). Default: true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>
    /// The account whose copy gets Fast Launch: the stack's own or a target account of the region. Default: null (the
    /// factory's account). A target account needs ec2:EnableFastLaunch in its distribution role, which
    /// <see cref="TargetAccounts.TargetAccountStackSet"/> does not grant.
    /// </summary>
    public string? AccountId { get; init; }

    /// <summary>Most instances EC2 launches at once to pre-provision snapshots (6 or more). Default: null (EC2 decides).</summary>
    public int? MaxParallelLaunches { get; init; }

    /// <summary>How many pre-provisioned snapshots EC2 keeps ready (1 to 10,000). Default: null (EC2 decides).</summary>
    public int? TargetSnapshotCount { get; init; }

    /// <summary>The launch template of the pre-provisioning instances (a non-default VPC, IMDSv2). Default: null (the default VPC).</summary>
    public FastLaunchTemplate? LaunchTemplate { get; init; }
}

/// <summary>Where and how the AMI goes in one region.</summary>
public sealed record RegionDistribution
{
    /// <summary>The region code, e.g. eu-west-1. No default.</summary>
    public required string Region { get; init; }

    /// <summary>
    /// The customer-managed key of <see cref="Region"/> that encrypts the AMI there: a key of the app in that region,
    /// or one named by ARN or alias ARN (<see cref="RegionalKey.FromAlias"/>: no cross-region reference). Required
    /// whenever the AMI is shared or copied to target accounts. Default: null (no re-encryption: the AMI keeps the
    /// encryption of the built image, and encrypted snapshots copied to another region use the factory account's
    /// default EBS key, which no other account can use).
    /// </summary>
    public IKey? KmsKey { get; init; }

    /// <summary>The AMI name, with <c>{{ imagebuilder:buildDate }}</c> where the build date goes (up to 127 characters). No default.</summary>
    public required string AmiName { get; init; }

    /// <summary>The AMI description. Default: the recipe's description in the build region, none elsewhere.</summary>
    public string? AmiDescription { get; init; }

    /// <summary>Tags on the AMI, besides the <see cref="AmiTagKeys"/>. Default: none.</summary>
    public IReadOnlyDictionary<string, string> AmiTags { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Account ids that may launch the AMI. Default: none.</summary>
    public IReadOnlyList<string> LaunchAccounts { get; init; } = [];

    /// <summary>Organization ARNs whose accounts may launch the AMI. Default: none.</summary>
    public IReadOnlyList<string> LaunchOrganizationArns { get; init; } = [];

    /// <summary>OU ARNs (at most 25) whose accounts may launch the AMI. Default: none.</summary>
    public IReadOnlyList<string> LaunchOrganizationalUnitArns { get; init; } = [];

    /// <summary>Make the AMI public (needs <see cref="DistributionConfigurationProps.AllowPublic"/> and no KMS key). Default: false.</summary>
    public bool Public { get; init; }

    /// <summary>
    /// Leave the launch permissions above to whoever grants them once the copy is verified
    /// (<see cref="Release.ReleaseVerification"/>): they are validated as declared (and the KMS key must allow them), but
    /// the distribution does not share the AMI, so no one launches a copy before it passed. Default: false (the
    /// distribution shares each copy as it lands).
    /// </summary>
    public bool LaunchPermissionsAfterVerification { get; init; }

    /// <summary>Accounts that receive their own copy of the AMI (they need the distribution role: see <see cref="TargetAccounts.TargetAccountStackSet"/>). Default: none.</summary>
    public IReadOnlyList<string> TargetAccounts { get; init; } = [];

    /// <summary>
    /// The SSM parameter (String, data type aws:ec2:image) in this region, in the factory account, that Image Builder
    /// creates or updates with the newest AMI id: only its name is used (import one that does not exist yet with
    /// <c>StringParameter.FromStringParameterAttributes</c> and <c>ForceDynamicReference</c>). Under /imagebuilder/
    /// unless <see cref="DistributionConfigurationProps.OutputParametersByExecutionRole"/>. Default: null (none).
    /// </summary>
    public IStringParameter? SsmParameter { get; init; }

    /// <summary>
    /// The same parameter by name alone, which costs no construct (a factory of hundreds of images names one per
    /// image); give this or <see cref="SsmParameter"/>, not both. Default: null (none).
    /// </summary>
    public string? SsmParameterName { get; init; }

    /// <summary>Launch templates that get a version with the newest AMI. Default: none.</summary>
    public IReadOnlyList<LaunchTemplateTarget> LaunchTemplates { get; init; } = [];

    /// <summary>EC2 Fast Launch of the Windows AMI in this region, at most one per account. Default: none.</summary>
    public IReadOnlyList<FastLaunchSettings> FastLaunch { get; init; } = [];

    /// <summary>
    /// License Manager configurations of this region associated with the AMI (at most 50 ARNs,
    /// arn:aws:license-manager:region:account:license-configuration:lic-...). Default: none.
    /// </summary>
    public IReadOnlyList<string> LicenseConfigurationArns { get; init; } = [];
}

/// <summary>Props of a <see cref="DistributionConfiguration"/>.</summary>
public sealed record DistributionConfigurationProps
{
    /// <summary>
    /// The distribution configuration name (3 to 128 letters, digits, spaces, - and _; a token is checked when
    /// CloudFormation resolves it). Default: a name generated from the construct path (required by <c>DistributionConfiguration.Render</c>).
    /// </summary>
    public string? DistributionConfigurationName { get; init; }

    /// <summary>The distribution configuration description. Default: none.</summary>
    public string? Description { get; init; }

    /// <summary>One entry per region the AMI goes to; the build region included when it should get tags and sharing. No default.</summary>
    public required IReadOnlyList<RegionDistribution> Regions { get; init; }

    /// <summary>What made the AMIs, put on each as tags. Default: null (no origin tags).</summary>
    public AmiOrigin? Origin { get; init; }

    /// <summary>
    /// The pipelines that use this distribution run with an execution role that may put the SSM output parameters
    /// (ssm:PutParameter on them, ec2:DescribeImages). Default: false: they run with Image Builder's service-linked
    /// role, which may put parameters only under /imagebuilder/, and other names are rejected.
    /// </summary>
    public bool OutputParametersByExecutionRole { get; init; }

    /// <summary>Explicit opt-in to public AMIs; without it a public region is rejected. Default: false.</summary>
    public bool AllowPublic { get; init; }

    /// <summary>Tags of the distribution configuration itself (its initial tags: <c>Tags.Of</c> adds to them; AMI tags are per region). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
