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
        AssertUnchanged(before.Where(r => !r.Key.Contains("/img-0007/", StringComparison.Ordinal)).ToDictionary(), Resources(removed), except: null);
        Assert.Contains(Resources(added).Keys, k => k.Contains("/zz-added/", StringComparison.Ordinal));
        Assert.DoesNotContain(Resources(removed).Keys, k => k.Contains("/img-0007/", StringComparison.Ordinal));
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

    private static IEnumerable<string> ImageStacks(Synthesized synth) =>
        synth.Templates.Keys.Where(k => k.StartsWith("scale-images-", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    /// <summary>Resources by construct path: stack, logical id and full definition.</summary>
    private static Dictionary<string, (string Stack, string LogicalId, string Definition)> Resources(Synthesized synth) =>
        synth.Resources()
            .Where(r => (string?)r.Resource["Type"] != "AWS::CDK::Metadata" && r.Resource["Metadata"]?["aws:cdk:path"] is not null)
            .ToDictionary(r => (string)r.Resource["Metadata"]!["aws:cdk:path"]!, r => (r.Stack, r.LogicalId, r.Resource.ToJsonString()), StringComparer.Ordinal);

    private static void AssertUnchanged(
        IReadOnlyDictionary<string, (string Stack, string LogicalId, string Definition)> before,
        IReadOnlyDictionary<string, (string Stack, string LogicalId, string Definition)> after,
        string? except)
    {
        foreach (var (path, was) in before)
        {
            Assert.True(after.TryGetValue(path, out var now), $"{path} disappeared");
            Assert.Equal((was.Stack, was.LogicalId), (now.Stack, now.LogicalId));
            Assert.Equal(was.Definition, now.Definition);
        }

        var extra = after.Keys.Except(before.Keys).Where(k => except is null || !k.Contains($"/{except}/", StringComparison.Ordinal)).ToList();
        Assert.Empty(extra);
    }
}
