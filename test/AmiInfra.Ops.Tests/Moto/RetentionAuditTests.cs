using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class RetentionAuditFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public MotoAccount Account { get; } = new("200000000041");

    public string Declaration { get; private set; } = "";

    public Dictionary<string, string> Amis { get; } = [];

    /// <summary>moto has no block public access: the interceptor answers it, so that the audit reads everything.</summary>
    public AwsInterceptor Interceptor { get; } = new AwsInterceptor()
        .Respond("GetImageBlockPublicAccessState", "<imageBlockPublicAccessState>block-new-sharing</imageBlockPublicAccessState>")
        .Respond("GetSnapshotBlockPublicAccessState", "<state>block-all-sharing</state>");

    public async Task InitializeAsync()
    {
        // A weekly pipeline keeping its newest 2 AMIs from deletion; Declarations.Write declares no schedule, so one is added.
        Declaration = Declarations.Write("ret", Account.AccountId, """{ "regions": ["us-east-1"] }""", """{ "delete": { "afterDays": 365 }, "keepAtLeast": 2 }""", "app");
        var json = File.ReadAllText(Declaration);
        var volume = "\"rootVolume\": { \"deviceName\": \"/dev/xvda\", \"sizeGiB\": 20 }";
        File.WriteAllText(Declaration, json.Replace(volume, volume + ", \"schedule\": { \"cron\": \"cron(0 4 ? * sun *)\", \"startCondition\": \"EXPRESSION_MATCH_ONLY\" }", StringComparison.Ordinal));

        using var east = Account.Ec2("us-east-1");
        var seeds = new (string Key, int Days, bool Marked)[] { ("newest", 20, true), ("second", 27, false), ("third", 34, true) };
        foreach (var (key, days, marked) in seeds)
        {
            var id = await Seed.TaggedImageAsync(east, "ret", "app", $"ret-app-{key}", marked ? [(AmiTagKeys.RetainDelete, AmiTagKeys.RetainValue)] : []);
            Amis[key] = id;
            Interceptor.SetImageField(id, "creationDate", Now.AddDays(-days).ToString("yyyy-MM-ddTHH:mm:ss.000Z"));
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>The audit's day-two violations against moto: AMIs aged with the interceptor's creationDate, retention tags as the marker would leave them (or not).</summary>
public sealed class RetentionAuditTests(RetentionAuditFixture fixture) : IClassFixture<RetentionAuditFixture>
{
    [Fact]
    public async Task Audit_reports_a_stalled_pipeline_and_retention_tags_that_disagree_with_the_windows()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["audit", "--declaration", fixture.Declaration, "--output", "json"], fixture.Interceptor, RetentionAuditFixture.Now);

        Assert.True(result.ExitCode == ExitCodes.Violations, result.ToString());
        var violations = result.Json.GetProperty("violations").EnumerateArray()
            .Select(v => (Kind: v.GetProperty("kind").GetString(), Ami: v.GetProperty("imageId").GetString(), Detail: v.GetProperty("detail").GetString()!))
            .Where(v => v.Kind is "stalled-pipeline" or "retention-marks-stale")
            .ToList();
        // The newest AMI is 20 days old: more than two weeks and a day for a weekly schedule.
        Assert.Contains(violations, v => v.Kind == "stalled-pipeline" && v.Ami == fixture.Amis["newest"] && v.Detail.StartsWith("no new AMI for 20 days", StringComparison.Ordinal));
        // keepAtLeast 2: "second" lacks the tag it should carry, "third" carries one it should not.
        Assert.Contains(violations, v => v.Kind == "retention-marks-stale" && v.Ami == fixture.Amis["second"] && v.Detail.StartsWith("amiinfra:retain-delete is missing", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Kind == "retention-marks-stale" && v.Ami == fixture.Amis["third"] && v.Detail.StartsWith("amiinfra:retain-delete is set", StringComparison.Ordinal));
        Assert.Equal(3, violations.Count);
    }

    [Fact]
    public async Task The_table_names_the_new_violations_in_kebab_case()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["audit", "--declaration", fixture.Declaration, "--wide"], fixture.Interceptor, RetentionAuditFixture.Now);

        Assert.True(result.ExitCode == ExitCodes.Violations, result.ToString());
        var lines = result.Out.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("stalled-pipeline ", StringComparison.Ordinal) && l.Contains(fixture.Amis["newest"], StringComparison.Ordinal));
        Assert.Equal(2, lines.Count(l => l.StartsWith("retention-marks-stale ", StringComparison.Ordinal)));
    }
}
