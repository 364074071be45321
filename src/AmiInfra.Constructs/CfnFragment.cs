using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.CloudFormation.Include;
using Constructs;

namespace AmiInfra.Constructs;

/// <summary>
/// Many CloudFormation resources rendered in C# and handed to the CDK in one call, whatever their
/// number. Every construct created from .NET costs a round trip to the jsii runtime and a
/// reflection pass over its class (about 2 ms for a <see cref="CfnResource"/>); a fragment costs
/// that once, and the runtime creates its resources by itself (a <see cref="CfnInclude"/> of the
/// rendered template). The resources keep the logical ids given here; they refer to each other
/// with <see cref="Ref"/> and <see cref="GetAtt"/>, and may hold CDK tokens (resolved at synth).
/// </summary>
/// <remarks>
/// The resources are ordinary resources of the stack: they are synthesized, referenced, tagged (<c>Tags.Of</c>)
/// and checked by the guardrails like any other. The guardrails read them as given here, with the overrides made
/// through <see cref="AddPropertyOverride"/>; an override added directly to <see cref="Resource"/> or
/// <see cref="Template"/> is not seen by them (change the definition, or override through the fragment).
/// </remarks>
public sealed partial class CfnFragment : Construct
{
    private readonly Dictionary<string, Dictionary<string, object>> _resolved;
    private readonly Dictionary<string, CfnFragmentResource> _byId;
    private readonly HashSet<string> _ids;
    private readonly HashSet<string> _handedOut = new(StringComparer.Ordinal);

    /// <summary>Creates the resources, in one jsii call.</summary>
    /// <param name="scope">The stack, or a construct in it.</param>
    /// <param name="id">The fragment's id; the resources' construct paths are under it.</param>
    /// <param name="resources">The resources, with distinct logical ids; at least one.</param>
    /// <param name="conditions">Conditions the resources name (<see cref="CfnFragmentResource.Condition"/>), by name: the condition functions (Fn::Equals ...). Default: none.</param>
    public CfnFragment(Construct scope, string id, IReadOnlyList<CfnFragmentResource> resources, IReadOnlyDictionary<string, object>? conditions = null)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var where = Node.Path;
        if (resources.Count == 0)
        {
            throw new ConstructValidationException($"{where}.Resources", "an empty list", "at least one resource");
        }

        _ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            if (!LogicalIdShape().IsMatch(resource.LogicalId))
            {
                throw new ConstructValidationException($"{where}.Resources", $"the logical id \"{resource.LogicalId}\"", "1 to 255 letters and digits");
            }

            if (!_ids.Add(resource.LogicalId))
            {
                throw new ConstructValidationException($"{where}.Resources", $"the logical id \"{resource.LogicalId}\" twice", "one resource per logical id");
            }
        }

        var conditionNames = new HashSet<string>(conditions?.Keys ?? [], StringComparer.Ordinal);
        var template = new Dictionary<string, object>(2, StringComparer.Ordinal);
        if (conditions is { Count: > 0 })
        {
            template["Conditions"] = conditions.ToDictionary(c => c.Key, c => CfnFragmentValues.ToJson(c.Value, _ids, $"{where}.Conditions.{c.Key}"), StringComparer.Ordinal);
        }

        // Included resources carry the template's metadata only: the construct path, which the
        // CDK adds to every other resource when the CLI asks for it, is added here.
        var path = Node.TryGetContext("aws:cdk:enable-path-metadata") is true or "true" ? $"{where}/Template/" : null;
        _resolved = new Dictionary<string, Dictionary<string, object>>(resources.Count, StringComparer.Ordinal);
        _byId = resources.ToDictionary(r => r.LogicalId, StringComparer.Ordinal);
        var rendered = new Dictionary<string, object>(resources.Count, StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            var at = $"{where}.Resources[{resource.LogicalId}]";
            var properties = (Dictionary<string, object>)CfnFragmentValues.ToJson(resource.Definition.Properties, _ids, $"{at}.Properties");
            _resolved[resource.LogicalId] = properties;
            rendered[resource.LogicalId] = Entry(resource, properties, path, conditionNames, at);
        }

        template["Resources"] = rendered;
        Resources = resources;
        Template = Include(this, template);
        foreach (var warning in resources.SelectMany(r => r.Definition.Warnings))
        {
            Annotations.Of(this).AddWarning(warning);
        }
    }

    /// <summary>The resources, as given.</summary>
    public IReadOnlyList<CfnFragmentResource> Resources { get; }

    /// <summary>The construct holding the resources.</summary>
    public CfnInclude Template { get; }

    /// <summary>A reference to the resource <paramref name="logicalId"/> of the same fragment (<c>{"Ref": ...}</c>), as a whole property value.</summary>
    public static CfnFragmentReference Ref(string logicalId) => new(logicalId, null);

    /// <summary>An attribute of the resource <paramref name="logicalId"/> of the same fragment (<c>{"Fn::GetAtt": ...}</c>), as a whole property value.</summary>
    public static CfnFragmentReference GetAtt(string logicalId, string attribute) => new(logicalId, attribute);

    /// <summary>
    /// The logical id the CDK gives a resource at <paramref name="path"/> below its stack (the ids of
    /// the constructs from the stack's child down to the resource): a fragment that uses it keeps
    /// the logical ids, and so the deployed resources, of a layout built from constructs.
    /// </summary>
    public static string LogicalIdFor(params string[] path)
    {
        var components = path.Where(c => c != "Default").ToArray();
        if (components.Length == 0)
        {
            throw new ConstructValidationException("CfnFragment.LogicalIdFor", "an empty path", "at least one construct id");
        }

        if (components.Length == 1 && NonAlphanumeric().Replace(components[0], "") is { Length: <= 255 } single)
        {
            return single;
        }

        var hash = Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(string.Join("/", components))))[..8];
        var human = new StringBuilder();
        string? previous = null;
        foreach (var component in components)
        {
            // As the CDK does: a component the previous one ends with is left out, and so is "Resource".
            if (previous is not null && previous.EndsWith(component, StringComparison.Ordinal))
            {
                continue;
            }

            previous = component;
            if (component != "Resource")
            {
                human.Append(NonAlphanumeric().Replace(component, ""));
            }
        }

        return (human.Length > 240 ? human.ToString(0, 240) : human.ToString()) + hash;
    }

    /// <summary>
    /// The resource <paramref name="logicalId"/>, as a construct (one jsii call): to depend on it or refer to it from
    /// other constructs. Override its properties through <see cref="AddPropertyOverride"/>, which the guardrails see.
    /// </summary>
    public CfnResource Resource(string logicalId)
    {
        if (!_resolved.ContainsKey(logicalId))
        {
            throw new ConstructValidationException($"{Node.Path}.Resource", $"\"{logicalId}\"", "the logical id of one of the fragment's resources");
        }

        _handedOut.Add(logicalId);
        return (CfnResource)Template.GetResource(logicalId);
    }

    /// <summary>
    /// Overrides a property of the resource <paramref name="logicalId"/> (as <see cref="CfnResource.AddPropertyOverride"/>
    /// does), where the guardrails see it too.
    /// </summary>
    /// <param name="logicalId">The resource.</param>
    /// <param name="propertyPath">The property, with dots between the keys of nested maps (e.g. "InstanceMetadataOptions.HttpTokens").</param>
    /// <param name="value">The value: what a property of the fragment may hold; null deletes the property.</param>
    public void AddPropertyOverride(string logicalId, string propertyPath, object? value)
    {
        var where = $"{Node.Path}.Resources[{logicalId}].Properties.{propertyPath}";
        if (!_resolved.TryGetValue(logicalId, out var properties))
        {
            throw new ConstructValidationException($"{Node.Path}.AddPropertyOverride", $"\"{logicalId}\"", "the logical id of one of the fragment's resources");
        }

        var keys = propertyPath.Split('.');
        if (keys.Any(k => k.Length == 0))
        {
            throw new ConstructValidationException(where, $"the path \"{propertyPath}\"", "property names separated by single dots");
        }

        var json = value is null ? null : CfnFragmentValues.ToJson(value, _ids, where);
        var map = properties;
        foreach (var key in keys[..^1])
        {
            map = map.TryGetValue(key, out var inner)
                ? inner as Dictionary<string, object> ?? throw new ConstructValidationException(where, $"a path through {key}, which is not a map", "a path through maps only (override a list as a whole)")
                : (Dictionary<string, object>)(map[key] = new Dictionary<string, object>(StringComparer.Ordinal));
        }

        if (json is null)
        {
            map.Remove(keys[^1]);
            Resource(logicalId).AddPropertyDeletionOverride(propertyPath);
        }
        else
        {
            map[keys[^1]] = json;
            Resource(logicalId).AddPropertyOverride(propertyPath, json);
        }
    }

    /// <summary>The properties of a resource as the template has them, fragment references replaced by the intrinsic functions they stand for.</summary>
    internal IReadOnlyDictionary<string, object> ResolvedProperties(string logicalId) => _resolved[logicalId];

    /// <summary>
    /// The findings acknowledged on a resource: those of its definition, and, once the resource was handed out as a
    /// construct (where <c>Guardrails.Acknowledge</c> may have added more), its metadata (one jsii call).
    /// </summary>
    internal IReadOnlyList<Acknowledgement> AcknowledgementsOf(string logicalId) =>
        _handedOut.Contains(logicalId)
            ? NagMetadata.Read(Resource(logicalId).GetMetadata(NagMetadata.Key))
            : _byId[logicalId].Definition.Acknowledgements;

    private Dictionary<string, object> Entry(CfnFragmentResource resource, Dictionary<string, object> properties, string? path, HashSet<string> conditions, string at)
    {
        var entry = new Dictionary<string, object> { ["Type"] = resource.Definition.Type, ["Properties"] = properties };
        var metadata = new Dictionary<string, object>(StringComparer.Ordinal);
        if (path is not null)
        {
            metadata["aws:cdk:path"] = path + resource.LogicalId;
        }

        if (resource.Definition.Acknowledgements.Count > 0)
        {
            metadata[NagMetadata.Key] = NagMetadata.Render(resource.Definition.Acknowledgements.Select((a, i) => a.Checked($"{at}.Acknowledgements[{i}]")));
        }

        if (metadata.Count > 0)
        {
            entry["Metadata"] = metadata;
        }

        if (resource.DependsOn.Count > 0)
        {
            var unknown = resource.DependsOn.FirstOrDefault(d => !_ids.Contains(d) || d == resource.LogicalId);
            if (unknown is not null)
            {
                throw new ConstructValidationException($"{at}.DependsOn", $"\"{unknown}\"", "logical ids of other resources of the same fragment");
            }

            entry["DependsOn"] = resource.DependsOn.Distinct(StringComparer.Ordinal).ToArray();
        }

        if (resource.Condition is { } condition)
        {
            entry["Condition"] = conditions.Contains(condition)
                ? condition
                : throw new ConstructValidationException($"{at}.Condition", $"\"{condition}\"", conditions.Count == 0 ? "a condition of the fragment (the fragment declares none)" : $"a condition of the fragment: {string.Join(", ", conditions.Order(StringComparer.Ordinal))}");
        }

        if (resource.DeletionPolicy is { } deletion)
        {
            entry["DeletionPolicy"] = PolicyName(deletion);
        }

        if (resource.UpdateReplacePolicy is { } replace)
        {
            entry["UpdateReplacePolicy"] = PolicyName(replace);
        }

        return entry;
    }

    private static string PolicyName(CfnDeletionPolicy policy) => policy switch
    {
        CfnDeletionPolicy.DELETE => "Delete",
        CfnDeletionPolicy.RETAIN => "Retain",
        CfnDeletionPolicy.SNAPSHOT => "Snapshot",
        CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE => "RetainExceptOnCreate",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "an unknown deletion policy"),
    };

    /// <summary>
    /// The include reads the file while it is created; the .json suffix selects its JSON parser. The file is written in a
    /// folder of this process alone (the rendered template may hold what no other user should read or swap), and the
    /// folder is removed whether the include succeeds or not.
    /// </summary>
    private static CfnInclude Include(Construct scope, Dictionary<string, object> template) =>
        PrivateFolder.Use(FolderPrefix, folder =>
        {
            var file = Path.Combine(folder, "template.json");
            File.WriteAllText(file, JsonSerializer.Serialize(template));
            return new CfnInclude(scope, "Template", new CfnIncludeProps { TemplateFile = file });
        });

    /// <summary>
    /// The start of the names of the folders this process writes templates in: the process id tells one process's
    /// folders from another's (several synths or test runs may share the temporary folder).
    /// </summary>
    internal static readonly string FolderPrefix = $"amiinfra-fragment-{System.Environment.ProcessId}-";

    [GeneratedRegex("^[A-Za-z0-9]{1,255}$")]
    private static partial Regex LogicalIdShape();

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex NonAlphanumeric();
}
