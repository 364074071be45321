using Amazon.CDK;
using AmiInfra.Declaration;

namespace AmiInfra.App.Stacks;

/// <summary>Maps a factory declaration onto stacks.</summary>
public static class FactoryComposition
{
    /// <summary>The stacks of one factory.</summary>
    /// <param name="Factory">The stack that builds the images, in the home region.</param>
    public sealed record Stacks(FactoryStack Factory);

    /// <summary>Adds the factory's stacks to <paramref name="app"/>.</summary>
    public static Stacks Compose(Amazon.CDK.App app, Factory factory)
    {
        var stack = new FactoryStack(app, factory);
        foreach (var (key, value) in factory.Tags)
        {
            Tags.Of(app).Add(key, value);
        }

        Tags.Of(app).Add(AmiTagKeys.Factory, factory.Name);
        return new Stacks(stack);
    }
}
