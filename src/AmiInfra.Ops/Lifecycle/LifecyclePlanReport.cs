using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Lifecycle;

/// <summary>The report of <c>lifecycle plan</c>.</summary>
public sealed class LifecyclePlanReport : IReport
{
    private readonly IReadOnlyList<LifecycleDecision> decisions;
    private readonly DateTimeOffset now;

    /// <summary>Creates the report.</summary>
    public LifecyclePlanReport(IReadOnlyList<LifecycleDecision> decisions, DateTimeOffset now)
    {
        this.decisions = decisions;
        this.now = now;
    }

    /// <inheritdoc />
    public object JsonDocument => new
    {
        evaluatedAt = now,
        summary = Enum.GetValues<RetirementAction>().ToDictionary(a => a.ToString().ToLowerInvariant(), a => decisions.Count(d => d.Action == a)),
        decisions = decisions.Select(d => new
        {
            region = d.Ami.Region,
            image = d.Ami.ImageName,
            imageId = d.Ami.ImageId,
            created = d.Ami.Created,
            ageDays = d.Ami.AgeDays(now),
            action = d.Action,
            reason = d.Reason,
            keptBy = d.KeptBy,
            wouldBe = d.KeptBy is null ? (RetirementAction?)null : d.WouldBe,
            alreadyApplied = d.AlreadyApplied,
        }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var table = new Table("REGION", "IMAGE", "AMI", "CREATED", "AGE", "ACTION", "REASON", "KEPT BY");
        foreach (var d in decisions)
        {
            var action = d.Action.ToString().ToLowerInvariant() + (d.AlreadyApplied ? " (done)" : "");
            var keptBy = d.KeptBy is null ? null : $"{d.KeptBy} (would {d.WouldBe.ToString().ToLowerInvariant()})";
            table.Add(d.Ami.Region, d.Ami.ImageName, d.Ami.ImageId, Formats.Time(d.Ami.Created), Formats.Days(d.Ami.AgeDays(now)), action, d.Reason, keptBy);
        }

        table.Write(output, "No AMIs of this factory in these regions.");
        if (table.Count > 0)
        {
            var counts = Enum.GetValues<RetirementAction>().Select(a => $"{a.ToString().ToLowerInvariant()} {Formats.Number(decisions.Count(d => d.Action == a))}");
            output.WriteLine($"Plan at {Formats.Time(now)} UTC: {string.Join(", ", counts)}. Nothing was changed.");
        }
    }
}
