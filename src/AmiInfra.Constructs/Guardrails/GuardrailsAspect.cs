using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;
using Constructs;

namespace AmiInfra.Constructs.Guardrails;

/// <summary>A rule broken by one resource.</summary>
/// <param name="Rule">The rule.</param>
/// <param name="Resource">The resource.</param>
/// <param name="Detail">What is wrong with this resource, in a sentence.</param>
internal sealed record Finding(GuardrailRule Rule, CheckedResource Resource, string Detail)
{
    public string Message => $"{Rule.Id} {Rule.Title}: {Detail} Fix: {Rule.Fix}";
}

/// <summary>
/// The aspect <see cref="Guardrails.Apply"/> adds. CDK visits the scope before anything under it; on
/// that visit the aspect reads every resource under the scope once and runs every rule, so each rule
/// sees all stacks (cross-stack rules need to) and no resource is read twice. Visits of the other
/// nodes return at once.
/// </summary>
internal sealed class GuardrailsAspect(IConstruct scope, GuardrailOptions options) : DeputyBase, IAspect
{
    private bool _done;

    public void Visit(IConstruct node)
    {
        if (_done || !ReferenceEquals(node, scope))
        {
            return;
        }

        _done = true;
        var model = ResourceModel.Read(scope);
        var findings = new List<Finding>();
        DistributionChecks.Run(model, options, findings);
        BuildChecks.Run(model, options, findings);
        StorageChecks.Run(model, findings);
        IamChecks.Run(model, findings);
        RetirementChecks.Run(model, findings);
        GovernanceChecks.Run(model, findings);
        Report(findings);
    }

    private static void Report(List<Finding> findings)
    {
        var acknowledgements = new Dictionary<CfnResource, Dictionary<string, string>>(ReferenceEqualityComparer.Instance);
        foreach (var finding in findings)
        {
            var resource = finding.Resource.Construct;
            if (!acknowledgements.TryGetValue(resource, out var acknowledged))
            {
                acknowledgements[resource] = acknowledged = Acknowledged(resource);
            }

            var annotations = Annotations.Of(resource);
            if (acknowledged.TryGetValue(finding.Rule.Id, out var reason))
            {
                annotations.AddInfo($"{finding.Rule.Id} {finding.Rule.Title} (acknowledged: {reason}): {finding.Detail}");
            }
            else if (finding.Rule.Severity == GuardrailSeverity.Error)
            {
                annotations.AddError(finding.Message);
            }
            else
            {
                // Not AddWarningV2: its ids can be acknowledged for a whole scope at once, and a
                // guardrail is acknowledged one resource at a time, with a reason.
                annotations.AddWarning(finding.Message);
            }
        }
    }

    /// <summary>The acknowledged rules of a resource and their reasons.</summary>
    private static Dictionary<string, string> Acknowledged(CfnResource resource)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in resource.Node.Metadata)
        {
            if (entry.Type == Guardrails.AcknowledgementMetadataType && entry.Data is string data && data.IndexOf(": ", StringComparison.Ordinal) is var colon and > 0)
            {
                result[data[..colon]] = data[(colon + 2)..];
            }
        }

        return result;
    }
}
