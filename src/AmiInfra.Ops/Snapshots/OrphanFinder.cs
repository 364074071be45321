using Amazon.EC2.Model;

namespace AmiInfra.Ops.Snapshots;

/// <summary>Finds the snapshots that were made for an AMI that no longer exists and that no other AMI uses.</summary>
public static class OrphanFinder
{
    /// <summary>The orphans among <paramref name="snapshots"/>, given the AMIs that exist in the region.</summary>
    public static IReadOnlyList<OrphanedSnapshot> Find(string region, IEnumerable<Snapshot> snapshots, SnapshotUsage usage, decimal pricePerGbMonth)
    {
        var none = new HashSet<string>();
        return snapshots
            .Select(s => (Snapshot: s, ImageId: SnapshotDescription.ImageOf(s)))
            .Where(x => x.ImageId is not null && !usage.ImageIds.Contains(x.ImageId) && usage.UsersOf(x.Snapshot.SnapshotId, none).Count == 0)
            .Select(x => new OrphanedSnapshot(
                region,
                x.Snapshot.SnapshotId,
                x.ImageId!,
                x.Snapshot.VolumeSize ?? 0,
                x.Snapshot.StartTime is { } start ? Utc(start) : null,
                (x.Snapshot.VolumeSize ?? 0) * pricePerGbMonth))
            .OrderBy(o => o.SnapshotId, StringComparer.Ordinal)
            .ToList();
    }

    private static DateTimeOffset Utc(DateTime time) =>
        new(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime());
}
