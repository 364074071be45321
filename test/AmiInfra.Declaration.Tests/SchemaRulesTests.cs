using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AmiInfra.Declaration.Tests;

/// <summary>
/// The schema's constraints are the rules' (<see cref="SchemaRules"/>): each value the table names
/// is in the schema as the rule has it, and every constraint of the schema is either such a value or
/// one of the product's own, listed with its reason. With AMIINFRA_UPDATE_SCHEMA=1 the test writes
/// the table's values into factory/factory.schema.json instead of failing.
/// </summary>
public sealed class SchemaRulesTests
{
    private static readonly string[] ConstraintKeywords =
        ["pattern", "minimum", "maximum", "minItems", "maxItems", "minLength", "maxLength", "maxProperties", "enum", "const"];

    [Fact]
    public void Schema_constraints_are_the_rules_the_loader_applies()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaModel.SchemaPath))!;
        var expected = schema.DeepClone();
        foreach (var value in SchemaRules.Values)
        {
            Apply(expected, value);
        }

        if (Environment.GetEnvironmentVariable(SchemaRules.UpdateVariable) == "1")
        {
            var options = new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            File.WriteAllText(SchemaModel.SchemaPath, expected.ToJsonString(options) + "\n");
            schema = expected;
        }

        var differences = SchemaRules.Values
            .Where(v => !JsonNode.DeepEquals(At(schema, v.Pointer), v.Value))
            .Select(v => $"{v.Pointer}: the schema has {At(schema, v.Pointer)?.ToJsonString() ?? "nothing"}, {v.From} gives {v.Value?.ToJsonString() ?? "nothing"}")
            .ToList();
        Assert.True(differences.Count == 0, $"the schema differs from the rules (regenerate with {SchemaRules.UpdateVariable}=1 dotnet test test/AmiInfra.Declaration.Tests):\n" + string.Join("\n", differences));
    }

    [Fact]
    public void Every_constraint_of_the_schema_is_a_rule_or_the_products_own()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaModel.SchemaPath))!;
        var fromRules = SchemaRules.Values.Select(v => v.Pointer).ToList();
        var unexplained = Constraints(schema, "")
            .Where(pointer => !fromRules.Any(r => pointer == r || pointer.StartsWith(r + "/", StringComparison.Ordinal)))
            .Where(pointer => !SchemaRules.ProductConstraints.ContainsKey(pointer))
            .ToList();

        Assert.True(unexplained.Count == 0, "constraints of the schema that no rule gives: " + string.Join(", ", unexplained));
    }

    [Fact]
    public void Product_constraints_are_in_the_schema()
    {
        var schema = JsonNode.Parse(File.ReadAllText(SchemaModel.SchemaPath))!;

        Assert.All(SchemaRules.ProductConstraints.Keys, pointer => Assert.NotNull(At(schema, pointer)));
    }

    private static IEnumerable<string> Constraints(JsonNode node, string pointer)
    {
        switch (node)
        {
            case JsonObject map:
                foreach (var (key, child) in map)
                {
                    var at = $"{pointer}/{key}";
                    if (ConstraintKeywords.Contains(key))
                    {
                        yield return at;
                    }

                    if (child is not null)
                    {
                        foreach (var inner in Constraints(child, at))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } item)
                    {
                        foreach (var inner in Constraints(item, $"{pointer}/{i}"))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
        }
    }

    private static JsonNode? At(JsonNode root, string pointer)
    {
        JsonNode? node = root;
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node switch
            {
                JsonObject map => map[segment],
                JsonArray list when int.TryParse(segment, out var i) && i < list.Count => list[i],
                _ => null,
            };
        }

        return node;
    }

    private static void Apply(JsonNode root, SchemaValue value)
    {
        var segments = value.Pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = root;
        foreach (var segment in segments[..^1])
        {
            parent = parent[segment] ??= new JsonObject();
        }

        var map = parent.AsObject();
        if (value.Value is null)
        {
            map.Remove(segments[^1]);
        }
        else
        {
            map[segments[^1]] = value.Value.DeepClone();
        }
    }
}
