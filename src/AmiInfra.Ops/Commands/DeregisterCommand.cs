using System.CommandLine;
using Amazon.EC2.Model;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Deregistration;
using AmiInfra.Ops.Snapshots;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra deregister</c>: deregisters AMIs, then deletes their snapshots.</summary>
public static class DeregisterCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var images = new Argument<string[]>("ami-id") { Description = "The AMIs to deregister (ami-...).", Arity = ArgumentArity.OneOrMore };
        var yes = new Option<bool>("--yes") { Description = "Do it. Without --yes the command only shows what it would do." };
        var keepSnapshots = new Option<bool>("--keep-snapshots") { Description = "Deregister the AMIs but keep their snapshots." };
        var command = new Command("deregister", $"Deregister AMIs of one region, then delete their snapshots. Dry run unless --yes. A snapshot that another AMI still uses is kept and reported. A rerun after a partial failure finishes the job: what is already gone counts as done. Exit code {ExitCodes.PartialFailure} when an action failed.")
        {
            images, yes, keepSnapshots,
        };
        return runner.Define(
            command,
            ["amiinfra deregister ami-0123456789abcdef0 --region eu-west-1", "amiinfra deregister ami-0123456789abcdef0 ami-0fedcba9876543210 --region eu-west-1 --yes", "amiinfra deregister ami-0123456789abcdef0 --keep-snapshots --yes"],
            async (context, parseResult, cancellationToken) =>
            {
                var ids = parseResult.GetValue(images) ?? [];
                var malformed = ids.FirstOrDefault(i => !i.StartsWith("ami-", StringComparison.Ordinal));
                if (malformed is not null)
                {
                    throw new OpsException(ExitCodes.Usage, $"'{malformed}' is not an AMI id (ami-...)");
                }

                var region = context.SingleRegion();
                var gateway = new RegionGateway(context.Aws, region);
                var account = await context.Aws.AccountIdAsync(region, cancellationToken).ConfigureAwait(false);
                context.Progress.Report($"reading AMIs and snapshots in {region}");
                var existing = new Dictionary<string, Image>(StringComparer.Ordinal);
                foreach (var id in ids.Distinct(StringComparer.Ordinal))
                {
                    if (await gateway.ImageAsync(id, cancellationToken).ConfigureAwait(false) is { } image)
                    {
                        existing[id] = image;
                    }
                }

                var usage = new SnapshotUsage(await gateway.OwnedImagesAsync([], cancellationToken).ConfigureAwait(false));
                var snapshots = await gateway.OwnedSnapshotsAsync(account, cancellationToken).ConfigureAwait(false);
                var plans = DeregistrationPlan.Plan(ids, existing, usage, snapshots, !parseResult.GetValue(keepSnapshots));
                if (!parseResult.GetValue(yes))
                {
                    return context.Write(new ActionReport(region, Deregistrar.DryRun(plans), dryRun: true));
                }

                var report = new ActionReport(region, await Deregistrar.ExecuteAsync(gateway, plans, context.Progress, cancellationToken).ConfigureAwait(false), dryRun: false);
                return context.Write(report, report.AnyFailed ? ExitCodes.PartialFailure : ExitCodes.Success);
            });
    }
}
