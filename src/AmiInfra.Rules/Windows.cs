using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>
/// EC2 Fast Launch of a distributed Windows AMI: what Image Builder's FastLaunchConfiguration takes and what EC2's
/// EnableFastLaunch, which Image Builder calls with it, accepts. Pages followed:
/// Image Builder "FastLaunchConfiguration", "FastLaunchSnapshotConfiguration" and "FastLaunchLaunchTemplateSpecification"
/// (https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_FastLaunchConfiguration.html),
/// EC2 "EnableFastLaunch" (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableFastLaunch.html) and
/// "FastLaunchLaunchTemplateSpecificationRequest"
/// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_FastLaunchLaunchTemplateSpecificationRequest.html),
/// "EC2 Fast Launch prerequisites for Windows" (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/win-start-fast-launch-prereqs.html).
/// Where the two APIs disagree the stricter one is followed, since EC2 refuses what Image Builder passes on:
/// Image Builder takes maxParallelLaunches from 1 and launchTemplateVersion as optional; EC2 takes 6 or more and
/// requires the version.
/// </summary>
public static partial class FastLaunch
{
    /// <summary>Fewest parallel launches: EnableFastLaunch MaxParallelLaunches, "Value must be 6 or greater".</summary>
    public const int MinParallelLaunches = 6;

    /// <summary>
    /// The default quota of parallel launches across all Fast Launch AMIs of an account and region ("EC2 Fast Launch
    /// prerequisites for Windows": 40 per Region, raised through Service Quotas); above it, a warning, not a refusal.
    /// </summary>
    public const int DefaultParallelLaunchQuota = 40;

    /// <summary>Fewest pre-provisioned snapshots: FastLaunchSnapshotConfiguration.targetResourceCount, minimum 1.</summary>
    public const int MinTargetSnapshots = 1;

    /// <summary>Most pre-provisioned snapshots: FastLaunchSnapshotConfiguration.targetResourceCount, maximum 10,000.</summary>
    public const int MaxTargetSnapshots = 10000;

    /// <summary>
    /// A launch template name as EC2 takes it (CreateLaunchTemplate LaunchTemplateName: 3 to 128 characters of
    /// letters, digits and ( ) . - / _; https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateLaunchTemplate.html).
    /// </summary>
    public static readonly Shape LaunchTemplateName = new(LaunchTemplateNamePattern(), "a launch template name of 3 to 128 letters, digits and ( ) . - / _");

    /// <summary>A launch template version: a version number, $Latest or $Default (EC2 LaunchTemplateSpecification.Version).</summary>
    public static readonly Shape LaunchTemplateVersion = new(LaunchTemplateVersionPattern(), "a launch template version: a number such as 1, $Latest or $Default");

    /// <summary>Fast Launch only on a Windows image: "Define and configure faster launching for output Windows AMIs".</summary>
    /// <param name="windows">Whether the image is a Windows one.</param>
    public static Problem? ForImage(bool windows) =>
        windows ? null : new Problem("Fast Launch on a Linux image", "Fast Launch on Windows images only: EC2 Fast Launch pre-provisions Windows Server AMIs (Sysprep and OOBE), and Image Builder takes it for output Windows AMIs");

    /// <summary>At least <see cref="MinParallelLaunches"/>; above <see cref="DefaultParallelLaunchQuota"/> a warning.</summary>
    public static Problem? MaxParallelLaunches(int value, out string? warning)
    {
        warning = value > DefaultParallelLaunchQuota
            ? $"{Text.Number(value)} parallel launches exceed the default quota of {DefaultParallelLaunchQuota} per account and region (shared by every Fast Launch AMI there); raise it through Service Quotas before the first distribution"
            : null;
        return value >= MinParallelLaunches
            ? null
            : new Problem(Text.Number(value), $"at least {MinParallelLaunches} parallel launches (EC2 EnableFastLaunch: \"Value must be 6 or greater\")");
    }

    /// <summary>From <see cref="MinTargetSnapshots"/> to <see cref="MaxTargetSnapshots"/>.</summary>
    public static Problem? TargetSnapshotCount(int value) =>
        value is >= MinTargetSnapshots and <= MaxTargetSnapshots
            ? null
            : new Problem(Text.Number(value), $"from {MinTargetSnapshots} to {Text.Number(MaxTargetSnapshots)} pre-provisioned snapshots (Image Builder FastLaunchSnapshotConfiguration.targetResourceCount)");

    /// <summary>
    /// The launch template EC2 launches the pre-provisioning instances with: by id or by name, not both, and a version
    /// (FastLaunchLaunchTemplateSpecificationRequest). The part of a problem is "id", "name" or "version".
    /// </summary>
    public static Problem? LaunchTemplate(string? id, string? name, string? version)
    {
        if (id is not null && name is not null)
        {
            return new Problem("both an id and a name", "the launch template's id or its name, not both (EC2 FastLaunchLaunchTemplateSpecificationRequest)") { Part = "name" };
        }

        if (id is null && name is null)
        {
            return new Problem(null, "the launch template's id or its name") { Part = "id" };
        }

        if (id is not null && Identifiers.LaunchTemplateId.Check(id) is { } badId)
        {
            return badId with { Part = "id" };
        }

        if (name is not null && LaunchTemplateName.Check(name) is { } badName)
        {
            return badName with { Part = "name" };
        }

        if (version is null)
        {
            return new Problem(null, $"{LaunchTemplateVersion.Accepted} (EC2 FastLaunchLaunchTemplateSpecificationRequest requires the version)") { Part = "version" };
        }

        return LaunchTemplateVersion.Check(version) is { } badVersion ? badVersion with { Part = "version" } : null;
    }

    /// <summary>
    /// The account whose copy of the AMI gets Fast Launch (FastLaunchConfiguration.accountId): "You can only change
    /// these settings for Windows AMIs that you own", so the factory's account or a target account of the region
    /// (which owns its copy).
    /// </summary>
    public static Problem? Account(string account, string ownAccount, IReadOnlyList<string> targetAccounts) =>
        Identifiers.AccountId.Check(account) ?? (account == ownAccount || targetAccounts.Contains(account)
            ? null
            : new Problem(Text.Quote(account), "the factory's account or a target account of the region: EC2 enables Fast Launch only for the owner of the AMI copy"));

    [GeneratedRegex("^[a-zA-Z0-9().\\-/_]{3,128}$")]
    private static partial Regex LaunchTemplateNamePattern();

    [GeneratedRegex("^(?:[1-9][0-9]{0,17}|\\$Latest|\\$Default)$")]
    private static partial Regex LaunchTemplateVersionPattern();
}

/// <summary>
/// License Manager configurations associated with a distributed AMI (Image Builder Distribution.licenseConfigurationArns,
/// https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_Distribution.html: "The License Manager
/// Configuration to associate with the AMI in the specified Region", 1 to 50 ARNs). A license configuration is a
/// resource of one region (License Manager "LicenseConfiguration",
/// https://docs.aws.amazon.com/license-manager/latest/APIReference/API_LicenseConfiguration.html), so each ARN names the
/// region of the distribution it is associated in.
/// </summary>
public static partial class LicenseConfigurations
{
    /// <summary>Most license configurations of one region's distribution.</summary>
    public const int MaxPerRegion = 50;

    /// <summary>Image Builder's pattern for the ARN.</summary>
    public static readonly Shape Arn = new(ArnPattern(), "a License Manager configuration ARN such as arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-0123456789abcdef0123456789abcdef (lic- and 32 characters)");

    /// <summary>The region an ARN of the <see cref="Arn"/> shape names; empty for text without one.</summary>
    public static string RegionOf(string arn) => arn.Split(':') is { Length: > 3 } parts ? parts[3] : "";

    /// <summary>An ARN of <see cref="Arn"/>'s shape, of a known region of <paramref name="partition"/>.</summary>
    public static Problem? Check(string arn, Partition partition)
    {
        if (Arn.Check(arn) is { } bad)
        {
            return bad;
        }

        var parts = arn.Split(':');
        if (Partitions.RegionIn(parts[3], partition) is not null || parts[1] != partition.Name)
        {
            return new Problem(Text.Quote(arn), $"a license configuration of a region of the factory's partition, {partition.Title} ({partition.Name}), such as arn:{partition.Name}:license-manager:{partition.Regions[0]}:123456789012:license-configuration:lic-...");
        }

        return null;
    }

    /// <summary>The ARN's region is one of <paramref name="regions"/> (the distribution's): a configuration is associated in its own region.</summary>
    public static Problem? InRegions(string arn, IReadOnlyList<string> regions) =>
        regions.Contains(RegionOf(arn))
            ? null
            : new Problem($"{Text.Quote(arn)} (of {RegionOf(arn)})", $"a license configuration of one of the distribution regions ({string.Join(", ", regions)}): License Manager configurations are regional, and each is associated with the AMI copy of its region");

    [GeneratedRegex("^arn:aws[^:]*:license-manager:[^:]+:[0-9]{12}:license-configuration:lic-[a-z0-9-_]{32}$")]
    private static partial Regex ArnPattern();
}
