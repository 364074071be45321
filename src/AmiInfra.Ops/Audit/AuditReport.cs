using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Audit;

/// <summary>The report of <c>audit</c>.</summary>
public sealed class AuditReport : IReport
{
    private readonly IReadOnlyList<Violation> violations;
    private readonly int amiCount;
    private readonly IReadOnlyList<string> regions;
    private readonly IReadOnlyList<string> notLookedAt;
    private readonly bool complete;

    /// <summary>Creates the report.</summary>
    /// <param name="violations">What is wrong.</param>
    /// <param name="amiCount">How many factory AMIs were checked.</param>
    /// <param name="regions">The regions read.</param>
    /// <param name="notLookedAt">Enabled regions that were not read (without --all-regions).</param>
    /// <param name="complete">Whether everything could be read (what could not is listed under the report, by the command context).</param>
    public AuditReport(IReadOnlyList<Violation> violations, int amiCount, IReadOnlyList<string> regions, IReadOnlyList<string> notLookedAt, bool complete)
    {
        this.violations = violations;
        this.amiCount = amiCount;
        this.regions = regions;
        this.notLookedAt = notLookedAt;
        this.complete = complete;
    }

    /// <inheritdoc />
    public object JsonDocument => new
    {
        clean = violations.Count == 0 && complete,
        amisChecked = amiCount,
        regions,
        regionsNotLookedAt = notLookedAt,
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

        var summary = $"{Formats.Number(amiCount)} AMI(s) checked in {(regions.Count == 0 ? "no region" : string.Join(", ", regions))}";
        table.Write(output, complete ? $"Clean: {summary}, no violation." : $"No violation in what could be read: {summary}.");
        if (table.Count > 0)
        {
            output.Note($"{Formats.Number(violations.Count)} violation(s); {summary}.");
        }

        if (notLookedAt.Count > 0)
        {
            output.Note($"Not looked at: {Formats.Number(notLookedAt.Count)} other enabled region(s) ({string.Join(", ", notLookedAt)}); --all-regions reads them too.");
        }
    }

    private static string Kebab(ViolationKind kind) =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());
}
