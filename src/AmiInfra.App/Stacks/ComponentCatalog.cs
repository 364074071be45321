using AmiInfra.Constructs.Build;
using AmiInfra.Declaration;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>
/// The factory's components: one per component document and platform, shared by every image
/// that uses it, named after the document so adding an image never renames one.
/// </summary>
public sealed class ComponentCatalog
{
    private readonly Construct _scope;
    private readonly Factory _factory;
    private readonly Dictionary<string, Component> _components = new(StringComparer.Ordinal);

    /// <summary>Creates an empty catalog whose components live under <paramref name="scope"/>.</summary>
    public ComponentCatalog(Construct scope, Factory factory)
    {
        _scope = new Construct(scope, "Components");
        _factory = factory;
    }

    /// <summary>
    /// The component a recipe of <paramref name="image"/> refers to, created here on first use; the
    /// reference returned is built from name and version, so recipes in other stacks can use it.
    /// </summary>
    public IComponent For(ComponentReference reference, Image image, string path)
    {
        if (reference.Managed is { } managed)
        {
            return Component.FromManaged(managed, reference.Version);
        }

        var file = reference.File!;
        var stem = Path.GetFileNameWithoutExtension(file).ToLowerInvariant();
        var name = image.Platform == Platform.Windows ? $"{_factory.Name}-{stem}-windows" : $"{_factory.Name}-{stem}";
        if (_components.TryGetValue(name, out var existing))
        {
            return Component.FromNameAndVersion(existing.Name, existing.Version);
        }

        ComponentDocument document;
        try
        {
            document = ComponentDocument.FromFile(Path.Combine(_factory.BaseDirectory, file));
        }
        catch (AmiInfra.Constructs.ConstructValidationException e)
        {
            var at = e.Where.IndexOf(" (line ", StringComparison.Ordinal) is var i and >= 0 ? e.Where[(i + 2)..^1] + ": " : "";
            throw new DeclarationException($"{path}.file", $"\"{file}\" ({at}{e.Value})", e.Accepted);
        }

        var component = new Component(_scope, name, new ComponentProps
        {
            Name = name,
            Document = document,
            Platform = image.Platform == Platform.Windows ? ComponentPlatform.Windows : ComponentPlatform.Linux,
            Tags = new Dictionary<string, string>(_factory.Tags) { [AmiTagKeys.Factory] = _factory.Name },
        });
        _components[name] = component;
        return Component.FromNameAndVersion(component.Name, component.Version);
    }
}
