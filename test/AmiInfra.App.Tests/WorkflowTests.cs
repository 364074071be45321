using System.Text.Json.Nodes;
using AmiInfra.Declaration;

namespace AmiInfra.App.Tests;

/// <summary>The good declaration with workflows (GoodDeclarations/workflows) and the approval example, synthesized once.</summary>
public sealed class WorkflowFixture
{
    public Synthesized Flows { get; } = Synthesized.From(FactoryLoader.Load(Repository.Path("test", "AmiInfra.App.Tests", "GoodDeclarations", "workflows", "factory.json")));

    public Synthesized Approval { get; } = Synthesized.From(FactoryLoader.Load(Repository.Path("examples", "approval", "factory.json")));
}

/// <summary>
/// images[].workflows end to end: one workflow per document in the factory stack, shared by the images that use it;
/// each image with workflows gets its own execution role in its own stack, allowed exactly what its documents' steps
/// use; the pipeline runs the declared workflows (and AWS's build and test ones where none is declared); the target
/// accounts' distribution role trusts the workflow roles, which Image Builder distributes as.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class WorkflowTests(WorkflowFixture fixture) : IClassFixture<WorkflowFixture>
{
    private static JsonObject Properties(JsonObject resource) => resource["Properties"]!.AsObject();

    private static (string Stack, string LogicalId, JsonObject Resource) Pipeline(Synthesized s, string name) =>
        s.Resources("AWS::ImageBuilder::ImagePipeline").Single(p => (string?)Properties(p.Resource)["Name"] == name);

    private static (string Stack, string LogicalId, JsonObject Resource)? Role(Synthesized s, string name) =>
        s.Resources("AWS::IAM::Role").Where(r => (string?)Properties(r.Resource)["RoleName"] == name).Select(r => ((string, string, JsonObject)?)r).SingleOrDefault();

    private static List<JsonObject> Statements(JsonObject role) =>
        Properties(role)["Policies"] is JsonArray policies ? policies[0]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()).ToList() : [];

    private static JsonObject Sid(IEnumerable<JsonObject> statements, string sid) => Assert.Single(statements, s => (string?)s["Sid"] == sid);

    private static string WorkflowArnText(JsonNode workflow) => workflow["WorkflowArn"]!.ToJsonString();

    [Fact]
    public void Each_document_is_one_workflow_of_the_factory_stack_named_after_its_file()
    {
        var workflows = fixture.Flows.Resources("AWS::ImageBuilder::Workflow").ToList();

        Assert.All(workflows, w => Assert.Equal("flows-factory", w.Stack));
        Assert.Equal(
            [("flows-release", "DISTRIBUTION"), ("flows-smoke", "TEST")],
            workflows.Select(w => ((string)Properties(w.Resource)["Name"]!, (string)Properties(w.Resource)["Type"]!)).Order());
        Assert.All(workflows, w => Assert.Matches(@"^1\.0\.[0-9]+$", (string)Properties(w.Resource)["Version"]!));
    }

    [Fact]
    public void A_pipeline_runs_the_declared_workflows_in_order_with_what_it_passes_them()
    {
        var workflows = Properties(Pipeline(fixture.Flows, "flows-al2023").Resource)["Workflows"]!.AsArray();

        Assert.Equal(4, workflows.Count);
        Assert.EndsWith(":aws:workflow/build/express-build-image/x.x.x\"]]}", WorkflowArnText(workflows[0]!), StringComparison.Ordinal);
        Assert.EndsWith(":aws:workflow/test/test-image/x.x.x\"]]}", WorkflowArnText(workflows[1]!), StringComparison.Ordinal);
        Assert.Equal("checks", (string?)workflows[1]!["ParallelGroup"]);
        Assert.Contains(":workflow/test/flows-smoke/1.0.", WorkflowArnText(workflows[2]!), StringComparison.Ordinal);
        Assert.Equal(("CONTINUE", "checks"), ((string?)workflows[2]!["OnFailure"], (string?)workflows[2]!["ParallelGroup"]));
        Assert.Equal("""[{"Name":"commands","Value":["systemctl is-system-running","test -f /etc/os-release"]}]""", workflows[2]!["Parameters"]!.ToJsonString());
        Assert.Contains(":workflow/distribution/flows-release/1.0.", WorkflowArnText(workflows[3]!), StringComparison.Ordinal);
        Assert.Null(workflows[3]!["OnFailure"]);
    }

    [Fact]
    public void An_image_that_declares_no_build_workflow_gets_AWSs_and_both_images_share_one_smoke_workflow()
    {
        var al2023 = Properties(Pipeline(fixture.Flows, "flows-al2023").Resource)["Workflows"]!.AsArray();
        var ubuntu = Properties(Pipeline(fixture.Flows, "flows-ubuntu2404").Resource)["Workflows"]!.AsArray();

        Assert.Equal(2, ubuntu.Count);
        Assert.Equal(WorkflowArnText(al2023[2]!), WorkflowArnText(ubuntu[0]!));
        Assert.Equal("""[{"Name":"commands","Value":["lsb_release -a"]}]""", ubuntu[0]!["Parameters"]!.ToJsonString());
        Assert.EndsWith(":aws:workflow/build/build-image/x.x.x\"]]}", WorkflowArnText(ubuntu[1]!), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_image_with_workflows_runs_them_as_a_role_of_its_own_in_its_own_stack()
    {
        foreach (var image in new[] { "al2023", "ubuntu2404" })
        {
            var pipeline = Pipeline(fixture.Flows, $"flows-{image}");
            var role = Role(fixture.Flows, $"flows-{image}-workflows")!.Value;

            Assert.Equal(pipeline.Stack, role.Stack);
            Assert.Equal($$"""{"Fn::GetAtt":["{{role.LogicalId}}","Arn"]}""", Properties(pipeline.Resource)["ExecutionRole"]!.ToJsonString());
            Assert.Equal("""[{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":iam::aws:policy/EC2ImageBuilderExecutionPolicy"]]}]""", Properties(role.Resource)["ManagedPolicyArns"]!.ToJsonString());
            Assert.Equal("""{"StringEquals":{"aws:SourceAccount":{"Ref":"AWS::AccountId"}}}""", Properties(role.Resource)["AssumeRolePolicyDocument"]!["Statement"]![0]!["Condition"]!.ToJsonString());
        }
    }

    [Fact]
    public void An_image_without_workflows_has_no_role_and_runs_image_builders_own_build_and_test()
    {
        var plain = Properties(Pipeline(fixture.Flows, "flows-plain").Resource);

        Assert.Null(plain["Workflows"]);
        Assert.Null(plain["ExecutionRole"]);
        Assert.Null(Role(fixture.Flows, "flows-plain-workflows"));
    }

    [Fact]
    public void The_role_may_publish_to_the_topic_and_invoke_the_function_the_parameters_name()
    {
        var statements = Statements(Role(fixture.Flows, "flows-al2023-workflows")!.Value.Resource);

        Assert.Equal("arn:aws:sns:us-east-1:123456789012:flows-image-builder", (string?)Sid(statements, "PublishWaitForActionNotifications")["Resource"]);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:flows-approvers", (string?)Sid(statements, "InvokeWaitForActionFunctions")["Resource"]);
        Assert.Equal("lambda:InvokeFunction", (string?)Sid(statements, "InvokeWaitForActionFunctions")["Action"]);
    }

    [Fact]
    public void The_role_may_encrypt_build_notifications_with_the_build_key_through_SNS_only()
    {
        foreach (var image in new[] { "al2023", "ubuntu2404" })
        {
            var key = Sid(Statements(Role(fixture.Flows, $"flows-{image}-workflows")!.Value.Resource), "EncryptNotificationsWithAliasedKeys");

            Assert.Equal("""["kms:Decrypt","kms:GenerateDataKey*"]""", key["Action"]!.ToJsonString());
            Assert.Equal("""["alias/flows/build"]""", key["Condition"]!["ForAnyValue:StringEquals"]!["kms:ResourceAliases"]!.ToJsonString());
            Assert.Contains("\"sns.\"", key["Condition"]!["StringEquals"]!["kms:ViaService"]!.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_role_holds_nothing_its_documents_do_not_use()
    {
        var statements = Statements(Role(fixture.Flows, "flows-ubuntu2404-workflows")!.Value.Resource);

        Assert.Equal(["EncryptNotificationsWithAliasedKeys"], statements.Select(s => (string)s["Sid"]!));
    }

    [Fact]
    public void The_target_accounts_distribution_role_trusts_the_workflow_roles_beside_image_builders()
    {
        var stackSet = fixture.Flows.Resources("AWS::CloudFormation::StackSet").Single().Resource;
        var template = JsonNode.Parse((string)Properties(stackSet)["TemplateBody"]!)!;
        var condition = template["Resources"]!["DistributionRole"]!["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Condition"]!;

        Assert.Equal(
            """{"ArnLike":{"aws:PrincipalArn":[{"Fn::Sub":"arn:${AWS::Partition}:iam::${FactoryAccountId}:role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder"},{"Fn::Sub":"arn:${AWS::Partition}:iam::${FactoryAccountId}:role/flows-*-workflows"}]}}""",
            condition.ToJsonString());
    }

    [Fact]
    public void The_approval_example_waits_on_its_topic_before_distributing_sharing_and_publishing()
    {
        var workflow = Properties(fixture.Approval.Resources("AWS::ImageBuilder::Workflow").Single().Resource);
        var pipeline = Properties(Pipeline(fixture.Approval, "approval-al2023").Resource);
        var role = Role(fixture.Approval, "approval-al2023-workflows")!.Value.Resource;

        Assert.Equal(("approval-release-approval", "DISTRIBUTION"), ((string)workflow["Name"]!, (string)workflow["Type"]!));
        Assert.Equal(3, pipeline["Workflows"]!.AsArray().Count);
        Assert.Equal("arn:aws:sns:us-east-1:123456789012:approval-image-builder", (string?)Sid(Statements(role), "PublishWaitForActionNotifications")["Resource"]);
        Assert.DoesNotContain(fixture.Approval.Factory.Warnings, w => w.Contains("DISTRIBUTION workflow without", StringComparison.Ordinal));
    }
}
