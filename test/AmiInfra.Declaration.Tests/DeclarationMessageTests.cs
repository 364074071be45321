using AmiInfra.Declaration;

namespace AmiInfra.Declaration.Tests;

/// <summary>Every message names a field (or the file), the value received and what is accepted.</summary>
public sealed class DeclarationMessageTests
{
    [Theory]
    [InlineData("[]", "a list")]
    [InlineData("42", "42")]
    [InlineData("\"golden\"", "\"golden\"")]
    [InlineData("null", "null")]
    public void A_declaration_that_is_not_an_object_is_named_by_its_source(string json, string value)
    {
        var e = Assert.Throws<DeclarationException>(() => SchemaAgreement.Parse(json, Path.GetTempPath()));

        Assert.Equal("declaration", e.Path);
        Assert.Equal($"declaration: got {value}; expected a JSON object describing the factory", e.Message);
    }
}

/// <summary>What is legal but likely not meant is a warning naming the field, not an error.</summary>
public sealed class DeclarationWarningTests
{
    private static Factory Load(string components) => SchemaAgreement.Parse($$"""
        {
          "name": "golden",
          "account": "123456789012",
          "region": "us-east-1",
          "images": [
            {
              "name": "al2023",
              "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
              "components": {{components}}
            }
          ]
        }
        """, Path.Combine(DefaultFactoryTests.RepositoryRoot, "factory"));

    [Fact]
    public void Warns_of_a_managed_component_the_catalog_does_not_know_with_the_closest_names()
    {
        var factory = Load("""[{ "managed": "update-linx" }]""");

        var warning = Assert.Single(factory.Warnings);
        Assert.StartsWith("images[0].components[0].managed: \"update-linx\" is not an AWS-managed component AmiInfra knows (did you mean update-linux?)", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_a_managed_component_newer_than_the_catalog()
    {
        var factory = Load("""[{ "managed": "update-linux" }, { "managed": "amazon-corretto-21-headless" }]""");

        Assert.Equal("amazon-corretto-21-headless", factory.Images[0].Components[1].Managed);
        Assert.Single(factory.Warnings);
    }

    [Fact]
    public void Gives_each_image_a_log_group_of_ninety_days_and_no_event_bus_by_default()
    {
        var factory = Load("""[{ "managed": "update-linux" }]""");

        Assert.Equal(90, factory.Build.LogGroupRetentionDays);
        Assert.Null(factory.Build.EventBusArn);
    }

    [Fact]
    public void Has_no_warning_for_the_default_factory()
    {
        Assert.Empty(FactoryLoader.Load(Path.Combine(DefaultFactoryTests.RepositoryRoot, "factory")).Warnings);
    }

    private static Factory LoadImage(string imageFields, string factoryFields = "") => SchemaAgreement.Parse($$"""
        {
          "name": "golden",
          "account": "123456789012",
          "region": "us-east-1",
          {{factoryFields}}
          "images": [
            {
              "name": "custom",
              {{imageFields}}
              "components": [{ "managed": "update-linux" }]
            }
          ]
        }
        """, Path.GetTempPath());

    [Fact]
    public void Warns_once_of_a_parent_whose_architecture_and_root_snapshot_synth_cannot_know()
    {
        var factory = LoadImage(""" "parent": { "amiId": "ami-0123456789abcdef0" }, "rootVolume": { "sizeGiB": 12 },""");

        var warning = Assert.Single(factory.Warnings);
        Assert.StartsWith("images[0].parent: the parent's architecture is not known at synth (\"ami-0123456789abcdef0\"); the build fails unless it is x86_64", warning, StringComparison.Ordinal);
        Assert.Contains("the build fails if it is larger than the root volume, 12 GiB", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Warns_of_instance_types_of_two_architectures_for_a_parent_synth_cannot_know()
    {
        var factory = LoadImage(""" "parent": { "marketplace": "prod-abcdefgh12345" }, "instanceTypes": ["m7i.large", "m7g.large"],""");

        Assert.Contains("the instance types are of x86_64 or arm64: an AMI has one architecture", Assert.Single(factory.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Warns_of_an_instance_family_newer_than_the_catalogue_and_takes_it()
    {
        var factory = LoadImage(""" "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },""", """ "build": { "instanceTypes": ["m99x.large"] },""");

        Assert.Equal(["m99x.large"], factory.Build.InstanceTypes);
        Assert.StartsWith("build.instanceTypes[0]: \"m99x.large\" is an instance type of a family AmiInfra's catalogue does not have", Assert.Single(factory.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_known_parent_on_types_of_its_architecture_gives_no_warning()
    {
        var factory = LoadImage(""" "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64" }, "instanceTypes": ["m7g.large", "c7g.large"],""");

        Assert.Empty(factory.Warnings);
        Assert.Equal(["m7i.large", "m6i.large"], factory.Build.InstanceTypes);
    }
}
