using System.Security.Cryptography;
using System.Text;
using Amazon.CDK;
using AmiInfra.Constructs;
using AmiInfra.Declaration;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>
/// One of a factory's image stacks. Every image belongs to the stack its name hashes to, one of
/// <see cref="ShardCount"/>, so adding or removing an image never moves another image to another
/// stack or changes its logical ids, and no stack nears CloudFormation's limits (500 resources,
/// 1 MB) even for a thousand images.
/// </summary>
public sealed class ImageStack : Stack
{
    /// <summary>How many image stacks a factory can have.</summary>
    public const int ShardCount = 16;

    /// <summary>Creates the stack holding <paramref name="images"/>.</summary>
    public ImageStack(Construct scope, Factory factory, int shard, IReadOnlyList<Image> images, FactoryStack core, ImageReferences references)
        : base(scope, NameOf(factory, shard), FactoryStackProps.For(factory, NameOf(factory, shard), $"image pipelines ({string.Join(", ", images.Select(i => i.Name))})"))
    {
        Shard = shard;
        References = references;
        Images = images.Select(image => new ImageBuild(this, image, factory, core)).ToList();

        // Every resource of every image in one jsii call: the cost of a stack no longer grows with
        // a construct per resource.
        Resources = new CfnFragment(this, "Images", Images.SelectMany(i => i.Resources).ToList());

        // The images rebuilt on a new CVE: a rule and a one-call state machine each (none unless declared).
        foreach (var image in images.Where(i => i.Release.RebuildOnCveSeverity is not null))
        {
            _ = new AmiInfra.Constructs.Release.CveRebuild(this, $"{image.Name}-cve", new AmiInfra.Constructs.Release.CveRebuildProps
            {
                FactoryName = factory.Name,
                ImageName = image.Name,
                PipelineName = ImageBuild.RecipeName(factory, image),
                RecipeName = ImageBuild.RecipeName(factory, image),
                MinimumSeverity = image.Release.RebuildOnCveSeverity!,
            });
        }

        AddDependency(core, "recipes, pipelines and lifecycle policies use the shared build infrastructure, components and role by name");
    }

    /// <summary>What the images of the stack refer to, imported once per factory.</summary>
    public ImageReferences References { get; }

    /// <summary>The shard number.</summary>
    public int Shard { get; }

    /// <summary>The images of this stack, in declaration order.</summary>
    public IReadOnlyList<ImageBuild> Images { get; }

    /// <summary>The resources of the images.</summary>
    public CfnFragment Resources { get; }

    /// <summary>The shard an image belongs to: a hash of its name, stable whatever else the factory holds.</summary>
    public static int ShardOf(string imageName) => SHA256.HashData(Encoding.UTF8.GetBytes(imageName))[0] % ShardCount;

    /// <summary>The name of an image stack.</summary>
    public static string NameOf(Factory factory, int shard) =>
        $"{factory.Name}-images-{shard.ToString("x", System.Globalization.CultureInfo.InvariantCulture)}";
}
