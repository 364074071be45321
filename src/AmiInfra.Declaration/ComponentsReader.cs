using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AmiInfra.Rules;
using AmiInfra.Rules.Awstoe;

namespace AmiInfra.Declaration;

/// <summary>
/// Reads an image's <c>components</c>, and gives every component document of the factory a name
/// no other document has.
/// </summary>
internal static partial class ComponentsReader
{
    /// <summary>The fields of an image's <c>components[]</c>.</summary>
    internal static readonly string[] Fields = ["managed", "version", "file", "name", "parameters"];

    public static IReadOnlyList<ComponentReference> Read(JsonFields f, FactoryContext factory, Platform platform)
    {
        var items = f.Array("components", Builds.MaxComponents);
        if (items.Count == 0)
        {
            throw new DeclarationException(f.At("components"), f.Has("components") ? "an empty list" : null, $"a list of 1 to {Builds.MaxComponents} components, each {{ \"managed\": \"update-linux\" }} or {{ \"file\": \"components/x.yml\" }}");
        }

        var result = new List<ComponentReference>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var c = JsonFields.Open(items[i], $"{f.At("components")}[{i}]", Fields);
            if (c.Has("managed") == c.Has("file"))
            {
                throw new DeclarationException(c.Path, c.Has("managed") ? "both managed and file" : "neither managed nor file", "exactly one of managed (an AWS-managed component name) or file (a component document)");
            }

            var managed = c.OptionalChecked("managed", Identifiers.ManagedComponentName);
            var file = c.OptionalString("file", "a path to a component document, relative to the declaration");
            var parameters = c.OptionalMap("parameters", "a text value (Image Builder passes parameters as text)") ?? new SortedDictionary<string, string>(StringComparer.Ordinal);
            ToeDocument? document = null;
            if (file is not null)
            {
                FactoryLoader.RequireFile(c.At("file"), file, factory.BaseDirectory, "a component document (YAML or JSON)");
                file = Normalize(file, factory.BaseDirectory);
                if (c.Has("version"))
                {
                    throw new DeclarationException(c.At("version"), "a version on a component document", "no version: a document's version follows its content");
                }

                document = Document(c, file, factory, platform);
                if (document.CheckPassed(parameters.Keys.ToList()) is { } problem)
                {
                    throw new DeclarationException(c.Has("parameters") && problem.Value is not null ? $"{c.At("parameters")}.{problem.Part}" : c.At("parameters"), problem with { Part = null });
                }
            }
            else
            {
                if (c.Has("name"))
                {
                    throw new DeclarationException(c.At("name"), "a name on a managed component", "no name: an AWS-managed component is named by managed");
                }

                JsonFields.Require(c.At("managed"), ManagedComponents.Check(managed!, ToePlatform(platform), out var warning));
                if (warning is not null)
                {
                    factory.Warnings.Add($"{c.At("managed")}: {warning}");
                }
            }

            result.Add(new ComponentReference
            {
                Managed = managed,
                File = file,
                Name = c.OptionalChecked("name", ComponentName),
                Version = c.OptionalChecked("version", Identifiers.VersionFilter) ?? "x.x.x",
                Parameters = parameters,
                Document = document,
            });
        }

        // "Recipes require a minimum of one build component" (Image Builder API reference, ImageRecipe.components):
        // a document with a test phase only is a test component; a managed one may be either.
        if (result.All(r => r.Document?.Phases is ["test"]))
        {
            throw new DeclarationException(f.At("components"), $"{result.Count} test component{(result.Count == 1 ? "" : "s")} (documents with a test phase only)", "at least one build component: a document with a build or validate phase, or a managed component such as update-linux");
        }

        return result;
    }

    /// <summary>The document of a component, read and checked once per file and platform; problems name the file and line.</summary>
    private static ToeDocument Document(JsonFields c, string file, FactoryContext factory, Platform platform)
    {
        if (factory.Documents.TryGetValue((file, platform), out var known))
        {
            return known;
        }

        var text = File.ReadAllText(Path.Combine(factory.BaseDirectory, file), Encoding.UTF8);
        var reading = ToeDocuments.Read(text, ToePlatform(platform));
        if (reading.Problem is { } problem)
        {
            throw new DeclarationException(c.At("file"), $"{JsonFields.Quote(file)} ({problem.Value})", problem.Accepted);
        }

        var document = reading.Document!;
        factory.Warnings.AddRange(document.Warnings.Select(w => $"{c.At("file")} ({file}, {w})"));
        factory.Documents[(file, platform)] = document;
        return document;
    }

    private static ToePlatforms ToePlatform(Platform platform) => platform == Platform.Windows ? ToePlatforms.Windows : ToePlatforms.Linux;

    /// <summary>What a declared component name must be: it follows the factory name in the component's physical name.</summary>
    internal static readonly Shape ComponentName = new(ComponentNamePattern(), "1 to 64 characters: lower-case letters, digits, '-' and '_', starting with a letter or digit");

    /// <summary>
    /// Names every component document of the factory. A document's name is the one declared, else its
    /// file name without extension (today's name, kept on upgrade), else, when two documents would
    /// share that name, its path without extension: two different documents never get one name.
    /// Declaring two different names for one document, or one name for two documents, is an error.
    /// </summary>
    public static IReadOnlyList<Image> Name(IReadOnlyList<Image> images, string factoryName)
    {
        var uses = new List<(string Path, string File, string? Declared, Platform Platform)>();
        for (var i = 0; i < images.Count; i++)
        {
            for (var c = 0; c < images[i].Components.Count; c++)
            {
                if (images[i].Components[c] is { File: { } file } reference)
                {
                    uses.Add(($"images[{i}].components[{c}]", file, reference.Name, images[i].Platform));
                }
            }
        }

        // One name per file: the declared one (the same wherever the file is used), else the default.
        var declared = new Dictionary<string, (string Name, string Path)>(StringComparer.Ordinal);
        foreach (var use in uses.Where(u => u.Declared is not null))
        {
            if (declared.TryGetValue(use.File, out var earlier) && earlier.Name != use.Declared)
            {
                throw new DeclarationException($"{use.Path}.name", JsonFields.Quote(use.Declared!), $"\"{earlier.Name}\", the name {earlier.Path}.name gives the same document (one document, one name)");
            }

            declared[use.File] = (use.Declared!, use.Path);
        }

        var files = uses.Select(u => u.File).Distinct(StringComparer.Ordinal).ToList();
        var byStem = files.Where(f => !declared.ContainsKey(f)).GroupBy(Stem, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var taken = declared.Values.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var names = files.ToDictionary(
            f => f,
            f => declared.TryGetValue(f, out var d) ? d.Name : byStem[Stem(f)] == 1 && !taken.Contains(Stem(f)) ? Stem(f) : FromPath(f),
            StringComparer.Ordinal);

        // Physical names (with the platform suffix) must differ for different documents.
        var owners = new Dictionary<string, (string File, string Path)>(StringComparer.Ordinal);
        foreach (var use in uses)
        {
            var physical = ComponentReference.PhysicalName(factoryName, names[use.File], use.Platform);
            if (owners.TryGetValue(physical, out var owner) && owner.File != use.File)
            {
                throw new DeclarationException(
                    $"{use.Path}.file",
                    $"{JsonFields.Quote(use.File)}, whose component would be named {physical} like {JsonFields.Quote(owner.File)} ({owner.Path})",
                    "a \"name\" for one of the two components: two different documents never share a component");
            }

            owners.TryAdd(physical, (use.File, use.Path));
        }

        return images.Select(image => image with
        {
            Components = image.Components.Select(c => c.File is null ? c : c with { Name = names[c.File] }).ToList(),
        }).ToList();
    }

    /// <summary>The path relative to the declaration, with / separators and without . or .. segments.</summary>
    private static string Normalize(string file, string baseDirectory) =>
        Path.GetRelativePath(baseDirectory, Path.GetFullPath(Path.Combine(baseDirectory, file))).Replace('\\', '/');

    private static string Stem(string file) => Slug(Path.GetFileNameWithoutExtension(file));

    private static string FromPath(string file)
    {
        // The conventional folder adds nothing to the name: components/al2023/hardening.yml is al2023-hardening.
        var withoutExtension = Path.ChangeExtension(file.StartsWith("components/", StringComparison.Ordinal) ? file["components/".Length..] : file, null)!;
        var slug = Slug(withoutExtension.Replace('/', '-'));
        return slug.Length <= 64 ? slug : $"{slug[..55]}-{Hash(file)}";
    }

    private static string Slug(string text)
    {
        var slug = NotNameCharacter().Replace(text.ToLowerInvariant(), "-").Trim('-');
        return slug.Length == 0 ? "component" : slug;
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8];

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex ComponentNamePattern();

    [GeneratedRegex("[^a-z0-9_-]+")]
    private static partial Regex NotNameCharacter();
}
