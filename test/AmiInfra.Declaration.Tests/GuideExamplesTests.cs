using System.Text.RegularExpressions;

namespace AmiInfra.Declaration.Tests;

/// <summary>Every declaration the guides (docs/guide/*.md) show is a valid declaration (component paths relative to factory/).</summary>
public sealed partial class GuideExamplesTests
{
    private static readonly string Guides = Path.Combine(DefaultFactoryTests.RepositoryRoot, "docs", "guide");

    public static TheoryData<string> Examples() => new(Declarations().Select(d => d.Name));

    [Fact]
    public void Guides_show_declarations()
    {
        Assert.True(Declarations().Count >= 3, "the guides lost their declaration examples");
        Assert.Contains(Declarations(), d => d.Name.StartsWith("declaring-images.md#", StringComparison.Ordinal));
        Assert.Contains(Declarations(), d => d.Name.StartsWith("retiring-amis.md#", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Guide_declaration_loads(string name)
    {
        var json = Declarations().Single(d => d.Name == name).Json;
        var factory = FactoryLoader.Parse(json, Path.Combine(DefaultFactoryTests.RepositoryRoot, "factory"), $"example {name}");
        Assert.NotEmpty(factory.Images);
    }

    /// <summary>The whole declarations (JSON blocks with images) of every guide, named page#index.</summary>
    private static List<(string Name, string Json)> Declarations() =>
        Directory.GetFiles(Guides, "*.md").Order(StringComparer.Ordinal)
            .SelectMany(page => JsonBlock().Matches(File.ReadAllText(page))
                .Select(m => m.Groups[1].Value)
                .Where(json => json.Contains("\"images\"", StringComparison.Ordinal))
                .Select((json, i) => ($"{Path.GetFileName(page)}#{i}", json)))
            .ToList();

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
