using System.Globalization;
using Amazon.CDK;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Lifecycle;

/// <summary>Props of <see cref="RecycleBinRetention"/>.</summary>
public sealed record RecycleBinRetentionProps
{
    /// <summary>The factory name: the value of the <c>amiinfra:factory</c> tag the distribution puts on every AMI.</summary>
    public required string FactoryName { get; init; }

    /// <summary>Days a deregistered AMI stays restorable (1 to 365). Default: 14.</summary>
    public int AmiRetentionDays { get; init; } = 14;

    /// <summary>
    /// Days a deleted snapshot stays restorable (1 to 365, at least <see cref="AmiRetentionDays"/>:
    /// a restored AMI needs its snapshots). Default: <see cref="AmiRetentionDays"/>.
    /// </summary>
    public int? SnapshotRetentionDays { get; init; }

    /// <summary>Tags put on both retention rules (not the selection; at most 50). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>
/// Recycle Bin retention rules (<c>AWS::Rbin::Rule</c>) that keep a factory's deregistered AMIs and
/// deleted snapshots restorable for some days: the safety net under lifecycle policies and under
/// anyone deleting an AMI by mistake. Recycle Bin rules are regional: put one of these in every
/// region the factory's AMIs are distributed to (it can live in any stack).
/// </summary>
/// <remarks>
/// <para>
/// The AMI rule is a tag-level rule on <c>amiinfra:factory = FactoryName</c>, the tag the
/// distribution puts on every AMI in every region.
/// </para>
/// <para>
/// The snapshot rule cannot rely on that tag: Image Builder documents its distribution tags
/// (<c>amiTags</c>) as applied to AMIs, not to their snapshots. What Image Builder does put on the
/// snapshots it creates is <c>CreatedBy: EC2 Image Builder</c> (the AWS-managed lifecycle execution
/// policy may delete only snapshots carrying it). So the snapshot rule is a tag-level rule matching
/// either <c>CreatedBy = EC2 Image Builder</c> or <c>amiinfra:factory = FactoryName</c> (a snapshot is
/// retained when it carries any of them). That keeps every deleted snapshot of the factory's AMIs, and
/// also those of other Image Builder AMIs of the account in that region: they are billed while in the
/// Recycle Bin, a small price against an AMI that cannot be restored. A region-level rule would keep
/// every snapshot of the region instead, which costs more and says less.
/// </para>
/// <para>
/// When several rules match a deleted resource, the longest retention applies, so two factories in
/// one account and region do not shorten each other's retention.
/// </para>
/// </remarks>
public sealed class RecycleBinRetention : Construct
{
    /// <summary>The AMI tag that names the factory.</summary>
    public const string FactoryTagKey = AmiTagKeys.Factory;

    /// <summary>The tag Image Builder puts on the AMIs and snapshots it creates.</summary>
    public const string CreatedByTagKey = "CreatedBy";

    /// <summary>The value of <see cref="CreatedByTagKey"/> on Image Builder's AMIs and snapshots.</summary>
    public const string CreatedByImageBuilder = "EC2 Image Builder";

    /// <summary>Longest retention the Recycle Bin accepts for AMIs and snapshots, in days.</summary>
    public static int MaxRetentionDays => Lifecycles.RecycleBinDays.Max;

    /// <summary>Creates the two retention rules.</summary>
    public RecycleBinRetention(Construct scope, string id, RecycleBinRetentionProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Check(Node.Path, props);
        AmiRetentionDays = props.AmiRetentionDays;
        SnapshotRetentionDays = props.SnapshotRetentionDays ?? props.AmiRetentionDays;
        var tags = props.Tags.Count == 0
            ? null
            : props.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (object)new Dictionary<string, object> { ["Key"] = t.Key, ["Value"] = t.Value }).ToArray();

        ImageRule = Rule("ImageRule", "EC2_IMAGE", AmiRetentionDays,
            $"Keeps deregistered AMIs of the {props.FactoryName} factory restorable for {AmiRetentionDays} days",
            [(FactoryTagKey, props.FactoryName)], tags);
        SnapshotRule = Rule("SnapshotRule", "EBS_SNAPSHOT", SnapshotRetentionDays,
            $"Keeps deleted snapshots of Image Builder AMIs ({props.FactoryName} factory) restorable for {SnapshotRetentionDays} days",
            [(CreatedByTagKey, CreatedByImageBuilder), (FactoryTagKey, props.FactoryName)], tags);
    }

    /// <summary>The rule for AMIs (<c>EC2_IMAGE</c>).</summary>
    public CfnResource ImageRule { get; }

    /// <summary>The rule for snapshots (<c>EBS_SNAPSHOT</c>).</summary>
    public CfnResource SnapshotRule { get; }

    /// <summary>Days a deregistered AMI stays restorable.</summary>
    public int AmiRetentionDays { get; }

    /// <summary>Days a deleted snapshot stays restorable.</summary>
    public int SnapshotRetentionDays { get; }

    private CfnResource Rule(string id, string resourceType, int days, string description, (string Key, string Value)[] selection, object[]? tags)
    {
        var properties = new Dictionary<string, object>
        {
            ["Description"] = description.Length > 255 ? description[..255] : description,
            ["ResourceType"] = resourceType,
            ["RetentionPeriod"] = new Dictionary<string, object>
            {
                ["RetentionPeriodValue"] = days,
                ["RetentionPeriodUnit"] = "DAYS",
            },
            ["ResourceTags"] = selection
                .Select(s => (object)new Dictionary<string, object> { ["ResourceTagKey"] = s.Key, ["ResourceTagValue"] = s.Value })
                .ToArray(),
        };
        if (tags is not null)
        {
            properties["Tags"] = tags;
        }

        // A taggable resource (Cfn.Resource): Tags.Of reaches the rules, whose own tags are these.
        return Cfn.Resource(this, id, new CfnDefinition("AWS::Rbin::Rule", properties));
    }

    private static void Check(string id, RecycleBinRetentionProps props)
    {
        Checks.Require($"{id}.FactoryName", Checks.IsToken(props.FactoryName) || TagRules.RecycleBin.Value.IsMatch(props.FactoryName) ? null : new Problem(Text.Quote(props.FactoryName), TagRules.RecycleBin.ValueAccepted));
        if (props.FactoryName.Length == 0)
        {
            throw new ConstructValidationException($"{id}.FactoryName", "\"\"", "the factory name (the value of the amiinfra:factory tag on its AMIs)");
        }

        Checks.Range($"{id}.AmiRetentionDays", props.AmiRetentionDays, Lifecycles.RecycleBinDays, "days");
        if (props.SnapshotRetentionDays is { } snapshotDays)
        {
            Checks.Range($"{id}.SnapshotRetentionDays", snapshotDays, Lifecycles.RecycleBinDays, "days");
            Checks.Require($"{id}.SnapshotRetentionDays", Lifecycles.SnapshotRetention(snapshotDays, props.AmiRetentionDays, "AmiRetentionDays"));
        }

        Checks.Tags($"{id}.Tags", props.Tags, TagRules.RecycleBin);
    }
}
