using System.CommandLine;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Deregistration;
using AmiInfra.Ops.Inventory;
using AmiInfra.Ops.Lifecycle;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra lifecycle plan|apply</c>: what the retirement rules do now, and doing it.</summary>
public static class LifecycleCommand
{
    /// <summary>Creates the <c>lifecycle</c> command and its <c>plan</c> and <c>apply</c> subcommands.</summary>
    public static Command Create(CommandRunner runner)
    {
        var plan = new Command("plan", "Preview the declared retirement rules against the AMIs that exist: which AMIs would be deprecated, disabled, enabled again or deleted now, which exclusion keeps which AMI, and which action a guard stands against (in use, public, shared). Changes nothing.");
        runner.Define(
            plan,
            ["amiinfra lifecycle plan", "amiinfra lifecycle plan --output json | jq '.decisions[] | select(.action == \"delete\")'"],
            async (context, _, cancellationToken) =>
            {
                var (_, decisions, source) = await PlanAsync(context, cancellationToken).ConfigureAwait(false);
                return context.Write(new LifecyclePlanReport(decisions, context.Now, source));
            });

        var yes = new Option<bool>("--yes") { Description = "Do it. Without --yes the command only shows what it would do." };
        var force = new Option<string?>("--force") { Description = "Also carry out the guarded actions (AMIs in use, public or shared); the value says why.", HelpName = "REASON" };
        var apply = new Command("apply", $"Carry out the plan: deprecate, disable, enable again, deregister (and delete snapshots when the rules say so). Dry run unless --yes. A guarded action is refused (exit code {ExitCodes.Refused}) unless --force REASON. A rerun does nothing more than what is left to do.")
        {
            yes, force,
        };
        runner.Define(
            apply,
            ["amiinfra lifecycle apply", "amiinfra lifecycle apply --yes", "amiinfra lifecycle apply --regions eu-west-1 --yes --force 'consumers moved to the new AMI'"],
            async (context, parseResult, cancellationToken) =>
            {
                var reason = parseResult.GetValue(force);
                if (reason is not null && string.IsNullOrWhiteSpace(reason))
                {
                    throw new OpsException(ExitCodes.Usage, "option --force: got an empty reason; expected the reason, e.g. --force 'consumers moved to the new AMI'");
                }

                var (factory, decisions, source) = await PlanAsync(context, cancellationToken).ConfigureAwait(false);
                var account = await context.AccountAsync(factory.Region, factory, cancellationToken).ConfigureAwait(false);
                var dryRun = !parseResult.GetValue(yes);
                var rows = await LifecycleApplier.ApplyAsync(context.Aws, factory, account, decisions, dryRun, reason, context.Now, context.Progress, cancellationToken).ConfigureAwait(false);
                var report = new ActionReport(string.Join(",", context.FactoryRegions(factory)), rows, dryRun, source);
                return context.Write(report, report.ExitCode);
            });

        var lifecycle = new Command("lifecycle", "AMI retirement (deprecate, disable, delete) as the declaration describes it.");
        lifecycle.Subcommands.Add(plan);
        lifecycle.Subcommands.Add(apply);
        lifecycle.Subcommands.Add(LifecycleForecastCommand.Create(runner));
        return lifecycle;
    }

    private static async Task<(Declaration.Factory Factory, IReadOnlyList<LifecycleDecision> Decisions, string Source)> PlanAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var factory = context.LoadFactory();
        var amis = await FactoryInventory.LoadAsync(context, factory, context.FactoryRegions(factory), cancellationToken).ConfigureAwait(false);
        var decisions = LifecyclePlanner.Plan(factory, amis, context.Now);
        var guarded = decisions.Where(d => d.Pending && d.Action is RetirementAction.Disable or RetirementAction.Delete).Select(d => d.Ami).ToList();
        var (usage, source) = await FactoryInventory.UsageAsync(context, guarded, cancellationToken).ConfigureAwait(false);
        return (factory, LifecyclePlanner.Guard(decisions, usage), source);
    }
}
