namespace AmiInfra.Rules;

/// <summary>An AWS partition: a set of regions with its own ARNs, endpoints and accounts.</summary>
/// <param name="Name">The partition as ARNs name it: aws, aws-cn or aws-us-gov.</param>
/// <param name="Title">What people call it.</param>
/// <param name="DnsSuffix">The suffix of its service endpoints.</param>
/// <param name="Regions">Its regions that AmiInfra can build in and distribute to.</param>
public sealed record Partition(string Name, string Title, string DnsSuffix, IReadOnlyList<string> Regions);

/// <summary>
/// The AWS partitions and their regions. A factory lives in one partition: AMIs can be copied and
/// shared only between regions of the same partition, and every ARN names it.
/// Source: "Regions and Availability Zones" and "AWS partitions" in the AWS General Reference
/// (https://docs.aws.amazon.com/general/latest/gr/rande.html), and the EC2 Image Builder endpoints
/// and quotas page (https://docs.aws.amazon.com/general/latest/gr/imagebuilder.html), which lists
/// Image Builder in every region below.
/// </summary>
public static class Partitions
{
    /// <summary>The commercial partition.</summary>
    public static readonly Partition Aws = new("aws", "the commercial AWS partition", "amazonaws.com",
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
        "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
        "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1",
    ]);

    /// <summary>AWS GovCloud (US).</summary>
    public static readonly Partition GovCloud = new("aws-us-gov", "AWS GovCloud (US)", "amazonaws.com", ["us-gov-east-1", "us-gov-west-1"]);

    /// <summary>The AWS China regions.</summary>
    public static readonly Partition China = new("aws-cn", "the AWS China regions", "amazonaws.com.cn", ["cn-north-1", "cn-northwest-1"]);

    /// <summary>Every partition.</summary>
    public static readonly IReadOnlyList<Partition> All = [Aws, GovCloud, China];

    private static readonly Dictionary<string, Partition> ByRegion =
        All.SelectMany(p => p.Regions.Select(r => (r, p))).ToDictionary(x => x.r, x => x.p, StringComparer.Ordinal);

    /// <summary>Every region of every partition, in the order above.</summary>
    public static IReadOnlyCollection<string> Regions => ByRegion.Keys;

    /// <summary>What a region value must be.</summary>
    public const string RegionAccepted = "an AWS region code such as us-east-1 or eu-west-1";

    /// <summary>The partition of a known region; null for an unknown one.</summary>
    public static Partition? Of(string region) => ByRegion.GetValueOrDefault(region);

    /// <summary>The partition name (aws, aws-cn, aws-us-gov) of a known region.</summary>
    /// <exception cref="ArgumentException">The region is not known (check it with <see cref="Region"/> first).</exception>
    public static string NameOf(string region) =>
        Of(region)?.Name ?? throw new ArgumentException($"'{region}' is not a known region", nameof(region));

    /// <summary>A region code AmiInfra knows.</summary>
    public static Problem? Region(string region) =>
        ByRegion.ContainsKey(region) ? null : new Problem(Text.Quote(region), RegionAccepted);

    /// <summary>
    /// A region of <paramref name="partition"/>: AMIs are copied and shared only within a partition,
    /// so a factory of one partition cannot distribute to a region of another.
    /// </summary>
    public static Problem? RegionIn(string region, Partition partition)
    {
        if (Region(region) is { } problem)
        {
            return problem;
        }

        var of = ByRegion[region];
        return of == partition
            ? null
            : new Problem(
                $"{Text.Quote(region)} (in {of.Title}, partition {of.Name})",
                $"a region of the factory's partition, {partition.Title} ({partition.Name}): {string.Join(", ", partition.Regions)}; AMIs are never copied across partitions");
    }
}
