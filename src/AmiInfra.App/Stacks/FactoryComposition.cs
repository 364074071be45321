using Amazon.CDK;
using AmiInfra.Declaration;

namespace AmiInfra.App.Stacks;

/// <summary>
/// Maps a factory declaration onto stacks: one regional stack per distribution region (keys and
/// Recycle Bin rules), the core factory stack in the home region, which depends on them, the image
/// stacks (each image in the one its name hashes to), and the distribution-targets stack when
/// images are copied into other accounts.
/// </summary>
public static class FactoryComposition
{
    /// <summary>The stacks of one factory.</summary>
    /// <param name="Regional">One stack per distribution region, home region first.</param>
    /// <param name="Factory">The core stack: what the images share, in the home region.</param>
    /// <param name="Images">The image stacks, by shard.</param>
    /// <param name="Targets">The distribution-targets stack, or null without target accounts.</param>
    public sealed record Stacks(IReadOnlyList<RegionalStack> Regional, FactoryStack Factory, IReadOnlyList<ImageStack> Images, TargetsStack? Targets)
    {
        /// <summary>Every stack.</summary>
        public IEnumerable<Stack> All => Regional.Cast<Stack>().Append(Factory).Concat(Images).Concat(Targets is null ? [] : [Targets]);
    }

    /// <summary>Adds the factory's stacks to <paramref name="app"/>.</summary>
    public static Stacks Compose(Amazon.CDK.App app, Factory factory)
    {
        var regional = factory.DistributionRegions.Select(region => new RegionalStack(app, factory, region)).ToList();
        var stack = new FactoryStack(app, factory);
        foreach (var region in regional)
        {
            stack.AddDependency(region, "AMIs are re-encrypted with the regional keys, referred to by alias");
        }

        var images = factory.Images
            .GroupBy(i => ImageStack.ShardOf(i.Name))
            .OrderBy(g => g.Key)
            .Select(g => new ImageStack(app, factory, g.Key, g.ToList(), stack))
            .ToList();
        var targets = factory.Images.Any(i => i.Distribution.TargetAccounts.Count > 0) ? new TargetsStack(app, factory) : null;
        foreach (var (key, value) in factory.Tags)
        {
            Tags.Of(app).Add(key, value);
        }

        Tags.Of(app).Add(AmiTagKeys.Factory, factory.Name);
        return new Stacks(regional, stack, images, targets);
    }
}
