using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.KMS;
using AmiInfra.Constructs.Build;
using Annotations = Amazon.CDK.Assertions.Annotations;

namespace AmiInfra.Constructs.Tests.Build;

/// <summary>Workflow documents the workflow tests share.</summary>
internal static class WorkflowDocuments
{
    public const string TopicArn = "arn:aws:sns:us-east-1:123456789012:golden-image-builder";
    public const string StateMachineArn = "arn:aws:states:us-east-1:123456789012:stateMachine:golden-checks";

    /// <summary>A test workflow with a parameter of each kind and an output.</summary>
    public const string Smoke = """
        name: golden-smoke
        description: Boots the image and runs the smoke test
        schemaVersion: 1.0
        parameters:
          - name: command
            type: string
          - name: retries
            type: integer
            default: 2
        steps:
          - name: LaunchTestInstance
            action: LaunchInstance
            inputs:
              waitFor: ssmAgent
          - name: Smoke
            action: RunCommand
            inputs:
              instanceId.$: $.stepOutputs.LaunchTestInstance.instanceId
              documentName: AWS-RunShellScript
              parameters:
                commands: ["{{ $.parameters.command }}"]
          - name: TerminateTestInstance
            action: TerminateInstance
            onFailure: Continue
            inputs:
              instanceId.$: $.stepOutputs.LaunchTestInstance.instanceId
        outputs:
          - name: SmokeStatus
            value: $.stepOutputs.Smoke.status
        """;

    /// <summary>A distribution workflow that waits for approval (topic written, function passed), runs a state machine and distributes.</summary>
    public const string Approval = $"""
        name: golden-approval
        description: Waits for a release approval, then distributes
        schemaVersion: 1.0
        parameters:
          - name: notify
            type: string
            default: golden-approvers
        steps:
          - name: Approve
            action: WaitForAction
            timeoutSeconds: 604800
            inputs:
              snsTopicArn: {TopicArn}
              lambdaFunctionName.$: $.parameters.notify
          - name: Check
            action: ExecuteStateMachine
            inputs:
              stateMachineArn: {StateMachineArn}
          - name: Distribute
            action: DistributeImage
        """;

    /// <summary>A BUILD workflow (given as an object in the fixture) that gates on a topic passed by parameter.</summary>
    public static readonly IReadOnlyDictionary<string, object?> GateObject = new Dictionary<string, object?>
    {
        ["schemaVersion"] = "1.0",
        ["parameters"] = new object[] { new Dictionary<string, object?> { ["name"] = "topic", ["type"] = "string" } },
        ["steps"] = new object[]
        {
            new Dictionary<string, object?> { ["name"] = "Launch", ["action"] = "LaunchInstance", ["inputs"] = new Dictionary<string, object?> { ["waitFor"] = "ssmAgent" } },
            new Dictionary<string, object?> { ["name"] = "Apply", ["action"] = "ExecuteComponents", ["inputs"] = new Dictionary<string, object?> { ["instanceId.$"] = "$.stepOutputs.Launch.instanceId" } },
            new Dictionary<string, object?> { ["name"] = "Gate", ["action"] = "WaitForAction", ["inputs"] = new Dictionary<string, object?> { ["snsTopicArn.$"] = "$.parameters.topic" } },
            new Dictionary<string, object?> { ["name"] = "Create", ["action"] = "CreateImage", ["inputs"] = new Dictionary<string, object?> { ["instanceId.$"] = "$.stepOutputs.Launch.instanceId" } },
        },
        ["outputs"] = new object[] { new Dictionary<string, object?> { ["name"] = "ImageId", ["value"] = "$.stepOutputs.Create.imageId" } },
    };

    /// <summary>A distribution workflow over 16,000 bytes (a long comment), staged as an asset.</summary>
    public static string Long => "schemaVersion: 1.0\nsteps:\n  - name: Distribute\n    action: DistributeImage\n" + string.Concat(Enumerable.Repeat("# " + new string('x', 98) + "\n", 170));
}

/// <summary>
/// Workflows and pipelines that run them, synthesized once: workflows of each type from text, a file, an object, S3
/// and a long document; a pipeline of managed and own workflows whose execution role the construct makes; one given a
/// role; one of managed workflows only; and the same role and pipeline rendered into a fragment.
/// </summary>
public sealed class WorkflowTemplateFixture
{
    public const string InfrastructureArn = "arn:aws:imagebuilder:us-east-1:123456789012:infrastructure-configuration/golden-build";
    public const string KeyArn = "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
    public const string GivenRoleArn = "arn:aws:iam::123456789012:role/golden-own-execution";

    public WorkflowTemplateFixture()
    {
        var stack = TestEnv.NewStack("Workflows");
        var key = Key.FromKeyArn(stack, "Key", KeyArn);
        var infrastructure = InfrastructureConfiguration.FromInfrastructureConfigurationArn(stack, "Infrastructure", InfrastructureArn);
        var recipe = ImageRecipe.FromImageRecipeArn(stack, "Recipe", "arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/golden-al2023/1.0.7");

        var file = Path.Combine(Directory.CreateTempSubdirectory("amiinfra-workflow-").FullName, "approval.yml");
        File.WriteAllText(file, WorkflowDocuments.Approval);
        Smoke = new Workflow(stack, "Smoke", new WorkflowProps
        {
            WorkflowName = "golden-smoke",
            Data = WorkflowData.FromInline(WorkflowDocuments.Smoke),
            WorkflowType = WorkflowType.Test,
            KmsKey = key,
            Tags = new Dictionary<string, string> { ["team"] = "platform" },
        });
        Approval = new Workflow(stack, "Approval", new WorkflowProps
        {
            WorkflowName = "golden-approval",
            Data = WorkflowData.FromFile(file),
            WorkflowType = WorkflowType.Distribution,
            Description = "Release approval",
            ChangeDescription = "Seven days to approve",
            MajorMinor = "2.1",
        });
        Gate = new Workflow(stack, "Gate", new WorkflowProps { Data = WorkflowData.FromJsonObject(WorkflowDocuments.GateObject), WorkflowType = WorkflowType.Build });
        var bucket = Amazon.CDK.AWS.S3.Bucket.FromBucketName(stack, "Documents", "golden-workflow-documents");
        InS3 = new Workflow(stack, "InS3", new WorkflowProps { WorkflowName = "golden-s3", Data = WorkflowData.FromS3(bucket, "workflows/test.yml"), WorkflowType = WorkflowType.Test });
        Long = new Workflow(stack, "Long", new WorkflowProps { WorkflowName = "golden-long", Data = WorkflowData.FromInline(WorkflowDocuments.Long), WorkflowType = WorkflowType.Distribution });

        _ = new ImagePipeline(stack, "Released", new ImagePipelineProps
        {
            ImagePipelineName = "golden-released",
            Recipe = recipe,
            InfrastructureConfiguration = infrastructure,
            Workflows =
            [
                new WorkflowConfiguration { Workflow = Workflow.FromManaged("build-image") },
                new WorkflowConfiguration { Workflow = Workflow.FromManaged("test-image"), ParallelGroup = "checks" },
                new WorkflowConfiguration
                {
                    Workflow = Smoke,
                    Parameters = new Dictionary<string, IReadOnlyList<string>> { ["retries"] = ["3"], ["command"] = ["/opt/smoke.sh"] },
                    OnFailure = WorkflowOnFailure.Continue,
                    ParallelGroup = "checks",
                },
                new WorkflowConfiguration { Workflow = Approval, Parameters = new Dictionary<string, IReadOnlyList<string>> { ["notify"] = ["golden-release-notices"] } },
            ],
        });
        _ = new ImagePipeline(stack, "OwnRole", new ImagePipelineProps
        {
            ImagePipelineName = "golden-own-role",
            Recipe = recipe,
            InfrastructureConfiguration = infrastructure,
            ExecutionRole = TestEnv.RoleArn(GivenRoleArn),
            Workflows = [new WorkflowConfiguration { Workflow = Gate, Parameters = new Dictionary<string, IReadOnlyList<string>> { ["topic"] = [WorkflowDocuments.TopicArn] } }],
        });
        _ = new ImagePipeline(stack, "ManagedOnly", new ImagePipelineProps
        {
            ImagePipelineName = "golden-managed-only",
            Recipe = recipe,
            InfrastructureConfiguration = infrastructure,
            Workflows =
            [
                new WorkflowConfiguration { Workflow = Workflow.FromManaged("express-build-image") },
                new WorkflowConfiguration { Workflow = Workflow.FromWorkflowArn(stack, "Imported", "arn:aws:imagebuilder:us-east-1:123456789012:workflow/test/golden-imported/1.2.3") },
            ],
        });

        // The same, rendered into a fragment: the role and the pipeline that refers to it.
        const string RoleId = "FragmentRole";
        var gate = Gate;
        Fragment = new CfnFragment(stack, "Fragment",
        [
            new(RoleId, WorkflowExecutionRole.Render(new WorkflowExecutionRoleProps
            {
                RoleName = "golden-al2023-workflows",
                Workflows = [new WorkflowConfiguration { Workflow = gate, Parameters = new Dictionary<string, IReadOnlyList<string>> { ["topic"] = [WorkflowDocuments.TopicArn] } }],
                TopicKeys = [key],
            }, "Workflows/Fragment/Role")),
            new("FragmentPipeline", ImagePipeline.Render(new ImagePipelineProps
            {
                ImagePipelineName = "golden-fragment",
                Recipe = recipe,
                InfrastructureConfiguration = infrastructure,
                ExecutionRole = WorkflowExecutionRole.InFragment(RoleId, "golden-al2023-workflows"),
                Workflows = [new WorkflowConfiguration { Workflow = gate, Parameters = new Dictionary<string, IReadOnlyList<string>> { ["topic"] = [WorkflowDocuments.TopicArn] } }],
            }, "Workflows/Fragment/Pipeline")),
        ]);

        Template = Template.FromStack(stack);
        Annotations = Annotations.FromStack(stack);
    }

    public Template Template { get; }

    public Annotations Annotations { get; }

    public Workflow Smoke { get; }

    public Workflow Approval { get; }

    public Workflow Gate { get; }

    public Workflow InS3 { get; }

    public Workflow Long { get; }

    public CfnFragment Fragment { get; }

    /// <summary>The logical id of the resource of <paramref name="type"/> whose id starts with <paramref name="prefix"/>.</summary>
    public string Id(string type, string prefix) => Assert.Single(Template.FindResources(type).Keys, k => k.StartsWith(prefix, StringComparison.Ordinal));
}

[Collection(CdkCollection.Name)]
public sealed class WorkflowTemplateTests(WorkflowTemplateFixture fixture) : IClassFixture<WorkflowTemplateFixture>
{
    private readonly Template _template = fixture.Template;

    private static IDictionary<string, object> Map(params (string Key, object Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    private static Dictionary<string, object> Ref(string id) => new() { ["Ref"] = id };

    private static Dictionary<string, object> Join(params object[] parts) => new() { ["Fn::Join"] = new object[] { "", parts } };

    private static readonly Dictionary<string, object> Partition = Ref("AWS::Partition");

    /// <summary>The inline policy statements of the role of the pipeline <paramref name="pipeline"/> (the construct's role).</summary>
    private IDictionary<string, object> RoleOf(string pipeline) =>
        (IDictionary<string, object>)_template.FindResources("AWS::IAM::Role")[fixture.Id("AWS::IAM::Role", $"{pipeline}ExecutionRole")];

    private static List<IDictionary<string, object>> Statements(IDictionary<string, object> role)
    {
        var properties = (IDictionary<string, object>)role["Properties"];
        if (!properties.TryGetValue("Policies", out var policies))
        {
            return [];
        }

        var document = (IDictionary<string, object>)((IDictionary<string, object>)((object[])policies)[0])["PolicyDocument"];
        return ((object[])document["Statement"]).Cast<IDictionary<string, object>>().ToList();
    }

    private static IDictionary<string, object> Sid(IEnumerable<IDictionary<string, object>> statements, string sid) =>
        Assert.Single(statements, s => (string)s["Sid"] == sid);

    // --- Workflow ---

    [Fact]
    public void A_workflow_has_its_name_type_document_key_and_tags_and_a_version_that_follows_its_content()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::Workflow", new Dictionary<string, object>
        {
            ["Name"] = "golden-smoke",
            ["Version"] = fixture.Smoke.WorkflowVersion,
            ["Type"] = "TEST",
            ["Description"] = "Boots the image and runs the smoke test",
            ["Data"] = WorkflowDocuments.Smoke,
            ["KmsKeyId"] = WorkflowTemplateFixture.KeyArn,
            ["ChangeDescription"] = Match.StringLikeRegexp("^Content fingerprint [0-9a-f]{12}$"),
            ["Tags"] = Map(("team", "platform")),
        });
        Assert.Matches(@"^1\.0\.[0-9]+$", fixture.Smoke.WorkflowVersion);
        Assert.Equal(WorkflowType.Test, fixture.Smoke.WorkflowType);
    }

    [Fact]
    public void A_workflow_from_a_file_takes_its_description_change_description_and_major_and_minor_nodes()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::Workflow", new Dictionary<string, object>
        {
            ["Name"] = "golden-approval",
            ["Type"] = "DISTRIBUTION",
            ["Description"] = "Release approval",
            ["ChangeDescription"] = "Seven days to approve",
            ["Data"] = WorkflowDocuments.Approval,
        });
        Assert.StartsWith("2.1.", fixture.Approval.WorkflowVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workflow_given_as_an_object_is_rendered_as_YAML_and_named_from_its_path()
    {
        var data = (string)((IDictionary<string, object>)((IDictionary<string, object>)_template.FindResources("AWS::ImageBuilder::Workflow")[fixture.Id("AWS::ImageBuilder::Workflow", "Gate")])["Properties"])["Data"];

        Assert.Contains("action: WaitForAction", data, StringComparison.Ordinal);
        Assert.Contains("snsTopicArn.$: $.parameters.topic", data, StringComparison.Ordinal);
        Assert.StartsWith("workflows-gate", fixture.Gate.WorkflowName, StringComparison.Ordinal);
        Assert.Equal(fixture.Gate.WorkflowName.ToLowerInvariant(), fixture.Gate.WorkflowName);
        Assert.Equal(["topic"], fixture.Gate.Document!.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void A_workflow_in_S3_goes_by_its_URI_and_its_version_follows_the_URI()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::Workflow", new Dictionary<string, object>
        {
            ["Name"] = "golden-s3",
            ["Uri"] = "s3://golden-workflow-documents/workflows/test.yml",
            ["ChangeDescription"] = "Document s3://golden-workflow-documents/workflows/test.yml",
            ["Data"] = Match.Absent(),
        });
        Assert.Null(fixture.InS3.Document);
    }

    [Fact]
    public void A_document_longer_than_16000_bytes_is_staged_as_an_asset_and_given_by_URI()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::Workflow", new Dictionary<string, object>
        {
            ["Name"] = "golden-long",
            ["Uri"] = Match.StringLikeRegexp("^s3://cdk-hnb659fds-assets-123456789012-us-east-1/[0-9a-f]{64}\\.yml$"),
            ["Data"] = Match.Absent(),
        });
    }

    // --- Pipelines ---

    [Fact]
    public void A_pipeline_lists_its_workflows_with_parameters_sorted_onFailure_as_CloudFormation_writes_it_and_groups()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::ImagePipeline", new Dictionary<string, object>
        {
            ["Name"] = "golden-released",
            ["Workflows"] = new object[]
            {
                Map(("WorkflowArn", Join("arn:", Partition, ":imagebuilder:", Ref("AWS::Region"), ":aws:workflow/build/build-image/x.x.x"))),
                Map(("WorkflowArn", Join("arn:", Partition, ":imagebuilder:", Ref("AWS::Region"), ":aws:workflow/test/test-image/x.x.x")), ("ParallelGroup", "checks")),
                Map(
                    ("WorkflowArn", Ref(fixture.Id("AWS::ImageBuilder::Workflow", "Smoke"))),
                    ("Parameters", new object[]
                    {
                        Map(("Name", "command"), ("Value", new object[] { "/opt/smoke.sh" })),
                        Map(("Name", "retries"), ("Value", new object[] { "3" })),
                    }),
                    ("OnFailure", "CONTINUE"),
                    ("ParallelGroup", "checks")),
                Map(
                    ("WorkflowArn", Ref(fixture.Id("AWS::ImageBuilder::Workflow", "Approval"))),
                    ("Parameters", new object[] { Map(("Name", "notify"), ("Value", new object[] { "golden-release-notices" })) })),
            },
            ["ExecutionRole"] = Map(("Fn::GetAtt", new object[] { fixture.Id("AWS::IAM::Role", "ReleasedExecutionRole"), "Arn" })),
        });
    }

    [Fact]
    public void A_pipeline_given_a_role_runs_its_workflows_with_it_and_makes_none()
    {
        _template.HasResourceProperties("AWS::ImageBuilder::ImagePipeline", new Dictionary<string, object>
        {
            ["Name"] = "golden-own-role",
            ["ExecutionRole"] = WorkflowTemplateFixture.GivenRoleArn,
        });
        Assert.DoesNotContain(_template.FindResources("AWS::IAM::Role").Keys, k => k.StartsWith("OwnRole", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pipeline_without_workflows_has_no_role_and_no_workflows()
    {
        var stack = TestEnv.NewStack("NoWorkflows");
        var pipeline = ImagePipeline.Render(new ImagePipelineProps
        {
            ImagePipelineName = "golden-plain",
            Recipe = ImageRecipe.FromFragment("Recipe", "golden-plain", "1.0.1"),
            InfrastructureConfiguration = InfrastructureConfiguration.FromInfrastructureConfigurationArn(stack, "Infrastructure", WorkflowTemplateFixture.InfrastructureArn),
        }, "plain");

        Assert.False(pipeline.Properties.ContainsKey("Workflows"));
        Assert.False(pipeline.Properties.ContainsKey("ExecutionRole"));
    }

    // --- The execution role, one permission at a time ---

    [Fact]
    public void The_role_trusts_only_image_builder_for_this_account_and_holds_the_execution_policy()
    {
        _template.HasResourceProperties("AWS::IAM::Role", new Dictionary<string, object>
        {
            ["Description"] = "Lets EC2 Image Builder run the workflows of the pipeline golden-released",
            ["AssumeRolePolicyDocument"] = Map(("Version", "2012-10-17"), ("Statement", new object[]
            {
                Map(
                    ("Effect", "Allow"),
                    ("Principal", Map(("Service", "imagebuilder.amazonaws.com"))),
                    ("Action", "sts:AssumeRole"),
                    ("Condition", Map(("StringEquals", Map(("aws:SourceAccount", Ref("AWS::AccountId"))))))),
            })),
            ["ManagedPolicyArns"] = new object[] { Join("arn:", Partition, ":iam::aws:policy/EC2ImageBuilderExecutionPolicy") },
        });
    }

    [Fact]
    public void The_role_may_publish_to_the_topic_a_WaitForAction_step_writes()
    {
        var publish = Sid(Statements(RoleOf("Released")), "PublishWaitForActionNotifications");

        Assert.Equal("sns:Publish", publish["Action"]);
        Assert.Equal(WorkflowDocuments.TopicArn, publish["Resource"]);
    }

    [Fact]
    public void The_role_may_invoke_the_function_a_parameter_names_with_the_value_the_pipeline_passes()
    {
        var invoke = Sid(Statements(RoleOf("Released")), "InvokeWaitForActionFunctions");

        Assert.Equal("lambda:InvokeFunction", invoke["Action"]);
        Assert.Equal(Join("arn:", Partition, ":lambda:", Ref("AWS::Region"), ":", Ref("AWS::AccountId"), ":function:golden-release-notices"), invoke["Resource"]);
    }

    [Fact]
    public void The_role_may_start_the_state_machine_and_follow_only_its_executions()
    {
        var statements = Statements(RoleOf("Released"));

        Assert.Equal("states:StartExecution", Sid(statements, "StartStateMachines")["Action"]);
        Assert.Equal(WorkflowDocuments.StateMachineArn, Sid(statements, "StartStateMachines")["Resource"]);
        Assert.Equal("states:DescribeExecution", Sid(statements, "FollowStateMachineExecutions")["Action"]);
        Assert.Equal("arn:aws:states:us-east-1:123456789012:execution:golden-checks:*", Sid(statements, "FollowStateMachineExecutions")["Resource"]);
    }

    [Fact]
    public void The_role_of_managed_workflows_holds_the_execution_policy_alone_and_warns_of_a_document_it_cannot_read()
    {
        Assert.Empty(Statements(RoleOf("ManagedOnly")));
        fixture.Annotations.HasWarning("/Workflows/ManagedOnly/ExecutionRole", Match.StringLikeRegexp("golden-imported is not known at synth"));
    }

    [Fact]
    public void The_role_acknowledges_the_managed_policy_and_each_wildcard_with_a_reason()
    {
        var metadata = (IDictionary<string, object>)RoleOf("Released")["Metadata"];
        var rules = ((object[])((IDictionary<string, object>)metadata["cdk_nag"])["rules_to_suppress"]).Cast<IDictionary<string, object>>().ToList();

        Assert.Contains(rules, r => (string)r["id"] == "AwsSolutions-IAM4" && ((object[])r["applies_to"]).Contains("Policy::arn:<AWS::Partition>:iam::aws:policy/EC2ImageBuilderExecutionPolicy"));
        Assert.Contains(rules, r => (string)r["id"] == "AwsSolutions-IAM5" && ((string)r["reason"]).Contains("state machines", StringComparison.Ordinal));
    }

    // --- Rendered into a fragment ---

    [Fact]
    public void A_rendered_role_is_named_may_use_the_topics_key_through_SNS_and_the_pipeline_refers_to_it()
    {
        _template.HasResourceProperties("AWS::IAM::Role", new Dictionary<string, object>
        {
            ["RoleName"] = "golden-al2023-workflows",
            ["Policies"] = new object[]
            {
                Map(("PolicyName", "WorkflowSteps"), ("PolicyDocument", Map(("Version", "2012-10-17"), ("Statement", new object[]
                {
                    Map(("Sid", "PublishWaitForActionNotifications"), ("Effect", "Allow"), ("Action", "sns:Publish"), ("Resource", WorkflowDocuments.TopicArn)),
                    Map(
                        ("Sid", "EncryptNotifications"),
                        ("Effect", "Allow"),
                        ("Action", new object[] { "kms:Decrypt", "kms:GenerateDataKey*" }),
                        ("Resource", WorkflowTemplateFixture.KeyArn),
                        ("Condition", Map(("StringEquals", Map(("kms:ViaService", Join("sns.", Ref("AWS::Region"), ".", Ref("AWS::URLSuffix")))))))),
                })))),
            },
        });
        _template.HasResourceProperties("AWS::ImageBuilder::ImagePipeline", new Dictionary<string, object>
        {
            ["Name"] = "golden-fragment",
            ["ExecutionRole"] = Map(("Fn::GetAtt", new object[] { "FragmentRole", "Arn" })),
            ["Workflows"] = new object[] { Map(("WorkflowArn", Match.AnyValue()), ("Parameters", new object[] { Map(("Name", "topic"), ("Value", new object[] { WorkflowDocuments.TopicArn })) })) },
        });
    }
}
