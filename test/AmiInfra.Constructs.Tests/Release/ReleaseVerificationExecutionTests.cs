using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmiInfra.Constructs.Release;
using AmiInfra.Rules;

namespace AmiInfra.Constructs.Tests.Release;

/// <summary>
/// The release verification's definition, exactly as <see cref="ReleaseDefinition"/> renders it, executed by moto's Step
/// Functions interpreter against moto's EC2, SSM and IAM (release_verification_driver.py says what is emulated). The
/// scenarios run once: a copy that passes, a copy whose launch fails, a copy whose agent never comes online (the
/// timeout), a copy whose smoke test fails, and an AMI of another factory.
/// </summary>
public sealed class ReleaseVerificationScenario
{
    public const string Account = "123456789012";
    public const string Region = "us-east-1";
    public const string Factory = "golden";
    public const string Parameter = "/imagebuilder/golden/al2023/latest";
    public const string TemplatePlaceholder = "lt-0123456789abcdef0";
    public const string Consumer = "444455556666";
    public const string ConsumerTemplatePlaceholder = "lt-0fedcba9876543210";

    public static ReleaseVerificationProps Props { get; } = new()
    {
        FactoryName = Factory,
        PollSeconds = 1,
        Images =
        [
            new ReleaseImage
            {
                ImageName = "al2023",
                InstanceType = "t3.micro",
                Commands = ["systemctl is-active amazon-ssm-agent", "test -f /etc/os-release"],
                SsmParameterName = Parameter,
                LaunchTemplates = [new ReleaseLaunchTemplate { LaunchTemplateId = TemplatePlaceholder }, new ReleaseLaunchTemplate { LaunchTemplateId = ConsumerTemplatePlaceholder, AccountId = Consumer }],
                LaunchPermissions = new ReleaseLaunchPermissions { Accounts = [Consumer] },
            },
            new ReleaseImage { ImageName = "broken", InstanceType = "t3.micro", SubnetId = "subnet-00000000000000000", SsmParameterName = "/imagebuilder/golden/broken/latest" },
            new ReleaseImage { ImageName = "slow", InstanceType = "t3.micro", OnFailure = "disable", SsmParameterName = "/imagebuilder/golden/slow/latest" },
            new ReleaseImage { ImageName = "flaky", InstanceType = "t3.micro", Commands = ["exit 3"], LaunchPermissions = new ReleaseLaunchPermissions { Accounts = [Consumer] } },
        ],
    };

    public ReleaseVerificationScenario()
    {
        var definition = ReleaseDefinition.Render(Props, Account, "aws", Region, $"arn:aws:iam::{Account}:role/{Releases.StateMachineRoleName(Factory, Region)}");
        var request = new JsonObject
        {
            ["definition"] = definition,
            ["account"] = Account,
            ["region"] = Region,
            ["factory"] = Factory,
            ["parameter"] = Parameter,
            ["maxPolls"] = 4,
            ["launchTemplates"] = new JsonArray(TemplatePlaceholder, ConsumerTemplatePlaceholder),
            ["failurePattern"] = JsonNode.Parse(JsonSerializer.Serialize(ReleaseVerification.FailurePattern(Factory))),
            ["agentNeverOnline"] = new JsonArray("slow"),
            ["commandFails"] = new JsonArray("flaky"),
            ["scenarios"] = new JsonArray(
                Scenario("passes", "al2023"),
                Scenario("launch-fails", "broken"),
                Scenario("times-out", "slow"),
                Scenario("smoke-test-fails", "flaky"),
                new JsonObject { ["name"] = "not-ours", ["tags"] = new JsonObject { [AmiTagKeys.Factory] = "other", [AmiTagKeys.Image] = "al2023" } }),
        };
        var start = new ProcessStartInfo("python3", [Path.Combine(AppContext.BaseDirectory, "Release", "release_verification_driver.py")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The request stays in the temporary folder, to rerun the driver by hand: python3 release_verification_driver.py < FILE.
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "amiinfra-release-request.json"), request.ToJsonString());
        using var process = Process.Start(start)!;
        process.StandardInput.Write(request.ToJsonString());
        process.StandardInput.Close();
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the driver failed ({process.ExitCode}): {errors.Result}");
        }

        var document = JsonNode.Parse(output)!;
        Results = document["results"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!, StringComparer.Ordinal);
        Emulated = document["emulated"]!;
    }

    public IReadOnlyDictionary<string, JsonNode> Results { get; }

    public JsonNode Emulated { get; }

    private static JsonObject Scenario(string name, string image) => new()
    {
        ["name"] = name,
        ["tags"] = new JsonObject { [AmiTagKeys.Factory] = Factory, [AmiTagKeys.Image] = image },
    };
}

public sealed class ReleaseVerificationExecutionTests(ReleaseVerificationScenario scenario) : IClassFixture<ReleaseVerificationScenario>
{
    private JsonNode Run(string name) => scenario.Results[name];

    private static string? Tag(JsonNode run, string key) => run["tags"]![key]?.GetValue<string>();

    private static List<string> States(JsonNode run) => run["states"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();

    [Fact]
    public void A_copy_that_passes_is_launched_as_declared_terminated_tagged_and_promoted()
    {
        var run = Run("passes");
        Assert.Equal("SUCCEEDED", run["status"]!.GetValue<string>());
        var instance = Assert.Single(run["instances"]!.AsArray())!;
        Assert.Equal("terminated", instance["state"]!.GetValue<string>());
        Assert.Equal("t3.micro", instance["type"]!.GetValue<string>());
        Assert.Equal("required", instance["httpTokens"]!.GetValue<string>());
        Assert.Equal(run["execution"]!.GetValue<string>(), instance["tags"]![AmiTagKeys.VerificationExecution]!.GetValue<string>());

        // Launched with the consumer launch template of its account (EC2 tags what it launches from a template).
        Assert.NotNull(instance["tags"]!["aws:ec2launchtemplate:id"]);
        Assert.Contains(States(run), s => s.StartsWith("Launch al2023 with lt-", StringComparison.Ordinal));

        Assert.Equal(AmiTagKeys.VerificationPassed, Tag(run, AmiTagKeys.VerificationResult));
        Assert.Equal(run["execution"]!.GetValue<string>(), Tag(run, AmiTagKeys.VerificationExecution));
        // $$.State.EnteredTime: Step Functions writes ...Z; moto writes the same instant as ...+00:00.
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|\+00:00)$", Tag(run, AmiTagKeys.VerifiedAt));
        Assert.Null(Tag(run, AmiTagKeys.VerificationReason));

        Assert.Equal(run["amiId"]!.GetValue<string>(), run["parameter"]!["value"]!.GetValue<string>());
        Assert.Equal("aws:ec2:image", run["parameter"]!["dataType"]!.GetValue<string>());
        // Both launch templates name it: the factory account's, and the consumer's (through the target role of its
        // account: moto does not check the credentials, so this runs the path, not the role).
        Assert.All(run["templates"]!.AsArray(), t => Assert.Equal(run["amiId"]!.GetValue<string>(), t!.GetValue<string>()));
        Assert.Equal(2, run["templates"]!.AsArray().Count);
        Assert.Contains("ConsumerAccount", States(run));

        // Shared with its consumers only now, after the tags and before the latest parameter names it.
        Assert.Equal(ReleaseVerificationScenario.Consumer, Assert.Single(run["launchPermissions"]!.AsArray())!["UserId"]!.GetValue<string>());

        // The smoke test ran the declared commands with the Linux document, the agent was asked for, and terminate came before the tags.
        var command = run["commands"]!.AsArray().Select(c => c!).Single(c => c["parameters"]!["commands"]!.AsArray().Count == 2);
        Assert.Equal("AWS-RunShellScript", command["document"]!.GetValue<string>());
        var states = States(run);
        Assert.True(states.IndexOf("Passed") < states.IndexOf("RecordPass"));
        Assert.True(states.IndexOf("RecordPass") < states.IndexOf("Share") && states.IndexOf("Share") < states.IndexOf("Promote"));
        Assert.Contains("CheckAgent", states);
        Assert.DoesNotContain("Cleanup", states);
        Assert.Empty(run["failureEvents"]!.AsArray());
    }

    [Fact]
    public void A_copy_whose_launch_fails_is_tagged_failed_deprecated_and_not_promoted()
    {
        var run = Run("launch-fails");
        Assert.Equal("FAILED", run["status"]!.GetValue<string>());
        Assert.Equal("AmiInfra.VerificationFailed", run["error"]!.GetValue<string>());
        Assert.Empty(run["instances"]!.AsArray());
        Assert.Equal(AmiTagKeys.VerificationFailed, Tag(run, AmiTagKeys.VerificationResult));
        Assert.StartsWith("launch failed: ", Tag(run, AmiTagKeys.VerificationReason), StringComparison.Ordinal);
        Assert.True(scenario.Emulated["deprecated"]![run["amiId"]!.GetValue<string>()] is not null);
        Assert.NotEqual(run["amiId"]!.GetValue<string>(), run["parameter"]?["value"]?.GetValue<string>());

        // The failure is an event on the default bus, naming what the build topic's message needs.
        var failure = Assert.Single(run["failureEvents"]!.AsArray())!;
        Assert.Equal(Releases.EventSource, failure["source"]!.GetValue<string>());
        Assert.Equal(Releases.FailedDetailType, failure["detailType"]!.GetValue<string>());
        var detail = failure["detail"]!;
        Assert.Equal(run["amiId"]!.GetValue<string>(), detail["amiId"]!.GetValue<string>());
        Assert.Equal(ReleaseVerificationScenario.Account, detail["account"]!.GetValue<string>());
        Assert.Equal(ReleaseVerificationScenario.Region, detail["region"]!.GetValue<string>());
        Assert.Equal("broken", detail["image"]!.GetValue<string>());
        Assert.Equal(ReleaseVerificationScenario.Factory, detail["factory"]!.GetValue<string>());
        Assert.Equal(Tag(run, AmiTagKeys.VerificationReason), detail["reason"]!.GetValue<string>());
        Assert.Equal(run["execution"]!.GetValue<string>(), detail["execution"]!.GetValue<string>());
    }

    [Fact]
    public void A_copy_whose_agent_never_comes_online_times_out_is_terminated_and_disabled()
    {
        var run = Run("times-out");
        Assert.Equal("FAILED", run["status"]!.GetValue<string>());
        var instance = Assert.Single(run["instances"]!.AsArray())!;
        Assert.Equal("terminated", instance["state"]!.GetValue<string>());
        Assert.Equal(AmiTagKeys.VerificationFailed, Tag(run, AmiTagKeys.VerificationResult));
        Assert.Contains("States.Timeout", Tag(run, AmiTagKeys.VerificationReason), StringComparison.Ordinal);
        Assert.Contains(run["amiId"]!.GetValue<string>(), scenario.Emulated["disabled"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains("AgentTimedOut", States(run));
        Assert.Contains("States.Timeout", Assert.Single(run["failureEvents"]!.AsArray())!["detail"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_copy_whose_smoke_test_fails_is_terminated_and_says_why()
    {
        var run = Run("smoke-test-fails");
        Assert.Equal("FAILED", run["status"]!.GetValue<string>());
        Assert.Equal("terminated", Assert.Single(run["instances"]!.AsArray())!["state"]!.GetValue<string>());
        Assert.Equal("smoke test Failed (exit code 3)", Tag(run, AmiTagKeys.VerificationReason));

        // Its image names consumers: a copy that failed is never shared with them.
        Assert.Empty(run["launchPermissions"]!.AsArray());
        Assert.DoesNotContain("Share", States(run));
    }

    [Fact]
    public void An_ami_of_another_factory_is_left_alone()
    {
        var run = Run("not-ours");
        Assert.Equal("SUCCEEDED", run["status"]!.GetValue<string>());
        Assert.Empty(run["instances"]!.AsArray());
        Assert.Null(Tag(run, AmiTagKeys.VerificationResult));
        Assert.Contains("NotTheFactorys", States(run));
        Assert.Empty(run["failureEvents"]!.AsArray());
    }
}
