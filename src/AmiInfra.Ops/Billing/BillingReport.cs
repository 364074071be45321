using Amazon.EC2.Model;
using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Billing;

/// <summary>The report of <c>billing</c>: the billing information EC2 keeps on each AMI.</summary>
public sealed class BillingReport : IReport
{
    private readonly string region;
    private readonly IReadOnlyList<Image> images;

    /// <summary>Creates the report.</summary>
    public BillingReport(string region, IReadOnlyList<Image> images)
    {
        this.region = region;
        this.images = images;
    }

    /// <inheritdoc />
    public object JsonDocument => new
    {
        region,
        images = images.Select(i => new
        {
            imageId = i.ImageId,
            name = i.Name,
            platformDetails = i.PlatformDetails,
            usageOperation = i.UsageOperation,
            productCodes = ProductCodes(i),
        }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var table = new Table("AMI", "NAME", "PLATFORM DETAILS", "USAGE OPERATION", "PRODUCT CODES");
        foreach (var i in images)
        {
            table.Add(i.ImageId, i.Name, i.PlatformDetails ?? "not reported", i.UsageOperation ?? "not reported", string.Join(",", ProductCodes(i)));
        }

        table.Write(output, $"No AMI in {region}.");
    }

    private static IEnumerable<string> ProductCodes(Image image) =>
        (image.ProductCodes ?? []).Select(p => $"{p.ProductCodeId} ({p.ProductCodeType?.Value})");
}
