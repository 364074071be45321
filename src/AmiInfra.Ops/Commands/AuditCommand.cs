using System.CommandLine;
using AmiInfra.Ops.Audit;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Inventory;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra audit</c>: what exists, compared with the declaration.</summary>
public static class AuditCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var allRegions = new Option<bool>("--all-regions") { Description = "Read every region enabled for the account (DescribeRegions), not only the declared ones: a factory AMI or snapshot in an undeclared region is a violation." };
        var command = new Command("audit", $"Compare the factory's AMIs and snapshots with the declaration and report each violation: public without opt-in, shared with an undeclared principal, unencrypted or on the AWS-managed key, missing from a declared region, past a retirement step, image or region not declared, orphaned or shared snapshots, a stale 'latest' SSM parameter, launch templates on deprecated or disabled AMIs, block public access off, account controls the governance declares set otherwise, a stalled pipeline, retention tags that disagree with the retention windows. Says which enabled regions it did not look at, and what it could not read. Exit code {ExitCodes.Success} when clean and complete, {ExitCodes.Violations} when there are violations, {ExitCodes.Incomplete} when something could not be read (a region not enabled, a denied or throttled read; what was read is reported).")
        {
            allRegions,
        };
        return runner.Define(
            command,
            ["amiinfra audit", "amiinfra audit --all-regions", "amiinfra audit --output json > audit.json || echo \"violations: exit $?\"", "amiinfra audit --regions eu-west-1"],
            async (context, parseResult, cancellationToken) =>
            {
                var factory = context.LoadFactory();
                var declared = context.FactoryRegions(factory);
                var account = await context.AccountAsync(declared[0], factory, cancellationToken).ConfigureAwait(false);
                var enabled = await new RegionGateway(context.Aws, declared[0]).EnabledRegionsAsync(cancellationToken).ConfigureAwait(false);
                var all = parseResult.GetValue(allRegions);
                var regions = all ? declared.Concat(enabled.Where(r => !declared.Contains(r, StringComparer.Ordinal))).ToList() : declared;
                var notLookedAt = all ? [] : enabled.Where(r => !regions.Contains(r, StringComparer.Ordinal)).ToList();
                var amis = await FactoryInventory.LoadAsync(context, factory, regions, cancellationToken).ConfigureAwait(false);
                var unread = context.NotReadSoFar.Select(n => n.What).ToHashSet(StringComparer.Ordinal);
                var readable = regions.Where(r => !unread.Contains($"region {r}")).ToList();
                context.Progress.Report($"checking snapshots, SSM parameters, launch templates and block public access in {readable.Count} region(s)");
                var states = (await RegionReads.EachAsync(context, readable, region =>
                    RegionStateReader.ReadAsync(new RegionGateway(context.Aws, region), factory, account, amis.Where(a => a.Region == region).ToList(), cancellationToken), cancellationToken).ConfigureAwait(false))
                    .Select(r => r.Value)
                    .ToList();
                var violations = AuditRules.Check(factory, account, amis, declared, context.Now).Concat(AccountRules.Check(factory, amis, states, context.Now)).ToList();
                var notChecked = states.SelectMany(s => s.NotChecked).ToList();
                if (factory.Governance.DeclaresAny)
                {
                    // The governance's controls, as amiinfra guard compares them, in the regions read.
                    var controls = await Task.WhenAll(states.Select(state => Governance.ControlStateReader.ReadAsync(
                        context.Aws, state.Region, factory.Governance, Governance.GuardRules.DeclaredKey(factory, state.Region, account == factory.Account), cancellationToken))).ConfigureAwait(false);
                    var rows = controls.SelectMany(c => Governance.GuardRules.Compare(factory, account, account == factory.Account, c)).ToList();
                    violations.AddRange(GovernanceDrift.Violations(rows, violations));
                    notChecked.AddRange(rows.Where(r => r.Status == Governance.GuardRow.NotChecked).Select(r => $"{r.Control} in {r.Region}: {r.Detail}"));
                }

                foreach (var note in notChecked)
                {
                    var colon = note.IndexOf(": ", StringComparison.Ordinal);
                    context.NotRead(colon > 0 ? note[..colon] : note, colon > 0 ? note[(colon + 2)..] : "not checked");
                }

                var report = new AuditReport(violations, amis.Count, states.Select(s => s.Region).ToList(), notLookedAt, context.NotReadSoFar.Count == 0);
                return context.Write(report, violations.Count == 0 ? ExitCodes.Success : ExitCodes.Violations);
            });
    }
}
