using System.Text.Json.Nodes;
using Amazon.CDK;
using AmiInfra.Constructs.Build;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Constructs.Lifecycle;
using Constructs;

namespace AmiInfra.Constructs.Tests;

/// <summary>
/// One app, synthesized once: an image's recipe, distribution, pipeline and lifecycle policy built
/// as constructs in one stack, and rendered into a fragment in another; and a stack of constructs at
/// awkward paths whose logical ids the CDK allocates.
/// </summary>
public sealed class CfnFragmentFixture
{
    public const string PipelineCron = "cron(0 4 ? * sun *)";

    /// <summary>Construct paths below their stack, for the logical-id comparison.</summary>
    public static readonly string[][] Paths =
    [
        ["al2023", "Recipe", "Resource"],
        ["img-0007", "Distribution", "Resource"],
        ["My-Bucket"],
        ["Resource"],
        ["Parent", "Parent", "Resource"],
        ["MyQueue", "Queue", "Resource"],
        ["Outer", "Default", "Inner"],
        ["x.y_z", "Lifecycle"],
        [new string('n', 250), "Recipe", "Resource"],
    ];

    public CfnFragmentFixture()
    {
        var outDir = Directory.CreateTempSubdirectory("amiinfra-fragment-").FullName;
        var app = new App(new AppProps
        {
            Outdir = outDir,
            Context = new Dictionary<string, object> { ["aws:cdk:enable-path-metadata"] = true },
        });

        var constructs = NewStack(app, "Constructs");
        var image = new Construct(constructs, "al2023");
        var recipe = new ImageRecipe(image, "Recipe", RecipeProps());
        var distribution = new DistributionConfiguration(image, "Distribution", DistributionProps());
        new ImagePipeline(image, "Pipeline", PipelineProps(recipe, distribution));
        new AmiLifecyclePolicy(image, "Lifecycle", LifecycleProps());

        var fragments = NewStack(app, "Fragments");
        var rendered = ImageRecipe.Render(RecipeProps(), "Fragments/al2023/Recipe", fragments);
        RecipeVersion = rendered.Version;
        Fragment = new CfnFragment(fragments, "Images",
        [
            new(RecipeId, rendered.Resource),
            new(DistributionId, DistributionConfiguration.Render(DistributionProps(), "Fragments/al2023/Distribution", TestEnv.Account)),
            new(CfnFragment.LogicalIdFor("al2023", "Pipeline", "Resource"), ImagePipeline.Render(PipelineProps(rendered.InFragment(RecipeId), DistributionConfiguration.FromFragment(DistributionId, "golden-al2023")), "Fragments/al2023/Pipeline")),
            new(CfnFragment.LogicalIdFor("al2023", "Lifecycle", "Resource"), AmiLifecyclePolicy.Render(LifecycleProps(), "Fragments/al2023/Lifecycle")),
        ]);
        RecipeVersionOfConstruct = recipe.ImageRecipeVersion;
        IncludedRecipeLogicalId = (string)fragments.Resolve(Fragment.Resource(RecipeId).LogicalId);

        var ids = NewStack(app, "Ids");
        foreach (var path in Paths)
        {
            Construct scope = ids;
            foreach (var id in path[..^1])
            {
                scope = new Construct(scope, id);
            }

            var leaf = new CfnResource(scope, path[^1], new CfnResourceProps { Type = "AWS::SNS::Topic" });
            AllocatedIds.Add(ids.GetLogicalId(leaf));
        }

        var assembly = app.Synth();
        Templates = assembly.Stacks.ToDictionary(s => s.StackName, s => JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, s.TemplateFile)))!["Resources"]!.AsObject());
        Warnings = assembly.GetStackByName("Fragments").Messages.Where(m => m.Level == Amazon.CDK.CXAPI.SynthesisMessageLevel.WARNING).Select(m => (m.Id, m.Entry.Data as string ?? "")).ToList();
    }

    public static string RecipeId { get; } = CfnFragment.LogicalIdFor("al2023", "Recipe", "Resource");

    public static string DistributionId { get; } = CfnFragment.LogicalIdFor("al2023", "Distribution", "Resource");

    public CfnFragment Fragment { get; }

    public string RecipeVersion { get; }

    public string RecipeVersionOfConstruct { get; }

    public string IncludedRecipeLogicalId { get; }

    /// <summary>The logical ids the CDK allocated for <see cref="Paths"/>, in order.</summary>
    public List<string> AllocatedIds { get; } = [];

    /// <summary>The resources of each stack's template.</summary>
    public Dictionary<string, JsonObject> Templates { get; }

    public List<(string Path, string Text)> Warnings { get; }

    private static Stack NewStack(App app, string id) =>
        new(app, id, new StackProps { Env = new Amazon.CDK.Environment { Account = TestEnv.Account, Region = TestEnv.Region } });

    private static ImageRecipeProps RecipeProps() => new()
    {
        ImageRecipeName = "golden-al2023",
        ParentImage = ParentImage.FromSsmParameterName("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
        Components = [new RecipeComponent(Component.FromManaged("update-linux")), new RecipeComponent(Component.FromNameAndVersion("golden-hardening", "1.0.7"), new Dictionary<string, string> { ["SshPort"] = "22" })],
        BlockDevices = [new BlockDevice { DeviceName = "/dev/xvda", SizeGiB = 20, KmsKey = TestEnv.KeyArn("arn:aws:kms:us-east-1:123456789012:alias/golden/build") }],
        Tags = new Dictionary<string, string> { ["team"] = "platform" },
    };

    private static DistributionConfigurationProps DistributionProps() => new()
    {
        DistributionConfigurationName = "golden-al2023",
        Origin = new AmiOrigin("golden", "al2023", "1.0.1"),
        Regions =
        [
            new RegionDistribution
            {
                Region = "us-east-1",
                KmsKey = TestEnv.AliasKey("us-east-1", "amiinfra/golden/ami"),
                AmiName = "golden-al2023-{{ imagebuilder:buildDate }}",
                LaunchAccounts = ["111122223333"],
                SsmParameter = TestEnv.Parameter("/imagebuilder/golden/al2023/latest"),
            },
            new RegionDistribution
            {
                Region = "eu-west-1",
                KmsKey = TestEnv.AliasKey("eu-west-1", "amiinfra/golden/ami"),
                AmiName = "golden-al2023-{{ imagebuilder:buildDate }}",
                LaunchAccounts = ["111122223333"],
            },
        ],
    };

    private static ImagePipelineProps PipelineProps(IImageRecipe recipe, IDistributionConfiguration distribution) => new()
    {
        ImagePipelineName = "golden-al2023",
        Recipe = recipe,
        DistributionConfiguration = distribution,
        InfrastructureConfiguration = InfrastructureConfiguration.FromInfrastructureConfigurationName(TestEnv.NewStack("Imports"), "Infrastructure", "golden-default"),
        Cron = PipelineCron,
        StartCondition = StartCondition.ExpressionMatchOnly,
    };

    private static AmiLifecyclePolicyProps LifecycleProps() => new()
    {
        LifecyclePolicyName = "golden-al2023",
        ExecutionRole = TestEnv.LifecycleRole,
        Recipes = [new RecipeSelection("golden-al2023")],
        Deprecate = AmiInfra.Constructs.Lifecycle.LifecycleRule.Age(90),
        Delete = AmiInfra.Constructs.Lifecycle.LifecycleRule.Age(365),
        KeepAtLeast = 2,
        DeleteSnapshots = false,
    };
}

[Collection(CdkCollection.Name)]
public sealed class CfnFragmentTests(CfnFragmentFixture fixture) : IClassFixture<CfnFragmentFixture>
{
    [Fact]
    public void Fragment_renders_every_resource_as_its_construct_does_with_the_same_logical_id()
    {
        var constructs = fixture.Templates["Constructs"];
        var fragments = fixture.Templates["Fragments"];
        var ids = fragments.Where(r => (string?)r.Value!["Type"] != "AWS::CDK::Metadata").Select(r => r.Key).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(4, ids.Count);
        Assert.Equal(constructs.Where(r => (string?)r.Value!["Type"] != "AWS::CDK::Metadata").Select(r => r.Key).Order(StringComparer.Ordinal), ids);
        foreach (var id in ids)
        {
            Assert.Equal(Canonical(constructs[id]!["Properties"]), Canonical(fragments[id]!["Properties"]));
            Assert.Equal((string?)constructs[id]!["Type"], (string?)fragments[id]!["Type"]);
        }

        Assert.Equal(fixture.RecipeVersionOfConstruct, fixture.RecipeVersion);
    }

    [Fact]
    public void References_become_intrinsic_functions_and_tokens_resolve()
    {
        var pipeline = fixture.Templates["Fragments"][CfnFragment.LogicalIdFor("al2023", "Pipeline", "Resource")]!["Properties"]!;
        Assert.Equal(CfnFragmentFixture.RecipeId, (string?)pipeline["ImageRecipeArn"]!["Ref"]);
        Assert.Equal($"[\"{CfnFragmentFixture.DistributionId}\",\"Arn\"]", pipeline["DistributionConfigurationArn"]!["Fn::GetAtt"]!.ToJsonString());

        // Component.FromManaged builds its ARN from the partition and region tokens.
        var arn = fixture.Templates["Fragments"][CfnFragmentFixture.RecipeId]!["Properties"]!["Components"]![0]!["ComponentArn"]!.ToJsonString();
        Assert.Contains("{\"Ref\":\"AWS::Partition\"}", arn, StringComparison.Ordinal);
        Assert.DoesNotContain("${Token[", arn, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_resource_names_its_construct_path_and_is_found_by_logical_id()
    {
        var recipe = fixture.Templates["Fragments"][CfnFragmentFixture.RecipeId]!;
        Assert.Equal($"Fragments/Images/Template/{CfnFragmentFixture.RecipeId}", (string?)recipe["Metadata"]!["aws:cdk:path"]);
        Assert.Equal(CfnFragmentFixture.RecipeId, fixture.IncludedRecipeLogicalId);
    }

    [Fact]
    public void Warnings_of_the_rendered_resources_are_reported_on_the_fragment()
    {
        var warnings = fixture.Warnings.Where(w => w.Path == "/Fragments/Images").Select(w => w.Text).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith("golden-al2023: DeleteSnapshots is false", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("golden-al2023: the delete step keeps the newest 2 AMI(s) of every recipe version", StringComparison.Ordinal));
    }

    [Fact]
    public void Logical_ids_are_those_the_cdk_allocates_for_the_same_paths()
    {
        Assert.Equal(fixture.AllocatedIds, CfnFragmentFixture.Paths.Select(p => CfnFragment.LogicalIdFor(p)));
    }

    public static TheoryData<string, string, string, string> Faults => new()
    {
        // case, where the message points, what it names, what it accepts
        { "empty", ".Resources", "an empty list", "at least one resource" },
        { "bad-id", ".Resources", "\"has-dash\"", "letters and digits" },
        { "duplicate", ".Resources", "\"Topic\" twice", "one resource per logical id" },
        { "unknown-reference", ".Resources[Subscription].Properties.TopicArn", "\"Missing\"", "same fragment" },
        { "unknown-depends-on", ".Resources[Subscription].DependsOn", "\"Missing\"", "other resources of the same fragment" },
        { "self-depends-on", ".Resources[Subscription].DependsOn", "\"Subscription\"", "other resources of the same fragment" },
        { "unknown-condition", ".Resources[Subscription].Condition", "\"InProduction\"", "a condition of the fragment" },
        { "object", ".Resources[Subscription].Properties.Endpoint", "System.Uri", "a string, number, boolean" },
        { "construct", ".Resources[Subscription].Properties.TopicArn", "a CDK object", "pass one of its attributes" },
        { "null-item", ".Resources[Subscription].Properties.Tags[0]", "null", "no null list items" },
        { "infinity", ".Resources[Subscription].Properties.DeliveryPolicy.Retries", "Infinity", "a finite number" },
        { "short-reason", ".Resources[Subscription].Acknowledgements[0].Reason", "\"because\"", "at least 10 characters" },
        { "dotnet-resolvable", ".Resources[Subscription].Properties.Endpoint", "an IResolvable implemented in .NET", "a CDK token made by the CDK" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Bad_fragment_is_rejected_at_the_fragment_path_with_what_is_accepted(string fault, string where, string value, string accepted)
    {
        var stack = TestEnv.NewStack("Faults");
        var topic = new CfnFragmentResource("Topic", new CfnDefinition("AWS::SNS::Topic", new Dictionary<string, object>()));
        CfnFragmentResource Referring(object reference, object? endpoint = null) =>
            new("Subscription", new CfnDefinition("AWS::SNS::Subscription", new Dictionary<string, object> { ["TopicArn"] = reference, ["Protocol"] = "email", ["Endpoint"] = endpoint ?? "ops@example.com" }));
        var subscription = Referring(CfnFragment.Ref("Topic"));
        List<CfnFragmentResource> resources = fault switch
        {
            "empty" => [],
            "bad-id" => [topic with { LogicalId = "has-dash" }],
            "duplicate" => [topic, topic],
            "unknown-reference" => [topic, Referring(CfnFragment.Ref("Missing"))],
            "unknown-depends-on" => [topic, subscription with { DependsOn = ["Missing"] }],
            "self-depends-on" => [topic, subscription with { DependsOn = ["Subscription"] }],
            "unknown-condition" => [topic, subscription with { Condition = "InProduction" }],
            "object" => [topic, Referring(CfnFragment.Ref("Topic"), new Uri("mailto:ops@example.com"))],
            "construct" => [topic, Referring(new Amazon.CDK.AWS.SNS.Topic(stack, "RealTopic"))],
            "null-item" => [topic, subscription with { Definition = subscription.Definition with { Properties = new Dictionary<string, object>(subscription.Definition.Properties) { ["Tags"] = new object?[] { null } } } }],
            "dotnet-resolvable" => [topic, Referring(CfnFragment.Ref("Topic"), new DotNetToken())],
            "infinity" => [topic, subscription with { Definition = subscription.Definition with { Properties = new Dictionary<string, object>(subscription.Definition.Properties) { ["DeliveryPolicy"] = new Dictionary<string, object> { ["Retries"] = double.PositiveInfinity } } } }],
            _ => [topic, subscription with { Definition = subscription.Definition.Acknowledging(new Acknowledgement("AwsSolutions-SNS3", "because")) }],
        };

        var e = Assert.Throws<ConstructValidationException>(() => new CfnFragment(stack, "Fragment", resources));
        Assert.Equal("Faults/Fragment" + where, e.Where);
        Assert.Contains(value, e.Value, StringComparison.Ordinal);
        Assert.Contains(accepted, e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_a_resource_the_fragment_does_not_hold_is_rejected()
    {
        var e = Assert.Throws<ConstructValidationException>(() => fixture.Fragment.Resource("Nothing"));
        Assert.Equal("\"Nothing\"", e.Value);
    }

    private sealed class DotNetToken : Amazon.JSII.Runtime.Deputy.DeputyBase, IResolvable
    {
        public string[] CreationStack => [];

        public ResolutionTypeHint? TypeHint => null;

        public object Resolve(IResolveContext context) => "ops@example.com";

        public override string ToString() => "ops@example.com";
    }

    /// <summary>JSON text with the keys of every object in order: equal for equal content whatever the key order.</summary>
    private static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };
}
