using static AmiInfra.Constructs.Guardrails.CfnValues;
using static AmiInfra.Constructs.Guardrails.GuardrailRuleIds;

namespace AmiInfra.Constructs.Guardrails;

/// <summary>
/// AMI-018: a lifecycle policy that deletes AMIs needs a Recycle Bin rule in every region its AMIs are
/// in: the policy's own region and every region the distributions of its stack send AMIs to.
/// </summary>
internal static class LifecycleChecks
{
    public static void Run(ResourceModel model, List<Finding> findings)
    {
        var bins = new HashSet<(string Account, string Region, string Type)>();
        foreach (var stack in model.Stacks)
        {
            foreach (var rule in stack.OfType("AWS::Rbin::Rule"))
            {
                if (Text(rule["ResourceType"]) is { } type)
                {
                    bins.Add((stack.Account, stack.Region, type));
                }
            }
        }

        foreach (var stack in model.Stacks)
        {
            foreach (var policy in stack.OfType("AWS::ImageBuilder::LifecyclePolicy"))
            {
                if (!string.Equals(Text(policy["ResourceType"]), "AMI_IMAGE", StringComparison.Ordinal))
                {
                    continue;
                }

                var deletes = List(policy["PolicyDetails"]).Select(d => Get(d, "Action")).Where(a => string.Equals(Text(Get(a, "Type")), "DELETE", StringComparison.Ordinal)).ToList();
                if (deletes.Count == 0)
                {
                    continue;
                }

                var snapshots = deletes.Any(a => IsTrue(Get(a, "IncludeResources", "Snapshots")));
                var regions = new SortedSet<string>(StringComparer.Ordinal) { stack.Region };
                foreach (var distribution in stack.OfType("AWS::ImageBuilder::DistributionConfiguration"))
                {
                    foreach (var entry in List(distribution["Distributions"]))
                    {
                        if (Text(Get(entry, "Region")) is { } region)
                        {
                            regions.Add(region);
                        }
                    }
                }

                var missing = new List<string>();
                foreach (var region in regions)
                {
                    if (!bins.Contains((stack.Account, region, "EC2_IMAGE")))
                    {
                        missing.Add($"AMIs (EC2_IMAGE) in {region}");
                    }

                    if (snapshots && !bins.Contains((stack.Account, region, "EBS_SNAPSHOT")))
                    {
                        missing.Add($"snapshots (EBS_SNAPSHOT) in {region}");
                    }
                }

                if (missing.Count > 0)
                {
                    findings.Add(new Finding(Guardrails.Rule(DeleteWithoutRecycleBin), policy, $"the policy deletes AMIs{(snapshots ? " and their snapshots" : "")} in {string.Join(", ", regions)}, and no Recycle Bin rule keeps {string.Join(", ", missing)}."));
                }
            }
        }
    }
}
