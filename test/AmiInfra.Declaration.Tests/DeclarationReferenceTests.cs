using AmiInfra.Docs;

namespace AmiInfra.Declaration.Tests;

/// <summary>
/// docs/reference/declaration.md is generated from the schema (tools/AmiInfra.Docs) and must not drift from it;
/// CI also runs the tool with --check.
/// </summary>
public sealed class DeclarationReferenceTests
{
    [Fact]
    public void Field_reference_is_the_one_the_schema_gives()
    {
        var path = Path.Combine(Repository.Root, DeclarationPage.Page.Path);
        var committed = File.Exists(path) ? File.ReadAllText(path) : "";
        Assert.True(
            committed == DeclarationPage.Page.Render(),
            $"{DeclarationPage.Page.Path} differs from what factory/factory.schema.json gives; regenerate it with: {Repository.Command}");
    }

    [Fact]
    public void Field_reference_lists_every_field_path()
    {
        var page = DeclarationPage.Generate();

        Assert.All(SchemaModel.Objects.SelectMany(o => o.Fields), f => Assert.Contains($"| `{f.Path}` |", page, StringComparison.Ordinal));
        Assert.Contains("| `images[].distribution.launchPermissions.accounts` |", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Field_reference_says_it_is_generated_and_by_which_command()
    {
        var first = DeclarationPage.Page.Render().Split('\n')[0];

        Assert.Contains("Generated from factory/factory.schema.json", first, StringComparison.Ordinal);
        Assert.Contains(Repository.Command, first, StringComparison.Ordinal);
    }
}
