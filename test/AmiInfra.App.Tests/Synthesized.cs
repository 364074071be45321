using System.Text.Json.Nodes;
using AmiInfra.App.Stacks;
using AmiInfra.Declaration;

namespace AmiInfra.App.Tests;

/// <summary>
/// A factory synthesized once into a cloud assembly, with its templates parsed in C#: tests then
/// read JSON instead of crossing the jsii bridge for every assertion.
/// </summary>
public sealed class Synthesized
{
    private Synthesized(Factory factory, FactoryComposition.Stacks stacks, string outDir)
    {
        Factory = factory;
        Stacks = stacks;
        OutDir = outDir;
        Templates = Directory.GetFiles(outDir, "*.template.json", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetFileName(f)[..^".template.json".Length], f => JsonNode.Parse(File.ReadAllText(f))!.AsObject(), StringComparer.Ordinal);
        Manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")))!.AsObject();
    }

    public Factory Factory { get; }

    public FactoryComposition.Stacks Stacks { get; }

    public string OutDir { get; }

    /// <summary>Templates by file name: the stack name for top-level stacks, the artifact id for stacks in pipeline stages.</summary>
    public IReadOnlyDictionary<string, JsonObject> Templates { get; }

    public JsonObject Manifest { get; }

    public static Synthesized From(Factory factory, string declarationPath = "factory")
    {
        var outDir = Directory.CreateTempSubdirectory("amiinfra-synth-").FullName;
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps
        {
            Outdir = outDir,

            // As the CDK CLI sets it: each resource names its construct path, which the tests compare.
            Context = new Dictionary<string, object> { ["aws:cdk:enable-path-metadata"] = true },
        });
        var stacks = FactoryComposition.Compose(app, factory, declarationPath);
        FactoryApp.Synthesize(app, factory);
        return new Synthesized(factory, stacks, outDir);
    }

    /// <summary>Every resource of every template: (stack, logical id, resource).</summary>
    public IEnumerable<(string Stack, string LogicalId, JsonObject Resource)> Resources() =>
        from t in Templates
        from r in t.Value["Resources"]!.AsObject()
        select (t.Key, r.Key, r.Value!.AsObject());

    public IEnumerable<(string Stack, string LogicalId, JsonObject Resource)> Resources(string type) =>
        Resources().Where(r => (string?)r.Resource["Type"] == type);

    /// <summary>Where each resource lives, keyed by its construct path (aws:cdk:path metadata).</summary>
    public IReadOnlyDictionary<string, (string Stack, string LogicalId)> Placement() =>
        Resources()
            .Where(r => r.Resource["Metadata"]?["aws:cdk:path"] is not null)
            .ToDictionary(r => (string)r.Resource["Metadata"]!["aws:cdk:path"]!, r => (r.Stack, r.LogicalId), StringComparer.Ordinal);
}

/// <summary>Declarations for tests, generated from the default factory's components.</summary>
public static class Declarations
{
    /// <summary>The same factory without one image.</summary>
    public static Factory WithoutImage(this Factory factory, string name) =>
        factory with { Images = factory.Images.Where(i => i.Name != name).ToList() };

    public static Factory Default() => FactoryLoader.Load(Repository.Path("factory"));

    /// <summary>The default factory's components in a factory of <paramref name="count"/> images (plus <paramref name="extra"/>).</summary>
    public static Factory Generated(int count, IEnumerable<string>? extra = null) =>
        AmiInfra.Testing.GeneratedFactory.Create(Repository.Path("factory"), count, extra);
}
