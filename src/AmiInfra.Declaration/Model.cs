namespace AmiInfra.Declaration;

/// <summary>A whole factory: the AMIs one team maintains, and how they are built, shared and retired.</summary>
public sealed record Factory
{
    /// <summary>The factory name: prefix of every physical name (lower-case letters, digits, hyphens).</summary>
    public required string Name { get; init; }

    /// <summary>What the factory is for, shown in stack descriptions.</summary>
    public string Description { get; init; } = "";

    /// <summary>The AWS account the factory runs in (12 digits).</summary>
    public required string Account { get; init; }

    /// <summary>The home region, where images are built.</summary>
    public required string Region { get; init; }

    /// <summary>The AWS Organization the factory belongs to, when it shares with OUs or deploys to target accounts.</summary>
    public OrganizationSettings? Organization { get; init; }

    /// <summary>Explicit opt-in to public launch permissions. Default: false (public sharing rejected).</summary>
    public bool AllowPublicImages { get; init; }

    /// <summary>Build infrastructure shared by every image.</summary>
    public required BuildSettings Build { get; init; }

    /// <summary>The deployment pipeline, when the factory deploys through one. Default: none (deploy with cdk deploy).</summary>
    public DeliverySettings? Delivery { get; init; }

    /// <summary>The account-level controls for AMIs. Default: none declared (the accounts' settings are left as they are).</summary>
    public GovernanceSettings Governance { get; init; } = new();

    /// <summary>Whether the controls go into the accounts of the target OUs: declared there, and OUs to deploy to.</summary>
    public bool GovernsTargetAccounts =>
        Governance.DeclaresAny && Governance.InTargetAccounts && Organization is { TargetOrganizationalUnits.Count: > 0 };

    /// <summary>Tags put on every stack and taggable resource.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new SortedDictionary<string, string>();

    /// <summary>The images, each with its distribution and retirement rules already merged with the factory's.</summary>
    public required IReadOnlyList<Image> Images { get; init; }

    /// <summary>The folder the declaration was read from; component files are relative to it.</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>
    /// What is legal but likely not meant (an unknown managed component, a phase Image Builder never
    /// runs), each starting with the declaration field it is about. Default: none.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Every region any image is distributed to, home region first, then in declaration order.</summary>
    public IReadOnlyList<string> DistributionRegions =>
        Images.SelectMany(i => i.Distribution.Regions).Prepend(Region).Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>The AWS Organization of the factory.</summary>
/// <param name="Id">The organization id (o-...).</param>
/// <param name="TargetOrganizationalUnits">OU or root ids (ou-... or r-...) where the distribution role is deployed.</param>
public sealed record OrganizationSettings(string Id, IReadOnlyList<string> TargetOrganizationalUnits)
{
    /// <summary>
    /// How the distribution-role StackSet is created: from a delegated administrator for StackSets (the
    /// factory account) or from the management account. Default: delegated administrator.
    /// </summary>
    public AmiInfra.Rules.StackSetDeployment StackSetsFrom { get; init; } = AmiInfra.Rules.StackSets.DelegatedAdministrator;

    /// <summary>The organization's management account, when declared (required to deploy StackSets from it). Default: unknown.</summary>
    public string? ManagementAccount { get; init; }

    /// <summary>
    /// What happens to an account's stack of the target-account StackSet when the account leaves the target OUs: retain
    /// (kept, detached from the StackSet: its roles and account controls stay) or delete. Default: retain.
    /// </summary>
    public string OnAccountRemoval { get; init; } = AmiInfra.Rules.StackSets.AccountRemovals[0];

    /// <summary>The account the distribution-targets stack is deployed in: the management account, or the factory account as delegated administrator.</summary>
    public string StackSetAccount(string factoryAccount) =>
        StackSetsFrom == AmiInfra.Rules.StackSets.ManagementAccount ? ManagementAccount! : factoryAccount;
}

/// <summary>A self-mutating deployment pipeline for the factory.</summary>
/// <param name="ConnectionArn">The CodeConnections (CodeStar connections) ARN to the repository host.</param>
/// <param name="Repository">The repository, owner/name.</param>
/// <param name="Branch">The branch deployed. Default: main.</param>
/// <param name="ProtectedStages">Stages (regions, factory, targets) that wait for a manual approval. Default: factory and targets.</param>
public sealed record DeliverySettings(string ConnectionArn, string Repository, string Branch, IReadOnlyList<string> ProtectedStages);

/// <summary>Build infrastructure shared by every image of the factory.</summary>
public sealed record BuildSettings
{
    /// <summary>
    /// Instance types for build and test instances, tried in order. Default: m7i.large and m6i.large (x86_64): AWS
    /// recommends more than one, so that a build finds capacity ("Create an infrastructure configuration":
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-infra-config.html).
    /// </summary>
    public IReadOnlyList<string> InstanceTypes { get; init; } = ["m7i.large", "m6i.large"];

    /// <summary>
    /// Where build instances run: default-vpc, subnet (<see cref="SubnetId"/>) or factory-vpc (a VPC the
    /// factory creates). Default: subnet when a subnet is given, else default-vpc.
    /// </summary>
    public string Network { get; init; } = "default-vpc";

    /// <summary>Subnet for build instances (with network "subnet"). Default: none.</summary>
    public string? SubnetId { get; init; }

    /// <summary>Security groups for build instances (needs a subnet).</summary>
    public IReadOnlyList<string> SecurityGroupIds { get; init; } = [];

    /// <summary>EC2 key pair for build instances. Default: none (use Session Manager).</summary>
    public string? KeyPair { get; init; }

    /// <summary>Days to keep build logs in the log bucket. Default: 90.</summary>
    public int LogRetentionDays { get; init; } = 90;

    /// <summary>
    /// Days each image's CloudWatch Logs log group keeps its build and pipeline logs, encrypted with the build key: one
    /// of CloudWatch Logs' retentions. Default: 90.
    /// </summary>
    public int LogGroupRetentionDays { get; init; } = 90;

    /// <summary>An EventBridge event bus that receives the Image Builder events a team acts on, instead of the build topic. Default: none (the build topic).</summary>
    public string? EventBusArn { get; init; }
}

/// <summary>Where an image's build instances run on the hardware.</summary>
/// <param name="AvailabilityZone">An Availability Zone of the home region, or null.</param>
/// <param name="Tenancy">default, dedicated or host, or null (shared hardware).</param>
/// <param name="HostId">A Dedicated Host id (with tenancy host), or null.</param>
/// <param name="HostResourceGroupArn">A host resource group ARN (with tenancy host), or null.</param>
public sealed record PlacementSettings(string? AvailabilityZone, string? Tenancy, string? HostId, string? HostResourceGroupArn);

/// <summary>The operating system family of an image.</summary>
public enum Platform
{
    /// <summary>Linux.</summary>
    Linux,

    /// <summary>Windows.</summary>
    Windows,
}

/// <summary>One AMI the factory maintains.</summary>
public sealed record Image
{
    /// <summary>The image name (lower-case letters, digits, hyphens; unique in the factory).</summary>
    public required string Name { get; init; }

    /// <summary>What the image is for.</summary>
    public string Description { get; init; } = "";

    /// <summary>Linux or Windows.</summary>
    public required Platform Platform { get; init; }

    /// <summary>The image the build starts from.</summary>
    public required ParentImage Parent { get; init; }

    /// <summary>The components, in the order they run.</summary>
    public required IReadOnlyList<ComponentReference> Components { get; init; }

    /// <summary>The workflows the pipeline runs, the declared ones first. Default: none (Image Builder's own build and test).</summary>
    public IReadOnlyList<WorkflowReference> Workflows { get; init; } = [];

    /// <summary>The root volume of the image.</summary>
    public required RootVolume RootVolume { get; init; }

    /// <summary>The working directory for build and test workflows. Default: the service's (/tmp or C:/).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Remove the SSM agent after the build when it was installed by Image Builder. Default: false.</summary>
    public bool RemoveSsmAgent { get; init; }

    /// <summary>Path (relative to the declaration) of a user data script that replaces the service's. Default: none.</summary>
    public string? UserDataFile { get; init; }

    /// <summary>When the pipeline runs. Default: no schedule (manual runs only).</summary>
    public Schedule? Schedule { get; init; }

    /// <summary>Whether the pipeline is enabled. Default: true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Image tests. Default: enabled, 90 minutes.</summary>
    public ImageTests Tests { get; init; } = new(true, 90);

    /// <summary>Vulnerability scanning with Amazon Inspector. Default: true.</summary>
    public bool Scanning { get; init; } = true;

    /// <summary>Enhanced image metadata (installed packages). Default: true.</summary>
    public bool EnhancedMetadata { get; init; } = true;

    /// <summary>Instance types that replace the factory's for this image. Default: the factory's.</summary>
    public IReadOnlyList<string>? InstanceTypes { get; init; }

    /// <summary>Where the build instances run on the hardware (Availability Zone, tenancy, Dedicated Host). Default: none (shared hardware).</summary>
    public PlacementSettings? Placement { get; init; }

    /// <summary>Distribution: the factory's, with this image's overrides applied.</summary>
    public required Distribution Distribution { get; init; }

    /// <summary>Lifecycle rules: the factory's or this image's. Default: none (AMIs kept).</summary>
    public ImageLifecycle? Lifecycle { get; init; }

    /// <summary>Tags for this image's resources and AMIs (added to the factory's).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new SortedDictionary<string, string>();

    /// <summary>The verification of every distributed copy before it is promoted. Default: on, on the first build instance type, 30 minutes, deprecate on failure.</summary>
    public ReleaseSettings Release { get; init; } = new() { InstanceType = "m7i.large" };
}

/// <summary>How the parent image is named.</summary>
public enum ParentImageKind
{
    /// <summary>An SSM parameter holding an AMI id, e.g. /aws/service/ami-amazon-linux-latest/...</summary>
    SsmParameter,

    /// <summary>An AMI id (ami-...).</summary>
    AmiId,

    /// <summary>An Image Builder managed image, e.g. amazon-linux-2023-x86/x.x.x.</summary>
    ImageBuilder,

    /// <summary>An AWS Marketplace product id (prod-...).</summary>
    Marketplace,
}

/// <summary>The image a build starts from.</summary>
public sealed record ParentImage(ParentImageKind Kind, string Value);

/// <summary>A component of an image recipe: an AWS-managed one, or a document of the factory's.</summary>
public sealed record ComponentReference
{
    /// <summary>The name of an AWS-managed component (e.g. update-linux), or null.</summary>
    public string? Managed { get; init; }

    /// <summary>Path of a component document, relative to the declaration and with / separators, or null.</summary>
    public string? File { get; init; }

    /// <summary>
    /// The component's name in the factory, for a document: its physical name is the factory name, this
    /// name and, for Windows images, <c>-windows</c>. The declaration's <c>name</c>, else the file's
    /// name without extension, else (when two documents would share that) its path. Null for a managed component.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>Version of a managed component. Default: x.x.x (newest).</summary>
    public string Version { get; init; } = "x.x.x";

    /// <summary>Parameters passed to the component.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The component document, read and checked for the image's platform; null for a managed component.</summary>
    public AmiInfra.Rules.Awstoe.ToeDocument? Document { get; init; }

    /// <summary>
    /// A component's physical name: factory, component name and, for Windows, <c>-windows</c> (one
    /// document can make a Linux and a Windows component). At most 93 characters (20, 64 and the
    /// suffix), within Image Builder's 128.
    /// </summary>
    public static string PhysicalName(string factoryName, string componentName, Platform platform) =>
        $"{factoryName}-{componentName}{(platform == Platform.Windows ? "-windows" : "")}";
}

/// <summary>The root EBS volume of an image.</summary>
public sealed record RootVolume
{
    /// <summary>Device name of the parent image's root volume. Default: /dev/xvda (Linux), /dev/sda1 (Windows).</summary>
    public required string DeviceName { get; init; }

    /// <summary>Size in GiB.</summary>
    public required int SizeGiB { get; init; }

    /// <summary>EBS volume type. Default: gp3.</summary>
    public string VolumeType { get; init; } = "gp3";

    /// <summary>Provisioned IOPS (gp3, io1, io2). Default: the volume type's baseline.</summary>
    public int? Iops { get; init; }

    /// <summary>Throughput in MiB/s (gp3 only). Default: 125.</summary>
    public int? ThroughputMiBps { get; init; }
}

/// <summary>When a pipeline runs.</summary>
/// <param name="Cron">An Image Builder cron expression, e.g. cron(0 4 ? * sun *).</param>
/// <param name="StartCondition">EXPRESSION_MATCH_ONLY or EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE.</param>
/// <param name="Timezone">IANA time zone of the expression. Default: Etc/UTC.</param>
/// <param name="StartConditionDeclared">Whether the declaration chose the start condition (else it is the service default).</param>
public sealed record Schedule(string Cron, string StartCondition, string Timezone, bool StartConditionDeclared)
{
    /// <summary>Consecutive failed scheduled runs after which Image Builder disables the pipeline (1 to 10). Default: 5.</summary>
    public int AutoDisableAfterFailures { get; init; } = AmiInfra.Rules.Builds.DefaultAutoDisableFailures;
}

/// <summary>Image tests after the build.</summary>
public sealed record ImageTests(bool Enabled, int TimeoutMinutes);

/// <summary>Where an image's AMIs go and who may launch them.</summary>
public sealed record Distribution
{
    /// <summary>Regions to distribute to (the home region included when listed).</summary>
    public required IReadOnlyList<string> Regions { get; init; }

    /// <summary>Account ids that may launch the AMIs.</summary>
    public IReadOnlyList<string> LaunchAccounts { get; init; } = [];

    /// <summary>Organization ARNs whose accounts may launch the AMIs.</summary>
    public IReadOnlyList<string> LaunchOrganizations { get; init; } = [];

    /// <summary>OU ARNs whose accounts may launch the AMIs.</summary>
    public IReadOnlyList<string> LaunchOrganizationalUnits { get; init; } = [];

    /// <summary>Public launch permission (needs the factory's allowPublicImages). Default: false.</summary>
    public bool Public { get; init; }

    /// <summary>Accounts that receive their own copy of each AMI.</summary>
    public IReadOnlyList<string> TargetAccounts { get; init; } = [];

    /// <summary>AMI name; {{ imagebuilder:buildDate }} is replaced by the build date. Default: factory-image-date.</summary>
    public required string AmiName { get; init; }

    /// <summary>Tags put on every distributed AMI, besides the factory's own tags.</summary>
    public IReadOnlyDictionary<string, string> AmiTags { get; init; } = new SortedDictionary<string, string>();

    /// <summary>SSM parameter in each region holding the newest AMI id, under /imagebuilder/. Default: /imagebuilder/factory/image/latest.</summary>
    public required string SsmParameterName { get; init; }

    /// <summary>How distributed AMIs are encrypted. Default: RegionalKey (the factory's key in each region).</summary>
    public AmiEncryption Encryption { get; init; } = AmiEncryption.RegionalKey;

    /// <summary>Launch templates whose default version follows the newest AMI.</summary>
    public IReadOnlyList<LaunchTemplateUpdate> LaunchTemplates { get; init; } = [];

    /// <summary>EC2 Fast Launch of the factory account's copy, per region (Windows images only). Default: none.</summary>
    public IReadOnlyList<FastLaunchSetting> FastLaunch { get; init; } = [];

    /// <summary>License Manager configuration ARNs, each associated in the region its ARN names. Default: none.</summary>
    public IReadOnlyList<string> LicenseConfigurations { get; init; } = [];

    /// <summary>Whether any account, organization or OU other than the factory's own gets the AMI.</summary>
    public bool SharesOutsideAccount =>
        LaunchAccounts.Count + LaunchOrganizations.Count + LaunchOrganizationalUnits.Count + TargetAccounts.Count > 0 || Public;
}

/// <summary>How distributed AMIs are encrypted.</summary>
public enum AmiEncryption
{
    /// <summary>With the factory's customer-managed key in each region (shareable).</summary>
    RegionalKey,

    /// <summary>With the AWS-managed aws/ebs key (cannot be shared with other accounts).</summary>
    AwsManagedKey,
}

/// <summary>A launch template whose default version is set to the newest AMI.</summary>
/// <param name="Region">Region of the launch template.</param>
/// <param name="LaunchTemplateId">Its id (lt-...).</param>
/// <param name="AccountId">The account that owns it. Default: the factory's.</param>
/// <param name="SetDefaultVersion">Make the new version the default. Default: true.</param>
public sealed record LaunchTemplateUpdate(string Region, string LaunchTemplateId, string? AccountId, bool SetDefaultVersion);

/// <summary>EC2 Fast Launch of a Windows AMI in one region, for the factory account's copy.</summary>
/// <param name="Region">One of the distribution regions.</param>
/// <param name="Enabled">Enable it (false: Image Builder takes no Fast Launch action). Default: true.</param>
/// <param name="MaxParallelLaunches">Most instances launched at once to pre-provision snapshots (6 or more). Default: EC2's.</param>
/// <param name="TargetSnapshotCount">Pre-provisioned snapshots kept ready (1 to 10,000). Default: EC2's.</param>
/// <param name="LaunchTemplate">The launch template of the pre-provisioning instances. Default: none (the default VPC).</param>
public sealed record FastLaunchSetting(string Region, bool Enabled, int? MaxParallelLaunches, int? TargetSnapshotCount, FastLaunchTemplateReference? LaunchTemplate);

/// <summary>A launch template for Fast Launch: by id or by name, with a version.</summary>
/// <param name="Id">Its id (lt-...), or null.</param>
/// <param name="Name">Its name, or null.</param>
/// <param name="Version">A version number, $Latest or $Default.</param>
public sealed record FastLaunchTemplateReference(string? Id, string? Name, string Version);

/// <summary>A retirement step: by age or by count.</summary>
/// <param name="AfterDays">Act on AMIs older than this many days; or null.</param>
/// <param name="KeepNewest">Act on all but the newest this many AMIs; or null.</param>
public sealed record ImageLifecycleStep(int? AfterDays, int? KeepNewest)
{
    /// <summary>True when the step acts by age.</summary>
    public bool ByAge => AfterDays is not null;
}

/// <summary>What keeps an AMI from retirement.</summary>
public sealed record ImageLifecycleExclusions
{
    /// <summary>AMIs launched within this many days are kept. Default: none.</summary>
    public int? LaunchedWithinDays { get; init; }

    /// <summary>AMIs carrying any of these tags (key and value) are kept.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new SortedDictionary<string, string>();

    /// <summary>Public AMIs are kept. Default: false.</summary>
    public bool Public { get; init; }

    /// <summary>AMIs in these regions are kept.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>AMIs shared with any of these accounts are kept.</summary>
    public IReadOnlyList<string> SharedWithAccounts { get; init; } = [];
}

/// <summary>How an image's AMIs are retired: deprecate, then disable, then delete.</summary>
public sealed record ImageLifecycle
{
    /// <summary>When AMIs are deprecated. Default: never.</summary>
    public ImageLifecycleStep? Deprecate { get; init; }

    /// <summary>When AMIs are disabled. Default: never.</summary>
    public ImageLifecycleStep? Disable { get; init; }

    /// <summary>When AMIs are deregistered. Default: never.</summary>
    public ImageLifecycleStep? Delete { get; init; }

    /// <summary>Age rules never act on the newest this many AMIs (1 to 10). Default: 1.</summary>
    public int KeepAtLeast { get; init; } = 1;

    /// <summary>Delete snapshots with their AMIs. Default: true.</summary>
    public bool DeleteSnapshots { get; init; } = true;

    /// <summary>What is never retired.</summary>
    public ImageLifecycleExclusions Exclusions { get; init; } = new();

    /// <summary>Days the Recycle Bin keeps deleted AMIs. Default: 14 (0 turns the rule off).</summary>
    public int RecycleBinDays { get; init; } = 14;

    /// <summary>Days the Recycle Bin keeps deleted snapshots (at least RecycleBinDays). Default: RecycleBinDays.</summary>
    public int SnapshotRecycleBinDays { get; init; } = 14;
}

