namespace AmiInfra.Constructs.Release;

/// <summary>A launch template whose default version follows a verified copy (in the copy's account and region).</summary>
public sealed record ReleaseLaunchTemplate
{
    /// <summary>The launch template id (lt-...). No default.</summary>
    public required string LaunchTemplateId { get; init; }

    /// <summary>The account that owns it. Default: null (the factory account).</summary>
    public string? AccountId { get; init; }

    /// <summary>Make the new version the template's default. Default: true.</summary>
    public bool SetDefaultVersion { get; init; } = true;
}

/// <summary>One image whose copies a <see cref="ReleaseVerification"/> verifies in its region.</summary>
public sealed record ReleaseImage
{
    /// <summary>The image name: the value of the <c>amiinfra:image</c> tag its AMIs carry. No default.</summary>
    public required string ImageName { get; init; }

    /// <summary>Whether the image is a Windows image (its smoke test runs AWS-RunPowerShellScript). Default: false.</summary>
    public bool Windows { get; init; }

    /// <summary>The instance type each copy is launched on. No default.</summary>
    public required string InstanceType { get; init; }

    /// <summary>The subnet to launch in. Default: null (the default VPC).</summary>
    public string? SubnetId { get; init; }

    /// <summary>Minutes the verification of one copy may take, from launch to the end of the smoke test. Default: 30.</summary>
    public int TimeoutMinutes { get; init; } = AmiInfra.Rules.Releases.DefaultTimeoutMinutes;

    /// <summary>The smoke test's commands. Default: none (one command that proves the instance runs commands).</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    /// <summary>What a failed copy becomes: deprecate or disable. Default: deprecate.</summary>
    public string OnFailure { get; init; } = AmiInfra.Rules.Releases.DefaultFailureAction;

    /// <summary>
    /// The SSM parameter that holds the newest verified AMI id, in the factory account (the image's "latest" parameter),
    /// written after a factory-account copy passes. Default: null (none written).
    /// </summary>
    public string? SsmParameterName { get; init; }

    /// <summary>The launch templates of this region updated after a copy of their account passes. Default: none.</summary>
    public IReadOnlyList<ReleaseLaunchTemplate> LaunchTemplates { get; init; } = [];

    /// <summary>
    /// Launch a copy with the first of <see cref="LaunchTemplates"/> of its account (its default version), as its consumers
    /// launch it: the template's network, security groups, storage, user data and key pair apply, while the copy, the
    /// instance type, the instance profile, the metadata options and the tags are the verification's, and
    /// <see cref="SubnetId"/> is not used. Default: true.
    /// </summary>
    public bool LaunchWithTemplates { get; init; } = true;

    /// <summary>
    /// Who may launch a factory-account copy once it passed (EC2 ModifyImageAttribute, launchPermission add; the
    /// distribution leaves them out: <see cref="Distribution.RegionDistribution.LaunchPermissionsAfterVerification"/>).
    /// A copy that fails is never shared. Default: none.
    /// </summary>
    public ReleaseLaunchPermissions LaunchPermissions { get; init; } = new();
}

/// <summary>The launch permissions a verified copy receives.</summary>
public sealed record ReleaseLaunchPermissions
{
    /// <summary>Account ids. Default: none.</summary>
    public IReadOnlyList<string> Accounts { get; init; } = [];

    /// <summary>Organization ARNs. Default: none.</summary>
    public IReadOnlyList<string> OrganizationArns { get; init; } = [];

    /// <summary>OU ARNs. Default: none.</summary>
    public IReadOnlyList<string> OrganizationalUnitArns { get; init; } = [];

    /// <summary>Every account (the group "all"). Default: false.</summary>
    public bool Public { get; init; }

    /// <summary>Whether anyone is named.</summary>
    public bool Any => Accounts.Count + OrganizationArns.Count + OrganizationalUnitArns.Count > 0 || Public;
}

/// <summary>Props of <see cref="ReleaseVerification"/>.</summary>
public sealed record ReleaseVerificationProps
{
    /// <summary>The factory: the value of the <c>amiinfra:factory</c> tag on its AMIs, and the prefix of the physical names. No default.</summary>
    public required string FactoryName { get; init; }

    /// <summary>The images verified in this region. No default.</summary>
    public required IReadOnlyList<ReleaseImage> Images { get; init; }

    /// <summary>
    /// Accounts whose copies are verified besides the factory's own (the distribution's target accounts): the state
    /// machine assumes <c>&lt;factory&gt;-release-target</c> there, and their "EC2 AMI State Change" events reach this
    /// region's default bus (both deployed by the target-account StackSet). Default: none.
    /// </summary>
    public IReadOnlyList<string> TargetAccounts { get; init; } = [];

    /// <summary>
    /// The event bus (of another region: the home region's default bus) that this region's failure events are forwarded
    /// to, by a rule on this region's default bus (cross-region event bus targets:
    /// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html), where the build topic hears of them
    /// (<see cref="Build.BuildEvents"/>). Default: none (the events stay on this region's default bus).
    /// </summary>
    public string? FailuresForwardedTo { get; init; }

    /// <summary>Seconds between two checks of the instance, the agent and the command. Default: 15.</summary>
    public int PollSeconds { get; init; } = 15;

    /// <summary>
    /// Whether an EventBridge rule starts the verification when an AMI becomes available in this region (EC2's "EC2 AMI
    /// State Change" event, in the factory account and the target accounts). Default: true.
    /// </summary>
    public bool Trigger { get; init; } = true;
}
