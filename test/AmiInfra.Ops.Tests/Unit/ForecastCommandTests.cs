using System.Text.Json;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Unit;

/// <summary>
/// <c>amiinfra lifecycle forecast</c> through the command line's entry point: no AWS account, no credentials, no
/// network (the interceptor sees no call), table and JSON output, exit codes.
/// </summary>
public sealed class ForecastCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 7, 9, 30, 0, TimeSpan.Zero);

    /// <summary>No AWS variable at all, and a profile that does not exist: any AWS call would fail.</summary>
    private static readonly Dictionary<string, string> NoAws = new() { ["AWS_PROFILE"] = "no-such-profile" };

    private static Task<CliResult> Run(AwsInterceptor interceptor, params string[] args) =>
        CliRun.RunAsync(NoAws, ["lifecycle", "forecast", "--declaration", CliRun.DefaultDeclaration, .. args], interceptor, Now);

    [Fact]
    public async Task The_default_factory_forecast_holds_its_invariants_without_touching_aws()
    {
        var interceptor = new AwsInterceptor();

        var result = await Run(interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Empty(interceptor.Forwarded);
        Assert.Empty(interceptor.Injected);
        var lines = result.Out.TrimEnd().Split('\n');
        Assert.StartsWith("Forecast of 'golden' over 730 days from 2026-06-07 (day 0)", lines[0]);
        Assert.All(lines, l => Assert.True(l.Length <= 120, $"{l.Length} columns: {l}"));
        Assert.Contains(lines, l => l.StartsWith("al2023: cron(0 4 ? * sun *) Etc/UTC, EXPRESSION_MATCH_ONLY; 105 build(s)", StringComparison.Ordinal));
        Assert.Contains("  us-east-1, eu-west-1 (the same in each region):", lines);
        Assert.Contains("    peak: 53 AMIs registered (26 launchable at most), 55 snapshots billed = 1100 GiB (day 378)", lines);
        Assert.Contains(lines, l => l.Contains("  2027-06-07  delete build 1 (365 days old)", StringComparison.Ordinal));
        Assert.Equal("  outlived its rules.", lines[^1]);
        Assert.DoesNotContain("Account", result.Out);
    }

    [Fact]
    public async Task Json_gives_the_full_series_of_each_image_and_region()
    {
        var result = await Run(new AwsInterceptor(), "--output", "json", "--image", "al2023", "--stall-from", "100", "--stall-days", "400");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var json = result.Json;
        Assert.True(json.GetProperty("clean").GetBoolean());
        Assert.Equal(100, json.GetProperty("stall").GetProperty("from").GetInt32());
        var image = Assert.Single(json.GetProperty("images").EnumerateArray());
        Assert.Equal("al2023", image.GetProperty("image").GetString());
        var regions = image.GetProperty("regions").EnumerateArray().ToList();
        Assert.Equal(["us-east-1", "eu-west-1"], regions.Select(r => r.GetProperty("region").GetString()));
        var series = regions[0].GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(730, series.Count);
        Assert.Equal("2026-06-07", series[0].GetProperty("date").GetString());
        var lastStallDay = series[499];
        Assert.Equal((3, 0, 3, 60), (lastStallDay.GetProperty("launchable").GetInt32(), lastStallDay.GetProperty("disabled").GetInt32(), lastStallDay.GetProperty("snapshots").GetInt32(), lastStallDay.GetProperty("gib").GetInt32()));
        Assert.Contains(image.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "deprecate-skipped");
        Assert.Equal(JsonValueKind.Null, json.GetProperty("account").ValueKind);
    }

    [Fact]
    public async Task A_broken_invariant_exits_with_the_violations_code()
    {
        var folder = Directory.CreateTempSubdirectory("amiinfra-forecast-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "factory.json"), $$"""
                {
                  "name": "ff", "account": "123456789012", "region": "us-east-1", "build": {},
                  "distribution": { "regions": ["us-east-1", "eu-west-1"] },
                  "lifecycle": { "deprecate": { "afterDays": 30 }, "delete": { "afterDays": 60 }, "keepAtLeast": 1, "exclude": { "regions": ["eu-west-1"] } },
                  "images": [ { "name": "app", "platform": "linux", "parent": { "amiId": "ami-0123456789abcdef0" },
                                "components": [ { "managed": "update-linux" } ], "rootVolume": { "deviceName": "/dev/xvda", "sizeGiB": 8 },
                                "schedule": { "cron": "cron(0 4 ? * sun *)", "startCondition": "EXPRESSION_MATCH_ONLY" } } ]
                }
                """);

            var result = await CliRun.RunAsync(NoAws, ["lifecycle", "forecast", "--declaration", folder, "--days", "120"], new AwsInterceptor(), Now);

            Assert.True(result.ExitCode == ExitCodes.Violations, result.ToString());
            Assert.Contains(result.Out.Split('\n'), l => l.StartsWith("overdue-ami  app    us-east-1", StringComparison.Ordinal));
            Assert.EndsWith("1 violation(s) of the invariants.\n", result.Out.Replace("\r\n", "\n", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "--stall-days", "10" }, "amiinfra: option --stall-days needs --stall-from DAY")]
    [InlineData(new[] { "--stall-from", "800", "--stall-days", "10" }, "amiinfra: option --stall-from: got '800'; expected a day from 0 to 729 (--days 730)")]
    [InlineData(new[] { "--days", "0" }, "amiinfra: option --days: got '0'; expected a number of days from 1 to 3650")]
    [InlineData(new[] { "--content-change-days", "0" }, "amiinfra: option --content-change-days: got '0'; expected a number of days of at least 1")]
    [InlineData(new[] { "--image", "al2024" }, "amiinfra: option --image: got 'al2024'; expected an image of the declaration: al2023, ubuntu2404 (did you mean 'al2023'?)")]
    public async Task Bad_options_are_usage_errors(string[] args, string error)
    {
        var result = await Run(new AwsInterceptor(), args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(error, result.Error.Trim());
        Assert.Empty(result.Out);
    }
}
