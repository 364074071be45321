using AmiInfra.Declaration;

namespace AmiInfra.Declaration.Tests;

/// <summary>Every message names a field (or the file), the value received and what is accepted.</summary>
public sealed class DeclarationMessageTests
{
    [Theory]
    [InlineData("[]", "a list")]
    [InlineData("42", "42")]
    [InlineData("\"golden\"", "\"golden\"")]
    [InlineData("null", "null")]
    public void A_declaration_that_is_not_an_object_is_named_by_its_source(string json, string value)
    {
        var e = Assert.Throws<DeclarationException>(() => SchemaAgreement.Parse(json, Path.GetTempPath()));

        Assert.Equal("declaration", e.Path);
        Assert.Equal($"declaration: got {value}; expected a JSON object describing the factory", e.Message);
    }
}
