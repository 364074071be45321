using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AmiInfra.Docs.Pages;

/// <summary>docs/reference/declaration.md: every field of the declaration, from factory/factory.schema.json.</summary>
public static partial class DeclarationPage
{
    /// <summary>The page.</summary>
    public static Page Page { get; } = new("docs/reference/declaration.md", "factory/factory.schema.json", Generate);

    public static string Generate()
    {
        var text = new StringBuilder();
        text.Append("# Declaration reference\n\n");
        text.Append("Every field of a factory declaration (`factory/factory.json`), as its JSON Schema,\n");
        text.Append("[`factory/factory.schema.json`](../../factory/factory.schema.json), declares it. The default declaration\n");
        text.Append("names the schema in `\"$schema\"`, so editors that read JSON Schema complete and check it as you type.\n");
        text.Append("AmiInfra's loader accepts the same fields and checks every rule below, and a few more that a\n");
        text.Append("schema cannot express (values compared with one another, the factory's and an image's blocks\n");
        text.Append("merged, files that must exist); a test keeps the schema, the loader and this page in agreement.\n\n");
        text.Append("This page is generated from the schema. After changing the schema, regenerate it with\n\n");
        text.Append("    ").Append(Repository.Command).Append("\n\n");
        text.Append("(CI and `dotnet test` fail while this page differs from the schema.)\n\n");
        text.Append("In paths, `images[]` stands for every item of the list `images`. Patterns are regular expressions.\n");
        text.Append("A field given as `null` counts as absent.\n\n");
        text.Append("The file is JSON (RFC 8259), read strictly, with one allowance made on purpose: comments (`//` and\n");
        text.Append("`/* */`) are accepted, so that a team can say why a value is what it is. A trailing comma, and a key\n");
        text.Append("given twice in one object (which JSON readers resolve each their own way), are errors that name the\n");
        text.Append("line and column (of both places, for a duplicate key). A byte order mark at the start is ignored.\n\n");

        foreach (var o in SchemaModel.Objects)
        {
            text.Append("## ").Append(o.Path.Length == 0 ? "Top level" : $"`{o.Path}`").Append("\n\n");
            if ((string?)o.Schema["description"] is { } description)
            {
                text.Append(description).Append('\n');
            }

            if (Combination(o.Schema) is { } combination)
            {
                text.Append('\n').Append(char.ToUpperInvariant(combination[0])).Append(combination[1..]).Append(".\n");
            }

            text.Append("\n| Field | Type | Default | Accepted | Description |\n|---|---|---|---|---|\n");
            foreach (var f in o.Fields)
            {
                var (what, fallback) = SplitDefault(f.Description);
                var value = f.Own["default"] ?? f.Resolved["default"];
                var @default = f.Required ? "required" : fallback ?? (value is null ? "—" : $"`{value.ToJsonString()}`");
                text.Append($"| `{f.Path}` | {Type(f.Resolved)} | {Cell(@default)} | {Cell(Accepted(f.Own, f.Resolved))} | {Cell(what)} |\n");
            }

            text.Append('\n');
        }

        text.Append("## Regions\n\n");
        text.Append("The region codes accepted wherever a region is asked for. A factory lives in the partition of its\n");
        text.Append("home `region`: every other region it names, and every ARN, must be of the same partition (AMIs are\n");
        text.Append("never copied or shared across partitions).\n\n");
        foreach (var partition in AmiInfra.Rules.Partitions.All)
        {
            text.Append($"- {char.ToUpperInvariant(partition.Title[0])}{partition.Title[1..]} (`{partition.Name}`): ");
            text.Append(string.Join(", ", Regions.Where(partition.Regions.Contains).Select(r => $"`{r}`"))).Append(".\n");
        }

        return text.ToString();
    }

    private static IEnumerable<string> Regions => SchemaModel.Root["$defs"]!["region"]!["enum"]!.AsArray().Select(r => (string)r!);

    /// <summary>Splits "What it is. Default: X." into the description and the default.</summary>
    private static (string Description, string? Default) SplitDefault(string description)
    {
        var text = description.EndsWith(" Required.", StringComparison.Ordinal) ? description[..^" Required.".Length] : description;
        var at = text.IndexOf(" Default: ", StringComparison.Ordinal);
        return at < 0 ? (text, null) : (text[..at], text[(at + " Default: ".Length)..].TrimEnd('.'));
    }

    private static string Type(JsonObject schema)
    {
        var type = (string?)schema["type"];
        return type switch
        {
            "array" => "list of " + Plural(Type(SchemaModel.Resolve(schema["items"]!.AsObject()))),
            "object" when schema["properties"] is null => "map of " + Type(schema["additionalProperties"]!.AsObject()),
            null => "any",
            _ => type,
        };
    }

    private static string Plural(string type) => type switch
    {
        "string" => "strings",
        "object" => "objects",
        "integer" => "integers",
        _ => type,
    };

    /// <summary>What the schema accepts, in words.</summary>
    private static string Accepted(JsonObject own, JsonObject schema)
    {
        var parts = new List<string>();
        var reference = SchemaModel.Reference(own);
        if (reference == "region")
        {
            return "an AWS region code (see [Regions](#regions))";
        }

        if (schema["enum"] is JsonArray values)
        {
            parts.Add(string.Join(", ", values.Select(v => $"`{(v is JsonValue text && text.TryGetValue<string>(out var name) ? name : v!.ToJsonString())}`")));
        }

        if ((string?)schema["type"] == "boolean")
        {
            parts.Add("`true` or `false`");
        }

        var patterns = new[] { schema }.Concat(schema["allOf"]?.AsArray().Select(a => a!.AsObject()) ?? [])
            .Select(s => (string?)s["pattern"]).OfType<string>().ToList();
        if (patterns.Count > 0)
        {
            parts.Add("matching " + string.Join(" and ", patterns.Select(p => $"`{p}`")));
        }

        parts.Add(Range(schema["minLength"], schema["maxLength"], "characters"));
        parts.Add(Range(schema["minimum"], schema["maximum"], null));

        switch ((string?)schema["type"])
        {
            case "array":
                var items = schema["items"]!.AsObject();
                var resolvedItems = SchemaModel.Resolve(items);
                if (resolvedItems["properties"] is not null)
                {
                    parts.Add("each as below");
                }
                else if (Accepted(items, resolvedItems) is { Length: > 0 } each)
                {
                    parts.Add("each " + each);
                }

                parts.Add(Range(schema["minItems"], schema["maxItems"], "items"));
                if ((bool?)schema["uniqueItems"] == true)
                {
                    parts.Add("no duplicates");
                }

                break;
            case "object" when schema["properties"] is null:
                if (schema["propertyNames"]?["pattern"] is { } keys)
                {
                    parts.Add($"keys matching `{(string)keys!}`");
                }

                if (schema["additionalProperties"] is JsonObject valueSchema && Accepted(valueSchema, valueSchema) is { Length: > 0 } valueText)
                {
                    parts.Add("values " + valueText);
                }

                parts.Add(Range(schema["minProperties"], schema["maxProperties"], "entries"));
                break;
            case "object":
                parts.Add("an object (see below)");
                if (Combination(schema) is { } combination)
                {
                    parts.Add(combination);
                }

                break;
        }

        return string.Join("; ", parts.Where(p => p.Length > 0));
    }

    /// <summary>"exactly one of a, b" for a oneOf of required fields; "at least one of a, b" for an anyOf.</summary>
    private static string? Combination(JsonObject schema)
    {
        foreach (var (keyword, words) in new[] { ("oneOf", "exactly one of"), ("anyOf", "at least one of") })
        {
            if (schema[keyword] is JsonArray branches && branches.All(b => b?["required"] is JsonArray))
            {
                return words + " " + string.Join(", ", branches.Select(b => $"`{(string)b!["required"]![0]!}`"));
            }
        }

        return null;
    }

    private static string Range(JsonNode? min, JsonNode? max, string? unit)
    {
        var suffix = unit is null ? "" : " " + (min is not null && max is null && (long)min == 1 ? unit.TrimEnd('s') : unit);
        string Number(JsonNode n) => ((long)n).ToString("N0", CultureInfo.InvariantCulture);
        return (min, max) switch
        {
            (null, null) => "",
            ({ } a, null) => $"at least {Number(a)}{suffix}",
            (null, { } b) => $"at most {Number(b)}{suffix}",
            ({ } a, { } b) => $"{Number(a)} to {Number(b)}{suffix}",
        };
    }

    /// <summary>Text fit for a table cell: pipes escaped, one line.</summary>
    private static string Cell(string text) => LineBreak().Replace(text, " ").Replace("|", "\\|", StringComparison.Ordinal);

    [GeneratedRegex("\\s*\\n\\s*")]
    private static partial Regex LineBreak();
}
