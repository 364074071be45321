using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using AmiInfra.Ops.Core;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class RedistributeFixture : IAsyncLifetime
{
    public const string AccountId = "200000000044";
    public const string TargetAccount = "300000000001";

    public MotoAccount Account { get; } = new(AccountId);

    /// <summary>A factory whose image 'app' goes to three regions and one target account.</summary>
    public string Declaration { get; private set; } = "";

    /// <summary>The same factory's first build's AMI in its home region (in moto: DistributeImage copies it).</summary>
    public string HomeAmi { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Declaration = Path.Combine(Directory.CreateTempSubdirectory("amiinfra-redistribute-").FullName, "factory.json");
        await File.WriteAllTextAsync(Declaration, $$"""
            {
              "name": "rdb",
              "account": "{{AccountId}}",
              "region": "us-east-1",
              "organization": { "id": "o-a1b2c3d4e5", "targetOrganizationalUnits": ["ou-ab12-workload1"] },
              "build": { "instanceTypes": ["m7i.large"] },
              "distribution": { "regions": ["us-east-1", "eu-west-1", "ap-south-1"], "targetAccounts": ["{{TargetAccount}}"] },
              "images": [
                {
                  "name": "app",
                  "platform": "linux",
                  "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
                  "components": [ { "managed": "update-linux" } ],
                  "rootVolume": { "deviceName": "/dev/xvda", "sizeGiB": 20 }
                }
              ]
            }
            """);
        using var ec2 = Account.Ec2("us-east-1");
        HomeAmi = await Seed.TaggedImageAsync(ec2, "rdb", "app", "rdb-app-2026-12-01");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// <c>amiinfra redistribute</c> against moto, with Image Builder (which moto lacks) answered by the interceptor as its
/// API reference documents it; the copies DistributeImage makes in the factory account are real AMIs in moto.
/// </summary>
public sealed class RedistributeTests(RedistributeFixture fixture) : IClassFixture<RedistributeFixture>
{
    private const string Deployed = $"arn:aws:imagebuilder:us-east-1:{RedistributeFixture.AccountId}:distribution-configuration/rdb-app";
    private const string Build1 = $"arn:aws:imagebuilder:us-east-1:{RedistributeFixture.AccountId}:image/rdb-app/1.0.0/1";
    private const string Build2 = $"arn:aws:imagebuilder:us-east-1:{RedistributeFixture.AccountId}:image/rdb-app/1.0.1/1";
    private const string Target = RedistributeFixture.TargetAccount;

    private Dictionary<string, string> Env => fixture.Account.Environment("us-east-1");

    /// <summary>The deployed configuration after ap-south-1 was added to the declaration (with an SSM output parameter per region).</summary>
    private static JsonArray Distributions(params string[] regions) => new(regions.Select(region => (JsonNode)new JsonObject
    {
        ["region"] = region,
        ["amiDistributionConfiguration"] = new JsonObject
        {
            ["name"] = "rdb-app-{{ imagebuilder:buildDate }}",
            ["targetAccountIds"] = new JsonArray(Target),
            ["amiTags"] = new JsonObject { ["amiinfra:factory"] = "rdb", ["amiinfra:image"] = "app" },
        },
        ["ssmParameterConfigurations"] = new JsonArray(new JsonObject { ["parameterName"] = "/rdb/app/latest", ["dataType"] = "aws:ec2:image" }),
    }).ToArray());

    /// <summary>Build 1.0.0/1, distributed before ap-south-1 was declared: us-east-1 and eu-west-1, each with the target account's copy.</summary>
    private AwsInterceptor Interceptor(params string[] deployedRegions) => new AwsInterceptor()
        .AddBuild(Build1, "rdb-app", "AVAILABLE", [("us-east-1", null, fixture.HomeAmi), ("us-east-1", Target, "ami-0aaaaaaaaaaaaaaa1"), ("eu-west-1", null, "ami-0aaaaaaaaaaaaaaa2"), ("eu-west-1", Target, "ami-0aaaaaaaaaaaaaaa3")])
        .AddDistributionConfiguration(Deployed, Distributions(deployedRegions.Length > 0 ? deployedRegions : ["us-east-1", "eu-west-1", "ap-south-1"]));

    private static IEnumerable<(string Region, string Account, string State)> Targets(CliResult result) =>
        result.Json.GetProperty("targets").EnumerateArray().Select(t => (t.GetProperty("region").GetString()!, t.GetProperty("account").GetString()!, t.GetProperty("state").GetString()!));

    [Fact]
    public async Task A_region_added_after_the_build_gets_the_build_without_a_rebuild_and_only_it()
    {
        var interceptor = Interceptor();

        var dry = await CliRun.RunAsync(Env, ["redistribute", "app", "--declaration", fixture.Declaration, "--output", "json"], interceptor);
        Assert.True(dry.ExitCode == ExitCodes.Success, dry.ToString());
        Assert.Empty(interceptor.DistributeRequests);
        Assert.Equal([Deployed], interceptor.DistributionConfigurations.Keys);
        Assert.Equal(
            [("us-east-1", RedistributeFixture.AccountId, "present"), ("us-east-1", Target, "present"), ("eu-west-1", RedistributeFixture.AccountId, "present"), ("eu-west-1", Target, "present"), ("ap-south-1", RedistributeFixture.AccountId, "would distribute"), ("ap-south-1", Target, "would distribute")],
            Targets(dry));

        var done = await CliRun.RunAsync(Env, ["redistribute", "app", "--execution-role", "rdb-distribution", "--yes", "--declaration", fixture.Declaration, "--wide"], interceptor);

        Assert.True(done.ExitCode == ExitCodes.Success, done.ToString());
        var request = Assert.Single(interceptor.DistributeRequests);
        Assert.Equal(Build1, request["sourceImage"]!.GetValue<string>());
        Assert.Equal("rdb-distribution", request["executionRole"]!.GetValue<string>());
        Assert.Equal(Build1, request["tags"]!["amiinfra:redistributes"]!.GetValue<string>());
        Assert.InRange(request["clientToken"]!.GetValue<string>().Length, 1, 36);
        // The one-off configuration held ap-south-1 only, and is gone once the distribution ended.
        Assert.Matches("/rdb-app-redistribute-[0-9]{14}$", request["distributionConfigurationArn"]!.GetValue<string>());
        Assert.Equal([Deployed], interceptor.DistributionConfigurations.Keys);
        var redistribution = interceptor.Builds.Single(b => b.Tags.ContainsKey("amiinfra:redistributes"));
        Assert.Equal("AVAILABLE", redistribution.Status);
        Assert.Equal([("ap-south-1", (string?)null), ("ap-south-1", Target)], redistribution.Outputs.Select(o => (o.Region, o.Account)));
        Assert.Matches("ap-south-1 +200000000044 +distributed +ami-[0-9a-f]+ +by rdb-app/1\\.0\\.0/2", done.Out);

        // The copy is a real AMI in ap-south-1, tagged with the build it comes from.
        using var mumbai = fixture.Account.Ec2("ap-south-1");
        var copy = (await mumbai.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [redistribution.Outputs[0].Ami] })).Images.Single();
        Assert.Contains(copy.Tags, t => t.Key == "amiinfra:redistributed-from" && t.Value == Build1);
        Assert.Contains(copy.Tags, t => t.Key == "amiinfra:image" && t.Value == "app");

        // A rerun finds every target reached and distributes nothing.
        var again = await CliRun.RunAsync(Env, ["redistribute", "app", "--execution-role", "rdb-distribution", "--yes", "--declaration", fixture.Declaration, "--output", "json"], interceptor);
        Assert.True(again.ExitCode == ExitCodes.Success, again.ToString());
        Assert.Single(interceptor.DistributeRequests);
        Assert.All(Targets(again), t => Assert.Equal("present", t.State));
    }

    [Fact]
    public async Task A_failed_region_is_a_partial_failure_and_a_rerun_distributes_only_what_is_still_missing()
    {
        var interceptor = Interceptor("us-east-1", "eu-west-1", "ap-south-1", "eu-central-1").FailDistributionTo("eu-central-1");

        var first = await CliRun.RunAsync(Env, ["redistribute", "app", "--execution-role", "rdb-distribution", "--yes", "--declaration", fixture.Declaration, "--output", "json"], interceptor);

        Assert.Equal(ExitCodes.PartialFailure, first.ExitCode);
        Assert.Contains(("ap-south-1", Target, "distributed"), Targets(first));
        Assert.Contains(("eu-central-1", RedistributeFixture.AccountId, "failed"), Targets(first));
        Assert.Contains("the KMS key of the region is not usable", first.Out);
        Assert.Equal([Deployed], interceptor.DistributionConfigurations.Keys);

        var healed = new AwsInterceptor();
        foreach (var build in interceptor.Builds)
        {
            healed.AddBuild(build.Arn, "rdb-app", build.Status, build.Outputs, build.Tags);
        }

        healed.AddDistributionConfiguration(Deployed, Distributions("us-east-1", "eu-west-1", "ap-south-1", "eu-central-1"));
        var second = await CliRun.RunAsync(Env, ["redistribute", "app", "--execution-role", "rdb-distribution", "--yes", "--declaration", fixture.Declaration, "--output", "json"], healed);

        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        var oneOff = Assert.Single(healed.DistributeRequests);
        Assert.Contains(second.Json.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("rdb-app/1.0.0/2, is FAILED", StringComparison.Ordinal));
        Assert.Equal(["eu-central-1"], healed.Builds.Single(b => b.Arn.EndsWith("/3", StringComparison.Ordinal)).Outputs.Select(o => o.Region).Distinct());
        Assert.Contains(("ap-south-1", Target, "present"), Targets(second));
        Assert.Contains(("eu-central-1", Target, "distributed"), Targets(second));
    }

    [Fact]
    public async Task An_older_build_leaves_the_ssm_parameters_and_launch_templates_to_the_newest()
    {
        var interceptor = Interceptor()
            .AddBuild(Build2, "rdb-app", "AVAILABLE", [("us-east-1", null, fixture.HomeAmi), ("eu-west-1", null, "ami-0bbbbbbbbbbbbbbb1"), ("ap-south-1", null, "ami-0bbbbbbbbbbbbbbb2"), ("us-east-1", Target, "ami-0bbbbbbbbbbbbbbb3"), ("eu-west-1", Target, "ami-0bbbbbbbbbbbbbbb4"), ("ap-south-1", Target, "ami-0bbbbbbbbbbbbbbb5")]);

        var newest = await CliRun.RunAsync(Env, ["redistribute", "app", "--declaration", fixture.Declaration, "--output", "json"], interceptor);
        var older = await CliRun.RunAsync(Env, ["redistribute", "app", "--build", "1.0.0/1", "--execution-role", "rdb-distribution", "--yes", "--declaration", fixture.Declaration], interceptor);

        Assert.Equal("1.0.1/1", newest.Json.GetProperty("build").GetString());
        Assert.All(Targets(newest), t => Assert.Equal("present", t.State));
        Assert.True(older.ExitCode == ExitCodes.Success, older.ToString());
        Assert.Contains("build 1.0.0/1 (not the newest: SSM parameters and launch templates are left as they are)", older.Out);
        var request = Assert.Single(interceptor.DistributeRequests);
        Assert.Equal(Build1, request["sourceImage"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stopped_waiting_leaves_the_distribution_running_and_a_rerun_waits_for_it_and_tidies_up()
    {
        var interceptor = Interceptor();
        interceptor.DistributionPolls = int.MaxValue;

        var stopped = await CliRun.RunAsync(Env, ["redistribute", "app", "--execution-role", "rdb-distribution", "--yes", "--timeout", "2s", "--declaration", fixture.Declaration, "--output", "json"], interceptor);

        Assert.Equal(ExitCodes.TimedOut, stopped.ExitCode);
        Assert.Contains(("ap-south-1", RedistributeFixture.AccountId, "still distributing"), Targets(stopped));
        Assert.Equal(2, interceptor.DistributionConfigurations.Count);
        var dry = await CliRun.RunAsync(Env, ["redistribute", "app", "--declaration", fixture.Declaration, "--output", "json"], interceptor);
        Assert.Contains(("ap-south-1", Target, "distributing"), Targets(dry));

        interceptor.FinishDistributions();
        var resumed = await CliRun.RunAsync(Env, ["redistribute", "app", "--execution-role", "rdb-distribution", "--yes", "--declaration", fixture.Declaration, "--output", "json"], interceptor);

        Assert.True(resumed.ExitCode == ExitCodes.Success, resumed.ToString());
        Assert.Contains("waiting for the redistribution rdb-app/1.0.0/2 under way (DISTRIBUTING)", resumed.Error);
        Assert.Single(interceptor.DistributeRequests);
        Assert.Equal([Deployed], interceptor.DistributionConfigurations.Keys);
        Assert.All(Targets(resumed), t => Assert.Equal("present", t.State));
        Assert.Contains(resumed.Json.GetProperty("notes").EnumerateArray(), n => n.GetString() == "Deleted the one-off distribution configuration left by rdb-app/1.0.0/2 (AVAILABLE).");
    }

    [Theory]
    [InlineData("web", "", ExitCodes.Usage, "argument image: got 'web'; expected one of the declared images: app")]
    [InlineData("app", "--build=1.0", ExitCodes.Usage, "option --build: got '1.0'; expected VERSION/BUILD such as 1.0.3/2")]
    [InlineData("app", "--build=9.9.9/9", ExitCodes.NotFound, "option --build: rdb-app has no build 9.9.9/9 in us-east-1; its builds: 1.0.0/1")]
    [InlineData("app", "--yes", ExitCodes.Usage, "option --execution-role: image 'app' declares no workflows, so the factory gave it no execution role")]
    [InlineData("app", "--region=eu-west-1", ExitCodes.Usage, "option --region: got 'eu-west-1'; images are built and redistributed from the declaration's home region us-east-1")]
    public async Task Bad_input_names_the_field_and_changes_nothing(string image, string option, int exitCode, string message)
    {
        var interceptor = Interceptor();
        string[] args = option.Length == 0 ? ["redistribute", image, "--declaration", fixture.Declaration] : ["redistribute", image, option, "--declaration", fixture.Declaration];

        var result = await CliRun.RunAsync(Env, args, interceptor);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.StartsWith($"amiinfra: {message}", result.Error.Trim());
        Assert.Empty(result.Out);
        Assert.Empty(interceptor.DistributeRequests);
        Assert.Equal([Deployed], interceptor.DistributionConfigurations.Keys);
    }

    [Fact]
    public async Task A_configuration_that_is_not_deployed_is_named_with_what_to_do()
    {
        var interceptor = new AwsInterceptor().AddBuild(Build1, "rdb-app", "AVAILABLE", [("us-east-1", null, fixture.HomeAmi)]);

        var result = await CliRun.RunAsync(Env, ["redistribute", "app", "--declaration", fixture.Declaration], interceptor);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Equal("amiinfra: the distribution configuration rdb-app is not deployed in us-east-1 (ResourceNotFoundException): deploy the factory first ('npx cdk deploy --all')", result.Error.Trim());
    }

    [Fact]
    public async Task Runs_with_the_redistribute_policy_and_is_refused_before_anything_starts_with_the_read_only_one()
    {
        var policy = Path.Combine(CliRun.RepositoryRoot, "docs", "iam", "amiinfra-redistribute.json");
        var readOnly = Path.Combine(CliRun.RepositoryRoot, "docs", "iam", "amiinfra-read-only.json");
        var allowed = Interceptor().AllowOnly(policy);
        var denied = Interceptor().AllowOnly(readOnly);

        var done = await CliRun.RunAsync(Env, ["redistribute", "app", "--execution-role", "rdb-distribution", "--yes", "--declaration", fixture.Declaration], allowed);
        var refused = await CliRun.RunAsync(Env, ["redistribute", "app", "--execution-role", "rdb-distribution", "--yes", "--declaration", fixture.Declaration], denied);

        Assert.True(done.ExitCode == ExitCodes.Success, done.ToString());
        Assert.Equal(ExitCodes.AccessDenied, refused.ExitCode);
        Assert.Contains("imagebuilder:ListImages", refused.Error);
        Assert.Empty(denied.DistributeRequests);
        Assert.Equal([Deployed], denied.DistributionConfigurations.Keys);
    }

    [Fact]
    public async Task Without_iam_pass_role_nothing_is_left_behind()
    {
        var policy = Path.Combine(CliRun.RepositoryRoot, "docs", "iam", "amiinfra-redistribute.json");
        var actions = JsonNode.Parse(File.ReadAllText(policy))!["Statement"]!.AsArray().SelectMany(s => s!["Action"]!.AsArray().Select(a => a!.GetValue<string>())).Where(a => a != "iam:PassRole");
        var interceptor = Interceptor().AllowOnly(actions);

        var result = await CliRun.RunAsync(Env, ["redistribute", "app", "--execution-role", "rdb-distribution", "--yes", "--declaration", fixture.Declaration], interceptor);

        Assert.Equal(ExitCodes.AccessDenied, result.ExitCode);
        Assert.Contains("iam:PassRole", result.Error);
        Assert.Equal([Deployed], interceptor.DistributionConfigurations.Keys);
        Assert.DoesNotContain(interceptor.Builds, b => b.Tags.ContainsKey("amiinfra:redistributes"));
    }
}
