using System.Text;
using AmiInfra.Rules.Awstoe;

namespace AmiInfra.Constructs.Build;

/// <summary>
/// An AWSTOE component document (YAML or JSON), checked by the rules of <c>AmiInfra.Rules</c> as
/// AWS documents them: structure, phases, steps, action modules and their inputs, loops, conditions
/// and references. A <see cref="Component"/> checks it again for its platform (a Windows component
/// cannot use ExecuteBash).
/// </summary>
public sealed class ComponentDocument
{
    private ComponentDocument(string source, ToeDocument document)
    {
        Source = source;
        Document = document;
    }

    /// <summary>Where the document came from (a file path, or a name given by the caller).</summary>
    public string Source { get; }

    /// <summary>The document as the rules read it.</summary>
    public ToeDocument Document { get; }

    /// <summary>The document text, as handed to Image Builder.</summary>
    public string Text => Document.Text;

    /// <summary>The document's own name, if it has one.</summary>
    public string? Name => Document.Name;

    /// <summary>The document's description, if any.</summary>
    public string? Description => Document.Description;

    /// <summary>The phases it has, in order.</summary>
    public IReadOnlyList<string> PhaseNames => Document.Phases;

    /// <summary>A fingerprint of the text: equal texts, equal fingerprints.</summary>
    public string Fingerprint => Document.Fingerprint;

    /// <summary>Reads and checks a document file.</summary>
    /// <exception cref="ConstructValidationException">The file is missing or the document is invalid.</exception>
    public static ComponentDocument FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConstructValidationException(path, "a file that does not exist", "an AWSTOE component document (YAML or JSON)");
        }

        return Parse(File.ReadAllText(path, Encoding.UTF8), path);
    }

    /// <summary>Checks a document given as text.</summary>
    /// <exception cref="ConstructValidationException">The document is invalid.</exception>
    public static ComponentDocument Parse(string text, string source) => Of(Read(text, source, ToePlatforms.All), source);

    /// <summary>A document the rules have already read (e.g. by the declaration's loader).</summary>
    public static ComponentDocument Of(ToeDocument document, string source) => new(source, document);

    /// <summary>The document read for <paramref name="platform"/>; a problem names <paramref name="source"/> and the line.</summary>
    internal static ToeDocument Read(string text, string source, ToePlatforms platform)
    {
        var reading = ToeDocuments.Read(text, platform);
        return reading.Problem is { } problem
            ? throw new ConstructValidationException(source, problem.Value, problem.Accepted)
            : reading.Document!;
    }
}
