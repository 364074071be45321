using YamlDotNet.RepresentationModel;
using static AmiInfra.Rules.Awstoe.ToeDocuments;
using static AmiInfra.Rules.Awstoe.YamlValues;

namespace AmiInfra.Rules.Awstoe;

/// <summary>
/// Checks the phases and steps of one document in order, remembering each step so that later steps
/// can chain to it: a step's fields ("Steps" in the document framework page), its inputs (the
/// action module's), its loop and its condition, and every <c>{{ }}</c> reference in its inputs.
/// </summary>
internal sealed class StepChecker(ToePlatforms platform, IReadOnlyDictionary<string, string> variables, List<string> warnings)
{
    private readonly Dictionary<string, Dictionary<string, ActionModule>> _steps = new(StringComparer.Ordinal);

    public string Phase(YamlNode node, List<string> seen)
    {
        if (node is not YamlMappingNode phase)
        {
            throw DocumentProblem.At(node, "a phase that is not a mapping", "a phase with name and steps");
        }

        var name = ScalarText(Child(phase, "name"));
        if (string.IsNullOrEmpty(name))
        {
            throw DocumentProblem.At(phase, "a phase with no name", "a name for every phase, e.g. build, validate or test");
        }

        if (seen.Contains(name))
        {
            throw DocumentProblem.At(phase, $"phase \"{name}\" a second time", "each phase name once in a document");
        }

        if (!ImageBuilderPhases.Contains(name))
        {
            warnings.Add($"line {Line(phase)}: phase \"{name}\" never runs in Image Builder, which runs only {string.Join(", ", ImageBuilderPhases)}");
        }

        foreach (var (key, _, keyNode) in Entries(phase))
        {
            if (key is not ("name" or "steps"))
            {
                warnings.Add($"line {Line(keyNode)}: the phase key \"{key}\" is not one AWSTOE documents (name, steps)");
            }
        }

        var stepsNode = Child(phase, "steps");
        if (stepsNode is not YamlSequenceNode steps)
        {
            throw DocumentProblem.At(stepsNode ?? phase, $"phase \"{name}\" {(stepsNode is null ? "with no steps" : "with steps that are not a list")}", "a list of steps in every phase");
        }

        if (steps.Children.Count == 0)
        {
            warnings.Add($"line {Line(phase)}: phase \"{name}\" has no steps and does nothing");
        }

        _steps[name] = new Dictionary<string, ActionModule>(StringComparer.Ordinal);
        var loops = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in steps.Children)
        {
            Step(step, name, loops);
        }

        return name;
    }

    private void Step(YamlNode node, string phase, HashSet<string> loops)
    {
        if (node is not YamlMappingNode step)
        {
            throw DocumentProblem.At(node, "a step that is not a mapping", "a step with name, action and inputs");
        }

        var name = ScalarText(Child(step, "name"));
        if (string.IsNullOrEmpty(name))
        {
            throw DocumentProblem.At(step, "a step with no name", "a name for every step");
        }

        if (_steps[phase].ContainsKey(name))
        {
            throw DocumentProblem.At(step, $"step \"{name}\" a second time in phase {phase}", "step names unique within a phase");
        }

        var actionName = ScalarText(Child(step, "action"));
        if (actionName is null || !ActionModules.All.TryGetValue(actionName, out var module))
        {
            var close = actionName is null ? null : Text.Closest(actionName, ActionModules.All.Keys, 1).FirstOrDefault();
            throw DocumentProblem.At(
                step,
                actionName is null ? $"step \"{name}\" with no action" : $"action \"{actionName}\" in step \"{name}\"{(close is null ? "" : $" (did you mean {close}?)")}",
                "an AWSTOE action module: " + string.Join(", ", ActionModules.All.Keys.Order(StringComparer.Ordinal)));
        }

        if ((module.Platforms & platform) == 0)
        {
            throw DocumentProblem.At(step, $"action {module.Name} in step \"{name}\" of a {ActionModules.Describe(platform)} component", $"an action module that runs on {ActionModules.Describe(platform)}: {module.Name} runs on {ActionModules.Describe(module.Platforms)} only");
        }

        foreach (var (key, _, keyNode) in Entries(step))
        {
            if (!StepFields.Contains(key))
            {
                warnings.Add($"line {Line(keyNode)}: the step key \"{key}\" in step \"{name}\" is not one AWSTOE documents ({string.Join(", ", StepFields)})");
            }
        }

        StepSettings(step, name, module);
        var loop = Loops.Check(Child(step, "loop"), name, loops);
        Conditions.Check(Child(step, "if"), name, warnings);
        var inputs = Child(step, "inputs");
        Inputs.Check(inputs, module, name, platform, warnings);
        if (inputs is not null)
        {
            References.Check(inputs, new References.Scope(phase, name, module, loop, variables, _steps, warnings));
        }

        // forEach "accepts chained expressions as strings in the list" ("Use looping constructs in
        // AWSTOE", https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-looping-constructs.html),
        // and the variables page allows parameters "in step or loop inputs": they are resolved as in
        // inputs, before the loop runs, so without the loop's own variables.
        if (Child(step, "loop") is YamlMappingNode loopNode && Child(loopNode, "forEach") is { } forEach)
        {
            References.Check(forEach, new References.Scope(phase, name, module, Loop: null, variables, _steps, warnings));
        }

        _steps[phase][name] = module;
    }

    /// <summary>timeoutSeconds (-1, or at least 1), onFailure (Abort, Continue, Ignore), maxAttempts (at least 1), and the modules that fix them.</summary>
    private void StepSettings(YamlMappingNode step, string name, ActionModule module)
    {
        if (Child(step, "timeoutSeconds") is { } timeoutNode && !IsNull(timeoutNode))
        {
            var timeout = Integer(timeoutNode);
            if (timeout is null || timeout == 0 || timeout < -1)
            {
                throw DocumentProblem.At(timeoutNode, $"timeoutSeconds {Text.Quote(ScalarText(timeoutNode) ?? timeoutNode.NodeType.ToString())} in step \"{name}\"", "an unquoted whole number of seconds of at least 1, or -1 for no timeout (0 and other negative values are not allowed)");
            }

            if (module.Name == "ExecuteDocument" && timeout != -1)
            {
                throw DocumentProblem.At(timeoutNode, $"timeoutSeconds {timeout} on ExecuteDocument step \"{name}\"", "no timeoutSeconds, or -1: ExecuteDocument sets it and returns an error when it is changed");
            }

            if (module.Name == "Reboot")
            {
                warnings.Add($"line {Line(timeoutNode)}: step \"{name}\": the Reboot action module does not support a step timeout");
            }
        }

        if (Child(step, "onFailure") is { } failureNode && !IsNull(failureNode) && !OnFailureValues.Contains(ScalarText(failureNode)))
        {
            throw DocumentProblem.At(failureNode, $"onFailure {Text.Quote(ScalarText(failureNode) ?? failureNode.NodeType.ToString())} in step \"{name}\"", "Abort, Continue or Ignore");
        }

        // maxAttempts: "Maximum number of attempts allowed before failing the step", default 1
        // (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-use-documents.html). AWS
        // gives no range; the reading chosen is at least 1, since a step is attempted at least once
        // and 0 or a negative count of attempts has no meaning AWS describes.
        if (Child(step, "maxAttempts") is { } attemptsNode && !IsNull(attemptsNode))
        {
            var attempts = Integer(attemptsNode);
            if (attempts is null or < 1)
            {
                throw DocumentProblem.At(attemptsNode, $"maxAttempts {Text.Quote(ScalarText(attemptsNode) ?? attemptsNode.NodeType.ToString())} in step \"{name}\"", "an unquoted whole number of attempts of at least 1");
            }

            if (module.Name == "ExecuteDocument" && attempts != 1)
            {
                throw DocumentProblem.At(attemptsNode, $"maxAttempts {attempts} on ExecuteDocument step \"{name}\"", "no maxAttempts, or 1: ExecuteDocument sets it and returns an error when it is changed");
            }
        }
    }
}
