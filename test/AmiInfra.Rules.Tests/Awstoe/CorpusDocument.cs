using System.Text;
using AmiInfra.Rules.Awstoe;

namespace AmiInfra.Rules.Tests.Awstoe;

/// <summary>
/// A component document of the corpus under Documents/good and Documents/bad, with what its header
/// comment says: the platforms it is for (<c># platform: linux|windows|both</c>, default linux), and
/// for a bad document the start of the expected problem (<c># expect:</c>) and of what is accepted
/// (<c># accepted:</c>), for a good one the start of each warning it is accepted with (<c># warning:</c>).
/// A .json document's header comment is stripped, so the validator sees JSON.
/// </summary>
public sealed record CorpusDocument(string File, string Text, IReadOnlyList<ToePlatforms> Platforms, string? Expect, string? Accepted, IReadOnlyList<string> Warnings)
{
    /// <summary>The folder holding the corpus, copied next to the test assembly.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Documents");

    /// <summary>Every document of a folder (good or bad), by file name.</summary>
    public static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(Path.Combine(Root, folder))
            .Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Select(f => Path.Combine(folder, Path.GetFileName(f)))
            .Order(StringComparer.Ordinal);

    /// <summary>Reads one document, keeping a byte-order mark and line endings as they are in the file.</summary>
    public static CorpusDocument Load(string file)
    {
        var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetString(System.IO.File.ReadAllBytes(Path.Combine(Root, file)));
        var header = text.TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).TakeWhile(l => l.StartsWith('#')).ToList();
        string? Field(string name) => header
            .Select(l => l.TrimStart('#').Trim())
            .Where(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Select(l => l[(name.Length + 1)..].Trim())
            .FirstOrDefault();

        var platforms = Field("platform") switch
        {
            null or "linux" => new[] { ToePlatforms.Linux },
            "windows" => [ToePlatforms.Windows],
            "both" => [ToePlatforms.Linux, ToePlatforms.Windows],
            var other => throw new InvalidOperationException($"{file}: unknown platform {other}"),
        };

        if (file.EndsWith(".json", StringComparison.Ordinal))
        {
            text = string.Join('\n', text.Split('\n').SkipWhile(l => l.StartsWith('#')));
        }

        var warnings = header.Select(l => l.TrimStart('#').Trim()).Where(l => l.StartsWith("warning:", StringComparison.Ordinal)).Select(l => l["warning:".Length..].Trim()).ToList();
        return new CorpusDocument(file, text, platforms, Field("expect"), Field("accepted"), warnings);
    }
}
