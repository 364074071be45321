using Amazon.CDK;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Constructs.Governance;
using AmiInfra.Constructs.Lifecycle;
using AmiInfra.Constructs.Release;
using AmiInfra.Declaration;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>
/// What a factory needs in one distribution region: the regional key its AMIs are re-encrypted
/// with (when any image shares or copies into accounts there with the regional key, or the governance
/// makes it the default EBS key), the Recycle Bin rules that keep deleted AMIs and snapshots
/// restorable, and the account controls for AMIs the governance declares.
/// </summary>
public sealed class RegionalStack : Stack
{
    /// <summary>Creates the stack of <paramref name="region"/>.</summary>
    public RegionalStack(Construct scope, Factory factory, string region)
        : base(scope, NameOf(factory, region), FactoryStackProps.For(factory, NameOf(factory, region), $"the AMI key and Recycle Bin rules of {region}.", region))
    {
        var images = factory.Images.Where(i => i.Distribution.Regions.Contains(region)).ToList();
        var keyed = images.Where(i => i.Distribution.Encryption == AmiEncryption.RegionalKey).ToList();
        if (keyed.Count > 0 || factory.Governance.EbsEncryptionByDefault == EbsDefaultEncryption.RegionalKey)
        {
            Key = new RegionalKey(this, "AmiKey", new RegionalKeyProps
            {
                AliasName = KeyAliasName(factory),
                Description = $"Encrypts the AMIs of the {factory.Name} factory in {region}, and lets their consumers launch and copy them",
                LaunchAccounts = Union(keyed, d => d.LaunchAccounts),
                LaunchOrganizationArns = Union(keyed, d => d.LaunchOrganizations),
                LaunchOrganizationalUnitArns = Union(keyed, d => d.LaunchOrganizationalUnits),
                TargetAccounts = Union(keyed, d => d.TargetAccounts),
            });

            // Consumers name the key by its ARN to grant their Auto Scaling role (KMS CreateGrant takes no alias of
            // another account): the factory team hands them this output.
            _ = new CfnOutput(this, "AmiKeyArn", new CfnOutputProps
            {
                Value = Key.KeyArn,
                Description = $"The key that encrypts the {factory.Name} factory's AMIs in {region}: consumers grant their Auto Scaling service-linked role on it",
            });
        }

        // The account controls for AMIs the governance declares, in the factory account in this region.
        if (factory.Governance.DeclaresAny)
        {
            Controls = new AccountControls(this, "AccountControls", DeclaredAccountControls.For(factory, Key?.KeyArn));
        }

        // The release verification of the copies that land in this region (images with release on), and, in the home
        // region, the instance profile it launches with (IAM is global: one per account).
        var released = images.Where(i => i.Release.Enabled).ToList();
        if (released.Count > 0)
        {
            var home = region == factory.Region;
            var partition = AmiInfra.Rules.Partitions.NameOf(region);
            Release = new ReleaseVerification(this, "Release", new ReleaseVerificationProps
            {
                FactoryName = factory.Name,
                Images = released.Select(i => ReleaseImageOf(i, region)).ToList(),
                TargetAccounts = released.SelectMany(i => i.Distribution.TargetAccounts).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                FailuresForwardedTo = home ? null : FailuresBus(factory),
            });
            if (!home && Release.FailuresForwarder is null)
            {
                Amazon.CDK.Annotations.Of(Release).AddWarning(
                    $"The release verification failures of {region} stay on its default bus (events {AmiInfra.Rules.Releases.EventSource}) and in the copies' tags: EventBridge documents no delivery from another region to the home region {factory.Region}'s bus, so the build topic does not hear of them. amiinfra release status shows them.");
            }
        }

        if (region == factory.Region && factory.Images.Any(i => i.Release.Enabled))
        {
            _ = new ReleaseInstanceProfile(this, "ReleaseInstance", factory.Name);
        }

        var bins = factory.Images.Select(i => i.Lifecycle).OfType<ImageLifecycle>().Where(r => r.RecycleBinDays > 0).ToList();
        if (bins.Count > 0)
        {
            RecycleBin = new RecycleBinRetention(this, "RecycleBin", new RecycleBinRetentionProps
            {
                FactoryName = factory.Name,
                AmiRetentionDays = bins.Max(r => r.RecycleBinDays),
                SnapshotRetentionDays = bins.Max(r => r.SnapshotRecycleBinDays),
                Tags = factory.Tags,
            });
        }
    }

    /// <summary>
    /// The home region's default bus, where the other regions forward their release verification failures for the build
    /// topic: null when EventBridge does not deliver there from another region (PutTargets documents us-east-1, us-west-2
    /// and eu-west-1 as the regions whose buses rules of other regions may target: <see cref="AmiInfra.Rules.Notifications.CrossRegionBusRegions"/>),
    /// where the failures stay on each region's default bus and in the tags (amiinfra release status).
    /// </summary>
    public static string? FailuresBus(Factory factory)
    {
        var partition = AmiInfra.Rules.Partitions.Of(factory.Region);
        var bus = $"arn:{partition?.Name ?? "aws"}:events:{factory.Region}:{factory.Account}:event-bus/default";
        return partition is not null && factory.DistributionRegions.All(r => AmiInfra.Rules.Notifications.EventBus(bus, partition, r) is null) ? bus : null;
    }

    /// <summary>The release verification of this region, or null when no image here has release on.</summary>
    public ReleaseVerification? Release { get; }

    /// <summary>What the verification of this region needs of an image: its release settings, its launch permissions, and its latest parameter and launch templates here.</summary>
    public static ReleaseImage ReleaseImageOf(Image image, string region) => new()
    {
        ImageName = image.Name,
        Windows = image.Platform == Platform.Windows,
        InstanceType = image.Release.InstanceType,
        SubnetId = image.Release.Subnets.TryGetValue(region, out var subnet) ? subnet : null,
        TimeoutMinutes = image.Release.TimeoutMinutes,
        Commands = image.Release.Commands,
        OnFailure = image.Release.OnFailure,
        SsmParameterName = image.Distribution.SsmParameterName,
        LaunchPermissions = new ReleaseLaunchPermissions
        {
            Accounts = image.Distribution.LaunchAccounts,
            OrganizationArns = image.Distribution.LaunchOrganizations,
            OrganizationalUnitArns = image.Distribution.LaunchOrganizationalUnits,
            Public = image.Distribution.Public,
        },
        LaunchWithTemplates = image.Release.LaunchWithTemplate,
        LaunchTemplates = image.Distribution.LaunchTemplates.Where(t => t.Region == region)
            .Select(t => new ReleaseLaunchTemplate { LaunchTemplateId = t.LaunchTemplateId, AccountId = t.AccountId, SetDefaultVersion = t.SetDefaultVersion }).ToList(),
    };

    /// <summary>The regional key, or null when no image uses one in this region.</summary>
    public RegionalKey? Key { get; }

    /// <summary>The account controls for AMIs, or null when the factory declares no governance.</summary>
    public AccountControls? Controls { get; }

    /// <summary>The Recycle Bin rules, or null when no image retires AMIs.</summary>
    public RecycleBinRetention? RecycleBin { get; }

    /// <summary>The stack's name.</summary>
    public static string NameOf(Factory factory, string region) => $"{factory.Name}-region-{region}";

    /// <summary>The alias of the factory's key in every region (after "alias/"): deterministic, so no cross-region references.</summary>
    public static string KeyAliasName(Factory factory) => $"amiinfra/{factory.Name}/ami";

    private static IReadOnlyList<string> Union(IEnumerable<Image> images, Func<Distribution, IReadOnlyList<string>> select) =>
        images.SelectMany(i => select(i.Distribution)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
