using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.JSII.Runtime.Deputy;
using AmiInfra.Constructs.Guardrails;

namespace AmiInfra.Constructs.Tests;

/// <summary>
/// A fragment with what is not plain JSON and every resource attribute CloudFormation takes, synthesized once: lazy
/// values (a map, a string and a number, produced in .NET), CDK tokens as objects (Token.AsAny, Fn.ConditionIf) and a
/// token string; DependsOn, a condition of the fragment, deletion and replace policies; an
/// acknowledged finding; and an override of an infrastructure configuration's property that the guardrails see.
/// </summary>
public sealed class CfnFragmentEdgeFixture
{
    public CfnFragmentEdgeFixture()
    {
        var app = new App();
        Stack = new Stack(app, "Edges", new StackProps { Env = new Amazon.CDK.Environment { Account = TestEnv.Account, Region = TestEnv.Region } });
        Fragment = new CfnFragment(Stack, "Fragment",
        [
            new("Topic", new CfnDefinition("AWS::SNS::Topic", new Dictionary<string, object>
            {
                ["TopicName"] = Fn.Join("-", ["edges", Aws.REGION]),
                ["DisplayName"] = Lazy.UncachedString(new StringProducer(() => "lazy display name")),
                ["DataProtectionPolicy"] = Token.AsAny(new Dictionary<string, object> { ["Name"] = "edges" }),
                ["SignatureVersion"] = Fn.ConditionIf("InUsEast1", "2", "1"),
            }))
            {
                DeletionPolicy = CfnDeletionPolicy.RETAIN,
                UpdateReplacePolicy = CfnDeletionPolicy.SNAPSHOT,
                Condition = "InUsEast1",
            },
            new("Queue", new CfnDefinition("AWS::SQS::Queue", new Dictionary<string, object>
            {
                ["DelaySeconds"] = Lazy.UncachedNumber(new NumberProducer(() => 5)),
                ["MessageRetentionPeriod"] = 345600,
                ["RedrivePolicy"] = Lazy.UncachedAny(new Producer(() => new Dictionary<string, object> { ["maxReceiveCount"] = 3, ["deadLetterTargetArn"] = "arn:aws:sqs:us-east-1:123456789012:edges-dlq" })),
            }).Acknowledging(new Acknowledgement("AwsSolutions-SQS3", "The queue is its own dead-letter queue in this test")))
            {
                DependsOn = ["Topic"],
            },
            new("Infrastructure", new CfnDefinition("AWS::ImageBuilder::InfrastructureConfiguration", new Dictionary<string, object>
            {
                ["Name"] = "edges-build",
                ["InstanceProfileName"] = "edges-build",
                ["TerminateInstanceOnFailure"] = true,
                ["InstanceMetadataOptions"] = new Dictionary<string, object> { ["HttpTokens"] = "required", ["HttpPutResponseHopLimit"] = 2 },
            })),
        ],
        new Dictionary<string, object> { ["InUsEast1"] = new Dictionary<string, object> { ["Fn::Equals"] = new object[] { new Dictionary<string, object> { ["Ref"] = "AWS::Region" }, "us-east-1" } } });
        Fragment.AddPropertyOverride("Infrastructure", "InstanceMetadataOptions.HttpTokens", "optional");

        AmiInfra.Constructs.Guardrails.Guardrails.Check(app);
        var assembly = app.Synth();
        Template = JsonNode.Parse(File.ReadAllText(Path.Combine(assembly.Directory, "Edges.template.json")))!;
        Errors = assembly.GetStackByName("Edges").Messages.Where(m => m.Level == Amazon.CDK.CXAPI.SynthesisMessageLevel.ERROR).Select(m => m.Entry.Data as string ?? "").ToList();
    }

    public Stack Stack { get; }

    public CfnFragment Fragment { get; }

    public JsonNode Template { get; }

    public List<string> Errors { get; }

    // Producers implemented in .NET, as the Uncached variants take them (they are handed the resolve context).
    private sealed class Producer(Func<object> produce) : DeputyBase, IAnyProducer
    {
        public object Produce(IResolveContext context) => produce();
    }

    private sealed class StringProducer(Func<string> produce) : DeputyBase, IStringProducer
    {
        public string? Produce(IResolveContext context) => produce();
    }

    private sealed class NumberProducer(Func<double> produce) : DeputyBase, INumberProducer
    {
        public double? Produce(IResolveContext context) => produce();
    }
}

[Collection(CdkCollection.Name)]
public sealed class CfnFragmentEdgeTests(CfnFragmentEdgeFixture fixture) : IClassFixture<CfnFragmentEdgeFixture>
{
    private JsonNode Resource(string id) => fixture.Template["Resources"]![id]!;

    [Fact]
    public void Lazy_values_and_tokens_resolve_at_synth()
    {
        var topic = Resource("Topic")["Properties"]!;
        Assert.Equal("lazy display name", (string?)topic["DisplayName"]);
        Assert.Equal("{\"Name\":\"edges\"}", topic["DataProtectionPolicy"]!.ToJsonString());
        Assert.Equal("{\"Fn::If\":[\"InUsEast1\",\"2\",\"1\"]}", topic["SignatureVersion"]!.ToJsonString());
        Assert.Equal("{\"Fn::Join\":[\"-\",[\"edges\",{\"Ref\":\"AWS::Region\"}]]}", topic["TopicName"]!.ToJsonString());
        Assert.Equal(5, (int)Resource("Queue")["Properties"]!["DelaySeconds"]!);
        Assert.Equal("{\"maxReceiveCount\":3,\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:edges-dlq\"}", Resource("Queue")["Properties"]!["RedrivePolicy"]!.ToJsonString());
    }

    [Fact]
    public void Resource_attributes_are_rendered()
    {
        Assert.Equal("Retain", (string?)Resource("Topic")["DeletionPolicy"]);
        Assert.Equal("Snapshot", (string?)Resource("Topic")["UpdateReplacePolicy"]);
        Assert.Equal("InUsEast1", (string?)Resource("Topic")["Condition"]);
        Assert.Equal("[\"Topic\"]", Resource("Queue")["DependsOn"]!.ToJsonString());
        Assert.NotNull(fixture.Template["Conditions"]!["InUsEast1"]!["Fn::Equals"]);
    }

    [Fact]
    public void Acknowledgements_of_a_definition_are_cdk_nag_metadata()
    {
        var rule = Resource("Queue")["Metadata"]!["cdk_nag"]!["rules_to_suppress"]![0]!;
        Assert.Equal("AwsSolutions-SQS3", (string?)rule["id"]);
        Assert.Equal("The queue is its own dead-letter queue in this test", (string?)rule["reason"]);
    }

    [Fact]
    public void An_override_through_the_fragment_reaches_the_template_and_the_guardrails()
    {
        Assert.Equal("optional", (string?)Resource("Infrastructure")["Properties"]!["InstanceMetadataOptions"]!["HttpTokens"]);
        Assert.Contains(fixture.Errors, e => e.StartsWith(GuardrailRuleIds.ImdsV2NotRequired, StringComparison.Ordinal));
    }

    [Fact]
    public void An_override_of_an_unknown_resource_or_through_a_list_is_rejected()
    {
        var unknown = Assert.Throws<ConstructValidationException>(() => fixture.Fragment.AddPropertyOverride("Nothing", "A", "b"));
        Assert.Equal("\"Nothing\"", unknown.Value);
    }

    [Fact]
    public void The_template_is_written_in_a_private_folder_that_is_removed_afterwards()
    {
        string? seen = null;
        UnixFileMode? mode = null;
        var result = PrivateFolder.Use(CfnFragment.FolderPrefix, folder =>
        {
            seen = folder;
            mode = OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(folder);
            return 42;
        });

        Assert.Equal(42, result);
        Assert.False(Directory.Exists(seen));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, mode);
        }
    }

    [Fact]
    public void The_folder_is_removed_when_the_include_fails()
    {
        var before = Folders();

        // The include itself refuses a Ref to nothing: the fragment checks its own references, not raw intrinsics.
        Assert.ThrowsAny<Exception>(() => new CfnFragment(TestEnv.NewStack("Failing"), "Fragment",
        [
            new("Topic", new CfnDefinition("AWS::SNS::Topic", new Dictionary<string, object> { ["TopicName"] = new Dictionary<string, object> { ["Ref"] = "Nowhere" } })),
        ]));

        Assert.Equal(before, Folders());
    }

    // This process's folders only: other test assemblies synthesize fragments at the same time.
    private static string[] Folders() =>
        Directory.GetDirectories(Path.GetTempPath(), CfnFragment.FolderPrefix + "*").Order(StringComparer.Ordinal).ToArray();
}
