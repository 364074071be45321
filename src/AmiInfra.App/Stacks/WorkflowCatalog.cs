using AmiInfra.Constructs.Build;
using AmiInfra.Declaration;
using AmiInfra.Rules;
using AmiInfra.Rules.Workflows;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>
/// The factory's workflows: one per workflow document, shared by every image that uses it, named as the declaration
/// names it (<see cref="WorkflowReference.Name"/>), so adding an image never renames one. AWS-managed workflows are
/// referred to by ARN and need no resource.
/// </summary>
public sealed class WorkflowCatalog
{
    private readonly Construct _scope;
    private readonly Factory _factory;
    private readonly Dictionary<string, (Workflow Workflow, string File)> _workflows = new(StringComparer.Ordinal);

    /// <summary>Creates an empty catalog whose workflows live under <paramref name="scope"/>.</summary>
    public WorkflowCatalog(Construct scope, Factory factory)
    {
        _scope = new Construct(scope, "Workflows");
        _factory = factory;
    }

    /// <summary>
    /// The workflow an image's pipeline refers to, created here on first use; the reference returned is built from type,
    /// name and version (and carries the document), so pipelines in other stacks can use it.
    /// </summary>
    public IWorkflow For(WorkflowReference reference)
    {
        var type = TypeOf(reference.Stage);
        if (reference.Managed is { } managed)
        {
            return Workflow.FromManaged(managed, type, reference.Version);
        }

        var name = WorkflowReference.PhysicalName(_factory.Name, reference.Name!);
        if (!_workflows.TryGetValue(name, out var existing))
        {
            var workflow = new Workflow(_scope, name, new WorkflowProps
            {
                WorkflowName = name,
                Data = WorkflowData.Of(reference.Document!, reference.File!),
                WorkflowType = type,
                Tags = new Dictionary<string, string>(_factory.Tags) { [AmiTagKeys.Factory] = _factory.Name },
            });
            existing = (workflow, reference.File!);
            _workflows[name] = existing;
        }
        else if (existing.File != reference.File)
        {
            // The loader gives different documents different names; one name, one document.
            throw new InvalidOperationException($"workflow {name} is named for {existing.File} and {reference.File}");
        }

        return Workflow.FromNameAndVersion(existing.Workflow.WorkflowName, type, existing.Workflow.WorkflowVersion, existing.Workflow.Document);
    }

    /// <summary>The stage of a declared workflow as the constructs name it.</summary>
    internal static WorkflowType TypeOf(WorkflowStage stage) => (WorkflowType)(int)stage;
}
