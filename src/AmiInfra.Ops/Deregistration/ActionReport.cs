using AmiInfra.Ops.Core;
using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Deregistration;

/// <summary>The report of a destructive command (deregister, lifecycle apply, delete orphaned snapshots, restore).</summary>
public sealed class ActionReport : IReport
{
    private readonly IReadOnlyList<ActionRow> rows;
    private readonly bool dryRun;
    private readonly string region;
    private readonly string? usageSource;
    private readonly string? doIt;
    private readonly string subject;

    /// <summary>Creates the report.</summary>
    /// <param name="region">The region(s).</param>
    /// <param name="rows">What happened.</param>
    /// <param name="dryRun">True when nothing was changed.</param>
    /// <param name="usageSource">Which API said who uses the AMIs, or null when usage was not looked up.</param>
    /// <param name="doIt">What to pass to do it (default: --yes).</param>
    /// <param name="subject">The header of the column that says what each row belongs to (default: AMI).</param>
    public ActionReport(string region, IReadOnlyList<ActionRow> rows, bool dryRun, string? usageSource = null, string? doIt = null, string subject = "AMI")
    {
        this.subject = subject;
        this.region = region;
        this.rows = rows;
        this.dryRun = dryRun;
        this.usageSource = usageSource;
        this.doIt = doIt;
    }

    /// <summary>True when at least one action failed.</summary>
    public bool AnyFailed => rows.Any(r => r.Failed);

    /// <summary>True when a guard refused at least one action.</summary>
    public bool AnyRefused => rows.Any(r => r.Refused);

    /// <summary>The exit code: partial failure, refused, not owned, or success (<see cref="Core.ExitCodes.MostSerious"/>).</summary>
    public int ExitCode => Core.ExitCodes.MostSerious(
        AnyFailed ? Core.ExitCodes.PartialFailure : Core.ExitCodes.Success,
        AnyRefused ? Core.ExitCodes.Refused : Core.ExitCodes.Success,
        rows.Any(r => r.NotOwned) ? Core.ExitCodes.NotOwned : Core.ExitCodes.Success);

    /// <inheritdoc />
    public object JsonDocument => new
    {
        region,
        dryRun,
        usageSource,
        failed = rows.Count(r => r.Failed),
        refused = rows.Count(r => r.Refused),
        notOwned = rows.Count(r => r.NotOwned),
        actions = rows.Select(r => new { resource = r.Resource, id = r.Id, imageId = r.ImageId, result = r.Result, failed = r.Failed, refused = r.Refused, notOwned = r.NotOwned }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var table = new Table("RESOURCE", "ID", subject, "RESULT");
        foreach (var row in rows)
        {
            table.Add(row.Resource, row.Id, row.ImageId, row.Result);
        }

        table.Write(output, "Nothing to do.");
        if (usageSource is not null && table.Count > 0)
        {
            output.Note($"Users looked for: {usageSource}.");
        }

        if (AnyRefused)
        {
            output.Note($"{Formats.Number(rows.Count(r => r.Refused))} AMI(s) refused and kept with their snapshots; pass --force REASON to act on them anyway.");
        }

        if (rows.Any(r => r.NotOwned))
        {
            output.Note($"{Formats.Number(rows.Count(r => r.NotOwned))} AMI(s) of other accounts were not touched: only their owners can deregister them.");
        }

        if (dryRun && rows.Any(r => !r.Refused && !r.NotOwned && r.Resource is "image" or "snapshot" or "workflow-step"))
        {
            output.Note($"Dry run: nothing was changed. Pass {doIt ?? "--yes"} to do it.");
        }
        else if (AnyFailed)
        {
            output.Note($"{Formats.Number(rows.Count(r => r.Failed))} action(s) failed; rerun the same command to finish (what is already gone counts as done).");
        }
    }
}
