using Amazon.EC2.Model;

namespace AmiInfra.Ops.Snapshots;

/// <summary>Which AMIs use which snapshot, in one region.</summary>
public sealed class SnapshotUsage
{
    private readonly Dictionary<string, SortedSet<string>> users = new(StringComparer.Ordinal);

    /// <summary>Indexes the block device mappings of the AMIs that exist.</summary>
    public SnapshotUsage(IEnumerable<Image> images)
    {
        foreach (var image in images)
        {
            ImageIds.Add(image.ImageId);
            foreach (var mapping in image.BlockDeviceMappings ?? [])
            {
                if (mapping.Ebs?.SnapshotId is { } snapshot)
                {
                    if (!users.TryGetValue(snapshot, out var set))
                    {
                        set = new SortedSet<string>(StringComparer.Ordinal);
                        users[snapshot] = set;
                    }

                    set.Add(image.ImageId);
                }
            }
        }
    }

    /// <summary>The AMIs that exist.</summary>
    public HashSet<string> ImageIds { get; } = new(StringComparer.Ordinal);

    /// <summary>The AMIs that use a snapshot, leaving out <paramref name="except"/>.</summary>
    public IReadOnlyList<string> UsersOf(string snapshotId, IReadOnlySet<string> except) =>
        users.TryGetValue(snapshotId, out var set) ? set.Where(i => !except.Contains(i)).ToList() : [];
}
