using AmiInfra.Rules.Awstoe;

namespace AmiInfra.Rules.Tests.Awstoe;

/// <summary>Every action module: accepted with its required inputs on its platforms, refused without each of them or elsewhere.</summary>
public sealed class ActionModulesTests
{
    public static TheoryData<string> Modules() => new(ActionModules.All.Keys.Where(k => k != "Assert").Order(StringComparer.Ordinal));

    public static TheoryData<string, string> RequiredInputs()
    {
        var data = new TheoryData<string, string>();
        foreach (var module in ActionModules.All.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            foreach (var input in module.Inputs.Where(i => i.Required))
            {
                data.Add(module.Name, input.Name);
            }
        }

        return data;
    }

    private static string Value(ModuleInput input) => input.Type switch
    {
        _ when input.Values is { } values => values[0],
        _ when input.Name == "path" => @"HKLM:\SOFTWARE\Platform",
        InputType.Boolean => "true",
        InputType.Integer => "1",
        InputType.TextList => "[a]",
        InputType.TextMap => "{A: b}",
        InputType.NameValueList => "[{name: a, value: b}]",
        _ => "x",
    };

    private static string Step(ActionModule module, string? without = null)
    {
        var inputs = module.Inputs.Where(i => (i.Required || module.OneOf?.FirstOrDefault() == i.Name) && i.Name != without).ToList();
        // An input AWSTOE does not document (only warned of) keeps the operation a mapping when nothing else is left.
        var body = inputs.Count == 0 ? "note: x" : string.Join("\n", inputs.Select(i => $"{i.Name}: {Value(i)}"));
        var block = module.Shape == InputShape.List
            ? "  inputs:\n" + string.Join("\n", body.Split('\n').Select((l, n) => (n == 0 ? "    - " : "      ") + l))
            : "  inputs:\n" + string.Join("\n", body.Split('\n').Select(l => "    " + l));
        return $"- name: Step\n  action: {module.Name}\n{block}";
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_module_with_its_required_inputs_is_accepted_on_its_platforms(string name)
    {
        var module = ActionModules.All[name];
        foreach (var platform in new[] { ToePlatforms.Linux, ToePlatforms.Windows })
        {
            var reading = ToeDocuments.Read(Toe.Build(Step(module)), platform);
            if ((module.Platforms & platform) != 0)
            {
                Assert.True(reading.Problem is null, $"{name} on {platform}: {reading.Problem?.Describe()}");
            }
            else
            {
                Assert.NotNull(reading.Problem);
                Assert.Equal($"line 5: action {name} in step \"Step\" of a {platform} component", reading.Problem.Value);
            }
        }
    }

    [Theory]
    [MemberData(nameof(RequiredInputs))]
    public void A_module_without_a_required_input_is_refused(string name, string input)
    {
        var module = ActionModules.All[name];
        var platform = module.Platforms.HasFlag(ToePlatforms.Linux) ? ToePlatforms.Linux : ToePlatforms.Windows;

        var problem = Toe.Refused(Toe.Build(Step(module, without: input)), platform);

        Assert.EndsWith($"of step \"Step\" ({name}) without {input}", problem.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecutePowerShell_needs_commands_or_file()
    {
        var problem = Toe.Refused(Toe.Build("- name: Step\n  action: ExecutePowerShell\n  inputs:\n    arguments: [x]"), ToePlatforms.Windows);

        Assert.Equal("line 8: inputs of step \"Step\" (ExecutePowerShell) with neither commands nor file", problem.Value);
    }

    [Theory]
    [InlineData("Reboot")]
    [InlineData("UpdateOS")]
    public void Only_modules_whose_inputs_are_all_optional_may_leave_inputs_out(string name)
    {
        Toe.Accepted(Toe.Build($"- name: Step\n  action: {name}"));
        Toe.Accepted(Toe.Build($"- name: Step\n  action: {name}\n  inputs:"));
    }

    [Fact]
    public void The_modules_are_the_thirty_aws_documents() => Assert.Equal(30, ActionModules.All.Count);
}
