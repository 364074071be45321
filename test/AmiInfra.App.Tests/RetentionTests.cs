using System.Text.Json.Nodes;
using AmiInfra.Declaration;

namespace AmiInfra.App.Tests;

/// <summary>The default factory, the governance example (copies in a target account) and the count corpus declaration, synthesized once.</summary>
public sealed class RetentionFixture
{
    public Synthesized Default { get; } = Synthesized.From(Declarations.Default());

    public Synthesized Governed { get; } = Synthesized.From(FactoryLoader.Load(Repository.Path("examples", "governance", "factory.json")));

    public Synthesized Counted { get; } = Synthesized.From(FactoryLoader.Load(Repository.Path("test", "AmiInfra.App.Tests", "GoodDeclarations", "lifecycle-by-count", "factory.json")));
}

/// <summary>
/// Retirement by retention windows: the policies filter by age only and exclude each step's retention tag next to the
/// declared exclusion tags; the factory stack's retention marker keeps those tags, with each image's regions, target
/// accounts and windows as declared; the target accounts' StackSet holds the role it assumes there.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class RetentionTests(RetentionFixture fixture) : IClassFixture<RetentionFixture>
{
    private static JsonArray Details(Synthesized synth, string name) =>
        synth.Resources("AWS::ImageBuilder::LifecyclePolicy").Single(p => (string?)p.Resource["Properties"]!["Name"] == name).Resource["Properties"]!["PolicyDetails"]!.AsArray();

    private static JsonNode Configuration(Synthesized synth, string ruleNameEnd = "-scheduled-1")
    {
        var rule = synth.Resources("AWS::Events::Rule").Single(r => ((string)r.Resource["Properties"]!["Name"]!).EndsWith(ruleNameEnd, StringComparison.Ordinal)).Resource;
        return JsonNode.Parse((string)rule["Properties"]!["Targets"]![0]!["Input"]!)!["config"]!;
    }

    [Fact]
    public void Steps_by_age_keep_their_days_and_exclude_their_retention_tag_next_to_the_declared_tags()
    {
        var details = Details(fixture.Default, "golden-al2023");
        Assert.Equal([90, 180, 365], details.Select(d => (int)d!["Filter"]!["Value"]!));
        Assert.All(details, d => Assert.Equal("AGE", (string?)d!["Filter"]!["Type"]));
        Assert.All(details, d => Assert.Null(d!["Filter"]!["RetainAtLeast"]));
        var tags = details.Select(d => d!["ExclusionRules"]!["Amis"]!["TagMap"]!.AsObject()).ToList();
        Assert.Equal(["amiinfra:retain-deprecate", "amiinfra:retain-disable", "amiinfra:retain-delete"], tags.Select(t => t.Single(p => p.Key.StartsWith("amiinfra:", StringComparison.Ordinal)).Key));
        Assert.All(tags, t => Assert.Equal("true", (string?)t["retain"]));
        Assert.All(tags, t => Assert.Equal(2, t.Count));
    }

    [Fact]
    public void Steps_by_count_become_one_day_old_age_filters_the_windows_count()
    {
        var details = Details(fixture.Counted, "counted-al2023");
        Assert.All(details, d => Assert.Equal("AGE", (string?)d!["Filter"]!["Type"]));
        Assert.All(details, d => Assert.Equal(1, (int)d!["Filter"]!["Value"]!));
        Assert.DoesNotContain("\"COUNT\"", fixture.Counted.Templates.Values.Select(t => t.ToJsonString()).Aggregate(string.Concat), StringComparison.Ordinal);

        var image = Configuration(fixture.Counted)["images"]![0]!;
        Assert.Equal("{\"delete\":20,\"deprecate\":5,\"disable\":10}", image["windows"]!.ToJsonString());
    }

    [Fact]
    public void The_factory_stack_marks_every_retiring_image_in_its_regions_and_target_accounts()
    {
        var config = Configuration(fixture.Default);
        Assert.Equal("golden", (string?)config["factory"]);
        var images = config["images"]!.AsArray();
        Assert.Equal(["al2023", "ubuntu2404"], images.Select(i => (string)i!["image"]!));
        Assert.All(images, i => Assert.Equal(["us-east-1", "eu-west-1"], i!["regions"]!.AsArray().Select(r => (string)r!)));
        Assert.All(images, i => Assert.Equal("{\"delete\":3,\"deprecate\":3,\"disable\":3}", i!["windows"]!.ToJsonString()));
        Assert.Equal("golden-al2023", (string?)images[0]!["recipe"]);

        var governed = Configuration(fixture.Governed)["images"]![0]!;
        Assert.Equal(["444455556666"], governed["accounts"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("{\"delete\":2,\"deprecate\":2,\"disable\":2}", governed["windows"]!.ToJsonString());
    }

    [Fact]
    public void The_marker_lives_in_the_factory_stack_with_its_logs_encrypted_by_the_build_key()
    {
        var function = Assert.Single(fixture.Default.Resources("AWS::Lambda::Function"));
        Assert.Equal("golden-factory", function.Stack);
        Assert.Equal("golden-retention-marker", (string?)function.Resource["Properties"]!["FunctionName"]);
        var logs = fixture.Default.Resources("AWS::Logs::LogGroup").Single(l => l.Stack == "golden-factory" && (string?)l.Resource["Properties"]!["LogGroupName"] == "/aws/lambda/golden-retention-marker").Resource;
        var key = fixture.Default.Resources("AWS::KMS::Key").Single(k => k.Stack == "golden-factory").LogicalId;
        Assert.Equal(key, (string?)logs["Properties"]!["KmsKeyId"]!["Fn::GetAtt"]![0]);
        var pattern = fixture.Default.Resources("AWS::Events::Rule").Single(r => r.Resource["Properties"]!["EventPattern"]?["resources"] is not null).Resource["Properties"]!["EventPattern"]!;
        Assert.Contains(":image/golden-\"", pattern["resources"]![0]!["prefix"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Target_accounts_that_own_copies_get_the_marker_role()
    {
        var stackSet = fixture.Governed.Resources("AWS::CloudFormation::StackSet").Single().Resource["Properties"]!;
        var template = JsonNode.Parse((string)stackSet["TemplateBody"]!)!;
        var role = template["Resources"]!["RetentionMarkerRole"]!;
        Assert.Equal("golden-retention-marker-target", (string?)role["Properties"]!["RoleName"]);
        Assert.Equal("InRolesRegion", (string?)role["Condition"]);
        Assert.Contains("the retention marker's role", (string)stackSet["Description"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_factory_without_retirement_has_no_marker()
    {
        var synth = Synthesized.From(Declarations.Default() with { Images = [.. Declarations.Default().Images.Select(i => i with { Lifecycle = null })] });
        Assert.Empty(synth.Resources("AWS::Lambda::Function"));
        // The rules left are those that tell the build topic of the events a team acts on.
        Assert.All(synth.Resources("AWS::Events::Rule").Where(r => (string?)r.Resource["Properties"]!["Targets"]![0]!["Id"] is not ("Verify" or "HomeRegion" or "Rebuild")), r => Assert.Equal("BuildTopic", (string?)r.Resource["Properties"]!["Targets"]![0]!["Id"]));
    }
}
