using System.CommandLine;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Inventory;
using AmiInfra.Ops.Lifecycle;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra lifecycle plan</c>: what the retirement rules would do now.</summary>
public static class LifecyclePlanCommand
{
    /// <summary>Creates the <c>lifecycle</c> command and its <c>plan</c> subcommand.</summary>
    public static Command Create(CommandRunner runner)
    {
        var plan = new Command("plan", "Preview the declared retirement rules against the AMIs that exist: which AMIs would be deprecated, disabled or deleted now, and which exclusion keeps which AMI. Changes nothing.");
        runner.Define(
            plan,
            ["amiinfra lifecycle plan", "amiinfra lifecycle plan --output json | jq '.decisions[] | select(.action == \"delete\")'"],
            async (context, _, cancellationToken) =>
            {
                var factory = context.LoadFactory();
                var amis = await FactoryInventory.LoadAsync(context, factory, context.FactoryRegions(factory), cancellationToken).ConfigureAwait(false);
                return context.Write(new LifecyclePlanReport(LifecyclePlanner.Plan(factory, amis, context.Now), context.Now));
            });
        var lifecycle = new Command("lifecycle", "AMI retirement (deprecate, disable, delete) as the declaration describes it.");
        lifecycle.Subcommands.Add(plan);
        return lifecycle;
    }
}
