using Amazon.CDK.AWS.KMS;
using AmiInfra.Constructs.Build;
using BuildParent = AmiInfra.Constructs.Build.ParentImage;
using AmiInfra.Declaration;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>One image of the factory: its recipe and pipeline, under a construct named after the image.</summary>
public sealed class ImageBuild : Construct
{
    /// <summary>Maps <paramref name="image"/> onto a recipe and a pipeline.</summary>
    public ImageBuild(Construct scope, Image image, Factory factory, ComponentCatalog components, BuildInfrastructure build, IKey buildKey)
        : base(scope, image.Name)
    {
        Image = image;
        var index = IndexOf(factory, image);
        var path = $"images[{index}]";
        var name = $"{factory.Name}-{image.Name}";
        var tags = new Dictionary<string, string>(factory.Tags);
        foreach (var (key, value) in image.Tags)
        {
            tags[key] = value;
        }

        tags[AmiTagKeys.Factory] = factory.Name;
        tags[AmiTagKeys.Image] = image.Name;

        Recipe = new ImageRecipe(this, "Recipe", new ImageRecipeProps
        {
            Name = name,
            Description = string.IsNullOrEmpty(image.Description) ? null : image.Description,
            ParentImage = image.Parent.Kind switch
            {
                ParentImageKind.SsmParameter => BuildParent.FromSsmParameter(image.Parent.Value),
                ParentImageKind.AmiId => BuildParent.FromAmiId(image.Parent.Value),
                ParentImageKind.ImageBuilder => BuildParent.FromImageBuilderImage(image.Parent.Value),
                _ => BuildParent.FromMarketplace(image.Parent.Value),
            },
            Components = image.Components
                .Select((c, i) => new RecipeComponent(components.For(c, image, $"{path}.components[{i}]"), c.Parameters))
                .ToList(),
            BlockDevices =
            [
                new BlockDevice
                {
                    DeviceName = image.RootVolume.DeviceName,
                    SizeGiB = image.RootVolume.SizeGiB,
                    VolumeType = image.RootVolume.VolumeType,
                    Iops = image.RootVolume.Iops,
                    ThroughputMiBps = image.RootVolume.ThroughputMiBps,
                    KmsKeyArn = buildKey.KeyArn,
                    KmsKeyIdentity = FactoryStack.BuildKeyAlias(factory),
                },
            ],
            WorkingDirectory = image.WorkingDirectory,
            RemoveSsmAgent = image.RemoveSsmAgent,
            UserData = image.UserDataFile is null ? null : File.ReadAllText(Path.Combine(factory.BaseDirectory, image.UserDataFile)),
            Tags = tags,
        });

        Pipeline = new ImagePipeline(this, "Pipeline", new ImagePipelineProps
        {
            Name = name,
            Description = string.IsNullOrEmpty(image.Description) ? null : image.Description,
            ImageRecipeArn = Recipe.ImageRecipeArn,
            InfrastructureConfigurationArn = image.InstanceTypes is { } types ? build.InfrastructureFor(types) : build.DefaultInfrastructureArn,
            Cron = image.Schedule?.Cron,
            StartCondition = image.Schedule is { StartConditionDeclared: true } s
                ? s.StartCondition == "EXPRESSION_MATCH_ONLY" ? StartCondition.ExpressionMatchOnly : StartCondition.ExpressionMatchAndDependencyUpdatesAvailable
                : null,
            Timezone = image.Schedule?.Timezone,
            Enabled = image.Enabled,
            TestsEnabled = image.Tests.Enabled,
            TestTimeoutMinutes = image.Tests.TimeoutMinutes,
            ScanningEnabled = image.Scanning,
            EnhancedMetadata = image.EnhancedMetadata,
            Tags = tags,
        });
    }

    /// <summary>The declared image.</summary>
    public Image Image { get; }

    /// <summary>The image's recipe.</summary>
    public ImageRecipe Recipe { get; }

    /// <summary>The image's pipeline.</summary>
    public ImagePipeline Pipeline { get; }

    private static int IndexOf(Factory factory, Image image)
    {
        for (var i = 0; i < factory.Images.Count; i++)
        {
            if (ReferenceEquals(factory.Images[i], image))
            {
                return i;
            }
        }

        return -1;
    }
}
