using System.Text.RegularExpressions;
using static AmiInfra.Constructs.Guardrails.CfnValues;
using static AmiInfra.Constructs.Guardrails.GuardrailRuleIds;

namespace AmiInfra.Constructs.Guardrails;

/// <summary>AMI-001 to AMI-004: who may launch or receive the AMIs, and whether the key lets them.</summary>
internal static partial class DistributionChecks
{
    public static void Run(ResourceModel model, GuardrailOptions options, List<Finding> findings)
    {
        KeyIndex? keys = null;
        foreach (var distribution in model.OfType("AWS::ImageBuilder::DistributionConfiguration"))
        {
            foreach (var entry in List(distribution["Distributions"]))
            {
                var region = Text(Get(entry, "Region")) ?? "(unknown region)";
                var ami = Get(entry, "AmiDistributionConfiguration");
                if (ami is null)
                {
                    continue;
                }

                var permission = Get(ami, "LaunchPermissionConfiguration");
                if (List(Get(permission, "UserGroups")).Any(g => string.Equals(Text(g), "all", StringComparison.OrdinalIgnoreCase)))
                {
                    findings.Add(options.AllowPublicImages
                        ? new Finding(Guardrails.Rule(PublicImage), distribution, $"the AMIs are public in {region}.")
                        : new Finding(Guardrails.Rule(PublicWithoutOptIn), distribution, $"the AMIs are public in {region} (UserGroups \"all\"), and public images are not allowed."));
                }

                var consumers = Consumers(permission, ami);
                if (consumers.Count == 0)
                {
                    continue;
                }

                var key = Get(ami, "KmsKeyId");
                var keyText = Text(key);
                var described = string.Join(", ", consumers.Select(c => c.Describe()));
                if (key is null)
                {
                    findings.Add(new Finding(Guardrails.Rule(SharedWithoutCustomerKey), distribution, $"{region} shares or copies the AMI ({described}) without a KmsKeyId, so its snapshots keep the build key or fall back to aws/ebs, which the consumers cannot use."));
                    continue;
                }

                if (IsAwsManagedKey(keyText))
                {
                    findings.Add(new Finding(Guardrails.Rule(SharedWithoutCustomerKey), distribution, $"{region} shares or copies the AMI ({described}) with the AWS-managed key {keyText}, which no other account can use."));
                    continue;
                }

                keys ??= new KeyIndex(model);
                if (keys.Find(key, distribution.Stack) is { } found)
                {
                    var missing = consumers.Where(c => !Grants(found.Policy, c)).Select(c => c.Describe()).ToList();
                    if (missing.Count > 0)
                    {
                        findings.Add(new Finding(Guardrails.Rule(KeyDoesNotGrantConsumers), distribution, $"the key of {region} ({found.Name}) does not let {string.Join(", ", missing)} use it (no Allow statement for kms:Decrypt names them)."));
                    }
                }
            }
        }
    }

    private static List<Consumer> Consumers(object? permission, object ami)
    {
        var consumers = new List<Consumer>();
        foreach (var account in List(Get(permission, "UserIds")).Select(Text).OfType<string>())
        {
            consumers.Add(new Consumer("launch account", account, account));
        }

        foreach (var arn in List(Get(permission, "OrganizationArns")).Select(Text).OfType<string>())
        {
            consumers.Add(new Consumer("organization", arn, AmiInfra.Rules.Identifiers.OrganizationArn.Pattern.Match(arn) is { Success: true } m ? m.Groups["organization"].Value : arn));
        }

        foreach (var arn in List(Get(permission, "OrganizationalUnitArns")).Select(Text).OfType<string>())
        {
            consumers.Add(new Consumer("OU", arn, AmiInfra.Rules.Identifiers.OrganizationalUnitArn.Pattern.Match(arn) is { Success: true } m ? m.Groups["unit"].Value : arn));
        }

        foreach (var account in List(Get(ami, "TargetAccountIds")).Select(Text).OfType<string>())
        {
            consumers.Add(new Consumer("target account", account, account));
        }

        return consumers;
    }

    /// <summary>
    /// Whether an Allow statement of the key policy that covers kms:Decrypt names the consumer, as a
    /// principal or in a condition (aws:PrincipalOrgID, aws:PrincipalOrgPaths, aws:PrincipalArn...).
    /// </summary>
    private static bool Grants(object? policy, Consumer consumer) =>
        Statements(policy).Any(statement =>
            Allows(statement)
            && List(Get(statement, "Action")).Select(Text).OfType<string>().Any(a => Covers(a, "kms:Decrypt"))
            && Strings(Get(statement, "Principal")).Concat(Strings(Get(statement, "Condition"))).Any(s => s.Contains(consumer.Token, StringComparison.Ordinal)));

    /// <summary>Whether a key reference names an AWS-managed key (alias/aws/ebs and the like).</summary>
    public static bool IsAwsManagedKey(string? key) =>
        key is not null && (key.Contains(":alias/aws/", StringComparison.Ordinal) || key.StartsWith("alias/aws/", StringComparison.Ordinal));

    /// <summary>An alias ARN with a literal region and account; the partition may be the pseudo parameter.</summary>
    [GeneratedRegex("^arn:(?:\\$\\{AWS::Partition\\}|[a-z-]+):kms:(?<region>[a-z0-9-]+):(?<account>[0-9]{12}):(?<alias>alias/.+)$")]
    private static partial Regex AliasArn();


    /// <summary>Who receives the AMI: <paramref name="Token"/> is what a key policy granting it must mention.</summary>
    private sealed record Consumer(string Kind, string Value, string Token)
    {
        public string Describe() => $"{Kind} {Value}";
    }

    /// <summary>A customer-managed key found in the app, with its key policy.</summary>
    private sealed record FoundKey(string Name, object? Policy);

    /// <summary>The KMS keys of the app, by alias (account, region, alias name) and by logical id within a stack.</summary>
    private sealed class KeyIndex
    {
        private readonly Dictionary<(string Account, string Region, string Alias), FoundKey> _byAlias = [];

        public KeyIndex(ResourceModel model)
        {
            foreach (var stack in model.Stacks)
            {
                foreach (var alias in stack.OfType("AWS::KMS::Alias"))
                {
                    if (Text(alias["AliasName"]) is { } name && stack.ByLogicalId(ReferencedLogicalId(alias["TargetKeyId"])) is { Type: "AWS::KMS::Key" } key)
                    {
                        _byAlias[(stack.Account, stack.Region, name)] = new FoundKey(name, key["KeyPolicy"]);
                    }
                }
            }
        }

        /// <summary>The key a KmsKeyId names: an alias ARN of a key in the app, or a reference to a key in the same stack.</summary>
        public FoundKey? Find(object key, CheckedStack from)
        {
            if (from.ByLogicalId(ReferencedLogicalId(key)) is { Type: "AWS::KMS::Key" } local)
            {
                return new FoundKey(local.LogicalId, local["KeyPolicy"]);
            }

            return Text(key) is { } text && AliasArn().Match(text) is { Success: true } arn
                && _byAlias.TryGetValue((arn.Groups["account"].Value, arn.Groups["region"].Value, arn.Groups["alias"].Value), out var found)
                ? found
                : null;
        }
    }
}
