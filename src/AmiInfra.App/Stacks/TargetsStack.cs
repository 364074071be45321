using Amazon.CDK;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Declaration;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>
/// The distribution role in every account of the target OUs, deployed as a service-managed StackSet. The stack
/// lives where the declaration says StackSets are created from: the factory account as a delegated administrator
/// for StackSets (CallAs DELEGATED_ADMIN, the default), or the organization's management account (CallAs SELF).
/// </summary>
public sealed class TargetsStack : Stack
{
    /// <summary>Creates the stack; the factory must declare its organization's target OUs.</summary>
    public TargetsStack(Construct scope, Factory factory)
        : base(scope, NameOf(factory), FactoryStackProps.For(factory, NameOf(factory), "the Image Builder distribution role in every target account.", account: AccountOf(factory)))
    {
        var organization = factory.Organization!;
        Targets = new DistributionTargets(this, "DistributionTargets", new DistributionTargetsProps
        {
            StackSetName = $"{factory.Name}-distribution-targets",
            FactoryAccount = factory.Account,
            OrganizationalUnitIds = organization.TargetOrganizationalUnits,
            Region = factory.Region,
            Deployment = organization.StackSetsFrom,
            ManagementAccount = organization.ManagementAccount,
            UpdatesLaunchTemplates = UpdatesLaunchTemplates(factory),
        });
    }

    /// <summary>The StackSet.</summary>
    public DistributionTargets Targets { get; }

    /// <summary>The stack's name.</summary>
    public static string NameOf(Factory factory) => $"{factory.Name}-targets";

    /// <summary>The account the stack is deployed in: where the StackSet can be created from.</summary>
    public static string AccountOf(Factory factory) => factory.Organization!.StackSetAccount(factory.Account);

    /// <summary>Whether the factory needs the distribution role in other accounts: target accounts, or launch templates there.</summary>
    public static bool IsNeeded(Factory factory) =>
        factory.Images.Any(i => i.Distribution.TargetAccounts.Count > 0) || UpdatesLaunchTemplates(factory);

    /// <summary>Whether any image updates a launch template of another account (through the role there).</summary>
    public static bool UpdatesLaunchTemplates(Factory factory) =>
        factory.Images.Any(i => i.Distribution.LaunchTemplates.Any(t => t.AccountId is not null));
}
