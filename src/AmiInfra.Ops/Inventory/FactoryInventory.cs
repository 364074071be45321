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
    /// <summary>The usage of every AMI, looked up region by region (concurrently), with the API that answered in each.</summary>
    public static async Task<(IReadOnlyDictionary<string, Usage.ImageUsage> Usage, string Source)> UsageAsync(CommandContext context, IReadOnlyList<AmiRecord> amis, CancellationToken cancellationToken)
    {
        var perRegion = await Task.WhenAll(amis.GroupBy(a => a.Region).Select(g =>
            Usage.UsageFinder.FindAsync(new RegionGateway(context.Aws, g.Key), g.Select(a => a.ImageId).ToList(), cancellationToken))).ConfigureAwait(false);
        var usage = perRegion.SelectMany(p => p.ByImage).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var sources = perRegion.Select(p => p.Source).Distinct(StringComparer.Ordinal).ToList();
        return (usage, sources.Count == 0 ? "none (no AMI)" : string.Join("; ", sources));
    }

    /// <summary>Reads every region concurrently, every page of each listing.</summary>
    public static async Task<IReadOnlyList<AmiRecord>> LoadAsync(CommandContext context, Factory factory, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var account = await context.AccountAsync(regions[0], factory, cancellationToken).ConfigureAwait(false);
        var counts = new int[regions.Count];
        var loads = regions.Select(async (region, index) =>
        {
            var records = await LoadRegionAsync(new RegionGateway(context.Aws, region), factory.Name, account, done =>
            {
                counts[index] = done;
                context.Progress.Report($"reading AMIs: {counts.Sum()} in {regions.Count} region(s)");
            }, cancellationToken).ConfigureAwait(false);
            return records;
        });
        var perRegion = await Task.WhenAll(loads).ConfigureAwait(false);
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
