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
    /// Where the StackSet is created from, which sets its CallAs: <see cref="StackSets.DelegatedAdministrator"/>
    /// (DELEGATED_ADMIN: the stack's account is registered as delegated administrator for StackSets) or
    /// <see cref="StackSets.ManagementAccount"/> (SELF: the stack is deployed in the management account).
    /// Default: delegated administrator.
    /// </summary>
    public StackSetDeployment Deployment { get; init; } = StackSets.DelegatedAdministrator;

    /// <summary>
    /// The organization's management account. Required with <see cref="StackSets.ManagementAccount"/>, where it must
    /// be the stack's account; with a delegated administrator, the stack's account must not be it. Default: unknown.
    /// </summary>
    public string? ManagementAccount { get; init; }

    /// <summary>
    /// Let the role update launch templates of its account that Image Builder created (tagged CreatedBy: EC2 Image
    /// Builder), for distributions whose launch-template configurations name accounts of the OUs. Default: false.
    /// </summary>
    public bool UpdatesLaunchTemplates { get; init; }

    /// <summary>Put the distribution role into the accounts (for copies and launch templates there). Default: true.</summary>
    public bool DistributionRole { get; init; } = true;

    /// <summary>
    /// Put the role Ec2ImageBuilderCrossAccountLifecycleAccess into the accounts too, so that the factory's lifecycle
    /// policies retire the copies the accounts own (<see cref="Lifecycle.CrossAccountLifecycleRole"/>). Default: false.
    /// </summary>
    public bool RetiresCopies { get; init; }

    /// <summary>
    /// The account controls for AMIs to set in every account, in <see cref="Region"/> and every region of
    /// <see cref="ControlRegions"/> (<see cref="Governance.AccountControls"/>). Default: none.
    /// </summary>
    public Governance.AccountControlsProps? AccountControls { get; init; }

    /// <summary>The regions where the account controls are set, besides <see cref="Region"/>. Default: none.</summary>
    public IReadOnlyList<string> ControlRegions { get; init; } = [];

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

    /// <summary>Image Builder's service-linked role in the factory account (its path and name), the only principal the role trusts.</summary>
    public const string ImageBuilderServiceLinkedRole = "aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder";

    /// <summary>The tag Image Builder puts on what it creates, and which the launch-template statements require.</summary>
    public const string CreatedByImageBuilder = "EC2 Image Builder";

    /// <summary>The name of the template parameter that receives the factory account.</summary>
    public const string FactoryAccountParameter = "FactoryAccountId";

    /// <summary>Creates the StackSet.</summary>
    public DistributionTargets(Construct scope, string id, DistributionTargetsProps props)
        : base(scope, id)
    {
        Validate(this, props);
        TemplateBody = RoleTemplate(props, Node.Path);
        Checks.Require($"{Node.Path}.TemplateBody", StackSets.TemplateBody(System.Text.Encoding.UTF8.GetByteCount(TemplateBody)));
        Resource = new CfnStackSet(this, "Resource", new CfnStackSetProps
        {
            StackSetName = props.StackSetName,
            Description = $"{RegionalKey.DistributionRoleName}: lets EC2 Image Builder in the factory account copy AMIs into this account",
            PermissionModel = "SERVICE_MANAGED",
            // AWS::CloudFormation::StackSet, CallAs: SELF only from the management account, DELEGATED_ADMIN from a
            // registered delegated administrator (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stackset.html#cfn-cloudformation-stackset-callas).
            CallAs = props.Deployment.CallAs,
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
                    Regions = TargetAccountResources.Regions(props),
                },
            },
            TemplateBody = TemplateBody,
        });
    }

    /// <summary>The StackSet.</summary>
    public CfnStackSet Resource { get; }

    /// <summary>
    /// Lets the <see cref="RegionalKey.DistributionRoleName"/> of <paramref name="targetAccounts"/> read what
    /// <paramref name="key"/> encrypts, as the source of their copies. "Set up cross-account AMI distribution with
    /// Image Builder", Prerequisites (https://docs.aws.amazon.com/imagebuilder/latest/userguide/cross-account-dist.html):
    /// "the image in the source account is decrypted and pushed to the target Region, where it is re-encrypted using
    /// the designated key for that Region ... that account must have access to keys in both the source and destination
    /// Regions", and the source key is the one the recipe's block devices name ("Specify your encryption key in the
    /// image recipe"). So the key that encrypts the build output grants the role reading only: Decrypt, DescribeKey,
    /// ReEncryptFrom, and grants for AWS resources, through EC2 (kms:ViaService); the destination key of each region
    /// grants the rest (<see cref="RegionalKey"/>). The principal is each account, narrowed to the role by
    /// aws:PrincipalArn, since KMS refuses a key policy naming a role that does not exist yet.
    /// </summary>
    /// <param name="key">The key of the build output (the recipe's volumes), in the factory account.</param>
    /// <param name="targetAccounts">Accounts that get their own copy of the AMIs.</param>
    public static void AllowCopiesFrom(Amazon.CDK.AWS.KMS.IKey key, IReadOnlyList<string> targetAccounts)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (targetAccounts.Count == 0)
        {
            return;
        }

        Checks.List("DistributionTargets.AllowCopiesFrom(targetAccounts)", targetAccounts, Identifiers.AccountId);
        var stack = Stack.Of(key);
        var principals = targetAccounts.Select(a => (Amazon.CDK.AWS.IAM.IPrincipal)new Amazon.CDK.AWS.IAM.AccountPrincipal(a)).ToArray();
        var roles = targetAccounts.Select(a => $"arn:{stack.Partition}:iam::{a}:role/{RegionalKey.DistributionRoleName}").ToArray();
        var viaEc2 = Kms.ViaEc2(stack.UrlSuffix);
        key.AddToResourcePolicy(new Amazon.CDK.AWS.IAM.PolicyStatement(new Amazon.CDK.AWS.IAM.PolicyStatementProps
        {
            Sid = "ReadBuildOutputForTargetAccountCopies",
            Principals = principals,
            Actions = ["kms:Decrypt", "kms:DescribeKey", "kms:ReEncryptFrom"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["ArnEquals"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = roles },
                ["StringLike"] = new Dictionary<string, object> { ["kms:ViaService"] = viaEc2 },
            },
        }));
        key.AddToResourcePolicy(new Amazon.CDK.AWS.IAM.PolicyStatement(new Amazon.CDK.AWS.IAM.PolicyStatementProps
        {
            Sid = "GrantsForTargetAccountCopies",
            Principals = principals,
            Actions = ["kms:CreateGrant"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["ArnEquals"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = roles },
                ["StringLike"] = new Dictionary<string, object> { ["kms:ViaService"] = viaEc2 },
                ["Bool"] = new Dictionary<string, object> { ["kms:GrantIsForAWSResource"] = "true" },
            },
        }));
    }

    /// <summary>The template every target account receives (JSON).</summary>
    public string TemplateBody { get; }

    private static void Validate(Construct scope, DistributionTargetsProps props)
    {
        var where = scope.Node.Path;
        Checks.Shape($"{where}.StackSetName", props.StackSetName, PhysicalNames.StackSet);
        Checks.Shape($"{where}.FactoryAccount", props.FactoryAccount, Identifiers.AccountId);
        if (props.ManagementAccount is { } management)
        {
            Checks.Shape($"{where}.ManagementAccount", management, Identifiers.AccountId);
        }

        var account = Stack.Of(scope).Account;
        if (!Checks.IsToken(account) || props.Deployment == StackSets.ManagementAccount)
        {
            Checks.Require($"{where}.Deployment", StackSets.DeployedFrom(props.Deployment, Checks.IsToken(account) ? props.ManagementAccount ?? account : account, props.ManagementAccount));
        }

        if (props.OrganizationalUnitIds.Count == 0)
        {
            throw new ConstructValidationException($"{where}.OrganizationalUnitIds", "an empty list", "at least one OU id (ou-...) or root id (r-...)");
        }

        Checks.List($"{where}.OrganizationalUnitIds", props.OrganizationalUnitIds, Identifiers.OrganizationalUnitOrRootId);
        if (!Checks.IsToken(props.Region))
        {
            Checks.Require($"{where}.Region", Partitions.Region(props.Region));
        }
        foreach (var region in props.ControlRegions.Where(r => !Checks.IsToken(r)))
        {
            Checks.Require($"{where}.ControlRegions", Partitions.Region(region));
        }

        if (!props.DistributionRole && !props.RetiresCopies && props.AccountControls is null)
        {
            throw new ConstructValidationException($"{where}.DistributionRole", "false, with neither RetiresCopies nor AccountControls", "something to deploy: the distribution role, the lifecycle role or the account controls");
        }

        if (props.FailureTolerancePercentage is < 0 or > 100)
        {
            throw new ConstructValidationException($"{where}.FailureTolerancePercentage", props.FailureTolerancePercentage.ToString(System.Globalization.CultureInfo.InvariantCulture), "a percentage from 0 to 100");
        }

        if (props.MaxConcurrentPercentage is < 1 or > 100)
        {
            throw new ConstructValidationException($"{where}.MaxConcurrentPercentage", props.MaxConcurrentPercentage.ToString(System.Globalization.CultureInfo.InvariantCulture), "a percentage from 1 to 100");
        }
    }

    /// <summary>The role template: the factory account is a parameter, so the body is the same for every factory.</summary>
    private static string RoleTemplate(DistributionTargetsProps props, string where)
    {
        var updatesLaunchTemplates = props.UpdatesLaunchTemplates;
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
                                    ["Condition"] = new Dictionary<string, object>
                                    {
                                        ["ArnEquals"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = Sub($"arn:${{AWS::Partition}}:iam::${{{FactoryAccountParameter}}}:role/{ImageBuilderServiceLinkedRole}") },
                                    },
                                },
                            },
                        },
                        ["ManagedPolicyArns"] = new object[] { Sub($"arn:${{AWS::Partition}}:iam::aws:policy/{ManagedPolicyName}") },
                        ["Policies"] = Policies(updatesLaunchTemplates, Sub),
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

        TargetAccountResources.AddTo(template, props, where);
        return JsonSerializer.Serialize(template);
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
