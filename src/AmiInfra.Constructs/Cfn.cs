using Amazon.CDK;
using Constructs;

namespace AmiInfra.Constructs;

/// <summary>
/// Raw CloudFormation resources with properties rendered in C#: one jsii call hands a whole
/// resource over, where typed L1 props cost a call per nested object.
/// </summary>
public static class Cfn
{
    /// <summary>Creates a resource of <paramref name="type"/>; null-valued properties are left out.</summary>
    public static CfnResource Resource(Construct scope, string id, string type, IReadOnlyDictionary<string, object?> properties) =>
        new(scope, id, new CfnResourceProps { Type = type, Properties = Clean(properties) });

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
