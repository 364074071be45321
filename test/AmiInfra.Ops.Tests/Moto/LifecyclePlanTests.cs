using AmiInfra.Ops.Core;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class LifecycleFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public MotoAccount Account { get; } = new("200000000004");

    public string Declaration { get; private set; } = "";

    public Dictionary<string, string> Amis { get; } = [];

    public AwsInterceptor Interceptor { get; } = new();

    public async Task InitializeAsync()
    {
        Declaration = Declarations.Write(
            "life",
            Account.AccountId,
            """{ "regions": ["us-east-1", "eu-west-1"] }""",
            """
            {
              "deprecate": { "afterDays": 30 }, "disable": { "afterDays": 90 }, "delete": { "afterDays": 180 }, "keepAtLeast": 2,
              "exclude": { "launchedWithinDays": 14, "tags": { "retain": "true" }, "regions": ["eu-west-1"] }
            }
            """,
            "app");
        using var east = Account.Ec2("us-east-1");
        using var west = Account.Ec2("eu-west-1");
        var ages = new (string Key, int Days, (string, string)[] Tags)[]
        {
            ("newest", 1, []), ("second", 40, []), ("deprecate", 45, []), ("disable", 100, []), ("delete", 300, []),
            ("tagged", 400, [("retain", "true")]), ("launched", 500, []),
        };
        foreach (var (key, days, tags) in ages)
        {
            var id = await Seed.TaggedImageAsync(east, "life", "app", $"life-app-{key}", tags);
            Amis[key] = id;
            Interceptor.SetImageField(id, "creationDate", Now.AddDays(-days).ToString("yyyy-MM-ddTHH:mm:ss.000Z"));
        }

        Interceptor.SetImageField(Amis["launched"], "lastLaunchedTime", Now.AddDays(-3).ToString("yyyy-MM-ddTHH:mm:ss.000Z"));
        var west1 = await Seed.TaggedImageAsync(west, "life", "app", "life-app-west");
        Amis["west"] = west1;
        Interceptor.SetImageField(west1, "creationDate", Now.AddDays(-999).ToString("yyyy-MM-ddTHH:mm:ss.000Z"));
        var westNew = await Seed.TaggedImageAsync(west, "life", "app", "life-app-west-new");
        Interceptor.SetImageField(westNew, "creationDate", Now.AddDays(-998).ToString("yyyy-MM-ddTHH:mm:ss.000Z"));
        var westNewest = await Seed.TaggedImageAsync(west, "life", "app", "life-app-west-newest");
        Interceptor.SetImageField(westNewest, "creationDate", Now.AddDays(-997).ToString("yyyy-MM-ddTHH:mm:ss.000Z"));
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>moto cannot register AMIs in the past nor record launches: the interceptor sets creationDate and lastLaunchedTime.</summary>
public sealed class LifecyclePlanTests(LifecycleFixture fixture) : IClassFixture<LifecycleFixture>
{
    private async Task<Dictionary<string, (string Action, string Reason, string? KeptBy, string? WouldBe)>> PlanAsync()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["lifecycle", "plan", "--declaration", fixture.Declaration, "--output", "json"], fixture.Interceptor, LifecycleFixture.Now);
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        return result.Json.GetProperty("decisions").EnumerateArray().ToDictionary(
            d => d.GetProperty("imageId").GetString()!,
            d => (d.GetProperty("action").GetString()!, d.GetProperty("reason").GetString()!, d.TryGetProperty("keptBy", out var k) ? k.GetString() : null, d.TryGetProperty("wouldBe", out var w) ? w.GetString() : null));
    }

    [Fact]
    public async Task Plan_applies_the_most_severe_age_rule_that_is_due()
    {
        var plan = await PlanAsync();

        Assert.Equal("deprecate", plan[fixture.Amis["deprecate"]].Action);
        Assert.Equal("disable", plan[fixture.Amis["disable"]].Action);
        Assert.Equal("delete", plan[fixture.Amis["delete"]].Action);
        Assert.Equal("older than 180 days (300d)", plan[fixture.Amis["delete"]].Reason);
    }

    [Fact]
    public async Task Plan_never_touches_the_newest_keep_at_least_amis()
    {
        var plan = await PlanAsync();

        Assert.Equal("keep", plan[fixture.Amis["newest"]].Action);
        Assert.Equal("keep", plan[fixture.Amis["second"]].Action);
        Assert.Equal("among the newest 2 (keepAtLeast)", plan[fixture.Amis["second"]].Reason);
    }

    [Fact]
    public async Task Plan_says_which_exclusion_keeps_which_ami()
    {
        var plan = await PlanAsync();

        Assert.Equal(("keep", "tag retain=true", "delete"), (plan[fixture.Amis["tagged"]].Action, plan[fixture.Amis["tagged"]].KeptBy, plan[fixture.Amis["tagged"]].WouldBe));
        Assert.Equal("keep", plan[fixture.Amis["launched"]].Action);
        Assert.StartsWith("launched within 14 days", plan[fixture.Amis["launched"]].KeptBy);
        Assert.Equal(("keep", "region eu-west-1"), (plan[fixture.Amis["west"]].Action, plan[fixture.Amis["west"]].KeptBy));
    }

    [Fact]
    public async Task Plan_table_summarises_and_changes_nothing()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["lifecycle", "plan", "--declaration", fixture.Declaration], fixture.Interceptor, LifecycleFixture.Now);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("Plan at 2026-06-01 00:00 UTC: keep 7, deprecate 1, disable 1, delete 1, re-enable 0. Nothing was changed.", result.Out);
        Assert.DoesNotContain(fixture.Interceptor.Forwarded, c => c.Action is "DeregisterImage" or "DisableImage" or "EnableImageDeprecation");
    }
}
