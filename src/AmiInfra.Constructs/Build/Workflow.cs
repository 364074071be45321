using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using AmiInfra.Rules;
using AmiInfra.Rules.Workflows;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>An EC2 Image Builder workflow: one of ours, an imported one, or one AWS manages.</summary>
public interface IWorkflow : IResource
{
    /// <summary>The workflow's ARN (with its version, or a version filter such as x.x.x).</summary>
    string WorkflowArn { get; }

    /// <summary>The workflow's name.</summary>
    string WorkflowName { get; }

    /// <summary>The workflow's type: the stage it runs in.</summary>
    WorkflowType WorkflowType { get; }

    /// <summary>The workflow's version, or a version filter.</summary>
    string WorkflowVersion { get; }

    /// <summary>Lets <paramref name="grantee"/> perform <paramref name="actions"/> on the workflow.</summary>
    Grant Grant(IGrantable grantee, params string[] actions);

    /// <summary>Lets <paramref name="grantee"/> read the workflow (imagebuilder:GetWorkflow).</summary>
    Grant GrantRead(IGrantable grantee);
}

/// <summary>A workflow whose document the app knows (for the parameters a pipeline passes and the permissions its steps need).</summary>
internal interface IDocumentedWorkflow
{
    /// <summary>The document, as checked for the workflow's type; null when it cannot be read at synth.</summary>
    WorkflowDocument? Document { get; }
}

/// <summary>
/// A workflow from a document of ours (AWS::ImageBuilder::Workflow). Workflows are immutable per version: as for
/// <see cref="Component"/>, the version's patch node is derived from the content (document, type, description, change
/// description, key), so a changed document deploys as a new version instead of failing with "already exists", and an
/// unchanged one keeps its version and is not replaced. A document longer than Image Builder takes inline goes by S3.
/// </summary>
public sealed partial class Workflow : ImageBuilderResource, IWorkflow, IDocumentedWorkflow
{
    private const string ReadAction = "imagebuilder:GetWorkflow";

    /// <summary>
    /// The newest version of a workflow: "the pipeline will use the latest workflow at the time of execution" (the
    /// AWS CDK's Image Builder module; Image Builder's semantic versioning,
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/ibhow-semantic-versioning.html).
    /// </summary>
    public const string LatestVersion = "x.x.x";

    /// <summary>Creates the workflow.</summary>
    public Workflow(Construct scope, string id, WorkflowProps props)
        : base(scope, id, ReadAction)
    {
        ArgumentNullException.ThrowIfNull(props);
        WorkflowName = props.WorkflowName ?? Naming.Generated(this);
        var rendered = RenderAt(props with { WorkflowName = WorkflowName }, () => Node.Path, this, document => DocumentAsset.Upload(this, "workflows", document.Text, document.Fingerprint));
        var resource = Cfn.Resource(this, "Resource", rendered.Definition);
        foreach (var warning in rendered.Definition.Warnings)
        {
            Annotations.Of(this).AddWarningV2("amiinfra:workflow-document", warning);
        }

        WorkflowVersion = rendered.Version;
        WorkflowType = rendered.Type;
        Document = rendered.Document;
        WorkflowArn = resource.Ref;
    }

    /// <inheritdoc />
    public string WorkflowArn { get; }

    /// <inheritdoc />
    public string WorkflowName { get; }

    /// <inheritdoc />
    public WorkflowType WorkflowType { get; }

    /// <summary>The version, e.g. 1.0.483920117: the patch node follows the content.</summary>
    public string WorkflowVersion { get; }

    /// <summary>The document as checked for the workflow's type; null for a document in S3.</summary>
    public WorkflowDocument? Document { get; }

    /// <inheritdoc />
    protected override string GrantedArn => WorkflowArn;

    /// <summary>
    /// The workflow as CloudFormation, without creating a construct (for a <see cref="CfnFragment"/>): the document is
    /// checked for the type, the version derived and the properties rendered as the construct does. A document longer
    /// than Image Builder takes inline needs the construct (which stages it as an asset) or <see cref="WorkflowData.FromS3"/>.
    /// </summary>
    /// <param name="props">The workflow; <see cref="WorkflowProps.WorkflowName"/> is required here.</param>
    /// <param name="where">Where the workflow is, for error messages (e.g. its construct path).</param>
    /// <param name="scope">A construct of the workflow's stack; asked only to resolve tokens in what the version follows.</param>
    public static RenderedWorkflow Render(WorkflowProps props, string where, IConstruct scope) => RenderAt(props, () => where, scope, null);

    /// <summary>Imports a workflow by ARN (arn:...:workflow/type/name/version).</summary>
    public static IWorkflow FromWorkflowArn(Construct scope, string id, string workflowArn) =>
        FromWorkflowAttributes(scope, id, new WorkflowAttributes { WorkflowArn = workflowArn });

    /// <summary>Imports a workflow of this account and region by type and name, at its newest version (x.x.x).</summary>
    public static IWorkflow FromWorkflowName(Construct scope, string id, WorkflowType type, string workflowName) =>
        FromWorkflowAttributes(scope, id, new WorkflowAttributes { WorkflowName = workflowName, WorkflowType = type });

    /// <summary>Imports a workflow by ARN, or by type, name and version (of this account and region).</summary>
    public static IWorkflow FromWorkflowAttributes(Construct scope, string id, WorkflowAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.WorkflowArn is { } arn)
        {
            if (attributes.WorkflowName is not null || attributes.WorkflowType is not null || attributes.WorkflowVersion is not null)
            {
                throw new ConstructValidationException($"{scope.Node.Path}/{id}.WorkflowName", attributes.WorkflowName ?? attributes.WorkflowVersion ?? attributes.WorkflowType?.ToString(), "no name, type or version with an ARN (the ARN names them)");
            }

            // The type decides where a pipeline runs the workflow and what it may be given: it must be known at synth.
            if (Checks.IsToken(arn))
            {
                throw new ConstructValidationException($"{scope.Node.Path}/{id}.WorkflowArn", "an unresolved token", "an ARN known at synth (its type decides the workflow's stage), or the type, name and version");
            }

            var match = WorkflowArnParts().Match(arn);
            if (!match.Success)
            {
                throw new ConstructValidationException($"{scope.Node.Path}/{id}.WorkflowArn", $"\"{arn}\"", PipelineWorkflows.WorkflowArn.Accepted);
            }

            return new Imported(scope, id, arn, match.Groups["name"].Value, TypeOf(WorkflowStages.Parse(match.Groups["type"].Value.ToUpperInvariant())!.Value), match.Groups["version"].Value);
        }

        if (attributes.WorkflowName is not { } name || attributes.WorkflowType is not { } type)
        {
            throw new ConstructValidationException($"{scope.Node.Path}/{id}.WorkflowArn", null, "a workflow ARN, or a workflow name with its type");
        }

        var version = attributes.WorkflowVersion ?? LatestVersion;
        Checks.Shape($"{scope.Node.Path}/{id}.WorkflowVersion", version, Identifiers.VersionFilter);
        Naming.CheckImageBuilderName(name, () => $"{scope.Node.Path}/{id}.WorkflowName");
        var resourceName = Checks.IsToken(name) ? name : name.ToLowerInvariant();
        var formatted = Stack.Of(scope).FormatArn(new ArnComponents { Service = "imagebuilder", Resource = "workflow", ResourceName = $"{ArnSegment(type)}/{resourceName}/{version}" });
        return new Imported(scope, id, formatted, name, type, version);
    }

    /// <summary>
    /// An AWS-managed workflow by name (build-image, test-image, express-build-image, ...), in the stack's partition and
    /// region, by reference (no construct): arn:partition:imagebuilder:region:aws:workflow/type/name/version. The type is
    /// the catalog's for a workflow AmiInfra knows; give it for one it does not. Version default: x.x.x (the newest).
    /// </summary>
    public static IWorkflow FromManaged(string name, WorkflowType? type = null, string version = LatestVersion)
    {
        Checks.Require("Workflow.FromManaged", PipelineWorkflows.ManagedName.Check(name));
        Checks.Require($"Workflow.FromManaged({name})", Identifiers.VersionFilter.Check(version));
        Checks.Require($"Workflow.FromManaged({name}).Type", PipelineWorkflows.CheckManaged(name, type is { } t ? StageOf(t) : null, out var stage, out _) is { } problem ? problem with { Part = null } : null);
        var workflowType = TypeOf(stage!.Value);
        return new Named($"arn:{Naming.Partition}:imagebuilder:{Naming.Region}:aws:workflow/{ArnSegment(workflowType)}/{name}/{version}", name, workflowType, version, null);
    }

    /// <summary>
    /// A workflow of ours by type, name and version, from any stack of the same account and region, by reference (no
    /// construct): the ARN is built from the name, so no cross-stack export ties the stacks together. With its
    /// <paramref name="document"/>, a pipeline checks the parameters it passes and derives the permissions its steps need.
    /// </summary>
    public static IWorkflow FromNameAndVersion(string name, WorkflowType type, string version, WorkflowDocument? document = null)
    {
        Naming.CheckImageBuilderName(name, () => "Workflow.FromNameAndVersion");
        return new Named(Naming.ImageBuilderArn("workflow", $"{ArnSegment(type)}/{name}/{version}"), name, type, version, document);
    }

    /// <summary>The stage of the rules for a type.</summary>
    internal static WorkflowStage StageOf(WorkflowType type) => (WorkflowStage)(int)type;

    /// <summary>The type of a stage of the rules.</summary>
    internal static WorkflowType TypeOf(WorkflowStage stage) => (WorkflowType)(int)stage;

    /// <summary>The type as CloudFormation writes it (BUILD, TEST, DISTRIBUTION).</summary>
    internal static string TypeName(WorkflowType type) => WorkflowStages.Name(StageOf(type));

    private static string ArnSegment(WorkflowType type) => WorkflowStages.ArnSegment(StageOf(type));

    /// <summary>As <see cref="Render"/>; <paramref name="upload"/> stages a document too long to go inline (null: refused).</summary>
    private static RenderedWorkflow RenderAt(WorkflowProps props, Func<string> where, IConstruct scope, Func<WorkflowDocument, string>? upload)
    {
        ArgumentNullException.ThrowIfNull(props);
        ArgumentNullException.ThrowIfNull(props.Data);
        var name = props.WorkflowName ?? throw new ConstructValidationException($"{where()}.WorkflowName", null, "a workflow name (Workflow.Render has no construct path to generate one from)");
        Naming.CheckImageBuilderName(name, () => $"{where()}.WorkflowName");
        if (!System.Text.RegularExpressions.Regex.IsMatch(props.MajorMinor, "^[0-9]{1,9}\\.[0-9]{1,9}$"))
        {
            throw new ConstructValidationException($"{where()}.MajorMinor", $"\"{props.MajorMinor}\"", "major and minor version nodes such as 1.0");
        }

        foreach (var (field, text) in new[] { ("Description", props.Description), ("ChangeDescription", props.ChangeDescription) })
        {
            // CreateWorkflow description and changeDescription: 1 to 1024 characters (API reference, CreateWorkflow).
            Checks.Description($"{where()}.{field}", text);
        }

        if (props.Tags.Count > 0)
        {
            Checks.Tags($"{where()}.Tags", props.Tags, TagRules.ImageBuilder);
        }

        // The document, checked again for the workflow's type (a BUILD workflow cannot distribute).
        var document = props.Data.For(StageOf(props.WorkflowType));
        var description = props.Description ?? document?.Description;
        var kmsKeyArn = props.KmsKey is null ? null : Attributes.KeyArn(props.KmsKey);
        var content = document?.Text ?? props.Data.Uri!;
        var version = $"{props.MajorMinor}.{Component.VersionNode(Component.Stable(scope, content), TypeName(props.WorkflowType), Component.Stable(scope, description ?? ""), Component.Stable(scope, props.ChangeDescription ?? ""), Component.Stable(scope, kmsKeyArn ?? ""))}";

        string? uri = props.Data.Uri;
        if (document is not null && !document.FitsInline)
        {
            uri = upload?.Invoke(document) ?? throw new ConstructValidationException($"{where()}.Data", $"a document of {System.Text.Encoding.UTF8.GetByteCount(document.Text)} bytes", $"at most {WorkflowDocument.MaxInlineBytes} bytes inline (Workflow.Render stages no asset): use the Workflow construct, or a document in S3 (WorkflowData.FromS3)");
        }

        var warnings = document?.Warnings.Select(w => $"{props.Data.Source}: {w}").ToList() ?? [];
        var definition = CfnDefinition.Of("AWS::ImageBuilder::Workflow", new Dictionary<string, object?>
        {
            ["Name"] = name,
            ["Version"] = version,
            ["Type"] = TypeName(props.WorkflowType),
            ["Description"] = description,
            ["ChangeDescription"] = props.ChangeDescription ?? (document is null ? $"Document {props.Data.Uri}" : $"Content fingerprint {document.Fingerprint[..12]}"),
            ["Data"] = uri is null ? document!.Text : null,
            ["Uri"] = uri,
            ["KmsKeyId"] = kmsKeyArn,
            ["Tags"] = Cfn.TagMap(props.Tags),
        }) with { Warnings = warnings };
        return new RenderedWorkflow(name, version, props.WorkflowType, definition, document);
    }

    [System.Text.RegularExpressions.GeneratedRegex("^arn:[^:]+:imagebuilder:[^:]*:[^:]*:workflow/(?<type>build|test|distribution)/(?<name>[^/]+)/(?<version>[^/]+)(?:/[0-9]+)?$")]
    private static partial System.Text.RegularExpressions.Regex WorkflowArnParts();

    /// <summary>A workflow imported as a construct.</summary>
    private sealed class Imported(Construct scope, string id, string arn, string name, WorkflowType type, string version) : ImageBuilderResource(scope, id, ReadAction), IWorkflow
    {
        public string WorkflowArn { get; } = arn;

        public string WorkflowName { get; } = name;

        public WorkflowType WorkflowType { get; } = type;

        public string WorkflowVersion { get; } = version;

        protected override string GrantedArn => WorkflowArn;
    }

    /// <summary>A workflow by reference, without a construct.</summary>
    private sealed class Named(string arn, string name, WorkflowType type, string version, WorkflowDocument? document)
        : ImageBuilderReference($"the workflow {name}/{version}", "Workflow.FromWorkflowAttributes(scope, id, ...)", ReadAction), IWorkflow, IDocumentedWorkflow
    {
        public string WorkflowArn { get; } = arn;

        public string WorkflowName { get; } = name;

        public WorkflowType WorkflowType { get; } = type;

        public string WorkflowVersion { get; } = version;

        public WorkflowDocument? Document { get; } = document;

        protected override string GrantedArn => WorkflowArn;
    }
}
