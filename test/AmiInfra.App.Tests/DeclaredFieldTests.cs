using System.Text.Json.Nodes;
using AmiInfra.App.Stacks;
using AmiInfra.Declaration;

namespace AmiInfra.App.Tests;

/// <summary>
/// Every rejection a construct can make of a value the app took from the declaration is reported by
/// the declaration field, never by a construct path. The loader rejects all of them first; here the
/// declaration is changed after loading, so that the constructs see each bad value and the safety
/// net (DeclaredAt) is what reports it.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class DeclaredFieldTests
{
    private static Factory Changed(Func<Factory, Factory> change) => change(Declarations.Default());

    private static Factory WithImage(Func<Image, Image> change) =>
        Changed(f => f with { Images = [change(f.Images[0]), .. f.Images.Skip(1)] });

    public static TheoryData<string, string> Cases() => new()
    {
        { "description", "images[0].description" },
        { "amiName", "images[0].distribution.amiName" },
        { "amiTags", "images[0].distribution.amiTags" },
        // The regional key, made first, takes the accounts of every image: it names the factory's field.
        { "launchAccounts", "distribution.launchPermissions.accounts" },
        { "ssmParameter", "images[0].distribution.ssmParameter" },
        { "rootVolume", "images[0].rootVolume" },
        { "components", "images[0].components" },
        { "cron", "images[0].schedule.cron" },
        { "testTimeout", "images[0].tests.timeoutMinutes" },
        { "keepAtLeast", "images[0].lifecycle.keepAtLeast" },
        { "exclusionTags", "images[0].lifecycle.exclude" },
        { "instanceTypes", "build.instanceTypes" },
        { "recycleBin", "lifecycle.recycleBin" },
        { "fastLaunch", "images[0].distribution.fastLaunch" },
        { "licenseConfigurations", "images[0].distribution.licenseConfigurations" },
        { "fastLaunchRegion", "images[0].distribution.fastLaunch" },
        { "licenseConfigurationRegion", "images[0].distribution.licenseConfigurations" },
    };

    private static Factory Bad(string what) => what switch
    {
        "description" => WithImage(i => i with { Description = new string('d', 1025) }),
        "amiName" => WithImage(i => i with { Distribution = i.Distribution with { AmiName = "golden-al2023" } }),
        "amiTags" => WithImage(i => i with { Distribution = i.Distribution with { AmiTags = Enumerable.Range(0, 48).ToDictionary(n => $"k{n}", _ => "v") } }),
        "launchAccounts" => WithImage(i => i with { Distribution = i.Distribution with { LaunchAccounts = ["1234"] } }),
        "ssmParameter" => WithImage(i => i with { Distribution = i.Distribution with { SsmParameterName = "/aws/reserved" }, Release = i.Release with { Enabled = false } }),
        "rootVolume" => WithImage(i => i with { RootVolume = i.RootVolume with { SizeGiB = 20000 } }),
        "components" => WithImage(i => i with { Components = [.. Enumerable.Repeat(i.Components[0], 21)] }),
        "cron" => WithImage(i => i with { Schedule = i.Schedule! with { Cron = "cron(0 4 * * sun *)" } }),
        "testTimeout" => WithImage(i => i with { Tests = new ImageTests(true, 30) }),
        "keepAtLeast" => WithImage(i => i with { Lifecycle = i.Lifecycle! with { KeepAtLeast = 11 } }),
        "exclusionTags" => WithImage(i => i with { Lifecycle = i.Lifecycle! with { Exclusions = i.Lifecycle.Exclusions with { Tags = new Dictionary<string, string> { ["Büro"] = "x" } } } }),
        "instanceTypes" => Changed(f => f with { Build = f.Build with { InstanceTypes = ["m7i.Large"] } }),
        "recycleBin" => WithImage(i => i with { Lifecycle = i.Lifecycle! with { RecycleBinDays = 400, SnapshotRecycleBinDays = 400 } }),
        "fastLaunch" => WithImage(i => i with { Distribution = i.Distribution with { FastLaunch = [new FastLaunchSetting(i.Distribution.Regions[0], true, 2, null, null)] } }),
        "licenseConfigurations" => WithImage(i => i with { Distribution = i.Distribution with { LicenseConfigurations = ["lic-0123456789abcdef0123456789abcdef"] } }),
        "fastLaunchRegion" => WithImage(i => i with { Distribution = i.Distribution with { FastLaunch = [new FastLaunchSetting("ap-south-2", true, null, null, null)] } }),
        "licenseConfigurationRegion" => WithImage(i => i with { Distribution = i.Distribution with { LicenseConfigurations = ["arn:aws:license-manager:ap-south-2:123456789012:license-configuration:lic-0123456789abcdef0123456789abcdef"] } }),
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_construct_rejection_names_the_declaration_field(string what, string field)
    {
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps { Outdir = Directory.CreateTempSubdirectory("amiinfra-declared-").FullName });

        var e = Assert.Throws<DeclarationException>(() => FactoryComposition.Compose(app, Bad(what)));

        Assert.StartsWith(field, e.Path, StringComparison.Ordinal);
        Assert.DoesNotContain("/", e.Path, StringComparison.Ordinal);
    }

    /// <summary>Every declaration field the maps name is a field of the schema, so no rejection is reported by a field that does not exist.</summary>
    [Fact]
    public void The_fields_construct_props_map_onto_exist_in_the_declaration()
    {
        var schema = JsonNode.Parse(File.ReadAllText(Repository.Path("factory", "factory.schema.json")))!;
        var image = schema["$defs"]!["image"]!;
        var maps = new[] { ImageBuild.RecipeFields, ImageBuild.DistributionFields, ImageBuild.PipelineFields, ImageBuild.LifecycleFields };

        Assert.All(maps.SelectMany(m => m.Values).Where(v => v.Length > 0), field => Assert.NotNull(At(schema, image, field)));
        Assert.All(FactoryComposition.FactoryFields.Values.Concat(FactoryComposition.RegionalFields.Values).Where(v => v.Length > 0), field => Assert.NotNull(At(schema, schema, field)));
    }

    /// <summary>The schema of a dotted field below <paramref name="start"/>, following $ref into $defs.</summary>
    private static JsonNode? At(JsonNode schema, JsonNode start, string field)
    {
        var node = start;
        foreach (var part in field.Split('.'))
        {
            while (node?["$ref"] is { } reference)
            {
                node = schema["$defs"]![((string)reference!)["#/$defs/".Length..]];
            }

            node = node?["properties"]?[part];
        }

        return node;
    }
}

/// <summary>The declaration's warnings are warnings of the synth, on the core stack, as `cdk synth` prints them.</summary>
[Collection(CdkCollection.Name)]
public sealed class DeclarationWarningSynthTests
{
    [Fact]
    public void A_declaration_warning_is_a_warning_of_the_synth()
    {
        var factory = Declarations.Default();
        var image = factory.Images[0];
        factory = factory with
        {
            Images = [image with { Components = [.. image.Components, new ComponentReference { Managed = "amazon-corretto-21-headless" }] }, .. factory.Images.Skip(1)],
            Warnings = ["images[0].components[2].managed: \"amazon-corretto-21-headless\" is not an AWS-managed component AmiInfra knows"],
        };

        var synthesized = Synthesized.From(factory);
        var warnings = synthesized.Manifest["artifacts"]!["golden-factory"]!["metadata"]!.AsObject()
            .SelectMany(m => m.Value!.AsArray())
            .Where(entry => (string?)entry!["type"] == "aws:cdk:warning")
            .Select(entry => (string)entry!["data"]!)
            .ToList();

        Assert.Contains(warnings, w => w.StartsWith("images[0].components[2].managed: \"amazon-corretto-21-headless\"", StringComparison.Ordinal));
    }
}
