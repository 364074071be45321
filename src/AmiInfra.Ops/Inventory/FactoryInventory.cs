using Amazon.EC2.Model;
using AmiInfra.Declaration;
using AmiInfra.Rules;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;

namespace AmiInfra.Ops.Inventory;

/// <summary>
/// The factory's AMIs in a set of regions, found by the tags the distribution puts on them. Regions are
/// read concurrently; the one launch-permission call each AMI needs runs with a bound shared by every
/// region (<see cref="AwsSession.PerResourceConcurrency"/>), under the SDK's retry.
/// </summary>
public static class FactoryInventory
{
    /// <summary>
    /// The usage of every AMI, looked up region by region (concurrently). A read-only command
    /// (<paramref name="readOnly"/>) reports a region whose lookup failed as not read and goes on; a destructive one
    /// stops on the failure.
    /// </summary>
    public static async Task<Usage.UsageLookup> UsageAsync(CommandContext context, Factory factory, IReadOnlyList<AmiRecord> amis, bool readOnly, CancellationToken cancellationToken)
    {
        var regions = amis.Select(a => a.Region).Distinct(StringComparer.Ordinal).ToList();
        Task<Usage.UsageLookup> Find(string region) => Usage.UsageFinder.FindAsync(
            new RegionGateway(context.Aws, region), amis.Where(a => a.Region == region).Select(a => a.ImageId).ToList(), Usage.UsageFinder.OutputsOf(factory, region), cancellationToken);
        var lookups = readOnly
            ? (await RegionReads.EachAsync(context, regions, Find, cancellationToken).ConfigureAwait(false)).Select(r => r.Value).ToList()
            : [.. await Task.WhenAll(regions.Select(Find)).ConfigureAwait(false)];
        return Usage.UsageLookup.Merge(lookups);
    }

    /// <summary>
    /// Reads every region concurrently, every page of each listing. A region that cannot be read (not enabled,
    /// denied, throttled beyond the retries) is reported as not read and the others are still read
    /// (<see cref="RegionReads"/>).
    /// </summary>
    public static async Task<IReadOnlyList<AmiRecord>> LoadAsync(CommandContext context, Factory factory, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var account = await context.AccountAsync(regions[0], factory, cancellationToken).ConfigureAwait(false);
        var counts = new int[regions.Count];
        var index = regions.Select((region, i) => (region, i)).ToDictionary(x => x.region, x => x.i, StringComparer.Ordinal);
        var read = await RegionReads.EachAsync(context, regions, region => LoadRegionAsync(new RegionGateway(context.Aws, region), factory.Name, account, done =>
        {
            counts[index[region]] = done;
            context.Progress.Report($"reading AMIs: {counts.Sum()} in {regions.Count} region(s)");
        }, cancellationToken), cancellationToken).ConfigureAwait(false);
        var perRegion = read.Select(r => r.Value).ToList();
        context.Progress.Done();
        var order = regions.Select((region, index) => (region, index)).ToDictionary(x => x.region, x => x.index, StringComparer.Ordinal);
        return perRegion.SelectMany(r => r)
            .OrderBy(r => r.ImageName, StringComparer.Ordinal)
            .ThenBy(r => order[r.Region])
            .ThenByDescending(r => r.Created)
            .ToList();
    }

    private static async Task<IReadOnlyList<AmiRecord>> LoadRegionAsync(RegionGateway gateway, string factoryName, string account, Action<int> progress, CancellationToken cancellationToken)
    {
        var images = await gateway.OwnedImagesAsync([new Filter { Name = $"tag:{AmiTagKeys.Factory}", Values = [factoryName] }], cancellationToken).ConfigureAwait(false);
        if (images.Count == 0)
        {
            return [];
        }

        var snapshots = (await gateway.OwnedSnapshotsAsync(account, cancellationToken).ConfigureAwait(false))
            .GroupBy(s => s.SnapshotId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        IReadOnlySet<string> awsKeys = snapshots.Values.Any(s => s.Encrypted == true)
            ? await gateway.AwsManagedKeyIdsAsync(cancellationToken).ConfigureAwait(false)
            : new HashSet<string>();

        var done = 0;
        return await gateway.Session.BoundedAsync(images, async image =>
        {
            var permissions = await gateway.LaunchPermissionsAsync(image.ImageId, cancellationToken).ConfigureAwait(false);
            progress(Interlocked.Increment(ref done));
            return AmiRecordMapper.From(gateway.Region, image, permissions, snapshots, awsKeys);
        }, cancellationToken).ConfigureAwait(false);
    }
}
