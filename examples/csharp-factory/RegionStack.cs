using Amazon.CDK;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Constructs.Lifecycle;
using AmiInfra.Constructs.Release;
using Constructs;

namespace CSharpFactory;

/// <summary>
/// What the factory needs in one distribution region: the AMI key, Recycle Bin rules under the lifecycle policies, and
/// the release verification that launches every copy landing here, smoke-tests it and only then shares it with the
/// consumers (in the home region, also the instance profile it launches with: IAM is global).
/// </summary>
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
        var home = region == settings.HomeRegion;
        _ = new ReleaseVerification(this, "Release", new ReleaseVerificationProps
        {
            FactoryName = settings.Name,
            Images = FactorySettings.ImageNames.Select(image => new ReleaseImage
            {
                ImageName = image,
                InstanceType = "t3.micro",
                Commands = ["systemctl is-active amazon-ssm-agent"],
                LaunchPermissions = new ReleaseLaunchPermissions
                {
                    Accounts = settings.LaunchAccounts,
                    OrganizationalUnitArns = settings.LaunchOrganizationalUnitArns,
                },
            }).ToList(),

            // Failures are events on this region's default bus; the other regions forward them to the home region's,
            // where the factory stack's rule tells the build topic.
            FailuresForwardedTo = home ? null : $"arn:aws:events:{settings.HomeRegion}:{settings.Account}:event-bus/default",
        });
        if (home)
        {
            _ = new ReleaseInstanceProfile(this, "ReleaseInstance", settings.Name);
        }
    }

    /// <summary>The regional AMI key.</summary>
    public RegionalKey Key { get; }
}
