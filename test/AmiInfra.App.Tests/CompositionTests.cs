namespace AmiInfra.App.Tests;

/// <summary>
/// Stable composition: adding or removing one image never moves or replaces another image's
/// resources; and a factory of any size fits CloudFormation's limits.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class CompositionTests
{
    private const int CloudFormationMaxResources = 500;
    private const int CloudFormationMaxTemplateBytes = 1_000_000;

    [Fact]
    public void Adding_or_removing_an_image_leaves_every_other_resource_where_and_as_it_was()
    {
        var baseline = Synthesized.From(Declarations.Generated(24));
        var added = Synthesized.From(Declarations.Generated(24, ["zz-added"]));
        var removed = Synthesized.From(Declarations.Generated(24).WithoutImage("img-0007"));

        var before = Resources(baseline);
        Assert.True(before.Count > 24 * 3, $"only {before.Count} resources with a construct path");
        AssertUnchanged(before, Resources(added), except: "zz-added");
        AssertUnchanged(before.Where(r => r.Value.Image != "img-0007").ToDictionary(), Resources(removed), except: null);
        Assert.Equal(5, Resources(added).Values.Count(r => r.Image == "zz-added"));
        Assert.Equal(5, before.Values.Count(r => r.Image == "img-0007"));
        Assert.DoesNotContain(Resources(removed).Values, r => r.Image == "img-0007");
    }

    [Fact]
    public void Three_hundred_images_synthesize_into_stacks_within_cloudformation_limits()
    {
        var synth = Synthesized.From(Declarations.Generated(300));

        Assert.Equal(300, synth.Resources("AWS::ImageBuilder::ImagePipeline").Count());
        foreach (var (stack, template) in synth.Templates)
        {
            var resources = template["Resources"]!.AsObject().Count;
            var bytes = new FileInfo(Path.Combine(synth.OutDir, stack + ".template.json")).Length;
            Assert.True(resources <= CloudFormationMaxResources, $"{stack} has {resources} resources");
            Assert.True(bytes <= CloudFormationMaxTemplateBytes, $"{stack} is {bytes} bytes");
        }

        Assert.Equal(ImageStacks(synth), synth.Stacks.Images.Select(s => s.StackName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_image_tag_overrides_the_factory_tag_of_the_same_key_on_every_image_resource()
    {
        var generated = Declarations.Generated(2);
        var factory = generated with
        {
            Tags = new Dictionary<string, string> { ["team"] = "platform" },
            Images = [generated.Images[0] with { Tags = new Dictionary<string, string> { ["team"] = "web" } }, generated.Images[1]],
        };

        var synth = Synthesized.From(factory);

        // The image's Image Builder resources; its log group takes only the factory's tags (CloudWatch Logs' characters).
        var imageResources = synth.Resources().Where(r => ImageOf(r.Resource) is not null && ((string)r.Resource["Type"]!).StartsWith("AWS::ImageBuilder::", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, imageResources.Count);
        foreach (var (_, logicalId, resource) in imageResources)
        {
            var expected = ImageOf(resource) == "img-0000" ? "web" : "platform";
            Assert.True(expected == (string?)resource["Properties"]!["Tags"]!["team"], $"{logicalId}: team is {resource["Properties"]!["Tags"]!["team"]}, expected {expected}");
        }

        var logGroups = synth.Resources("AWS::Logs::LogGroup").Where(l => ImageOf(l.Resource) is not null).ToList();
        Assert.Equal(["img-0000", "img-0001"], logGroups.Select(l => ImageOf(l.Resource)).Order(StringComparer.Ordinal));
        Assert.All(logGroups, l => Assert.Contains(l.Resource["Properties"]!["Tags"]!.AsArray(), t => (string?)t!["Key"] == "team" && (string?)t["Value"] == "platform"));
    }

    private static IEnumerable<string> ImageStacks(Synthesized synth) =>
        synth.Templates.Keys.Where(k => k.StartsWith("scale-images-", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    /// <summary>
    /// Resources by construct path: stack, logical id, full definition, and the image whose
    /// resource it is (its amiinfra:image tag; null for the resources images share).
    /// </summary>
    private static Dictionary<string, (string Stack, string LogicalId, string Definition, string? Image)> Resources(Synthesized synth) =>
        synth.Resources()
            .Where(r => (string?)r.Resource["Type"] != "AWS::CDK::Metadata" && r.Resource["Metadata"]?["aws:cdk:path"] is not null)
            .ToDictionary(
                r => (string)r.Resource["Metadata"]!["aws:cdk:path"]!,
                r => (r.Stack, r.LogicalId, r.Resource.ToJsonString(), ImageOf(r.Resource)),
                StringComparer.Ordinal);

    /// <summary>The image whose resource it is: its amiinfra:image tag, in a tag map (Image Builder) or a tag list (the log group).</summary>
    private static string? ImageOf(System.Text.Json.Nodes.JsonObject resource) =>
        resource["Properties"]?["Tags"] switch
        {
            System.Text.Json.Nodes.JsonObject map => (string?)map[AmiInfra.Rules.AmiTagKeys.Image],
            System.Text.Json.Nodes.JsonArray list => list.Where(t => (string?)t?["Key"] == AmiInfra.Rules.AmiTagKeys.Image).Select(t => (string?)t!["Value"]).FirstOrDefault(),
            _ => null,
        };

    /// <summary>A rule without its targets: its name, pattern or schedule, which a change would replace or reroute.</summary>
    private static string Unchanging(string definition)
    {
        var rule = System.Text.Json.Nodes.JsonNode.Parse(definition)!.AsObject();
        rule["Properties"]!.AsObject().Remove("Targets");
        return rule.ToJsonString();
    }

    /// <summary>A state machine's or role's physical name, which a change would replace.</summary>
    private static string? Name(string definition)
    {
        var properties = System.Text.Json.Nodes.JsonNode.Parse(definition)!["Properties"]!;
        return (string?)(properties["StateMachineName"] ?? properties["RoleName"]);
    }

    private static void AssertUnchanged(
        IReadOnlyDictionary<string, (string Stack, string LogicalId, string Definition, string? Image)> before,
        IReadOnlyDictionary<string, (string Stack, string LogicalId, string Definition, string? Image)> after,
        string? except)
    {
        foreach (var (path, was) in before)
        {
            Assert.True(after.TryGetValue(path, out var now), $"{path} disappeared");
            Assert.Equal((was.Stack, was.LogicalId), (now.Stack, now.LogicalId));

            // The retention marker's rules carry the list of images in their targets' inputs: updated in place, never
            // replaced (their names and patterns stay), and no other image's resource.
            if (path.Contains("/RetentionMarker/Built", StringComparison.Ordinal) || path.Contains("/RetentionMarker/Scheduled", StringComparison.Ordinal))
            {
                Assert.Equal(Unchanging(was.Definition), Unchanging(now.Definition));
                continue;
            }

            // The release verification of a region holds each image's settings in its definition and its role's policy
            // (the latest parameters): updated in place, never replaced (its name stays), and no other image's resource.
            if (path.Contains("/Release/Resource", StringComparison.Ordinal) || path.EndsWith("/Release/Role", StringComparison.Ordinal))
            {
                Assert.Equal(Name(was.Definition), Name(now.Definition));
                continue;
            }

            Assert.Equal(was.Definition, now.Definition);
        }

        var extra = after.Where(r => !before.ContainsKey(r.Key) && (except is null || r.Value.Image != except)).Select(r => r.Key).ToList();
        Assert.Empty(extra);
    }
}
