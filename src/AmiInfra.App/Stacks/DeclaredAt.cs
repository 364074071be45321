using System.Text.RegularExpressions;
using AmiInfra.Constructs;
using AmiInfra.Declaration;

namespace AmiInfra.App.Stacks;

/// <summary>
/// Reports a construct's rejection by the declaration field it came from. The loader checks every
/// rule the constructs check, so this is the safety net: should a prop the app derived from the
/// declaration be rejected by a construct, the message still starts with the declaration's path
/// (<c>images[0].description</c>), never with a construct path only the app knows.
/// </summary>
internal static partial class DeclaredAt
{
    /// <summary>Runs <paramref name="create"/>; a rejection of a prop maps onto the declaration field <paramref name="fields"/> names for it.</summary>
    /// <param name="where">The location the construct or render method was given (its errors start with it).</param>
    /// <param name="path">The declaration path of what is being created (e.g. images[0]).</param>
    /// <param name="fields">Construct props (first segments after <paramref name="where"/>, indices ignored) and the declaration fields they come from, relative to <paramref name="path"/>.</param>
    /// <param name="create">What to run.</param>
    /// <param name="fallback">The declaration field when no prop matches. Default: <paramref name="path"/>.</param>
    public static T Run<T>(string where, string path, IReadOnlyDictionary<string, string> fields, Func<T> create, string? fallback = null)
    {
        try
        {
            return create();
        }
        catch (ConstructValidationException e)
        {
            throw Translate(e, where, path, fields, fallback);
        }
    }

    /// <summary>The declaration error for a construct's rejection.</summary>
    public static DeclarationException Translate(ConstructValidationException e, string where, string path, IReadOnlyDictionary<string, string> fields, string? fallback = null)
    {
        // Constructs name their path, which inside a pipeline stage starts with the stage's: what follows where is the prop.
        var at = e.Where.StartsWith(where, StringComparison.Ordinal) ? 0 : e.Where.IndexOf("/" + where, StringComparison.Ordinal) + 1;
        var prop = at > 0 || e.Where.StartsWith(where, StringComparison.Ordinal) ? e.Where[(at + where.Length)..].TrimStart('.', '/') : e.Where;
        var match = fields
            .Where(f => Indices().Replace(prop, "").StartsWith(f.Key, StringComparison.Ordinal))
            .OrderByDescending(f => f.Key.Length)
            .Select(f => f.Value)
            .FirstOrDefault();
        var field = match is null || match.Length == 0 ? fallback ?? path : path.Length == 0 ? match : $"{path}.{match}";
        var value = e.Value is null ? null : $"{e.Value} (as {prop})";
        return new DeclarationException(field, value, e.Accepted);
    }

    [GeneratedRegex("\\[[0-9]+\\]")]
    private static partial Regex Indices();
}
