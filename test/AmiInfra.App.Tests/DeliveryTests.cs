using System.Text.Json;
using System.Text.Json.Nodes;
using AmiInfra.Declaration;

namespace AmiInfra.App.Tests;

public sealed class DeliveryFixture
{
    public const string Declaration = "examples/delivery-pipeline/factory.json";

    public Synthesized Synth { get; } = Synthesized.From(FactoryLoader.Load(Repository.Path(Declaration)), Declaration);

    public JsonObject Pipeline =>
        Synth.Resources("AWS::CodePipeline::Pipeline").Single(r => r.Stack == "golden-delivery").Resource["Properties"]!.AsObject();
}

/// <summary>The deployment pipeline of examples/delivery-pipeline, synthesized once.</summary>
[Collection(CdkCollection.Name)]
public sealed class DeliveryTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    private static readonly string Snapshot = Repository.Path("test", "AmiInfra.App.Tests", "Snapshots", "delivery-pipeline", "golden-delivery.template.json");

    [Fact]
    public void Only_the_pipeline_is_a_top_level_stack_and_the_factory_deploys_through_its_stages()
    {
        var stacks = fixture.Synth.Manifest["artifacts"]!.AsObject()
            .Where(a => (string?)a.Value!["type"] == "aws:cloudformation:stack")
            .Select(a => a.Key)
            .Where(k => !k.StartsWith("cross-region-stack-", StringComparison.Ordinal));
        Assert.Equal(["golden-delivery"], stacks);
        Assert.Equal("golden-factory", fixture.Synth.Stacks.Factory.StackName);
        Assert.All(fixture.Synth.Stacks.Regional, r => Assert.StartsWith("golden-region-", r.StackName));
    }

    [Fact]
    public void Pipeline_runs_source_synth_self_mutation_then_regions_then_factory()
    {
        var stages = fixture.Pipeline["Stages"]!.AsArray().Select(s => (string)s!["Name"]!).ToList();
        Assert.Equal(["Source", "Build", "UpdatePipeline", "Regions", "Factory"], stages);

        var source = fixture.Pipeline["Stages"]![0]!["Actions"]![0]!["Configuration"]!;
        Assert.Equal("acme/golden-amis", (string?)source["FullRepositoryId"]);
        Assert.Equal("main", (string?)source["BranchName"]);
        Assert.Equal("arn:aws:codestar-connections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789", (string?)source["ConnectionArn"]);
    }

    [Fact]
    public void Regional_stacks_deploy_as_one_wave_without_approval()
    {
        var actions = Actions("Regions");
        Assert.Contains("Region-us-east-1.golden-region-us-east-1.Deploy", actions);
        Assert.Contains("Region-eu-west-1.golden-region-eu-west-1.Deploy", actions);
        Assert.DoesNotContain(actions, a => a.StartsWith("Approve", StringComparison.Ordinal));
    }

    [Fact]
    public void Protected_factory_stage_waits_for_a_manual_approval_before_deploying()
    {
        var stage = fixture.Pipeline["Stages"]!.AsArray().Single(s => (string?)s!["Name"] == "Factory")!;
        var approval = stage["Actions"]!.AsArray().Single(a => (string?)a!["Name"] == "Approve-factory")!;
        Assert.Equal("Manual", (string?)approval["ActionTypeId"]!["Provider"]);
        var deploys = stage["Actions"]!.AsArray().Where(a => ((string)a!["Name"]!).EndsWith(".Deploy", StringComparison.Ordinal)).ToList();
        Assert.Equal(["golden-factory.Deploy", "golden-images-6.Deploy", "golden-images-8.Deploy"], deploys.Select(a => (string)a!["Name"]!).Order(StringComparer.Ordinal));
        Assert.All(deploys, d => Assert.True((int)d!["RunOrder"]! > (int)approval["RunOrder"]!));
    }

    [Fact]
    public void Synth_step_installs_dotnet_and_the_pinned_cli_tests_synthesizes_and_lints()
    {
        var buildSpec = fixture.Synth.Resources("AWS::CodeBuild::Project")
            .Select(p => (string?)p.Resource["Properties"]!["Source"]!["BuildSpec"])
            .Single(b => b is not null && b.Contains("cdk synth", StringComparison.Ordinal))!;
        var spec = JsonNode.Parse(buildSpec)!;
        var install = spec["phases"]!["install"]!["commands"]!.AsArray().Select(c => (string)c!).ToList();
        var build = spec["phases"]!["build"]!["commands"]!.AsArray().Select(c => (string)c!).ToList();

        Assert.Contains(install, c => c.Contains("dotnet-install.sh --jsonfile global.json", StringComparison.Ordinal));
        Assert.Contains("npm ci", install);
        Assert.Contains("pip3 install --quiet -r .ci/python-tools.txt", install);
        Assert.Equal(
            ["dotnet test", $"npx cdk synth -c declaration={DeliveryFixture.Declaration}"],
            build.Where(c => c.StartsWith("dotnet", StringComparison.Ordinal) || c.StartsWith("npx", StringComparison.Ordinal)));
        const string Lint = "cfn-lint --include-checks I --ignore-checks I1022 --regions us-east-1 eu-west-1 --";
        Assert.Contains($"find cdk.out -name '*.template.json' -print0 | xargs -0 {Lint}", build);
        Assert.Contains($"if [ \"$(node .ci/stackset-templates.js cdk.out)\" -gt 0 ]; then {Lint} cdk.out/stacksets/*.json; fi", build);
        Assert.True(File.Exists(Repository.Path(".ci", "stackset-templates.js")));
    }

    /// <summary>
    /// Fix 6: the Synth step installs the Python tools CI installs, from the one pinned list: cfn-lint, and moto_server,
    /// without which the amiinfra tests of dotnet test fail on the pipeline's first run.
    /// </summary>
    [Fact]
    public void Synth_step_and_ci_install_the_same_pinned_python_tools()
    {
        var list = File.ReadAllLines(Repository.Path(".ci", "python-tools.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains(list, l => l.StartsWith("cfn-lint==", StringComparison.Ordinal));
        Assert.Contains(list, l => l.StartsWith("moto[server]==", StringComparison.Ordinal));
        Assert.All(list, l => Assert.Matches(@"^[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.]*$", l));

        var buildSpec = fixture.Synth.Resources("AWS::CodeBuild::Project")
            .Select(p => (string?)p.Resource["Properties"]!["Source"]!["BuildSpec"])
            .Single(b => b is not null && b.Contains("cdk synth", StringComparison.Ordinal))!;
        var install = JsonNode.Parse(buildSpec)!["phases"]!["install"]!["commands"]!.AsArray().Select(c => (string)c!).ToList();
        var pip = Assert.Single(install, c => c.Contains("pip", StringComparison.Ordinal));
        Assert.EndsWith("-r .ci/python-tools.txt", pip, StringComparison.Ordinal);

        Assert.Contains("pip install -r .ci/python-tools.txt", File.ReadAllText(Repository.Path("examples", "github-actions", "deploy.yml")), StringComparison.Ordinal);

        var ci = File.ReadAllText(Repository.Path(".ci", "run"));
        Assert.Contains("done < .ci/python-tools.txt", ci, StringComparison.Ordinal);
        Assert.DoesNotContain("pip install --quiet cfn-lint", ci, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_stack_matches_its_snapshot()
    {
        var actual = fixture.Synth.Templates["golden-delivery"].ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        if (Environment.GetEnvironmentVariable(DefaultFactoryTests.UpdateSnapshotsVariable) == "1")
        {
            File.WriteAllText(Snapshot, actual);
        }

        Assert.Equal(File.ReadAllText(Snapshot), actual);
    }

    private List<string> Actions(string stage) =>
        fixture.Pipeline["Stages"]!.AsArray().Single(s => (string?)s!["Name"] == stage)!["Actions"]!.AsArray().Select(a => (string)a!["Name"]!).ToList();
}
