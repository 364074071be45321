using AmiInfra.Rules.Workflows;

namespace AmiInfra.Declaration.Tests;

/// <summary>images[].workflows: what is read, what is added, and what is refused with which field.</summary>
public sealed class WorkflowValidationTests : IDisposable
{
    private const string Approval = """
        name: approval
        schemaVersion: 1.0
        parameters:
          - name: topic
          - name: hours
            type: integer
            default: 72
          - name: regions
            type: stringList
            default: [us-east-1]
        steps:
          - name: Approve
            action: WaitForAction
            inputs:
              snsTopicArn.$: $.parameters.topic
          - name: Distribute
            action: DistributeImage
        """;

    private const string Smoke = """
        schemaVersion: 1.0
        steps:
          - name: Launch
            action: LaunchInstance
            inputs:
              waitFor: ssmAgent
          - name: Apply
            action: ExecuteComponents
            inputs:
              instanceId.$: $.stepOutputs.Launch.instanceId
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("amiinfra-workflows-").FullName;

    public WorkflowValidationTests()
    {
        Write("workflows/approval.yml", Approval);
        Write("workflows/smoke.yml", Smoke);
        Write("workflows/other/smoke.yml", Smoke + "# another document\n");
        Write("workflows/broken.yml", "schemaVersion: 1.0\nsteps:\n  - name: Apply\n    action: ExecuteComponents\n    inputs:\n      instanceId: i-0123456789abcdef0\n");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private void Write(string file, string text)
    {
        var path = Path.Combine(_folder, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static string Declaration(string workflows, string imageFields = "", string moreImages = "") => $$"""
        {
          "name": "golden",
          "account": "123456789012",
          "region": "us-east-1",
          "images": [
            {
              {{imageFields}}
              "name": "al2023",
              "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
              "components": [{ "managed": "update-linux" }],
              "workflows": {{workflows}}
            }{{moreImages}}
          ]
        }
        """;

    private Factory Parse(string json) => SchemaAgreement.Parse(json, _folder);

    private DeclarationException Reject(string json) => Assert.Throws<DeclarationException>(() => Parse(json));

    [Fact]
    public void Reads_a_document_and_adds_AWSs_build_and_test_workflows_after_it()
    {
        var image = Parse(Declaration("""[{ "file": "workflows/approval.yml", "type": "DISTRIBUTION", "parameters": { "topic": "arn:aws:sns:us-east-1:123456789012:approvals", "regions": ["us-east-1", "eu-west-1"] } }]""")).Images[0];

        Assert.Equal(3, image.Workflows.Count);
        var approval = image.Workflows[0];
        Assert.Equal(("workflows/approval.yml", "approval", WorkflowStage.Distribution, false), (approval.File, approval.Name, approval.Stage, approval.Added));
        Assert.Equal(["arn:aws:sns:us-east-1:123456789012:approvals"], approval.Parameters["topic"]);
        Assert.Equal(["us-east-1", "eu-west-1"], approval.Parameters["regions"]);
        Assert.Equal(["Approve", "Distribute"], approval.Document!.Steps.Select(s => s.Name));
        Assert.Equal(("build-image", WorkflowStage.Build, true), (image.Workflows[1].Managed, image.Workflows[1].Stage, image.Workflows[1].Added));
        Assert.Equal(("test-image", WorkflowStage.Test, true), (image.Workflows[2].Managed, image.Workflows[2].Stage, image.Workflows[2].Added));
    }

    [Fact]
    public void Adds_nothing_for_stages_declared_and_no_test_workflow_when_tests_are_disabled()
    {
        var declared = Parse(Declaration("""[{ "managed": "express-build-image" }, { "file": "workflows/smoke.yml", "type": "TEST", "onFailure": "CONTINUE", "parallelGroup": "checks" }]""")).Images[0];
        var untested = Parse(Declaration("""[{ "file": "workflows/approval.yml", "type": "DISTRIBUTION", "parameters": { "topic": "t" } }]""", """ "tests": { "enabled": false },""")).Images[0];

        Assert.Equal(["express-build-image", null], declared.Workflows.Select(w => w.Managed));
        Assert.Equal(("CONTINUE", "checks"), (declared.Workflows[1].OnFailure, declared.Workflows[1].ParallelGroup));
        Assert.Equal([WorkflowStage.Distribution, WorkflowStage.Build], untested.Workflows.Select(w => w.Stage));
    }

    [Fact]
    public void An_image_without_workflows_has_none()
    {
        var json = Declaration("[]").Replace("\"workflows\": []", "\"tags\": {}", StringComparison.Ordinal);

        Assert.Empty(Parse(json).Images[0].Workflows);
    }

    [Fact]
    public void A_managed_workflow_takes_its_catalogs_type_and_version()
    {
        var workflow = Parse(Declaration("""[{ "managed": "build-image", "version": "1.x.x", "type": "BUILD" }]""")).Images[0].Workflows[0];

        Assert.Equal(("build-image", "1.x.x", WorkflowStage.Build), (workflow.Managed, workflow.Version, workflow.Stage));
    }

    [Fact]
    public void An_unknown_managed_workflow_is_used_with_its_declared_type_and_a_warning()
    {
        var factory = Parse(Declaration("""[{ "managed": "scan-image", "type": "TEST" }]"""));

        Assert.Equal(WorkflowStage.Test, factory.Images[0].Workflows[0].Stage);
        Assert.Contains(factory.Warnings, w => w.StartsWith("images[0].workflows[0].managed: \"scan-image\" is not an AWS-managed workflow AmiInfra knows", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""[{ "file": "workflows/smoke.yml" }]""", "images[0].workflows[0].type", null, "the type of the workflow document: BUILD, TEST or DISTRIBUTION")]
    [InlineData("""[{ "file": "workflows/smoke.yml", "type": "deploy" }]""", "images[0].workflows[0].type", "\"deploy\"", "BUILD, TEST or DISTRIBUTION")]
    [InlineData("""[{ "managed": "build-image", "file": "workflows/smoke.yml", "type": "BUILD" }]""", "images[0].workflows[0]", "both managed and file", "exactly one of managed")]
    [InlineData("""[{ "file": "workflows/smoke.yml", "type": "BUILD", "version": "1.0.0" }]""", "images[0].workflows[0].version", "a version on a workflow document", "no version")]
    [InlineData("""[{ "managed": "build-image", "name": "mine" }]""", "images[0].workflows[0].name", "a name on a managed workflow", "no name")]
    [InlineData("""[{ "managed": "build-image", "onFailure": "CONTINUE" }]""", "images[0].workflows[0].onFailure", "\"CONTINUE\"", "no onFailure on a BUILD workflow")]
    [InlineData("""[{ "file": "workflows/smoke.yml", "type": "TEST", "onFailure": "Continue" }]""", "images[0].workflows[0].onFailure", "\"Continue\"", "CONTINUE or ABORT")]
    [InlineData("""[{ "file": "workflows/approval.yml", "type": "DISTRIBUTION", "parallelGroup": "release" }]""", "images[0].workflows[0].parallelGroup", "\"release\"", "no parallelGroup on a DISTRIBUTION workflow")]
    [InlineData("""[{ "managed": "test-image", "parallelGroup": "-checks" }]""", "images[0].workflows[0].parallelGroup", "\"-checks\"", "1 to 100 characters")]
    [InlineData("""[{ "managed": "build-image" }, { "managed": "express-build-image" }]""", "images[0].workflows[1].type", "a second BUILD workflow", "at most one BUILD workflow per pipeline (test workflows may be several) (images[0].workflows[0])")]
    [InlineData("""[{ "managed": "test-image", "type": "BUILD" }]""", "images[0].workflows[0].type", "BUILD", "TEST, the type of the AWS-managed test-image")]
    [InlineData("""[{ "managed": "scan-image" }]""", "images[0].workflows[0].type", null, "the type of scan-image")]
    public void Refuses_a_bad_workflow_by_its_field(string workflows, string path, string? value, string accepted)
    {
        var e = Reject(Declaration(workflows));

        Assert.Equal(path, e.Path);
        Assert.Equal(value, e.Value);
        Assert.StartsWith(accepted, e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_document_naming_its_file_and_line()
    {
        var e = Reject(Declaration("""[{ "file": "workflows/broken.yml", "type": "DISTRIBUTION" }]"""));

        Assert.Equal("images[0].workflows[0].file", e.Path);
        Assert.Equal("\"workflows/broken.yml\" (line 4: action ExecuteComponents in step \"Apply\" of a DISTRIBUTION workflow)", e.Value);
    }

    [Theory]
    [InlineData("""{ }""", "images[0].workflows[0].parameters.topic", null, "a value for topic")]
    [InlineData("""{ "topic": "t", "Hours": "1" }""", "images[0].workflows[0].parameters.Hours", "the parameter \"Hours\"", "a parameter the document declares: topic, hours, regions (parameter names are case-sensitive: hours)")]
    [InlineData("""{ "topic": "t", "hours": "three days" }""", "images[0].workflows[0].parameters.hours", "\"three days\"", "an integer")]
    [InlineData("""{ "topic": ["a", "b"] }""", "images[0].workflows[0].parameters.topic", "2 values", "exactly one value")]
    [InlineData("""{ "topic": 12 }""", "images[0].workflows[0].parameters.topic", "12", "text, or a list of texts")]
    public void Refuses_parameters_the_document_does_not_take(string parameters, string path, string? value, string accepted)
    {
        var e = Reject(Declaration($$"""[{ "file": "workflows/approval.yml", "type": "DISTRIBUTION", "parameters": {{parameters}} }]"""));

        Assert.Equal(path, e.Path);
        Assert.Equal(value, e.Value);
        Assert.StartsWith(accepted, e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_test_workflow_while_tests_are_disabled()
    {
        var e = Reject(Declaration("""[{ "managed": "build-image" }, { "managed": "test-image" }]""", """ "tests": { "enabled": false },"""));

        Assert.Equal("images[0].workflows[1]", e.Path);
        Assert.Equal("a TEST workflow while images[0].tests.enabled is false", e.Value);
    }

    [Fact]
    public void Counts_the_workflows_it_adds_against_the_limit_of_ten()
    {
        var tests = string.Join(", ", Enumerable.Range(0, 10).Select(i => $$"""{ "managed": "test-image", "parallelGroup": "g{{i}}" }"""));

        var e = Reject(Declaration($"[{tests}]"));

        Assert.Equal("images[0].workflows", e.Path);
        Assert.Equal("11 workflows", e.Value);
        Assert.Contains("counting build-image, which AmiInfra adds", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void One_document_is_one_workflow_of_one_type_and_name_and_two_documents_never_share_one()
    {
        const string Second = """, { "name": "ubuntu", "parent": { "amiId": "ami-0123456789abcdef0" }, "components": [{ "managed": "update-linux" }], "workflows": [WORKFLOW] }""";

        var typed = Reject(Declaration("""[{ "file": "workflows/smoke.yml", "type": "TEST" }]""", moreImages: Second.Replace("WORKFLOW", """{ "file": "workflows/smoke.yml", "type": "BUILD" }""", StringComparison.Ordinal)));
        var named = Reject(Declaration("""[{ "file": "workflows/smoke.yml", "type": "TEST" }]""", moreImages: Second.Replace("WORKFLOW", """{ "file": "workflows/smoke.yml", "type": "TEST", "name": "checks" }""", StringComparison.Ordinal)));
        var shared = Reject(Declaration("""[{ "file": "workflows/smoke.yml", "type": "TEST" }]""", moreImages: Second.Replace("WORKFLOW", """{ "file": "workflows/other/smoke.yml", "type": "TEST" }""", StringComparison.Ordinal)));
        var renamed = Parse(Declaration("""[{ "file": "workflows/smoke.yml", "type": "TEST" }]""", moreImages: Second.Replace("WORKFLOW", """{ "file": "workflows/other/smoke.yml", "type": "TEST", "name": "other-smoke" }""", StringComparison.Ordinal)));

        Assert.Equal("images[1].workflows[0].type", typed.Path);
        Assert.Contains("the type images[0].workflows[0] gives the same document", typed.Accepted, StringComparison.Ordinal);
        Assert.Equal("images[1].workflows[0].name", named.Path);
        Assert.Equal("images[1].workflows[0].file", shared.Path);
        Assert.Contains("would be named golden-smoke like \"workflows/smoke.yml\" (images[0].workflows[0])", shared.Value, StringComparison.Ordinal);
        Assert.Equal(["smoke", "other-smoke"], renamed.Images.Select(i => i.Workflows[0].Name));
    }

    [Fact]
    public void A_workflow_file_that_does_not_exist_is_named()
    {
        var e = Reject(Declaration("""[{ "file": "workflows/missing.yml", "type": "TEST" }]"""));

        Assert.Equal("images[0].workflows[0].file", e.Path);
        Assert.Equal("\"workflows/missing.yml\", which does not exist next to the declaration", e.Value);
    }

    [Fact]
    public void Refuses_a_step_whose_topic_is_known_only_at_run_time()
    {
        Write("workflows/late.yml", "schemaVersion: 1.0\nsteps:\n  - name: Approve\n    action: WaitForAction\n    inputs:\n      snsTopicArn.$: $.workflowOutputs.Topic\n");

        var e = Reject(Declaration("""[{ "file": "workflows/late.yml", "type": "TEST" }]"""));

        Assert.Equal("images[0].workflows[0].file", e.Path);
        Assert.Equal("\"workflows/late.yml\" (step \"Approve\" names its SNS topic only when it runs: $.workflowOutputs.Topic)", e.Value);
    }

    [Fact]
    public void Warns_of_what_a_distribution_workflow_leaves_out_of_the_distribution()
    {
        Write("workflows/copy-only.yml", "schemaVersion: 1.0\nsteps:\n  - name: Copy\n    action: DistributeImage\n");

        var warnings = Parse(Declaration("""[{ "file": "workflows/copy-only.yml", "type": "DISTRIBUTION" }]""", """ "distribution": { "launchPermissions": { "accounts": ["111122223333"] } },""")).Warnings;
        var quiet = Parse(Declaration("""[{ "file": "workflows/approval.yml", "type": "DISTRIBUTION", "parameters": { "topic": "t" } }]""")).Warnings;

        Assert.Contains("images[0].workflows[0].file (workflows/copy-only.yml): a DISTRIBUTION workflow without a ModifyImageAttributes step: the distribution's launch permissions are not applied", warnings);
        Assert.Contains("images[0].workflows[0].file (workflows/copy-only.yml): a DISTRIBUTION workflow without an ApplyImageConfigurations step: the SSM parameter /imagebuilder/golden/al2023/latest is not updated", warnings);
        Assert.DoesNotContain(warnings, w => w.Contains("DistributeImage step", StringComparison.Ordinal));
        Assert.DoesNotContain(quiet, w => w.Contains("ModifyImageAttributes", StringComparison.Ordinal));
    }

    [Fact]
    public void An_empty_list_is_refused_saying_how_to_have_none() =>
        Assert.Contains("leave workflows out", Reject(Declaration("[]")).Accepted, StringComparison.Ordinal);
}
