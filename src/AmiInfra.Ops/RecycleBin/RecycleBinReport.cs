using Amazon.EC2.Model;
using AmiInfra.Ops.Output;
using AmiInfra.Ops.Snapshots;

namespace AmiInfra.Ops.RecycleBin;

/// <summary>What the Recycle Bin of one region holds.</summary>
/// <param name="Region">The region.</param>
/// <param name="Images">The AMIs in it.</param>
/// <param name="Snapshots">The snapshots in it.</param>
public sealed record RecycleBinContents(string Region, IReadOnlyList<ImageRecycleBinInfo> Images, IReadOnlyList<SnapshotRecycleBinInfo> Snapshots)
{
    /// <summary>The snapshots whose description names the AMI (EC2 describes the snapshots it makes for an AMI that way).</summary>
    public IReadOnlyList<SnapshotRecycleBinInfo> SnapshotsOf(string imageId) =>
        Snapshots.Where(s => SnapshotDescription.ImageId(s.Description) == imageId).OrderBy(s => s.SnapshotId, StringComparer.Ordinal).ToList();
}

/// <summary>The report of <c>recycle-bin list</c>.</summary>
public sealed class RecycleBinReport : IReport
{
    private readonly IReadOnlyList<RecycleBinContents> regions;

    /// <summary>Creates the report.</summary>
    public RecycleBinReport(IReadOnlyList<RecycleBinContents> regions)
    {
        this.regions = regions;
    }

    /// <inheritdoc />
    public object JsonDocument => new
    {
        regions = regions.Select(r => r.Region),
        images = regions.SelectMany(r => r.Images.Select(i => new
        {
            region = r.Region,
            imageId = i.ImageId,
            name = i.Name,
            enteredAt = Time(i.RecycleBinEnterTime),
            leavesAt = Time(i.RecycleBinExitTime),
            snapshotIds = r.SnapshotsOf(i.ImageId).Select(s => s.SnapshotId),
        })),
        snapshots = regions.SelectMany(r => r.Snapshots.Select(s => new
        {
            region = r.Region,
            snapshotId = s.SnapshotId,
            imageId = SnapshotDescription.ImageId(s.Description),
            description = s.Description,
            enteredAt = Time(s.RecycleBinEnterTime),
            leavesAt = Time(s.RecycleBinExitTime),
        })),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var table = new Table("REGION", "RESOURCE", "ID", "AMI", "NAME", "ENTERED", "LEAVES");
        foreach (var r in regions)
        {
            foreach (var i in r.Images.OrderBy(i => i.ImageId, StringComparer.Ordinal))
            {
                table.Add(r.Region, "image", i.ImageId, i.ImageId, i.Name, Formats.Time(Time(i.RecycleBinEnterTime)), Formats.Time(Time(i.RecycleBinExitTime)));
                foreach (var s in r.SnapshotsOf(i.ImageId))
                {
                    table.Add(r.Region, "snapshot", s.SnapshotId, i.ImageId, null, Formats.Time(Time(s.RecycleBinEnterTime)), Formats.Time(Time(s.RecycleBinExitTime)));
                }
            }

            var shown = r.Images.Select(i => i.ImageId).ToHashSet(StringComparer.Ordinal);
            foreach (var s in r.Snapshots.Where(s => SnapshotDescription.ImageId(s.Description) is not { } ami || !shown.Contains(ami)).OrderBy(s => s.SnapshotId, StringComparer.Ordinal))
            {
                table.Add(r.Region, "snapshot", s.SnapshotId, SnapshotDescription.ImageId(s.Description), null, Formats.Time(Time(s.RecycleBinEnterTime)), Formats.Time(Time(s.RecycleBinExitTime)));
            }
        }

        table.Write(output, $"The Recycle Bin is empty in {string.Join(", ", regions.Select(r => r.Region))}.");
        if (table.Count > 0)
        {
            output.Note($"{Formats.Number(regions.Sum(r => r.Images.Count))} AMI(s) and {Formats.Number(regions.Sum(r => r.Snapshots.Count))} snapshot(s) in the Recycle Bin; 'amiinfra recycle-bin restore AMI --region REGION' restores an AMI with its snapshots.");
        }
    }

    private static DateTimeOffset? Time(DateTime? value) =>
        value is { } t ? new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()) : null;
}
