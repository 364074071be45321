using System.Text.RegularExpressions;

namespace AmiInfra.Docs;

/// <summary>Small helpers for writing Markdown.</summary>
public static partial class Markdown
{
    /// <summary>Text fit for a table cell: one line, pipes escaped.</summary>
    public static string Cell(string? text) =>
        string.IsNullOrWhiteSpace(text) ? "—" : LineBreak().Replace(text, " ").Replace("|", "\\|", StringComparison.Ordinal).Trim();

    /// <summary>The GitHub anchor of a heading.</summary>
    public static string Anchor(string heading) =>
        NotAnchor().Replace(heading.ToLowerInvariant().Replace(' ', '-'), "");

    [GeneratedRegex("\\s*\\n\\s*")]
    private static partial Regex LineBreak();

    [GeneratedRegex("[^a-z0-9\\-_]")]
    private static partial Regex NotAnchor();
}
