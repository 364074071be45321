using System.Security.Cryptography;
using System.Text;

namespace AmiInfra.Rules.Awstoe;

/// <summary>A parameter a component document declares.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Default">Its default value, or null when it has none (then a recipe must pass it).</param>
public sealed record ToeParameter(string Name, string? Default);

/// <summary>
/// An AWSTOE component document that the rules accept for a platform: its text as handed to Image
/// Builder, what the rest of AmiInfra needs to know of it, and what a reader should be warned of.
/// </summary>
public sealed class ToeDocument
{
    internal ToeDocument(string text, string? name, string? description, IReadOnlyList<string> phases, IReadOnlyList<ToeParameter> parameters, IReadOnlyList<string> warnings)
    {
        Text = text;
        Name = name;
        Description = description;
        Phases = phases;
        Parameters = parameters;
        Warnings = warnings;
    }

    /// <summary>The document's text, as Image Builder receives it.</summary>
    public string Text { get; }

    /// <summary>The document's own name, if it has one (optional in AWSTOE).</summary>
    public string? Name { get; }

    /// <summary>The document's description, if it has one.</summary>
    public string? Description { get; }

    /// <summary>Its phases, in the order they run.</summary>
    public IReadOnlyList<string> Phases { get; }

    /// <summary>The parameters it declares, in order.</summary>
    public IReadOnlyList<ToeParameter> Parameters { get; }

    /// <summary>What is legal but likely not what the author meant (e.g. a phase Image Builder never runs), with the line.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Whether Image Builder stores it inline: <c>data</c> takes at most 16,000 characters
    /// (CreateComponent, https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_CreateComponent.html,
    /// "Maximum length of 16000"); a longer document is given by S3 <c>uri</c>. The API gives a length,
    /// not a byte count, so characters are counted.
    /// </summary>
    public bool FitsInline => Text.Length <= ToeDocuments.MaxInlineLength;

    /// <summary>A fingerprint of the text: equal texts, equal fingerprints.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    /// <summary>
    /// The parameters a recipe passes: each must be one the document declares, and every parameter
    /// without a default must be passed. The problem's part is the parameter's name. Names are
    /// matched exactly: "references are case-sensitive, and the name must match exactly" ("Use
    /// variables in your custom component document",
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-user-defined-variables.html), so a
    /// name in another case is refused, with the declared spelling as a hint.
    /// </summary>
    public Problem? CheckPassed(IReadOnlyCollection<string> passed)
    {
        var declared = Parameters.Select(p => p.Name).ToList();
        foreach (var name in passed)
        {
            if (!declared.Contains(name, StringComparer.Ordinal))
            {
                var known = declared.Count == 0 ? "no parameters: the document declares none" : $"a parameter the document declares: {string.Join(", ", declared)}";
                var close = declared.FirstOrDefault(d => string.Equals(d, name, StringComparison.OrdinalIgnoreCase));
                return new Problem($"the parameter {Rules.Text.Quote(name)}", close is null ? known : $"{known} (parameter names are case-sensitive: {close})") { Part = name };
            }
        }

        var missing = Parameters.Where(p => p.Default is null && !passed.Contains(p.Name)).Select(p => p.Name).ToList();
        return missing.Count == 0
            ? null
            : new Problem(null, $"a value for {string.Join(", ", missing)}: the document declares {(missing.Count == 1 ? "it" : "them")} without a default, so the build would fail without {(missing.Count == 1 ? "it" : "them")}") { Part = missing[0] };
    }
}
