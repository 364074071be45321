using System.Text.RegularExpressions;

namespace AmiInfra.Rules.Workflows;

/// <summary>One workflow of a pipeline, as the pipeline rules see it.</summary>
/// <param name="Stage">The workflow's type.</param>
/// <param name="OnFailure">CONTINUE or ABORT, or null when not set.</param>
/// <param name="ParallelGroup">The parallel group, or null.</param>
/// <param name="Parameters">The parameters passed (name to values).</param>
/// <param name="Document">The document, when it is known (a workflow of the app's own); null for an imported or AWS-managed one.</param>
public sealed record PipelineWorkflow(WorkflowStage Stage, string? OnFailure, string? ParallelGroup, IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters, WorkflowDocument? Document);

/// <summary>An AWS-managed workflow.</summary>
/// <param name="Name">Its name, as its ARN has it (arn:partition:imagebuilder:region:aws:workflow/type/name/version).</param>
/// <param name="Stage">Its type.</param>
/// <param name="ForContainers">Whether it builds, tests or distributes container images rather than AMIs.</param>
public sealed record ManagedWorkflow(string Name, WorkflowStage Stage, bool ForContainers);

/// <summary>
/// The workflows of a pipeline (AWS::ImageBuilder::ImagePipeline Workflows, the API's WorkflowConfiguration), and the
/// AWS-managed workflows AmiInfra knows.
/// </summary>
public static partial class PipelineWorkflows
{
    /// <summary>
    /// "An image pipeline or image request can include at most one build workflow and one distribution workflow. It can
    /// also include one or more test workflows. The total number of workflows cannot exceed ten." ("Manage build, test,
    /// and distribution workflows", https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-image-workflows.html).
    /// </summary>
    public const int MaxWorkflows = 10;

    /// <summary>
    /// The name of the execution role a factory gives the pipeline of an image with workflows (or a pattern of them,
    /// with * for the image); <c>amiinfra redistribute</c> passes the same role to DistributeImage.
    /// </summary>
    public static string ExecutionRoleName(string factory, string image) => $"{factory}-{image}-workflows";

    /// <summary>A parameter name passed to a workflow: WorkflowParameter name, 1 to 128 characters (API reference, WorkflowParameter).</summary>
    public const int MaxParameterNameLength = 128;

    /// <summary>"Parameter value length | 1,024 characters | Per parameter value." (Workflow resource constraints).</summary>
    public const int MaxParameterValueLength = 1024;

    /// <summary>WorkflowConfiguration onFailure: "CONTINUE | ABORT" (API reference, WorkflowConfiguration).</summary>
    public static readonly IReadOnlyList<string> OnFailureValues = ["CONTINUE", "ABORT"];

    /// <summary>
    /// A parallel group: "Length Constraints: Minimum length of 1. Maximum length of 100. Pattern:
    /// ^[A-Za-z0-9][A-Za-z0-9-_+#]{0,99}$" (API reference, WorkflowConfiguration parallelGroup,
    /// https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_WorkflowConfiguration.html).
    /// </summary>
    public static readonly Shape ParallelGroup = new(ParallelGroupPattern(), "1 to 100 characters: a letter or digit, then letters, digits and - _ + #");

    /// <summary>The name of an AWS-managed workflow as its ARN writes it ([a-z0-9-_]+ in the WorkflowConfiguration workflowArn pattern).</summary>
    public static readonly Shape ManagedName = new(ManagedNamePattern(), "an AWS-managed workflow name such as build-image or test-image");

    /// <summary>
    /// A workflow ARN as a pipeline takes it: "arn:aws[^:]*:imagebuilder:[^:]+:(?:[0-9]{12}|aws):workflow/(build|test|distribution)/[a-z0-9-_]+/(?:(?:([0-9]+|x)\.([0-9]+|x)\.([0-9]+|x))|(?:[0-9]+\.[0-9]+\.[0-9]+/[0-9]+))"
    /// (API reference, WorkflowConfiguration workflowArn).
    /// </summary>
    public static readonly Shape WorkflowArn = new(WorkflowArnPattern(), "a workflow ARN such as arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/x.x.x");

    /// <summary>
    /// The AWS-managed workflows AmiInfra knows, from "Use managed workflows for your images" (manage-image-workflows.html:
    /// build-image, test-image, build-container, test-container, express-build-image, express-build-container,
    /// express-test-image) and the AWS CDK's Image Builder module (AwsManagedWorkflow: distribute-container). There is
    /// no AWS-managed AMI distribution workflow: without a distribution workflow, Image Builder runs the pipeline's
    /// distribution configuration.
    /// </summary>
    public static readonly IReadOnlyList<ManagedWorkflow> Managed =
    [
        new("build-image", WorkflowStage.Build, false),
        new("test-image", WorkflowStage.Test, false),
        new("express-build-image", WorkflowStage.Build, false),
        new("express-test-image", WorkflowStage.Test, false),
        new("build-container", WorkflowStage.Build, true),
        new("test-container", WorkflowStage.Test, true),
        new("express-build-container", WorkflowStage.Build, true),
        new("distribute-container", WorkflowStage.Distribution, true),
    ];

    /// <summary>The managed workflow of that name, or null.</summary>
    public static ManagedWorkflow? FindManaged(string name) => Managed.FirstOrDefault(m => m.Name == name);

    /// <summary>
    /// A managed workflow for an AMI pipeline: a name of the catalog must have the declared type (when one is declared)
    /// and is warned of when it is for container images; a name the catalog does not have needs its type declared, and is
    /// warned of (with the closest known names), since AWS adds workflows after any catalog.
    /// </summary>
    public static Problem? CheckManaged(string name, WorkflowStage? declared, out WorkflowStage? stage, out string? warning)
    {
        warning = null;
        stage = declared;
        var known = FindManaged(name);
        if (known is null)
        {
            var close = Text.Closest(name, Managed.Where(m => !m.ForContainers).Select(m => m.Name), 3);
            warning = $"\"{name}\" is not an AWS-managed workflow AmiInfra knows{(close.Count == 0 ? "" : $" (did you mean {string.Join(" or ", close)}?)")}; it is used as written and must exist in the region the factory builds in";
            return declared is null ? new Problem(null, $"the type of {name} (BUILD, TEST or DISTRIBUTION): AmiInfra does not know this managed workflow") { Part = "type" } : null;
        }

        if (declared is { } d && d != known.Stage)
        {
            return new Problem(WorkflowStages.Name(d), $"{WorkflowStages.Name(known.Stage)}, the type of the AWS-managed {name} (or leave type out)") { Part = "type" };
        }

        stage = known.Stage;
        if (known.ForContainers)
        {
            warning = $"{name} is an AWS-managed workflow for container images; the factory builds AMIs";
        }

        return null;
    }

    /// <summary>
    /// The workflows of one pipeline: at most ten, one build and one distribution workflow at most; onFailure and
    /// parallelGroup on test workflows only ("The parallelGroup and onFailure settings apply only to test workflows. Image
    /// Builder rejects them on a build or distribution workflow with an InvalidParameterCombinationException", user guide,
    /// "Configure image pipeline workflows in Image Builder"; CloudFormation says of ParallelGroup "This field only applies
    /// for test workflows", https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-imagebuilder-imagepipeline-workflowconfiguration.html;
    /// the API reference says of onFailure "You can only set this property for test workflows"); a parallel group of the
    /// API's shape; parameters each a declared one of the right type (<see cref="WorkflowDocument.CheckPassed"/>), within
    /// the limits of names and values; output names unique across the pipeline's workflows ("The name must be unique
    /// across the workflows that you include in your pipeline"). The problem's index is the workflow's, its part the
    /// field (type, onFailure, parallelGroup, parameters, or parameters.name).
    /// </summary>
    public static Problem? Check(IReadOnlyList<PipelineWorkflow> workflows, Func<string, bool>? isToken = null)
    {
        if (workflows.Count > MaxWorkflows)
        {
            return new Problem($"{workflows.Count} workflows", $"at most {MaxWorkflows} workflows per pipeline, build and distribution workflows included (Image Builder's limit)");
        }

        foreach (var single in new[] { WorkflowStage.Build, WorkflowStage.Distribution })
        {
            var of = workflows.Select((w, i) => (w, i)).Where(x => x.w.Stage == single).ToList();
            if (of.Count > 1)
            {
                return new Problem($"a second {WorkflowStages.Name(single)} workflow", $"at most one {WorkflowStages.Name(single)} workflow per pipeline (test workflows may be several)") { Index = of[1].i, Part = "type", DuplicateOf = of[0].i };
            }
        }

        var outputs = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < workflows.Count; i++)
        {
            var w = workflows[i];
            if (w.OnFailure is { } onFailure)
            {
                if (w.Stage != WorkflowStage.Test)
                {
                    return new Problem(Text.Quote(onFailure), $"no onFailure on a {WorkflowStages.Name(w.Stage)} workflow: it applies to test workflows only (Image Builder rejects it elsewhere)") { Index = i, Part = "onFailure" };
                }

                if (!OnFailureValues.Contains(onFailure))
                {
                    return new Problem(Text.Quote(onFailure), Text.OneOf(OnFailureValues)) { Index = i, Part = "onFailure" };
                }
            }

            if (w.ParallelGroup is { } group)
            {
                if (w.Stage != WorkflowStage.Test)
                {
                    return new Problem(Text.Quote(group), $"no parallelGroup on a {WorkflowStages.Name(w.Stage)} workflow: it applies to test workflows only (Image Builder rejects it elsewhere)") { Index = i, Part = "parallelGroup" };
                }

                if (!(isToken?.Invoke(group) ?? false) && ParallelGroup.Check(group) is { } problem)
                {
                    return problem with { Index = i, Part = "parallelGroup" };
                }
            }

            foreach (var name in w.Parameters.Keys)
            {
                if (name.Length is 0 or > MaxParameterNameLength)
                {
                    return new Problem($"the parameter name {Text.Quote(name)}", $"a name of 1 to {MaxParameterNameLength} characters") { Index = i, Part = "parameters" };
                }
            }

            if (w.Document is { } document)
            {
                if (document.Stage is { } checkedFor && checkedFor != w.Stage)
                {
                    return new Problem(WorkflowStages.Name(w.Stage), $"{WorkflowStages.Name(checkedFor)}, the type its document was checked for") { Index = i, Part = "type" };
                }

                if (document.CheckPassed(w.Parameters, isToken) is { } passed)
                {
                    return passed with { Index = i, Part = passed.Part is null ? "parameters" : $"parameters.{passed.Part}" };
                }

                foreach (var output in document.Outputs)
                {
                    if (outputs.TryGetValue(output, out var first))
                    {
                        return new Problem($"the output \"{output}\" a second time", "output names unique across the pipeline's workflows (\"The name must be unique across the workflows that you include in your pipeline\")") { Index = i, DuplicateOf = first };
                    }

                    outputs[output] = i;
                }
            }
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-_+#]{0,99}$")]
    private static partial Regex ParallelGroupPattern();

    [GeneratedRegex("^[a-z0-9-_]+$")]
    private static partial Regex ManagedNamePattern();

    [GeneratedRegex(@"^arn:aws[^:]*:imagebuilder:[^:]+:(?:[0-9]{12}|aws):workflow/(build|test|distribution)/[a-z0-9-_]+/(?:(?:([0-9]+|x)\.([0-9]+|x)\.([0-9]+|x))|(?:[0-9]+\.[0-9]+\.[0-9]+/[0-9]+))$")]
    private static partial Regex WorkflowArnPattern();
}
