using AmiInfra.Ops.Core;
using System.CommandLine;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Deregistration;
using AmiInfra.Ops.Snapshots;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra snapshots orphaned</c>: snapshots whose AMI no longer exists.</summary>
public static class OrphanedSnapshotsCommand
{
    /// <summary>The default price of EBS snapshot storage (standard tier, us-east-1), in dollars per GB-month.</summary>
    public const decimal DefaultPricePerGbMonth = 0.05m;

    /// <summary>Creates the <c>snapshots</c> command and its <c>orphaned</c> subcommand.</summary>
    public static Command Create(CommandRunner runner)
    {
        var price = new Option<decimal>("--price-per-gb-month")
        {
            Description = "Price of snapshot storage used for the estimate, in dollars per GB-month (EBS standard tier in us-east-1: 0.05).",
            DefaultValueFactory = _ => DefaultPricePerGbMonth,
        };
        var delete = new Option<bool>("--delete") { Description = "Delete the orphaned snapshots (a dry run unless --yes)." };
        var yes = new Option<bool>("--yes") { Description = "With --delete: do it." };
        var orphaned = new Command("orphaned", "List snapshots made for an AMI that no longer exists (their descriptions say \"Created by CreateImage(i-...) for ami-...\" or \"Copied for DestinationAmi ami-...\") and that no AMI uses, with size and an estimate of their monthly cost. --delete deletes them (dry run unless --yes).")
        {
            price, delete, yes,
        };
        runner.Define(
            orphaned,
            ["amiinfra snapshots orphaned", "amiinfra snapshots orphaned --regions us-east-1,eu-west-1 --price-per-gb-month 0.0125", "amiinfra snapshots orphaned --region eu-west-1 --delete --yes"],
            async (context, parseResult, cancellationToken) =>
            {
                var pricePerGb = parseResult.GetValue(price);
                if (pricePerGb < 0)
                {
                    throw new OpsException(ExitCodes.Usage, "--price-per-gb-month must not be negative");
                }

                var regions = context.RegionsOrDeclared();
                var account = await context.AccountAsync(regions[0], context.RegionsGiven ? null : context.FactoryIfPresent(), cancellationToken).ConfigureAwait(false);
                context.Progress.Report($"reading snapshots in {regions.Count} region(s)");
                var perRegion = await Task.WhenAll(regions.Select(async region =>
                {
                    var gateway = new RegionGateway(context.Aws, region);
                    var snapshots = gateway.OwnedSnapshotsAsync(account, cancellationToken);
                    var usage = new SnapshotUsage(await gateway.OwnedImagesAsync([], cancellationToken).ConfigureAwait(false));
                    return OrphanFinder.Find(region, await snapshots.ConfigureAwait(false), usage, pricePerGb);
                })).ConfigureAwait(false);
                var orphans = perRegion.SelectMany(o => o).ToList();
                if (!parseResult.GetValue(delete))
                {
                    if (parseResult.GetValue(yes))
                    {
                        await context.Environment.Error.WriteLineAsync("amiinfra: --yes without --delete: nothing was deleted (pass --delete --yes to delete the orphaned snapshots)").ConfigureAwait(false);
                    }

                    return context.Write(new OrphanedSnapshotsReport(orphans, pricePerGb));
                }

                var dryRun = !parseResult.GetValue(yes);
                var rows = new List<ActionRow>();
                foreach (var orphan in orphans)
                {
                    if (dryRun)
                    {
                        rows.Add(new ActionRow("snapshot", orphan.SnapshotId, orphan.ImageId, $"would delete ({orphan.Region})"));
                        continue;
                    }

                    context.Progress.Report($"deleting {orphan.SnapshotId}");
                    var result = await new RegionGateway(context.Aws, orphan.Region).DeleteSnapshotAsync(orphan.SnapshotId, cancellationToken).ConfigureAwait(false);
                    rows.Add(Deregistrar.SnapshotRow(orphan.SnapshotId, orphan.ImageId, result));
                }

                var report = new ActionReport(string.Join(",", regions), rows, dryRun);
                return context.Write(report, report.AnyFailed ? ExitCodes.PartialFailure : ExitCodes.Success);
            });
        var snapshotsCommand = new Command("snapshots", "EBS snapshots of the account's AMIs.");
        snapshotsCommand.Subcommands.Add(orphaned);
        return snapshotsCommand;
    }
}
