using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Deregistration;

/// <summary>The report of a destructive command (deregister, delete orphaned snapshots).</summary>
public sealed class ActionReport : IReport
{
    private readonly IReadOnlyList<ActionRow> rows;
    private readonly bool dryRun;
    private readonly string region;

    /// <summary>Creates the report.</summary>
    public ActionReport(string region, IReadOnlyList<ActionRow> rows, bool dryRun)
    {
        this.region = region;
        this.rows = rows;
        this.dryRun = dryRun;
    }

    /// <summary>True when at least one action failed.</summary>
    public bool AnyFailed => rows.Any(r => r.Failed);

    /// <inheritdoc />
    public object JsonDocument => new
    {
        region,
        dryRun,
        failed = rows.Count(r => r.Failed),
        actions = rows.Select(r => new { resource = r.Resource, id = r.Id, imageId = r.ImageId, result = r.Result, failed = r.Failed }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var table = new Table("RESOURCE", "ID", "AMI", "RESULT");
        foreach (var row in rows)
        {
            table.Add(row.Resource, row.Id, row.ImageId, row.Result);
        }

        table.Write(output, "Nothing to do.");
        if (dryRun && table.Count > 0)
        {
            output.WriteLine("Dry run: nothing was changed. Pass --yes to do it.");
        }
        else if (AnyFailed)
        {
            output.WriteLine($"{Formats.Number(rows.Count(r => r.Failed))} action(s) failed; rerun the same command to finish (what is already gone counts as done).");
        }
    }
}
