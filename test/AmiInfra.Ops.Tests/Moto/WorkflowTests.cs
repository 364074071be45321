using AmiInfra.Ops.Core;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class WorkflowFixture
{
    public MotoAccount Account { get; } = new("200000000043");

    public string Declaration { get; } = Declarations.Write("wfl", "200000000043", """{ "regions": ["us-east-1"] }""", null, "app");
}

/// <summary>Workflow steps that wait for an action (Image Builder's API, which moto lacks, answered by the interceptor).</summary>
public sealed class WorkflowTests(WorkflowFixture fixture) : IClassFixture<WorkflowFixture>
{
    private const string Ours = "arn:aws:imagebuilder:us-east-1:200000000043:image/wfl-app/1.0.3/2";
    private const string Theirs = "arn:aws:imagebuilder:us-east-1:200000000043:image/other-web/2.0.0/1";

    private Dictionary<string, string> Env => fixture.Account.Environment("us-east-1");

    [Fact]
    public async Task Waiting_lists_the_factorys_waiting_steps_and_counts_the_others()
    {
        var interceptor = new AwsInterceptor().AddWaitingStep("us-east-1", "wf-step-0aa", Ours, "ApproveDistribution").AddWaitingStep("us-east-1", "wf-step-0bb", Theirs, "Approve");

        var table = await CliRun.RunAsync(Env, ["workflow", "waiting", "--declaration", fixture.Declaration], interceptor);
        var all = await CliRun.RunAsync(Env, ["workflow", "waiting", "--declaration", fixture.Declaration, "--all", "--output", "json"], interceptor);

        Assert.True(table.ExitCode == ExitCodes.Success, table.ToString());
        Assert.Matches("wf-step-0aa +wfl-app/1\\.0\\.3/2 ", table.Out);
        Assert.DoesNotContain("wf-step-0bb", table.Out);
        Assert.Contains("1 other waiting step(s) in us-east-1 belong to images that are not the factory's (--all shows them).", table.Out);
        Assert.Equal(2, all.Json.GetProperty("steps").GetArrayLength());
    }

    [Fact]
    public async Task Resume_is_a_dry_run_without_yes_then_resumes_with_the_reason_and_a_rerun_counts_as_done()
    {
        var interceptor = new AwsInterceptor().AddWaitingStep("us-east-1", "wf-step-0cc", Ours, "ApproveDistribution");

        var dry = await CliRun.RunAsync(Env, ["workflow", "resume", "wf-step-0cc", "--reason", "CHG-1 approved", "--declaration", fixture.Declaration, "--wide"], interceptor);
        Assert.Equal("RUNNING", interceptor.StepState("wf-step-0cc").Status);
        var done = await CliRun.RunAsync(Env, ["workflow", "resume", "wf-step-0cc", "--reason", "CHG-1 approved", "--yes", "--declaration", fixture.Declaration, "--wide"], interceptor);
        var again = await CliRun.RunAsync(Env, ["workflow", "resume", "wf-step-0cc", "--reason", "CHG-1 approved", "--yes", "--declaration", fixture.Declaration, "--wide"], interceptor);

        Assert.True(dry.ExitCode == ExitCodes.Success, dry.ToString());
        Assert.Contains("would resume step 'ApproveDistribution' (reason: CHG-1 approved)", dry.Out);
        Assert.Contains("Dry run: nothing was changed.", dry.Out);
        Assert.True(done.ExitCode == ExitCodes.Success, done.ToString());
        Assert.Contains("resumed step 'ApproveDistribution' (reason: CHG-1 approved)", done.Out);
        var (status, reason, token) = interceptor.StepState("wf-step-0cc");
        Assert.Equal(("COMPLETED", "CHG-1 approved"), (status, reason));
        Assert.Matches("^[0-9a-f]{32}$", token);
        Assert.True(again.ExitCode == ExitCodes.Success, again.ToString());
        Assert.Contains("already resumed: the step is COMPLETED", again.Out);
    }

    [Fact]
    public async Task Stop_fails_the_step_and_a_step_of_another_factory_is_refused_without_force()
    {
        var interceptor = new AwsInterceptor().AddWaitingStep("us-east-1", "wf-step-0dd", Ours, "ApproveDistribution").AddWaitingStep("us-east-1", "wf-step-0ee", Theirs, "Approve");

        var stopped = await CliRun.RunAsync(Env, ["workflow", "stop", "wf-step-0dd", "--reason", "CVE found in test", "--yes", "--declaration", fixture.Declaration], interceptor);
        var refused = await CliRun.RunAsync(Env, ["workflow", "resume", "wf-step-0ee", "--reason", "ok", "--yes", "--declaration", fixture.Declaration, "--wide"], interceptor);

        Assert.True(stopped.ExitCode == ExitCodes.Success, stopped.ToString());
        Assert.Equal("FAILED", interceptor.StepState("wf-step-0dd").Status);
        Assert.True(refused.ExitCode == ExitCodes.Refused, refused.ToString());
        Assert.Equal("RUNNING", interceptor.StepState("wf-step-0ee").Status);
        Assert.Contains("is not the factory 'wfl''s; pass --force REASON to resume it anyway", refused.Out);
    }

    [Fact]
    public async Task An_unknown_step_and_a_step_that_no_longer_waits_are_errors()
    {
        var interceptor = new AwsInterceptor().AddWaitingStep("us-east-1", "wf-step-0ff", Ours, "ApproveDistribution");
        await CliRun.RunAsync(Env, ["workflow", "stop", "wf-step-0ff", "--reason", "no", "--yes", "--declaration", fixture.Declaration], interceptor);

        var unknown = await CliRun.RunAsync(Env, ["workflow", "resume", "wf-step-0zz", "--reason", "ok", "--declaration", fixture.Declaration], interceptor);
        var stopped = await CliRun.RunAsync(Env, ["workflow", "resume", "wf-step-0ff", "--reason", "ok", "--yes", "--declaration", fixture.Declaration], interceptor);

        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.StartsWith("amiinfra: workflow step wf-step-0zz does not exist in us-east-1 (ResourceNotFoundException)", unknown.Error.Trim());
        Assert.Equal(ExitCodes.AwsError, stopped.ExitCode);
        Assert.Equal("amiinfra: workflow step wf-step-0ff (ApproveDistribution, WaitForAction) does not wait for an action: its status is FAILED", stopped.Error.Trim());
    }
}
