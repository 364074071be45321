using System.Text.Json.Nodes;

namespace AmiInfra.Docs.Pages;

/// <summary>A field of the declaration as the schema declares it.</summary>
/// <param name="Path">The field's path, such as <c>images[].distribution.regions</c>.</param>
/// <param name="Name">The field's name in its object.</param>
/// <param name="Own">The property's schema as written (it may hold a <c>$ref</c> and a description beside it).</param>
/// <param name="Resolved">The property's schema with its <c>$ref</c> followed.</param>
/// <param name="Required">Whether the object requires the field.</param>
public sealed record SchemaField(string Path, string Name, JsonObject Own, JsonObject Resolved, bool Required)
{
    /// <summary>The description written beside the <c>$ref</c>, else the referenced schema's.</summary>
    public string Description => (string?)Own["description"] ?? (string?)Resolved["description"] ?? "";
}

/// <summary>An object of the declaration (one that has named fields) as the schema declares it.</summary>
/// <param name="Path">The object's path: <c>""</c> for the top level, <c>images[]</c> for an image.</param>
/// <param name="Schema">The object's schema.</param>
/// <param name="Fields">Its fields, in the schema's order.</param>
public sealed record SchemaObject(string Path, JsonObject Schema, IReadOnlyList<SchemaField> Fields);

/// <summary>factory/factory.schema.json, walked into the objects and fields it declares.</summary>
public static class SchemaModel
{
    public static string SchemaPath { get; } = System.IO.Path.Combine(Repository.Root, "factory", "factory.schema.json");

    public static JsonObject Root { get; } = JsonNode.Parse(File.ReadAllText(SchemaPath))!.AsObject();

    /// <summary>Every object of the declaration, depth first, in the schema's order.</summary>
    public static IReadOnlyList<SchemaObject> Objects { get; } = Walk();

    /// <summary>Follows a <c>$ref</c> into <c>$defs</c> (the schema has no other kind).</summary>
    public static JsonObject Resolve(JsonObject schema)
    {
        var reference = (string?)schema["$ref"];
        if (reference is null)
        {
            return schema;
        }

        const string prefix = "#/$defs/";
        if (!reference.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the schema refers to '{reference}'; only references into {prefix} are read");
        }

        return Resolve(Root["$defs"]![reference[prefix.Length..]]!.AsObject());
    }

    /// <summary>The name of the definition a schema refers to, if any.</summary>
    public static string? Reference(JsonObject schema) =>
        (string?)schema["$ref"] is { } reference ? reference[(reference.LastIndexOf('/') + 1)..] : null;

    private static List<SchemaObject> Walk()
    {
        var objects = new List<SchemaObject>();
        Visit(Root, "", objects);
        return objects;
    }

    private static void Visit(JsonObject schema, string path, List<SchemaObject> objects)
    {
        var resolved = Resolve(schema);
        if (resolved["properties"] is JsonObject properties)
        {
            var required = resolved["required"]?.AsArray().Select(r => (string)r!).ToHashSet(StringComparer.Ordinal) ?? [];
            var fields = new List<SchemaField>();
            foreach (var (name, node) in properties)
            {
                var own = node!.AsObject();
                fields.Add(new SchemaField(path.Length == 0 ? name : $"{path}.{name}", name, own, Resolve(own), required.Contains(name)));
            }

            objects.Add(new SchemaObject(path, resolved, fields));
            foreach (var field in fields.Where(f => f.Name != "$schema"))
            {
                Visit(field.Own, field.Path, objects);
            }
        }
        else if (resolved["items"] is JsonObject items)
        {
            Visit(items, path + "[]", objects);
        }
    }
}
