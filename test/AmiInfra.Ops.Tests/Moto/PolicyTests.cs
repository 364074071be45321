using AmiInfra.Ops.Core;
using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class PolicyFixture : IAsyncLifetime
{
    public MotoAccount Account { get; } = new("200000000032");

    public string Declaration { get; private set; } = "";

    public string Governed { get; private set; } = "";

    public string InUse { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Declaration = Declarations.Write("pol", Account.AccountId, """{ "regions": ["us-east-1"] }""", """{ "deprecate": { "afterDays": 30 }, "delete": { "afterDays": 60 } }""", "app");
        Governed = Declarations.WriteWithGovernance("pol", Account.AccountId, """{ "imageBlockPublicAccess": true, "snapshotBlockPublicAccess": "block-all-sharing" }""");
        using var ec2 = Account.Ec2("us-east-1");
        InUse = await Seed.TaggedImageAsync(ec2, "pol", "app", "pol-app-in-use");
        await Seed.LaunchConfigurationAsync(Account, "us-east-1", "pol-lc", InUse, "pol-asg");
        // A launch template of another AMI: without DescribeImageReferences, its versions must be read to know it is not a user.
        await ec2.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest { LaunchTemplateName = "pol-other", LaunchTemplateData = new RequestLaunchTemplateData { ImageId = "ami-12c6146b" } });
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// The IAM policies of docs/iam, one per command group, enforced by the interceptor (every other action is refused
/// as AWS refuses it): each command runs with exactly its group's policy and reads everything it needs, and each
/// permission the deregister policy holds, taken away, makes the tool stop or refuse — never check less and delete.
/// DescribeImageReferences is emulated on moto's state, so the tool takes the path it takes on AWS.
/// </summary>
public sealed class PolicyTests(PolicyFixture fixture) : IClassFixture<PolicyFixture>
{
    private const string Region = "us-east-1";

    private Dictionary<string, string> Env => fixture.Account.Environment(Region);

    private static string PolicyFile(string name) => Path.Combine(CliRun.RepositoryRoot, "docs", "iam", $"amiinfra-{name}.json");

    private static List<string> Actions(string name) =>
        JsonNode.Parse(File.ReadAllText(PolicyFile(name)))!["Statement"]!.AsArray()
            .SelectMany(s => s!["Action"]!.AsArray().Select(a => a!.GetValue<string>()))
            .ToList();

    private static AwsInterceptor Enforcing(IEnumerable<string> actions) => new AwsInterceptor()
        .AllowOnly(actions)
        .EmulateImageReferences()
        .EmulateRecycleBin()
        .Respond("GetImageBlockPublicAccessState", "<imageBlockPublicAccessState>block-new-sharing</imageBlockPublicAccessState><managedBy>account</managedBy>")
        .Respond("GetSnapshotBlockPublicAccessState", "<state>block-all-sharing</state><managedBy>account</managedBy>");

    public static TheoryData<string> ReadOnlyCommands() => new()
    {
        "images --usage",
        "usage {in-use}",
        "audit",
        "guard",
        "lifecycle plan",
        "find --owner self",
        "billing {in-use}",
        "snapshots orphaned",
        "recycle-bin list",
        "workflow waiting",
    };

    [Theory]
    [MemberData(nameof(ReadOnlyCommands))]
    public async Task Every_read_only_command_reads_everything_with_the_read_only_policy(string command)
    {
        var args = command.Replace("{in-use}", fixture.InUse, StringComparison.Ordinal).Split(' ')
            .Concat(["--declaration", command == "guard" ? fixture.Governed : fixture.Declaration, "--output", "json"])
            .ToArray();
        var interceptor = Enforcing(Actions("read-only"));

        var result = await CliRun.RunAsync(Env, args, interceptor);

        Assert.True(result.ExitCode is ExitCodes.Success or ExitCodes.Violations, result.ToString());
        Assert.True(result.Json.GetProperty("complete").GetBoolean(), result.ToString());
        Assert.DoesNotContain(interceptor.Injected, c => c.Action is not ("DescribeImageReferences" or "GetImageBlockPublicAccessState" or "GetSnapshotBlockPublicAccessState" or "ListImagesInRecycleBin" or "ListSnapshotsInRecycleBin") && c.Service != "imagebuilder");
    }

    [Fact]
    public async Task Deregister_deregisters_an_unused_ami_and_deletes_its_snapshots_with_the_deregister_policy()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var (ami, snapshots) = await Seed.ImageFromInstanceAsync(ec2, "pol", "app", "pol-app-unused");

        var result = await CliRun.RunAsync(Env, ["deregister", ami, "--yes", "--declaration", fixture.Declaration, "--output", "json"], Enforcing(Actions("deregister")));

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.False(await Seed.ImageExistsAsync(ec2, ami));
        Assert.DoesNotContain(snapshots[0], await Seed.OwnedSnapshotsAsync(ec2, fixture.Account.AccountId));
    }

    [Fact]
    public async Task Lifecycle_apply_deprecates_and_deletes_with_the_lifecycle_policy()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var (old, _) = await Seed.ImageFromInstanceAsync(ec2, "pol", "app", "pol-app-old");
        var (older, _) = await Seed.ImageFromInstanceAsync(ec2, "pol", "app", "pol-app-older");
        var interceptor = Enforcing(Actions("lifecycle")).EmulateImageStates()
            .SetImageField(fixture.InUse, "creationDate", DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture))
            .SetImageField(old, "creationDate", DateTime.UtcNow.AddDays(-40).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture))
            .SetImageField(older, "creationDate", DateTime.UtcNow.AddDays(-70).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));

        var result = await CliRun.RunAsync(Env, ["lifecycle", "apply", "--yes", "--declaration", fixture.Declaration, "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains(interceptor.Injected, c => c.Action == "EnableImageDeprecation" && c.Parameters["ImageId"] == old);
        Assert.False(await Seed.ImageExistsAsync(ec2, older));
        Assert.True(await Seed.ImageExistsAsync(ec2, fixture.InUse));
    }

    /// <summary>
    /// Each action of the deregister policy taken away: the AMI a launch configuration uses is never deregistered. Where
    /// the action is part of the check of who uses AMIs, the tool stops before changing anything and names it (9); where
    /// it reads what the command acts on, the call fails and the tool stops (5); where the tool has another complete way
    /// (its own APIs instead of DescribeImageReferences), it still finds the user and refuses (12); a missing mutation
    /// fails that action only (11).
    /// </summary>
    [Theory]
    [InlineData("ec2:DescribeImages", ExitCodes.AccessDenied)]
    [InlineData("ec2:DescribeImageAttribute", ExitCodes.AccessDenied)]
    [InlineData("ec2:DescribeSnapshots", ExitCodes.AccessDenied)]
    [InlineData("ec2:DescribeImageReferences", ExitCodes.Refused)]
    [InlineData("ec2:DescribeInstances", ExitCodes.Incomplete)]
    [InlineData("ec2:DescribeLaunchTemplates", ExitCodes.Incomplete)]
    [InlineData("ec2:DescribeLaunchTemplateVersions", ExitCodes.Incomplete)]
    [InlineData("ssm:DescribeParameters", ExitCodes.Incomplete)]
    [InlineData("ssm:GetParameters", ExitCodes.Incomplete)]
    [InlineData("imagebuilder:ListImageRecipes", ExitCodes.Incomplete)]
    [InlineData("imagebuilder:ListContainerRecipes", ExitCodes.Incomplete)]
    [InlineData("imagebuilder:GetContainerRecipe", ExitCodes.Refused)]
    [InlineData("autoscaling:DescribeLaunchConfigurations", ExitCodes.Incomplete)]
    [InlineData("autoscaling:DescribeAutoScalingGroups", ExitCodes.Incomplete)]
    [InlineData("ec2:CreateTags", ExitCodes.PartialFailure)]
    [InlineData("ec2:DeregisterImage", ExitCodes.PartialFailure)]
    [InlineData("ec2:DeleteSnapshot", ExitCodes.PartialFailure)]
    public async Task Without_one_permission_deregister_stops_or_refuses_and_never_checks_less(string missing, int exitCode)
    {
        Assert.Contains(missing, Actions("deregister"));
        using var ec2 = fixture.Account.Ec2(Region);
        var (unused, snapshots) = await Seed.ImageFromInstanceAsync(ec2, "pol", "app", $"pol-app-{missing.Replace(':', '-')}");

        var result = await CliRun.RunAsync(Env, ["deregister", fixture.InUse, unused, "--yes", "--declaration", fixture.Declaration, "--wide"], Enforcing(Actions("deregister").Where(a => a != missing)));

        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.True(await Seed.ImageExistsAsync(ec2, fixture.InUse));
        switch (exitCode)
        {
            case ExitCodes.Incomplete:
                Assert.StartsWith("amiinfra: nothing was changed: the check of who uses the AMIs could not run completely", result.Error.Trim());
                Assert.Contains(missing, result.Error);
                Assert.True(await Seed.ImageExistsAsync(ec2, unused));
                break;
            case ExitCodes.AccessDenied:
                Assert.Contains(missing, result.Error);
                Assert.True(await Seed.ImageExistsAsync(ec2, unused));
                break;
            case ExitCodes.Refused:
                Assert.Contains($"refused: in use by 1 launch configuration(s) (pol-lc (Auto Scaling group pol-asg))", result.Out);
                Assert.False(await Seed.ImageExistsAsync(ec2, unused));
                break;
            default:
                Assert.Contains($"refused: in use by 1 launch configuration(s)", result.Out);
                Assert.Contains("failed:", result.Out);
                Assert.Equal(missing == "ec2:DeleteSnapshot", !await Seed.ImageExistsAsync(ec2, unused));
                Assert.Contains(snapshots[0], await Seed.OwnedSnapshotsAsync(ec2, fixture.Account.AccountId));
                break;
        }
    }

    [Fact]
    public async Task The_policies_grant_every_action_the_tool_calls_and_nothing_it_does_not()
    {
        var readOnly = Actions("read-only");
        var deregister = Actions("deregister");
        var lifecycle = Actions("lifecycle");

        Assert.Equal(readOnly.Count, readOnly.Distinct().Count());
        Assert.All(readOnly, a => Assert.Contains(a, deregister));
        Assert.All(deregister, a => Assert.Contains(a, lifecycle));
        Assert.Equal(["ec2:CreateTags", "ec2:DeleteSnapshot", "ec2:DeregisterImage"], deregister.Except(readOnly).Order());
        Assert.Equal(["ec2:DisableImage", "ec2:EnableImage", "ec2:EnableImageDeprecation", "ec2:RestoreImageFromRecycleBin", "ec2:RestoreSnapshotFromRecycleBin"], lifecycle.Except(deregister).Order());
        Assert.DoesNotContain(lifecycle, a => a.Contains('*', StringComparison.Ordinal));
        var workflow = Actions("workflow");
        Assert.All(readOnly, a => Assert.Contains(a, workflow));
        Assert.Equal(["imagebuilder:SendWorkflowStepAction"], workflow.Except(readOnly));
    }

    [Fact]
    public async Task Workflow_resume_works_with_the_workflow_policy_and_not_with_the_read_only_one()
    {
        const string image = "arn:aws:imagebuilder:us-east-1:200000000032:image/pol-app/1.0.0/1";
        var allowed = Enforcing(Actions("workflow")).AddWaitingStep(Region, "wf-step-1aa", image, "Approve");
        var denied = Enforcing(Actions("read-only")).AddWaitingStep(Region, "wf-step-1bb", image, "Approve");

        var resumed = await CliRun.RunAsync(Env, ["workflow", "resume", "wf-step-1aa", "--reason", "ok", "--yes", "--declaration", fixture.Declaration], allowed);
        var refused = await CliRun.RunAsync(Env, ["workflow", "resume", "wf-step-1bb", "--reason", "ok", "--yes", "--declaration", fixture.Declaration], denied);

        Assert.True(resumed.ExitCode == ExitCodes.Success, resumed.ToString());
        Assert.Equal("COMPLETED", allowed.StepState("wf-step-1aa").Status);
        Assert.Equal(ExitCodes.AccessDenied, refused.ExitCode);
        Assert.Contains("imagebuilder:SendWorkflowStepAction", refused.Error);
        Assert.Equal("RUNNING", denied.StepState("wf-step-1bb").Status);
    }
}
