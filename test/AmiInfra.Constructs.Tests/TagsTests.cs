using Amazon.CDK;
using Amazon.CDK.Assertions;
using AmiInfra.Constructs.Build;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Constructs.Lifecycle;
using BuildDocuments = AmiInfra.Constructs.Tests.Build.Documents;

namespace AmiInfra.Constructs.Tests;

/// <summary>
/// Tags.Of on a stack of constructs only, and on a stack whose image resources are a fragment, synthesized once. Each
/// image resource has its own tags team=platform and owner=image; the stacks are tagged cost-center=42 (default
/// priority), team=factory (priority 10, below a resource's own tags) and owner=tags-of (default priority, above them).
/// </summary>
public sealed class TagsFixture
{
    public static readonly IReadOnlyDictionary<string, string> OwnTags = new Dictionary<string, string> { ["team"] = "platform", ["owner"] = "image" };

    public static readonly string[] ImageBuilderTypes =
    [
        "AWS::ImageBuilder::Component", "AWS::ImageBuilder::ImageRecipe", "AWS::ImageBuilder::InfrastructureConfiguration",
        "AWS::ImageBuilder::DistributionConfiguration", "AWS::ImageBuilder::ImagePipeline", "AWS::ImageBuilder::LifecyclePolicy",
    ];

    public TagsFixture()
    {
        var app = new App();
        Constructs = Stack(app, "Constructs");
        var key = new Amazon.CDK.AWS.KMS.Key(Constructs, "Key", new Amazon.CDK.AWS.KMS.KeyProps { EnableKeyRotation = true });
        var component = new Component(Constructs, "Component", new ComponentProps { ComponentName = "golden-baseline", Document = BuildDocuments.Parse(BuildDocuments.Baseline), Platform = ComponentPlatform.Linux, Tags = OwnTags });
        var infrastructure = new InfrastructureConfiguration(Constructs, "Infrastructure", new InfrastructureConfigurationProps { Tags = OwnTags });
        var recipe = new ImageRecipe(Constructs, "Recipe", Recipe(component, key));
        var distribution = new DistributionConfiguration(Constructs, "Distribution", Distribution());
        _ = new ImagePipeline(Constructs, "Pipeline", new ImagePipelineProps { Recipe = recipe, InfrastructureConfiguration = infrastructure, DistributionConfiguration = distribution, Tags = OwnTags });
        _ = new AmiLifecyclePolicy(Constructs, "Lifecycle", Lifecycle(new LifecycleExecutionRole(Constructs, "Role").Role));
        _ = new RecycleBinRetention(Constructs, "RecycleBin", new RecycleBinRetentionProps { FactoryName = "golden", Tags = OwnTags });

        Fragments = Stack(app, "Fragments");
        var fragmentKey = new Amazon.CDK.AWS.KMS.Key(Fragments, "Key", new Amazon.CDK.AWS.KMS.KeyProps { EnableKeyRotation = true });
        var rendered = ImageRecipe.Render(Recipe(Component.FromManaged("update-linux"), fragmentKey) with { ImageRecipeName = "golden-al2023" }, "Fragments/Recipe", Fragments);
        _ = new CfnFragment(Fragments, "Images",
        [
            new("Recipe", rendered.Resource),
            new("Distribution", DistributionConfiguration.Render(Distribution() with { DistributionConfigurationName = "golden-al2023" }, "Fragments/Distribution", TestEnv.Account)),
            new("Pipeline", ImagePipeline.Render(new ImagePipelineProps
            {
                ImagePipelineName = "golden-al2023",
                Recipe = rendered.InFragment("Recipe"),
                DistributionConfiguration = DistributionConfiguration.FromFragment("Distribution", "golden-al2023"),
                InfrastructureConfiguration = InfrastructureConfiguration.FromInfrastructureConfigurationName(Fragments, "Infrastructure", "golden-build"),
                Tags = OwnTags,
            }, "Fragments/Pipeline")),
            new("Lifecycle", AmiLifecyclePolicy.Render(Lifecycle(TestEnv.LifecycleRole) with { LifecyclePolicyName = "golden-al2023" }, "Fragments/Lifecycle")),
        ]);

        foreach (var stack in new[] { Constructs, Fragments })
        {
            Amazon.CDK.Tags.Of(stack).Add("cost-center", "42");
            Amazon.CDK.Tags.Of(stack).Add("team", "factory", new TagProps { Priority = 10 });
            Amazon.CDK.Tags.Of(stack).Add("owner", "tags-of");
        }

        ConstructsTemplate = Template.FromStack(Constructs);
        FragmentsTemplate = Template.FromStack(Fragments);
    }

    public Stack Constructs { get; }

    public Stack Fragments { get; }

    public Template ConstructsTemplate { get; }

    public Template FragmentsTemplate { get; }

    private static Stack Stack(App app, string id) =>
        new(app, id, new StackProps { Env = new Amazon.CDK.Environment { Account = TestEnv.Account, Region = TestEnv.Region } });

    private static ImageRecipeProps Recipe(IComponent component, Amazon.CDK.AWS.KMS.IKey key) => new()
    {
        ParentImage = ParentImage.FromSsmParameterName("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
        Components = [new RecipeComponent(component)],
        BlockDevices = [new BlockDevice { DeviceName = "/dev/xvda", SizeGiB = 20, KmsKey = key }],
        Tags = OwnTags,
    };

    private static DistributionConfigurationProps Distribution() => new()
    {
        Regions = [new RegionDistribution { Region = TestEnv.Region, AmiName = "golden-{{ imagebuilder:buildDate }}" }],
        Tags = OwnTags,
    };

    private static AmiLifecyclePolicyProps Lifecycle(Amazon.CDK.AWS.IAM.IRole role) => new()
    {
        ExecutionRole = role,
        Recipes = [new RecipeSelection("golden-al2023")],
        Deprecate = LifecycleRule.Age(90),
        Tags = OwnTags,
    };
}

[Collection(CdkCollection.Name)]
public sealed class TagsTests(TagsFixture fixture) : IClassFixture<TagsFixture>
{
    private static readonly Dictionary<string, object> Expected = new()
    {
        ["cost-center"] = "42",
        ["team"] = "platform",
        ["owner"] = "tags-of",
    };

    public static TheoryData<string> ImageBuilderTypes() => new(TagsFixture.ImageBuilderTypes);

    [Theory]
    [MemberData(nameof(ImageBuilderTypes))]
    public void Tags_of_a_stack_of_constructs_reach_every_image_builder_resource_and_its_own_tags_win_below_priority_50(string type)
    {
        fixture.ConstructsTemplate.AllResourcesProperties(type, Match.ObjectLike(new Dictionary<string, object> { ["Tags"] = Match.ObjectEquals(Expected) }));
    }

    [Theory]
    [InlineData("AWS::ImageBuilder::ImageRecipe")]
    [InlineData("AWS::ImageBuilder::DistributionConfiguration")]
    [InlineData("AWS::ImageBuilder::ImagePipeline")]
    public void Tags_of_a_stack_reach_the_resources_of_a_fragment_alike(string type)
    {
        fixture.FragmentsTemplate.AllResourcesProperties(type, Match.ObjectLike(new Dictionary<string, object> { ["Tags"] = Match.ObjectEquals(Expected) }));
    }

    /// <summary>
    /// The CDK's L1 of AWS::ImageBuilder::LifecyclePolicy has no tag manager in Amazon.CDK.Lib 2.160, so Tags.Of does not
    /// reach the lifecycle policy a fragment includes: it keeps the tags it was rendered with (the app renders the
    /// factory's into it). The AmiLifecyclePolicy construct is taggable.
    /// </summary>
    [Fact]
    public void A_lifecycle_policy_of_a_fragment_keeps_the_tags_it_was_rendered_with()
    {
        fixture.FragmentsTemplate.AllResourcesProperties("AWS::ImageBuilder::LifecyclePolicy", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Tags"] = Match.ObjectEquals(new Dictionary<string, object> { ["team"] = "platform", ["owner"] = "image" }),
        }));
    }

    [Fact]
    public void Recycle_bin_rules_take_tags_as_a_list()
    {
        fixture.ConstructsTemplate.AllResourcesProperties("AWS::Rbin::Rule", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Tags"] = new object[]
            {
                new Dictionary<string, object> { ["Key"] = "cost-center", ["Value"] = "42" },
                new Dictionary<string, object> { ["Key"] = "owner", ["Value"] = "tags-of" },
                new Dictionary<string, object> { ["Key"] = "team", ["Value"] = "platform" },
            },
        }));
    }

    [Fact]
    public void Resources_of_the_cdks_own_constructs_get_the_tags_too()
    {
        fixture.ConstructsTemplate.HasResourceProperties("AWS::IAM::Role", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Tags"] = Match.ArrayWith([new Dictionary<string, object> { ["Key"] = "cost-center", ["Value"] = "42" }, new Dictionary<string, object> { ["Key"] = "team", ["Value"] = "factory" }]),
        }));
    }
}
