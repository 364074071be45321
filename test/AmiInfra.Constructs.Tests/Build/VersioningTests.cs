using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.KMS;
using AmiInfra.Constructs.Build;

namespace AmiInfra.Constructs.Tests.Build;

/// <summary>
/// The same components and recipes synthesized in three separate apps: as first deployed, again
/// unchanged (a redeploy), and with one edit per recipe (the next deploy). Each recipe isolates one
/// edit; the "steady" recipe and the baseline component have none. Keys and imported ARNs are
/// tokens, whose text counts the tokens created before them: versions must not depend on it.
/// </summary>
public sealed class VersioningFixture
{
    public VersioningFixture()
    {
        First = Synthesize(edited: false);
        Redeployed = Synthesize(edited: false);
        Edited = Synthesize(edited: true);
    }

    /// <summary>Name, version and logical id of every component and recipe, by name.</summary>
    public IReadOnlyDictionary<string, Identity> First { get; }

    public IReadOnlyDictionary<string, Identity> Redeployed { get; }

    public IReadOnlyDictionary<string, Identity> Edited { get; }

    private static IReadOnlyDictionary<string, Identity> Synthesize(bool edited)
    {
        var stack = TestEnv.NewStack("Versions");
        var key = new Key(stack, "ComponentKey", new KeyProps { EnableKeyRotation = true });
        var otherKey = new Key(stack, "OtherKey", new KeyProps { EnableKeyRotation = true });
        var hardening = new Component(stack, "Hardening", new ComponentProps
        {
            ComponentName = "golden-hardening",
            Document = Documents.Parse(edited ? Documents.HardeningEdited : Documents.Hardening, "hardening.yaml"),
            Platform = ComponentPlatform.Linux,
            KmsKey = key,
        });
        var baseline = new Component(stack, "Baseline", new ComponentProps
        {
            ComponentName = "golden-baseline",
            Document = Documents.Parse(Documents.Baseline, "baseline.yaml"),
            Platform = ComponentPlatform.Linux,
        });
        _ = new Component(stack, "Sealed", new ComponentProps
        {
            ComponentName = "golden-sealed",
            Document = Documents.Parse(Documents.Baseline, "baseline.yaml"),
            Platform = ComponentPlatform.Linux,
            KmsKey = edited ? otherKey : key,
        });

        var al2023 = ParentImage.FromSsmParameterName("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
        var root = new BlockDevice { DeviceName = "/dev/xvda", SizeGiB = 30, KmsKey = key };
        ImageRecipeProps Recipe(string name, RecipeComponent component) => new()
        {
            ImageRecipeName = name,
            ParentImage = al2023,
            Components = [component],
            BlockDevices = [root],
        };

        var stable = new RecipeComponent(baseline, new Dictionary<string, string> { ["Channel"] = "stable" });
        _ = new ImageRecipe(stack, "SteadyRecipe", Recipe("golden-steady", stable));
        _ = new ImageRecipe(stack, "ParameterRecipe", Recipe("golden-parameter", edited ? stable with { Parameters = new Dictionary<string, string> { ["Channel"] = "beta" } } : stable));
        _ = new ImageRecipe(stack, "ParentRecipe", Recipe("golden-parent", stable) with
        {
            ParentImage = edited ? ParentImage.FromSsmParameterName("/aws/service/ami-amazon-linux-latest/al2023-ami-minimal-kernel-default-x86_64") : al2023,
        });
        _ = new ImageRecipe(stack, "VolumeRecipe", Recipe("golden-volume", stable) with { BlockDevices = [edited ? root with { SizeGiB = 40 } : root] });
        _ = new ImageRecipe(stack, "ComponentRecipe", Recipe("golden-component", new RecipeComponent(hardening)));
        _ = new ImageRecipe(stack, "ImportedRecipe", Recipe("golden-imported", new RecipeComponent(Component.FromComponentArn(stack, "Cis", Fn.ImportValue(edited ? "golden-cis-v2" : "golden-cis")))));
        _ = new ImageRecipe(stack, "ManagedRecipe", Recipe("golden-managed", new RecipeComponent(Component.FromManaged("update-linux", edited ? "1.0.3" : "1.0.2"))));

        var template = Template.FromStack(stack);
        return Identities(template, "AWS::ImageBuilder::Component").Concat(Identities(template, "AWS::ImageBuilder::ImageRecipe")).ToDictionary(i => i.Name);
    }

    private static IEnumerable<Identity> Identities(Template template, string type) =>
        template.FindResources(type).Select(r =>
        {
            var properties = (IDictionary<string, object>)r.Value["Properties"];
            return new Identity((string)properties["Name"], (string)properties["Version"], r.Key);
        });
}

/// <summary>What decides whether CloudFormation keeps, replaces or collides with a resource.</summary>
public sealed record Identity(string Name, string Version, string LogicalId);

[Collection(CdkCollection.Name)]
public sealed class VersioningTests(VersioningFixture fixture) : IClassFixture<VersioningFixture>
{
    public static TheoryData<string> All => new() { "golden-hardening", "golden-baseline", "golden-steady", "golden-parameter", "golden-parent", "golden-volume", "golden-component", "golden-managed", "golden-sealed", "golden-imported" };

    public static TheoryData<string, string> Edits => new()
    {
        { "golden-hardening", "an edited document" },
        { "golden-parameter", "a changed component parameter" },
        { "golden-parent", "another parent image" },
        { "golden-volume", "a larger volume" },
        { "golden-component", "a new version of its component" },
        { "golden-managed", "another version of an AWS-managed component" },
        { "golden-sealed", "another key of the stack" },
        { "golden-imported", "another component imported from another stack" },
    };

    [Theory]
    [MemberData(nameof(All))]
    public void Unchanged_content_redeploys_with_the_same_name_version_and_logical_id(string name)
    {
        Assert.Equal(fixture.First[name], fixture.Redeployed[name]);
    }

    [Theory]
    [MemberData(nameof(Edits))]
    public void Changed_content_keeps_name_and_logical_id_and_deploys_as_a_new_version(string name, string edit)
    {
        var before = fixture.First[name];
        var after = fixture.Edited[name];

        Assert.Equal(before.LogicalId, after.LogicalId);
        Assert.Equal(before.Name, after.Name);
        Assert.True(before.Version != after.Version, $"{name} with {edit} kept version {before.Version}");
        Assert.Equal(VersionPrefix(before.Version), VersionPrefix(after.Version));
    }

    [Theory]
    [InlineData("golden-baseline")]
    [InlineData("golden-steady")]
    public void Edits_elsewhere_leave_a_component_or_recipe_untouched(string name)
    {
        Assert.Equal(fixture.First[name], fixture.Edited[name]);
    }

    [Fact]
    public void Every_version_is_major_minor_and_a_content_derived_patch_within_image_builder_range()
    {
        foreach (var identity in fixture.First.Values.Concat(fixture.Edited.Values))
        {
            Assert.Matches(@"^1\.0\.\d+$", identity.Version);
            Assert.InRange(long.Parse(identity.Version[4..], System.Globalization.CultureInfo.InvariantCulture), 0, Component.MaxVersionNode);
        }
    }

    private static string VersionPrefix(string version) => version[..version.LastIndexOf('.')];
}
