using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Snapshots;
using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Deregistration;

/// <summary>
/// Carries out a deregistration plan: every AMI first, then the snapshots of the AMIs that are gone.
/// Mutations run one at a time and are idempotent: an AMI or snapshot that is already gone counts as
/// done, so a call the SDK retries after a throttle, or a rerun after a partial failure, never fails
/// on work that was already done and never does anything twice.
/// </summary>
public static class Deregistrar
{
    /// <summary>Describes the plan without changing anything.</summary>
    public static IReadOnlyList<ActionRow> DryRun(IReadOnlyList<ImagePlan> plans) =>
        plans.SelectMany(plan => Rows(plan, plan.Exists ? "would deregister" : "already deregistered", "would delete")).ToList();

    /// <summary>Executes the plan.</summary>
    public static async Task<IReadOnlyList<ActionRow>> ExecuteAsync(RegionGateway gateway, IReadOnlyList<ImagePlan> plans, Progress progress, CancellationToken cancellationToken)
    {
        var rows = new List<ActionRow>();
        var gone = new HashSet<string>(StringComparer.Ordinal);
        var step = 0;
        foreach (var plan in plans)
        {
            progress.Report($"deregistering {Formats.Number(++step)}/{Formats.Number(plans.Count)}: {plan.ImageId}");
            if (!plan.Exists)
            {
                rows.Add(new ActionRow("image", plan.ImageId, plan.ImageId, "already deregistered"));
                gone.Add(plan.ImageId);
                continue;
            }

            // Record on each snapshot which AMI it belongs to before the AMI goes: once the AMI is deregistered, nothing
            // else says so for sure (not every snapshot's description names its AMI), and a rerun after a failed
            // snapshot deletion must find them all. Without the record, the AMI is not deregistered.
            if (plan.SnapshotsToDelete.Count > 0)
            {
                var marked = await gateway.TagSnapshotsAsync(plan.SnapshotsToDelete, SnapshotDescription.ImageTagKey, plan.ImageId, cancellationToken).ConfigureAwait(false);
                if (marked.Outcome == MutationOutcome.Failed)
                {
                    rows.Add(new ActionRow("image", plan.ImageId, plan.ImageId, $"failed: not deregistered, because its snapshots could not be tagged {SnapshotDescription.ImageTagKey}={plan.ImageId} for a rerun to find them ({marked.Error})", Failed: true));
                    continue;
                }
            }

            var result = await gateway.DeregisterImageAsync(plan.ImageId, cancellationToken).ConfigureAwait(false);
            rows.Add(result.Outcome switch
            {
                MutationOutcome.Done => new ActionRow("image", plan.ImageId, plan.ImageId, "deregistered"),
                MutationOutcome.AlreadyDone => new ActionRow("image", plan.ImageId, plan.ImageId, "already deregistered"),
                _ => new ActionRow("image", plan.ImageId, plan.ImageId, $"failed: {result.Error}", Failed: true),
            });
            if (result.Outcome != MutationOutcome.Failed)
            {
                gone.Add(plan.ImageId);
            }
        }

        var deleted = new HashSet<string>(StringComparer.Ordinal);
        var requestedUsers = plans
            .SelectMany(p => p.SnapshotsToDelete.Select(s => (Snapshot: s, p.ImageId)))
            .ToLookup(x => x.Snapshot, x => x.ImageId, StringComparer.Ordinal);
        foreach (var plan in plans)
        {
            foreach (var (snapshot, users) in plan.SnapshotsKept)
            {
                rows.Add(new ActionRow("snapshot", snapshot, plan.ImageId, $"kept: used by {string.Join(", ", users)}"));
            }

            foreach (var snapshot in plan.SnapshotsToDelete)
            {
                var notGone = requestedUsers[snapshot].Where(image => !gone.Contains(image)).Distinct(StringComparer.Ordinal).ToList();
                if (notGone.Count > 0)
                {
                    rows.Add(new ActionRow("snapshot", snapshot, plan.ImageId, notGone.Contains(plan.ImageId) ? "kept: its AMI was not deregistered" : $"kept: used by {string.Join(", ", notGone)}, which was not deregistered"));
                    continue;
                }

                if (!deleted.Add(snapshot))
                {
                    continue;
                }

                progress.Report($"deleting snapshot {snapshot}");
                var result = await gateway.DeleteSnapshotAsync(snapshot, cancellationToken).ConfigureAwait(false);
                rows.Add(SnapshotRow(snapshot, plan.ImageId, result));
            }
        }

        progress.Done();
        return rows;
    }

    /// <summary>The report row of one snapshot deletion.</summary>
    public static ActionRow SnapshotRow(string snapshot, string imageId, MutationResult result) => result.Outcome switch
    {
        MutationOutcome.Done => new ActionRow("snapshot", snapshot, imageId, "deleted"),
        MutationOutcome.AlreadyDone => new ActionRow("snapshot", snapshot, imageId, "already deleted"),
        _ => new ActionRow("snapshot", snapshot, imageId, $"failed: {result.Error}", Failed: true),
    };

    private static IEnumerable<ActionRow> Rows(ImagePlan plan, string imageResult, string snapshotResult)
    {
        yield return new ActionRow("image", plan.ImageId, plan.ImageId, imageResult);
        foreach (var (snapshot, users) in plan.SnapshotsKept)
        {
            yield return new ActionRow("snapshot", snapshot, plan.ImageId, $"kept: used by {string.Join(", ", users)}");
        }

        foreach (var snapshot in plan.SnapshotsToDelete)
        {
            yield return new ActionRow("snapshot", snapshot, plan.ImageId, snapshotResult);
        }
    }
}
