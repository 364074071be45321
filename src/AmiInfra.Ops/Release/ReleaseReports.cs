using AmiInfra.Ops.Core;
using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Release;

/// <summary>One copy in <c>release status</c>.</summary>
/// <param name="Copy">The copy.</param>
/// <param name="Promoted">True when the image's "latest" parameter in its region names it.</param>
/// <param name="UsedBy">Who uses it (looked up for the copies that are not promoted); empty when nobody or not looked up.</param>
public sealed record StatusRow(ReleaseCopy Copy, bool Promoted, IReadOnlyList<string> UsedBy);

/// <summary>The report of <c>amiinfra release status</c>.</summary>
public sealed class ReleaseStatusReport(string image, string parameter, IReadOnlyList<StatusRow> rows, IReadOnlyDictionary<string, string?> latest, string? usageSource) : IReport
{
    /// <inheritdoc />
    public object JsonDocument => new
    {
        image,
        parameter,
        usageSource,
        latest = latest.Select(p => new { region = p.Key, imageId = p.Value }),
        copies = rows.Select(r => new
        {
            version = r.Copy.Version,
            region = r.Copy.Region,
            imageId = r.Copy.ImageId,
            built = r.Copy.Built,
            state = r.Copy.State,
            verification = r.Copy.VerificationText,
            verifiedAt = r.Copy.VerifiedAt,
            verificationExecution = r.Copy.Execution,
            verificationReason = r.Copy.Reason,
            promoted = r.Promoted,
            deregistrationProtection = r.Copy.Protected,
            usedBy = r.UsedBy,
        }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        output.WriteLine($"Image {image}: its copies in this account, newest version first; promoted = named by {parameter}.");
        var table = new Table("VERSION", "REGION", "AMI", "BUILT", "VERIFICATION", "VERIFIED", "PROMOTED", "USED BY").KeepWhole("REGION", "AMI");
        foreach (var row in rows)
        {
            var verification = row.Copy.Verification == Verification.Failed && row.Copy.Reason is { Length: > 0 } reason ? $"failed: {reason}" : row.Copy.VerificationText;
            table.Add(row.Copy.Version, row.Copy.Region, row.Copy.ImageId, Formats.Time(row.Copy.Built), row.Copy.Available ? verification : $"{verification} ({row.Copy.State})", Formats.Time(row.Copy.VerifiedAt), row.Promoted ? "yes" : "", string.Join(", ", row.UsedBy));
        }

        table.Write(output, "No copy of the image in this account.");
        foreach (var (region, value) in latest.Where(p => p.Value is not null && !rows.Any(r => r.Promoted && r.Copy.Region == p.Key)))
        {
            output.Note($"{parameter} in {region} names {value}, which is not a copy of {image} in this account.");
        }

        if (usageSource is not null)
        {
            output.Note($"Users looked for (copies not promoted): {usageSource}.");
        }
    }
}

/// <summary>One action of <c>release promote|rollback</c> in a region.</summary>
/// <param name="Region">The region.</param>
/// <param name="Resource">ssm-parameter, launch-template, image (protection) or copy.</param>
/// <param name="Id">The parameter name, launch template id or AMI.</param>
/// <param name="Result">What was done, would be done, or why not.</param>
/// <param name="Refused">True when a guard refused it.</param>
/// <param name="NotDone">True when it could not be done by this command (another account's template).</param>
public sealed record ReleaseRow(string Region, string Resource, string Id, string Result, bool Refused = false, bool NotDone = false);

/// <summary>The report of <c>amiinfra release promote</c> and <c>rollback</c>.</summary>
public sealed class ReleaseActionReport(string command, string image, IReadOnlyList<RegionPromotion> plans, IReadOnlyList<ReleaseRow> rows, bool dryRun, string? usageSource, IReadOnlyList<string> notes) : IReport
{
    /// <summary>The exit code: refused (12) when a guard refused an action, else success.</summary>
    public int ExitCode => rows.Any(r => r.Refused) ? ExitCodes.Refused : ExitCodes.Success;

    /// <inheritdoc />
    public object JsonDocument => new
    {
        command,
        image,
        dryRun,
        usageSource,
        regions = plans.Select(p => new { region = p.Region, version = p.Target.Version, imageId = p.Target.ImageId, verification = p.Target.VerificationText, previous = p.CurrentImageId }),
        refused = rows.Count(r => r.Refused),
        actions = rows.Select(r => new { region = r.Region, resource = r.Resource, id = r.Id, result = r.Result, refused = r.Refused, notDone = r.NotDone }),
        notes,
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        foreach (var plan in plans)
        {
            output.WriteLine($"{plan.Region}: {image} {plan.Target.Version} ({plan.Target.ImageId}, verification {plan.Target.VerificationText}){(plan.CurrentImageId is null ? "" : plan.Left is null ? ", already promoted" : $", replacing {plan.CurrentImageId}")}.");
        }

        var table = new Table("REGION", "RESOURCE", "ID", "RESULT").KeepWhole("REGION", "ID");
        foreach (var row in rows)
        {
            table.Add(row.Region, row.Resource, row.Id, row.Result);
        }

        table.Write(output, "Nothing to do.");
        foreach (var note in notes)
        {
            output.Note(note);
        }

        if (usageSource is not null)
        {
            output.Note($"Users of the AMIs consumers leave looked for: {usageSource}.");
        }

        if (rows.Any(r => r.Refused))
        {
            output.Note($"{Formats.Number(rows.Count(r => r.Refused))} action(s) refused because something still uses the AMI (exit code {ExitCodes.Refused}); pass --force REASON to do them anyway.");
        }

        if (dryRun && rows.Count > 0)
        {
            output.Note($"Dry run: nothing was changed. Pass --yes to {command}.");
        }
    }
}

/// <summary>One copy in <c>release verify</c>.</summary>
/// <param name="Copy">The copy.</param>
/// <param name="Execution">The execution started for it, or null (dry run).</param>
/// <param name="Outcome">How it ended, or null (dry run).</param>
/// <param name="After">The copy as its tags are after the execution, or null.</param>
public sealed record VerifyRow(ReleaseCopy Copy, string? Execution, VerificationOutcome? Outcome, ReleaseCopy? After);

/// <summary>The report of <c>amiinfra release verify</c>.</summary>
public sealed class ReleaseVerifyReport(string stateMachine, IReadOnlyList<VerifyRow> rows, bool dryRun, IReadOnlyList<string> notes) : IReport
{
    /// <summary>The exit code: timed out (14) when a verification was still running, partial failure (11) when one failed, else success.</summary>
    public int ExitCode => rows.Any(r => r.Outcome?.Result == "running") ? ExitCodes.TimedOut
        : rows.Any(r => r.Outcome?.Failed == true) ? ExitCodes.PartialFailure
        : ExitCodes.Success;

    /// <inheritdoc />
    public object JsonDocument => new
    {
        stateMachine,
        dryRun,
        passed = rows.Count(r => r.Outcome?.Result == "passed"),
        failed = rows.Count(r => r.Outcome?.Result == "failed"),
        copies = rows.Select(r => new
        {
            region = r.Copy.Region,
            imageId = r.Copy.ImageId,
            version = r.Copy.Version,
            execution = r.Execution,
            result = r.Outcome?.Result ?? "would verify",
            detail = r.Outcome?.Detail,
            tags = r.After is null ? null : new { verification = r.After.VerificationText, verifiedAt = r.After.VerifiedAt, execution = r.After.Execution, reason = r.After.Reason },
        }),
        notes,
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var table = new Table("REGION", "AMI", "VERSION", "RESULT", "DETAIL", "EXECUTION").KeepWhole("REGION", "AMI");
        foreach (var row in rows)
        {
            table.Add(row.Copy.Region, row.Copy.ImageId, row.Copy.Version, row.Outcome?.Result ?? "would verify", row.Outcome?.Detail ?? $"would start {stateMachine}", row.Execution);
        }

        table.Write(output, "No copy to verify.");
        foreach (var note in notes)
        {
            output.Note(note);
        }

        if (dryRun && rows.Count > 0)
        {
            output.Note($"Dry run: nothing was started. Pass --yes to start {stateMachine} for each copy (it launches an instance from it) and wait for the results.");
        }
        else if (rows.Any(r => r.Outcome?.Failed == true))
        {
            output.Note($"{Formats.Number(rows.Count(r => r.Outcome?.Failed == true))} copy(ies) did not pass (exit code {ExitCode}); a copy that did not pass is not promoted.");
        }
    }
}
