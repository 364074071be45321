namespace AmiInfra.Declaration.Tests;

/// <summary>
/// docs/declaration-reference.md is generated from the schema and must not drift from it. With
/// AMIINFRA_UPDATE_DOCS=1 the test rewrites the page instead of failing.
/// </summary>
public sealed class DeclarationReferenceTests
{
    [Fact]
    public void Field_reference_is_the_one_the_schema_gives()
    {
        var generated = DeclarationReference.Generate();
        if (Environment.GetEnvironmentVariable(DeclarationReference.UpdateVariable) == "1")
        {
            File.WriteAllText(DeclarationReference.DocumentPath, generated);
        }

        var committed = File.Exists(DeclarationReference.DocumentPath) ? File.ReadAllText(DeclarationReference.DocumentPath) : "";
        Assert.True(
            committed == generated,
            $"docs/declaration-reference.md differs from what factory/factory.schema.json gives; regenerate it with: {DeclarationReference.RegenerateCommand}");
    }

    [Fact]
    public void Field_reference_lists_every_field_path()
    {
        var page = DeclarationReference.Generate();

        Assert.All(SchemaModel.Objects.SelectMany(o => o.Fields), f => Assert.Contains($"| `{f.Path}` |", page, StringComparison.Ordinal));
        Assert.Contains("| `images[].distribution.launchPermissions.accounts` |", page, StringComparison.Ordinal);
    }
}
