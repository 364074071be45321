using Amazon.CDK;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.TargetAccounts;

/// <summary>Props of <see cref="TargetAccountStackSet"/>.</summary>
public sealed record TargetAccountStackSetProps
{
    /// <summary>The StackSet name (a letter, then letters, digits and hyphens; up to 128). No default.</summary>
    public required string StackSetName { get; init; }

    /// <summary>The factory account (12 digits) that the roles trust and whose KMS keys the distribution role may use. No default.</summary>
    public required string FactoryAccount { get; init; }

    /// <summary>OU ids (ou-...) or root ids (r-...) whose accounts get the stack; new accounts get it on arrival. No default.</summary>
    public required IReadOnlyList<string> OrganizationalUnitIds { get; init; }

    /// <summary>
    /// The region of the roles (IAM is global: they are created in this region only). The stack instances are deployed
    /// here, and in <see cref="ControlRegions"/> when there are <see cref="AccountControls"/>. No default.
    /// </summary>
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
    /// Let the distribution role update launch templates of its account that Image Builder created (tagged CreatedBy:
    /// EC2 Image Builder), for distributions whose launch-template configurations name accounts of the OUs. Default: false.
    /// </summary>
    public bool UpdatesLaunchTemplates { get; init; }

    /// <summary>
    /// Put the distribution role <see cref="RegionalKey.DistributionRoleName"/> into the accounts (for copies and launch
    /// templates there). Default: true.
    /// </summary>
    public bool DistributionRole { get; init; } = true;

    /// <summary>
    /// Names (a * matches any characters) of the roles in the factory account that pipelines with workflows run as
    /// (<see cref="Build.WorkflowExecutionRole"/>): with an execution role, Image Builder distributes as that role, so the
    /// distribution role trusts them too, beside Image Builder's service-linked role. Default: none.
    /// </summary>
    public IReadOnlyList<string> WorkflowExecutionRoles { get; init; } = [];

    /// <summary>
    /// Put the role Ec2ImageBuilderCrossAccountLifecycleAccess into the accounts too, so that the factory's lifecycle
    /// policies retire the copies the accounts own (<see cref="Lifecycle.CrossAccountLifecycleRole"/>). Default: false.
    /// </summary>
    public bool RetiresCopies { get; init; }

    /// <summary>
    /// The factory whose <see cref="Lifecycle.RetentionMarker"/> marks the retention windows of the copies the accounts
    /// own: puts its role <see cref="Lifecycle.RetentionMarker.TargetRoleName"/> into the accounts, trusted only by the
    /// marker's role in <see cref="FactoryAccount"/>. Default: none (no marker role).
    /// </summary>
    public string? RetentionMarkerFactory { get; init; }

    /// <summary>
    /// The factory whose <see cref="Release.ReleaseVerification"/> verifies the copies the accounts own: puts its target
    /// role, the release instance profile and the rule that forwards new AMIs to the factory account into the accounts
    /// (<see cref="ReleaseTargetPart"/>). Default: none.
    /// </summary>
    public string? ReleaseFactory { get; init; }

    /// <summary>
    /// With <see cref="ReleaseFactory"/>: the regions where the accounts receive copies (the distribution's regions), besides
    /// <see cref="Region"/>. The stack instances span them too, and each gets the rule that forwards the account's new AMIs
    /// to the factory account's bus of that region (EventBridge rules are regional). Default: none.
    /// </summary>
    public IReadOnlyList<string> ReleaseRegions { get; init; } = [];

    /// <summary>
    /// With <see cref="ReleaseFactory"/>: the accounts of the OUs that receive copies (the distribution's target accounts),
    /// whose new AMIs are forwarded to the factory account; the factory account's bus lets exactly these put events
    /// (<see cref="Release.ReleaseVerificationProps.TargetAccounts"/>). The other accounts of the OUs get the target role
    /// (for consumer launch templates) but forward nothing. Default: none.
    /// </summary>
    public IReadOnlyList<string> ReleaseAccounts { get; init; } = [];

    /// <summary>
    /// The account controls for AMIs to set in every account, in <see cref="Region"/> and every region of
    /// <see cref="ControlRegions"/> (<see cref="Governance.AccountControls"/>). Default: none.
    /// </summary>
    public Governance.AccountControlsProps? AccountControls { get; init; }

    /// <summary>
    /// With <see cref="AccountControls"/> that turn EBS encryption by default on and name no default key: create a
    /// customer-managed key with this alias (alias/...) in every account and region of the stack instances, and make it
    /// the account's default EBS key there, so that the volumes and snapshots the account creates can be shared with other
    /// accounts (which aws/ebs, the account's default, does not allow). The key rotates, its policy lets the account's
    /// principals use it only through EC2, and it is kept when the stack goes. Default: none (the account's default key stays).
    /// </summary>
    public string? EbsDefaultKeyAlias { get; init; }

    /// <summary>The regions where the account controls are set, besides <see cref="Region"/>. Default: none.</summary>
    public IReadOnlyList<string> ControlRegions { get; init; } = [];

    /// <summary>
    /// Keep the stack (roles, controls) in an account that leaves the target OUs. Kept, it is an ordinary stack of the
    /// account, detached from the StackSet for good ("The stacks cannot be reassociated with an existing or new stack
    /// set": https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html):
    /// its roles keep trusting the factory account and its account controls stay set, and since their names are fixed,
    /// a new stack instance fails should the account come back to an OU before someone deletes the kept stack. Deleted,
    /// the account loses the roles and its account controls are restored as they were. Default: false (deleted).
    /// </summary>
    public bool RetainStacksOnAccountRemoval { get; init; }

    /// <summary>Percentage (0 to 100) of accounts per region that may fail before the operation stops. Default: 10.</summary>
    public int FailureTolerancePercentage { get; init; } = 10;

    /// <summary>Percentage (1 to 100) of accounts deployed to at the same time. Default: 25.</summary>
    public int MaxConcurrentPercentage { get; init; } = 25;
}

/// <summary>
/// What every account of the given OUs receives from the factory, deployed as a service-managed CloudFormation StackSet
/// with auto-deployment (hundreds of accounts, or whole OUs, and new accounts on arrival). Its template is composed of
/// parts, each adding itself: the distribution role <c>EC2ImageBuilderDistributionCrossAccountRole</c>, through which
/// Image Builder in the factory account copies AMIs into the account (and updates its launch templates); the lifecycle
/// role <c>Ec2ImageBuilderCrossAccountLifecycleAccess</c>, through which the factory's lifecycle policies retire those
/// copies; and the account controls for AMIs, in every region the controls are set in. The roles are created in
/// <see cref="TargetAccountStackSetProps.Region"/> only (IAM is global). The StackSet must be created from the
/// organization's management account or a delegated administrator for StackSets, with trusted access for StackSets
/// enabled.
/// </summary>
public sealed class TargetAccountStackSet : Construct
{
    /// <summary>The AWS-managed policy Image Builder documents for the cross-account distribution role.</summary>
    public const string ManagedPolicyName = "Ec2ImageBuilderCrossAccountDistributionAccess";

    /// <summary>Image Builder's service-linked role in the factory account (its path and name), the only principal the distribution role trusts.</summary>
    public const string ImageBuilderServiceLinkedRole = "aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder";

    /// <summary>The tag Image Builder puts on what it creates, and which the launch-template statements require.</summary>
    public const string CreatedByImageBuilder = "EC2 Image Builder";

    /// <summary>The name of the template parameter that receives the factory account.</summary>
    public const string FactoryAccountParameter = TargetAccountTemplate.FactoryAccountParameter;

    /// <summary>Creates the StackSet.</summary>
    public TargetAccountStackSet(Construct scope, string id, TargetAccountStackSetProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Validate(this, props);
        var template = Template(props, Node.Path);
        TemplateBody = template.Render();
        Checks.Require($"{Node.Path}.TemplateBody", StackSets.TemplateBody(System.Text.Encoding.UTF8.GetByteCount(TemplateBody)));
        Summary = template.Summary;
        Resource = new CfnStackSet(this, "Resource", new CfnStackSetProps
        {
            StackSetName = props.StackSetName,
            Description = $"AmiInfra: what every account of the target OUs receives from the factory account {props.FactoryAccount}: {Summary}",
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
                    Regions = Regions(props),
                },
            },
            TemplateBody = TemplateBody,
        });
    }

    /// <summary>The StackSet.</summary>
    public CfnStackSet Resource { get; }

    /// <summary>The template every target account receives (JSON).</summary>
    public string TemplateBody { get; }

    /// <summary>What the template holds, in words ("the distribution role ... and the account controls for AMIs ...").</summary>
    public string Summary { get; }

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
        ArgumentNullException.ThrowIfNull(targetAccounts);
        if (targetAccounts.Count == 0)
        {
            return;
        }

        Checks.List("TargetAccountStackSet.AllowCopiesFrom(targetAccounts)", targetAccounts, Identifiers.AccountId);
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

    /// <summary>The regions of the stack instances: the roles' region first, then the controls' regions, then the release's.</summary>
    internal static string[] Regions(TargetAccountStackSetProps props) =>
        [.. new[] { props.Region }
            .Concat(props.AccountControls is null ? [] : props.ControlRegions)
            .Concat(props.ReleaseFactory is null ? [] : props.ReleaseRegions)
            .Distinct(StringComparer.Ordinal)];

    /// <summary>The template: each part adds itself. The factory account is a parameter, so the parts are the same for every factory.</summary>
    private static TargetAccountTemplate Template(TargetAccountStackSetProps props, string where)
    {
        var template = new TargetAccountTemplate(Regions(props));
        if (props.DistributionRole)
        {
            DistributionRolePart.AddTo(template, props.UpdatesLaunchTemplates, props.WorkflowExecutionRoles);
        }

        if (props.RetiresCopies)
        {
            LifecycleRolePart.AddTo(template);
        }

        if (props.RetentionMarkerFactory is { } factory)
        {
            RetentionMarkerRolePart.AddTo(template, factory);
        }

        if (props.ReleaseFactory is { } released)
        {
            ReleaseTargetPart.AddTo(template, released, [props.Region, .. props.ReleaseRegions], props.ReleaseAccounts);
        }

        if (props.AccountControls is { } controls)
        {
            AccountControlsPart.AddTo(template, controls, where, [props.Region, .. props.ControlRegions], props.EbsDefaultKeyAlias);
        }

        return template;
    }

    private static void Validate(Construct scope, TargetAccountStackSetProps props)
    {
        var where = scope.Node.Path;
        Checks.Shape($"{where}.StackSetName", props.StackSetName, PhysicalNames.StackSet);
        Checks.Shape($"{where}.FactoryAccount", props.FactoryAccount, Identifiers.AccountId);
        for (var i = 0; i < props.WorkflowExecutionRoles.Count; i++)
        {
            // A role name (IAM CreateRole RoleName), where * stands for any characters (ArnLike).
            Checks.Shape($"{where}.WorkflowExecutionRoles[{i}]", props.WorkflowExecutionRoles[i].Replace('*', 'x'), PhysicalNames.IamRole);
        }

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

        foreach (var region in props.ReleaseRegions.Where(r => !Checks.IsToken(r)))
        {
            Checks.Require($"{where}.ReleaseRegions", Partitions.Region(region));
        }

        for (var i = 0; i < props.ReleaseAccounts.Count; i++)
        {
            Checks.Shape($"{where}.ReleaseAccounts[{i}]", props.ReleaseAccounts[i], Identifiers.AccountId);
        }

        if (!props.DistributionRole && !props.RetiresCopies && props.RetentionMarkerFactory is null && props.AccountControls is null)
        {
            throw new ConstructValidationException($"{where}.DistributionRole", "false, with neither RetiresCopies, RetentionMarkerFactory nor AccountControls", "something to deploy: the distribution role, the lifecycle role, the retention marker's role or the account controls");
        }

        if (props.RetentionMarkerFactory is { } factory && !System.Text.RegularExpressions.Regex.IsMatch(factory, "^[A-Za-z0-9-]{1,40}$"))
        {
            throw new ConstructValidationException($"{where}.RetentionMarkerFactory", $"\"{factory}\"", "the RetentionMarker's FactoryName: 1 to 40 letters, digits and hyphens");
        }

        if (props.EbsDefaultKeyAlias is { } alias)
        {
            if (props.AccountControls is not { EbsEncryptionByDefault: true, EbsDefaultKey: null })
            {
                throw new ConstructValidationException($"{where}.EbsDefaultKeyAlias", $"\"{alias}\"", "no key alias unless AccountControls turn EbsEncryptionByDefault on and name no EbsDefaultKey (the key becomes the default key of encryption by default)");
            }

            if (!System.Text.RegularExpressions.Regex.IsMatch(alias, "^alias/[a-zA-Z0-9/_-]{1,250}$") || alias.StartsWith("alias/aws/", StringComparison.Ordinal))
            {
                throw new ConstructValidationException($"{where}.EbsDefaultKeyAlias", $"\"{alias}\"", "alias/ followed by letters, digits, / _ and -, not alias/aws/ (KMS CreateAlias)");
            }
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

}
