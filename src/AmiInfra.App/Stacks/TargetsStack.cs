using Amazon.CDK;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Declaration;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>
/// The distribution role in every target account, deployed as a service-managed StackSet to the
/// declared OUs. Deploy it from the organization's management account or a delegated administrator.
/// </summary>
public sealed class TargetsStack : Stack
{
    /// <summary>Creates the stack; the factory must declare its organization's target OUs.</summary>
    public TargetsStack(Construct scope, Factory factory)
        : base(scope, $"{factory.Name}-targets", FactoryStackProps.For(factory, $"{factory.Name}-targets", "the Image Builder distribution role in every target account."))
    {
        Targets = new DistributionTargets(this, "DistributionTargets", new DistributionTargetsProps
        {
            StackSetName = $"{factory.Name}-distribution-targets",
            FactoryAccount = factory.Account,
            OrganizationalUnitIds = factory.Organization!.TargetOrganizationalUnits,
            Region = factory.Region,
        });
    }

    /// <summary>The StackSet.</summary>
    public DistributionTargets Targets { get; }
}
