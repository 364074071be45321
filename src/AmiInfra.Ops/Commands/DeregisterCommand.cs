using System.CommandLine;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Deregistration;
using AmiInfra.Ops.Snapshots;
using AmiInfra.Ops.Usage;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra deregister</c>: deregisters AMIs, then deletes their snapshots, unless a guard refuses.</summary>
public static class DeregisterCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var images = new Argument<string[]>("ami-id") { Description = "The AMIs to deregister (ami-...).", Arity = ArgumentArity.OneOrMore };
        var yes = new Option<bool>("--yes") { Description = "Do it. Without --yes the command only shows what it would do." };
        var keepSnapshots = new Option<bool>("--keep-snapshots") { Description = "Deregister the AMIs but keep their snapshots." };
        var force = new Option<string?>("--force") { Description = "Deregister even an AMI in use, public, shared, or not the factory's; the value says why (it is printed with the result).", HelpName = "REASON" };
        var usageCheck = UsageCheckOption.Create();
        var command = new Command("deregister", $"Deregister AMIs of one region, then delete their snapshots. Dry run unless --yes. Refuses (exit code {ExitCodes.Refused}) an AMI that instances, launch templates (any version), launch configurations, SSM parameters or recipes use, that is public or shared, or that is not tagged as the factory's, and prints who uses it, unless --force REASON. Stops and changes nothing (exit code {ExitCodes.Incomplete}) when a kind of user cannot be looked for, unless --usage-check partial. An AMI of another account is reported and never touched (exit code {ExitCodes.NotOwned}). A snapshot another AMI uses is kept. An id that does not exist in the region is an error (exit code {ExitCodes.NotFound}). Exit code {ExitCodes.PartialFailure} when an action failed; a rerun finishes the job.")
        {
            images, yes, keepSnapshots, force, usageCheck,
        };
        return runner.Define(
            command,
            ["amiinfra deregister ami-0123456789abcdef0 --region eu-west-1", "amiinfra deregister ami-0123456789abcdef0 ami-0fedcba9876543210 --region eu-west-1 --yes", "amiinfra deregister ami-0123456789abcdef0 --yes --force 'replaced by ami-0fedcba9876543210, instances drained'"],
            async (context, parseResult, cancellationToken) =>
            {
                var ids = AmiIds.Validate(parseResult.GetValue(images));
                var reason = parseResult.GetValue(force);
                if (reason is not null && string.IsNullOrWhiteSpace(reason))
                {
                    throw new OpsException(ExitCodes.Usage, "option --force: got an empty reason; expected the reason, e.g. --force 'instances drained, replaced by ami-...'");
                }

                var region = context.SingleRegion();
                var factory = context.FactoryIfPresent();
                var account = await context.AccountAsync(region, factory, cancellationToken).ConfigureAwait(false);
                var gateway = new RegionGateway(context.Aws, region);
                context.Progress.Report($"reading AMIs, snapshots and their users in {region}");
                var snapshots = await gateway.OwnedSnapshotsAsync(account, cancellationToken).ConfigureAwait(false);
                var resolved = await ImageResolver.ResolveAsync(context, gateway, ids, factory, snapshots, allowGone: true, cancellationToken).ConfigureAwait(false);
                var (guards, lookup) = await ImageGuards.CheckAsync(gateway, resolved.Existing.Values.ToList(), factory, cancellationToken).ConfigureAwait(false);
                context.RequireCompleteUsage(lookup, parseResult.GetValue(usageCheck));
                var refused = guards.Values.Where(g => g.Reasons().Count > 0 && reason is null).Select(g => g.ImageId).ToHashSet(StringComparer.Ordinal);
                var proceeding = ids.Where(id => !refused.Contains(id) && !resolved.NotOwned.ContainsKey(id)).ToList();
                var usage = new SnapshotUsage(await gateway.OwnedImagesAsync([], cancellationToken).ConfigureAwait(false));
                var plans = DeregistrationPlan.Plan(proceeding, resolved.Existing, usage, snapshots, !parseResult.GetValue(keepSnapshots));
                var dryRun = !parseResult.GetValue(yes);
                var done = dryRun ? Deregistrar.DryRun(plans) : await Deregistrar.ExecuteAsync(gateway, plans, context.Progress, cancellationToken).ConfigureAwait(false);
                var notOwned = resolved.NotOwned.Select(p => new ActionRow("image", p.Key, p.Key, $"owned by {p.Value}, not touched: only its owner can deregister it", NotOwned: true));
                var rows = notOwned.Concat(GuardRows(ids, guards, refused, reason)).Concat(done.Select(row => Forced(row, guards, reason))).ToList();
                var report = new ActionReport(region, rows, dryRun, guards.Count > 0 ? lookup.Source : null);
                return context.Write(report, report.ExitCode);
            });
    }

    /// <summary>The rows of the refused AMIs, and the users of every guarded AMI.</summary>
    public static IEnumerable<ActionRow> GuardRows(IReadOnlyList<string> ids, IReadOnlyDictionary<string, ImageGuard> guards, IReadOnlySet<string> refused, string? reason)
    {
        foreach (var id in ids)
        {
            if (!guards.TryGetValue(id, out var guard) || guard.Reasons().Count == 0)
            {
                continue;
            }

            if (refused.Contains(id))
            {
                yield return new ActionRow("image", id, id, $"refused: {string.Join("; ", guard.Reasons())}", Refused: true);
            }

            foreach (var (kind, user, what) in guard.Users())
            {
                yield return new ActionRow(kind, user, id, what);
            }
        }
    }

    private static ActionRow Forced(ActionRow row, IReadOnlyDictionary<string, ImageGuard> guards, string? reason) =>
        row.Resource == "image" && reason is not null && guards.TryGetValue(row.Id, out var guard) && guard.Reasons().Count > 0
            ? row with { Result = $"{row.Result} (--force: {reason}; {string.Join("; ", guard.Reasons())})" }
            : row;
}
