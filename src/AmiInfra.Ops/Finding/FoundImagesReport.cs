using Amazon.EC2.Model;
using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Finding;

/// <summary>The report of <c>find</c>: AMIs, newest first.</summary>
public sealed class FoundImagesReport : IReport
{
    private readonly string region;
    private readonly IReadOnlyList<Image> images;
    private readonly int total;
    private readonly string? ssmParameter;

    /// <summary>Creates the report; <paramref name="total"/> counts the matches before any limit.</summary>
    public FoundImagesReport(string region, IReadOnlyList<Image> images, int total, string? ssmParameter)
    {
        this.region = region;
        this.images = images;
        this.total = total;
        this.ssmParameter = ssmParameter;
    }

    /// <inheritdoc />
    public object JsonDocument => new
    {
        region,
        ssmParameter,
        total,
        images = images.Select(i => new
        {
            imageId = i.ImageId,
            name = i.Name,
            owner = i.ImageOwnerAlias ?? i.OwnerId,
            created = Formats.ParseTime(i.CreationDate),
            architecture = i.Architecture?.Value,
            virtualizationType = i.VirtualizationType?.Value,
            rootDeviceType = i.RootDeviceType?.Value,
            platform = PlatformOf(i),
            state = i.State?.Value,
            deprecationTime = Formats.ParseTime(i.DeprecationTime),
        }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        if (ssmParameter is not null)
        {
            output.Note($"{ssmParameter} in {region}:");
        }

        var table = new Table("AMI", "NAME", "OWNER", "CREATED", "ARCH", "VIRT", "ROOT", "PLATFORM");
        foreach (var i in images)
        {
            table.Add(i.ImageId, i.Name, i.ImageOwnerAlias ?? i.OwnerId, Formats.Time(Formats.ParseTime(i.CreationDate)), i.Architecture?.Value, i.VirtualizationType?.Value, i.RootDeviceType?.Value, PlatformOf(i));
        }

        table.Write(output, $"No AMI matches in {region}.");
        if (total > images.Count)
        {
            output.Note($"{Formats.Number(images.Count)} of {Formats.Number(total)} matches shown (newest first); raise --limit to see more.");
        }
    }

    private static string PlatformOf(Image image) =>
        image.PlatformDetails ?? (string.Equals(image.Platform?.Value, "windows", StringComparison.OrdinalIgnoreCase) ? "Windows" : "Linux/UNIX");
}
