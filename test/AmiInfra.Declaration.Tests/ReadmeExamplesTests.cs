using System.Text.RegularExpressions;

namespace AmiInfra.Declaration.Tests;

/// <summary>Every declaration the README shows is a valid declaration (component paths relative to factory/).</summary>
public sealed partial class ReadmeExamplesTests
{
    public static TheoryData<int> Examples() => new(Enumerable.Range(0, Declarations().Count));

    [Fact]
    public void Readme_shows_declarations()
    {
        Assert.True(Declarations().Count >= 3, "the README lost its declaration examples");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Readme_declaration_loads(int index)
    {
        var factory = FactoryLoader.Parse(Declarations()[index], Path.Combine(DefaultFactoryTests.RepositoryRoot, "factory"), $"README example {index}");
        Assert.NotEmpty(factory.Images);
    }

    private static List<string> Declarations() =>
        JsonBlock().Matches(File.ReadAllText(Path.Combine(DefaultFactoryTests.RepositoryRoot, "README.md")))
            .Select(m => m.Groups[1].Value)
            .Where(json => json.Contains("\"images\"", StringComparison.Ordinal))
            .ToList();

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
