using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static AmiInfra.Rules.Awstoe.YamlValues;

namespace AmiInfra.Rules.Awstoe;

/// <summary>What reading a component document gave: the document, or the first problem (whose value names the line).</summary>
/// <param name="Document">The document, when the rules accept it.</param>
/// <param name="Problem">Else the problem.</param>
public sealed record ToeReading(ToeDocument? Document, Problem? Problem);

/// <summary>
/// AWSTOE component documents (YAML, or JSON), checked as AWS documents them: "Use the AWSTOE
/// component document framework" (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-use-documents.html),
/// the action modules, variables, looping and conditional constructs pages, and CreateComponent in
/// the Image Builder API reference. Never stricter: <c>name</c> and <c>description</c> are optional,
/// <c>schemaVersion</c> is 1.0 in the forms AWS writes it (1.0, "1.0", 1), any phase name is
/// accepted (with a warning for names Image Builder never runs), and fields AWS does not document
/// are warned of, not refused.
/// </summary>
public static partial class ToeDocuments
{
    /// <summary>Largest document Image Builder takes inline (CreateComponent <c>data</c>: 1 to 16,000).</summary>
    public const int MaxInlineLength = 16000;

    /// <summary>The phases Image Builder runs: build and validate in the build stage, test (and container-host-test for containers) in the test stage.</summary>
    public static readonly IReadOnlyList<string> ImageBuilderPhases = ["build", "validate", "test", "container-host-test"];

    /// <summary>One of these phases must be in every document.</summary>
    public static readonly IReadOnlyList<string> RequiredPhases = ["build", "validate", "test"];

    internal static readonly string[] TopLevelFields = ["name", "description", "schemaVersion", "parameters", "constants", "phases"];
    internal static readonly string[] StepFields = ["name", "action", "inputs", "timeoutSeconds", "onFailure", "maxAttempts", "loop", "if"];
    internal static readonly string[] OnFailureValues = ["Abort", "Continue", "Ignore"];

    /// <summary>What a document must be, said when it is something else entirely.</summary>
    public const string Accepted = "an AWSTOE component document: a YAML (or JSON) mapping with schemaVersion: 1.0 and phases";

    /// <summary>Reads and checks <paramref name="text"/> as a component of <paramref name="platform"/> (Linux or Windows).</summary>
    public static ToeReading Read(string text, ToePlatforms platform)
    {
        try
        {
            return new ToeReading(new DocumentReader(text, platform).Read(), null);
        }
        catch (DocumentProblem p)
        {
            return new ToeReading(null, p.Problem);
        }
    }

    /// <summary>A problem found while reading; its value starts with the line.</summary>
    internal sealed class DocumentProblem(Problem problem) : Exception(problem.Describe())
    {
        public Problem Problem { get; } = problem;

        public static DocumentProblem At(YamlNode? node, string what, string accepted) =>
            new(new Problem($"line {(node is null ? 1 : Line(node))}: {what}", accepted));
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{3,128}$")]
    internal static partial Regex VariableName();

    private sealed class DocumentReader(string text, ToePlatforms platform)
    {
        private readonly List<string> _warnings = [];
        private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);

        public ToeDocument Read()
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw DocumentProblem.At(null, "an empty document", Accepted);
            }

            if (text.Contains('\0', StringComparison.Ordinal))
            {
                throw DocumentProblem.At(null, "a NUL character", "text without NUL characters (CreateComponent data: [^\\x00]+)");
            }

            var root = Load();
            foreach (var (key, _, keyNode) in Entries(root))
            {
                if (!TopLevelFields.Contains(key))
                {
                    _warnings.Add($"line {Line(keyNode)}: the top-level key \"{key}\" is not one AWSTOE documents ({string.Join(", ", TopLevelFields)}); AWSTOE may ignore or refuse it");
                }
            }

            var name = OptionalText(root, "name");
            var description = OptionalText(root, "description");
            SchemaVersion(root);
            var parameters = Variables(root, "parameters", isConstant: false);
            Variables(root, "constants", isConstant: true);

            if (Child(root, "phases") is not YamlSequenceNode phases || phases.Children.Count == 0)
            {
                throw DocumentProblem.At(
                    Child(root, "phases") ?? root,
                    Child(root, "phases") switch { null => "no phases", YamlSequenceNode => "an empty list of phases", _ => "phases that are not a list of phases" },
                    "a list of phases, at least one of them named build, validate or test");
            }

            var steps = new StepChecker(platform, _variables, _warnings);
            var phaseNames = new List<string>();
            foreach (var phaseNode in phases.Children)
            {
                phaseNames.Add(steps.Phase(phaseNode, phaseNames));
            }

            if (!phaseNames.Any(RequiredPhases.Contains))
            {
                throw DocumentProblem.At(phases, $"the phases {string.Join(", ", phaseNames)}", "at least one phase named build, validate or test (Image Builder runs no other)");
            }

            return new ToeDocument(text, name, description, phaseNames, parameters, _warnings);
        }

        private YamlMappingNode Load()
        {
            var stream = new YamlStream();
            try
            {
                // A byte-order mark at the start is an encoding mark, not content: YAML allows one
                // at the start of a stream (YAML 1.1, 5.2 Character Encoding), and AWS documents the
                // component as a YAML document (https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-component-yaml.html).
                // Editors on Windows save one; the text handed to Image Builder is kept as it is.
                stream.Load(new StringReader(text.StartsWith('\uFEFF') ? text[1..] : text));
            }
            catch (YamlException e)
            {
                throw new DocumentProblem(new Problem($"line {e.Start.Line}, column {e.Start.Column}: invalid YAML ({FirstSentence(e.Message)})", "a YAML (or JSON) document"));
            }

            if (stream.Documents.Count != 1)
            {
                throw DocumentProblem.At(null, $"{stream.Documents.Count} YAML documents in one file", "one component document per file");
            }

            var root = stream.Documents[0].RootNode as YamlMappingNode
                ?? throw DocumentProblem.At(stream.Documents[0].RootNode, "no mapping at the top of the document", Accepted);
            ApplyMerges(root);
            return root;
        }

        private static string? OptionalText(YamlMappingNode node, string key) => Child(node, key) switch
        {
            null => null,
            var value when IsNull(value) => null,
            YamlScalarNode scalar => scalar.Value,
            var other => throw DocumentProblem.At(other, $"a {other.NodeType.ToString().ToLowerInvariant()} for {key}", $"text for {key}"),
        };

        /// <summary>
        /// schemaVersion 1.0: "Schema version of the document, currently 1.0", typed String
        /// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-use-documents.html), but AWS's
        /// examples write 1.0 unquoted and update-linux-os.yaml writes 1
        /// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-component-yaml.html): the
        /// string, the float and the integer are all read as version 1.0.
        /// </summary>
        private static void SchemaVersion(YamlMappingNode root)
        {
            var node = Child(root, "schemaVersion");
            var value = ScalarText(node);
            if (value is not ("1.0" or "1"))
            {
                throw DocumentProblem.At(node ?? root, node is null ? "no schemaVersion" : $"schemaVersion {Text.Quote(value ?? node.NodeType.ToString())}", "schemaVersion: 1.0 (the only version AWSTOE documents)");
            }
        }

        /// <summary>parameters and constants: lists of single-key mappings, names of 3 to 128 letters, digits, - and _, unique across both.</summary>
        private List<ToeParameter> Variables(YamlMappingNode root, string section, bool isConstant)
        {
            var result = new List<ToeParameter>();
            var node = Child(root, section);
            if (IsNull(node))
            {
                return result;
            }

            var kind = isConstant ? "constant" : "parameter";
            var shape = isConstant ? "- name:\n    type: string\n    value: text" : "- name:\n    type: string\n    default: text";
            if (node is not YamlSequenceNode list)
            {
                throw DocumentProblem.At(node, $"{section} that is not a list", $"a list of {kind}s, each a single-key mapping ({shape.Replace("\n", " ", StringComparison.Ordinal)})");
            }

            foreach (var item in list.Children)
            {
                if (item is not YamlMappingNode { Children.Count: 1 } entry || entry.Children.Single() is not (YamlScalarNode { Value: { } name }, var body))
                {
                    throw DocumentProblem.At(item, $"a {kind} that is not a single-key mapping", $"{kind}s written as {shape.Replace("\n", " ", StringComparison.Ordinal)}");
                }

                if (!VariableName().IsMatch(name))
                {
                    throw DocumentProblem.At(item, $"the {kind} name {Text.Quote(name)}", "a name of 3 to 128 letters, digits, - and _");
                }

                if (_variables.TryGetValue(name, out var earlier))
                {
                    throw DocumentProblem.At(item, $"the name {Text.Quote(name)} a second time (already a {earlier})", "parameter and constant names unique in the document");
                }

                _variables[name] = kind;
                if (body is not YamlMappingNode properties)
                {
                    throw DocumentProblem.At(body, $"{kind} {name} without properties", isConstant ? "type and value" : "type, and optionally default and description");
                }

                if (ScalarText(Child(properties, "type")) is not { } type || !string.Equals(type, "string", StringComparison.OrdinalIgnoreCase))
                {
                    throw DocumentProblem.At(properties, $"{kind} {name} of type {Text.Quote(ScalarText(Child(properties, "type")) ?? "(none)")}", "type: string (the only type AWSTOE documents)");
                }

                if (isConstant && ScalarText(Child(properties, "value")) is null)
                {
                    throw DocumentProblem.At(properties, $"constant {name} without a value", "a value for every constant");
                }

                // "Supported types include: string" ("Use variables in your custom component document",
                // https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-user-defined-variables.html):
                // a default is one text value; a list or mapping is not a string (a number is, read as its text).
                if (Child(properties, "default") is { } defaultNode && !IsNull(defaultNode) && defaultNode is not YamlScalarNode)
                {
                    throw DocumentProblem.At(defaultNode, $"a {(defaultNode is YamlSequenceNode ? "list" : "mapping")} as the default of parameter {name}", "a text default: the parameter's type is string");
                }

                result.Add(new ToeParameter(name, ScalarText(Child(properties, "default"))));
            }

            return result;
        }

        private static string FirstSentence(string message)
        {
            var text = message.Contains("): ", StringComparison.Ordinal) ? message[(message.IndexOf("): ", StringComparison.Ordinal) + 3)..] : message;
            return text.TrimEnd('.');
        }
    }
}
