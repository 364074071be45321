using System.CommandLine;
using AmiInfra.Ops.Audit;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Inventory;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra audit</c>: what exists, compared with the declaration.</summary>
public static class AuditCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("audit", $"Compare the factory's AMIs with the declaration and report each violation: public without opt-in, shared with an undeclared principal, unencrypted or on the AWS-managed key, missing from a declared region, past a retirement step, image not declared. Exit code {ExitCodes.Success} when clean, {ExitCodes.Violations} when there are violations.");
        return runner.Define(
            command,
            ["amiinfra audit", "amiinfra audit --output json > audit.json || echo \"violations: exit $?\"", "amiinfra audit --regions eu-west-1"],
            async (context, _, cancellationToken) =>
            {
                var factory = context.LoadFactory();
                var regions = context.FactoryRegions(factory);
                var amis = await FactoryInventory.LoadAsync(context, factory, regions, cancellationToken).ConfigureAwait(false);
                var account = await context.Aws.AccountIdAsync(regions[0], cancellationToken).ConfigureAwait(false);
                var violations = AuditRules.Check(factory, account, amis, regions, context.Now);
                return context.Write(new AuditReport(violations, amis.Count, regions), violations.Count == 0 ? ExitCodes.Success : ExitCodes.Violations);
            });
    }
}
