using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Inventory;

/// <summary>The report of <c>images</c>.</summary>
public sealed class ImagesReport : IReport
{
    private readonly IReadOnlyList<AmiRecord> amis;
    private readonly DateTimeOffset now;
    private readonly IReadOnlyDictionary<string, Usage.ImageUsage>? usage;
    private readonly string? usageSource;

    /// <summary>Creates the report; <paramref name="usage"/> is given with --usage.</summary>
    public ImagesReport(IReadOnlyList<AmiRecord> amis, DateTimeOffset now, IReadOnlyDictionary<string, Usage.ImageUsage>? usage = null, string? usageSource = null)
    {
        this.amis = amis;
        this.now = now;
        this.usage = usage;
        this.usageSource = usageSource;
    }

    /// <inheritdoc />
    public object JsonDocument => new
    {
        count = amis.Count,
        usageSource,
        images = amis.Select(a => new
        {
            region = a.Region,
            imageId = a.ImageId,
            image = a.ImageName,
            name = a.Name,
            created = a.Created,
            ageDays = a.AgeDays(now),
            state = a.State,
            encryption = a.Encryption,
            kmsKeyId = a.KmsKeyId,
            @public = a.Public,
            sharedWith = a.SharedWith,
            deprecationTime = a.DeprecationTime,
            lastLaunched = a.LastLaunched,
            snapshotIds = a.SnapshotIds,
            usage = usage is null ? null : Usage(a) is { } u ? new { inUse = u.InUse, instances = u.Instances, launchTemplates = u.LaunchTemplates, launchConfigurations = u.LaunchConfigurations, ssmParameters = u.SsmParameters, recipes = u.Recipes } : null,
        }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        string[] headers = ["REGION", "IMAGE", "AMI", "NAME", "CREATED", "AGE", "STATE", "ENCRYPTION", "SHARING", "DEPRECATION"];
        var table = new Table(usage is null ? headers : [.. headers, "USED BY"]);
        foreach (var a in amis)
        {
            string?[] cells = [a.Region, a.ImageName, a.ImageId, a.Name, Formats.Time(a.Created), Formats.Days(a.AgeDays(now)), a.State, Encryption(a), Sharing(a), Formats.Time(a.DeprecationTime)];
            table.Add(usage is null ? cells : [.. cells, Usage(a) is { InUse: true } u ? u.Summary() : "not in use"]);
        }

        table.Write(output, "No AMIs of this factory in these regions.");
        if (table.Count > 0)
        {
            output.Note($"{Formats.Number(amis.Count)} AMI(s) in {Formats.Number(amis.Select(a => a.Region).Distinct().Count())} region(s).");
        }

        if (usage is not null && table.Count > 0)
        {
            output.Note($"{Formats.Number(amis.Count(a => Usage(a)?.InUse == true))} in use. Users looked for: {usageSource}.");
        }
    }

    private Usage.ImageUsage? Usage(AmiRecord ami) => usage?.GetValueOrDefault(ami.ImageId);

    /// <summary>The encryption cell: unencrypted, aws-managed or the customer key id.</summary>
    public static string Encryption(AmiRecord ami) => ami.Encryption switch
    {
        EncryptionKind.Unencrypted => "unencrypted",
        EncryptionKind.AwsManagedKey => "aws-managed",
        EncryptionKind.CustomerManagedKey => "key/" + AmiRecordMapper.KeyId(ami.KmsKeyId ?? "?"),
        _ => "unknown",
    };

    /// <summary>The sharing cell: public, the principals, or private.</summary>
    public static string Sharing(AmiRecord ami)
    {
        var parts = new List<string>();
        if (ami.Public)
        {
            parts.Add("public");
        }

        parts.AddRange(ami.SharedWith);
        return parts.Count == 0 ? "private" : string.Join(",", parts);
    }
}
