using System.Diagnostics;
using System.Net;
using Amazon.EC2;
using Amazon.EC2.Model;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class FaultFixture : IAsyncLifetime
{
    public MotoAccount Account { get; } = new("200000000030");

    /// <summary>Factory "flt" in us-east-1 and eu-west-1.</summary>
    public string Declaration { get; private set; } = "";

    /// <summary>The same factory, also distributing to ap-east-1 (an opt-in region).</summary>
    public string WithOptInRegion { get; private set; } = "";

    public string WestAmi { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Declaration = Declarations.Write("flt", Account.AccountId, """{ "regions": ["us-east-1", "eu-west-1"] }""", null, "app");
        WithOptInRegion = Declarations.Write("flt", Account.AccountId, """{ "regions": ["us-east-1", "ap-east-1"] }""", null, "app");
        using var west = Account.Ec2("eu-west-1");
        WestAmi = await Seed.TaggedImageAsync(west, "flt", "app", "flt-app-west");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// The faults real accounts have — throttling, missing permissions, users DescribeImageReferences does not see,
/// regions that are not enabled, other accounts' AMIs, hung endpoints, a failure halfway — each against moto with the
/// interceptor injecting what moto does not do. In none of them is an AMI that something uses deregistered.
/// </summary>
public sealed class FaultTests(FaultFixture fixture) : IClassFixture<FaultFixture>
{
    private const string Region = "us-east-1";

    private Dictionary<string, string> Env => fixture.Account.Environment(Region);

    private static string Policy(string name) => Path.Combine(CliRun.RepositoryRoot, "docs", "iam", $"amiinfra-{name}.json");

    [Fact]
    public async Task A_throttled_usage_check_is_retried_not_replaced_by_a_weaker_one_and_the_latest_ami_stays()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var ami = await Seed.TaggedImageAsync(ec2, "flt", "app", "flt-app-latest");
        await Seed.ParameterAsync(fixture.Account, Region, "/imagebuilder/flt/app/latest", ami);
        var interceptor = new AwsInterceptor()
            .EmulateImageReferences()
            .FailFirst(c => c.Action == "DescribeImageReferences", 2, "RequestLimitExceeded", "Request limit exceeded.", HttpStatusCode.ServiceUnavailable);

        var result = await CliRun.RunAsync(Env, ["deregister", ami, "--yes", "--declaration", fixture.Declaration, "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Refused, result.ToString());
        Assert.True(await Seed.ImageExistsAsync(ec2, ami));
        Assert.Equal(3, interceptor.Injected.Count(c => c.Action == "DescribeImageReferences"));
        Assert.Equal(0, interceptor.CountForwarded("DescribeInstances"));
        Assert.Equal(0, interceptor.CountForwarded("DeregisterImage"));
        var image = result.Json.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("resource").GetString() == "image");
        Assert.Equal("refused: in use by 1 SSM parameter(s) (/imagebuilder/flt/app/latest)", image.GetProperty("result").GetString());
        Assert.StartsWith("instances, launch templates (every version), SSM parameters, Image Builder recipes by DescribeImageReferences;", result.Json.GetProperty("usageSource").GetString());
    }

    [Fact]
    public async Task A_throttle_that_outlasts_the_retries_stops_the_command_and_is_called_a_throttle()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var ami = await Seed.TaggedImageAsync(ec2, "flt", "app", "flt-app-throttled");
        var interceptor = new AwsInterceptor()
            .EmulateImageReferences()
            .Fail(c => c.Action == "DescribeImageReferences", "RequestLimitExceeded", "Request limit exceeded.", HttpStatusCode.ServiceUnavailable);

        // AWS_MAX_ATTEMPTS, as the AWS SDKs read it, keeps the backoff of this test short.
        var result = await CliRun.RunAsync(new Dictionary<string, string>(Env) { ["AWS_MAX_ATTEMPTS"] = "3" }, ["deregister", ami, "--yes", "--declaration", fixture.Declaration], interceptor);

        Assert.Equal(ExitCodes.AwsError, result.ExitCode);
        Assert.StartsWith("amiinfra: AWS throttled the calls (RequestLimitExceeded) still after 3 attempts with backoff", result.Error.Trim());
        Assert.DoesNotContain("not offered", result.Error);
        Assert.Equal(3, interceptor.Injected.Count(c => c.Action == "DescribeImageReferences"));
        Assert.Equal(0, interceptor.CountForwarded("DescribeInstances"));
        Assert.True(await Seed.ImageExistsAsync(ec2, ami));
    }

    [Fact]
    public async Task Without_permission_for_DescribeImageReferences_every_kind_is_looked_for_with_its_own_api()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var ami = await Seed.TaggedImageAsync(ec2, "flt", "app", "flt-app-norefs");
        await Seed.ParameterAsync(fixture.Account, Region, "/imagebuilder/flt/app/latest", ami);
        var policy = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Policy("deregister")))!["Statement"]!.AsArray()
            .SelectMany(s => s!["Action"]!.AsArray().Select(a => a!.GetValue<string>()))
            .Where(a => a != "ec2:DescribeImageReferences");
        var interceptor = new AwsInterceptor().EmulateImageReferences().AllowOnly(policy);

        var result = await CliRun.RunAsync(Env, ["deregister", ami, "--yes", "--declaration", fixture.Declaration, "--wide"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Refused, result.ToString());
        Assert.Contains("refused: in use by 1 SSM parameter(s) (/imagebuilder/flt/app/latest)", result.Out);
        Assert.Contains("(ec2:DescribeImageReferences denied (UnauthorizedOperation))", result.Out);
        Assert.Contains("instances by DescribeInstances", result.Out);
        Assert.True(await Seed.ImageExistsAsync(ec2, ami));
    }

    [Fact]
    public async Task A_launch_configuration_is_a_user_that_usage_shows_and_deregister_respects()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var ami = await Seed.TaggedImageAsync(ec2, "flt", "app", "flt-app-lc");
        await Seed.LaunchConfigurationAsync(fixture.Account, Region, "flt-lc", ami, "flt-web");

        var usage = await CliRun.RunAsync(Env, ["usage", ami, "--declaration", fixture.Declaration, "--output", "json"], new AwsInterceptor().EmulateImageReferences());
        var deregister = await CliRun.RunAsync(Env, ["deregister", ami, "--yes", "--declaration", fixture.Declaration], new AwsInterceptor().EmulateImageReferences());

        Assert.True(usage.ExitCode == ExitCodes.Success, usage.ToString());
        var image = usage.Json.GetProperty("images")[0];
        Assert.True(image.GetProperty("inUse").GetBoolean());
        Assert.Equal("flt-lc (Auto Scaling group flt-web)", image.GetProperty("launchConfigurations")[0].GetString());
        Assert.Equal(ami, image.GetProperty("imageId").GetString());
        Assert.True(deregister.ExitCode == ExitCodes.Refused, deregister.ToString());
        Assert.Contains("launch-configuration", deregister.Out);
        Assert.True(await Seed.ImageExistsAsync(ec2, ami));
    }

    [Fact]
    public async Task Every_version_of_a_launch_template_is_a_user_not_only_the_ten_newest()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var ami = await Seed.TaggedImageAsync(ec2, "flt", "app", "flt-app-old-version");
        var template = (await ec2.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest { LaunchTemplateName = "flt-old", LaunchTemplateData = new RequestLaunchTemplateData { ImageId = ami } })).LaunchTemplate.LaunchTemplateId;
        for (var i = 0; i < 11; i++)
        {
            await ec2.CreateLaunchTemplateVersionAsync(new CreateLaunchTemplateVersionRequest { LaunchTemplateId = template, LaunchTemplateData = new RequestLaunchTemplateData { ImageId = "ami-12c6146b" } });
        }

        var byReferences = await CliRun.RunAsync(Env, ["usage", ami, "--output", "json"], new AwsInterceptor().EmulateImageReferences());
        var byOwnApis = await CliRun.RunAsync(Env, ["usage", ami, "--output", "json"]);
        await ec2.DeleteLaunchTemplateAsync(new DeleteLaunchTemplateRequest { LaunchTemplateId = template });

        Assert.True(byReferences.ExitCode == ExitCodes.Success, byReferences.ToString());
        Assert.Equal(template, byReferences.Json.GetProperty("images")[0].GetProperty("launchTemplates")[0].GetString());
        Assert.Equal($"{template} (version 1)", byOwnApis.Json.GetProperty("images")[0].GetProperty("launchTemplates")[0].GetString());
    }

    [Fact]
    public async Task An_instance_terminated_within_the_hour_does_not_block_deregistration()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var (ami, _) = await Seed.ImageFromInstanceAsync(ec2, "flt", "app", "flt-app-terminated");
        var instance = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = ami, MinCount = 1, MaxCount = 1, InstanceType = InstanceType.T3Micro })).Reservation.Instances[0].InstanceId;
        await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instance] });

        var result = await CliRun.RunAsync(Env, ["deregister", ami, "--yes", "--declaration", fixture.Declaration], new AwsInterceptor().EmulateImageReferences());

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.False(await Seed.ImageExistsAsync(ec2, ami));
    }

    [Fact]
    public async Task A_rerun_after_a_failed_snapshot_deletion_deletes_every_snapshot_of_the_ami_the_data_volume_too()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var (ami, root) = await Seed.ImageFromInstanceAsync(ec2, "flt", "app", "flt-app-two-volumes");
        var data = await Seed.SnapshotAsync(ec2, "us-east-1a", "application data, copied by hand", 8);
        var failing = new AwsInterceptor()
            .AddImageDevice(ami, "/dev/sdb", data)
            .Fail(c => c.Action == "DeleteSnapshot" && c.Parameters["SnapshotId"] == data, "IncorrectState", "The snapshot is in use by a pending operation.");

        var first = await CliRun.RunAsync(Env, ["deregister", ami, "--yes", "--declaration", fixture.Declaration, "--wide"], failing);
        var second = await CliRun.RunAsync(Env, ["deregister", ami, "--yes", "--declaration", fixture.Declaration, "--output", "json"]);

        Assert.True(first.ExitCode == ExitCodes.PartialFailure, first.ToString());
        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        var actions = second.Json.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("id").GetString(), a.GetProperty("result").GetString())).ToList();
        Assert.Equal([(ami, "already deregistered"), (data, "deleted")], actions);
        var left = await Seed.OwnedSnapshotsAsync(ec2, fixture.Account.AccountId);
        Assert.DoesNotContain(data, left);
        Assert.DoesNotContain(root[0], left);
    }

    [Theory]
    [InlineData("AuthFailure", "the region is not enabled for account 200000000030 (opt-in status not-opted-in)")]
    [InlineData("OptInRequired", "the region is not enabled for account 200000000030 (opt-in status not-opted-in)")]
    public async Task A_declared_region_that_is_not_enabled_is_named_and_the_other_regions_are_still_read(string code, string reason)
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var ami = await Seed.TaggedImageAsync(ec2, "flt", "app", $"flt-app-optin-{code}");
        var interceptor = new AwsInterceptor().DisableRegion("ap-east-1", code);

        var result = await CliRun.RunAsync(Env, ["images", "--declaration", fixture.WithOptInRegion, "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Incomplete, result.ToString());
        Assert.Contains(result.Json.GetProperty("images").EnumerateArray(), i => i.GetProperty("imageId").GetString() == ami);
        var notRead = Assert.Single(result.Json.GetProperty("notRead").EnumerateArray());
        Assert.Equal("region ap-east-1", notRead.GetProperty("what").GetString());
        Assert.StartsWith(reason, notRead.GetProperty("why").GetString());
        Assert.DoesNotContain("rejected the credentials", result.Out + result.Error);
    }

    [Fact]
    public async Task Audit_and_guard_with_a_region_that_is_not_enabled_never_exit_as_if_they_had_read_it()
    {
        var interceptor = new AwsInterceptor().DisableRegion("ap-east-1")
            .Respond("GetImageBlockPublicAccessState", "<imageBlockPublicAccessState>block-new-sharing</imageBlockPublicAccessState>")
            .Respond("GetSnapshotBlockPublicAccessState", "<state>block-all-sharing</state>");

        var audit = await CliRun.RunAsync(Env, ["audit", "--declaration", fixture.WithOptInRegion, "--output", "json"], interceptor);

        Assert.True(audit.ExitCode == ExitCodes.Incomplete, audit.ToString());
        Assert.False(audit.Json.GetProperty("clean").GetBoolean());
        Assert.Contains(audit.Json.GetProperty("notRead").EnumerateArray(), n => n.GetProperty("what").GetString() == "region ap-east-1");
        Assert.Equal(["us-east-1"], audit.Json.GetProperty("regions").EnumerateArray().Select(r => r.GetString()));
    }

    /// <summary>moto's catalogue gives every account Amazon's AMIs (owner 137112412989): another account's AMI this one may launch.</summary>
    [Fact]
    public async Task Another_accounts_ami_is_reported_as_not_owned_and_never_touched_even_with_force()
    {
        const string amazons = "ami-0ed094fb1304fd857";
        var interceptor = new AwsInterceptor();

        var result = await CliRun.RunAsync(Env, ["deregister", amazons, "--yes", "--force", "retiring it", "--declaration", fixture.Declaration, "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.NotOwned, result.ToString());
        var row = Assert.Single(result.Json.GetProperty("actions").EnumerateArray());
        Assert.Equal("owned by 137112412989, not touched: only its owner can deregister it", row.GetProperty("result").GetString());
        Assert.Equal(0, interceptor.CountForwarded("DeregisterImage") + interceptor.CountForwarded("CreateTags") + interceptor.CountForwarded("DeleteSnapshot"));
    }

    [Fact]
    public async Task A_hung_endpoint_ends_the_run_with_a_message_after_twice_the_call_timeout()
    {
        var interceptor = new AwsInterceptor().Hang(c => c.Action == "DescribeImages");
        var clock = Stopwatch.StartNew();

        var result = await CliRun.RunAsync(Env, ["images", "--declaration", fixture.Declaration, "--call-timeout", "1s"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.TimedOut, result.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.Matches("^amiinfra: no answer to DescribeImages to 127\\.0\\.0\\.1 within --call-timeout 1s, twice: the endpoint accepts connections but does not answer", result.Error.Trim());
        Assert.True(interceptor.Hung.Count >= 2);
    }

    [Fact]
    public async Task The_overall_timeout_stops_a_run_that_would_wait_longer()
    {
        var interceptor = new AwsInterceptor().Hang(c => c.Action == "GetCallerIdentity");
        var clock = Stopwatch.StartNew();

        var result = await CliRun.RunAsync(Env, ["images", "--declaration", fixture.Declaration, "--timeout", "2s", "--call-timeout", "60s"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.TimedOut, result.ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        Assert.StartsWith("amiinfra: stopped: the run did not finish within --timeout 2s", result.Error.Trim());
    }

    [Theory]
    [InlineData("--timeout", "soon")]
    [InlineData("--call-timeout", "0s")]
    public async Task A_bad_duration_is_a_usage_error_that_says_what_is_accepted(string option, string value)
    {
        var result = await CliRun.RunAsync(Env, ["images", option, value]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal($"amiinfra: option {option}: got '{value}'; expected a duration such as 90s, 15m or 1h (a whole number of seconds, minutes or hours, at least 1s)", result.Error.Trim());
    }

    [Fact]
    public async Task Lifecycle_plan_names_the_user_that_guards_an_action_within_120_columns()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var declaration = Declarations.Write("fltp", fixture.Account.AccountId, """{ "regions": ["us-east-1"] }""", """{ "delete": { "afterDays": 30 } }""", "app");
        var old = await Seed.TaggedImageAsync(ec2, "fltp", "app", "fltp-app-old");
        await Seed.TaggedImageAsync(ec2, "fltp", "app", "fltp-app-new");
        await Seed.LaunchConfigurationAsync(fixture.Account, Region, "fltp-legacy-lc", old, "fltp-legacy-web");
        var interceptor = new AwsInterceptor().EmulateImageReferences().SetImageField(old, "creationDate", "2020-01-01T00:00:00.000Z");

        var result = await CliRun.RunAsync(Env, ["lifecycle", "plan", "--declaration", declaration], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.All(result.Out.Split('\n'), line => Assert.True(line.Length <= 120, $"{line.Length}: {line}"));
        Assert.Contains("fltp-legacy-lc", result.Out);
        Assert.Contains("fltp-legacy-web", result.Out);
    }
}
