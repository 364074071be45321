using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AmiInfra.Rules;
using AmiInfra.Rules.Workflows;

namespace AmiInfra.Declaration;

/// <summary>
/// Reads an image's <c>workflows</c>: AWS-managed workflows and workflow documents of the factory's, with their type,
/// parameters, onFailure and parallel group, checked as the constructs and Image Builder check them; and gives every
/// workflow document of the factory one name and one type.
/// </summary>
internal static partial class WorkflowsReader
{
    /// <summary>The fields of an image's <c>workflows[]</c>.</summary>
    internal static readonly string[] Fields = ["managed", "version", "file", "name", "type", "parameters", "onFailure", "parallelGroup"];

    /// <summary>What a declared workflow name must be: it follows the factory name in the workflow's physical name.</summary>
    internal static readonly Shape WorkflowName = new(WorkflowNamePattern(), "1 to 64 characters: lower-case letters, digits, '-' and '_', starting with a letter or digit");

    /// <summary>What a parameter's value must be.</summary>
    internal const string ParameterAccepted = "text, or a list of texts (Image Builder passes a workflow parameter as a list of values)";

    private const string Shape = "each { \"managed\": \"build-image\" } or { \"file\": \"workflows/x.yml\", \"type\": \"DISTRIBUTION\" }";

    public static IReadOnlyList<WorkflowReference> Read(JsonFields f, FactoryContext factory)
    {
        if (!f.Has("workflows"))
        {
            return [];
        }

        var items = f.Array("workflows", PipelineWorkflows.MaxWorkflows);
        if (items.Count == 0)
        {
            throw new DeclarationException(f.At("workflows"), "an empty list", $"a list of 1 to {PipelineWorkflows.MaxWorkflows} workflows, {Shape}; leave workflows out for Image Builder's own build and test");
        }

        var result = new List<WorkflowReference>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            result.Add(ReadOne(JsonFields.Open(items[i], $"{f.At("workflows")}[{i}]", Fields), factory));
        }

        // With workflows, Image Builder runs only those ("To skip the build or test stage, omit a workflow of that type from
        // your pipeline", https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-image-workflows.html): the image
        // keeps being built, and tested unless tests.enabled is false, by AWS's own workflows where none is declared.
        var testsEnabled = f.OptionalObject("tests", ImageReader.TestsFields)?.OptionalBool("enabled") ?? true;
        if (!testsEnabled && result.FindIndex(w => w.Stage == WorkflowStage.Test) is var test and >= 0)
        {
            throw new DeclarationException($"{f.At("workflows")}[{test}]", $"a TEST workflow while {f.At("tests.enabled")} is false", "no TEST workflow when tests are disabled, or tests.enabled true (the default)");
        }

        if (result.All(w => w.Stage != WorkflowStage.Build))
        {
            result.Add(new WorkflowReference { Managed = "build-image", Stage = WorkflowStage.Build, Added = true });
        }

        if (testsEnabled && result.All(w => w.Stage != WorkflowStage.Test))
        {
            result.Add(new WorkflowReference { Managed = "test-image", Stage = WorkflowStage.Test, Added = true });
        }

        var check = PipelineWorkflows.Check(result.Select(w => new PipelineWorkflow(w.Stage, w.OnFailure, w.ParallelGroup, w.Parameters, w.Document)).ToList());
        if (check is { } problem)
        {
            var at = problem.Index is { } index && index < items.Count ? $"{f.At("workflows")}[{index}]" : f.At("workflows");
            var accepted = problem.DuplicateOf is { } first ? $"{problem.Accepted} ({f.At("workflows")}[{first}])" : problem.Accepted;
            if (result.Any(w => w.Added) && (problem.Index is null || problem.Index >= items.Count))
            {
                accepted = $"{accepted}, counting {string.Join(" and ", result.Where(w => w.Added).Select(w => w.Managed))}, which AmiInfra adds (an image with workflows gets build-image without a BUILD workflow, and test-image without a TEST one while tests are enabled)";
            }

            throw new DeclarationException(problem.Part is null || at == f.At("workflows") ? at : $"{at}.{problem.Part}", problem.Value, accepted);
        }

        // The factory makes each pipeline's execution role, which may use only the topics, functions and state machines
        // it knows at synth (WorkflowExecutionRole): one a step finds at run time cannot be granted.
        for (var i = 0; i < items.Count; i++)
        {
            if (result[i].Document?.Resources.FirstOrDefault(r => r.ValueKind == WorkflowValueKind.RunTime) is { } late)
            {
                throw new DeclarationException(
                    $"{f.At("workflows")}[{i}].file",
                    $"{JsonFields.Quote(result[i].File!)} (step \"{late.Step}\" names its {Describe(late.Kind)} only when it runs: {late.Value})",
                    $"the {Describe(late.Kind)} written in the document, or a parameter of it: AmiInfra makes the pipeline's execution role, which may use only what synth knows");
            }
        }

        return result;
    }

    private static WorkflowReference ReadOne(JsonFields w, FactoryContext factory)
    {
        if (w.Has("managed") == w.Has("file"))
        {
            throw new DeclarationException(w.Path, w.Has("managed") ? "both managed and file" : "neither managed nor file", "exactly one of managed (an AWS-managed workflow name) or file (a workflow document)");
        }

        var typeText = w.OptionalString("type", WorkflowStages.Accepted);
        WorkflowStage? declared = typeText is null ? null : WorkflowStages.Parse(typeText) ?? throw new DeclarationException(w.At("type"), JsonFields.Quote(typeText), WorkflowStages.Accepted);
        var parameters = Parameters(w);
        var onFailure = w.OptionalString("onFailure", Text.OneOf(PipelineWorkflows.OnFailureValues));
        if (onFailure is not null && !PipelineWorkflows.OnFailureValues.Contains(onFailure))
        {
            throw new DeclarationException(w.At("onFailure"), JsonFields.Quote(onFailure), $"{Text.OneOf(PipelineWorkflows.OnFailureValues)}, for a TEST workflow");
        }

        var group = w.OptionalChecked("parallelGroup", PipelineWorkflows.ParallelGroup);
        if (w.OptionalChecked("managed", PipelineWorkflows.ManagedName) is { } managed)
        {
            if (w.Has("name"))
            {
                throw new DeclarationException(w.At("name"), "a name on a managed workflow", "no name: an AWS-managed workflow is named by managed");
            }

            JsonFields.Require(w.Path, PipelineWorkflows.CheckManaged(managed, declared, out var stage, out var warning));
            if (warning is not null)
            {
                factory.Warnings.Add($"{w.At("managed")}: {warning}");
            }

            return new WorkflowReference
            {
                Managed = managed,
                Version = w.OptionalChecked("version", Identifiers.VersionFilter) ?? "x.x.x",
                Stage = stage!.Value,
                Parameters = parameters,
                OnFailure = onFailure,
                ParallelGroup = group,
            };
        }

        var file = w.RequiredString("file", "a path to a workflow document, relative to the declaration");
        FactoryLoader.RequireFile(w.At("file"), file, factory.BaseDirectory, "a workflow document (YAML or JSON)");
        file = Path.GetRelativePath(factory.BaseDirectory, Path.GetFullPath(Path.Combine(factory.BaseDirectory, file))).Replace('\\', '/');
        if (w.Has("version"))
        {
            throw new DeclarationException(w.At("version"), "a version on a workflow document", "no version: a document's version follows its content");
        }

        if (declared is not { } type)
        {
            throw new DeclarationException(w.At("type"), null, $"the type of the workflow document: {WorkflowStages.Accepted} (the stage it runs in)");
        }

        return new WorkflowReference
        {
            File = file,
            Name = w.OptionalChecked("name", WorkflowName) ?? Stem(file),
            Stage = type,
            Parameters = parameters,
            OnFailure = onFailure,
            ParallelGroup = group,
            Document = Document(w, file, type, factory),
        };
    }

    /// <summary>Parameters: an object of names to a text or a list of texts.</summary>
    private static SortedDictionary<string, IReadOnlyList<string>> Parameters(JsonFields w)
    {
        var result = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (w.Element("parameters") is not { } element)
        {
            return result;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new DeclarationException(w.At("parameters"), JsonFields.Render(element), "an object of parameter names to " + ParameterAccepted);
        }

        foreach (var property in element.EnumerateObject())
        {
            var at = $"{w.At("parameters")}.{property.Name}";
            result[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => [property.Value.GetString()!],
                JsonValueKind.Array when property.Value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) => property.Value.EnumerateArray().Select(v => v.GetString()!).ToList(),
                _ => throw new DeclarationException(at, JsonFields.Render(property.Value), ParameterAccepted),
            };
        }

        return result;
    }

    /// <summary>The document of a workflow, read and checked once per file and type; problems name the file and line.</summary>
    private static WorkflowDocument Document(JsonFields w, string file, WorkflowStage stage, FactoryContext factory)
    {
        if (factory.WorkflowDocuments.TryGetValue((file, stage), out var known))
        {
            return known;
        }

        var reading = WorkflowDocuments.Read(File.ReadAllText(Path.Combine(factory.BaseDirectory, file), Encoding.UTF8), stage);
        if (reading.Problem is { } problem)
        {
            throw new DeclarationException(w.At("file"), $"{JsonFields.Quote(file)} ({problem.Value})", problem.Accepted);
        }

        var document = reading.Document!;
        factory.Warnings.AddRange(document.Warnings.Select(warning => $"{w.At("file")} ({file}, {warning})"));
        factory.WorkflowDocuments[(file, stage)] = document;
        return document;
    }

    /// <summary>
    /// Names every workflow document of the factory once: one document has one name and one type wherever it is used
    /// (Image Builder names a workflow by type, name and version), and two documents never share a name.
    /// </summary>
    public static IReadOnlyList<Image> Name(IReadOnlyList<Image> images, string factoryName, List<string> warnings)
    {
        var byFile = new Dictionary<string, (string Name, WorkflowStage Stage, string Path)>(StringComparer.Ordinal);
        var byName = new Dictionary<string, (string File, string Path)>(StringComparer.Ordinal);
        for (var i = 0; i < images.Count; i++)
        {
            for (var j = 0; j < images[i].Workflows.Count; j++)
            {
                if (images[i].Workflows[j] is not { File: { } file, Name: { } name } workflow)
                {
                    continue;
                }

                var path = $"images[{i}].workflows[{j}]";
                warnings.AddRange(DistributionSteps(images[i], workflow).Select(w => $"{path}.file ({file}): {w}"));
                if (byFile.TryGetValue(file, out var first))
                {
                    if (first.Stage != workflow.Stage)
                    {
                        throw new DeclarationException($"{path}.type", WorkflowStages.Name(workflow.Stage), $"{WorkflowStages.Name(first.Stage)}, the type {first.Path} gives the same document (one document, one workflow of one type)");
                    }

                    if (first.Name != name)
                    {
                        throw new DeclarationException($"{path}.name", JsonFields.Quote(name), $"\"{first.Name}\", the name {first.Path} gives the same document (one workflow document, one name)");
                    }

                    continue;
                }

                if (byName.TryGetValue(name, out var owner))
                {
                    throw new DeclarationException(
                        $"{path}.file",
                        $"{JsonFields.Quote(file)}, whose workflow would be named {WorkflowReference.PhysicalName(factoryName, name)} like {JsonFields.Quote(owner.File)} ({owner.Path})",
                        "a \"name\" for one of the two workflows: two different documents never share a workflow");
                }

                byFile[file] = (name, workflow.Stage, path);
                byName[name] = (file, path);
            }
        }

        return images;
    }

    /// <summary>
    /// What a DISTRIBUTION workflow leaves out of the image's distribution: it runs only its own steps, and each of
    /// DistributeImage (copies), ModifyImageAttributes (launch permissions) and ApplyImageConfigurations (SSM parameters,
    /// launch templates) applies its part of the attached distribution configuration ("If you omit it, Image Builder falls
    /// back to the distribution configuration attached to the pipeline or image",
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/wfdoc-step-actions.html).
    /// </summary>
    private static IEnumerable<string> DistributionSteps(Image image, WorkflowReference workflow)
    {
        if (workflow.Stage != WorkflowStage.Distribution || workflow.Document is not { } document)
        {
            yield break;
        }

        var actions = document.Steps.Select(s => s.Action).ToHashSet(StringComparer.Ordinal);
        var d = image.Distribution;
        if (!actions.Contains("DistributeImage"))
        {
            yield return "a DISTRIBUTION workflow without a DistributeImage step: the AMI is not copied to the distribution's regions and target accounts";
        }

        if (!actions.Contains("ModifyImageAttributes") && (d.LaunchAccounts.Count > 0 || d.LaunchOrganizations.Count > 0 || d.LaunchOrganizationalUnits.Count > 0 || d.Public))
        {
            yield return "a DISTRIBUTION workflow without a ModifyImageAttributes step: the distribution's launch permissions are not applied";
        }

        if (!actions.Contains("ApplyImageConfigurations"))
        {
            yield return $"a DISTRIBUTION workflow without an ApplyImageConfigurations step: the SSM parameter {d.SsmParameterName}{(d.LaunchTemplates.Count > 0 ? " and the launch templates are" : " is")} not updated";
        }
    }

    private static string Describe(WorkflowResourceKind kind) => kind switch
    {
        WorkflowResourceKind.SnsTopic => "SNS topic",
        WorkflowResourceKind.LambdaFunction => "Lambda function",
        _ => "state machine",
    };

    private static string Stem(string file)
    {
        var slug = NotNameCharacter().Replace(Path.GetFileNameWithoutExtension(file).ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "workflow" : slug.Length <= 64 ? slug : slug[..64].TrimEnd('-');
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex WorkflowNamePattern();

    [GeneratedRegex("[^a-z0-9_-]+")]
    private static partial Regex NotNameCharacter();
}
