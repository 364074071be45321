using System.Text;
using System.Text.Json;

namespace AmiInfra.Declaration;

/// <summary>
/// Parses declaration text as JSON (RFC 8259) with one allowance on purpose: comments (<c>//</c> and
/// <c>/* */</c>), so a team can say why a value is what it is. Everything else JSON forbids is an
/// error with its line and column: trailing commas, and a key given twice in one object (which most
/// JSON readers resolve silently, each its own way), reported with both places.
/// </summary>
internal static class StrictJson
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false };

    public static JsonDocument Parse(string json, string source)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new DeclarationException(source, "an empty file", "a JSON object describing the factory");
        }

        // A byte order mark is not JSON, but editors write one: it is not part of the text.
        json = json.TrimStart('\uFEFF');
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e) when (e.BytePositionInLine is null || e.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
        {
            throw new DeclarationException(source, "a file with no JSON in it", "a JSON object describing the factory");
        }
        catch (JsonException e)
        {
            var at = $"{source} (line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1})";
            throw TrailingComma(json)
                ? new DeclarationException(at, "a trailing comma", "JSON without a comma after the last item of an object or list")
                : new DeclarationException(at, "text that is not valid JSON", "a JSON object describing the factory");
        }

        try
        {
            RejectDuplicateKeys(json, source);
        }
        catch
        {
            document.Dispose();
            throw;
        }

        return document;
    }

    private static bool TrailingComma(string json)
    {
        try
        {
            using var lenient = JsonDocument.Parse(json, Options with { AllowTrailingCommas = true });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Walks the tokens and fails on the first key an object has twice, naming both places.</summary>
    private static void RejectDuplicateKeys(string json, string source)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        var scopes = new Stack<Scope>();
        string? pendingKey = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var key = reader.GetString()!;
                    var scope = scopes.Peek();
                    if (scope.Keys!.TryGetValue(key, out var first))
                    {
                        var path = scope.Path.Length == 0 ? key : $"{scope.Path}.{key}";
                        throw new DeclarationException(
                            $"{path} ({source}, {Position(bytes, reader.TokenStartIndex)})",
                            $"the key \"{key}\" a second time in one object (first on {Position(bytes, first)})",
                            "each key once per object: JSON readers disagree on which of two values wins");
                    }

                    scope.Keys[key] = reader.TokenStartIndex;
                    pendingKey = key;
                    continue;
                case JsonTokenType.StartObject:
                    scopes.Push(new Scope(Child(scopes, pendingKey), new Dictionary<string, long>(StringComparer.Ordinal)));
                    break;
                case JsonTokenType.StartArray:
                    scopes.Push(new Scope(Child(scopes, pendingKey), null));
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    scopes.Pop();
                    Advance(scopes);
                    break;
                default:
                    Advance(scopes);
                    break;
            }

            pendingKey = null;
        }
    }

    private static string Child(Stack<Scope> scopes, string? key)
    {
        if (scopes.Count == 0)
        {
            return "";
        }

        var parent = scopes.Peek();
        return parent.Keys is null
            ? $"{parent.Path}[{parent.Index}]"
            : parent.Path.Length == 0 ? key! : $"{parent.Path}.{key}";
    }

    /// <summary>After a value in a list, the next one has the next index.</summary>
    private static void Advance(Stack<Scope> scopes)
    {
        if (scopes.Count > 0 && scopes.Peek().Keys is null)
        {
            scopes.Peek().Index++;
        }
    }

    private static string Position(byte[] bytes, long offset)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        var column = Encoding.UTF8.GetCharCount(bytes, lineStart, (int)offset - lineStart) + 1;
        return $"line {line}, column {column}";
    }

    private sealed class Scope(string path, Dictionary<string, long>? keys)
    {
        public string Path { get; } = path;

        public Dictionary<string, long>? Keys { get; } = keys;

        public int Index { get; set; }
    }
}
