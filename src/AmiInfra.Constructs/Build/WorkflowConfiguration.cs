using AmiInfra.Rules;
using AmiInfra.Rules.Workflows;

namespace AmiInfra.Constructs.Build;

/// <summary>What Image Builder does when a test workflow fails (WorkflowConfiguration onFailure).</summary>
public enum WorkflowOnFailure
{
    /// <summary>ABORT: the image build fails.</summary>
    Abort,

    /// <summary>CONTINUE: "a failed workflow is logged and image creation proceeds to the next workflow".</summary>
    Continue,
}

/// <summary>A workflow a pipeline runs, with what the pipeline passes it (<see cref="ImagePipelineProps.Workflows"/>).</summary>
public sealed record WorkflowConfiguration
{
    /// <summary>The workflow: <see cref="Workflow"/>, an import, or <see cref="Workflow.FromManaged"/>. No default.</summary>
    public required IWorkflow Workflow { get; init; }

    /// <summary>
    /// Parameters passed to the workflow, by name: each a parameter its document declares, with its values (one for
    /// string, integer and boolean parameters; any number for stringList). Default: none (the document's defaults).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// What happens when the workflow fails; test workflows only ("You can only set this property for test workflows",
    /// API reference, WorkflowConfiguration). Default: none: the image build fails when the workflow fails.
    /// </summary>
    public WorkflowOnFailure? OnFailure { get; init; }

    /// <summary>
    /// The group of test workflows this one runs with at the same time; test workflows only. Default: none (it runs on its own).
    /// </summary>
    public string? ParallelGroup { get; init; }
}

/// <summary>How a pipeline's workflows are checked and rendered (ImagePipeline.Render and the construct).</summary>
internal static class PipelineWorkflowsRender
{
    /// <summary>
    /// The workflows, checked as <see cref="PipelineWorkflows.Check"/> says; a problem names the prop
    /// (<c>where.Workflows[1].OnFailure</c>, <c>where.Workflows[0].Parameters["topic"]</c>).
    /// </summary>
    public static void Check(IReadOnlyList<WorkflowConfiguration> workflows, Func<string> where)
    {
        for (var i = 0; i < workflows.Count; i++)
        {
            if (workflows[i]?.Workflow is null)
            {
                throw new ConstructValidationException($"{where()}.Workflows[{i}].Workflow", null, "a workflow (Workflow, an import, or Workflow.FromManaged)");
            }
        }

        var items = workflows.Select(w => new PipelineWorkflow(
            Workflow.StageOf(w.Workflow.WorkflowType),
            w.OnFailure is { } onFailure ? OnFailureName(onFailure) : null,
            w.ParallelGroup,
            w.Parameters,
            (w.Workflow as IDocumentedWorkflow)?.Document)).ToList();
        if (PipelineWorkflows.Check(items, Checks.IsToken) is { } problem)
        {
            var at = problem.Index is { } index ? $"{where()}.Workflows[{index}]" : $"{where()}.Workflows";
            throw new ConstructValidationException(PropOf(at, problem.Part), problem.Value, problem.DuplicateOf is { } first ? $"{problem.Accepted} ({where()}.Workflows[{first}])" : problem.Accepted);
        }
    }

    /// <summary>The pipeline's Workflows property: ARN, parameters (sorted by name), onFailure and parallel group.</summary>
    /// <remarks>
    /// onFailure is written as CloudFormation's WorkflowConfiguration takes it, "Allowed values: CONTINUE | ABORT"
    /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-imagebuilder-imagepipeline-workflowconfiguration.html),
    /// not as the CDK alpha module's enum values (Abort, Continue).
    /// </remarks>
    public static object[]? Render(IReadOnlyList<WorkflowConfiguration> workflows) =>
        workflows.Count == 0
            ? null
            : workflows.Select(w => (object)Cfn.Clean(new Dictionary<string, object?>
            {
                ["WorkflowArn"] = w.Workflow.WorkflowArn,
                ["Parameters"] = w.Parameters.Count == 0 ? null : w.Parameters
                    .OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => (object)new Dictionary<string, object> { ["Name"] = p.Key, ["Value"] = p.Value.ToArray() })
                    .ToArray(),
                ["OnFailure"] = w.OnFailure is { } onFailure ? OnFailureName(onFailure) : null,
                ["ParallelGroup"] = w.ParallelGroup,
            })).ToArray();

    private static string OnFailureName(WorkflowOnFailure onFailure) => onFailure == WorkflowOnFailure.Continue ? "CONTINUE" : "ABORT";

    private static string PropOf(string at, string? part) => part switch
    {
        null => at,
        "type" => $"{at}.Workflow",
        "onFailure" => $"{at}.OnFailure",
        "parallelGroup" => $"{at}.ParallelGroup",
        "parameters" => $"{at}.Parameters",
        _ when part.StartsWith("parameters.", StringComparison.Ordinal) => $"{at}.Parameters[{Text.Quote(part["parameters.".Length..])}]",
        _ => $"{at}.{part}",
    };
}
