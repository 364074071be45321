using AmiInfra.Declaration;

namespace AmiInfra.Declaration.Tests;

/// <summary>Fast Launch and License Manager configurations of a Windows image, as the loader (and the schema) read them.</summary>
public sealed class WindowsValidationTests
{
    private const string Lic = "arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-0123456789abcdef0123456789abcdef";
    private const string LicEu = "arn:aws:license-manager:eu-west-1:123456789012:license-configuration:lic-fedcba9876543210fedcba9876543210";

    /// <summary>A factory of one Windows Server 2022 image distributed to two regions, with the given image distribution fields.</summary>
    private static string Declaration(string distribution, string factoryDistribution = """{ "regions": ["us-east-1", "eu-west-1"] }""", string platform = "windows") => $$"""
        {
          "name": "golden",
          "account": "123456789012",
          "region": "us-east-1",
          "distribution": {{factoryDistribution}},
          "images": [
            {
              "name": "win2022",
              "platform": "{{platform}}",
              "parent": { "ssmParameter": "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base" },
              "components": [{ "managed": "{{(platform == "windows" ? "update-windows" : "update-linux")}}" }],
              "distribution": {{distribution}}
            }
          ]
        }
        """;

    private static Factory Parse(string json) => SchemaAgreement.Parse(json, AppContext.BaseDirectory);

    private static DeclarationException Reject(string json) => Assert.Throws<DeclarationException>(() => Parse(json));

    [Fact]
    public void Reads_fast_launch_per_region_and_license_configurations()
    {
        var d = Parse(Declaration($$"""
            {
              "fastLaunch": [{ "region": "eu-west-1", "maxParallelLaunches": 10, "targetSnapshotCount": 5, "launchTemplate": { "name": "fast-launch-prep", "version": "$Default" } }],
              "licenseConfigurations": ["{{Lic}}", "{{LicEu}}"]
            }
            """)).Images[0].Distribution;

        var f = Assert.Single(d.FastLaunch);
        Assert.Equal(new FastLaunchSetting("eu-west-1", true, 10, 5, new FastLaunchTemplateReference(null, "fast-launch-prep", "$Default")), f);
        Assert.Equal([Lic, LicEu], d.LicenseConfigurations);
    }

    [Fact]
    public void Without_them_an_image_has_neither()
    {
        var d = Parse(Declaration("{}")).Images[0].Distribution;
        Assert.Empty(d.FastLaunch);
        Assert.Empty(d.LicenseConfigurations);
    }

    [Fact]
    public void Refuses_fast_launch_on_a_linux_image()
    {
        var e = Reject(Declaration("""{ "fastLaunch": [{ "region": "us-east-1" }] }""", platform: "linux"));
        Assert.Equal("images[0].distribution.fastLaunch", e.Path);
        Assert.Equal("Fast Launch on a Linux image (images[0])", e.Value);
    }

    [Fact]
    public void Refuses_fast_launch_a_linux_image_inherits_from_the_factory_naming_both()
    {
        var e = Reject(Declaration("{}", factoryDistribution: """{ "regions": ["us-east-1"], "fastLaunch": [{ "region": "us-east-1" }] }""", platform: "linux"));
        Assert.Equal("distribution.fastLaunch", e.Path);
        Assert.Equal("Fast Launch on a Linux image (images[0])", e.Value);
    }

    [Fact]
    public void Refuses_fewer_than_six_parallel_launches()
    {
        var e = Reject(Declaration("""{ "fastLaunch": [{ "region": "us-east-1", "maxParallelLaunches": 5 }] }"""));
        Assert.Equal("images[0].distribution.fastLaunch[0].maxParallelLaunches", e.Path);
        Assert.Equal("5", e.Value);
        Assert.Contains("at least 6", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Warns_above_the_default_parallel_launch_quota()
    {
        var factory = Parse(Declaration("""{ "fastLaunch": [{ "region": "us-east-1", "maxParallelLaunches": 41 }] }"""));
        Assert.Contains(factory.Warnings, w => w.StartsWith("images[0].distribution.fastLaunch[0].maxParallelLaunches: 41 parallel launches exceed the default quota of 40", StringComparison.Ordinal));
    }

    [Fact]
    public void Fast_launch_on_the_factory_reaches_every_windows_image_and_warns_once()
    {
        var factory = Parse("""
            {
              "name": "golden",
              "account": "123456789012",
              "region": "us-east-1",
              "distribution": { "fastLaunch": [{ "region": "us-east-1", "maxParallelLaunches": 41 }] },
              "images": [
                { "name": "win2022", "platform": "windows", "parent": { "ssmParameter": "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base" }, "components": [{ "managed": "update-windows" }] },
                { "name": "win2019", "platform": "windows", "parent": { "ssmParameter": "/aws/service/ami-windows-latest/Windows_Server-2019-English-Full-Base" }, "components": [{ "managed": "update-windows" }] }
              ]
            }
            """);

        Assert.All(factory.Images, i => Assert.Equal(41, Assert.Single(i.Distribution.FastLaunch).MaxParallelLaunches));
        Assert.Single(factory.Warnings, w => w.StartsWith("distribution.fastLaunch[0].maxParallelLaunches:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10001)]
    public void Refuses_a_snapshot_count_outside_one_to_ten_thousand(int count)
    {
        var e = Reject(Declaration($$"""{ "fastLaunch": [{ "region": "us-east-1", "targetSnapshotCount": {{count}} }] }"""));
        Assert.Equal("images[0].distribution.fastLaunch[0].targetSnapshotCount", e.Path);
    }

    [Fact]
    public void Refuses_fast_launch_in_a_region_the_ami_does_not_go_to()
    {
        var e = Reject(Declaration("""{ "fastLaunch": [{ "region": "ap-south-1" }] }"""));
        Assert.Equal("images[0].distribution.fastLaunch[0].region", e.Path);
        Assert.StartsWith("one of the distribution regions (us-east-1, eu-west-1)", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_fast_launch_twice_in_one_region()
    {
        var e = Reject(Declaration("""{ "fastLaunch": [{ "region": "us-east-1" }, { "region": "us-east-1" }] }"""));
        Assert.Equal("images[0].distribution.fastLaunch[1].region", e.Path);
        Assert.Contains("fastLaunch[0]", e.Accepted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "id": "lt-0123456789abcdef0", "name": "prep", "version": "1" }""", "name")]
    [InlineData("""{ "version": "1" }""", "id")]
    [InlineData("""{ "id": "lt-0123456789abcdef0" }""", "version")]
    [InlineData("""{ "id": "lt-0123456789abcdef0", "version": "latest" }""", "version")]
    [InlineData("""{ "name": "a b", "version": "1" }""", "name")]
    public void Refuses_a_launch_template_ec2_would_refuse_at_its_field(string template, string field)
    {
        var e = Reject(Declaration($$"""{ "fastLaunch": [{ "region": "us-east-1", "launchTemplate": {{template}} }] }"""));
        Assert.Equal($"images[0].distribution.fastLaunch[0].launchTemplate.{field}", e.Path);
    }

    [Fact]
    public void Refuses_a_license_configuration_of_a_region_the_ami_does_not_go_to()
    {
        var e = Reject(Declaration($$"""{ "regions": ["us-east-1"], "licenseConfigurations": ["{{LicEu}}"] }"""));
        Assert.Equal("images[0].distribution.licenseConfigurations[0]", e.Path);
        Assert.EndsWith("(of eu-west-1)", e.Value, StringComparison.Ordinal);
        Assert.Contains("regional", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_malformed_license_configuration()
    {
        var e = Reject(Declaration("""{ "licenseConfigurations": ["lic-0123456789abcdef0123456789abcdef"] }"""));
        Assert.Equal("images[0].distribution.licenseConfigurations[0]", e.Path);
        Assert.Contains("License Manager configuration ARN", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_license_configuration_listed_twice()
    {
        var e = Reject(Declaration($$"""{ "licenseConfigurations": ["{{Lic}}", "{{Lic}}"] }"""));
        Assert.Equal("images[0].distribution.licenseConfigurations[1]", e.Path);
    }
}
