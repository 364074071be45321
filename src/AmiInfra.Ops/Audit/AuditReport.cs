using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Audit;

/// <summary>The report of <c>audit</c>.</summary>
public sealed class AuditReport : IReport
{
    private readonly IReadOnlyList<Violation> violations;
    private readonly int amiCount;
    private readonly IReadOnlyList<string> regions;

    /// <summary>Creates the report.</summary>
    public AuditReport(IReadOnlyList<Violation> violations, int amiCount, IReadOnlyList<string> regions)
    {
        this.violations = violations;
        this.amiCount = amiCount;
        this.regions = regions;
    }

    /// <inheritdoc />
    public object JsonDocument => new
    {
        clean = violations.Count == 0,
        amisChecked = amiCount,
        regions,
        violations = violations.Select(v => new { kind = v.Kind, region = v.Region, imageId = v.ImageId, image = v.Image, detail = v.Detail }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var table = new Table("VIOLATION", "REGION", "IMAGE", "AMI", "DETAIL");
        foreach (var v in violations)
        {
            table.Add(Kebab(v.Kind), v.Region, v.Image, v.ImageId, v.Detail);
        }

        var summary = $"{Formats.Number(amiCount)} AMI(s) checked in {string.Join(", ", regions)}";
        table.Write(output, $"Clean: {summary}, no violation.");
        if (table.Count > 0)
        {
            output.WriteLine($"{Formats.Number(violations.Count)} violation(s); {summary}.");
        }
    }

    private static string Kebab(ViolationKind kind) =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());
}
