using System.CommandLine;
using Amazon.Runtime;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Governance;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Commands;

/// <summary><c>amiinfra guard</c>: the account controls for AMIs the declaration governs, as declared and as set.</summary>
public static class GuardCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CommandRunner runner)
    {
        var role = new Option<string>("--target-role")
        {
            Description = "Also read the target accounts, by assuming this role (its name) in each of them, e.g. OrganizationAccountAccessRole: it needs the same Get permissions (ec2:GetImageBlockPublicAccessState, ec2:GetSnapshotBlockPublicAccessState, ec2:GetEbsEncryptionByDefault, ec2:GetAllowedImagesSettings).",
        };
        var accounts = new Option<string[]>("--accounts")
        {
            Description = "With --target-role: the target accounts to read (comma-separated or repeated). Default: the declared targetAccounts.",
            AllowMultipleArgumentsPerToken = true,
            CustomParser = result => result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
        };
        var command = new Command("guard", $"Show each account control for AMIs the declaration's governance declares (block public access for AMIs and snapshots, EBS encryption by default and its key, Allowed AMIs and their criteria), as declared and as set, in every declared region of the factory account and, with --target-role, of the target accounts. Exit code {ExitCodes.Success} when every control was read and is set as declared, {ExitCodes.Violations} when a control is not, {ExitCodes.Incomplete} when a control, a region or an account could not be read (denied, throttled, not enabled; the others are still read and reported).")
        {
            role, accounts,
        };
        return runner.Define(
            command,
            ["amiinfra guard", "amiinfra guard --target-role OrganizationAccountAccessRole", "amiinfra guard --target-role OrganizationAccountAccessRole --accounts 444455556666 --output json"],
            async (context, parseResult, cancellationToken) =>
            {
                var factory = context.LoadFactory();
                var regions = context.FactoryRegions(factory);
                var account = await context.AccountAsync(regions[0], factory, cancellationToken).ConfigureAwait(false);
                var targets = parseResult.GetValue(accounts) ?? [];
                var roleName = parseResult.GetValue(role);
                if (targets.Length > 0 && roleName is null)
                {
                    throw new OpsException(ExitCodes.Usage, "--accounts needs --target-role: the role to assume in each of those accounts");
                }

                foreach (var target in targets)
                {
                    if (Identifiers.AccountId.Check(target) is { } problem)
                    {
                        throw new OpsException(ExitCodes.Usage, $"option --accounts: {problem.Describe()}");
                    }
                }

                var rows = new List<GuardRow>();
                var notGoverned = new List<string>();
                context.Progress.Report($"reading the account controls in {regions.Count} region(s)");
                rows.AddRange(await ReadAccountAsync(context.Aws, factory, account, account == factory.Account, regions, cancellationToken).ConfigureAwait(false));
                if (roleName is not null)
                {
                    var others = targets.Length > 0 ? targets : factory.Images.SelectMany(i => i.Distribution.TargetAccounts).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                    if (!factory.GovernsTargetAccounts)
                    {
                        notGoverned.Add($"The target accounts ({(others.Length == 0 ? "none declared" : string.Join(", ", others))}) are not governed: the declaration sets no control there (governance.targetAccounts false, or no organization.targetOrganizationalUnits).");
                        others = [];
                    }

                    foreach (var other in others.Where(o => o != account))
                    {
                        var arn = $"arn:{Partitions.NameOf(factory.Region)}:iam::{other}:role/{roleName}";
                        try
                        {
                            using var session = await context.Aws.AssumeRoleAsync(arn, regions[0], cancellationToken).ConfigureAwait(false);
                            rows.AddRange(await ReadAccountAsync(session, factory, other, factoryAccount: false, regions, cancellationToken).ConfigureAwait(false));
                        }
                        catch (AmazonServiceException e) when (AwsErrors.Is(e, AwsFailure.Denied, AwsFailure.Throttled, AwsFailure.Other, AwsFailure.Credentials))
                        {
                            context.NotRead($"account {other}", $"could not assume {arn}: {AwsErrors.Why(e)}");
                        }
                    }
                }

                foreach (var row in rows.Where(r => r.Status == GuardRow.NotChecked))
                {
                    context.NotRead($"{row.Control} of account {row.Account} in {row.Region}", row.Detail ?? "not read");
                }

                var report = new GuardReport(rows, notGoverned);
                return context.Write(report, report.Drift == 0 ? ExitCodes.Success : ExitCodes.Violations);
            });
    }

    private static async Task<IReadOnlyList<GuardRow>> ReadAccountAsync(AwsSession session, Declaration.Factory factory, string account, bool factoryAccount, IReadOnlyList<string> regions, CancellationToken cancellationToken)
    {
        var states = await Task.WhenAll(regions.Select(region =>
            ControlStateReader.ReadAsync(session, region, factory.Governance, GuardRules.DeclaredKey(factory, region, factoryAccount), cancellationToken))).ConfigureAwait(false);
        return states.SelectMany(state => GuardRules.Compare(factory, account, factoryAccount, state)).ToList();
    }
}
