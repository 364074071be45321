using static AmiInfra.Constructs.Guardrails.CfnValues;
using static AmiInfra.Constructs.Guardrails.GuardrailRuleIds;

namespace AmiInfra.Constructs.Guardrails;

/// <summary>AMI-005 to AMI-008 and AMI-019: build instances, recipe volumes and pipeline schedules.</summary>
internal static class BuildChecks
{
    public static void Run(ResourceModel model, GuardrailOptions options, List<Finding> findings)
    {
        foreach (var infrastructure in model.OfType("AWS::ImageBuilder::InfrastructureConfiguration"))
        {
            var tokens = Text(Get(infrastructure["InstanceMetadataOptions"], "HttpTokens"));
            if (!string.Equals(tokens, "required", StringComparison.OrdinalIgnoreCase))
            {
                findings.Add(new Finding(Guardrails.Rule(ImdsV2NotRequired), infrastructure, tokens is null
                    ? "InstanceMetadataOptions.HttpTokens is not set, so build instances accept IMDSv1."
                    : $"InstanceMetadataOptions.HttpTokens is \"{tokens}\"."));
            }

            if (!IsTrue(infrastructure["TerminateInstanceOnFailure"]))
            {
                findings.Add(new Finding(Guardrails.Rule(NotTerminatedOnFailure), infrastructure, infrastructure["TerminateInstanceOnFailure"] is null
                    ? "TerminateInstanceOnFailure is not set."
                    : "TerminateInstanceOnFailure is false."));
            }

            if (infrastructure["KeyPair"] is { } keyPair)
            {
                var name = Text(keyPair);
                if (name is null || !options.DeclaredKeyPairs.Contains(name, StringComparer.Ordinal))
                {
                    findings.Add(new Finding(Guardrails.Rule(UndeclaredKeyPair), infrastructure, $"build instances get the key pair {name ?? "(computed)"}, which is not among the declared key pairs ({(options.DeclaredKeyPairs.Count == 0 ? "none" : string.Join(", ", options.DeclaredKeyPairs))})."));
                }
            }
        }

        foreach (var recipe in model.OfType("AWS::ImageBuilder::ImageRecipe"))
        {
            CheckVolumes(recipe, findings);
        }

        foreach (var pipeline in model.OfType("AWS::ImageBuilder::ImagePipeline"))
        {
            var schedule = pipeline["Schedule"];
            if (Get(schedule, "ScheduleExpression") is null || string.Equals(Text(pipeline["Status"]), "DISABLED", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var condition = Text(Get(schedule, "PipelineExecutionStartCondition"));
            if (!string.Equals(condition, "EXPRESSION_MATCH_ONLY", StringComparison.Ordinal))
            {
                findings.Add(new Finding(Guardrails.Rule(ScheduleMaySkipRuns), pipeline, condition is null
                    ? "the schedule has no PipelineExecutionStartCondition, so the service default (EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE) skips scheduled runs when no component or parent image changed."
                    : $"the schedule's PipelineExecutionStartCondition is {condition}, which skips scheduled runs when no component or parent image changed."));
            }
        }
    }

    private static void CheckVolumes(CheckedResource recipe, List<Finding> findings)
    {
        var rule = Guardrails.Rule(RecipeVolumeNotEncrypted);
        var mappings = List(recipe["BlockDeviceMappings"]);
        var volumes = 0;
        foreach (var mapping in mappings)
        {
            var ebs = Get(mapping, "Ebs");
            if (ebs is null)
            {
                continue; // NoDevice or an instance store volume: no EBS snapshot in the AMI.
            }

            volumes++;
            var device = Text(Get(mapping, "DeviceName")) ?? "(no device name)";
            var key = Text(Get(ebs, "KmsKeyId"));
            if (!IsTrue(Get(ebs, "Encrypted")))
            {
                findings.Add(new Finding(rule, recipe, $"the volume {device} is not encrypted (Encrypted is not true)."));
            }
            else if (Get(ebs, "KmsKeyId") is null)
            {
                findings.Add(new Finding(rule, recipe, $"the volume {device} has no KmsKeyId, so it is encrypted with the AWS-managed aws/ebs key (or the account's default key)."));
            }
            else if (DistributionChecks.IsAwsManagedKey(key))
            {
                findings.Add(new Finding(rule, recipe, $"the volume {device} is encrypted with the AWS-managed key {key}."));
            }
        }

        if (volumes == 0)
        {
            findings.Add(new Finding(rule, recipe, "the recipe declares no EBS volume, so the root volume keeps the parent image's encryption, which may be none."));
        }
    }
}
