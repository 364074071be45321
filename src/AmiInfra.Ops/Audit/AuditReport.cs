using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Audit;

/// <summary>The report of <c>audit</c>.</summary>
public sealed class AuditReport : IReport
{
    private readonly IReadOnlyList<Violation> violations;
    private readonly int amiCount;
    private readonly IReadOnlyList<string> regions;
    private readonly IReadOnlyList<string> notLookedAt;
    private readonly IReadOnlyList<string> notChecked;

    /// <summary>Creates the report.</summary>
    /// <param name="violations">What is wrong.</param>
    /// <param name="amiCount">How many factory AMIs were checked.</param>
    /// <param name="regions">The regions read.</param>
    /// <param name="notLookedAt">Enabled regions that were not read (without --all-regions).</param>
    /// <param name="notChecked">Checks that could not be made, and why.</param>
    public AuditReport(IReadOnlyList<Violation> violations, int amiCount, IReadOnlyList<string> regions, IReadOnlyList<string> notLookedAt, IReadOnlyList<string> notChecked)
    {
        this.violations = violations;
        this.amiCount = amiCount;
        this.regions = regions;
        this.notLookedAt = notLookedAt;
        this.notChecked = notChecked;
    }

    /// <inheritdoc />
    public object JsonDocument => new
    {
        clean = violations.Count == 0,
        amisChecked = amiCount,
        regions,
        regionsNotLookedAt = notLookedAt,
        notChecked,
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

        if (notLookedAt.Count > 0)
        {
            output.WriteLine($"Not looked at: {Formats.Number(notLookedAt.Count)} other enabled region(s) ({string.Join(", ", notLookedAt)}); --all-regions reads them too.");
        }

        foreach (var note in notChecked)
        {
            output.WriteLine($"Not checked: {note}.");
        }
    }

    private static string Kebab(ViolationKind kind) =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());
}
