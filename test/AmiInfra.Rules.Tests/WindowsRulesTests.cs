using AmiInfra.Rules;

namespace AmiInfra.Rules.Tests;

/// <summary>EC2 Fast Launch and License Manager configurations at their edges.</summary>
public sealed class WindowsRulesTests
{
    private const string Lic = "arn:aws:license-manager:eu-west-1:123456789012:license-configuration:lic-0123456789abcdef0123456789abcdef";

    [Fact]
    public void Fast_launch_only_on_windows_images()
    {
        Assert.Null(FastLaunch.ForImage(windows: true));
        var problem = FastLaunch.ForImage(windows: false);
        Assert.NotNull(problem);
        Assert.Contains("Linux", problem.Value, StringComparison.Ordinal);
        Assert.Contains("Windows images only", problem.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Parallel_launches_start_at_six_as_ec2_says_not_at_image_builders_one()
    {
        Assert.Null(FastLaunch.MaxParallelLaunches(FastLaunch.MinParallelLaunches, out _));
        var problem = FastLaunch.MaxParallelLaunches(FastLaunch.MinParallelLaunches - 1, out _);
        Assert.Equal("5", problem?.Value);
        Assert.Contains("at least 6", problem!.Accepted, StringComparison.Ordinal);
        Assert.NotNull(FastLaunch.MaxParallelLaunches(1, out _));
    }

    [Fact]
    public void Parallel_launches_above_the_default_quota_warn_without_refusing()
    {
        Assert.Null(FastLaunch.MaxParallelLaunches(FastLaunch.DefaultParallelLaunchQuota, out var none));
        Assert.Null(none);
        Assert.Null(FastLaunch.MaxParallelLaunches(FastLaunch.DefaultParallelLaunchQuota + 1, out var warning));
        Assert.Contains("quota of 40", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(10000, true)]
    [InlineData(10001, false)]
    public void Target_snapshot_count_is_one_to_ten_thousand(int count, bool accepted)
    {
        var problem = FastLaunch.TargetSnapshotCount(count);
        Assert.Equal(accepted, problem is null);
        if (!accepted)
        {
            Assert.Contains("from 1 to 10000", problem!.Accepted, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("lt-0123456789abcdef0", null, "1")]
    [InlineData("lt-0123456789abcdef0", null, "$Latest")]
    [InlineData(null, "fast-launch/windows_(2022).prep", "$Default")]
    [InlineData(null, "abc", "123456789012345678")]
    public void Accepts_a_launch_template_by_id_or_name_with_a_version(string? id, string? name, string version) =>
        Assert.Null(FastLaunch.LaunchTemplate(id, name, version));

    [Theory]
    [InlineData("lt-0123456789abcdef0", "prep", "1", "name")]
    [InlineData(null, null, "1", "id")]
    [InlineData("lt-0123", null, "1", "id")]
    [InlineData(null, "ab", "1", "name")]
    [InlineData(null, "has space", "1", "name")]
    [InlineData("lt-0123456789abcdef0", null, null, "version")]
    [InlineData("lt-0123456789abcdef0", null, "0", "version")]
    [InlineData("lt-0123456789abcdef0", null, "$latest", "version")]
    public void Refuses_a_launch_template_ec2_would_refuse(string? id, string? name, string? version, string part) =>
        Assert.Equal(part, FastLaunch.LaunchTemplate(id, name, version)?.Part);

    [Fact]
    public void Launch_template_name_is_3_to_128_characters()
    {
        Assert.Null(FastLaunch.LaunchTemplateName.Check(new string('a', 128)));
        Assert.NotNull(FastLaunch.LaunchTemplateName.Check(new string('a', 129)));
        Assert.Null(FastLaunch.LaunchTemplateName.Check("abc"));
    }

    [Fact]
    public void Fast_launch_account_is_the_owner_of_the_copy()
    {
        Assert.Null(FastLaunch.Account("123456789012", "123456789012", []));
        Assert.Null(FastLaunch.Account("111122223333", "123456789012", ["111122223333"]));
        Assert.Contains("owner of the AMI copy", FastLaunch.Account("444455556666", "123456789012", ["111122223333"])?.Accepted, StringComparison.Ordinal);
        Assert.Equal(Identifiers.AccountId.Accepted, FastLaunch.Account("1234", "123456789012", [])?.Accepted);
    }

    [Fact]
    public void License_configuration_arn_follows_image_builders_pattern()
    {
        Assert.Null(LicenseConfigurations.Check(Lic, Partitions.Aws));
        Assert.NotNull(LicenseConfigurations.Check(Lic.Replace("lic-0123456789abcdef0123456789abcdef", "lic-0123", StringComparison.Ordinal), Partitions.Aws));
        Assert.NotNull(LicenseConfigurations.Check(Lic.Replace("license-configuration", "license", StringComparison.Ordinal), Partitions.Aws));
        Assert.NotNull(LicenseConfigurations.Check(Lic.Replace("123456789012", "12345", StringComparison.Ordinal), Partitions.Aws));
    }

    [Fact]
    public void License_configuration_of_another_partition_is_refused()
    {
        var china = "arn:aws-cn:license-manager:cn-north-1:123456789012:license-configuration:lic-0123456789abcdef0123456789abcdef";
        Assert.Null(LicenseConfigurations.Check(china, Partitions.China));
        Assert.Contains("partition", LicenseConfigurations.Check(china, Partitions.Aws)?.Accepted, StringComparison.Ordinal);
        Assert.NotNull(LicenseConfigurations.Check(Lic.Replace("eu-west-1", "cn-north-1", StringComparison.Ordinal), Partitions.Aws));
    }

    [Fact]
    public void License_configuration_is_associated_in_its_own_region()
    {
        Assert.Equal("eu-west-1", LicenseConfigurations.RegionOf(Lic));
        Assert.Null(LicenseConfigurations.InRegions(Lic, ["us-east-1", "eu-west-1"]));
        var problem = LicenseConfigurations.InRegions(Lic, ["us-east-1"]);
        Assert.Contains("of eu-west-1", problem?.Value, StringComparison.Ordinal);
        Assert.Contains("regional", problem!.Accepted, StringComparison.Ordinal);
    }
}
