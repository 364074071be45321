using System.Text.Json;
using AmiInfra.Constructs.Distribution;

namespace AmiInfra.Constructs.Tests.Distribution;

/// <summary>
/// A distribution whose copies are shared by the release verification once they passed: the launch permissions are
/// validated as declared but not given to Image Builder, so no one can launch a copy before it was verified.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class LaunchPermissionsAfterVerificationTests
{
    private static DistributionConfigurationProps Props(bool afterVerification, string account = "444455556666") => new()
    {
        DistributionConfigurationName = "golden-al2023",
        Regions =
        [
            new RegionDistribution
            {
                Region = "us-east-1",
                AmiName = "golden-al2023-{{ imagebuilder:buildDate }}",
                KmsKey = TestEnv.AliasKey("us-east-1", "amiinfra/golden"),
                LaunchAccounts = [account],
                LaunchOrganizationalUnitArns = ["arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-cdefgh34"],
                LaunchPermissionsAfterVerification = afterVerification,
            },
        ],
    };

    private static string AmiConfiguration(DistributionConfigurationProps props) =>
        JsonSerializer.Serialize(DistributionConfiguration.Render(props, "Test/Distribution", TestEnv.Account).Properties["Distributions"]);

    [Fact]
    public void The_distribution_shares_each_copy_as_it_lands_unless_the_verification_shares_it_later()
    {
        Assert.Contains("LaunchPermissionConfiguration", AmiConfiguration(Props(afterVerification: false)), StringComparison.Ordinal);
        var later = AmiConfiguration(Props(afterVerification: true));
        Assert.DoesNotContain("LaunchPermissionConfiguration", later, StringComparison.Ordinal);
        Assert.DoesNotContain("444455556666", later, StringComparison.Ordinal);
    }

    [Fact]
    public void Launch_permissions_granted_later_are_still_validated_as_declared()
    {
        var error = Assert.Throws<ConstructValidationException>(() => DistributionConfiguration.Render(Props(afterVerification: true, account: "12345"), "Test/Distribution", TestEnv.Account));
        Assert.Contains("LaunchAccounts", error.Message, StringComparison.Ordinal);
        Assert.Contains("12345", error.Message, StringComparison.Ordinal);
    }
}
