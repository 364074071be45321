using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Snapshots;

/// <summary>The report of <c>snapshots orphaned</c> (without --delete).</summary>
public sealed class OrphanedSnapshotsReport : IReport
{
    private readonly IReadOnlyList<OrphanedSnapshot> orphans;
    private readonly decimal pricePerGbMonth;

    /// <summary>Creates the report.</summary>
    public OrphanedSnapshotsReport(IReadOnlyList<OrphanedSnapshot> orphans, decimal pricePerGbMonth)
    {
        this.orphans = orphans;
        this.pricePerGbMonth = pricePerGbMonth;
    }

    /// <inheritdoc />
    public object JsonDocument => new
    {
        pricePerGbMonth,
        count = orphans.Count,
        totalGiB = orphans.Sum(o => o.SizeGiB),
        monthlyCost = orphans.Sum(o => o.MonthlyCost),
        snapshots = orphans.Select(o => new { region = o.Region, snapshotId = o.SnapshotId, imageId = o.ImageId, sizeGiB = o.SizeGiB, created = o.Created, monthlyCost = o.MonthlyCost }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var table = new Table("REGION", "SNAPSHOT", "FOR AMI", "SIZE", "CREATED", "PER MONTH");
        foreach (var o in orphans)
        {
            table.Add(o.Region, o.SnapshotId, o.ImageId, $"{Formats.Number(o.SizeGiB)} GiB", Formats.Time(o.Created), Formats.Dollars(o.MonthlyCost));
        }

        table.Write(output, "No orphaned snapshots.");
        if (table.Count > 0)
        {
            output.Note($"{Formats.Number(orphans.Count)} orphaned snapshot(s), {Formats.Number(orphans.Sum(o => o.SizeGiB))} GiB: about {Formats.Dollars(orphans.Sum(o => o.MonthlyCost))} a month at ${pricePerGbMonth.ToString(System.Globalization.CultureInfo.InvariantCulture)}/GB-month (the estimate counts full size; EBS bills snapshots incrementally).");
        }
    }
}
