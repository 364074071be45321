using System.CommandLine;
using Amazon.Runtime;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Core;
using AmiInfra.Ops.Deregistration;
using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Commands;

/// <summary>
/// <c>amiinfra workflow waiting|resume|stop</c>: the Image Builder workflow steps that wait for an action (a
/// WaitForAction step, such as a manual approval before distribution), and the action itself.
/// </summary>
public static class WorkflowCommand
{
    /// <summary>Creates the <c>workflow</c> command and its subcommands.</summary>
    public static Command Create(CommandRunner runner)
    {
        var all = new Option<bool>("--all") { Description = "Every waiting step of the account in the region, not only those of the factory's images." };
        var waiting = new Command("waiting", "List the workflow steps of the factory's images that wait for an action (ListWaitingWorkflowSteps) in one region (default: the declaration's home region, where the images are built): the step execution id to resume or stop, the image, the workflow, the step and since when it waits. A step waits up to its timeout (3 days by default, 7 at most), then the workflow fails.")
        {
            all,
        };
        runner.Define(
            waiting,
            ["amiinfra workflow waiting", "amiinfra workflow waiting --all --output json"],
            async (context, parseResult, cancellationToken) =>
            {
                var (factory, region) = await StartAsync(context, cancellationToken).ConfigureAwait(false);
                var steps = await ImageBuilderCalls.WaitingStepsAsync(context.Aws.Signed, region, cancellationToken).ConfigureAwait(false);
                var shown = parseResult.GetValue(all) || factory is null ? steps : steps.Where(s => IsTheFactorys(s.ImageBuildVersionArn, factory.Name)).ToList();
                return context.Write(new WaitingStepsReport(region, shown, steps.Count - shown.Count, context.Now));
            });

        var workflow = new Command("workflow", "Image Builder workflow steps that wait for an action: list them, resume or stop them.");
        workflow.Subcommands.Add(waiting);
        workflow.Subcommands.Add(Act(runner, "resume", "RESUME", "COMPLETED", "Resume a workflow step that waits for an action (SendWorkflowStepAction RESUME): the workflow goes on, e.g. distributes an approved image. Dry run unless --yes."));
        workflow.Subcommands.Add(Act(runner, "stop", "STOP", "FAILED", "Stop a workflow step that waits for an action (SendWorkflowStepAction STOP): the step fails, and its onFailure says whether the workflow ends. Dry run unless --yes."));
        return workflow;
    }

    private static Command Act(CommandRunner runner, string name, string action, string doneStatus, string description)
    {
        var step = new Argument<string>("step-execution-id") { Description = "The waiting step's execution id (wf-step-..., from 'amiinfra workflow waiting' or the \"EC2 Image Builder Workflow Step Waiting\" event)." };
        var reason = new Option<string>("--reason") { Description = "Why (stored with the step; later steps can read it). Required.", HelpName = "REASON", Required = true };
        var yes = new Option<bool>("--yes") { Description = "Do it. Without --yes the command only shows what it would do." };
        var force = new Option<string?>("--force") { Description = "Act on a step of an image that is not the factory's; the value says why.", HelpName = "REASON" };
        var command = new Command(name, $"{description} Refuses (exit code {ExitCodes.Refused}) a step of an image that is not the factory's, unless --force REASON. A step already {doneStatus.ToLowerInvariant()} counts as done; one that no longer waits otherwise is an error.")
        {
            step, reason, yes, force,
        };
        return runner.Define(
            command,
            [$"amiinfra workflow {name} wf-step-0123456789abcdef0 --reason 'change CHG-1234 approved'", $"amiinfra workflow {name} wf-step-0123456789abcdef0 --reason 'change CHG-1234 approved' --yes"],
            async (context, parseResult, cancellationToken) =>
            {
                var id = parseResult.GetValue(step)!;
                var why = parseResult.GetValue(reason)!;
                var forced = parseResult.GetValue(force);
                if (string.IsNullOrWhiteSpace(why) || forced is not null && string.IsNullOrWhiteSpace(forced))
                {
                    throw new OpsException(ExitCodes.Usage, $"option {(string.IsNullOrWhiteSpace(why) ? "--reason" : "--force")}: got an empty reason; expected the reason, e.g. 'change CHG-1234 approved'");
                }

                var (factory, region) = await StartAsync(context, cancellationToken).ConfigureAwait(false);
                StepExecution execution;
                try
                {
                    execution = await ImageBuilderCalls.StepExecutionAsync(context.Aws.Signed, region, id, cancellationToken).ConfigureAwait(false);
                }
                catch (AmazonServiceException e) when (ImageBuilderCalls.IsNotFound(e) || e.ErrorCode is "InvalidParameterValueException" or "InvalidRequestException")
                {
                    throw new OpsException(ExitCodes.NotFound, $"workflow step {id} does not exist in {region} ({e.ErrorCode}): 'amiinfra workflow waiting --region {region}' lists the waiting ones");
                }

                var image = ShortImage(execution.ImageBuildVersionArn);
                ActionRow row;
                if (factory is not null && !IsTheFactorys(execution.ImageBuildVersionArn, factory.Name) && forced is null)
                {
                    row = new ActionRow("workflow-step", id, image, $"refused: the image {execution.ImageBuildVersionArn} is not the factory '{factory.Name}''s; pass --force REASON to {name} it anyway", Refused: true);
                }
                else if (execution.Status == doneStatus)
                {
                    row = new ActionRow("workflow-step", id, image, $"already {(action == "RESUME" ? "resumed" : "stopped")}: the step is {execution.Status}");
                }
                else
                {
                    var waitingNow = await ImageBuilderCalls.WaitingStepsAsync(context.Aws.Signed, region, cancellationToken).ConfigureAwait(false);
                    if (!waitingNow.Any(w => w.StepExecutionId == id))
                    {
                        throw new OpsException(ExitCodes.AwsError, $"workflow step {id} ({execution.Name ?? "?"}, {execution.Action ?? "?"}) does not wait for an action: its status is {execution.Status}{(execution.Message is { Length: > 0 } m ? $" ({AwsErrors.OneLine(m)})" : "")}");
                    }

                    var dryRun = !parseResult.GetValue(yes);
                    var suffix = forced is null ? "" : $" (--force: {forced})";
                    if (dryRun)
                    {
                        row = new ActionRow("workflow-step", id, image, $"would {name} step '{execution.Name}' (reason: {why}){suffix}");
                    }
                    else
                    {
                        await ImageBuilderCalls.SendStepActionAsync(context.Aws.Signed, region, execution, action, why, cancellationToken).ConfigureAwait(false);
                        row = new ActionRow("workflow-step", id, image, $"{(action == "RESUME" ? "resumed" : "stopped")} step '{execution.Name}' (reason: {why}){suffix}");
                    }

                    var report = new ActionReport(region, [row], dryRun, subject: "IMAGE");
                    return context.Write(report, report.ExitCode);
                }

                var done = new ActionReport(region, [row], dryRun: false, subject: "IMAGE");
                return context.Write(done, done.ExitCode);
            });
    }

    /// <summary>The declaration (when there is one), the region (--region, else the declaration's home region), and the account checked.</summary>
    private static async Task<(Declaration.Factory? Factory, string Region)> StartAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var factory = context.FactoryIfPresent();
        var region = context.RegionsGiven || factory is null ? context.SingleRegion() : factory.Region;
        await context.AccountAsync(region, factory, cancellationToken).ConfigureAwait(false);
        return (factory, region);
    }

    /// <summary>
    /// Whether an image build version belongs to the factory: its recipe is named &lt;factory&gt;-&lt;image&gt;, and the image
    /// ARN carries the recipe's name in lower case (arn:...:image/&lt;name&gt;/&lt;version&gt;/&lt;build&gt;).
    /// </summary>
    public static bool IsTheFactorys(string imageBuildVersionArn, string factoryName) =>
        imageBuildVersionArn.Contains($":image/{factoryName.ToLowerInvariant()}-", StringComparison.Ordinal);

    /// <summary>An image build version ARN as name/version/build.</summary>
    public static string ShortImage(string imageBuildVersionArn) =>
        imageBuildVersionArn.Contains(":image/", StringComparison.Ordinal) ? imageBuildVersionArn[(imageBuildVersionArn.IndexOf(":image/", StringComparison.Ordinal) + 7)..] : imageBuildVersionArn;
}

/// <summary>The report of <c>workflow waiting</c>.</summary>
public sealed class WaitingStepsReport(string region, IReadOnlyList<WaitingStep> steps, int otherImages, DateTimeOffset now) : IReport
{
    /// <inheritdoc />
    public object JsonDocument => new
    {
        region,
        otherImages,
        steps = steps.Select(s => new { stepExecutionId = s.StepExecutionId, imageBuildVersionArn = s.ImageBuildVersionArn, workflowBuildVersionArn = s.WorkflowBuildVersionArn, name = s.Name, action = s.Action, since = s.Since }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var table = new Table("STEP EXECUTION", "IMAGE", "WORKFLOW", "STEP", "WAITING SINCE").KeepWhole("STEP EXECUTION", "WAITING SINCE");
        foreach (var s in steps)
        {
            var since = s.Since is { } t ? $"{Formats.Time(t)} ({Formats.Days((int)Math.Floor((now - t).TotalDays))})" : null;
            table.Add(s.StepExecutionId, WorkflowCommand.ShortImage(s.ImageBuildVersionArn), s.WorkflowBuildVersionArn is { } w ? WorkflowCommand.ShortImage(w.Replace(":workflow/", ":image/", StringComparison.Ordinal)) : null, s.Name, since);
        }

        table.Write(output, $"No workflow step of the factory's images waits for an action in {region}.");
        if (otherImages > 0)
        {
            output.Note($"{Formats.Number(otherImages)} other waiting step(s) in {region} belong to images that are not the factory's (--all shows them).");
        }

        if (steps.Count > 0)
        {
            output.Note("Resume one with 'amiinfra workflow resume STEP --reason REASON --yes', or stop it with 'amiinfra workflow stop'.");
        }
    }
}
