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
        LifecycleChecks.Run(model, findings);
        AccountControlsChecks.Run(model, findings);
        Report(findings);
    }

    private static void Report(List<Finding> findings)
    {
        foreach (var finding in findings)
        {
            var resource = finding.Resource;
            var annotations = Annotations.Of(resource.Construct);
            if (resource.Acknowledgements.FirstOrDefault(a => a.RuleId == finding.Rule.Id) is { } acknowledged)
            {
                annotations.AddInfo($"{finding.Rule.Id} {finding.Rule.Title} (acknowledged: {acknowledged.Reason}): {finding.Detail}");
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
}
