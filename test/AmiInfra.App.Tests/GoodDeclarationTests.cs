using System.Text.Json.Nodes;
using AmiInfra.Declaration;

namespace AmiInfra.App.Tests;

/// <summary>
/// The good-declaration corpus (GoodDeclarations/*/factory.json): declarations written the way teams
/// write them, each odd but valid, that must synthesize with no error. CI also synthesizes each with
/// the CDK CLI and lints its templates with cfn-lint in its regions. The tests here check what each
/// is there for.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class GoodDeclarationTests
{
    private static readonly string Folder = Repository.Path("test", "AmiInfra.App.Tests", "GoodDeclarations");

    private static readonly Dictionary<string, Synthesized> Synthesized = [];

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(Folder).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(folder));
        }

        return data;
    }

    private static Synthesized Of(string name)
    {
        if (!Synthesized.TryGetValue(name, out var synthesized))
        {
            var path = Path.Combine(Folder, name, "factory.json");
            synthesized = App.Tests.Synthesized.From(FactoryLoader.Load(path), path);
            Synthesized[name] = synthesized;
        }

        return synthesized;
    }

    private static string Text(Synthesized s) => string.Join("\n", s.Templates.Values.Select(t => t.ToJsonString()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Good_declaration_synthesizes_without_an_error(string name)
    {
        var path = Path.Combine(Folder, name, "factory.json");

        var run = AppRun.Synthesize(path);

        Assert.True(run.ExitCode == 0, run.Errors);
        Assert.NotEmpty(run.Templates);
    }

    /// <summary>
    /// In GovCloud, EventBridge documents no rule of another region delivering to the home region's bus: the release
    /// verification failures of us-gov-east-1 stay on its default bus and in the tags, nothing forwards them, and synth
    /// says so on that region's stack.
    /// </summary>
    [Fact]
    public void Failures_of_a_region_eventbridge_does_not_deliver_from_stay_there_and_synth_warns()
    {
        var s = Of("govcloud");
        Assert.DoesNotContain(s.Resources("AWS::Events::Rule"), r => (string?)r.Resource["Properties"]!["Targets"]![0]!["Id"] == "HomeRegion");
        static IEnumerable<string> Warnings(JsonNode artifact) =>
            artifact["metadata"]?.AsObject().SelectMany(m => m.Value!.AsArray()).Where(e => (string?)e!["type"] == "aws:cdk:warning").Select(e => (string)e!["data"]!) ?? [];
        var artifacts = s.Manifest["artifacts"]!.AsObject();
        Assert.Contains(Warnings(artifacts["gov-golden-region-us-gov-east-1"]!), w => w.StartsWith("The release verification failures of us-gov-east-1 stay on its default bus", StringComparison.Ordinal));
        Assert.DoesNotContain(Warnings(artifacts["gov-golden-region-us-gov-west-1"]!), w => w.StartsWith("The release verification failures", StringComparison.Ordinal));
    }

    /// <summary>Two documents with one file name are two components, each image with its own document.</summary>
    [Fact]
    public void Two_documents_with_one_file_name_stay_two_components()
    {
        var s = Of("collision");
        var components = s.Resources("AWS::ImageBuilder::Component").ToDictionary(c => (string)c.Resource["Properties"]!["Name"]!, c => (string)c.Resource["Properties"]!["Data"]!);
        var recipes = s.Resources("AWS::ImageBuilder::ImageRecipe").ToDictionary(r => (string)r.Resource["Properties"]!["Name"]!, r => r.Resource["Properties"]!["Components"]!.ToJsonString());

        Assert.Equal(["twins-al2023-hardening", "twins-ubuntu-hardening"], components.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("hardening al2023", components["twins-al2023-hardening"], StringComparison.Ordinal);
        Assert.Contains("hardening ubuntu", components["twins-ubuntu-hardening"], StringComparison.Ordinal);
        Assert.Contains("component/twins-al2023-hardening/", recipes["twins-al2023"], StringComparison.Ordinal);
        Assert.Contains("component/twins-ubuntu-hardening/", recipes["twins-ubuntu2404"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("china", "aws-cn", "amazonaws.com.cn")]
    [InlineData("govcloud", "aws-us-gov", "amazonaws.com")]
    public void A_factory_of_another_partition_names_its_partition_everywhere(string name, string partition, string dnsSuffix)
    {
        var s = Of(name);
        var text = Text(s);

        Assert.Contains($"arn:{partition}:kms:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"arn:aws:", text, StringComparison.Ordinal);
        Assert.All(
            s.Resources().SelectMany(r => ViaServices(r.Resource)),
            via => Assert.EndsWith("." + dnsSuffix, via, StringComparison.Ordinal));
    }

    /// <summary>Image Builder takes 16,000 characters inline: a longer document goes by S3 uri, as a CDK asset.</summary>
    [Fact]
    public void A_document_over_the_inline_limit_goes_by_uri_as_an_asset()
    {
        var s = Of("large-component");
        var component = Assert.Single(s.Resources("AWS::ImageBuilder::Component"));
        var properties = component.Resource["Properties"]!.AsObject();

        Assert.Null(properties["Data"]);
        Assert.StartsWith("s3://cdk-", (string)properties["Uri"]!, StringComparison.Ordinal);
        Assert.Contains(".yml", (string)properties["Uri"]!, StringComparison.Ordinal);
        Assert.Contains("cis-level1", File.ReadAllText(Directory.GetFiles(s.OutDir, "*.yml", SearchOption.AllDirectories).Single()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_windows_image_gets_a_windows_component_named_for_its_platform()
    {
        var s = Of("windows");
        var component = Assert.Single(s.Resources("AWS::ImageBuilder::Component"));

        Assert.Equal("winfleet-iis-windows", (string)component.Resource["Properties"]!["Name"]!);
        Assert.Equal("Windows", (string)component.Resource["Properties"]!["Platform"]!);
    }

    /// <summary>Fast Launch and the license configuration reach only the region they are declared for; the root volume is the base AMI's 30 GiB.</summary>
    [Fact]
    public void Windows_fast_launch_and_license_configuration_reach_their_region_only()
    {
        var s = Of("windows-fast-launch");
        var distributions = Assert.Single(s.Resources("AWS::ImageBuilder::DistributionConfiguration")).Resource["Properties"]!["Distributions"]!.AsArray();
        var byRegion = distributions.ToDictionary(d => (string)d!["Region"]!, d => d!);

        var eu = byRegion["eu-west-1"];
        var fast = Assert.Single(eu["FastLaunchConfigurations"]!.AsArray())!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            { "Enabled": true, "MaxParallelLaunches": 6, "SnapshotConfiguration": { "TargetResourceCount": 10 },
              "LaunchTemplate": { "LaunchTemplateName": "fast-launch-prep", "LaunchTemplateVersion": "$Default" } }
            """), fast), fast.ToJsonString());
        Assert.Equal("arn:aws:license-manager:eu-west-1:123456789012:license-configuration:lic-0123456789abcdef0123456789abcdef", (string)Assert.Single(eu["LicenseConfigurationArns"]!.AsArray())!);

        var us = byRegion["us-east-1"];
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "Enabled": false }"""), Assert.Single(us["FastLaunchConfigurations"]!.AsArray())));
        Assert.Null(us["LicenseConfigurationArns"]);

        var recipe = Assert.Single(s.Resources("AWS::ImageBuilder::ImageRecipe")).Resource["Properties"]!;
        Assert.Equal(30, (int)recipe["BlockDeviceMappings"]![0]!["Ebs"]!["VolumeSize"]!);
    }

    /// <summary>A Windows image that declares neither gets no Fast Launch and no license configuration.</summary>
    [Fact]
    public void A_windows_image_without_fast_launch_gets_none()
    {
        var s = Of("windows");
        foreach (var d in Assert.Single(s.Resources("AWS::ImageBuilder::DistributionConfiguration")).Resource["Properties"]!["Distributions"]!.AsArray())
        {
            Assert.Null(d!["FastLaunchConfigurations"]);
            Assert.Null(d["LicenseConfigurationArns"]);
        }
    }

    [Fact]
    public void Tag_values_in_any_script_reach_the_amis()
    {
        var s = Of("tags");
        var distribution = Assert.Single(s.Resources("AWS::ImageBuilder::DistributionConfiguration"));
        var amiTags = distribution.Resource["Properties"]!["Distributions"]![0]!["AmiDistributionConfiguration"]!["AmiTags"]!;

        Assert.Equal("2026.11 — LTS", (string)amiTags["Release"]!);
        Assert.Equal("Plattform München", (string)amiTags["Kostenstelle"]!);
        Assert.Equal("Équipe plateforme", (string)amiTags["Team"]!);
    }

    /// <summary>The placeholders without spaces, as Image Builder's CLI examples write them, reach the distribution as written.</summary>
    [Fact]
    public void Ami_name_placeholders_without_spaces_are_taken_as_written()
    {
        var s = Of("tags");
        var distribution = Assert.Single(s.Resources("AWS::ImageBuilder::DistributionConfiguration"));

        Assert.Equal("tagged al2023 {{imagebuilder:buildVersion}} {{imagebuilder:buildDate}}", (string)distribution.Resource["Properties"]!["Distributions"]![0]!["AmiDistributionConfiguration"]!["Name"]!);
    }

    /// <summary>
    /// build.logGroupRetentionDays, build.eventBus, schedule.autoDisableAfterFailures and placement reach the templates:
    /// each image's log group with the retention and the build key, its pipeline writing there and disabling itself after
    /// the failures given, the events on the declared bus, the build instances on the hardware asked for.
    /// </summary>
    [Fact]
    public void Pipeline_options_reach_the_templates()
    {
        var s = Of("pipeline-options");
        var logGroups = s.Resources("AWS::Logs::LogGroup").Select(r => r.Resource["Properties"]!).ToList();
        var pipelines = s.Resources("AWS::ImageBuilder::ImagePipeline").ToDictionary(p => (string)p.Resource["Properties"]!["Name"]!, p => p.Resource);
        var configurations = s.Resources("AWS::ImageBuilder::InfrastructureConfiguration").Select(c => c.Resource["Properties"]!).ToList();
        var rules = s.Resources("AWS::Events::Rule").Select(r => r.Resource["Properties"]!).Where(r => (string?)r["Targets"]![0]!["Id"] is not ("Verify" or "HomeRegion" or "Rebuild")).ToList();

        Assert.Equal(
            ["/aws/imagebuilder/options/al2023-dedicated", "/aws/imagebuilder/options/al2023-host", "/aws/imagebuilder/options/win2022-byol"],
            logGroups.Select(l => (string)l["LogGroupName"]!).Order(StringComparer.Ordinal));
        Assert.All(logGroups, l =>
        {
            Assert.Equal(30, (int)l["RetentionInDays"]!);
            Assert.Equal("{{resolve:ssm:/amiinfra/options/build-key-arn}}", (string?)l["KmsKeyId"]);
        });

        var dedicated = pipelines["options-al2023-dedicated"];
        Assert.Equal(2, (int)dedicated["Properties"]!["Schedule"]!["AutoDisablePolicy"]!["FailureCount"]!);
        Assert.Equal("/aws/imagebuilder/options/al2023-dedicated", (string?)dedicated["Properties"]!["LoggingConfiguration"]!["ImageLogGroupName"]);
        Assert.Equal("/aws/imagebuilder/options/al2023-dedicated", (string?)dedicated["Properties"]!["LoggingConfiguration"]!["PipelineLogGroupName"]);
        Assert.Single(dedicated["DependsOn"]!.AsArray());
        Assert.Equal(5, (int)pipelines["options-win2022-byol"]["Properties"]!["Schedule"]!["AutoDisablePolicy"]!["FailureCount"]!);
        Assert.Null(pipelines["options-al2023-host"]["Properties"]!["Schedule"]);

        Assert.Contains(configurations, c => c["Placement"]?.ToJsonString() == """{"AvailabilityZone":"us-east-1b","Tenancy":"dedicated"}""");
        Assert.Contains(configurations, c => c["Placement"]?.ToJsonString() == """{"Tenancy":"host","HostId":"h-0123456789abcdef0"}""");
        Assert.Contains(configurations, c => c["Placement"]?.ToJsonString() == """{"Tenancy":"host","HostResourceGroupArn":"arn:aws:resource-groups:us-east-1:123456789012:group/windows-byol-hosts"}""");
        Assert.Contains(configurations, c => c["Placement"] is null);

        // Image Builder's four kinds and the release verification's failures, as they are, to the declared bus.
        Assert.Equal(5, rules.Count);
        Assert.Contains(rules, r => (string?)r["EventPattern"]!["source"]![0] == AmiInfra.Rules.Releases.EventSource);
        Assert.All(rules, r => Assert.Equal("arn:aws:events:us-east-1:999988887777:event-bus/platform-events", (string?)r["Targets"]![0]!["Arn"]));
    }

    private static IEnumerable<string> ViaServices(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "kms:ViaService" && p.Value is JsonValue v && v.TryGetValue<string>(out var s) ? [s] : ViaServices(p.Value)),
        JsonArray a => a.SelectMany(ViaServices),
        _ => [],
    };
}
