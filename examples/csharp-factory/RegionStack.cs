using Amazon.CDK;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Constructs.Lifecycle;
using Constructs;

namespace CSharpFactory;

/// <summary>What the factory needs in one distribution region: the AMI key, and Recycle Bin rules under the lifecycle policies.</summary>
public sealed class RegionStack : Stack
{
    /// <summary>Creates the stack of <paramref name="region"/>.</summary>
    public RegionStack(Construct scope, FactorySettings settings, string region)
        : base(scope, $"{settings.Name}-region-{region}", settings.StackProps($"{settings.Name}-region-{region}", region, $"C# example factory {settings.Name}: AMI key and Recycle Bin rules of {region}"))
    {
        // The consumers may launch and copy the AMIs this key encrypts (through EC2 only).
        Key = new RegionalKey(this, "AmiKey", new RegionalKeyProps
        {
            AliasName = settings.KeyAlias,
            LaunchAccounts = settings.LaunchAccounts,
            LaunchOrganizationalUnitArns = settings.LaunchOrganizationalUnitArns,
        });

        _ = new RecycleBinRetention(this, "RecycleBin", new RecycleBinRetentionProps
        {
            FactoryName = settings.Name,
            AmiRetentionDays = 14,
        });
    }

    /// <summary>The regional AMI key.</summary>
    public RegionalKey Key { get; }
}
