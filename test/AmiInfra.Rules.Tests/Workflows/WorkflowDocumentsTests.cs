using System.Globalization;
using AmiInfra.Rules.Workflows;

namespace AmiInfra.Rules.Tests.Workflows;

/// <summary>The edges of the workflow document rules: each limit at its value and one past it, and what a document tells the rest of AmiInfra.</summary>
public sealed class WorkflowDocumentsTests
{
    /// <summary>Inputs that satisfy each action, and a step before it for the actions that chain to a distribution.</summary>
    private static (string Before, string Inputs) Satisfying(WorkflowAction action) => action.Name switch
    {
        "ApplyImageConfigurations" or "ModifyImageAttributes" => ("- name: Copy\n  action: DistributeImage\n", "distributedImages.$: $.stepOutputs.Copy.distributedImages"),
        "ExecuteStateMachine" => ("", "stateMachineArn: arn:aws:states:us-east-1:111122223333:stateMachine:checks"),
        "LaunchInstance" => ("", "waitFor: ssmAgent"),
        "RunCommand" => ("", "instanceId: i-0123456789abcdef0\n    documentName: AWS-RunShellScript"),
        _ when action.Required.Contains("instanceId") => ("", "instanceId: i-0123456789abcdef0"),
        _ => ("", "{}"),
    };

    private static string WithTimeout(WorkflowAction action, long seconds)
    {
        var (before, inputs) = Satisfying(action);
        return Flow.Of($"{before}- name: Step\n  action: {action.Name}\n  timeoutSeconds: {seconds.ToString(CultureInfo.InvariantCulture)}\n  inputs:\n    {inputs}");
    }

    public static TheoryData<string> Actions() => new(WorkflowActions.All.Select(a => a.Name));

    [Theory]
    [MemberData(nameof(Actions))]
    public void Timeout_takes_the_actions_maximum_and_not_a_second_more(string name)
    {
        var action = WorkflowActions.Find(name)!;
        var stage = action.Stages[0];

        Flow.Accepted(WithTimeout(action, action.MaxTimeoutSeconds), stage);
        Flow.Accepted(WithTimeout(action, 1), stage);
        var over = Flow.Refused(WithTimeout(action, action.MaxTimeoutSeconds + 1), stage);

        Assert.Contains($"from 1 to {action.MaxTimeoutSeconds.ToString(CultureInfo.InvariantCulture)} (the maximum of {name}", over.Accepted, StringComparison.Ordinal);
        Assert.True(action.DefaultTimeoutSeconds <= action.MaxTimeoutSeconds);
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public void An_action_is_refused_in_exactly_the_stages_it_cannot_run_in(string name)
    {
        var action = WorkflowActions.Find(name)!;
        foreach (var stage in Enum.GetValues<WorkflowStage>())
        {
            var (before, inputs) = Satisfying(action);
            var text = Flow.Of($"{before}- name: Step\n  action: {name}\n  inputs:\n    {inputs}");
            if (before.Length > 0 && stage != WorkflowStage.Distribution)
            {
                continue; // the step before distributes: only a distribution workflow holds it
            }

            var reading = WorkflowDocuments.Read(text, stage);
            Assert.Equal(action.Stages.Contains(stage), reading.Problem is null);
        }
    }

    [Fact]
    public void The_stage_table_restricts_the_actions_AWS_names_and_no_others()
    {
        var restricted = WorkflowActions.All.Where(a => a.Stages.Count < 3).Select(a => a.Name).Order(StringComparer.Ordinal);

        Assert.Equal(["ApplyImageConfigurations", "CollectImageScanFindings", "DistributeContainerImage", "DistributeImage", "ExecuteComponents", "ModifyImageAttributes"], restricted);
    }

    [Theory]
    [InlineData("Abc", true)]
    [InlineData("Ab", false)]
    [InlineData("A_1", true)]
    [InlineData("_abc", false)]
    [InlineData("abc def", false)]
    public void Step_names_follow_both_the_user_guide_and_the_API(string name, bool accepted)
    {
        var reading = WorkflowDocuments.Read(Flow.Of($"- name: \"{name}\"\n  action: WaitForAction"), WorkflowStage.Build);

        Assert.Equal(accepted, reading.Problem is null);
    }

    [Fact]
    public void Step_names_take_100_characters_and_not_101()
    {
        Flow.Accepted(Flow.Of($"- name: S{new string('x', 99)}\n  action: WaitForAction"));
        Assert.StartsWith("line 3: the step name", Flow.Refused(Flow.Of($"- name: S{new string('x', 100)}\n  action: WaitForAction")).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_takes_15_steps()
    {
        var steps = string.Concat(Enumerable.Range(0, 15).Select(i => $"- name: Wait{i:00}\n  action: WaitForAction\n"));

        Assert.Equal(15, Flow.Accepted(Flow.Of(steps)).Steps.Count);
    }

    [Theory]
    [InlineData("parameters", 25)]
    [InlineData("outputs", 25)]
    public void Parameters_and_outputs_take_25_and_not_26(string section, int max)
    {
        string Section(int count) => section == "parameters"
            ? "parameters:\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"  - name: p{i}\n    default: x\n"))
            : "outputs:\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"  - name: o{i}\n    value: x\n"));

        Flow.Accepted(Flow.Of("- name: Wait\n  action: WaitForAction", Section(max)));
        var problem = Flow.Refused(Flow.Of("- name: Wait\n  action: WaitForAction", Section(max + 1)));

        Assert.EndsWith($": {max + 1} {section}", problem.Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payload", "WaitForAction")]
    [InlineData("input", "ExecuteStateMachine")]
    public void A_payload_takes_16_KiB_and_not_a_byte_more(string input, string action)
    {
        string Document(int bytes) => Flow.Of(
            $"- name: Step\n  action: {action}\n  inputs:\n    {(action == "ExecuteStateMachine" ? "stateMachineArn: arn:aws:states:us-east-1:111122223333:stateMachine:checks\n    " : "")}{input}: \"{new string('x', bytes)}\"");

        Flow.Accepted(Document(WorkflowActions.MaxPayloadBytes));
        Assert.Contains($"a {input} of {WorkflowActions.MaxPayloadBytes + 1} bytes", Flow.Refused(Document(WorkflowActions.MaxPayloadBytes + 1)).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_step_description_takes_1024_characters_and_not_1025()
    {
        string Document(int length) => Flow.Of($"- name: Wait\n  action: WaitForAction\n  description: {new string('d', length)}");

        Flow.Accepted(Document(1024));
        Assert.Contains("1025 characters long", Flow.Refused(Document(1025)).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_for_no_stage_accepts_actions_of_every_stage()
    {
        var document = Flow.Accepted(Flow.Of("- name: Copy\n  action: DistributeImage\n- name: Apply\n  action: ExecuteComponents\n  inputs:\n    instanceId: i-0123456789abcdef0"), null);

        Assert.Null(document.Stage);
        Assert.Equal(["DistributeImage", "ExecuteComponents"], document.Steps.Select(s => s.Action));
    }

    [Fact]
    public void Resources_say_how_the_document_names_topics_functions_and_state_machines()
    {
        var document = Flow.Accepted(Flow.Of(
            """
            - name: ByArn
              action: WaitForAction
              inputs:
                snsTopicArn: arn:aws:sns:us-east-1:111122223333:approvals
                lambdaFunctionName: notify
            - name: ByParameter
              action: WaitForAction
              inputs:
                snsTopicArn.$: $.parameters.topic
                lambdaFunctionName: "{{ $.parameters.function }}"
            - name: AtRunTime
              action: ExecuteStateMachine
              inputs:
                stateMachineArn.$: $.workflowOutputs.Machine
            """,
            "parameters:\n  - name: topic\n  - name: function\n    default: notify-later\n"));

        Assert.Equal(
            [
                new WorkflowResourceUse("ByArn", WorkflowResourceKind.SnsTopic, WorkflowValueKind.Literal, "arn:aws:sns:us-east-1:111122223333:approvals"),
                new WorkflowResourceUse("ByArn", WorkflowResourceKind.LambdaFunction, WorkflowValueKind.Literal, "notify"),
                new WorkflowResourceUse("ByParameter", WorkflowResourceKind.SnsTopic, WorkflowValueKind.Parameter, "topic"),
                new WorkflowResourceUse("ByParameter", WorkflowResourceKind.LambdaFunction, WorkflowValueKind.Parameter, "function"),
                new WorkflowResourceUse("AtRunTime", WorkflowResourceKind.StateMachine, WorkflowValueKind.RunTime, "$.workflowOutputs.Machine"),
            ],
            document.Resources);
        Assert.Equal(["notify-later"], document.ValueOf("function", new Dictionary<string, IReadOnlyList<string>>()));
        Assert.Null(document.ValueOf("topic", new Dictionary<string, IReadOnlyList<string>>()));
    }

    [Fact]
    public void Inputs_may_be_left_out_only_by_actions_that_require_none()
    {
        Flow.Accepted(Flow.Of("- name: Wait\n  action: WaitForAction"));
        Flow.Accepted(Flow.Of("- name: Copy\n  action: DistributeImage"), WorkflowStage.Distribution);
        Assert.Contains("without inputs", Flow.Refused(Flow.Of("- name: Kill\n  action: TerminateInstance")).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_given_with_and_without_chaining_is_refused()
    {
        var problem = Flow.Refused(Flow.Of("- name: Kill\n  action: TerminateInstance\n  inputs:\n    instanceId: i-0123456789abcdef0\n    instanceId.$: $.imagebuilder.imageId"));

        Assert.Contains("input instanceId twice", problem.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_may_name_any_step_of_the_document()
    {
        var document = Flow.Accepted(Flow.Of("- name: Create\n  action: CreateImage\n  inputs:\n    instanceId: i-0123456789abcdef0", "outputs:\n  - name: ImageId\n    value: $.stepOutputs.Create.imageId\n"));

        Assert.Equal(["ImageId"], document.Outputs);
    }

    [Fact]
    public void A_document_too_long_for_inline_data_says_so()
    {
        var small = Flow.Accepted(Flow.Of("- name: Wait\n  action: WaitForAction"));
        var large = Flow.Accepted(Flow.Of("- name: Wait\n  action: WaitForAction\n  description: x") + "# " + new string('é', 8000) + "\n");

        Assert.True(small.FitsInline);
        Assert.False(large.FitsInline); // 8,000 characters, 16,000 bytes of UTF-8 with the rest
    }
}
