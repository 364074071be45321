using System.Text;
using Amazon.CDK.AWS.S3;
using AmiInfra.Rules.Workflows;

namespace AmiInfra.Constructs.Build;

/// <summary>
/// The document of a <see cref="Workflow"/>: YAML (or JSON) text given inline, an object rendered as YAML, a file, or
/// an object in Amazon S3. Text is checked by the rules of <c>AmiInfra.Rules</c> as AWS documents workflow documents
/// (structure, steps, actions and their inputs, parameters and references) when the data is made, and again for the
/// workflow's type by the <see cref="Workflow"/> (a BUILD workflow cannot distribute). A document in S3 cannot be read
/// at synth: it is neither checked nor followed by the version, and the permissions its steps need are not derived.
/// </summary>
public sealed class WorkflowData
{
    private WorkflowData(string source, WorkflowDocument? document, string? uri)
    {
        Source = source;
        Document = document;
        Uri = uri;
    }

    /// <summary>Where the document came from (a file path, an S3 URL, or a name given by the caller).</summary>
    public string Source { get; }

    /// <summary>The document as the rules read it (for any stage); null for a document in S3.</summary>
    public WorkflowDocument? Document { get; }

    /// <summary>The document text, as handed to Image Builder; null for a document in S3.</summary>
    public string? Text => Document?.Text;

    /// <summary>The s3:// URL of a document in S3; null otherwise.</summary>
    public string? Uri { get; }

    /// <summary>A document given as YAML or JSON text.</summary>
    /// <param name="text">The document.</param>
    /// <param name="source">What to call it in errors. Default: "inline workflow document".</param>
    /// <exception cref="ConstructValidationException">The document is invalid.</exception>
    public static WorkflowData FromInline(string text, string source = "inline workflow document")
    {
        ArgumentNullException.ThrowIfNull(text);
        return new WorkflowData(source, Read(text, source, null), null);
    }

    /// <summary>
    /// A document given as an object (maps with string keys, lists, strings, numbers, booleans), rendered as YAML.
    /// </summary>
    /// <param name="data">The document, e.g. a dictionary with schemaVersion, parameters and steps.</param>
    /// <param name="source">What to call it in errors. Default: "workflow document object".</param>
    /// <exception cref="ConstructValidationException">The document is invalid.</exception>
    public static WorkflowData FromJsonObject(IReadOnlyDictionary<string, object?> data, string source = "workflow document object")
    {
        ArgumentNullException.ThrowIfNull(data);
        var yaml = new YamlDotNet.Serialization.SerializerBuilder()
            .ConfigureDefaultValuesHandling(YamlDotNet.Serialization.DefaultValuesHandling.OmitNull)
            .Build()
            .Serialize(data);
        return FromInline(yaml, source);
    }

    /// <summary>Reads and checks a document file (YAML or JSON).</summary>
    /// <exception cref="ConstructValidationException">The file is missing or the document is invalid.</exception>
    public static WorkflowData FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new ConstructValidationException(path, "a file that does not exist", "an Image Builder workflow document (YAML or JSON)");
        }

        return new WorkflowData(path, Read(File.ReadAllText(path, Encoding.UTF8), path, null), null);
    }

    /// <summary>
    /// A document in Amazon S3 (AWS::ImageBuilder::Workflow <c>Uri</c>), which synth cannot read: it is not checked, the
    /// workflow's version follows its URL (put a changed document under a new key), and a role the pipeline makes grants
    /// nothing its steps need beyond the managed policy.
    /// </summary>
    public static WorkflowData FromS3(IBucket bucket, string key)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var uri = bucket.S3UrlForObject(key);
        return new WorkflowData(uri, null, uri);
    }

    /// <summary>A document the rules have already read (e.g. by the declaration's loader).</summary>
    public static WorkflowData Of(WorkflowDocument document, string source)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new WorkflowData(source, document, null);
    }

    /// <summary>The document read for <paramref name="stage"/>; null for a document in S3. A problem names the source and the line.</summary>
    internal WorkflowDocument? For(WorkflowStage stage) =>
        Document is null ? null : Document.Stage == stage ? Document : Read(Document.Text, Source, stage);

    private static WorkflowDocument Read(string text, string source, WorkflowStage? stage)
    {
        var reading = WorkflowDocuments.Read(text, stage);
        return reading.Problem is { } problem
            ? throw new ConstructValidationException(source, problem.Value, problem.Accepted)
            : reading.Document!;
    }
}
