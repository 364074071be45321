using AmiInfra.Ops.Core;
using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Redistribution;

/// <summary>One target in the report of <c>amiinfra redistribute</c>.</summary>
/// <param name="Target">The region and account.</param>
/// <param name="State">present, distributing, missing, would distribute, distributed, failed, still distributing.</param>
/// <param name="ImageId">The AMI there, when known.</param>
/// <param name="Note">The image build version that put it there, or why it failed.</param>
/// <param name="Failed">True when the distribution to it failed.</param>
public sealed record RedistributionRow(DistributionTarget Target, string State, string? ImageId, string? Note, bool Failed = false);

/// <summary>The report of <c>amiinfra redistribute</c>.</summary>
public sealed class RedistributionReport(
    string region,
    string image,
    string build,
    bool newest,
    bool dryRun,
    IReadOnlyList<RedistributionRow> rows,
    IReadOnlyList<DistributionTarget> notDeployed,
    IReadOnlyList<string> notes,
    string? redistribution,
    int exitCode) : IReport
{
    /// <summary>The exit code the report stands for.</summary>
    public int ExitCode => exitCode;

    /// <inheritdoc />
    public object JsonDocument => new
    {
        region,
        image,
        build,
        newest,
        dryRun,
        redistribution,
        targets = rows.Select(r => new { region = r.Target.Region, account = r.Target.Account, state = r.State, imageId = r.ImageId, note = r.Note, failed = r.Failed }),
        notDeployed = notDeployed.Select(t => new { region = t.Region, account = t.Account }),
        notes,
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        output.WriteLine($"Image {image}, build {build}{(newest ? " (the newest)" : " (not the newest: SSM parameters and launch templates are left as they are)")}, built in {region}.");
        var table = new Table("REGION", "ACCOUNT", "STATE", "AMI", "NOTE").KeepWhole("REGION", "ACCOUNT", "AMI");
        foreach (var row in rows)
        {
            table.Add(row.Target.Region, row.Target.Account, row.State, row.ImageId, row.Note);
        }

        table.Write(output, "The deployed distribution configuration has no AMI targets.");
        if (notDeployed.Count > 0)
        {
            output.Note($"Declared but not in the deployed distribution configuration: {string.Join(", ", notDeployed.Select(t => $"{t.Region} ({t.Account})"))}. Deploy the factory first ('npx cdk deploy --all'), then rerun.");
        }

        foreach (var note in notes)
        {
            output.Note(note);
        }

        if (dryRun && rows.Any(r => r.State == "would distribute"))
        {
            output.Note("Dry run: nothing was changed. Pass --yes to do it.");
        }
        else if (rows.All(r => r.State is "present" or "distributed") && rows.Count > 0)
        {
            output.Note("The build is in every target of the deployed distribution configuration.");
        }
    }
}
