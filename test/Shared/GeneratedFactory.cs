using System.Text.Json.Nodes;
using AmiInfra.Declaration;

namespace AmiInfra.Testing;

/// <summary>Factories of any size, generated from the default factory's components (for tests and benchmarks).</summary>
internal static class GeneratedFactory
{
    public static readonly string[] FourRegions = ["us-east-1", "eu-west-1", "ap-southeast-2", "ca-central-1"];

    /// <summary>A factory "scale" of <paramref name="count"/> images img-0000..., plus <paramref name="extra"/>.</summary>
    public static Factory Create(string factoryFolder, int count, IEnumerable<string>? extra = null, string[]? regions = null)
    {
        var images = new JsonArray();
        foreach (var name in Enumerable.Range(0, count).Select(i => $"img-{i:0000}").Concat(extra ?? []))
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
                ["regions"] = new JsonArray((regions ?? FourRegions).Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()),
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
        return FactoryLoader.Parse(declaration.ToJsonString(), factoryFolder, "generated");
    }
}
