using Amazon.CDK.Assertions;
using AmiInfra.Constructs.Distribution;

namespace AmiInfra.Constructs.Tests.Distribution;

/// <summary>A Windows distribution synthesized once: Fast Launch and a license configuration in us-east-1, neither in eu-west-1.</summary>
public sealed class WindowsDistributionFixture
{
    public const string License = "arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-0123456789abcdef0123456789abcdef";

    public WindowsDistributionFixture()
    {
        var stack = TestEnv.NewStack("Windows");
        _ = new DistributionConfiguration(stack, "Distribution", new DistributionConfigurationProps
        {
            DistributionConfigurationName = "golden-windows",
            Regions =
            [
                Region("us-east-1") with
                {
                    FastLaunch =
                    [
                        new FastLaunchSettings
                        {
                            MaxParallelLaunches = 6,
                            TargetSnapshotCount = 5,
                            LaunchTemplate = new FastLaunchTemplate { LaunchTemplateId = "lt-0123456789abcdef0", Version = "1" },
                        },
                        new FastLaunchSettings { AccountId = "444455556666", Enabled = false },
                    ],
                    LicenseConfigurationArns = [License],
                },
                Region("eu-west-1"),
            ],
        });
        Template = Template.FromStack(stack);
    }

    public Template Template { get; }

    public static RegionDistribution Region(string region) => new()
    {
        Region = region,
        KmsKey = TestEnv.AliasKey(region, "amiinfra/golden"),
        AmiName = "golden-windows-{{ imagebuilder:buildDate }}",
        TargetAccounts = ["444455556666"],
    };
}

[Collection(CdkCollection.Name)]
public sealed class WindowsDistributionTests(WindowsDistributionFixture fixture, ScopeFixture scope) : IClassFixture<WindowsDistributionFixture>, IClassFixture<ScopeFixture>
{
    private static readonly RegionDistribution Valid = WindowsDistributionFixture.Region("us-east-1");

    private void HasRegion(string region, Dictionary<string, object> properties)
    {
        properties["Region"] = region;
        fixture.Template.HasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", new Dictionary<string, object>
        {
            ["Distributions"] = Match.ArrayWith([Match.ObjectLike(properties)]),
        });
    }

    private ConstructValidationException Reject(RegionDistribution region) =>
        Assert.Throws<ConstructValidationException>(() => new DistributionConfiguration(scope.Stack, "Distribution", new DistributionConfigurationProps
        {
            DistributionConfigurationName = "golden-windows",
            Regions = [region],
        }));

    [Fact]
    public void Fast_launch_renders_parallel_launches_snapshot_count_and_launch_template()
    {
        HasRegion("us-east-1", new Dictionary<string, object>
        {
            ["FastLaunchConfigurations"] = new object[]
            {
                Match.ObjectEquals(new Dictionary<string, object>
                {
                    ["Enabled"] = true,
                    ["MaxParallelLaunches"] = 6,
                    ["SnapshotConfiguration"] = new Dictionary<string, object> { ["TargetResourceCount"] = 5 },
                    ["LaunchTemplate"] = new Dictionary<string, object> { ["LaunchTemplateId"] = "lt-0123456789abcdef0", ["LaunchTemplateVersion"] = "1" },
                }),
                Match.ObjectEquals(new Dictionary<string, object> { ["Enabled"] = false, ["AccountId"] = "444455556666" }),
            },
        });
    }

    [Fact]
    public void License_configurations_are_associated_in_their_region()
    {
        HasRegion("us-east-1", new Dictionary<string, object> { ["LicenseConfigurationArns"] = new[] { WindowsDistributionFixture.License } });
    }

    [Fact]
    public void A_region_without_them_renders_neither()
    {
        HasRegion("eu-west-1", new Dictionary<string, object> { ["FastLaunchConfigurations"] = Match.Absent(), ["LicenseConfigurationArns"] = Match.Absent() });
    }

    [Fact]
    public void Rejects_fewer_than_six_parallel_launches()
    {
        var e = Reject(Valid with { FastLaunch = [new FastLaunchSettings { MaxParallelLaunches = 5 }] });
        Assert.Equal("Validation/Distribution.Regions[0].FastLaunch[0].MaxParallelLaunches", e.Where);
        Assert.Equal("5", e.Value);
    }

    [Fact]
    public void Rejects_a_snapshot_count_above_ten_thousand()
    {
        var e = Reject(Valid with { FastLaunch = [new FastLaunchSettings { TargetSnapshotCount = 10001 }] });
        Assert.Equal("Validation/Distribution.Regions[0].FastLaunch[0].TargetSnapshotCount", e.Where);
    }

    [Fact]
    public void Rejects_a_launch_template_by_id_and_name()
    {
        var e = Reject(Valid with { FastLaunch = [new FastLaunchSettings { LaunchTemplate = new FastLaunchTemplate { LaunchTemplateId = "lt-0123456789abcdef0", LaunchTemplateName = "prep", Version = "1" } }] });
        Assert.Equal("Validation/Distribution.Regions[0].FastLaunch[0].LaunchTemplate.LaunchTemplateName", e.Where);
    }

    [Fact]
    public void Rejects_a_launch_template_version_ec2_does_not_take()
    {
        var e = Reject(Valid with { FastLaunch = [new FastLaunchSettings { LaunchTemplate = new FastLaunchTemplate { LaunchTemplateName = "prep", Version = "latest" } }] });
        Assert.Equal("Validation/Distribution.Regions[0].FastLaunch[0].LaunchTemplate.Version", e.Where);
        Assert.Equal("\"latest\"", e.Value);
    }

    [Fact]
    public void Rejects_fast_launch_for_an_account_that_owns_no_copy()
    {
        var e = Reject(Valid with { FastLaunch = [new FastLaunchSettings { AccountId = "777788889999" }] });
        Assert.Equal("Validation/Distribution.Regions[0].FastLaunch[0].AccountId", e.Where);
        Assert.Contains("owner of the AMI copy", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_two_fast_launch_settings_for_one_account()
    {
        var e = Reject(Valid with { FastLaunch = [new FastLaunchSettings(), new FastLaunchSettings { AccountId = TestEnv.Account }] });
        Assert.Equal("Validation/Distribution.Regions[0].FastLaunch[1].AccountId", e.Where);
    }

    [Fact]
    public void Rejects_a_license_configuration_of_another_region()
    {
        var e = Reject(Valid with { LicenseConfigurationArns = [WindowsDistributionFixture.License.Replace("us-east-1", "eu-west-1", StringComparison.Ordinal)] });
        Assert.Equal("Validation/Distribution.Regions[0].LicenseConfigurationArns[0]", e.Where);
        Assert.Contains("regional", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_malformed_license_configuration_arn()
    {
        var e = Reject(Valid with { LicenseConfigurationArns = ["lic-0123456789abcdef0123456789abcdef"] });
        Assert.Equal("Validation/Distribution.Regions[0].LicenseConfigurationArns[0]", e.Where);
        Assert.Contains("License Manager configuration ARN", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_more_than_fifty_license_configurations()
    {
        var many = Enumerable.Range(0, 51).Select(i => WindowsDistributionFixture.License[..^2] + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var e = Reject(Valid with { LicenseConfigurationArns = many });
        Assert.Equal("Validation/Distribution.Regions[0].LicenseConfigurationArns", e.Where);
        Assert.Equal("51 license configurations", e.Value);
    }
}
