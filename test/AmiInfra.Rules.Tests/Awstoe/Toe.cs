using AmiInfra.Rules.Awstoe;

namespace AmiInfra.Rules.Tests.Awstoe;

/// <summary>Small documents for focused tests: a build phase around the steps given.</summary>
internal static class Toe
{
    /// <summary>A document whose build phase holds <paramref name="steps"/> (YAML indented as list items under steps:).</summary>
    public static string Build(string steps, string preamble = "") =>
        $"schemaVersion: 1.0\n{preamble}phases:\n  - name: build\n    steps:\n{Indent(steps, 6)}";

    /// <summary>Reads a document and asserts it is accepted.</summary>
    public static ToeDocument Accepted(string text, ToePlatforms platform = ToePlatforms.Linux)
    {
        var reading = ToeDocuments.Read(text, platform);
        Assert.True(reading.Problem is null, reading.Problem?.Describe());
        return reading.Document!;
    }

    /// <summary>Reads a document and asserts it is refused.</summary>
    public static Problem Refused(string text, ToePlatforms platform = ToePlatforms.Linux)
    {
        var reading = ToeDocuments.Read(text, platform);
        Assert.True(reading.Problem is not null, "accepted:\n" + text);
        return reading.Problem;
    }

    private static string Indent(string text, int spaces) =>
        string.Join('\n', text.Trim('\n').Split('\n').Select(l => l.Length == 0 ? l : new string(' ', spaces) + l)) + "\n";
}
