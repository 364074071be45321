using System.Security.Cryptography;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AmiInfra.Constructs.Build;

/// <summary>
/// An AWSTOE component document (YAML), checked the way the service would check it before a
/// build starts: it parses, has a name and schemaVersion, its phases are build, validate or test,
/// step names are unique in their phase, every action is a known AWSTOE action module, and every
/// action that needs inputs has them.
/// </summary>
public sealed class ComponentDocument
{
    /// <summary>The AWSTOE action modules (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html).</summary>
    public static readonly IReadOnlySet<string> ActionModules = new SortedSet<string>(StringComparer.Ordinal)
    {
        "ExecuteBash", "ExecuteBinary", "ExecuteDocument", "ExecutePowerShell",
        "S3Download", "S3Upload", "WebDownload",
        "AppendFile", "CopyFile", "CopyFolder", "CreateFile", "CreateFolder", "CreateSymlink", "DeleteFile",
        "DeleteFolder", "ListFiles", "MoveFile", "MoveFolder", "ReadFile", "SetFileEncoding", "SetFileOwner",
        "SetFolderOwner", "SetFilePermissions", "SetFolderPermissions",
        "InstallMSI", "UninstallMSI",
        "Reboot", "SetRegistry", "UpdateOS",
    };

    /// <summary>Actions whose inputs are optional.</summary>
    private static readonly IReadOnlySet<string> InputsOptional = new HashSet<string>(StringComparer.Ordinal) { "Reboot", "UpdateOS" };

    /// <summary>The phases a component document may have.</summary>
    public static readonly IReadOnlyList<string> Phases = ["build", "validate", "test"];

    /// <summary>Largest document Image Builder accepts inline (16,000 characters).</summary>
    public const int MaxInlineLength = 16000;

    private ComponentDocument(string source, string text, string name, string? description, IReadOnlyList<string> phaseNames)
    {
        Source = source;
        Text = text;
        Name = name;
        Description = description;
        PhaseNames = phaseNames;
    }

    /// <summary>Where the document came from (a file path, or a name given by the caller).</summary>
    public string Source { get; }

    /// <summary>The document text, as handed to Image Builder.</summary>
    public string Text { get; }

    /// <summary>The document's own name.</summary>
    public string Name { get; }

    /// <summary>The document's description, if any.</summary>
    public string? Description { get; }

    /// <summary>The phases it has, in order.</summary>
    public IReadOnlyList<string> PhaseNames { get; }

    /// <summary>A fingerprint of the text: equal texts, equal fingerprints.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    /// <summary>Reads and checks a document file.</summary>
    /// <exception cref="ConstructValidationException">The file is missing or the document is invalid.</exception>
    public static ComponentDocument FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConstructValidationException(path, "a file that does not exist", "an AWSTOE component document (YAML)");
        }

        return Parse(File.ReadAllText(path, Encoding.UTF8), path);
    }

    /// <summary>Checks a document given as text.</summary>
    /// <exception cref="ConstructValidationException">The document is invalid.</exception>
    public static ComponentDocument Parse(string text, string source)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ConstructValidationException(source, "an empty document", "an AWSTOE component document with name, schemaVersion and phases");
        }

        if (text.Length > MaxInlineLength)
        {
            throw new ConstructValidationException(source, $"{text.Length} characters", $"a component document of at most {MaxInlineLength} characters (Image Builder's limit for inline data)");
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConstructValidationException($"{source} (line {e.Start.Line}, column {e.Start.Column})", $"invalid YAML ({FirstSentence(e.Message)})", "a YAML document");
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConstructValidationException(source, "no mapping at the top of the document", "a YAML mapping with name, schemaVersion and phases");
        }

        var name = Scalar(root, "name", source) ?? throw new ConstructValidationException(At(source, root), "no name", "a document with a name");
        var schemaVersion = Scalar(root, "schemaVersion", source);
        if (schemaVersion != "1.0")
        {
            throw new ConstructValidationException(At(source, root), schemaVersion is null ? "no schemaVersion" : $"schemaVersion \"{schemaVersion}\"", "schemaVersion: 1.0");
        }

        if (Child(root, "phases") is not YamlSequenceNode phases || phases.Children.Count == 0)
        {
            throw new ConstructValidationException(At(source, root), "no phases", "a list of phases named build, validate or test");
        }

        var phaseNames = new List<string>();
        foreach (var phaseNode in phases.Children)
        {
            phaseNames.Add(CheckPhase(phaseNode, source, phaseNames));
        }

        return new ComponentDocument(source, text, name, Scalar(root, "description", source), phaseNames);
    }

    private static string CheckPhase(YamlNode node, string source, List<string> seen)
    {
        if (node is not YamlMappingNode phase)
        {
            throw new ConstructValidationException(At(source, node), "a phase that is not a mapping", "a phase with name and steps");
        }

        var name = Scalar(phase, "name", source);
        if (name is null || !Phases.Contains(name))
        {
            throw new ConstructValidationException(At(source, phase), name is null ? "a phase with no name" : $"phase \"{name}\"", "a phase named build, validate or test");
        }

        if (seen.Contains(name))
        {
            throw new ConstructValidationException(At(source, phase), $"phase \"{name}\" a second time", "each phase at most once");
        }

        if (Child(phase, "steps") is not YamlSequenceNode steps || steps.Children.Count == 0)
        {
            throw new ConstructValidationException(At(source, phase), $"phase \"{name}\" with no steps", "a list of steps in every phase");
        }

        var stepNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stepNode in steps.Children)
        {
            CheckStep(stepNode, source, name, stepNames);
        }

        return name;
    }

    private static void CheckStep(YamlNode node, string source, string phase, HashSet<string> names)
    {
        if (node is not YamlMappingNode step)
        {
            throw new ConstructValidationException(At(source, node), "a step that is not a mapping", "a step with name, action and inputs");
        }

        var name = Scalar(step, "name", source);
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new ConstructValidationException(At(source, step), name is null ? "a step with no name" : $"step name \"{name}\"", "a step name of letters, digits, '_' and '-'");
        }

        if (!names.Add(name))
        {
            throw new ConstructValidationException(At(source, step), $"step \"{name}\" a second time in phase {phase}", "step names unique within a phase");
        }

        var action = Scalar(step, "action", source);
        if (action is null || !ActionModules.Contains(action))
        {
            throw new ConstructValidationException(
                At(source, step),
                action is null ? $"step \"{name}\" with no action" : $"action \"{action}\" in step \"{name}\"",
                "an AWSTOE action module: " + string.Join(", ", ActionModules));
        }

        if (!InputsOptional.Contains(action) && Child(step, "inputs") is null or YamlScalarNode { Value: null or "" })
        {
            throw new ConstructValidationException(At(source, step), $"step \"{name}\" ({action}) with no inputs", $"inputs for the {action} action");
        }
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static string? Scalar(YamlMappingNode node, string key, string source) => Child(node, key) switch
    {
        null => null,
        YamlScalarNode scalar => scalar.Value,
        var other => throw new ConstructValidationException(At(source, other), $"a {other.NodeType.ToString().ToLowerInvariant()} for {key}", $"a text value for {key}"),
    };

    private static string At(string source, YamlNode node) => $"{source} (line {node.Start.Line})";

    private static string FirstSentence(string message)
    {
        var text = message.Contains("): ", StringComparison.Ordinal) ? message[(message.IndexOf("): ", StringComparison.Ordinal) + 3)..] : message;
        return text.TrimEnd('.');
    }
}
