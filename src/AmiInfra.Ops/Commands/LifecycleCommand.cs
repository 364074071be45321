using AmiInfra.Ops.Core;
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
                var (_, decisions, lookup) = await PlanAsync(context, readOnly: true, cancellationToken).ConfigureAwait(false);
                context.NoteUsage(lookup);
                return context.Write(new LifecyclePlanReport(decisions, context.Now, lookup.Source));
            });

        var yes = new Option<bool>("--yes") { Description = "Do it. Without --yes the command only shows what it would do." };
        var force = new Option<string?>("--force") { Description = "Also carry out the guarded actions (AMIs in use, public or shared); the value says why.", HelpName = "REASON" };
        var usageCheck = Usage.UsageCheckOption.Create();
        var apply = new Command("apply", $"Carry out the plan: deprecate, disable, enable again, deregister (and delete snapshots when the rules say so). Dry run unless --yes. A guarded action is refused (exit code {ExitCodes.Refused}) unless --force REASON. Stops and changes nothing (exit code {ExitCodes.Incomplete}) when a kind of AMI user cannot be looked for, unless --usage-check partial, or when a declared region cannot be read. A rerun does nothing more than what is left to do.")
        {
            yes, force, usageCheck,
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

                var (factory, decisions, lookup) = await PlanAsync(context, readOnly: false, cancellationToken).ConfigureAwait(false);
                if (context.NotReadSoFar.Count > 0)
                {
                    throw new OpsException(ExitCodes.Incomplete, $"nothing was changed: {string.Join("; ", context.NotReadSoFar.Select(n => $"{n.What} could not be read ({n.Why})"))}. Leave it out with --regions to apply the rules elsewhere");
                }

                context.RequireCompleteUsage(lookup, parseResult.GetValue(usageCheck));
                var account = await context.AccountAsync(factory.Region, factory, cancellationToken).ConfigureAwait(false);
                var dryRun = !parseResult.GetValue(yes);
                var rows = await LifecycleApplier.ApplyAsync(context.Aws, factory, account, decisions, dryRun, reason, context.Now, context.Progress, cancellationToken).ConfigureAwait(false);
                var report = new ActionReport(string.Join(",", context.FactoryRegions(factory)), rows, dryRun, lookup.Source);
                return context.Write(report, report.ExitCode);
            });

        var lifecycle = new Command("lifecycle", "AMI retirement (deprecate, disable, delete) as the declaration describes it.");
        lifecycle.Subcommands.Add(plan);
        lifecycle.Subcommands.Add(apply);
        lifecycle.Subcommands.Add(LifecycleForecastCommand.Create(runner));
        return lifecycle;
    }

    private static async Task<(Declaration.Factory Factory, IReadOnlyList<LifecycleDecision> Decisions, Usage.UsageLookup Usage)> PlanAsync(CommandContext context, bool readOnly, CancellationToken cancellationToken)
    {
        var factory = context.LoadFactory();
        var amis = await FactoryInventory.LoadAsync(context, factory, context.FactoryRegions(factory), cancellationToken).ConfigureAwait(false);
        var decisions = LifecyclePlanner.Plan(factory, amis, context.Now);
        var guarded = decisions.Where(d => d.Pending && d.Action is LifecycleAction.Disable or LifecycleAction.Delete).Select(d => d.Ami).ToList();
        var lookup = await FactoryInventory.UsageAsync(context, factory, guarded, readOnly, cancellationToken).ConfigureAwait(false);
        return (factory, LifecyclePlanner.Guard(decisions, lookup.ByImage), lookup);
    }
}
