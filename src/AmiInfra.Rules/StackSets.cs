namespace AmiInfra.Rules;

/// <summary>Where a service-managed StackSet is created from, and with which CallAs.</summary>
/// <param name="Name">The name the declaration uses.</param>
/// <param name="CallAs">The CallAs value of AWS::CloudFormation::StackSet for this way.</param>
/// <param name="Meaning">What it means, in words.</param>
public sealed record StackSetDeployment(string Name, string CallAs, string Meaning);

/// <summary>
/// What AWS CloudFormation accepts of a service-managed StackSet (PermissionModel SERVICE_MANAGED).
/// Sources: AWS::CloudFormation::StackSet, CallAs
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cloudformation-stackset.html#cfn-cloudformation-stackset-callas):
/// "To create a StackSet with service-managed permissions while signed in to the management account,
/// specify SELF. To create a StackSet with service-managed permissions while signed in to a delegated
/// administrator account, specify DELEGATED_ADMIN. Your Amazon Web Services account must be registered
/// as a delegated admin in the management account"; DeploymentTargets
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeploymentTargets.html):
/// "StackSets doesn't deploy stack instances to the organization management account, even if the
/// organization management account is in your organization or in an OU in your organization";
/// AWS Organizations RegisterDelegatedAdministrator, ConstraintViolationException reason
/// CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR
/// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_RegisterDelegatedAdministrator.html):
/// the management account cannot be a delegated administrator.
/// </summary>
public static class StackSets
{
    /// <summary>From an account registered as delegated administrator for StackSets (CallAs DELEGATED_ADMIN).</summary>
    public static readonly StackSetDeployment DelegatedAdministrator = new(
        "delegated-administrator", "DELEGATED_ADMIN", "from an account registered as delegated administrator for CloudFormation StackSets");

    /// <summary>From the organization's management account (CallAs SELF).</summary>
    public static readonly StackSetDeployment ManagementAccount = new(
        "management-account", "SELF", "from the organization's management account");

    /// <summary>Both ways, the default first.</summary>
    public static readonly IReadOnlyList<StackSetDeployment> Deployments = [DelegatedAdministrator, ManagementAccount];

    /// <summary>The names of <see cref="Deployments"/>, for messages and the schema.</summary>
    public static IReadOnlyList<string> DeploymentNames => Deployments.Select(d => d.Name).ToList();

    /// <summary>The deployment of a name, or null.</summary>
    public static StackSetDeployment? Named(string name) => Deployments.FirstOrDefault(d => d.Name == name);

    /// <summary>
    /// The account a service-managed StackSet can be created from, for a way of deploying it: SELF only
    /// from the management account, DELEGATED_ADMIN only from a registered delegated administrator, which
    /// the management account cannot be. <paramref name="managementAccount"/> is null when not known.
    /// </summary>
    public static Problem? DeployedFrom(StackSetDeployment deployment, string stackAccount, string? managementAccount)
    {
        if (deployment == ManagementAccount && managementAccount is null)
        {
            return new Problem(null, "the management account's id: a StackSet with CallAs SELF is created in the organization's management account");
        }

        if (deployment == ManagementAccount && stackAccount != managementAccount)
        {
            return new Problem(Text.Quote(stackAccount), $"the management account {managementAccount}: CallAs SELF works only there");
        }

        return deployment == DelegatedAdministrator && stackAccount == managementAccount
            ? new Problem($"{deployment.Name} from {stackAccount}, the management account", $"{ManagementAccount.Name}: the management account cannot be registered as a delegated administrator, so CallAs DELEGATED_ADMIN fails there")
            : null;
    }

    /// <summary>
    /// What happens to an account's stack when the account leaves the target OUs: "retain" (the default) keeps it, as an
    /// ordinary stack detached from the StackSet; "delete" deletes it. AWS::CloudFormation::StackSet AutoDeployment,
    /// RetainStacksOnAccountRemoval: "If set to true, stack resources are retained when an account is removed from a
    /// target organization or OU. If set to false, stack resources are deleted"
    /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudformation-stackset-autodeployment.html);
    /// "The stacks cannot be reassociated with an existing or new stack set"
    /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-manage-auto-deployment.html).
    /// </summary>
    public static readonly IReadOnlyList<string> AccountRemovals = ["retain", "delete"];

    /// <summary>Whether an account removal keeps the stack (RetainStacksOnAccountRemoval).</summary>
    public static bool RetainsStacks(string accountRemoval) => accountRemoval == AccountRemovals[0];

    /// <summary>
    /// The most bytes a StackSet's template body may hold (CreateStackSet, TemplateBody: "a maximum length of
    /// 51,200 bytes", https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStackSet.html).
    /// </summary>
    public const int MaxTemplateBodyBytes = 51_200;

    /// <summary>A StackSet's template body of <paramref name="bytes"/> bytes (UTF-8): at most <see cref="MaxTemplateBodyBytes"/>.</summary>
    public static Problem? TemplateBody(int bytes) =>
        bytes > MaxTemplateBodyBytes
            ? new Problem(bytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " bytes", $"a template body of at most {MaxTemplateBodyBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} bytes, CloudFormation's limit for a StackSet")
            : null;

    /// <summary>
    /// An account a service-managed StackSet should put a stack into: never the management account,
    /// where StackSets does not deploy. <paramref name="managementAccount"/> is null when not known.
    /// </summary>
    public static Problem? TargetAccount(string account, string? managementAccount) =>
        account == managementAccount
            ? new Problem(Text.Quote(account), "an account other than the organization's management account: service-managed StackSets never deploy stack instances there, so the distribution role would never reach it")
            : null;
}
