using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using AmiInfra.Ops.Core;
using AmiInfra.Ops.Tests.Infrastructure;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class ReleaseVerifyFixture
{
    /// <summary>moto's default account: the account moto's Step Functions parser makes its aws-sdk calls in (see <see cref="MotoServer.ExecuteStateMachines"/>).</summary>
    public const string AccountId = "123456789012";

    public ReleaseVerifyFixture()
    {
        MotoServer.Instance.ExecuteStateMachines();
    }

    public MotoAccount Account { get; } = new(AccountId);
}

/// <summary>
/// <c>amiinfra release verify</c> against state machines that moto really executes: each is a small stand-in for the
/// factory's verification (it records its result on the copy with the aws-sdk:ec2:createTags integration, as the
/// contract says, or forgets to), started by the tool with StartExecution and watched with DescribeExecution. Nothing
/// of Step Functions is emulated. moto 5.2.1 runs one execution per account and region: StartExecution deep-copies the
/// state machine, which holds its backend, and once an execution has run the backend holds a lock that cannot be
/// copied (TypeError: cannot pickle '_thread.RLock' object, moto/stepfunctions/parser/models.py start_execution). So
/// each test that executes works in a region of its own.
/// </summary>
public sealed class ReleaseVerifyTests(ReleaseVerifyFixture fixture) : IClassFixture<ReleaseVerifyFixture>
{
    private Dictionary<string, string> Env => fixture.Account.Environment("us-east-1");

    /// <summary>A state machine that tags the copy with <paramref name="tags"/> (values, or $$ paths when the key ends with .$).</summary>
    private static string Tagging(params (string Key, string Value, bool Path)[] tags) => new JsonObject
    {
        ["StartAt"] = "Record",
        ["States"] = new JsonObject
        {
            ["Record"] = new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::aws-sdk:ec2:createTags",
                ["Parameters"] = new JsonObject
                {
                    ["Resources.$"] = "States.Array($.amiId)",
                    ["Tags"] = new JsonArray(tags.Select(t => (JsonNode)new JsonObject { ["Key"] = t.Key, [t.Path ? "Value.$" : "Value"] = t.Value }).ToArray()),
                },
                ["End"] = true,
            },
        },
    }.ToJsonString();

    private static readonly string Passing = Tagging(
        (AmiTagKeys.VerificationResult, "passed", false),
        (AmiTagKeys.VerifiedAt, "$$.State.EnteredTime", true),
        (AmiTagKeys.VerificationExecution, "$$.Execution.Id", true));

    private static readonly string Failing = Tagging(
        (AmiTagKeys.VerificationResult, "failed", false),
        (AmiTagKeys.VerifiedAt, "$$.State.EnteredTime", true),
        (AmiTagKeys.VerificationExecution, "$$.Execution.Id", true),
        (AmiTagKeys.VerificationReason, "the smoke test exited 3", false));

    private const string RecordingNothing = """{"StartAt":"Done","States":{"Done":{"Type":"Pass","End":true}}}""";

    /// <summary>A factory (home us-east-1) with one image distributed to <paramref name="region"/>, one copy there of version 1.0.0, and (unless null) its verification state machine there.</summary>
    private async Task<(string Declaration, string Ami)> SeedAsync(string factory, string region, string? definition)
    {
        using var ec2 = fixture.Account.Ec2(region);
        var ami = await Seed.TaggedImageAsync(ec2, factory, "app", $"{factory}-app-1.0.0", (AmiTagKeys.RecipeVersion, "1.0.0"));
        if (definition is not null)
        {
            await Seed.StateMachineAsync(fixture.Account, region, $"{factory}-release-verify", definition);
        }

        return (Declarations.Write(factory, ReleaseVerifyFixture.AccountId, $$"""{ "regions": ["{{region}}"] }""", null, "app"), ami);
    }

    private async Task<Dictionary<string, string>> TagsAsync(string ami, string region)
    {
        using var ec2 = fixture.Account.Ec2(region);
        var image = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [ami] })).Images.Single();
        return image.Tags.ToDictionary(t => t.Key, t => t.Value);
    }

    [Fact]
    public async Task Verify_starts_the_state_machine_waits_and_reports_the_result_it_recorded()
    {
        var (declaration, ami) = await SeedAsync("vfp", "us-east-2", Passing);
        var interceptor = new AwsInterceptor();

        var result = await CliRun.RunAsync(Env, ["release", "verify", "app", "--yes", "--declaration", declaration, "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var copy = result.Json.GetProperty("copies").EnumerateArray().Single();
        Assert.Equal((ami, "passed"), (copy.GetProperty("imageId").GetString(), copy.GetProperty("result").GetString()));
        var execution = copy.GetProperty("execution").GetString()!;
        Assert.Matches($"^arn:aws:states:us-east-2:{ReleaseVerifyFixture.AccountId}:execution:vfp-release-verify:{ami}-[0-9]{{8}}T[0-9]{{6}}$", execution);
        Assert.Equal(execution, copy.GetProperty("tags").GetProperty("execution").GetString());
        var tags = await TagsAsync(ami, "us-east-2");
        Assert.Equal("passed", tags[AmiTagKeys.VerificationResult]);
        Assert.Equal(execution, tags[AmiTagKeys.VerificationExecution]);
        var start = interceptor.Forwarded.Single(c => c.Action == "StartExecution");
        var input = JsonNode.Parse(JsonNode.Parse(start.Body)!["input"]!.GetValue<string>())!;
        Assert.Equal((ami, ReleaseVerifyFixture.AccountId), (input["amiId"]!.GetValue<string>(), input["account"]!.GetValue<string>()));
        Assert.Equal("states", start.Service);
        Assert.Contains(interceptor.Forwarded, c => c.Action == "DescribeExecution");

        // The status now shows the copy as passed.
        var status = await CliRun.RunAsync(Env, ["release", "status", "app", "--declaration", declaration, "--output", "json"], new AwsInterceptor().EmulateImageReferences());
        Assert.Equal("passed", status.Json.GetProperty("copies")[0].GetProperty("verification").GetString());
    }

    [Fact]
    public async Task An_execution_that_succeeds_without_recording_a_result_is_a_failure()
    {
        var (declaration, ami) = await SeedAsync("vfn", "us-west-1", RecordingNothing);

        var result = await CliRun.RunAsync(Env, ["release", "verify", ami, "--yes", "--declaration", declaration, "--wide"]);

        Assert.True(result.ExitCode == ExitCodes.PartialFailure, result.ToString());
        Assert.Contains("failed", result.Out);
        Assert.Contains("the execution succeeded but recorded no result on the AMI", result.Out);
        Assert.False((await TagsAsync(ami, "us-west-1")).ContainsKey(AmiTagKeys.VerificationResult));
    }

    [Fact]
    public async Task A_failed_verification_is_reported_with_the_reason_it_recorded()
    {
        var (declaration, ami) = await SeedAsync("vff", "us-west-2", Failing);

        var result = await CliRun.RunAsync(Env, ["release", "verify", "app", "--yes", "--declaration", declaration, "--output", "json"]);

        Assert.True(result.ExitCode == ExitCodes.PartialFailure, result.ToString());
        var copy = result.Json.GetProperty("copies")[0];
        Assert.Equal(("failed", "the smoke test exited 3"), (copy.GetProperty("result").GetString(), copy.GetProperty("detail").GetString()));
        Assert.Equal("failed", (await TagsAsync(ami, "us-west-2"))[AmiTagKeys.VerificationResult]);
    }

    [Fact]
    public async Task A_verification_still_running_at_the_deadline_is_reported_as_timed_out()
    {
        var (declaration, ami) = await SeedAsync("vft", "ap-south-1", """{"StartAt":"Launch","States":{"Launch":{"Type":"Wait","Seconds":120,"End":true}}}""");

        var result = await CliRun.RunAsync(Env, ["release", "verify", "app", "--yes", "--timeout", "3s", "--declaration", declaration, "--output", "json"]);

        Assert.True(result.ExitCode == ExitCodes.TimedOut, result.ToString());
        var copy = result.Json.GetProperty("copies")[0];
        Assert.Equal((ami, "running"), (copy.GetProperty("imageId").GetString(), copy.GetProperty("result").GetString()));
        Assert.Contains("it goes on", copy.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(new[] { "release", "verify", "web" }, "argument image: got 'web'; expected one of the declared images: app")]
    [InlineData(new[] { "release", "verify", "app", "--version", "9.9.9" }, "option --version: got '9.9.9'; expected a version with an available copy: 1.0.0")]
    [InlineData(new[] { "release", "promote", "app", "1.0.0", "--force", " " }, "option --force: got an empty reason")]
    [InlineData(new[] { "release", "promote", "app", "2.0.0" }, "argument version: got '2.0.0'; image 'app' has no available copy of it in eu-north-1 (versions there: 1.0.0)")]
    [InlineData(new[] { "release", "status", "app", "--regions", "us-east-1" }, "option --regions: got 'us-east-1'; expected regions image 'app' is declared for: eu-north-1")]
    public async Task Bad_input_gets_one_line_naming_the_value_and_what_is_accepted(string[] args, string message)
    {
        var (declaration, _) = await SeedAsync("vfu", "eu-north-1", null);

        var result = await CliRun.RunAsync(Env, [.. args, "--declaration", declaration]);

        Assert.NotEqual(ExitCodes.Success, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Verify_without_yes_starts_nothing()
    {
        var (declaration, ami) = await SeedAsync("vfd", "eu-west-2", Passing);
        var interceptor = new AwsInterceptor();

        var result = await CliRun.RunAsync(Env, ["release", "verify", "app", "--declaration", declaration, "--wide"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("would start vfd-release-verify", result.Out);
        Assert.Contains("Dry run: nothing was started", result.Out);
        Assert.Equal(0, interceptor.CountForwarded("StartExecution"));
        Assert.False((await TagsAsync(ami, "eu-west-2")).ContainsKey(AmiTagKeys.VerificationResult));
    }

    [Fact]
    public async Task Verify_says_so_when_the_state_machine_is_not_deployed()
    {
        var (declaration, _) = await SeedAsync("vfm", "eu-west-2", null);

        var result = await CliRun.RunAsync(Env, ["release", "verify", "app", "--yes", "--declaration", declaration]);

        Assert.Equal(ExitCodes.AwsError, result.ExitCode);
        Assert.Contains("the verification state machine vfm-release-verify does not exist in eu-west-2", result.Error);
    }

    [Fact]
    public async Task A_denied_start_stops_with_access_denied()
    {
        var (declaration, _) = await SeedAsync("vfa", "eu-west-2", Passing);
        var interceptor = new AwsInterceptor().AllowOnly(["ec2:DescribeImages", "ssm:GetParameter"]);

        var result = await CliRun.RunAsync(Env, ["release", "verify", "app", "--yes", "--declaration", declaration], interceptor);

        Assert.Equal(ExitCodes.AccessDenied, result.ExitCode);
        Assert.Contains("states:StartExecution", result.Error);
        Assert.Contains("starting vfa-release-verify in eu-west-2", result.Error);
    }

    [Fact]
    public async Task The_release_policy_is_enough_for_verify()
    {
        var (declaration, _) = await SeedAsync("vfq", "eu-central-1", Passing);
        var interceptor = new AwsInterceptor().AllowOnly(Path.Combine(CliRun.RepositoryRoot, "docs", "iam", "amiinfra-release.json"));

        var result = await CliRun.RunAsync(Env, ["release", "verify", "app", "--yes", "--declaration", declaration], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
    }
}
