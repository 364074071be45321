using AmiInfra.Constructs.Distribution;

namespace AmiInfra.Constructs.TargetAccounts;

/// <summary>
/// The distribution role of a target account (<see cref="RegionalKey.DistributionRoleName"/>), as a part of the
/// <see cref="TargetAccountStackSet"/> template: it trusts Image Builder's service-linked role in the factory account,
/// carries the AWS-managed <see cref="TargetAccountStackSet.ManagedPolicyName"/> policy, may use the factory account's
/// KMS keys to re-encrypt the copies and, when asked, update the launch templates Image Builder created in its account.
/// </summary>
internal static class DistributionRolePart
{
    /// <summary>The role's logical id in the template.</summary>
    public const string LogicalId = "DistributionRole";

    /// <summary>The output of the role's ARN.</summary>
    public const string Output = "RoleArn";

    private const string ManagedPolicyName = TargetAccountStackSet.ManagedPolicyName;
    private const string CreatedByImageBuilder = TargetAccountStackSet.CreatedByImageBuilder;
    private const string FactoryAccountParameter = TargetAccountTemplate.FactoryAccountParameter;

    /// <summary>Adds the role (account-wide) to <paramref name="template"/>.</summary>
    /// <param name="template">The StackSet template.</param>
    /// <param name="updatesLaunchTemplates">Whether the role may update launch templates of its account.</param>
    /// <param name="workflowRoles">Names (or name patterns) of workflow execution roles of the factory account it trusts too.</param>
    public static void AddTo(TargetAccountTemplate template, bool updatesLaunchTemplates, IReadOnlyList<string>? workflowRoles = null)
    {
        static Dictionary<string, object> Sub(string text) => TargetAccountTemplate.Sub(text);
        template.Describe($"the distribution role {RegionalKey.DistributionRoleName} (EC2 Image Builder in the factory account copies AMIs into the account{(updatesLaunchTemplates ? " and updates its launch templates" : "")})");
        template.AddAccountWide(LogicalId, new Dictionary<string, object>
        {
            ["Type"] = "AWS::IAM::Role",
            ["Metadata"] = new Dictionary<string, object> { [NagMetadata.Key] = NagMetadata.Render(RoleAcknowledgements(updatesLaunchTemplates)) },
            ["Properties"] = new Dictionary<string, object>
            {
                ["RoleName"] = RegionalKey.DistributionRoleName,
                ["Description"] = "Lets EC2 Image Builder in the factory account copy AMIs into this account",
                ["AssumeRolePolicyDocument"] = new Dictionary<string, object>
                {
                    ["Version"] = "2012-10-17",
                    ["Statement"] = new object[]
                    {
                        // Only Image Builder's service-linked role in the factory account assumes this role to
                        // distribute: the account is the principal (a role ARN as principal must exist when the
                        // policy is written), narrowed by aws:PrincipalArn ("AWS global condition context keys",
                        // aws:PrincipalArn: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn;
                        // the service-linked role's policy allows sts:AssumeRole on this role's name:
                        // https://docs.aws.amazon.com/imagebuilder/latest/userguide/image-builder-service-linked-role.html).
                        new Dictionary<string, object>
                        {
                            ["Effect"] = "Allow",
                            ["Principal"] = new Dictionary<string, object> { ["AWS"] = Sub($"arn:${{AWS::Partition}}:iam::${{{FactoryAccountParameter}}}:root") },
                            ["Action"] = "sts:AssumeRole",
                            ["Condition"] = Trusted(workflowRoles ?? [], Sub),
                        },
                    },
                },
                ["ManagedPolicyArns"] = new object[] { Sub($"arn:${{AWS::Partition}}:iam::aws:policy/{ManagedPolicyName}") },
                ["Policies"] = Policies(updatesLaunchTemplates, Sub),
            },
        }, Output);
    }

    /// <summary>
    /// Who may assume the role: Image Builder's service-linked role, and the workflow execution roles a pipeline with
    /// workflows distributes as ("you can only specify one Image Builder execution role. If you have defined an Image
    /// Builder workflow execution role, you would add any additional feature permissions to that role",
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/cr-upd-ami-distribution-settings.html; its
    /// EC2ImageBuilderExecutionPolicy "grants the same permissions" as
    /// the service-linked role, sts:AssumeRole on this role's name included). Without workflow roles, exactly the
    /// service-linked role (ArnEquals, as before).
    /// </summary>
    private static Dictionary<string, object> Trusted(IReadOnlyList<string> workflowRoles, Func<string, Dictionary<string, object>> sub)
    {
        var linked = sub($"arn:${{AWS::Partition}}:iam::${{{FactoryAccountParameter}}}:role/{TargetAccountStackSet.ImageBuilderServiceLinkedRole}");
        return workflowRoles.Count == 0
            ? new Dictionary<string, object> { ["ArnEquals"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = linked } }
            : new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object>
                {
                    ["aws:PrincipalArn"] = workflowRoles.Select(r => (object)sub($"arn:${{AWS::Partition}}:iam::${{{FactoryAccountParameter}}}:role/{r}")).Prepend(linked).ToArray(),
                },
            };
    }

    /// <summary>What cdk-nag finds on the role, and why it is so (the role's statements are those AWS documents for it).</summary>
    private static IEnumerable<Acknowledgement> RoleAcknowledgements(bool updatesLaunchTemplates)
    {
        const string Page = "\"Set up cross-account AMI distribution with Image Builder\" (https://docs.aws.amazon.com/imagebuilder/latest/userguide/cross-account-dist.html)";
        yield return new Acknowledgement("AwsSolutions-IAM4", $"{ManagedPolicyName} is the AWS-managed policy {Page} names for this role", [$"Policy::arn:<AWS::Partition>:iam::aws:policy/{ManagedPolicyName}"]);
        yield return new Acknowledgement("AwsSolutions-IAM5", $"EBS picks among these KMS actions when it re-encrypts the copied snapshots, as {Page} lists them", ["Action::kms:GenerateDataKey*", "Action::kms:ReEncrypt*"]);
        yield return new Acknowledgement("AwsSolutions-IAM5", "The keys are those of the factory account, in any region the AMIs are copied to; snapshots get their ids when EBS copies them", ["Resource::arn:<AWS::Partition>:kms:*:<FactoryAccountId>:key/*", "Resource::arn:<AWS::Partition>:ec2:*::snapshot/*"]);
        if (updatesLaunchTemplates)
        {
            yield return new Acknowledgement("AwsSolutions-IAM5", $"Only launch templates tagged CreatedBy: {CreatedByImageBuilder} (a condition of the statement), in any region; DescribeLaunchTemplates supports no resource-level permissions", ["Resource::arn:<AWS::Partition>:ec2:*:<AWS::AccountId>:launch-template/*", "Resource::*"]);
        }
    }

    /// <summary>The role's inline policies: the factory's keys, and launch templates when asked.</summary>
    private static object[] Policies(bool updatesLaunchTemplates, Func<string, Dictionary<string, object>> sub)
    {
        var keys = sub($"arn:${{AWS::Partition}}:kms:*:${{{FactoryAccountParameter}}}:key/*");
        var policies = new List<object>
        {
            Policy("UseFactoryKeys",
                new Dictionary<string, object>
                {
                    ["Sid"] = "ReEncryptCopiesWithFactoryKeys",
                    ["Effect"] = "Allow",
                    ["Action"] = new[] { "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*" },
                    ["Resource"] = keys,
                },
                new Dictionary<string, object>
                {
                    ["Sid"] = "GrantsForAwsResources",
                    ["Effect"] = "Allow",
                    ["Action"] = new[] { "kms:CreateGrant", "kms:ListGrants" },
                    ["Resource"] = keys,
                    ["Condition"] = new Dictionary<string, object>
                    {
                        ["Bool"] = new Dictionary<string, object> { ["kms:GrantIsForAWSResource"] = "true" },
                    },
                },
                new Dictionary<string, object>
                {
                    ["Sid"] = "TagCopiedSnapshots",
                    ["Effect"] = "Allow",
                    ["Action"] = "ec2:CreateTags",
                    ["Resource"] = sub("arn:${AWS::Partition}:ec2:*::snapshot/*"),
                }),
        };

        if (updatesLaunchTemplates)
        {
            // "Set up cross-account AMI distribution with Image Builder", IAM policies, step 5: with
            // launchTemplateConfigurations, the role needs these in each destination account
            // (https://docs.aws.amazon.com/imagebuilder/latest/userguide/cross-account-dist.html). The page writes
            // Resource "*" for the first statement; the actions act on launch templates, so they are named here.
            var templates = sub("arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:launch-template/*");
            policies.Add(Policy("UpdateLaunchTemplates",
                new Dictionary<string, object>
                {
                    ["Sid"] = "NewVersionsOfImageBuilderTemplates",
                    ["Effect"] = "Allow",
                    ["Action"] = new[] { "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate" },
                    ["Resource"] = templates,
                    ["Condition"] = new Dictionary<string, object>
                    {
                        ["StringEquals"] = new Dictionary<string, object> { ["aws:ResourceTag/CreatedBy"] = CreatedByImageBuilder },
                    },
                },
                new Dictionary<string, object>
                {
                    ["Sid"] = "FindLaunchTemplates",
                    ["Effect"] = "Allow",
                    ["Action"] = "ec2:DescribeLaunchTemplates",
                    ["Resource"] = "*",
                },
                new Dictionary<string, object>
                {
                    ["Sid"] = "TagLaunchTemplates",
                    ["Effect"] = "Allow",
                    ["Action"] = "ec2:CreateTags",
                    ["Resource"] = templates,
                    ["Condition"] = new Dictionary<string, object>
                    {
                        ["StringEquals"] = new Dictionary<string, object> { ["aws:RequestTag/CreatedBy"] = CreatedByImageBuilder },
                    },
                }));
        }

        return policies.ToArray();
    }

    private static Dictionary<string, object> Policy(string name, params object[] statements) => new()
    {
        ["PolicyName"] = name,
        ["PolicyDocument"] = new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = statements },
    };
}
