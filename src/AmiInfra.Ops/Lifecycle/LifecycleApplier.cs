using Amazon.EC2.Model;
using AmiInfra.Declaration;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Deregistration;
using AmiInfra.Ops.Output;
using AmiInfra.Ops.Snapshots;
using Image = Amazon.EC2.Model.Image;

namespace AmiInfra.Ops.Lifecycle;

/// <summary>
/// Carries out a lifecycle plan: deprecate, disable, enable again, deregister (with the snapshots when
/// the rules say so). A guarded action (in use, public, shared) is refused unless a reason is forced.
/// Rerunning it does nothing more: what is done shows as done in the next plan.
/// </summary>
public static class LifecycleApplier
{
    /// <summary>Applies (or, in a dry run, describes) every pending decision.</summary>
    public static async Task<IReadOnlyList<ActionRow>> ApplyAsync(
        AwsSession session, Factory factory, string account, IReadOnlyList<LifecycleDecision> decisions, bool dryRun, string? force, DateTimeOffset now, Progress progress, CancellationToken cancellationToken)
    {
        var rows = new List<ActionRow>();
        var images = factory.Images.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var region in decisions.Where(d => d.Pending).GroupBy(d => d.Ami.Region))
        {
            var gateway = new RegionGateway(session, region.Key);
            var deletions = new List<LifecycleDecision>();
            foreach (var decision in region)
            {
                var id = decision.Ami.ImageId;
                if (decision.Guard is not null && force is null)
                {
                    rows.Add(new ActionRow("image", id, id, $"refused: would {LifecyclePlanReport.Name(decision.Action)}, but {decision.Guard}", Refused: true));
                    continue;
                }

                var forced = decision.Guard is null ? "" : $" (--force: {force}; {decision.Guard})";
                if (decision.Action == LifecycleAction.Delete)
                {
                    deletions.Add(decision);
                    continue;
                }

                progress.Report($"{LifecyclePlanReport.Name(decision.Action)} {id}");
                var row = await StepAsync(gateway, decision, dryRun, now, cancellationToken).ConfigureAwait(false);
                rows.Add(row.Failed ? row : row with { Result = row.Result + forced });
            }

            if (deletions.Count > 0)
            {
                rows.AddRange(await DeleteAsync(gateway, account, deletions, images, dryRun, force, progress, cancellationToken).ConfigureAwait(false));
            }
        }

        return rows;
    }

    private static async Task<ActionRow> StepAsync(RegionGateway gateway, LifecycleDecision decision, bool dryRun, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = decision.Ami.ImageId;
        if (dryRun)
        {
            return new ActionRow("image", id, id, $"would {LifecyclePlanReport.Name(decision.Action)} ({decision.Reason})");
        }

        var at = NextMinute(now);
        var (result, verb) = decision.Action switch
        {
            LifecycleAction.Deprecate => (await gateway.DeprecateImageAsync(id, at, cancellationToken).ConfigureAwait(false), $"deprecated at {Formats.Time(at)} UTC"),
            LifecycleAction.Disable => (await gateway.DisableImageAsync(id, cancellationToken).ConfigureAwait(false), "disabled"),
            _ => (await gateway.EnableImageAsync(id, cancellationToken).ConfigureAwait(false), "enabled again (its launch permissions are not restored: share it again if needed)"),
        };
        return result.Outcome == MutationOutcome.Failed
            ? new ActionRow("image", id, id, $"failed: {result.Error}", Failed: true)
            : new ActionRow("image", id, id, verb);
    }

    private static async Task<IEnumerable<ActionRow>> DeleteAsync(
        RegionGateway gateway, string account, List<LifecycleDecision> deletions, IReadOnlyDictionary<string, Declaration.Image> images, bool dryRun, string? force, Progress progress, CancellationToken cancellationToken)
    {
        var usage = new SnapshotUsage(await gateway.OwnedImagesAsync([], cancellationToken).ConfigureAwait(false));
        var snapshots = await gateway.OwnedSnapshotsAsync(account, cancellationToken).ConfigureAwait(false);
        var existing = deletions.ToDictionary(
            d => d.Ami.ImageId,
            d => new Image { ImageId = d.Ami.ImageId, BlockDeviceMappings = d.Ami.SnapshotIds.Select(s => new BlockDeviceMapping { Ebs = new EbsBlockDevice { SnapshotId = s } }).ToList() },
            StringComparer.Ordinal);
        var plans = deletions
            .GroupBy(d => images.TryGetValue(d.Ami.ImageName ?? "", out var image) && image.Lifecycle?.DeleteSnapshots != false)
            .SelectMany(g => DeregistrationPlan.Plan(g.Select(d => d.Ami.ImageId).ToList(), existing, usage, snapshots, g.Key))
            .ToList();
        var rows = dryRun ? Deregistrar.DryRun(plans) : await Deregistrar.ExecuteAsync(gateway, plans, progress, cancellationToken).ConfigureAwait(false);
        var guards = deletions.Where(d => d.Guard is not null).ToDictionary(d => d.Ami.ImageId, d => d.Guard!, StringComparer.Ordinal);
        return rows.Select(r => r.Resource == "image" && guards.TryGetValue(r.Id, out var guard) ? r with { Result = $"{r.Result} (--force: {force}; {guard})" } : r);
    }

    private static DateTimeOffset NextMinute(DateTimeOffset now)
    {
        var minute = new DateTimeOffset(now.UtcDateTime.Year, now.UtcDateTime.Month, now.UtcDateTime.Day, now.UtcDateTime.Hour, now.UtcDateTime.Minute, 0, TimeSpan.Zero);
        return minute.AddMinutes(1);
    }
}
