using AmiInfra.Constructs.Build;
using AmiInfra.Declaration;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>
/// The factory's components: one per component document and platform, shared by every image that
/// uses it, named as the declaration names it (<see cref="ComponentReference.Name"/>: the file's name,
/// or its path where two files share a name), so adding an image never renames one and two
/// documents never share one.
/// </summary>
public sealed class ComponentCatalog
{
    private readonly Construct _scope;
    private readonly Factory _factory;
    private readonly Dictionary<string, (Component Component, string File)> _components = new(StringComparer.Ordinal);

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
    public IComponent For(ComponentReference reference, Image image)
    {
        if (reference.Managed is { } managed)
        {
            return Component.FromManaged(managed, reference.Version);
        }

        var name = ComponentReference.PhysicalName(_factory.Name, reference.Name!, image.Platform);
        if (_components.TryGetValue(name, out var existing))
        {
            // The loader gives different documents different names; one name, one document.
            if (existing.File != reference.File)
            {
                throw new InvalidOperationException($"component {name} is named for {existing.File} and {reference.File}");
            }

            return Component.FromNameAndVersion(existing.Component.ComponentName, existing.Component.ComponentVersion);
        }

        var component = new Component(_scope, name, new ComponentProps
        {
            ComponentName = name,
            Document = ComponentDocument.Of(reference.Document!, reference.File!),
            Platform = image.Platform == Platform.Windows ? ComponentPlatform.Windows : ComponentPlatform.Linux,
            Tags = new Dictionary<string, string>(_factory.Tags) { [AmiTagKeys.Factory] = _factory.Name },
        });
        _components[name] = (component, reference.File!);
        return Component.FromNameAndVersion(component.ComponentName, component.ComponentVersion);
    }
}
