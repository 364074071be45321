using Amazon.CDK.AWS.KMS;

namespace AmiInfra.Constructs.Build;

/// <summary>The stage of the image build a workflow runs in (AWS::ImageBuilder::Workflow <c>Type</c>).</summary>
public enum WorkflowType
{
    /// <summary>BUILD: launches the build instance, runs the build components and creates the image.</summary>
    Build,

    /// <summary>TEST: launches a test instance from the image and runs the test components.</summary>
    Test,

    /// <summary>
    /// DISTRIBUTION: copies the image to its regions and accounts. New in Image Builder (CloudFormation and the API
    /// reference list it; an older third-party page says it fails): try it in the factory's region first.
    /// </summary>
    Distribution,
}

/// <summary>Properties of a <see cref="Workflow"/>.</summary>
public sealed record WorkflowProps
{
    /// <summary>
    /// The workflow's physical name (3 to 128 letters, digits, '-', '_' and inner spaces; Image Builder writes it in lower
    /// case in ARNs; a token is checked when CloudFormation resolves it). Default: a name generated from the construct path.
    /// </summary>
    public string? WorkflowName { get; init; }

    /// <summary>The document (<see cref="WorkflowData.FromFile"/>, <see cref="WorkflowData.FromInline"/>, ...). No default.</summary>
    public required WorkflowData Data { get; init; }

    /// <summary>BUILD, TEST or DISTRIBUTION: the document is checked for it (a BUILD workflow cannot distribute). No default.</summary>
    public required WorkflowType WorkflowType { get; init; }

    /// <summary>
    /// Major and minor version nodes ("1.0"); the patch node is derived from the content (document, type, description,
    /// change description, key), so a changed document deploys as a new version. Default: "1.0".
    /// </summary>
    public string MajorMinor { get; init; } = "1.0";

    /// <summary>Description (at most 1,024 characters). Default: the document's description.</summary>
    public string? Description { get; init; }

    /// <summary>What changed in this version (at most 1,024 characters). Default: the content's fingerprint.</summary>
    public string? ChangeDescription { get; init; }

    /// <summary>The customer-managed KMS key that encrypts the workflow document. Default: an AWS-owned key.</summary>
    public IKey? KmsKey { get; init; }

    /// <summary>Tags of the workflow (its initial tags: <c>Tags.Of</c> adds to them). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>What identifies an existing workflow (<see cref="Workflow.FromWorkflowAttributes"/>).</summary>
public sealed record WorkflowAttributes
{
    /// <summary>The workflow's ARN, which names its type, name and version. Default: built from the type, name and version; one of the ARN or the name is required.</summary>
    public string? WorkflowArn { get; init; }

    /// <summary>The workflow's name. Default: read from <see cref="WorkflowArn"/>.</summary>
    public string? WorkflowName { get; init; }

    /// <summary>The workflow's type. Default: read from <see cref="WorkflowArn"/>; required with a name.</summary>
    public WorkflowType? WorkflowType { get; init; }

    /// <summary>The version, or a version filter such as 1.x.x. Default: x.x.x (the newest) with a name, read from the ARN with an ARN.</summary>
    public string? WorkflowVersion { get; init; }
}

/// <summary>What <see cref="Workflow.Render"/> gives: the name, the version derived from the content, and the resource.</summary>
/// <param name="Name">The workflow's name.</param>
/// <param name="Version">Its version.</param>
/// <param name="Type">Its type.</param>
/// <param name="Definition">The AWS::ImageBuilder::Workflow resource.</param>
/// <param name="Document">The document as checked for the type; null for a document in S3.</param>
public sealed record RenderedWorkflow(string Name, string Version, WorkflowType Type, CfnDefinition Definition, Rules.Workflows.WorkflowDocument? Document)
{
    /// <summary>A reference to the workflow by name and version, for a pipeline of any stack of the same account and region.</summary>
    public IWorkflow Reference() => Workflow.FromNameAndVersion(Name, Type, Version, Document);
}
