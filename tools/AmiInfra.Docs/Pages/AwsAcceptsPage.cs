using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using AmiInfra.Rules;

namespace AmiInfra.Docs.Pages;

/// <summary>
/// docs/reference/aws-accepts.md: what AWS accepts, as AmiInfra.Rules writes it once: each public limit, pattern
/// and list with its value and documentation comment (which cites the AWS page), and each rule function.
/// </summary>
public static class AwsAcceptsPage
{
    /// <summary>Lists longer than this show their first items and their count.</summary>
    private const int ListedItems = 16;

    /// <summary>The page.</summary>
    public static Page Page { get; } = new("docs/reference/aws-accepts.md", "the public limits, patterns and rules of src/AmiInfra.Rules and their documentation comments", Generate);

    private static string Generate()
    {
        var assembly = typeof(Shape).Assembly;
        var docs = XmlDocs.Of(assembly);
        var text = new StringBuilder();
        text.Append("# What AWS accepts\n\n");
        text.Append("Each rule about what AWS accepts exists once, in `src/AmiInfra.Rules`, and follows AWS's own pages (the\n");
        text.Append("comment beside each value cites the page; where AWS's pages disagree, it says which was followed). The\n");
        text.Append("declaration loader, the JSON schema, the constructs, the guardrails and `amiinfra audit` all call these.\n");
        text.Append("This page lists each class's public limits, patterns and lists with their values, then its rules\n");
        text.Append("(functions that return the bad value and what is accepted, or nothing).\n\n");

        var types = assembly.GetExportedTypes()
            .Where(t => t is { IsAbstract: true, IsSealed: true } && !t.IsNested || t.IsNested && t.DeclaringType!.IsPublic && t is { IsAbstract: true, IsSealed: true })
            .Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute)))
            .OrderBy(t => t.Namespace, StringComparer.Ordinal).ThenBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        var sections = new List<(Type Type, List<string> Values, List<string> Rules)>();
        foreach (var type in types)
        {
            var values = new List<string>();
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly;
            foreach (var field in type.GetFields(flags))
            {
                if (Value(field.FieldType, field.IsLiteral ? field.GetRawConstantValue() : field.GetValue(null)) is { } value)
                {
                    values.Add($"| `{field.Name}` | {Markdown.Cell(value)} | {Markdown.Cell(docs.Summary(field))} |");
                }
            }

            foreach (var property in type.GetProperties(flags).Where(p => p.GetIndexParameters().Length == 0))
            {
                if (Value(property.PropertyType, property.GetValue(null)) is { } value)
                {
                    values.Add($"| `{property.Name}` | {Markdown.Cell(value)} | {Markdown.Cell(docs.Summary(property))} |");
                }
            }

            var rules = type.GetMethods(flags)
                .Where(m => m.ReturnType == typeof(Problem) && !m.IsSpecialName)
                .GroupBy(m => m.Name, StringComparer.Ordinal)
                .Select(g => $"| `{g.Key}` | {Markdown.Cell(docs.Summary(g.First()))} |")
                .ToList();
            if (values.Count > 0 || rules.Count > 0)
            {
                sections.Add((type, values, rules));
            }
        }

        text.Append("## Contents\n\n");
        foreach (var (type, _, _) in sections)
        {
            text.Append($"- [{Title(type)}](#{Markdown.Anchor(Title(type))})\n");
        }

        text.Append('\n');
        foreach (var (type, values, rules) in sections)
        {
            text.Append("## ").Append(Title(type)).Append("\n\n");
            if (docs.Summary(type) is { } summary)
            {
                text.Append(summary).Append("\n\n");
            }

            if (values.Count > 0)
            {
                text.Append("| name | value | what it is, and where AWS says so |\n|---|---|---|\n").AppendJoin('\n', values).Append("\n\n");
            }

            if (rules.Count > 0)
            {
                text.Append("| rule | what it checks |\n|---|---|\n").AppendJoin('\n', rules).Append("\n\n");
            }
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static string Title(Type type) => type.FullName!["AmiInfra.Rules.".Length..].Replace('+', '.');

    /// <summary>The value of a limit, pattern or list, in words; null for what is not one.</summary>
    private static string? Value(Type type, object? value) => value switch
    {
        null => null,
        Shape shape => $"`{shape.Regex}` ({shape.Accepted})",
        string text => $"`{text}`",
        int or long => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture),
        ITuple { Length: 2 } pair when pair[0] is int or long && pair[1] is int or long => $"{Number(pair[0]!)} to {Number(pair[1]!)}",
        IEnumerable items when type.IsGenericType && type.GetGenericArguments() is [var item] && (item == typeof(string) || item == typeof(int) || item == typeof(long)) => List(items),
        TagRule rule => $"on {rule.Where}: {rule.KeyAccepted}; {rule.ValueAccepted}; at most {Number(rule.MaxTags)} tags",
        ICollection collection when type.IsGenericType => $"{Number(collection.Count)} entries of `{type.GetGenericArguments()[^1].Name}`",
        _ when type.Namespace?.StartsWith("AmiInfra.Rules", StringComparison.Ordinal) == true && !type.IsEnum => $"a `{type.Name}`",
        _ => null,
    };

    private static string Number(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture);

    private static string List(IEnumerable items)
    {
        var all = items.Cast<object>().Select(i => $"`{Convert.ToString(i, CultureInfo.InvariantCulture)}`").ToList();
        return all.Count <= ListedItems ? string.Join(", ", all) : string.Join(", ", all.Take(ListedItems)) + $", … ({all.Count} in all)";
    }
}
