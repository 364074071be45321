using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Lifecycle;

/// <summary>The report of <c>lifecycle plan</c>.</summary>
public sealed class LifecyclePlanReport : IReport
{
    private readonly IReadOnlyList<LifecycleDecision> decisions;
    private readonly DateTimeOffset now;
    private readonly string usageSource;

    /// <summary>Creates the report.</summary>
    public LifecyclePlanReport(IReadOnlyList<LifecycleDecision> decisions, DateTimeOffset now, string usageSource)
    {
        this.decisions = decisions;
        this.now = now;
        this.usageSource = usageSource;
    }

    /// <inheritdoc />
    public object JsonDocument => new
    {
        evaluatedAt = now,
        usageSource,
        summary = Enum.GetValues<LifecycleAction>().ToDictionary(a => Name(a), a => decisions.Count(d => d.Action == a)),
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
            wouldBe = d.KeptBy is null ? (LifecycleAction?)null : d.WouldBe,
            alreadyApplied = d.AlreadyApplied,
            guard = d.Guard,
            guardedFor = d.GuardedFor.Select(u => new { kind = u.Kind, id = u.Id, what = u.What }),
        }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var table = new Table("REGION", "IMAGE", "AMI", "CREATED", "AGE", "ACTION", "REASON", "KEPT BY", "GUARD").KeepWhole("REGION", "AMI", "CREATED", "AGE", "ACTION", "GUARD");
        foreach (var d in decisions)
        {
            var action = Name(d.Action) + (d.AlreadyApplied ? " (done)" : "");
            var keptBy = d.KeptBy is null ? null : $"{d.KeptBy} (would {Name(d.WouldBe)})";
            table.Add(d.Ami.Region, d.Ami.ImageName, d.Ami.ImageId, Formats.Time(d.Ami.Created), Formats.Days(d.Ami.AgeDays(now)), action, d.Reason, keptBy, Short(d));
        }

        table.Write(output, "No AMIs of this factory in these regions.");
        var guarded = decisions.Where(d => d.GuardedFor.Count > 0).ToList();
        if (guarded.Count > 0)
        {
            // Who each guard stands for, one row each: the users are named in full, not cut to fit the plan's columns.
            output.WriteLine();
            var users = new Table("GUARDED AMI", "WOULD", "USER", "ID", "WHAT");
            foreach (var d in guarded)
            {
                foreach (var (kind, id, what) in d.GuardedFor)
                {
                    users.Add(d.Ami.ImageId, Name(d.Action), kind, id, what);
                }
            }

            users.Write(output, "");
            output.WriteLine();
        }
        if (table.Count > 0)
        {
            var counts = Enum.GetValues<LifecycleAction>().Select(a => $"{Name(a)} {Formats.Number(decisions.Count(d => d.Action == a))}");
            output.Note($"Plan at {Formats.Time(now)} UTC: {string.Join(", ", counts)}. Nothing was changed.");
            var guardedCount = decisions.Count(d => d.Guard is not null);
            if (guardedCount > 0)
            {
                output.Note($"{Formats.Number(guardedCount)} action(s) guarded (GUARD; who for, above): 'lifecycle apply' refuses them unless --force REASON. Users looked for: {usageSource}.");
            }
        }
    }

    /// <summary>The GUARD cell: how many users or principals stand against the action; they are named in the table below.</summary>
    private static string? Short(LifecycleDecision d) =>
        d.Guard is null ? null : $"{Formats.Number(d.GuardedFor.Count)} (below)";

    /// <summary>The name of an action as reports show it (keep, deprecate, disable, delete, re-enable).</summary>
    public static string Name(LifecycleAction action) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(action.ToString());
}
