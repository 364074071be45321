using AmiInfra.Rules.Workflows;

namespace AmiInfra.Declaration;

/// <summary>A workflow an image's pipeline runs (<c>images[].workflows[]</c>): AWS-managed, or a document of the factory's.</summary>
public sealed record WorkflowReference
{
    /// <summary>The name of an AWS-managed workflow (e.g. build-image), or null.</summary>
    public string? Managed { get; init; }

    /// <summary>Path of a workflow document, relative to the declaration and with / separators, or null.</summary>
    public string? File { get; init; }

    /// <summary>
    /// The workflow's name in the factory, for a document: its physical name is the factory name and this name. The
    /// declaration's <c>name</c>, else the file's name without extension. Null for a managed workflow.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>Version of a managed workflow. Default: x.x.x (the newest).</summary>
    public string Version { get; init; } = "x.x.x";

    /// <summary>The stage the workflow runs in (its type): declared, or the managed workflow's own.</summary>
    public required WorkflowStage Stage { get; init; }

    /// <summary>Parameters passed to the workflow, by name, each with its values.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters { get; init; } = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>CONTINUE or ABORT when a test workflow fails, or null (the build fails).</summary>
    public string? OnFailure { get; init; }

    /// <summary>The test workflow's parallel group, or null.</summary>
    public string? ParallelGroup { get; init; }

    /// <summary>The workflow document, read and checked for the stage; null for a managed workflow.</summary>
    public WorkflowDocument? Document { get; init; }

    /// <summary>
    /// Whether AmiInfra added it: a pipeline with workflows runs only those, so an image that declares workflows without a
    /// BUILD one gets AWS's build-image, and without a TEST one (tests enabled) AWS's test-image.
    /// </summary>
    public bool Added { get; init; }

    /// <summary>A workflow's physical name: the factory name and the workflow's name (at most 85 characters, within Image Builder's 128).</summary>
    public static string PhysicalName(string factoryName, string workflowName) => $"{factoryName}-{workflowName}";
}
