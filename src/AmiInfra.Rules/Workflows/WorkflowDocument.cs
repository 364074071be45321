using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AmiInfra.Rules.Workflows;

/// <summary>A parameter a workflow document declares.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Type">string, integer, boolean or stringList.</param>
/// <param name="Default">Its default value (a list's items), or null when it has none: then the pipeline passes it.</param>
public sealed record WorkflowParameter(string Name, string Type, IReadOnlyList<string>? Default);

/// <summary>A step of a workflow document.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Action">Its action.</param>
public sealed record WorkflowStep(string Name, string Action);

/// <summary>What a resource input of a step names: a value written in the document, a parameter, or something known only at run time.</summary>
public enum WorkflowValueKind
{
    /// <summary>Written in the document.</summary>
    Literal,

    /// <summary>A parameter of the document (<c>$.parameters.name</c>).</summary>
    Parameter,

    /// <summary>Known only at run time (a step's or an earlier workflow's output, a system variable).</summary>
    RunTime,
}

/// <summary>The kind of AWS resource a step acts on as the execution role, which the role must be allowed to use.</summary>
public enum WorkflowResourceKind
{
    /// <summary>WaitForAction's <c>snsTopicArn</c>: the topic it publishes to.</summary>
    SnsTopic,

    /// <summary>WaitForAction's <c>lambdaFunctionName</c>: the function it invokes (a name or an ARN).</summary>
    LambdaFunction,

    /// <summary>ExecuteStateMachine's <c>stateMachineArn</c>: the state machine it starts.</summary>
    StateMachine,
}

/// <summary>An AWS resource a step uses as the execution role.</summary>
/// <param name="Step">The step.</param>
/// <param name="Kind">What the resource is.</param>
/// <param name="ValueKind">How the document gives it.</param>
/// <param name="Value">The value written (Literal), the parameter's name (Parameter), or the expression (RunTime).</param>
public sealed record WorkflowResourceUse(string Step, WorkflowResourceKind Kind, WorkflowValueKind ValueKind, string Value);

/// <summary>
/// An Image Builder workflow document that the rules accept: its text as handed to Image Builder, what the rest of
/// AmiInfra needs to know of it (parameters, steps, outputs, the resources its steps use), and what a reader should
/// be warned of.
/// </summary>
public sealed class WorkflowDocument
{
    internal WorkflowDocument(
        string text,
        WorkflowStage? stage,
        string? name,
        string? description,
        IReadOnlyList<WorkflowParameter> parameters,
        IReadOnlyList<WorkflowStep> steps,
        IReadOnlyList<string> outputs,
        IReadOnlyList<WorkflowResourceUse> resources,
        IReadOnlyList<string> warnings)
    {
        Text = text;
        Stage = stage;
        Name = name;
        Description = description;
        Parameters = parameters;
        Steps = steps;
        Outputs = outputs;
        Resources = resources;
        Warnings = warnings;
    }

    /// <summary>Largest document Image Builder takes inline: "Inline document size (data) | 16,000 bytes | Use the uri (Amazon S3) option for larger documents" (https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-image-workflows.html, Workflow resource constraints).</summary>
    public const int MaxInlineBytes = 16000;

    /// <summary>The document's text, as Image Builder receives it.</summary>
    public string Text { get; }

    /// <summary>The stage it was checked for, or null when it was checked for any stage.</summary>
    public WorkflowStage? Stage { get; }

    /// <summary>The document's own name, if it has one (optional).</summary>
    public string? Name { get; }

    /// <summary>The document's description, if it has one.</summary>
    public string? Description { get; }

    /// <summary>The parameters it declares, in order.</summary>
    public IReadOnlyList<WorkflowParameter> Parameters { get; }

    /// <summary>Its steps, in the order they run.</summary>
    public IReadOnlyList<WorkflowStep> Steps { get; }

    /// <summary>The names of its outputs.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>The SNS topics, Lambda functions and state machines its steps use as the execution role.</summary>
    public IReadOnlyList<WorkflowResourceUse> Resources { get; }

    /// <summary>What is legal but likely not what the author meant, with the line.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>Whether Image Builder takes it inline (at most 16,000 bytes of UTF-8); a longer one goes by S3 <c>uri</c>.</summary>
    public bool FitsInline => Encoding.UTF8.GetByteCount(Text) <= MaxInlineBytes;

    /// <summary>A fingerprint of the text: equal texts, equal fingerprints.</summary>
    public string Fingerprint => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));

    /// <summary>
    /// The parameters a pipeline passes (name to values): each must be one the document declares (names are matched
    /// exactly), its values must fit the parameter's type (one value for string, integer and boolean; an integer's
    /// digits; true or false), and every parameter declared without a default must be passed: "If you don't include a
    /// default value in the parameter definition, the parameter value is required at runtime" ("Create a YAML workflow
    /// document", https://docs.aws.amazon.com/imagebuilder/latest/userguide/image-workflow-create-document.html).
    /// Each value takes at most 1,024 characters ("Parameter value length | 1,024 characters",
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-image-workflows.html). The problem's part is the
    /// parameter's name. Values that are <paramref name="isToken"/> (unresolved CDK tokens) are not checked.
    /// </summary>
    public Problem? CheckPassed(IReadOnlyDictionary<string, IReadOnlyList<string>> passed, Func<string, bool>? isToken = null)
    {
        foreach (var (name, values) in passed)
        {
            var parameter = Parameters.FirstOrDefault(p => p.Name == name);
            if (parameter is null)
            {
                var declared = Parameters.Select(p => p.Name).ToList();
                var known = declared.Count == 0 ? "no parameters: the document declares none" : $"a parameter the document declares: {string.Join(", ", declared)}";
                var close = declared.FirstOrDefault(d => string.Equals(d, name, StringComparison.OrdinalIgnoreCase));
                return new Problem($"the parameter {Rules.Text.Quote(name)}", close is null ? known : $"{known} (parameter names are case-sensitive: {close})") { Part = name };
            }

            if (ValueProblem(parameter, values, isToken ?? (_ => false)) is { } problem)
            {
                return problem with { Part = name };
            }
        }

        var missing = Parameters.Where(p => p.Default is null && !passed.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        return missing.Count == 0
            ? null
            : new Problem(null, $"a value for {string.Join(", ", missing)}: the document declares {(missing.Count == 1 ? "it" : "them")} without a default, so the workflow would fail without {(missing.Count == 1 ? "it" : "them")}") { Part = missing[0] };
    }

    /// <summary>The value a parameter has in a run: the values passed, else its default; null when it has neither.</summary>
    public IReadOnlyList<string>? ValueOf(string parameter, IReadOnlyDictionary<string, IReadOnlyList<string>> passed) =>
        passed.TryGetValue(parameter, out var values) ? values : Parameters.FirstOrDefault(p => p.Name == parameter)?.Default;

    private static Problem? ValueProblem(WorkflowParameter parameter, IReadOnlyList<string> values, Func<string, bool> isToken)
    {
        if (values.FirstOrDefault(v => v.Length > PipelineWorkflows.MaxParameterValueLength) is { } tooLong)
        {
            return new Problem($"a value of {tooLong.Length} characters", $"values of at most {PipelineWorkflows.MaxParameterValueLength} characters (Image Builder's limit per parameter value)");
        }

        if (parameter.Type == "stringList")
        {
            return null;
        }

        if (values.Count != 1)
        {
            return new Problem($"{values.Count} values", $"exactly one value: the parameter's type is {parameter.Type}");
        }

        var value = values[0];
        if (isToken(value))
        {
            return null;
        }

        return parameter.Type switch
        {
            "integer" when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => new Problem(Rules.Text.Quote(value), "an integer (digits, with an optional sign): the parameter's type is integer"),
            "boolean" when value is not ("true" or "false") => new Problem(Rules.Text.Quote(value), "true or false: the parameter's type is boolean"),
            _ => null,
        };
    }
}
