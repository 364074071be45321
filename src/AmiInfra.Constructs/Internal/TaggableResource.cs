using Amazon.CDK;
using Constructs;

namespace AmiInfra.Constructs;

/// <summary>
/// A raw <see cref="CfnResource"/> with a tag manager, so that <c>Tags.Of(scope)</c> reaches it as it reaches the
/// CDK's typed L1s: the CDK renders the manager's tags into the Tags property (<see cref="ITaggableV2"/>). The
/// resource's own tags are the manager's initial tags (priority 50).
/// </summary>
internal sealed class TaggableResource : CfnResource, ITaggableV2
{
    /// <summary>Resource types whose Tags property is a map (Image Builder) or a list of Key/Value objects.</summary>
    private static readonly Dictionary<string, TagType> KnownTagTypes = new(StringComparer.Ordinal)
    {
        ["AWS::ImageBuilder::Component"] = TagType.MAP,
        ["AWS::ImageBuilder::ImageRecipe"] = TagType.MAP,
        ["AWS::ImageBuilder::InfrastructureConfiguration"] = TagType.MAP,
        ["AWS::ImageBuilder::DistributionConfiguration"] = TagType.MAP,
        ["AWS::ImageBuilder::ImagePipeline"] = TagType.MAP,
        ["AWS::ImageBuilder::LifecyclePolicy"] = TagType.MAP,
        ["AWS::ImageBuilder::Workflow"] = TagType.MAP,
        ["AWS::Rbin::Rule"] = TagType.KEY_VALUE,
    };

    private TaggableResource(Construct scope, string id, string type, IDictionary<string, object> properties, TagType tagType, IDictionary<string, string> tags)
        : base(scope, id, new CfnResourceProps { Type = type, Properties = properties })
    {
        CdkTagManager = new TagManager(tagType, type, tags, new TagManagerOptions { TagPropertyName = "Tags" });
    }

    /// <inheritdoc />
    public TagManager CdkTagManager { get; }

    /// <summary>A taggable resource when the type takes tags, a plain one otherwise.</summary>
    public static CfnResource Create(Construct scope, string id, CfnDefinition definition)
    {
        var properties = new Dictionary<string, object>(definition.Properties, StringComparer.Ordinal);
        var tagType = TagTypeOf(definition.Type, properties.GetValueOrDefault("Tags"));
        if (tagType is null)
        {
            return new CfnResource(scope, id, new CfnResourceProps { Type = definition.Type, Properties = properties });
        }

        var tags = properties.Remove("Tags", out var given) ? TagsOf(given) : new Dictionary<string, string>();
        return new TaggableResource(scope, id, definition.Type, properties, tagType.Value, tags);
    }

    private static TagType? TagTypeOf(string type, object? tags) => tags switch
    {
        null => KnownTagTypes.TryGetValue(type, out var known) ? known : null,
        System.Collections.IDictionary map when map.Values.Cast<object?>().All(v => v is string) => TagType.MAP,
        System.Collections.IEnumerable list and not string when list.Cast<object?>().All(IsKeyValue) => TagType.KEY_VALUE,
        _ => null,
    };

    private static bool IsKeyValue(object? tag) =>
        tag is System.Collections.IDictionary map && map.Count == 2 && map["Key"] is string && map["Value"] is string;

    private static Dictionary<string, string> TagsOf(object? tags)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (tags is System.Collections.IDictionary map)
        {
            foreach (System.Collections.DictionaryEntry entry in map)
            {
                result[(string)entry.Key] = (string)entry.Value!;
            }
        }
        else if (tags is System.Collections.IEnumerable list)
        {
            foreach (System.Collections.IDictionary tag in list)
            {
                result[(string)tag["Key"]!] = (string)tag["Value"]!;
            }
        }

        return result;
    }
}
