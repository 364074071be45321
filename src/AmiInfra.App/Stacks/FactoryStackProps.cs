using Amazon.CDK;
using AmiInfra.Declaration;

namespace AmiInfra.App.Stacks;

/// <summary>
/// What every stack of a factory has: its name as the physical stack name (the same at the top
/// level and inside pipeline stages), an explicit environment, a description naming the factory,
/// and termination protection.
/// </summary>
internal static class FactoryStackProps
{
    public static StackProps For(Factory factory, string name, string what, string? region = null, string? account = null) => new()
    {
        StackName = name,
        Env = new Amazon.CDK.Environment { Account = account ?? factory.Account, Region = region ?? factory.Region },
        Description = $"AmiInfra factory {factory.Name}: {what}",
        TerminationProtection = true,
    };
}
