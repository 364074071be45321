using System.Globalization;
using System.Text.Json;
using AmiInfra.Rules;

namespace AmiInfra.Declaration;

/// <summary>
/// Reads one JSON object of the declaration, field by field, keeping the path so that every
/// error names the field it is about. Unknown fields are rejected when the reader is opened.
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _element;

    private JsonFields(JsonElement element, string path)
    {
        _element = element;
        Path = path;
    }

    public string Path { get; }

    public static JsonFields Open(JsonElement element, string path, params string[] known)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new DeclarationException(path, Render(element), "an object");
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Name == "$schema" && path.Length == 0)
            {
                continue;
            }

            if (System.Array.IndexOf(known, property.Name) < 0)
            {
                throw new DeclarationException(
                    Join(path, property.Name),
                    "an unknown field",
                    "one of the fields " + string.Join(", ", known));
            }
        }

        return new JsonFields(element, path);
    }

    public string At(string name) => Join(Path, name);

    public static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Index(string path, int index) => $"{path}[{index}]";

    public bool Has(string name) =>
        _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    public JsonElement? Element(string name) =>
        _element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public JsonFields Object(string name, params string[] known) =>
        Element(name) is { } e ? Open(e, At(name), known) : throw new DeclarationException(At(name), null, "an object with the fields " + string.Join(", ", known));

    public JsonFields? OptionalObject(string name, params string[] known) =>
        Element(name) is { } e ? Open(e, At(name), known) : null;

    public string RequiredString(string name, string accepted) =>
        OptionalString(name, accepted) ?? throw new DeclarationException(At(name), null, accepted);

    public string? OptionalString(string name, string accepted)
    {
        if (Element(name) is not { } e)
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw new DeclarationException(At(name), Render(e), accepted);
    }

    public bool? OptionalBool(string name)
    {
        if (Element(name) is not { } e)
        {
            return null;
        }

        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new DeclarationException(At(name), Render(e), "true or false"),
        };
    }

    public int? OptionalInt(string name, int min, int max, string? unit = null)
    {
        if (Element(name) is not { } e)
        {
            return null;
        }

        var accepted = $"a whole number from {min} to {max}{(unit is null ? "" : " " + unit)}";
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out var value))
        {
            throw new DeclarationException(At(name), Render(e), accepted);
        }

        return value < min || value > max
            ? throw new DeclarationException(At(name), value.ToString(CultureInfo.InvariantCulture), accepted)
            : (int)value;
    }

    public IReadOnlyList<JsonElement> Array(string name, int maxItems = int.MaxValue)
    {
        if (Element(name) is not { } e)
        {
            return [];
        }

        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new DeclarationException(At(name), Render(e), "a list");
        }

        var items = e.EnumerateArray().ToList();
        return items.Count > maxItems
            ? throw new DeclarationException(At(name), $"{items.Count} items", $"at most {maxItems} items")
            : items;
    }

    public IReadOnlyList<string>? OptionalStrings(string name, string accepted, int maxItems = int.MaxValue)
    {
        if (!Has(name))
        {
            return null;
        }

        var items = Array(name, maxItems);
        var result = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].ValueKind != JsonValueKind.String)
            {
                throw new DeclarationException(Index(At(name), i), Render(items[i]), accepted);
            }

            result.Add(items[i].GetString()!);
        }

        return result;
    }

    public IReadOnlyDictionary<string, string>? OptionalMap(string name, string accepted)
    {
        if (Element(name) is not { } e)
        {
            return null;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new DeclarationException(At(name), Render(e), "an object of names to text values");
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in e.EnumerateObject())
        {
            var value = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                _ => throw new DeclarationException(Join(At(name), property.Name), Render(property.Value), accepted),
            };
            result[property.Name] = value;
        }

        return result;
    }

    /// <summary>A required text field that <paramref name="shape"/> accepts.</summary>
    public string Checked(string name, Shape shape) => Checked(name, shape.Check, shape.Accepted);

    /// <summary>A required text field that <paramref name="rule"/> accepts; <paramref name="accepted"/> says what when it is missing.</summary>
    public string Checked(string name, Func<string, Problem?> rule, string accepted)
    {
        var value = RequiredString(name, accepted);
        Require(At(name), rule(value));
        return value;
    }

    /// <summary>An optional text field that <paramref name="shape"/> accepts; null when absent.</summary>
    public string? OptionalChecked(string name, Shape shape) => Has(name) ? Checked(name, shape) : null;

    /// <summary>An optional list of text values, each accepted by <paramref name="shape"/>; with <paramref name="distinct"/>, none listed twice.</summary>
    public IReadOnlyList<string>? CheckedList(string name, Shape shape, int maxItems = int.MaxValue, bool distinct = false)
    {
        var list = OptionalStrings(name, shape.Accepted, maxItems);
        if (list is not null)
        {
            Require(At(name), distinct ? shape.CheckAll(list) : FirstBad(list, shape));
        }

        return list;
    }

    private static Problem? FirstBad(IReadOnlyList<string> list, Shape shape)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (shape.Check(list[i]) is { } problem)
            {
                return problem with { Index = i };
            }
        }

        return null;
    }

    /// <summary>An optional whole number of any size; <paramref name="accepted"/> says what when it is not one.</summary>
    public int? OptionalWholeNumber(string name, string accepted)
    {
        if (Element(name) is not { } e)
        {
            return null;
        }

        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var value)
            ? value
            : throw new DeclarationException(At(name), Render(e), accepted);
    }

    /// <summary>An optional whole number that <paramref name="range"/> holds.</summary>
    public int? OptionalInt(string name, (int Min, int Max) range, string? unit = null) => OptionalInt(name, range.Min, range.Max, unit);

    /// <summary>Throws the declaration error for <paramref name="problem"/> at <paramref name="path"/>, if there is one.</summary>
    public static void Require(string path, Problem? problem)
    {
        if (problem is not null)
        {
            throw new DeclarationException(path, problem);
        }
    }

    /// <summary>Renders a JSON value for an error message, short enough for one line.</summary>
    public static string Render(JsonElement element)
    {
        var text = element.ValueKind switch
        {
            JsonValueKind.String => Quote(element.GetString()!),
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "a list",
            JsonValueKind.Null => "null",
            _ => element.GetRawText(),
        };
        return text;
    }

    /// <summary>Quotes a text value for an error message, shortened when long.</summary>
    public static string Quote(string value) => Text.Quote(value);
}
