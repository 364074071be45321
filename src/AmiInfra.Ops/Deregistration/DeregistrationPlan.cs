using Amazon.EC2.Model;
using AmiInfra.Ops.Snapshots;

namespace AmiInfra.Ops.Deregistration;

/// <summary>One AMI to deregister, and what happens to its snapshots.</summary>
/// <param name="ImageId">The AMI.</param>
/// <param name="Exists">False when it is already deregistered (a rerun: only its snapshots are left).</param>
/// <param name="SnapshotsToDelete">Its snapshots that no other AMI uses.</param>
/// <param name="SnapshotsKept">Its snapshots that another AMI still uses, with those AMIs.</param>
public sealed record ImagePlan(string ImageId, bool Exists, IReadOnlyList<string> SnapshotsToDelete, IReadOnlyDictionary<string, IReadOnlyList<string>> SnapshotsKept);

/// <summary>Works out what deregistering a set of AMIs does, before anything is changed.</summary>
public static class DeregistrationPlan
{
    /// <summary>Plans each requested AMI.</summary>
    /// <param name="requested">The AMIs to deregister.</param>
    /// <param name="existing">Those of them that still exist.</param>
    /// <param name="usage">Which AMIs of the account use which snapshot.</param>
    /// <param name="ownedSnapshots">The account's snapshots in the region (to find those of an AMI already gone, by their description).</param>
    /// <param name="deleteSnapshots">False to keep every snapshot.</param>
    public static IReadOnlyList<ImagePlan> Plan(
        IReadOnlyList<string> requested,
        IReadOnlyDictionary<string, Image> existing,
        SnapshotUsage usage,
        IReadOnlyList<Snapshot> ownedSnapshots,
        bool deleteSnapshots)
    {
        var leaving = requested.ToHashSet(StringComparer.Ordinal);
        return requested.Distinct(StringComparer.Ordinal).Select(id =>
        {
            var exists = existing.TryGetValue(id, out var image);
            var snapshots = exists
                ? (image!.BlockDeviceMappings ?? []).Select(m => m.Ebs?.SnapshotId).OfType<string>()
                : ownedSnapshots.Where(s => SnapshotDescription.ImageOf(s) == id).Select(s => s.SnapshotId);
            var delete = new List<string>();
            var kept = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var snapshot in deleteSnapshots ? snapshots.Distinct(StringComparer.Ordinal) : [])
            {
                var others = usage.UsersOf(snapshot, leaving);
                if (others.Count > 0)
                {
                    kept[snapshot] = others;
                }
                else
                {
                    delete.Add(snapshot);
                }
            }

            return new ImagePlan(id, exists, delete, kept);
        }).ToList();
    }
}
