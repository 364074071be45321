using System.Text.Json;
using Amazon.CDK;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Distribution;

/// <summary>Props of <see cref="DistributionTargets"/>.</summary>
public sealed record DistributionTargetsProps
{
    /// <summary>The StackSet name (a letter, then letters, digits and hyphens; up to 128). No default.</summary>
    public required string StackSetName { get; init; }

    /// <summary>The factory account (12 digits) that the role trusts and whose KMS keys it may use. No default.</summary>
    public required string FactoryAccount { get; init; }

    /// <summary>OU ids (ou-...) or root ids (r-...) whose accounts get the role; new accounts get it on arrival. No default.</summary>
    public required IReadOnlyList<string> OrganizationalUnitIds { get; init; }

    /// <summary>The region the stack instances are deployed in (IAM is global: one region is enough). No default.</summary>
    public required string Region { get; init; }

    /// <summary>
    /// Deploy as the organization's delegated administrator for StackSets (CallAs DELEGATED_ADMIN) rather than
    /// from the management account. Default: false (SELF: the stack is deployed in the management account).
    /// </summary>
    public bool CallAsDelegatedAdmin { get; init; }

    /// <summary>Keep the role in an account that leaves the target OUs. Default: false (the role is removed).</summary>
    public bool RetainStacksOnAccountRemoval { get; init; }

    /// <summary>Percentage (0 to 100) of accounts per region that may fail before the operation stops. Default: 10.</summary>
    public int FailureTolerancePercentage { get; init; } = 10;

    /// <summary>Percentage (1 to 100) of accounts deployed to at the same time. Default: 25.</summary>
    public int MaxConcurrentPercentage { get; init; } = 25;
}

/// <summary>
/// The role <c>EC2ImageBuilderDistributionCrossAccountRole</c> in every account of the given OUs, deployed as a
/// service-managed CloudFormation StackSet with auto-deployment, so that target accounts (hundreds, or whole OUs)
/// can receive copies of the AMIs. The role trusts the factory account, carries the AWS-managed
/// <c>Ec2ImageBuilderCrossAccountDistributionAccess</c> policy and may use the factory account's KMS keys to
/// re-encrypt the copies. The StackSet must be created from the organization's management account or a delegated
/// administrator for StackSets, with trusted access for StackSets enabled.
/// </summary>
public sealed class DistributionTargets : Construct
{
    /// <summary>The AWS-managed policy Image Builder documents for the cross-account distribution role.</summary>
    public const string ManagedPolicyName = "Ec2ImageBuilderCrossAccountDistributionAccess";

    /// <summary>The name of the template parameter that receives the factory account.</summary>
    public const string FactoryAccountParameter = "FactoryAccountId";

    /// <summary>Creates the StackSet.</summary>
    public DistributionTargets(Construct scope, string id, DistributionTargetsProps props)
        : base(scope, Validated(id, props))
    {
        TemplateBody = RoleTemplate();
        Resource = new CfnStackSet(this, "Resource", new CfnStackSetProps
        {
            StackSetName = props.StackSetName,
            Description = $"{RegionalKey.DistributionRoleName}: lets EC2 Image Builder in the factory account copy AMIs into this account",
            PermissionModel = "SERVICE_MANAGED",
            CallAs = props.CallAsDelegatedAdmin ? "DELEGATED_ADMIN" : "SELF",
            AutoDeployment = new CfnStackSet.AutoDeploymentProperty
            {
                Enabled = true,
                RetainStacksOnAccountRemoval = props.RetainStacksOnAccountRemoval,
            },
            Capabilities = ["CAPABILITY_NAMED_IAM"],
            ManagedExecution = new Dictionary<string, object> { ["Active"] = true },
            OperationPreferences = new CfnStackSet.OperationPreferencesProperty
            {
                FailureTolerancePercentage = props.FailureTolerancePercentage,
                MaxConcurrentPercentage = props.MaxConcurrentPercentage,
                RegionConcurrencyType = "PARALLEL",
            },
            Parameters = new object[]
            {
                new CfnStackSet.ParameterProperty { ParameterKey = FactoryAccountParameter, ParameterValue = props.FactoryAccount },
            },
            StackInstancesGroup = new object[]
            {
                new CfnStackSet.StackInstancesProperty
                {
                    DeploymentTargets = new CfnStackSet.DeploymentTargetsProperty { OrganizationalUnitIds = props.OrganizationalUnitIds.ToArray() },
                    Regions = [props.Region],
                },
            },
            TemplateBody = TemplateBody,
        });
    }

    /// <summary>The StackSet.</summary>
    public CfnStackSet Resource { get; }

    /// <summary>The template every target account receives (JSON).</summary>
    public string TemplateBody { get; }

    private static string Validated(string id, DistributionTargetsProps props)
    {
        var where = $"DistributionTargets {id}";
        Checks.Shape($"{where}.StackSetName", props.StackSetName, PhysicalNames.StackSet);
        Checks.Shape($"{where}.FactoryAccount", props.FactoryAccount, Identifiers.AccountId);

        if (props.OrganizationalUnitIds.Count == 0)
        {
            throw new ConstructValidationException($"{where}.OrganizationalUnitIds", "an empty list", "at least one OU id (ou-...) or root id (r-...)");
        }

        Checks.List($"{where}.OrganizationalUnitIds", props.OrganizationalUnitIds, Identifiers.OrganizationalUnitOrRootId);
        if (!Checks.IsToken(props.Region))
        {
            Checks.Require($"{where}.Region", Partitions.Region(props.Region));
        }
        if (props.FailureTolerancePercentage is < 0 or > 100)
        {
            throw new ConstructValidationException($"{where}.FailureTolerancePercentage", props.FailureTolerancePercentage.ToString(System.Globalization.CultureInfo.InvariantCulture), "a percentage from 0 to 100");
        }

        if (props.MaxConcurrentPercentage is < 1 or > 100)
        {
            throw new ConstructValidationException($"{where}.MaxConcurrentPercentage", props.MaxConcurrentPercentage.ToString(System.Globalization.CultureInfo.InvariantCulture), "a percentage from 1 to 100");
        }

        return id;
    }

    /// <summary>The role template: the factory account is a parameter, so the body is the same for every factory.</summary>
    private static string RoleTemplate()
    {
        static Dictionary<string, object> Sub(string text) => new() { ["Fn::Sub"] = text };

        var template = new Dictionary<string, object>
        {
            ["AWSTemplateFormatVersion"] = "2010-09-09",
            ["Description"] = "EC2 Image Builder cross-account distribution role (AmiInfra)",
            ["Parameters"] = new Dictionary<string, object>
            {
                [FactoryAccountParameter] = new Dictionary<string, object>
                {
                    ["Type"] = "String",
                    ["AllowedPattern"] = "^[0-9]{12}$",
                    ["Description"] = "The account where EC2 Image Builder builds and distributes the AMIs",
                },
            },
            ["Resources"] = new Dictionary<string, object>
            {
                ["DistributionRole"] = new Dictionary<string, object>
                {
                    ["Type"] = "AWS::IAM::Role",
                    ["Properties"] = new Dictionary<string, object>
                    {
                        ["RoleName"] = RegionalKey.DistributionRoleName,
                        ["Description"] = "Lets EC2 Image Builder in the factory account copy AMIs into this account",
                        ["AssumeRolePolicyDocument"] = new Dictionary<string, object>
                        {
                            ["Version"] = "2012-10-17",
                            ["Statement"] = new object[]
                            {
                                new Dictionary<string, object>
                                {
                                    ["Effect"] = "Allow",
                                    ["Principal"] = new Dictionary<string, object> { ["AWS"] = Sub($"arn:${{AWS::Partition}}:iam::${{{FactoryAccountParameter}}}:root") },
                                    ["Action"] = "sts:AssumeRole",
                                },
                            },
                        },
                        ["ManagedPolicyArns"] = new object[] { Sub($"arn:${{AWS::Partition}}:iam::aws:policy/{ManagedPolicyName}") },
                        ["Policies"] = new object[]
                        {
                            new Dictionary<string, object>
                            {
                                ["PolicyName"] = "UseFactoryKeys",
                                ["PolicyDocument"] = new Dictionary<string, object>
                                {
                                    ["Version"] = "2012-10-17",
                                    ["Statement"] = new object[]
                                    {
                                        new Dictionary<string, object>
                                        {
                                            ["Sid"] = "ReEncryptCopiesWithFactoryKeys",
                                            ["Effect"] = "Allow",
                                            ["Action"] = new[] { "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*" },
                                            ["Resource"] = Sub($"arn:${{AWS::Partition}}:kms:*:${{{FactoryAccountParameter}}}:key/*"),
                                        },
                                        new Dictionary<string, object>
                                        {
                                            ["Sid"] = "GrantsForAwsResources",
                                            ["Effect"] = "Allow",
                                            ["Action"] = new[] { "kms:CreateGrant", "kms:ListGrants" },
                                            ["Resource"] = Sub($"arn:${{AWS::Partition}}:kms:*:${{{FactoryAccountParameter}}}:key/*"),
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
                                            ["Resource"] = Sub("arn:${AWS::Partition}:ec2:*::snapshot/*"),
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
            ["Outputs"] = new Dictionary<string, object>
            {
                ["RoleArn"] = new Dictionary<string, object>
                {
                    ["Value"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { "DistributionRole", "Arn" } },
                },
            },
        };

        return JsonSerializer.Serialize(template);
    }
}
