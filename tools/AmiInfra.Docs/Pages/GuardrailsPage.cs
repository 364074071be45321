using System.Text;
using AmiInfra.Constructs.Guardrails;

namespace AmiInfra.Docs.Pages;

/// <summary>docs/reference/guardrails.md: the AMI-0xx rules, from their definitions (<see cref="Guardrails.Rules"/>).</summary>
public static class GuardrailsPage
{
    /// <summary>The page.</summary>
    public static Page Page { get; } = new("docs/reference/guardrails.md", "the guardrail rule definitions (src/AmiInfra.Constructs/Guardrails/Guardrails.cs)", Generate);

    private static string Generate()
    {
        var text = new StringBuilder();
        text.Append("# Guardrails reference\n\n");
        text.Append("AmiInfra's own rule pack for EC2 Image Builder factories: a CDK aspect that checks every CloudFormation\n");
        text.Append("resource at synth. An **error** stops `cdk synth` and `cdk deploy`; a **warning** is printed, and fatal only\n");
        text.Append("with `cdk synth --strict`. Every finding starts with the rule id and ends with the fix below. How to apply\n");
        text.Append("the pack, acknowledge a finding and what the rules cannot see: [the guardrails guide](../guide/guardrails.md).\n\n");
        text.Append("| id | level | rule | what it protects against | fix |\n|---|---|---|---|---|\n");
        foreach (var rule in Guardrails.Rules)
        {
            text.Append($"| {rule.Id} | {rule.Severity.ToString().ToLowerInvariant()} | {Markdown.Cell(rule.Title)} | {Markdown.Cell(rule.Description)} | {Markdown.Cell(rule.Fix)} |\n");
        }

        text.Append("\nThe AWS-managed policies our roles may carry (AMI-017), those the Image Builder documentation names:\n\n");
        foreach (var policy in Guardrails.AllowedManagedPolicies)
        {
            text.Append($"- `{policy}`\n");
        }

        return text.ToString();
    }
}
