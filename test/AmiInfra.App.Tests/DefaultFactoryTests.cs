using System.Text.Json;
using System.Text.Json.Nodes;

namespace AmiInfra.App.Tests;

public sealed class DefaultFactoryFixture
{
    public Synthesized Synth { get; } = Synthesized.From(Declarations.Default());
}

/// <summary>The default factory, synthesized once: assertions on the composition, and snapshots.</summary>
[Collection(CdkCollection.Name)]
public sealed class DefaultFactoryTests(DefaultFactoryFixture fixture) : IClassFixture<DefaultFactoryFixture>
{
    /// <summary>Set this variable to 1 to rewrite the committed snapshots (review the diff before committing).</summary>
    public const string UpdateSnapshotsVariable = "AMIINFRA_UPDATE_SNAPSHOTS";

    private static readonly string SnapshotFolder = Repository.Path("test", "AmiInfra.App.Tests", "Snapshots");

    private Synthesized Synth => fixture.Synth;

    public static TheoryData<string> StackNames() => new(SnapshotNames());

    private static IEnumerable<string> SnapshotNames() =>
        Directory.GetFiles(SnapshotFolder, "*.template.json").Select(f => Path.GetFileName(f)[..^".template.json".Length]).Order(StringComparer.Ordinal);

    /// <summary>The default factory's events reach its build topic, and its images log to log groups of their own.</summary>
    [Fact]
    public void Tells_its_topic_of_the_events_a_team_acts_on_and_keeps_its_logs_90_days()
    {
        // Besides the retention marker's two rules (on a build and daily), four tell the build topic: three of Image
        // Builder's events and the release verification's failures.
        var rules = Synth.Resources("AWS::Events::Rule").Where(r => (string?)r.Resource["Properties"]!["Targets"]![0]!["Id"] == "BuildTopic").ToList();

        Assert.Equal(4, rules.Count);
        Assert.All(rules, r => Assert.Equal("golden-factory", r.Stack));
        Assert.Contains(rules, r => (string?)r.Resource["Properties"]!["Name"] == "golden-image-builder-release-failed");
        // And each distribution region's release verification has its trigger; the region that is not the home region
        // forwards its failures to the home region's default bus, where that rule hears of them.
        Assert.Equal(9, Synth.Resources("AWS::Events::Rule").Count());
        Assert.Equal(2, Synth.Resources("AWS::Events::Rule").Count(r => (string?)r.Resource["Properties"]!["Targets"]![0]!["Id"] == "Verify"));
        var forwarder = Assert.Single(Synth.Resources("AWS::Events::Rule"), r => (string?)r.Resource["Properties"]!["Targets"]![0]!["Id"] == "HomeRegion");
        Assert.Equal("golden-region-eu-west-1", forwarder.Stack);
        Assert.Equal("arn:aws:events:us-east-1:123456789012:event-bus/default", (string?)forwarder.Resource["Properties"]!["Targets"]![0]!["Arn"]);
        Assert.Equal(2, Synth.Resources("AWS::Logs::LogGroup").Count(l => ((string?)l.Resource["Properties"]!["LogGroupName"])?.StartsWith("/aws/imagebuilder/golden/", StringComparison.Ordinal) == true && (int)l.Resource["Properties"]!["RetentionInDays"]! == 90));
        Assert.All(Synth.Resources("AWS::ImageBuilder::ImagePipeline"), p => Assert.Equal(5, (int)p.Resource["Properties"]!["Schedule"]!["AutoDisablePolicy"]!["FailureCount"]!));
    }

    [Fact]
    public void Composes_regional_core_and_image_stacks_in_their_regions()
    {
        var environments = Synth.Manifest["artifacts"]!.AsObject()
            .Where(a => (string?)a.Value!["type"] == "aws:cloudformation:stack")
            .ToDictionary(a => a.Key, a => (string)a.Value!["environment"]!);

        Assert.Equal("aws://123456789012/us-east-1", environments["golden-factory"]);
        Assert.Equal("aws://123456789012/us-east-1", environments["golden-region-us-east-1"]);
        Assert.Equal("aws://123456789012/eu-west-1", environments["golden-region-eu-west-1"]);
        Assert.Equal(2, environments.Keys.Count(k => k.StartsWith("golden-images-", StringComparison.Ordinal)));
        Assert.DoesNotContain("golden-targets", environments.Keys);
    }

    [Fact]
    public void Every_stack_is_protected_described_and_tagged_with_the_factory()
    {
        foreach (var stack in Synth.Stacks.All)
        {
            Assert.True(stack.TerminationProtection, stack.StackName);
            Assert.StartsWith("AmiInfra factory golden", (string?)Synth.Templates[stack.StackName]["Description"]);
            Assert.Equal("golden", stack.Tags.TagValues()["amiinfra:factory"]);
            Assert.Equal("platform", stack.Tags.TagValues()["cost-center"]);
        }
    }

    [Fact]
    public void Stacks_reference_each_other_by_name_only_and_deploy_in_order()
    {
        var text = string.Join("\n", Synth.Templates.Values.Select(t => t.ToJsonString()));
        Assert.DoesNotContain("Fn::ImportValue", text);

        var dependencies = Synth.Manifest["artifacts"]!.AsObject()
            .Where(a => a.Value!["dependencies"] is not null)
            .ToDictionary(a => a.Key, a => a.Value!["dependencies"]!.AsArray().Select(d => (string)d!).ToList());
        Assert.Contains("golden-region-eu-west-1", dependencies["golden-factory"]);
        Assert.Contains("golden-region-us-east-1", dependencies["golden-factory"]);
        foreach (var image in Synth.Stacks.Images)
        {
            Assert.Contains("golden-factory", dependencies[image.StackName]);
        }
    }

    [Fact]
    public void Each_region_has_a_rotating_key_with_the_alias_the_distributions_use()
    {
        foreach (var region in new[] { "us-east-1", "eu-west-1" })
        {
            var template = Synth.Templates[$"golden-region-{region}"];
            var resources = template["Resources"]!.AsObject().Select(r => r.Value!).ToList();
            Assert.Contains(resources, r => (string?)r["Type"] == "AWS::KMS::Key" && (bool?)r["Properties"]!["EnableKeyRotation"] == true);
            Assert.Contains(resources, r => (string?)r["Type"] == "AWS::KMS::Alias" && (string?)r["Properties"]!["AliasName"] == "alias/amiinfra/golden/ami");
        }

        foreach (var (_, _, distribution) in Synth.Resources("AWS::ImageBuilder::DistributionConfiguration"))
        {
            var entries = distribution["Properties"]!["Distributions"]!.AsArray();
            Assert.Equal(["us-east-1", "eu-west-1"], entries.Select(d => (string)d!["Region"]!));
            foreach (var entry in entries)
            {
                Assert.Equal(
                    $"arn:aws:kms:{entry!["Region"]}:123456789012:alias/amiinfra/golden/ami",
                    (string?)entry["AmiDistributionConfiguration"]!["KmsKeyId"]);
                Assert.Null(entry["AmiDistributionConfiguration"]!["LaunchPermissionConfiguration"]);
            }
        }
    }

    [Fact]
    public void Each_image_has_an_encrypted_recipe_a_scheduled_pipeline_and_a_lifecycle_policy()
    {
        var recipes = Synth.Resources("AWS::ImageBuilder::ImageRecipe").ToList();
        Assert.Equal(["golden-al2023", "golden-ubuntu2404"], recipes.Select(r => (string)r.Resource["Properties"]!["Name"]!).Order());
        foreach (var (_, _, recipe) in recipes)
        {
            var ebs = recipe["Properties"]!["BlockDeviceMappings"]![0]!["Ebs"]!;
            Assert.True((bool)ebs["Encrypted"]!);
            Assert.Equal("arn:aws:kms:us-east-1:123456789012:alias/golden/build", (string?)ebs["KmsKeyId"]);
        }

        var pipelines = Synth.Resources("AWS::ImageBuilder::ImagePipeline").Select(p => p.Resource["Properties"]!).ToList();
        Assert.Equal(2, pipelines.Count);
        Assert.All(pipelines, p => Assert.Equal("EXPRESSION_MATCH_ONLY", (string?)p["Schedule"]!["PipelineExecutionStartCondition"]));
        Assert.All(pipelines, p => Assert.NotNull(p["DistributionConfigurationArn"]));

        var policies = Synth.Resources("AWS::ImageBuilder::LifecyclePolicy").ToList();
        Assert.Equal(2, policies.Count);
    }

    [Fact]
    public void Components_are_shared_by_the_images_that_use_them()
    {
        var components = Synth.Resources("AWS::ImageBuilder::Component").ToList();
        var component = Assert.Single(components);
        Assert.Equal("golden-factory", component.Stack);
        Assert.Equal("golden-linux-hardening", (string?)component.Resource["Properties"]!["Name"]);
    }

    [Fact]
    public void Default_factory_passes_every_guardrail_without_acknowledgement()
    {
        var findings = Synth.Manifest["artifacts"]!.AsObject()
            .SelectMany(a => a.Value!["metadata"]?.AsObject() ?? [])
            .SelectMany(m => m.Value!.AsArray())
            .Select(e => $"{e!["type"]}: {e["data"]}")
            .Where(e => e.Contains("AMI-0", StringComparison.Ordinal) || e.StartsWith("amiinfra:guardrails", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(findings);
    }

    [Fact]
    public void Guardrails_guard_the_composed_factory_and_fail_the_run()
    {
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps { Outdir = Directory.CreateTempSubdirectory("amiinfra-guard-").FullName });
        var factory = Declarations.Default();
        var stacks = AmiInfra.App.Stacks.FactoryComposition.Compose(app, factory);
        ((Amazon.CDK.AWS.KMS.CfnKey)stacks.Factory.BuildKey.Node.DefaultChild!).EnableKeyRotation = false;

        var errors = FactoryApp.Errors(FactoryApp.Synthesize(app, factory)).ToList();

        var error = Assert.Single(errors);
        Assert.Contains("AMI-009", error, StringComparison.Ordinal);
        Assert.Contains("Fix:", error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(StackNames))]
    public void Stack_matches_its_snapshot(string stack)
    {
        var actual = Normalize(Synth.Templates[stack]);
        var path = Path.Combine(SnapshotFolder, stack + ".template.json");
        if (Environment.GetEnvironmentVariable(UpdateSnapshotsVariable) == "1")
        {
            File.WriteAllText(path, actual);
        }

        Assert.Equal(File.ReadAllText(path), actual);
    }

    [Fact]
    public void Every_stack_has_a_snapshot()
    {
        if (Environment.GetEnvironmentVariable(UpdateSnapshotsVariable) == "1")
        {
            foreach (var (stack, template) in Synth.Templates)
            {
                File.WriteAllText(Path.Combine(SnapshotFolder, stack + ".template.json"), Normalize(template));
            }
        }

        Assert.Equal(Synth.Templates.Keys.Order(StringComparer.Ordinal), SnapshotNames());
    }

    private static string Normalize(JsonObject template) =>
        template.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
}
