using System.CommandLine;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Deregistration;
using AmiInfra.Ops.RecycleBin;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra recycle-bin list|restore</c>: the factory's safety net for deleted AMIs and snapshots.</summary>
public static class RecycleBinCommand
{
    /// <summary>Creates the <c>recycle-bin</c> command and its <c>list</c> and <c>restore</c> subcommands.</summary>
    public static Command Create(CommandRunner runner)
    {
        var list = new Command("list", "List the AMIs and snapshots in the Recycle Bin (each AMI with the snapshots made for it), when they entered and when they leave. Regions: --regions/--region, else the declared regions.");
        runner.Define(
            list,
            ["amiinfra recycle-bin list", "amiinfra recycle-bin list --region eu-west-1 --output json"],
            async (context, _, cancellationToken) =>
            {
                var regions = context.RegionsOrDeclared();
                await context.AccountAsync(regions[0], context.RegionsGiven ? null : context.FactoryIfPresent(), cancellationToken).ConfigureAwait(false);
                var contents = await Task.WhenAll(regions.Select(region => ReadAsync(new RegionGateway(context.Aws, region), cancellationToken))).ConfigureAwait(false);
                return context.Write(new RecycleBinReport(contents));
            });

        var image = new Argument<string>("ami-id") { Description = "The AMI to restore (ami-...)." };
        var restore = new Command("restore", $"Restore an AMI from the Recycle Bin of one region, with the snapshots made for it (snapshots first: an AMI launches only with its snapshots), and enable it again if it was disabled. An AMI already restored counts as done. Exit code {ExitCodes.NotFound} when the AMI is neither in the region nor in its Recycle Bin.")
        {
            image,
        };
        runner.Define(
            restore,
            ["amiinfra recycle-bin restore ami-0123456789abcdef0 --region eu-west-1"],
            async (context, parseResult, cancellationToken) =>
            {
                var id = AmiIds.Validate([parseResult.GetValue(image)!])[0];
                var region = context.SingleRegion();
                await context.AccountAsync(region, context.FactoryIfPresent(), cancellationToken).ConfigureAwait(false);
                var gateway = new RegionGateway(context.Aws, region);
                var rows = await RestoreAsync(gateway, id, cancellationToken).ConfigureAwait(false);
                var report = new ActionReport(region, rows, dryRun: false);
                return context.Write(report, report.ExitCode);
            });

        var bin = new Command("recycle-bin", "The Recycle Bin: AMIs and snapshots deleted by mistake, kept for the retention of the factory's rules.");
        bin.Subcommands.Add(list);
        bin.Subcommands.Add(restore);
        return bin;
    }

    private static async Task<RecycleBinContents> ReadAsync(RegionGateway gateway, CancellationToken cancellationToken)
    {
        var images = gateway.ImagesInRecycleBinAsync(null, cancellationToken);
        var snapshots = await gateway.SnapshotsInRecycleBinAsync(cancellationToken).ConfigureAwait(false);
        return new RecycleBinContents(gateway.Region, await images.ConfigureAwait(false), snapshots);
    }

    private static async Task<List<ActionRow>> RestoreAsync(RegionGateway gateway, string id, CancellationToken cancellationToken)
    {
        var rows = new List<ActionRow>();
        var contents = await ReadAsync(gateway, cancellationToken).ConfigureAwait(false);
        var inBin = contents.Images.Any(i => i.ImageId == id);
        var existing = await gateway.LookupImageAsync(id, cancellationToken).ConfigureAwait(false);
        if (!inBin && existing.Image is null)
        {
            throw new OpsException(ExitCodes.NotFound, $"AMI {id} is neither in {gateway.Region} nor in its Recycle Bin (the Recycle Bin keeps an AMI in the region it was deleted in, for the retention of the rule that kept it)");
        }

        foreach (var snapshot in contents.SnapshotsOf(id))
        {
            var result = await gateway.RestoreSnapshotAsync(snapshot.SnapshotId, cancellationToken).ConfigureAwait(false);
            rows.Add(Row("snapshot", snapshot.SnapshotId, id, result, "restored"));
        }

        if (inBin)
        {
            var result = await gateway.RestoreImageAsync(id, cancellationToken).ConfigureAwait(false);
            rows.Add(Row("image", id, id, result, "restored"));
        }
        else
        {
            rows.Add(new ActionRow("image", id, id, "already restored"));
        }

        var restored = await gateway.LookupImageAsync(id, cancellationToken).ConfigureAwait(false);
        if (restored.Image?.State == Amazon.EC2.ImageState.Disabled)
        {
            var result = await gateway.EnableImageAsync(id, cancellationToken).ConfigureAwait(false);
            rows.Add(Row("image", id, id, result, "enabled again (share it again if other accounts need it: disabling removed its launch permissions)"));
        }

        return rows;
    }

    private static ActionRow Row(string resource, string id, string imageId, MutationResult result, string done) => result.Outcome switch
    {
        MutationOutcome.Done => new ActionRow(resource, id, imageId, done),
        MutationOutcome.AlreadyDone => new ActionRow(resource, id, imageId, "already " + done),
        _ => new ActionRow(resource, id, imageId, $"failed: {result.Error}", Failed: true),
    };
}
