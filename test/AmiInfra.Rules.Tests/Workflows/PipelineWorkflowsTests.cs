using AmiInfra.Rules.Workflows;

namespace AmiInfra.Rules.Tests.Workflows;

/// <summary>What a pipeline's list of workflows may hold, and the parameters it passes.</summary>
public sealed class PipelineWorkflowsTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> None = [];

    private static PipelineWorkflow Of(WorkflowStage stage, string? onFailure = null, string? group = null, WorkflowDocument? document = null, Dictionary<string, IReadOnlyList<string>>? parameters = null) =>
        new(stage, onFailure, group, parameters ?? None, document);

    private static WorkflowDocument Typed() => Flow.Accepted(Flow.Of(
        "- name: Wait\n  action: WaitForAction",
        "parameters:\n  - name: topic\n  - name: count\n    type: integer\n    default: 1\n  - name: enabled\n    type: boolean\n    default: true\n  - name: regions\n    type: stringList\n    default: [us-east-1]\n"), WorkflowStage.Test);

    [Fact]
    public void A_pipeline_takes_ten_workflows_and_not_eleven()
    {
        var ten = new[] { Of(WorkflowStage.Build), Of(WorkflowStage.Distribution) }.Concat(Enumerable.Repeat(Of(WorkflowStage.Test), 8)).ToList();

        Assert.Null(PipelineWorkflows.Check(ten));
        Assert.Equal("11 workflows", PipelineWorkflows.Check([.. ten, Of(WorkflowStage.Test)])!.Value);
    }

    [Theory]
    [InlineData(WorkflowStage.Build)]
    [InlineData(WorkflowStage.Distribution)]
    public void One_build_and_one_distribution_workflow_at_most(WorkflowStage stage)
    {
        var problem = PipelineWorkflows.Check([Of(stage), Of(WorkflowStage.Test), Of(stage)])!;

        Assert.Equal(2, problem.Index);
        Assert.Equal(0, problem.DuplicateOf);
        Assert.Equal("type", problem.Part);
    }

    [Theory]
    [InlineData(WorkflowStage.Build)]
    [InlineData(WorkflowStage.Distribution)]
    public void OnFailure_and_parallel_groups_are_for_test_workflows_only(WorkflowStage stage)
    {
        Assert.Equal("onFailure", PipelineWorkflows.Check([Of(stage, onFailure: "CONTINUE")])!.Part);
        Assert.Equal("parallelGroup", PipelineWorkflows.Check([Of(stage, group: "checks")])!.Part);
        Assert.Null(PipelineWorkflows.Check([Of(WorkflowStage.Test, onFailure: "CONTINUE", group: "checks")]));
    }

    [Theory]
    [InlineData("ABORT", true)]
    [InlineData("CONTINUE", true)]
    [InlineData("Continue", false)]
    public void OnFailure_is_written_as_the_API_writes_it(string onFailure, bool accepted) =>
        Assert.Equal(accepted, PipelineWorkflows.Check([Of(WorkflowStage.Test, onFailure: onFailure)]) is null);

    [Theory]
    [InlineData("a", true)]
    [InlineData("post-build_1+#", true)]
    [InlineData("-checks", false)]
    [InlineData("checks 1", false)]
    public void Parallel_groups_have_the_APIs_shape(string group, bool accepted) =>
        Assert.Equal(accepted, PipelineWorkflows.Check([Of(WorkflowStage.Test, group: group)]) is null);

    [Fact]
    public void A_parallel_group_takes_100_characters_and_not_101()
    {
        Assert.Null(PipelineWorkflows.Check([Of(WorkflowStage.Test, group: new string('g', 100))]));
        Assert.NotNull(PipelineWorkflows.Check([Of(WorkflowStage.Test, group: new string('g', 101))]));
    }

    [Fact]
    public void Output_names_are_unique_across_the_pipeline()
    {
        var build = Flow.Accepted(Flow.Of("- name: Wait\n  action: WaitForAction", "outputs:\n  - name: ImageId\n    value: x\n"));
        var test = Flow.Accepted(Flow.Of("- name: Wait\n  action: WaitForAction", "outputs:\n  - name: ImageId\n    value: y\n"), WorkflowStage.Test);

        var problem = PipelineWorkflows.Check([Of(WorkflowStage.Build, document: build), Of(WorkflowStage.Test, document: test)])!;

        Assert.Equal(1, problem.Index);
        Assert.Equal(0, problem.DuplicateOf);
        Assert.Contains("ImageId", problem.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_checked_for_one_stage_cannot_run_in_another()
    {
        var build = Flow.Accepted(Flow.Of("- name: Wait\n  action: WaitForAction"));

        Assert.Equal("type", PipelineWorkflows.Check([Of(WorkflowStage.Test, document: build)])!.Part);
    }

    [Theory]
    [InlineData("count", "12", true)]
    [InlineData("count", "-3", true)]
    [InlineData("count", "twelve", false)]
    [InlineData("enabled", "false", true)]
    [InlineData("enabled", "yes", false)]
    [InlineData("topic", "arn:aws:sns:us-east-1:111122223333:approvals", true)]
    public void Values_fit_the_parameters_type(string name, string value, bool accepted)
    {
        var parameters = new Dictionary<string, IReadOnlyList<string>> { ["topic"] = ["t"], [name] = [value] };

        var problem = PipelineWorkflows.Check([Of(WorkflowStage.Test, document: Typed(), parameters: parameters)]);

        Assert.Equal(accepted, problem is null);
        if (problem is not null)
        {
            Assert.Equal($"parameters.{name}", problem.Part);
        }
    }

    [Fact]
    public void Single_valued_types_take_one_value_and_lists_any_number()
    {
        var two = new Dictionary<string, IReadOnlyList<string>> { ["topic"] = ["a", "b"] };
        var many = new Dictionary<string, IReadOnlyList<string>> { ["topic"] = ["a"], ["regions"] = ["us-east-1", "eu-west-1", "ap-south-1"] };

        Assert.Equal("2 values", PipelineWorkflows.Check([Of(WorkflowStage.Test, document: Typed(), parameters: two)])!.Value);
        Assert.Null(PipelineWorkflows.Check([Of(WorkflowStage.Test, document: Typed(), parameters: many)]));
    }

    [Fact]
    public void A_value_takes_1024_characters_and_not_1025()
    {
        Dictionary<string, IReadOnlyList<string>> Passing(int length) => new() { ["topic"] = [new string('t', length)] };

        Assert.Null(PipelineWorkflows.Check([Of(WorkflowStage.Test, document: Typed(), parameters: Passing(1024))]));
        Assert.Equal("a value of 1025 characters", PipelineWorkflows.Check([Of(WorkflowStage.Test, document: Typed(), parameters: Passing(1025))])!.Value);
    }

    [Fact]
    public void Parameters_without_a_default_must_be_passed_and_unknown_ones_are_refused()
    {
        var missing = PipelineWorkflows.Check([Of(WorkflowStage.Test, document: Typed())])!;
        var unknown = PipelineWorkflows.Check([Of(WorkflowStage.Test, document: Typed(), parameters: new() { ["topic"] = ["t"], ["Count"] = ["1"] })])!;

        Assert.Null(missing.Value);
        Assert.Equal("parameters.topic", missing.Part);
        Assert.Equal("parameters.Count", unknown.Part);
        Assert.Contains("parameter names are case-sensitive: count", unknown.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_values_are_left_to_CloudFormation()
    {
        var parameters = new Dictionary<string, IReadOnlyList<string>> { ["topic"] = ["t"], ["count"] = ["${Token[TOKEN.12]}"] };

        Assert.Null(PipelineWorkflows.Check([Of(WorkflowStage.Test, document: Typed(), parameters: parameters)], v => v.StartsWith("${Token[", StringComparison.Ordinal)));
    }

    [Fact]
    public void Managed_workflows_take_their_catalog_type_and_unknown_ones_need_one()
    {
        Assert.Null(PipelineWorkflows.CheckManaged("build-image", null, out var stage, out var warning));
        Assert.Equal(WorkflowStage.Build, stage);
        Assert.Null(warning);

        Assert.Equal("type", PipelineWorkflows.CheckManaged("test-image", WorkflowStage.Build, out _, out _)!.Part);
        Assert.Equal("type", PipelineWorkflows.CheckManaged("build-imagee", null, out _, out warning)!.Part);
        Assert.Contains("did you mean build-image", warning, StringComparison.Ordinal);
        Assert.Null(PipelineWorkflows.CheckManaged("scan-image", WorkflowStage.Test, out stage, out warning));
        Assert.Equal(WorkflowStage.Test, stage);
        Assert.NotNull(warning);
        Assert.Null(PipelineWorkflows.CheckManaged("build-container", null, out _, out warning));
        Assert.Contains("container images", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arn:aws:imagebuilder:us-east-1:aws:workflow/build/build-image/x.x.x", true)]
    [InlineData("arn:aws-us-gov:imagebuilder:us-gov-west-1:123456789012:workflow/distribution/golden-approval/1.0.42/1", true)]
    [InlineData("arn:aws:imagebuilder:us-east-1:123456789012:workflow/deploy/golden/1.0.0", false)]
    [InlineData("arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/Golden/1.0.0", false)]
    public void Workflow_ARNs_have_the_pipelines_shape(string arn, bool accepted) =>
        Assert.Equal(accepted, PipelineWorkflows.WorkflowArn.IsMatch(arn));

    [Fact]
    public void Stage_names_are_the_types_CloudFormation_writes()
    {
        Assert.Equal(["BUILD", "TEST", "DISTRIBUTION"], Enum.GetValues<WorkflowStage>().Select(WorkflowStages.Name));
        Assert.Equal(WorkflowStage.Distribution, WorkflowStages.Parse("DISTRIBUTION"));
        Assert.Null(WorkflowStages.Parse("build"));
        Assert.Equal("test", WorkflowStages.ArnSegment(WorkflowStage.Test));
    }
}
