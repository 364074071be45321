using System.Text;
using System.Text.RegularExpressions;
using Amazon.CDK;

namespace AmiInfra.Constructs;

/// <summary>
/// A finding acknowledged on one resource, with the reason: a guardrail (<c>AMI-001</c> ...) or a cdk-nag rule
/// (<c>AwsSolutions-IAM4</c> ...). Written as the resource's <c>cdk_nag</c> metadata
/// (<c>rules_to_suppress</c>), which cdk-nag 2.x honours in a template and the guardrails read.
/// </summary>
/// <param name="RuleId">The rule id, e.g. AwsSolutions-IAM5 or AMI-016.</param>
/// <param name="Reason">Why the finding is acceptable for this resource: at least 10 characters (cdk-nag's minimum).</param>
/// <param name="AppliesTo">
/// The findings of the rule acknowledged (cdk-nag's <c>applies_to</c>, e.g. <c>Resource::*</c>; an entry between slashes,
/// <c>/^Resource::.*\/logs\/\*$/</c>, is a regular expression). Default: every finding of the rule.
/// </param>
public sealed partial record Acknowledgement(string RuleId, string Reason, IReadOnlyList<string>? AppliesTo = null)
{
    /// <summary>The shortest reason cdk-nag accepts.</summary>
    public const int MinReasonLength = 10;

    /// <summary>The same acknowledgement, checked: a rule id of the shape Pack-Rule, a reason of 10 characters or more.</summary>
    /// <param name="where">Where it was given, for the error.</param>
    internal Acknowledgement Checked(string where)
    {
        if (RuleId is null || !RuleIdShape().IsMatch(RuleId))
        {
            throw new ConstructValidationException($"{where}.RuleId", RuleId is null ? null : $"\"{RuleId}\"", "a guardrail id (AMI-001 ...) or a cdk-nag rule id (AwsSolutions-IAM5 ...), without a finding in brackets (name findings in AppliesTo)");
        }

        if (string.IsNullOrWhiteSpace(Reason) || Reason.Trim().Length < MinReasonLength)
        {
            throw new ConstructValidationException($"{where}.Reason", Reason is null ? null : $"\"{Reason}\"", $"a written reason why the finding is acceptable for this resource, at least {MinReasonLength} characters");
        }

        return this with { Reason = Reason.Trim() };
    }

    [GeneratedRegex("^[A-Za-z0-9.]+-[A-Za-z0-9._]+$")]
    private static partial Regex RuleIdShape();
}

/// <summary>Reads and writes the <c>cdk_nag</c> metadata of a resource.</summary>
internal static class NagMetadata
{
    /// <summary>The metadata key cdk-nag reads.</summary>
    public const string Key = "cdk_nag";

    /// <summary>The metadata value for <paramref name="acknowledgements"/>, as cdk-nag writes it (reasons beyond Latin-1 base64-encoded).</summary>
    public static Dictionary<string, object> Render(IEnumerable<Acknowledgement> acknowledgements)
    {
        var rules = new List<object>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in acknowledgements)
        {
            var rule = new Dictionary<string, object> { ["id"] = a.RuleId };
            if (a.Reason.Any(c => c > 255))
            {
                rule["reason"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(a.Reason));
                rule["is_reason_encoded"] = true;
            }
            else
            {
                rule["reason"] = a.Reason;
            }

            if (a.AppliesTo is { Count: > 0 } appliesTo)
            {
                rule["applies_to"] = appliesTo
                    .Select(f => f.Length > 1 && f[0] == '/' && f.LastIndexOf('/') > 0 ? (object)new Dictionary<string, object> { ["regex"] = f } : f)
                    .ToArray();
            }

            if (seen.Add(System.Text.Json.JsonSerializer.Serialize(rule)))
            {
                rules.Add(rule);
            }
        }

        return new Dictionary<string, object> { ["rules_to_suppress"] = rules.ToArray() };
    }

    /// <summary>The acknowledgements in a <c>cdk_nag</c> metadata value (as jsii or the rendering hands it over).</summary>
    public static List<Acknowledgement> Read(object? metadata)
    {
        var result = new List<Acknowledgement>();
        if (Get(metadata, "rules_to_suppress") is not System.Collections.IEnumerable rules || rules is string)
        {
            return result;
        }

        foreach (var rule in rules)
        {
            if (Get(rule, "id") is not string id || Get(rule, "reason") is not string reason)
            {
                continue;
            }

            if (Get(rule, "is_reason_encoded") is true)
            {
                reason = Encoding.UTF8.GetString(Convert.FromBase64String(reason));
            }

            var appliesTo = Get(rule, "applies_to") is System.Collections.IEnumerable items and not string
                ? items.Cast<object?>().Select(f => f as string ?? Get(f, "regex") as string).OfType<string>().ToList()
                : null;
            result.Add(new Acknowledgement(id, reason, appliesTo));
        }

        return result;
    }

    /// <summary>Adds <paramref name="acknowledgements"/> to the <c>cdk_nag</c> metadata of <paramref name="resource"/>, keeping those it has.</summary>
    public static void Add(CfnResource resource, IEnumerable<Acknowledgement> acknowledgements)
    {
        var existing = Read(resource.GetMetadata(Key));
        resource.AddMetadata(Key, Render(existing.Concat(acknowledgements)));
    }

    private static object? Get(object? map, string key) => map switch
    {
        IDictionary<string, object> typed => typed.TryGetValue(key, out var value) ? value : null,
        System.Collections.IDictionary untyped => untyped.Contains(key) ? untyped[key] : null,
        _ => null,
    };
}
