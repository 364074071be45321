using System.Text.RegularExpressions;
using static AmiInfra.Constructs.Guardrails.CfnValues;
using static AmiInfra.Constructs.Guardrails.GuardrailRuleIds;

namespace AmiInfra.Constructs.Guardrails;

/// <summary>
/// AMI-015 to AMI-017: our own IAM policies (identity policies of roles, users and groups, inline or
/// managed). Key policies, bucket policies and topic policies are resource policies and are not checked
/// here: a key policy names <c>Resource: "*"</c> by definition.
/// </summary>
internal static partial class IamChecks
{
    /// <summary>Actions that support no resource-level permissions besides the Describe and List actions.</summary>
    private static readonly HashSet<string> Unscopable = new(StringComparer.OrdinalIgnoreCase)
    {
        "sts:GetCallerIdentity", "ecr:GetAuthorizationToken", "cloudwatch:PutMetricData",
        "xray:PutTraceSegments", "xray:PutTelemetryRecords",
        "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
        "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint", "ec2messages:GetMessages", "ec2messages:SendReply",
        "s3:ListAllMyBuckets",

        // Run Command's invocation results (Service Authorization Reference, AWS Systems Manager: no resource type), which
        // the release verification reads after its smoke test.
        "ssm:GetCommandInvocation",

        // Account attributes of EC2 (Service Authorization Reference, Amazon EC2: no resource type), which
        // the account-controls function reads, sets and restores.
        "ec2:GetImageBlockPublicAccessState", "ec2:EnableImageBlockPublicAccess", "ec2:DisableImageBlockPublicAccess",
        "ec2:GetEbsEncryptionByDefault", "ec2:EnableEbsEncryptionByDefault", "ec2:DisableEbsEncryptionByDefault",
        "ec2:GetEbsDefaultKmsKeyId", "ec2:ModifyEbsDefaultKmsKeyId", "ec2:ResetEbsDefaultKmsKeyId",
        "ec2:GetAllowedImagesSettings", "ec2:EnableAllowedImagesSettings", "ec2:ReplaceImageCriteriaInAllowedImagesSettings", "ec2:DisableAllowedImagesSettings",
    };

    private static readonly string[] PolicyHolders = ["AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"];
    private static readonly string[] StandalonePolicies = ["AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy"];

    public static void Run(ResourceModel model, List<Finding> findings)
    {
        foreach (var type in StandalonePolicies)
        {
            foreach (var policy in model.OfType(type))
            {
                CheckDocument(policy, policy["PolicyDocument"], Text(policy["PolicyName"]) ?? Text(policy["ManagedPolicyName"]) ?? policy.LogicalId, findings);
            }
        }

        foreach (var type in PolicyHolders)
        {
            foreach (var holder in model.OfType(type))
            {
                foreach (var inline in List(holder["Policies"]))
                {
                    CheckDocument(holder, Get(inline, "PolicyDocument"), Text(Get(inline, "PolicyName")) ?? "(inline)", findings);
                }

                foreach (var arn in List(holder["ManagedPolicyArns"]))
                {
                    if (Text(arn) is { } text && AwsManagedPolicy().Match(text) is { Success: true } match
                        && !Guardrails.AllowedManagedPolicies.Contains(match.Groups[1].Value, StringComparer.Ordinal))
                    {
                        findings.Add(new Finding(Guardrails.Rule(ManagedPolicyNotAllowed), holder, $"it carries the AWS-managed policy {match.Groups[1].Value}."));
                    }
                }
            }
        }
    }

    private static void CheckDocument(CheckedResource resource, object? document, string policyName, List<Finding> findings)
    {
        var statements = Statements(document);
        for (var i = 0; i < statements.Count; i++)
        {
            var statement = statements[i];
            if (!Allows(statement))
            {
                continue;
            }

            var sid = Text(Get(statement, "Sid"));
            var where = $"policy {policyName}, statement {(sid is null ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : sid)}";
            var actions = List(Get(statement, "Action")).Select(a => Text(a) ?? "(computed)").ToList();
            var wildcards = actions.Where(a => a == "*" || ServiceWildcard().IsMatch(a)).ToList();
            if (Get(statement, "NotAction") is not null)
            {
                findings.Add(new Finding(Guardrails.Rule(WildcardAction), resource, $"{where} allows NotAction, that is every other action."));
            }
            else if (wildcards.Count > 0)
            {
                findings.Add(new Finding(Guardrails.Rule(WildcardAction), resource, $"{where} allows {string.Join(", ", wildcards.Select(w => $"\"{w}\""))}."));
            }

            var everywhere = Get(statement, "NotResource") is not null || List(Get(statement, "Resource")).Any(r => Text(r) == "*");
            var scopable = actions.Where(a => !IsUnscopable(a)).ToList();
            if (everywhere && scopable.Count > 0)
            {
                findings.Add(new Finding(Guardrails.Rule(WildcardResource), resource, $"{where} allows {string.Join(", ", scopable)} on every resource."));
            }
        }
    }

    /// <summary>Describe and List actions (S3's List actions excepted, which take a bucket) and the known unscopable ones.</summary>
    private static bool IsUnscopable(string action) =>
        Unscopable.Contains(action) || (ReadAll().IsMatch(action) && !action.StartsWith("s3:", StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^[a-zA-Z0-9-]+:\\*$")]
    private static partial Regex ServiceWildcard();

    [GeneratedRegex("^[a-zA-Z0-9-]+:(?:Describe|List)[A-Za-z0-9*]*$")]
    private static partial Regex ReadAll();

    [GeneratedRegex(":iam::aws:policy/(.+)$")]
    private static partial Regex AwsManagedPolicy();
}
