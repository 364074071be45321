using System.Text.RegularExpressions;
using AmiInfra.Rules.Awstoe;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static AmiInfra.Rules.Awstoe.YamlValues;

namespace AmiInfra.Rules.Workflows;

/// <summary>What reading a workflow document gave: the document, or the first problem (whose value names the line).</summary>
/// <param name="Document">The document, when the rules accept it.</param>
/// <param name="Problem">Else the problem.</param>
public sealed record WorkflowReading(WorkflowDocument? Document, Problem? Problem);

/// <summary>
/// Image Builder workflow documents (YAML, or JSON), checked as AWS documents them: "Create a YAML workflow document"
/// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/image-workflow-create-document.html: the identification,
/// parameters, steps and outputs), "Supported step actions for your workflow document"
/// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/wfdoc-step-actions.html: actions, stages, timeouts and
/// inputs, <see cref="WorkflowActions"/>), "Use dynamic variables in your workflow document"
/// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/wfdoc-dynamic-vars.html: <c>$.parameters</c>,
/// <c>$.stepOutputs</c>, the <c>.$</c> suffix and <c>{{ }}</c> interpolation), and the workflow resource constraints
/// of "Manage build, test, and distribution workflows"
/// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/manage-image-workflows.html). YAML values are read as the
/// AWSTOE reader reads them (<see cref="YamlValues"/>). Never stricter: a key AWS does not document is warned of, not
/// refused, and where two pages disagree the more permissive reading is taken unless another page makes it fail.
/// </summary>
public static partial class WorkflowDocuments
{
    /// <summary>What a document must be, said when it is something else entirely.</summary>
    public const string Accepted = "an Image Builder workflow document: a YAML (or JSON) mapping with schemaVersion: 1.0 and steps";

    /// <summary>"Specifies up to 15 step actions for the workflow" (Create a YAML workflow document); "Steps per workflow document | 15".</summary>
    public const int MaxSteps = 15;

    /// <summary>"Parameters per workflow document | 25" (Workflow resource constraints).</summary>
    public const int MaxParameters = 25;

    /// <summary>"Outputs per workflow document | 25" (Workflow resource constraints).</summary>
    public const int MaxOutputs = 25;

    /// <summary>A step's description: "Empty strings are not allowed. If included, length must be 1-1024 characters."</summary>
    public const int MaxDescriptionLength = 1024;

    /// <summary>The top-level keys of a document: identification, parameters, steps, outputs.</summary>
    public static readonly IReadOnlyList<string> TopLevelFields = ["name", "description", "schemaVersion", "parameters", "steps", "outputs"];

    /// <summary>The keys of a step ("Each step can include the following attributes").</summary>
    public static readonly IReadOnlyList<string> StepFields = ["name", "action", "description", "inputs", "if", "onFailure", "rollbackEnabled", "timeoutSeconds"];

    /// <summary>A step's onFailure: "Abort (default) ... Continue".</summary>
    public static readonly IReadOnlyList<string> OnFailureValues = ["Abort", "Continue"];

    /// <summary>"The data type of the parameter must be one of the following: string, integer, boolean, stringList".</summary>
    public static readonly IReadOnlyList<string> ParameterTypes = ["string", "integer", "boolean", "stringList"];

    /// <summary>"Branching conditions and modifiers: if, and, or, not."</summary>
    public static readonly IReadOnlyList<string> BranchingOperators = ["and", "or", "not"];

    /// <summary>"Comparison operators: booleanEquals, numberEquals, numberGreaterThan, numberGreaterThanEquals, numberLessThan, numberLessThanEquals, stringEquals."</summary>
    public static readonly IReadOnlyList<string> ComparisonOperators =
        ["booleanEquals", "numberEquals", "numberGreaterThan", "numberGreaterThanEquals", "numberLessThan", "numberLessThanEquals", "stringEquals"];

    /// <summary>The document structure nodes of a dynamic variable ($.node...): "parameters, stepOutputs, workflowOutputs, imagebuilder".</summary>
    public static readonly IReadOnlyList<string> StructureNodes = ["parameters", "stepOutputs", "workflowOutputs", "imagebuilder"];

    /// <summary>
    /// What a step name must be. The user guide: "Length must be between 3-128 characters. Can include alphanumeric
    /// characters and _. No spaces." The API reference names steps with WorkflowStepName, ^[A-Za-z][A-Za-z0-9-_]{1,99}$
    /// (e.g. https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_WorkflowStepMetadata.html). The pages
    /// disagree: a name is accepted when both take it (a letter first, then letters, digits and _, 3 to 100 characters),
    /// since a name one of them refuses fails where that one applies.
    /// </summary>
    public static readonly Shape StepName = new(StepNamePattern(), "3 to 100 characters: a letter, then letters, digits and _ (the user guide's and the API's step name rules)");

    /// <summary>Reads and checks <paramref name="text"/> as a workflow of <paramref name="stage"/>; null checks what holds in every stage.</summary>
    public static WorkflowReading Read(string text, WorkflowStage? stage)
    {
        try
        {
            return new WorkflowReading(new DocumentReader(text, stage).Read(), null);
        }
        catch (WorkflowProblem p)
        {
            return new WorkflowReading(null, p.Problem);
        }
    }

    /// <summary>A problem found while reading; its value starts with the line.</summary>
    internal sealed class WorkflowProblem(Problem problem) : Exception(problem.Describe())
    {
        public Problem Problem { get; } = problem;

        public static WorkflowProblem At(YamlNode? node, string what, string accepted) =>
            new(new Problem($"line {(node is null ? 1 : Line(node))}: {what}", accepted));
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{2,99}$")]
    private static partial Regex StepNamePattern();

    [GeneratedRegex(@"\{\{\s*(.*?)\s*\}\}", RegexOptions.Singleline)]
    internal static partial Regex Interpolation();

    [GeneratedRegex(@"^\$\.(?<node>[A-Za-z]+)(?:\.(?<name>[A-Za-z0-9_-]+))?")]
    internal static partial Regex JsonPath();

    /// <summary>An SNS topic ARN (SNS API reference, Publish TopicArn; topic names: 1 to 256 letters, digits, - and _, .fifo for FIFO topics).</summary>
    internal static readonly Shape TopicArn = new(TopicArnPattern(), "an SNS topic ARN such as arn:aws:sns:us-east-1:111122223333:approvals");

    /// <summary>A Lambda function as Invoke's FunctionName takes it: a name, a partial ARN or an ARN, with an optional qualifier (Lambda API reference, Invoke).</summary>
    internal static readonly Shape FunctionName = new(FunctionNamePattern(), "a Lambda function name or ARN such as approvals or arn:aws:lambda:us-east-1:111122223333:function:approvals");

    /// <summary>A Step Functions state machine ARN (Step Functions API reference, StartExecution stateMachineArn).</summary>
    internal static readonly Shape StateMachineArn = new(StateMachineArnPattern(), "a Step Functions state machine ARN such as arn:aws:states:us-east-1:111122223333:stateMachine:checks");

    [GeneratedRegex(@"^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?$")]
    private static partial Regex TopicArnPattern();

    [GeneratedRegex(@"^(?=.{1,170}$)(?:arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:)?(?:[0-9]{12}:)?(?:function:)?[a-zA-Z0-9_.-]+(?::(?:\$LATEST|[a-zA-Z0-9_-]+))?$")]
    private static partial Regex FunctionNamePattern();

    [GeneratedRegex(@"^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$")]
    private static partial Regex StateMachineArnPattern();

    private sealed class DocumentReader(string text, WorkflowStage? stage)
    {
        private readonly List<string> _warnings = [];
        private readonly List<WorkflowParameter> _parameters = [];
        private readonly List<WorkflowStep> _steps = [];
        private readonly List<WorkflowResourceUse> _resources = [];
        private readonly HashSet<string> _allStepNames = new(StringComparer.Ordinal);

        public WorkflowDocument Read()
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw WorkflowProblem.At(null, "an empty document", Accepted);
            }

            if (text.Contains('\0', StringComparison.Ordinal))
            {
                throw WorkflowProblem.At(null, "a NUL character", "text without NUL characters (CreateWorkflow data: [^\\x00]+)");
            }

            var root = Load();
            foreach (var (key, _, keyNode) in Entries(root))
            {
                if (!TopLevelFields.Contains(key))
                {
                    _warnings.Add($"line {Line(keyNode)}: the top-level key \"{key}\" is not one AWS documents for workflow documents ({string.Join(", ", TopLevelFields)}); Image Builder may ignore or refuse it");
                }
            }

            var name = OptionalText(root, "name");
            var description = OptionalText(root, "description");
            SchemaVersion(root);
            Parameters(root);
            Steps(root);
            var outputs = Outputs(root);
            return new WorkflowDocument(text, stage, name, description, _parameters, _steps, outputs, _resources, _warnings);
        }

        private YamlMappingNode Load()
        {
            var stream = new YamlStream();
            try
            {
                // A byte-order mark at the start is an encoding mark, not content (YAML 1.1, 5.2 Character Encoding).
                stream.Load(new StringReader(text.StartsWith('\uFEFF') ? text[1..] : text));
            }
            catch (YamlException e)
            {
                var message = e.Message.Contains("): ", StringComparison.Ordinal) ? e.Message[(e.Message.IndexOf("): ", StringComparison.Ordinal) + 3)..] : e.Message;
                throw new WorkflowProblem(new Problem($"line {e.Start.Line}, column {e.Start.Column}: invalid YAML ({message.TrimEnd('.')})", "a YAML (or JSON) document"));
            }
            catch (InvalidOperationException)
            {
                // YamlDotNet's scanner throws this, without a position, on some unterminated flow collections ("[a").
                throw new WorkflowProblem(new Problem("invalid YAML (the reader stopped inside a flow collection or scalar that does not end)", "a YAML (or JSON) document"));
            }

            if (stream.Documents.Count != 1)
            {
                throw WorkflowProblem.At(null, $"{stream.Documents.Count} YAML documents in one file", "one workflow document per file");
            }

            var root = stream.Documents[0].RootNode as YamlMappingNode
                ?? throw WorkflowProblem.At(stream.Documents[0].RootNode, "no mapping at the top of the document", Accepted);
            try
            {
                ApplyMerges(root);
            }
            catch (ToeDocuments.DocumentProblem p)
            {
                throw new WorkflowProblem(p.Problem);
            }

            return root;
        }

        private static string? OptionalText(YamlMappingNode node, string key) => Child(node, key) switch
        {
            null => null,
            var value when IsNull(value) => null,
            YamlScalarNode scalar => scalar.Value,
            var other => throw WorkflowProblem.At(other, $"a {other.NodeType.ToString().ToLowerInvariant()} for {key}", $"text for {key}"),
        };

        /// <summary>"schemaVersion | The document schema version, currently 1.0. | String | Yes": 1.0, written unquoted as AWS's examples do, or quoted.</summary>
        private static void SchemaVersion(YamlMappingNode root)
        {
            var node = Child(root, "schemaVersion");
            var value = ScalarText(node);
            if (value != "1.0")
            {
                throw WorkflowProblem.At(node ?? root, node is null ? "no schemaVersion" : $"schemaVersion {Text.Quote(value ?? node.NodeType.ToString())}", "schemaVersion: 1.0 (the only version of workflow documents)");
            }
        }

        /// <summary>Parameters: name (required), type (string by default), default of that type, description.</summary>
        private void Parameters(YamlMappingNode root)
        {
            var node = Child(root, "parameters");
            if (IsNull(node))
            {
                return;
            }

            if (node is not YamlSequenceNode list)
            {
                throw WorkflowProblem.At(node, "parameters that are not a list", "a list of parameters, each with name and type (- name: topic\\n  type: string)");
            }

            if (list.Children.Count > MaxParameters)
            {
                throw WorkflowProblem.At(list, $"{list.Children.Count} parameters", $"at most {MaxParameters} parameters per workflow document (Image Builder's limit)");
            }

            foreach (var item in list.Children)
            {
                if (item is not YamlMappingNode parameter)
                {
                    throw WorkflowProblem.At(item, "a parameter that is not a mapping", "a parameter with name and type (- name: topic\\n  type: string)");
                }

                var name = ScalarText(Child(parameter, "name"));
                if (string.IsNullOrEmpty(name) || name.Length > PipelineWorkflows.MaxParameterNameLength)
                {
                    throw WorkflowProblem.At(parameter, name is null ? "a parameter with no name" : $"the parameter name {Text.Quote(name)}", $"a name of 1 to {PipelineWorkflows.MaxParameterNameLength} characters for every parameter");
                }

                if (_parameters.Any(p => p.Name == name))
                {
                    throw WorkflowProblem.At(parameter, $"the parameter {Text.Quote(name)} a second time", "each parameter name once in a document");
                }

                foreach (var (key, _, keyNode) in Entries(parameter))
                {
                    if (key is not ("name" or "type" or "default" or "description"))
                    {
                        _warnings.Add($"line {Line(keyNode)}: the parameter key \"{key}\" is not one AWS documents (name, type, default, description)");
                    }
                }

                // "If you don't include the data type in the parameter definition, the parameter type defaults to a string".
                var type = ScalarText(Child(parameter, "type")) ?? "string";
                if (!ParameterTypes.Contains(type))
                {
                    throw WorkflowProblem.At(Child(parameter, "type"), $"parameter {name} of type {Text.Quote(type)}", $"one of {Text.OneOf(ParameterTypes)} (types are case-sensitive)");
                }

                _parameters.Add(new WorkflowParameter(name, type, Default(Child(parameter, "default"), name, type)));
            }
        }

        /// <summary>A parameter's default: "Matches the parameter data type."</summary>
        private static List<string>? Default(YamlNode? node, string name, string type)
        {
            if (node is null || (IsNull(node) && type != "string"))
            {
                return null;
            }

            var wrong = WorkflowProblem.At(node, $"the default {Describe(node)} of parameter {name}", $"a default of the parameter's type, {type}");
            switch (type)
            {
                case "stringList":
                    return node is YamlSequenceNode items && items.Children.All(i => i is YamlScalarNode)
                        ? items.Children.Select(i => ScalarText(i) ?? "").ToList()
                        : throw wrong;
                case "boolean":
                    return Boolean(node) is { } b ? [b ? "true" : "false"] : throw wrong;
                case "integer":
                    return Integer(node) is { } n ? [Text.Number(n)] : throw wrong;
                default:
                    return node is YamlScalarNode ? [ScalarText(node) ?? ""] : throw wrong;
            }
        }

        private void Steps(YamlMappingNode root)
        {
            var node = Child(root, "steps");
            if (node is not YamlSequenceNode steps || steps.Children.Count == 0)
            {
                throw WorkflowProblem.At(node ?? root, node switch { null => "no steps", YamlSequenceNode => "an empty list of steps", _ => "steps that are not a list" }, $"a list of 1 to {MaxSteps} steps");
            }

            if (steps.Children.Count > MaxSteps)
            {
                throw WorkflowProblem.At(steps, $"{steps.Children.Count} steps", $"at most {MaxSteps} steps per workflow document (Image Builder's limit)");
            }

            foreach (var item in steps.Children.OfType<YamlMappingNode>())
            {
                if (ScalarText(Child(item, "name")) is { } stepName)
                {
                    _allStepNames.Add(stepName);
                }
            }

            foreach (var item in steps.Children)
            {
                Step(item);
            }

            var actions = _steps.Select(s => s.Action).ToHashSet(StringComparer.Ordinal);
            if (actions.Contains("DistributeContainerImage") && WorkflowActions.AmiDistributionActions.FirstOrDefault(actions.Contains) is { } ami)
            {
                throw WorkflowProblem.At(steps, $"DistributeContainerImage and {ami} in one workflow", "one kind of distribution per workflow: \"A single workflow distributes either AMIs or container images, not both\"");
            }
        }

        private void Step(YamlNode node)
        {
            if (node is not YamlMappingNode step)
            {
                throw WorkflowProblem.At(node, "a step that is not a mapping", "a step with name, action and inputs");
            }

            var name = ScalarText(Child(step, "name"));
            if (string.IsNullOrEmpty(name))
            {
                throw WorkflowProblem.At(step, "a step with no name", "a name for every step");
            }

            if (StepName.Check(name) is { } badName)
            {
                throw WorkflowProblem.At(Child(step, "name"), $"the step name {badName.Value}", badName.Accepted);
            }

            if (_steps.Any(s => s.Name == name))
            {
                throw WorkflowProblem.At(step, $"step \"{name}\" a second time", "each step name once in a document (\"This name must be unique within the workflow document\")");
            }

            foreach (var (key, _, keyNode) in Entries(step))
            {
                if (!StepFields.Contains(key))
                {
                    _warnings.Add($"line {Line(keyNode)}: the step key \"{key}\" in step \"{name}\" is not one AWS documents ({string.Join(", ", StepFields)})");
                }
            }

            var actionName = ScalarText(Child(step, "action"));
            if (string.IsNullOrEmpty(actionName))
            {
                throw WorkflowProblem.At(step, $"step \"{name}\" without an action", "an action for every step");
            }

            var action = WorkflowActions.Find(actionName);
            if (action is null)
            {
                var close = Text.Closest(actionName, WorkflowActions.All.Select(a => a.Name), 3);
                throw WorkflowProblem.At(Child(step, "action"), $"action \"{actionName}\" in step \"{name}\"{(close.Count == 0 ? "" : $" (did you mean {string.Join(" or ", close)}?)")}", $"a workflow step action: {string.Join(", ", WorkflowActions.All.Select(a => a.Name))}");
            }

            if (stage is { } s && !WorkflowActions.RunsIn(action, s))
            {
                throw WorkflowProblem.At(Child(step, "action"), $"action {action.Name} in step \"{name}\" of a {WorkflowStages.Name(s)} workflow", $"an action of the {WorkflowStages.Name(s)} stage: {action.Name} runs only in {string.Join(" and ", action.Stages.Select(WorkflowStages.Name))} workflows");
            }

            if (stage is { } noted && noted != WorkflowStage.Build && action.StageNote is { } note)
            {
                _warnings.Add($"line {Line(Child(step, "action")!)}: action {action.Name} in step \"{name}\" of a {WorkflowStages.Name(noted)} workflow: {note}");
            }

            if (Child(step, "description") is { } descriptionNode && (ScalarText(descriptionNode) is not { Length: > 0 and <= MaxDescriptionLength }))
            {
                throw WorkflowProblem.At(descriptionNode, $"a description of step \"{name}\" that is {(ScalarText(descriptionNode) is { } d ? $"{d.Length} characters long" : "empty or not text")}", $"text of 1 to {MaxDescriptionLength} characters");
            }

            if (Child(step, "onFailure") is { } onFailure && !(ScalarText(onFailure) is { } failure && OnFailureValues.Contains(failure)))
            {
                throw WorkflowProblem.At(onFailure, $"onFailure {Text.Quote(ScalarText(onFailure) ?? onFailure.NodeType.ToString())} in step \"{name}\"", Text.OneOf(OnFailureValues));
            }

            if (Child(step, "rollbackEnabled") is { } rollback && Boolean(rollback) is null)
            {
                // "You can use a static Boolean value or a dynamic JSONPath variable that resolves to a Boolean value."
                if (ScalarText(rollback) is { } path && path.StartsWith("$.", StringComparison.Ordinal))
                {
                    Reference(path, rollback, name, forStep: true);
                }
                else
                {
                    throw WorkflowProblem.At(rollback, $"rollbackEnabled {Text.Quote(ScalarText(rollback) ?? rollback.NodeType.ToString())} in step \"{name}\"", "true, false, or a JSONPath variable that resolves to one ($.parameters.name)");
                }
            }

            Timeout(Child(step, "timeoutSeconds"), action, name);
            if (Child(step, "if") is { } condition)
            {
                Condition(condition, name, 1);
            }

            Inputs(Child(step, "inputs"), step, action, name);
            _steps.Add(new WorkflowStep(name, action.Name));
        }

        /// <summary>
        /// timeoutSeconds: an integer of seconds, at least 1 and at most the action's maximum. The document page says
        /// "Between 1-86400 seconds (24 hrs maximum)"; the step actions page gives CreateImage a maximum of 3 days and
        /// WaitForAction of 7 days (604,800 seconds), and every other action 24 hours or less, each "A value above the
        /// maximum fails validation". The action's maximum is followed: the 24-hour figure would refuse the documented
        /// 7-day wait.
        /// </summary>
        private static void Timeout(YamlNode? node, WorkflowAction action, string step)
        {
            if (node is null)
            {
                return;
            }

            var seconds = Integer(node);
            if (seconds is null || seconds < 1 || seconds > action.MaxTimeoutSeconds)
            {
                throw WorkflowProblem.At(node, $"timeoutSeconds {(seconds is { } n ? Text.Number(n) : Text.Quote(ScalarText(node) ?? node.NodeType.ToString()))} in step \"{step}\"", $"a whole number of seconds from 1 to {Text.Number(action.MaxTimeoutSeconds)} (the maximum of {action.Name}; its default is {Text.Number(action.DefaultTimeoutSeconds)})");
            }
        }

        /// <summary>
        /// An <c>if</c> condition: one operator per mapping, a branching one (and, or: a list of conditions; not: a
        /// condition) or a comparison with its <c>value</c>.
        /// </summary>
        private void Condition(YamlNode node, string step, int depth)
        {
            var operators = BranchingOperators.Concat(ComparisonOperators).ToList();
            if (node is not YamlMappingNode condition)
            {
                throw WorkflowProblem.At(node, $"a condition of step \"{step}\" that is not a mapping", $"a condition with one operator: {string.Join(", ", operators)}");
            }

            var given = Entries(condition).Where(e => operators.Contains(e.Key)).ToList();
            if (given.Count != 1)
            {
                throw WorkflowProblem.At(condition, given.Count == 0 ? $"a condition of step \"{step}\" without an operator" : $"{given.Count} operators ({string.Join(", ", given.Select(g => g.Key))}) in one condition of step \"{step}\"", $"one operator per condition, combined with and, or, not: {string.Join(", ", operators)}");
            }

            var (op, operand, _) = given[0];
            if (BranchingOperators.Contains(op))
            {
                foreach (var (key, _, keyNode) in Entries(condition).Where(e => e.Key != op))
                {
                    _warnings.Add($"line {Line(keyNode)}: the key \"{key}\" beside {op} in a condition of step \"{step}\" is not one AWS documents");
                }

                if (op == "not")
                {
                    Condition(operand, step, depth + 1);
                    return;
                }

                if (operand is not YamlSequenceNode { Children.Count: > 0 } list)
                {
                    throw WorkflowProblem.At(operand, $"{op} without a list of conditions in step \"{step}\"", $"{op} followed by a list of conditions");
                }

                foreach (var inner in list.Children)
                {
                    Condition(inner, step, depth + 1);
                }

                return;
            }

            var value = Child(condition, "value");
            if (value is null)
            {
                throw WorkflowProblem.At(condition, $"{op} without a value in a condition of step \"{step}\"", $"{op} with the value it compares (value: \"$.parameters.name\")");
            }

            foreach (var (key, _, keyNode) in Entries(condition).Where(e => e.Key != op && e.Key != "value"))
            {
                _warnings.Add($"line {Line(keyNode)}: the key \"{key}\" in a condition of step \"{step}\" is not one AWS documents ({op}, value)");
            }

            foreach (var side in new[] { operand, value })
            {
                if (ScalarText(side) is { } path && path.StartsWith("$.", StringComparison.Ordinal))
                {
                    Reference(path, side, step, forStep: true);
                }
            }
        }

        private void Inputs(YamlNode? node, YamlMappingNode step, WorkflowAction action, string name)
        {
            if (node is null || IsNull(node))
            {
                // "inputs ... Required: Yes" on the document page, yet its own example and the AWS-managed workflows
                // write WaitForAction without inputs: a step whose action needs none may leave them out.
                if (action.Required.Count > 0)
                {
                    throw WorkflowProblem.At(step, $"step \"{name}\" ({action.Name}) without inputs", $"inputs with {string.Join(", ", action.Required)}");
                }

                return;
            }

            if (node is not YamlMappingNode inputs)
            {
                throw WorkflowProblem.At(node, $"inputs of step \"{name}\" that are not a mapping", "inputs as a mapping of input names to values");
            }

            var byName = new Dictionary<string, (YamlNode Value, bool Dynamic, YamlNode KeyNode)>(StringComparer.Ordinal);
            foreach (var (key, value, keyNode) in Entries(inputs))
            {
                var dynamic = key.EndsWith(".$", StringComparison.Ordinal);
                var input = dynamic ? key[..^2] : key;
                if (byName.ContainsKey(input))
                {
                    throw WorkflowProblem.At(keyNode, $"input {input} twice in step \"{name}\" (with and without .$)", "each input once: with .$ when its value is a dynamic variable, without it when it is a value");
                }

                byName[input] = (value, dynamic, keyNode);
                if (!action.Known.Contains(input))
                {
                    _warnings.Add($"line {Line(keyNode)}: input \"{input}\" of step \"{name}\" is not one AWS documents for {action.Name} ({string.Join(", ", action.Known)})");
                }

                Values(value, dynamic, name, keyNode);
            }

            foreach (var required in action.Required)
            {
                if (!byName.ContainsKey(required))
                {
                    throw WorkflowProblem.At(inputs, $"step \"{name}\" ({action.Name}) without the input {required}", $"the inputs {action.Name} requires: {string.Join(", ", action.Required)}");
                }
            }

            ActionInputs(action, byName, name);
        }

        /// <summary>
        /// The references in a value: a value whose key ends with .$ is a dynamic variable ("When an input parameter refers
        /// to a dynamic variable, the chaining indicator (.$) must be attached to the end of the parameter name"), and any
        /// text may interpolate variables in {{ }} ("Only JSONPath expressions wrapped in double curly braces are processed
        /// as variables"). A $.-value under a key without .$ is kept as text by Image Builder: a warning says so.
        /// </summary>
        private void Values(YamlNode value, bool dynamic, string step, YamlNode keyNode)
        {
            switch (value)
            {
                case YamlScalarNode scalar when ScalarText(scalar) is { } textValue:
                    if (dynamic && textValue.StartsWith('$'))
                    {
                        Reference(textValue, scalar, step, forStep: true);
                    }
                    else if (!dynamic && JsonPath().Match(textValue) is { Success: true } match && StructureNodes.Contains(match.Groups["node"].Value))
                    {
                        _warnings.Add($"line {Line(scalar)}: the value \"{textValue}\" in step \"{step}\" is under a key without .$, so Image Builder passes it as text; write the key as {(keyNode is YamlScalarNode { Value: { } k } ? k : "key")}.$ to use the variable");
                    }

                    foreach (Match interpolation in Interpolation().Matches(textValue))
                    {
                        var expression = interpolation.Groups[1].Value;
                        if (expression.StartsWith('$'))
                        {
                            Reference(expression, scalar, step, forStep: true);
                        }
                    }

                    break;
                case YamlMappingNode map:
                    foreach (var (key, inner, innerKey) in Entries(map))
                    {
                        Values(inner, key.EndsWith(".$", StringComparison.Ordinal), step, innerKey);
                    }

                    break;
                case YamlSequenceNode list:
                    foreach (var item in list.Children)
                    {
                        Values(item, dynamic, step, keyNode);
                    }

                    break;
            }
        }

        /// <summary>
        /// A dynamic variable, $.node.name...: a parameter the document declares (names are case-sensitive), a step
        /// that runs earlier ("Each step can refer to the output of any prior step actions"), or an output of an earlier
        /// workflow or a system variable, which the document cannot know. <paramref name="forStep"/> is false for the
        /// workflow's outputs, which may name any step.
        /// </summary>
        private void Reference(string expression, YamlNode node, string? step, bool forStep)
        {
            var where = step is null ? "an output" : $"step \"{step}\"";
            var match = JsonPath().Match(expression);
            if (!match.Success)
            {
                if (expression != "$")
                {
                    _warnings.Add($"line {Line(node)}: \"{expression}\" in {where} is not a dynamic variable of the form $.node.name ({string.Join(", ", StructureNodes)})");
                }

                return;
            }

            var structure = match.Groups["node"].Value;
            var name = match.Groups["name"].Success ? match.Groups["name"].Value : null;
            switch (structure)
            {
                case "parameters":
                    if (name is null || !_parameters.Any(p => p.Name == name))
                    {
                        var declared = _parameters.Select(p => p.Name).ToList();
                        var close = declared.FirstOrDefault(d => string.Equals(d, name, StringComparison.OrdinalIgnoreCase));
                        throw WorkflowProblem.At(node, $"\"{expression}\" in {where}, a parameter the document does not declare", declared.Count == 0
                            ? "a declared parameter: the document declares none (add it under parameters)"
                            : $"a declared parameter: {string.Join(", ", declared)}{(close is null ? "" : $" (parameter names are case-sensitive: {close})")}");
                    }

                    break;
                case "stepOutputs":
                    if (!_steps.Any(s => s.Name == name))
                    {
                        var later = forStep && name is not null && _allStepNames.Contains(name);
                        throw WorkflowProblem.At(node, $"\"{expression}\" in {where}, {(later ? "a step that runs later" : "a step the document does not have")}", _steps.Count == 0
                            ? "an output of a step that runs earlier: this is the first step"
                            : $"an output of a step that runs earlier: {string.Join(", ", _steps.Select(s => s.Name))}");
                    }

                    break;
                case "workflowOutputs" or "imagebuilder" or "imageBuilder":
                    break;
                default:
                    _warnings.Add($"line {Line(node)}: \"{expression}\" in {where} names the structure \"{structure}\", which is not one AWS documents ({string.Join(", ", StructureNodes)})");
                    break;
            }
        }

        /// <summary>What one action needs of its inputs beyond their names.</summary>
        private void ActionInputs(WorkflowAction action, Dictionary<string, (YamlNode Value, bool Dynamic, YamlNode KeyNode)> inputs, string step)
        {
            (YamlNode Value, bool Dynamic, YamlNode KeyNode)? Input(string name) => inputs.TryGetValue(name, out var input) ? input : null;

            switch (action.Name)
            {
                case "ApplyImageConfigurations" or "ModifyImageAttributes":
                    // "distributedImages.$ ... Required: Yes ... A JSONPath reference that starts with $.stepOutputs."
                    var distributed = Input("distributedImages")!.Value;
                    if (!distributed.Dynamic || ScalarText(distributed.Value) is not { } path || !path.StartsWith("$.stepOutputs.", StringComparison.Ordinal))
                    {
                        throw WorkflowProblem.At(distributed.Value, $"distributedImages{(distributed.Dynamic ? ".$" : "")} {Text.Quote(ScalarText(distributed.Value) ?? distributed.Value.NodeType.ToString())} in step \"{step}\"", "distributedImages.$: a JSONPath reference that starts with $.stepOutputs. (the distributedImages output of a DistributeImage step)");
                    }

                    if (action.Name == "ModifyImageAttributes")
                    {
                        Items(Input("attributes"), "attributes", step, ["region"]);
                    }
                    else
                    {
                        foreach (var item in Items(Input("configurations"), "configurations", step, ["region"]))
                        {
                            Configuration(item, step);
                        }
                    }

                    break;
                case "DistributeImage":
                    foreach (var item in Items(Input("distributions"), "distributions", step, ["region"]))
                    {
                        if (Child(item, "amiTags") is YamlMappingNode tags && tags.Children.Count > TagRules.Ec2.MaxTags)
                        {
                            throw WorkflowProblem.At(tags, $"{tags.Children.Count} amiTags in step \"{step}\"", $"at most {TagRules.Ec2.MaxTags} tags (\"Maximum of 50 tags\")");
                        }
                    }

                    break;
                case "LaunchInstance":
                    // "waitFor ... Image Builder supports ssmAgent."; "healthCheck ... Valid values: RUNNING | STATUS_CHECK_PASSED".
                    OneOf(Input("waitFor"), "waitFor", step, ["ssmAgent"]);
                    OneOf(Input("healthCheck"), "healthCheck", step, ["RUNNING", "STATUS_CHECK_PASSED"]);
                    break;
                case "TerminateInstance":
                    if (Input("waitForTermination") is { Dynamic: false } wait && Boolean(wait.Value) is null)
                    {
                        throw WorkflowProblem.At(wait.Value, $"waitForTermination {Text.Quote(ScalarText(wait.Value) ?? wait.Value.NodeType.ToString())} in step \"{step}\"", "true or false");
                    }

                    break;
                case "ExecuteStateMachine":
                    Resource(Input("stateMachineArn"), "stateMachineArn", WorkflowResourceKind.StateMachine, StateMachineArn, step);
                    Payload(Input("input"), "input", step);
                    break;
                case "WaitForAction":
                    Resource(Input("snsTopicArn"), "snsTopicArn", WorkflowResourceKind.SnsTopic, TopicArn, step);
                    Resource(Input("lambdaFunctionName"), "lambdaFunctionName", WorkflowResourceKind.LambdaFunction, FunctionName, step);
                    Payload(Input("payload"), "payload", step);
                    break;
            }
        }

        /// <summary>An ApplyImageConfigurations configuration: what each of its settings requires.</summary>
        private static void Configuration(YamlMappingNode configuration, string step)
        {
            (YamlNode Value, bool Dynamic, YamlNode KeyNode)? Setting(string name) => Field(configuration, name);

            Items(Setting("launchTemplateConfigurations"), "launchTemplateConfigurations", step, ["launchTemplateId"]);
            Items(Setting("fastLaunchConfigurations"), "fastLaunchConfigurations", step, ["enabled"]);
            foreach (var export in Items(Setting("s3ExportConfiguration"), "s3ExportConfiguration", step, ["roleName", "diskImageFormat", "s3Bucket"], single: true))
            {
                OneOf(Field(export, "diskImageFormat"), "diskImageFormat", step, ["VMDK", "RAW", "VHD"]);
            }

            foreach (var parameter in Items(Setting("ssmParameterConfigurations"), "ssmParameterConfigurations", step, ["parameterName"], single: true))
            {
                OneOf(Field(parameter, "dataType"), "dataType", step, ["text", "aws:ec2:image"]);
            }
        }

        private static (YamlNode Value, bool Dynamic, YamlNode KeyNode)? Field(YamlMappingNode map, string name) =>
            Entries(map).Where(e => e.Key == name || e.Key == name + ".$").Select(e => ((YamlNode Value, bool Dynamic, YamlNode KeyNode)?)(e.Value, e.Key.EndsWith(".$", StringComparison.Ordinal), e.KeyNode)).FirstOrDefault();

        /// <summary>
        /// The items of a list input, each a mapping with <paramref name="required"/> (a key with .$ counts); a dynamic
        /// value is not checked. <paramref name="single"/>: a mapping is taken as one item (the page types some of these
        /// settings as a map and writes them as a list).
        /// </summary>
        private static List<YamlMappingNode> Items((YamlNode Value, bool Dynamic, YamlNode KeyNode)? input, string name, string step, string[] required, bool single = false)
        {
            if (input is not { Dynamic: false } given || IsNull(given.Value))
            {
                return [];
            }

            var items = given.Value switch
            {
                YamlSequenceNode list => list.Children.ToList(),
                YamlMappingNode map when single => [map],
                var other => throw WorkflowProblem.At(other, $"{name} of step \"{step}\" that is not a list", $"{name} as a list, one item per {(required.Contains("region") ? "region" : "setting")}"),
            };

            var result = new List<YamlMappingNode>();
            foreach (var item in items)
            {
                if (item is not YamlMappingNode map)
                {
                    throw WorkflowProblem.At(item, $"an item of {name} in step \"{step}\" that is not a mapping", $"items with {string.Join(", ", required)}");
                }

                foreach (var key in required)
                {
                    if (Field(map, key) is null)
                    {
                        throw WorkflowProblem.At(map, $"an item of {name} in step \"{step}\" without {key}", $"{key} in every item of {name}");
                    }
                }

                result.Add(map);
            }

            return result;
        }

        private static void OneOf((YamlNode Value, bool Dynamic, YamlNode KeyNode)? input, string name, string step, string[] accepted)
        {
            if (input is { Dynamic: false } given && ScalarText(given.Value) is var value && (value is null || !accepted.Contains(value)))
            {
                throw WorkflowProblem.At(given.Value, $"{name} {Text.Quote(value ?? given.Value.NodeType.ToString())} in step \"{step}\"", Text.OneOf(accepted));
            }
        }

        /// <summary>"Must be valid JSON string, max 16 KiB" (ExecuteStateMachine input, WaitForAction payload): the size is checked; the text may interpolate variables, so it is JSON only once they are replaced.</summary>
        private static void Payload((YamlNode Value, bool Dynamic, YamlNode KeyNode)? input, string name, string step)
        {
            if (input is { } given && ScalarText(given.Value) is { } value && System.Text.Encoding.UTF8.GetByteCount(value) > WorkflowActions.MaxPayloadBytes)
            {
                throw WorkflowProblem.At(given.Value, $"a {name} of {System.Text.Encoding.UTF8.GetByteCount(value)} bytes in step \"{step}\"", $"at most {WorkflowActions.MaxPayloadBytes} bytes (16 KiB)");
            }
        }

        /// <summary>A resource a step uses as the execution role: checked when written in the document, recorded either way.</summary>
        private void Resource((YamlNode Value, bool Dynamic, YamlNode KeyNode)? input, string name, WorkflowResourceKind kind, Shape shape, string step)
        {
            if (input is not { } given || ScalarText(given.Value) is not { } value)
            {
                if (input is { } other)
                {
                    throw WorkflowProblem.At(other.Value, $"{name} in step \"{step}\" that is not text", shape.Accepted);
                }

                return;
            }

            var parameter = ParameterOf(value, given.Dynamic);
            if (parameter is not null)
            {
                _resources.Add(new WorkflowResourceUse(step, kind, WorkflowValueKind.Parameter, parameter));
            }
            else if (given.Dynamic || Interpolation().IsMatch(value))
            {
                _resources.Add(new WorkflowResourceUse(step, kind, WorkflowValueKind.RunTime, value));
            }
            else
            {
                if (shape.Check(value) is { } problem)
                {
                    throw WorkflowProblem.At(given.Value, $"{name} {problem.Value} in step \"{step}\"", problem.Accepted);
                }

                _resources.Add(new WorkflowResourceUse(step, kind, WorkflowValueKind.Literal, value));
            }
        }

        /// <summary>The parameter a value is exactly: $.parameters.name under a .$ key, or {{ $.parameters.name }} alone.</summary>
        private static string? ParameterOf(string value, bool dynamic)
        {
            var expression = dynamic ? value.Trim() : Interpolation().Match(value) is { Success: true } m && m.Value == value.Trim() ? m.Groups[1].Value : null;
            return expression is not null && ExactParameter().Match(expression) is { Success: true } p ? p.Groups[1].Value : null;
        }

        private List<string> Outputs(YamlMappingNode root)
        {
            var node = Child(root, "outputs");
            var names = new List<string>();
            if (IsNull(node))
            {
                return names;
            }

            if (node is not YamlSequenceNode list)
            {
                throw WorkflowProblem.At(node, "outputs that are not a list", "a list of outputs, each with name and value");
            }

            if (list.Children.Count > MaxOutputs)
            {
                throw WorkflowProblem.At(list, $"{list.Children.Count} outputs", $"at most {MaxOutputs} outputs per workflow document (Image Builder's limit)");
            }

            foreach (var item in list.Children)
            {
                var name = item is YamlMappingNode output ? ScalarText(Child(output, "name")) : null;
                var value = item is YamlMappingNode o ? ScalarText(Child(o, "value")) : null;
                if (string.IsNullOrEmpty(name) || value is null)
                {
                    throw WorkflowProblem.At(item, name is null ? "an output without a name" : $"output \"{name}\" without a value", "outputs with name and value");
                }

                if (names.Contains(name))
                {
                    throw WorkflowProblem.At(item, $"output \"{name}\" a second time", "each output name once (\"The name must be unique across the workflows that you include in your pipeline\")");
                }

                names.Add(name);
                if (value.StartsWith("$.", StringComparison.Ordinal))
                {
                    Reference(value, Child((YamlMappingNode)item, "value")!, null, forStep: false);
                }
            }

            return names;
        }

        private static string Describe(YamlNode node) => node switch
        {
            YamlScalarNode s => Text.Quote(ScalarText(s) ?? "null"),
            YamlSequenceNode => "(a list)",
            _ => "(a mapping)",
        };
    }

    [GeneratedRegex(@"^\$\.parameters\.([A-Za-z0-9_-]+)$")]
    private static partial Regex ExactParameter();
}
