using AmiInfra.Declaration;

namespace AmiInfra.Declaration.Tests;

public sealed class DefaultFactoryTests
{
    internal static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AmiInfra.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("AmiInfra.sln not found above " + AppContext.BaseDirectory);
        }
    }

    [Fact]
    public void Default_factory_loads_with_two_images_and_their_distribution()
    {
        var factory = FactoryLoader.Load(Path.Combine(RepositoryRoot, "factory"));

        Assert.Equal("golden", factory.Name);
        Assert.Equal(["al2023", "ubuntu2404"], factory.Images.Select(i => i.Name));
        Assert.Equal(["us-east-1", "eu-west-1"], factory.DistributionRegions);
        Assert.All(factory.Images, i => Assert.Equal("update-linux", i.Components[0].Managed));
        Assert.All(factory.Images, i => Assert.Equal(365, i.Lifecycle!.Delete!.AfterDays));
        Assert.Equal("golden-al2023-{{ imagebuilder:buildDate }}", factory.Images[0].Distribution.AmiName);
        Assert.Equal("/imagebuilder/golden/ubuntu2404/latest", factory.Images[1].Distribution.SsmParameterName);
    }
}
