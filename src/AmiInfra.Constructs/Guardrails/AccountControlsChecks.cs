using static AmiInfra.Constructs.Guardrails.CfnValues;
using static AmiInfra.Constructs.Guardrails.GuardrailRuleIds;

namespace AmiInfra.Constructs.Guardrails;

/// <summary>
/// AMI-020: a distribution that makes its AMIs public in a region where the app blocks public access for
/// AMIs in the same account (<see cref="Governance.AccountControls"/>): EC2 refuses to make an AMI public
/// there, so the distribution fails at build time.
/// </summary>
internal static class AccountControlsChecks
{
    public static void Run(ResourceModel model, List<Finding> findings)
    {
        var blocked = model.Stacks
            .Where(s => s.OfType(Governance.AccountControls.ImageBlockPublicAccessType).Any())
            .Select(s => (s.Account, s.Region))
            .ToHashSet();
        if (blocked.Count == 0)
        {
            return;
        }

        foreach (var distribution in model.OfType("AWS::ImageBuilder::DistributionConfiguration"))
        {
            foreach (var entry in List(distribution["Distributions"]))
            {
                var region = Text(Get(entry, "Region"));
                var groups = List(Get(entry, "AmiDistributionConfiguration", "LaunchPermissionConfiguration", "UserGroups"));
                if (region is not null && groups.Any(g => string.Equals(Text(g), "all", StringComparison.OrdinalIgnoreCase)) && blocked.Contains((distribution.Stack.Account, region)))
                {
                    findings.Add(new Finding(Guardrails.Rule(PublicSharingUnderBlock), distribution, $"the AMIs are made public in {region}, where the app blocks public access for AMIs in account {distribution.Stack.Account}."));
                }
            }
        }
    }
}
