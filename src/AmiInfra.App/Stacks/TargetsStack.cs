using Amazon.CDK;
using AmiInfra.Constructs.TargetAccounts;
using AmiInfra.Declaration;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>
/// What every account of the target OUs receives from the factory, as one service-managed StackSet
/// (<see cref="TargetAccountStackSet"/>): the distribution role where AMIs are copied or launch templates updated, the
/// lifecycle role that retires the copies there, and the account controls for AMIs the governance declares (in every
/// distribution region). The stack lives where the declaration says StackSets are created from: the factory account as
/// a delegated administrator for StackSets (CallAs DELEGATED_ADMIN, the default), or the organization's management
/// account (CallAs SELF).
/// </summary>
public sealed class TargetsStack : Stack
{
    /// <summary>Creates the stack; the factory must declare its organization's target OUs.</summary>
    public TargetsStack(Construct scope, Factory factory)
        : base(scope, NameOf(factory), FactoryStackProps.For(factory, NameOf(factory), Description(factory), account: AccountOf(factory)))
    {
        var organization = factory.Organization!;

        // The construct id and the StackSet name are those of the first releases: the id makes the StackSet's logical
        // id, and a new logical id or name would replace the StackSet, deleting its stack instances in every account.
        Targets = new TargetAccountStackSet(this, "DistributionTargets", new TargetAccountStackSetProps
        {
            StackSetName = $"{factory.Name}-distribution-targets",
            FactoryAccount = factory.Account,
            OrganizationalUnitIds = organization.TargetOrganizationalUnits,
            Region = factory.Region,
            Deployment = organization.StackSetsFrom,
            ManagementAccount = organization.ManagementAccount,
            UpdatesLaunchTemplates = UpdatesLaunchTemplates(factory),
            DistributionRole = Distributes(factory),
            WorkflowExecutionRoles = factory.Images.Any(i => i.Workflows.Count > 0) ? [ImageWorkflows.RoleName(factory.Name, "*")] : [],
            RetiresCopies = RetiresCopies(factory),
            RetentionMarkerFactory = RetiresCopies(factory) ? factory.Name : null,
            ReleaseFactory = VerifiedInTargetAccounts(factory).Any() || PromotedInConsumerAccounts(factory) ? factory.Name : null,
            ReleaseRegions = VerifiedInTargetAccounts(factory).SelectMany(i => i.Distribution.Regions).Distinct(StringComparer.Ordinal).ToList(),
            ReleaseAccounts = VerifiedInTargetAccounts(factory).SelectMany(i => i.Distribution.TargetAccounts).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            AccountControls = factory.GovernsTargetAccounts ? DeclaredAccountControls.ForTargetAccounts(factory) : null,
            ControlRegions = factory.GovernsTargetAccounts ? factory.DistributionRegions : [],
            EbsDefaultKeyAlias = factory.GovernsTargetAccounts ? DeclaredAccountControls.TargetAccountEbsKeyAlias(factory) : null,
            RetainStacksOnAccountRemoval = AmiInfra.Rules.StackSets.RetainsStacks(organization.OnAccountRemoval),
        });
    }

    /// <summary>The StackSet.</summary>
    public TargetAccountStackSet Targets { get; }

    /// <summary>Whether the release verification updates a launch template of another account (for the factory's copies shared with it).</summary>
    private static bool PromotedInConsumerAccounts(Factory factory) =>
        factory.Images.Any(i => i.Release.Enabled && i.Distribution.LaunchTemplates.Any(t => t.AccountId is { } a && a != factory.Account));

    /// <summary>The images whose copies in target accounts the release verification verifies.</summary>
    private static IEnumerable<Image> VerifiedInTargetAccounts(Factory factory) =>
        factory.Images.Where(i => i.Release.Enabled && i.Distribution.TargetAccounts.Count > 0);

    /// <summary>The stack's name.</summary>
    public static string NameOf(Factory factory) => $"{factory.Name}-targets";

    /// <summary>The stack's description: what the StackSet puts into every account of the target OUs.</summary>
    public static string Description(Factory factory)
    {
        var parts = new List<string>();
        if (Distributes(factory))
        {
            parts.Add("the Image Builder distribution role");
        }

        if (RetiresCopies(factory))
        {
            parts.Add("the lifecycle role");
            parts.Add("the retention marker's role");
        }

        if (factory.GovernsTargetAccounts)
        {
            parts.Add(DeclaredAccountControls.TargetAccountEbsKeyAlias(factory) is null ? "the account controls for AMIs" : "the account controls for AMIs with a default EBS key of the account's own");
        }

        var what = parts.Count == 1 ? parts[0] : $"{string.Join(", ", parts.Take(parts.Count - 1))} and {parts[^1]}";
        return $"the StackSet that puts {what} into every account of the target OUs.";
    }

    /// <summary>The account the stack is deployed in: where the StackSet can be created from.</summary>
    public static string AccountOf(Factory factory) => factory.Organization!.StackSetAccount(factory.Account);

    /// <summary>Whether the factory needs the StackSet: the distribution role in other accounts, or its governance there.</summary>
    public static bool IsNeeded(Factory factory) => Distributes(factory) || factory.GovernsTargetAccounts;

    /// <summary>Whether the factory needs the distribution role in other accounts: target accounts, or launch templates there.</summary>
    public static bool Distributes(Factory factory) =>
        factory.Images.Any(i => i.Distribution.TargetAccounts.Count > 0) || UpdatesLaunchTemplates(factory);

    /// <summary>
    /// Whether target accounts need the lifecycle role: an image that retires its AMIs is copied into them, and the
    /// copies are the target accounts' own (Image Builder retires them through that role).
    /// </summary>
    public static bool RetiresCopies(Factory factory) =>
        factory.Images.Any(i => i.Lifecycle is not null && i.Distribution.TargetAccounts.Count > 0);

    /// <summary>Whether any image updates a launch template of another account (through the role there).</summary>
    public static bool UpdatesLaunchTemplates(Factory factory) =>
        factory.Images.Any(i => i.Distribution.LaunchTemplates.Any(t => t.AccountId is not null));
}
