using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Usage;

/// <summary>The report of <c>usage</c>: who uses each AMI and who may launch it.</summary>
public sealed class UsageReport : IReport
{
    private readonly string region;
    private readonly IReadOnlyList<ImageGuard> guards;
    private readonly string source;

    /// <summary>Creates the report.</summary>
    public UsageReport(string region, IReadOnlyList<ImageGuard> guards, string source)
    {
        this.region = region;
        this.guards = guards;
        this.source = source;
    }

    /// <inheritdoc />
    public object JsonDocument => new
    {
        region,
        source,
        images = guards.Select(g => new
        {
            imageId = g.ImageId,
            inUse = g.Usage.InUse,
            @public = g.Public,
            sharedWith = g.SharedWith,
            instances = g.Usage.Instances,
            launchTemplates = g.Usage.LaunchTemplates,
            launchConfigurations = g.Usage.LaunchConfigurations,
            ssmParameters = g.Usage.SsmParameters,
            recipes = g.Usage.Recipes,
            notTheFactorys = g.NotTheFactorys,
        }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var table = new Table("AMI", "USER", "ID", "WHAT");
        foreach (var guard in guards)
        {
            var users = guard.Users().ToList();
            if (users.Count == 0)
            {
                table.Add(guard.ImageId, "-", "-", "no user found; only this account may launch it");
            }

            foreach (var (kind, id, what) in users)
            {
                table.Add(guard.ImageId, kind, id, what);
            }
        }

        table.Write(output, $"No AMI in {region}.");
        output.Note($"{Formats.Number(guards.Count(g => g.Usage.InUse))} of {Formats.Number(guards.Count)} AMI(s) in use in {region}. Users looked for: {source}.");
    }
}
