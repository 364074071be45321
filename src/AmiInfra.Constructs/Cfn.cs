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

    /// <summary>
    /// Findings acknowledged on the resource, written as its <c>cdk_nag</c> metadata (which cdk-nag and the
    /// guardrails both read). Default: none.
    /// </summary>
    public IReadOnlyList<Acknowledgement> Acknowledgements { get; init; } = [];

    /// <summary>A definition from properties that may hold nulls (left out).</summary>
    public static CfnDefinition Of(string type, IReadOnlyDictionary<string, object?> properties) => new(type, Cfn.Clean(properties));

    /// <summary>This definition with <paramref name="acknowledgements"/> added.</summary>
    public CfnDefinition Acknowledging(params Acknowledgement[] acknowledgements) =>
        this with { Acknowledgements = [.. Acknowledgements, .. acknowledgements] };
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

    /// <summary>
    /// Creates the resource <paramref name="definition"/> describes, in one jsii call. A resource whose type takes tags
    /// (the Image Builder types, Recycle Bin rules, or any definition with a Tags property) is taggable:
    /// <c>Tags.Of(scope)</c> reaches it, and its own Tags are its initial tags, which win over tags added with a
    /// priority below 50 and give way to those added with a higher one (the default is 100), as for the CDK's own L1s.
    /// </summary>
    public static CfnResource Resource(Construct scope, string id, CfnDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        CfnValuesCheck.RejectFragmentReferences(definition.Properties, () => $"{scope.Node.Path}/{id}");
        var resource = TaggableResource.Create(scope, id, definition);
        RenderedResources.AddOrUpdate(resource, definition);
        if (definition.Acknowledgements.Count > 0)
        {
            resource.AddMetadata(NagMetadata.Key, NagMetadata.Render(definition.Acknowledgements));
        }

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
