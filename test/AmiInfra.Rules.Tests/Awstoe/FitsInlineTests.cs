using AmiInfra.Rules.Awstoe;

namespace AmiInfra.Rules.Tests.Awstoe;

/// <summary>Whether a document goes inline (CreateComponent data, at most 16,000 characters) or to S3.</summary>
public sealed class FitsInlineTests
{
    private static string OfLength(int length)
    {
        var body = Toe.Build("- name: Echo\n  action: ExecuteBash\n  inputs:\n    commands: [echo]") + "# ";
        var text = body + new string('x', length - body.Length);
        Assert.Equal(length, text.Length);
        return text;
    }

    [Fact]
    public void Exactly_16000_characters_fit_inline() => Assert.True(Toe.Accepted(OfLength(16_000)).FitsInline);

    [Fact]
    public void Sixteen_thousand_and_one_characters_do_not() => Assert.False(Toe.Accepted(OfLength(16_001)).FitsInline);

    [Fact]
    public void Characters_are_counted_not_bytes()
    {
        var text = OfLength(16_000).Replace("# x", "# é", StringComparison.Ordinal);

        Assert.Equal(16_000, text.Length);
        Assert.True(Toe.Accepted(text).FitsInline);
    }

    [Fact]
    public void The_limit_is_the_one_createcomponent_documents() => Assert.Equal(16_000, ToeDocuments.MaxInlineLength);
}
