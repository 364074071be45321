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
        Templates = Directory.GetFiles(outDir, "*.template.json")
            .ToDictionary(f => Path.GetFileName(f)[..^".template.json".Length], f => JsonNode.Parse(File.ReadAllText(f))!.AsObject(), StringComparer.Ordinal);
        Manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")))!.AsObject();
    }

    public Factory Factory { get; }

    public FactoryComposition.Stacks Stacks { get; }

    public string OutDir { get; }

    /// <summary>Templates by stack name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Templates { get; }

    public JsonObject Manifest { get; }

    public static Synthesized From(Factory factory)
    {
        var outDir = Directory.CreateTempSubdirectory("amiinfra-synth-").FullName;
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps
        {
            Outdir = outDir,

            // As the CDK CLI sets it: each resource names its construct path, which the tests compare.
            Context = new Dictionary<string, object> { ["aws:cdk:enable-path-metadata"] = true },
        });
        var stacks = FactoryComposition.Compose(app, factory);
        app.Synth();
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

    /// <summary>The default factory with <paramref name="count"/> images named img-0000... (plus the ones named in <paramref name="extra"/>).</summary>
    public static Factory Generated(int count, IEnumerable<string>? extra = null, string[]? regions = null)
    {
        var names = Enumerable.Range(0, count).Select(i => $"img-{i:0000}").Concat(extra ?? []);
        var images = new JsonArray();
        foreach (var name in names)
        {
            images.Add(new JsonObject
            {
                ["name"] = name,
                ["parent"] = new JsonObject { ["ssmParameter"] = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
                ["components"] = new JsonArray(
                    new JsonObject { ["managed"] = "update-linux" },
                    new JsonObject { ["file"] = "components/linux-hardening.yml", ["parameters"] = new JsonObject { ["SshPort"] = "22" } }),
                ["schedule"] = new JsonObject { ["cron"] = "cron(0 4 ? * sun *)", ["startCondition"] = "EXPRESSION_MATCH_ONLY" },
            });
        }

        var declaration = new JsonObject
        {
            ["name"] = "scale",
            ["account"] = "123456789012",
            ["region"] = "us-east-1",
            ["distribution"] = new JsonObject
            {
                ["regions"] = new JsonArray((regions ?? ["us-east-1", "eu-west-1", "ap-southeast-2", "ca-central-1"]).Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
                ["launchPermissions"] = new JsonObject { ["accounts"] = new JsonArray("111122223333", "444455556666") },
            },
            ["lifecycle"] = new JsonObject
            {
                ["deprecate"] = new JsonObject { ["afterDays"] = 90 },
                ["delete"] = new JsonObject { ["afterDays"] = 365 },
                ["keepAtLeast"] = 2,
            },
            ["images"] = images,
        };
        return FactoryLoader.Parse(declaration.ToJsonString(), Repository.Path("factory"), "generated");
    }
}
