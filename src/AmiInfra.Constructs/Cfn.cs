using Amazon.CDK;
using Constructs;

namespace AmiInfra.Constructs;

/// <summary>
/// A CloudFormation resource rendered in C#: its type and properties (PascalCase, without null
/// values), ready to be handed to the CDK in one call, as a <see cref="CfnResource"/>
/// (<see cref="Cfn.Resource(Construct, string, CfnDefinition)"/>) or with others in a <see cref="CfnFragment"/>.
/// </summary>
/// <param name="Type">The resource type, e.g. AWS::ImageBuilder::ImageRecipe.</param>
/// <param name="Properties">The properties, as the template has them.</param>
public sealed record CfnDefinition(string Type, IReadOnlyDictionary<string, object> Properties)
{
    /// <summary>What a reader of the synth output should know about the resource (reported as warnings). Default: none.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>A definition from properties that may hold nulls (left out).</summary>
    public static CfnDefinition Of(string type, IReadOnlyDictionary<string, object?> properties) => new(type, Cfn.Clean(properties));
}

/// <summary>
/// Raw CloudFormation resources with properties rendered in C#: one jsii call hands a whole
/// resource over, where typed L1 props cost a call per nested object.
/// </summary>
public static class Cfn
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CfnResource, CfnDefinition> RenderedResources = [];

    /// <summary>Creates a resource of <paramref name="type"/>; null-valued properties are left out.</summary>
    public static CfnResource Resource(Construct scope, string id, string type, IReadOnlyDictionary<string, object?> properties) =>
        Resource(scope, id, CfnDefinition.Of(type, properties));

    /// <summary>Creates the resource <paramref name="definition"/> describes, in one jsii call.</summary>
    public static CfnResource Resource(Construct scope, string id, CfnDefinition definition)
    {
        var properties = definition.Properties as IDictionary<string, object> ?? new Dictionary<string, object>(definition.Properties, StringComparer.Ordinal);
        var resource = new CfnResource(scope, id, new CfnResourceProps { Type = definition.Type, Properties = properties });
        RenderedResources.AddOrUpdate(resource, definition);
        return resource;
    }

    /// <summary>
    /// The type and properties a resource was created with here, without asking jsii; null for
    /// resources created otherwise. Property overrides added later are not included.
    /// </summary>
    internal static CfnDefinition? RenderedBy(CfnResource resource) => RenderedResources.TryGetValue(resource, out var rendered) ? rendered : null;

    /// <summary>A map without its null values (CloudFormation rejects nulls).</summary>
    public static Dictionary<string, object> Clean(IReadOnlyDictionary<string, object?> properties)
    {
        var result = new Dictionary<string, object>(properties.Count, StringComparer.Ordinal);
        foreach (var (key, value) in properties)
        {
            if (value is not null)
            {
                result[key] = value;
            }
        }

        return result;
    }

    /// <summary>Tags as a CloudFormation list of Key/Value objects, ordered by key; null when empty.</summary>
    public static object[]? TagList(IReadOnlyDictionary<string, string> tags) =>
        tags.Count == 0
            ? null
            : tags.OrderBy(t => t.Key, StringComparer.Ordinal)
                .Select(t => (object)new Dictionary<string, object> { ["Key"] = t.Key, ["Value"] = t.Value })
                .ToArray();

    /// <summary>Tags as a CloudFormation map (Image Builder's style); null when empty.</summary>
    public static Dictionary<string, object>? TagMap(IReadOnlyDictionary<string, string> tags) =>
        tags.Count == 0 ? null : tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(t => t.Key, t => (object)t.Value, StringComparer.Ordinal);
}
