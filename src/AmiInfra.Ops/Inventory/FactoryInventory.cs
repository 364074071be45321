using Amazon.EC2.Model;
using AmiInfra.Declaration;
using AmiInfra.Rules;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;

namespace AmiInfra.Ops.Inventory;

/// <summary>The factory's AMIs in a set of regions, found by the tags the distribution puts on them.</summary>
public static class FactoryInventory
{
    private const int LaunchPermissionConcurrency = 8;

    /// <summary>Reads every region concurrently, every page of each listing.</summary>
    public static async Task<IReadOnlyList<AmiRecord>> LoadAsync(CommandContext context, Factory factory, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var account = await context.Aws.AccountIdAsync(regions[0], cancellationToken).ConfigureAwait(false);
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
        using var throttle = new SemaphoreSlim(LaunchPermissionConcurrency);
        var records = await Task.WhenAll(images.Select(async image =>
        {
            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var permissions = await gateway.LaunchPermissionsAsync(image.ImageId, cancellationToken).ConfigureAwait(false);
                progress(Interlocked.Increment(ref done));
                return AmiRecordMapper.From(gateway.Region, image, permissions, snapshots, awsKeys);
            }
            finally
            {
                throttle.Release();
            }
        })).ConfigureAwait(false);
        return records;
    }
}
