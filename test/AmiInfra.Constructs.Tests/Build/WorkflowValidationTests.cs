using Amazon.CDK;
using AmiInfra.Constructs.Build;

namespace AmiInfra.Constructs.Tests.Build;

/// <summary>A stack that is never synthesized, with a fresh scope per case (a refused construct keeps its id).</summary>
public sealed class WorkflowValidationFixture
{
    private int _cases;

    public WorkflowValidationFixture()
    {
        Stack = TestEnv.NewStack("WorkflowValidation");
        Infrastructure = InfrastructureConfiguration.FromInfrastructureConfigurationArn(Stack, "Infrastructure", WorkflowTemplateFixture.InfrastructureArn);
        Smoke = Workflow.Render(new WorkflowProps { WorkflowName = "golden-smoke", Data = WorkflowData.FromInline(WorkflowDocuments.Smoke), WorkflowType = WorkflowType.Test }, "smoke", Stack).Reference();
        Approval = Workflow.Render(new WorkflowProps { WorkflowName = "golden-approval", Data = WorkflowData.FromInline(WorkflowDocuments.Approval), WorkflowType = WorkflowType.Distribution }, "approval", Stack).Reference();
    }

    public Stack Stack { get; }

    public IInfrastructureConfiguration Infrastructure { get; }

    public IWorkflow Smoke { get; }

    public IWorkflow Approval { get; }

    public global::Constructs.Construct NewScope() => new(Stack, $"Case{Interlocked.Increment(ref _cases)}");
}

[Collection(CdkCollection.Name)]
public sealed class WorkflowValidationTests(WorkflowValidationFixture fixture) : IClassFixture<WorkflowValidationFixture>
{
    private static readonly Dictionary<string, IReadOnlyList<string>> Command = new() { ["command"] = ["/opt/smoke.sh"] };

    private ImagePipelineProps Pipeline(params WorkflowConfiguration[] workflows) => new()
    {
        ImagePipelineName = "golden-al2023",
        Recipe = ImageRecipe.FromFragment("Recipe", "golden-al2023", "1.0.1"),
        InfrastructureConfiguration = fixture.Infrastructure,
        ExecutionRole = TestEnv.RoleArn(WorkflowTemplateFixture.GivenRoleArn),
        Workflows = workflows,
    };

    private static ConstructValidationException Refused(Action render) => Assert.Throws<ConstructValidationException>(render);

    private static RenderedWorkflow Render(string text, WorkflowType type = WorkflowType.Test, string? description = null, string? change = null, string name = "golden-smoke") =>
        Workflow.Render(new WorkflowProps { WorkflowName = name, Data = WorkflowData.FromInline(text), WorkflowType = type, Description = description, ChangeDescription = change }, "w", TestEnv.NewStack("Versions"));

    // --- Versions follow content ---

    [Fact]
    public void The_version_follows_the_document_the_type_the_descriptions_and_nothing_else()
    {
        var first = Render(WorkflowDocuments.Smoke);

        Assert.Equal(first.Version, Render(WorkflowDocuments.Smoke).Version);
        Assert.Equal(first.Version, Render(WorkflowDocuments.Smoke, name: "golden-smoke-2").Version);
        Assert.NotEqual(first.Version, Render(WorkflowDocuments.Smoke + "\n# changed\n").Version);
        Assert.NotEqual(first.Version, Render(WorkflowDocuments.Smoke, WorkflowType.Build).Version);
        Assert.NotEqual(first.Version, Render(WorkflowDocuments.Smoke, description: "other").Version);
        Assert.NotEqual(first.Version, Render(WorkflowDocuments.Smoke, change: "retuned").Version);
    }

    [Fact]
    public void The_document_is_checked_again_for_the_workflows_type()
    {
        var e = Refused(() => Render(WorkflowDocuments.Approval, WorkflowType.Build));

        Assert.Equal("inline workflow document", e.Where);
        Assert.Contains("action DistributeImage in step \"Distribute\" of a BUILD workflow", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_document_is_refused_when_the_data_is_made_naming_the_file_and_line()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("amiinfra-workflow-").FullName, "bad.yml");
        File.WriteAllText(file, "schemaVersion: 1.0\nsteps:\n  - name: Wait\n    action: WaitForActions\n");

        var e = Refused(() => WorkflowData.FromFile(file));

        Assert.Equal(file, e.Where);
        Assert.Contains("line 4: action \"WaitForActions\" in step \"Wait\" (did you mean WaitForAction?)", e.Message, StringComparison.Ordinal);
        Assert.Contains("a file that does not exist", Refused(() => WorkflowData.FromFile(file + ".missing")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_stages_no_asset_so_a_long_document_is_refused_there()
    {
        var e = Refused(() => Render(WorkflowDocuments.Long, WorkflowType.Distribution));

        Assert.Equal("w.Data", e.Where);
        Assert.Contains("use the Workflow construct, or a document in S3", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("golden smoke!")]
    [InlineData("ab")]
    public void A_bad_name_is_refused(string name) =>
        Assert.Equal("w.WorkflowName", Refused(() => Render(WorkflowDocuments.Smoke, name: name)).Where);

    [Fact]
    public void A_description_over_1024_characters_is_refused() =>
        Assert.Equal("w.ChangeDescription", Refused(() => Render(WorkflowDocuments.Smoke, change: new string('c', 1025))).Where);

    // --- Imports ---

    [Fact]
    public void An_ARN_import_reads_the_type_name_and_version_from_the_ARN()
    {
        var workflow = Workflow.FromWorkflowArn(fixture.NewScope(), "Imported", "arn:aws:imagebuilder:us-east-1:123456789012:workflow/distribution/golden-approval/1.0.42/1");

        Assert.Equal((WorkflowType.Distribution, "golden-approval", "1.0.42"), (workflow.WorkflowType, workflow.WorkflowName, workflow.WorkflowVersion));
    }

    [Fact]
    public void A_name_import_builds_the_ARN_of_this_account_and_region_at_the_newest_version()
    {
        var workflow = Workflow.FromWorkflowName(fixture.NewScope(), "Imported", WorkflowType.Test, "Golden-Smoke");

        Assert.Equal(Workflow.LatestVersion, workflow.WorkflowVersion);
        Assert.EndsWith(":imagebuilder:us-east-1:123456789012:workflow/test/golden-smoke/x.x.x", workflow.WorkflowArn, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ARN_import_must_be_known_at_synth_and_of_the_workflow_shape()
    {
        Assert.Contains("an unresolved token", Refused(() => Workflow.FromWorkflowArn(fixture.NewScope(), "Imported", Fn.ImportValue("WorkflowArn"))).Message, StringComparison.Ordinal);
        Assert.Contains("a workflow ARN such as", Refused(() => Workflow.FromWorkflowArn(fixture.NewScope(), "Imported", "arn:aws:imagebuilder:us-east-1:123456789012:component/golden/1.0.0")).Message, StringComparison.Ordinal);
        Assert.Contains("no name, type or version with an ARN", Refused(() => Workflow.FromWorkflowAttributes(fixture.NewScope(), "Imported", new WorkflowAttributes { WorkflowArn = "arn:aws:imagebuilder:us-east-1:123456789012:workflow/test/golden/1.0.0", WorkflowVersion = "1.0.0" })).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Managed_workflows_are_named_in_the_stacks_partition_and_region_with_their_catalog_type()
    {
        var build = Workflow.FromManaged("build-image");
        var test = Workflow.FromManaged("express-test-image", version: "1.x.x");

        Assert.Equal(WorkflowType.Build, build.WorkflowType);
        Assert.EndsWith(":aws:workflow/build/build-image/x.x.x", build.WorkflowArn, StringComparison.Ordinal);
        Assert.EndsWith(":aws:workflow/test/express-test-image/1.x.x", test.WorkflowArn, StringComparison.Ordinal);
        Assert.Contains("the type of scan-image", Refused(() => Workflow.FromManaged("scan-image")).Message, StringComparison.Ordinal);
        Assert.Equal(WorkflowType.Test, Workflow.FromManaged("scan-image", WorkflowType.Test).WorkflowType);
        Assert.Contains("the type of the AWS-managed test-image", Refused(() => Workflow.FromManaged("test-image", WorkflowType.Build)).Message, StringComparison.Ordinal);
    }

    // --- Pipelines ---

    [Fact]
    public void OnFailure_on_a_workflow_other_than_a_test_workflow_is_refused_at_its_prop()
    {
        var e = Refused(() => ImagePipeline.Render(Pipeline(new WorkflowConfiguration { Workflow = Workflow.FromManaged("build-image"), OnFailure = WorkflowOnFailure.Continue }), "p"));

        Assert.Equal("p.Workflows[0].OnFailure", e.Where);
        Assert.Contains("applies to test workflows only", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parallel_group_on_a_distribution_workflow_is_refused_at_its_prop() =>
        Assert.Equal("p.Workflows[1].ParallelGroup", Refused(() => ImagePipeline.Render(Pipeline(
            new WorkflowConfiguration { Workflow = Workflow.FromManaged("build-image") },
            new WorkflowConfiguration { Workflow = fixture.Approval, ParallelGroup = "release" }), "p")).Where);

    [Fact]
    public void A_second_build_workflow_is_refused_naming_the_first()
    {
        var e = Refused(() => ImagePipeline.Render(Pipeline(
            new WorkflowConfiguration { Workflow = Workflow.FromManaged("build-image") },
            new WorkflowConfiguration { Workflow = Workflow.FromManaged("express-build-image") }), "p"));

        Assert.Equal("p.Workflows[1].Workflow", e.Where);
        Assert.Contains("(p.Workflows[0])", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parameters_are_checked_against_the_document()
    {
        var unknown = Refused(() => ImagePipeline.Render(Pipeline(new WorkflowConfiguration { Workflow = fixture.Smoke, Parameters = new Dictionary<string, IReadOnlyList<string>> { ["command"] = ["x"], ["retry"] = ["1"] } }), "p"));
        var missing = Refused(() => ImagePipeline.Render(Pipeline(new WorkflowConfiguration { Workflow = fixture.Smoke }), "p"));
        var typed = Refused(() => ImagePipeline.Render(Pipeline(new WorkflowConfiguration { Workflow = fixture.Smoke, Parameters = new Dictionary<string, IReadOnlyList<string>> { ["command"] = ["x"], ["retries"] = ["two"] } }), "p"));

        Assert.Equal("p.Workflows[0].Parameters[\"retry\"]", unknown.Where);
        Assert.Equal("p.Workflows[0].Parameters[\"command\"]", missing.Where);
        Assert.Equal("p.Workflows[0].Parameters[\"retries\"]", typed.Where);
    }

    [Fact]
    public void Render_needs_a_role_for_workflows()
    {
        var e = Refused(() => ImagePipeline.Render(Pipeline(new WorkflowConfiguration { Workflow = fixture.Smoke, Parameters = Command }) with { ExecutionRole = null }, "p"));

        Assert.Equal("p.ExecutionRole", e.Where);
    }

    // --- The role the construct makes ---

    [Fact]
    public void A_resource_known_only_at_run_time_cannot_be_granted_and_says_what_would_do()
    {
        var runTime = Workflow.Render(new WorkflowProps
        {
            WorkflowName = "golden-late",
            Data = WorkflowData.FromInline("schemaVersion: 1.0\nsteps:\n  - name: Check\n    action: ExecuteStateMachine\n    inputs:\n      stateMachineArn.$: $.workflowOutputs.Machine\n"),
            WorkflowType = WorkflowType.Test,
        }, "late", fixture.Stack).Reference();

        var e = Refused(() => new ImagePipeline(fixture.NewScope(), "Pipeline", Pipeline(new WorkflowConfiguration { Workflow = runTime }) with { ExecutionRole = null }));

        Assert.EndsWith("/Pipeline/ExecutionRole.Workflows[0]", e.Where, StringComparison.Ordinal);
        Assert.Contains("state machine of step \"Check\" of golden-late, known only at run time ($.workflowOutputs.Machine)", e.Message, StringComparison.Ordinal);
        Assert.Contains("or an ExecutionRole of yours", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_known_by_alias_is_granted_by_its_alias_and_a_key_by_ARN_by_its_ARN()
    {
        var definition = WorkflowExecutionRole.Render(new WorkflowExecutionRoleProps
        {
            TopicKeys = [TestEnv.AliasKey("us-east-1", "golden/build"), TestEnv.KeyArn(WorkflowTemplateFixture.KeyArn)],
        }, "r");
        var statements = ((object[])((Dictionary<string, object>)((Dictionary<string, object>)((object[])definition.Properties["Policies"])[0])["PolicyDocument"])["Statement"]).Cast<Dictionary<string, object>>().ToList();

        var byKey = Assert.Single(statements, s => (string)s["Sid"] == "EncryptNotifications");
        var byAlias = Assert.Single(statements, s => (string)s["Sid"] == "EncryptNotificationsWithAliasedKeys");
        Assert.Equal(WorkflowTemplateFixture.KeyArn, byKey["Resource"]);
        Assert.EndsWith(":key/*", (string)byAlias["Resource"], StringComparison.Ordinal);
        var condition = (Dictionary<string, object>)byAlias["Condition"];
        Assert.Equal(["alias/golden/build"], (string[])((Dictionary<string, object>)condition["ForAnyValue:StringEquals"])["kms:ResourceAliases"]);
        Assert.True(((Dictionary<string, object>)condition["StringEquals"]).ContainsKey("kms:ViaService"));
        Assert.Contains(definition.Acknowledgements, a => a.AppliesTo!.Contains("/^Resource::arn:.*:kms:.*:key\\/\\*$/"));
    }

    [Fact]
    public void A_role_without_workflows_or_keys_has_no_inline_policy() =>
        Assert.False(WorkflowExecutionRole.Render(new WorkflowExecutionRoleProps(), "r").Properties.ContainsKey("Policies"));

    [Fact]
    public void A_bad_role_name_is_refused() =>
        Assert.Equal("r.RoleName", Refused(() => WorkflowExecutionRole.Render(new WorkflowExecutionRoleProps { RoleName = "golden workflows" }, "r")).Where);
}
