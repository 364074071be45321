using Amazon.CDK;
using Constructs;

namespace AmiInfra.Constructs;

/// <summary>
/// Raw CloudFormation resources with properties rendered in C#: one jsii call hands a whole
/// resource over, where typed L1 props cost a call per nested object.
/// </summary>
public static class Cfn
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<CfnResource, Rendered> RenderedResources = [];

    /// <summary>Creates a resource of <paramref name="type"/>; null-valued properties are left out.</summary>
    public static CfnResource Resource(Construct scope, string id, string type, IReadOnlyDictionary<string, object?> properties)
    {
        var clean = Clean(properties);
        var resource = new CfnResource(scope, id, new CfnResourceProps { Type = type, Properties = clean });
        RenderedResources.AddOrUpdate(resource, new Rendered(type, clean));
        return resource;
    }

    /// <summary>
    /// The type and properties a resource was created with here, without asking jsii; null for
    /// resources created otherwise. Property overrides added later are not included.
    /// </summary>
    internal static Rendered? RenderedBy(CfnResource resource) => RenderedResources.TryGetValue(resource, out var rendered) ? rendered : null;

    /// <summary>What <see cref="Resource"/> handed over.</summary>
    internal sealed record Rendered(string Type, Dictionary<string, object> Properties);

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
