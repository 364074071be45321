using System.Reflection;
using Amazon.CDK;
using Constructs;

namespace AmiInfra.Constructs.Guardrails;

/// <summary>A CloudFormation resource the rules look at, with its properties resolved.</summary>
internal sealed class CheckedResource(Func<CfnResource> construct, string type, Func<string> logicalId, CheckedStack stack, Func<IReadOnlyList<Acknowledgement>>? acknowledgements = null)
{
    private CfnResource? _construct;
    private string? _logicalId;
    private IReadOnlyList<Acknowledgement>? _acknowledgements;

    /// <summary>The construct: a resource of a fragment is asked of jsii only when a finding needs it.</summary>
    public CfnResource Construct => _construct ??= construct();

    /// <summary>
    /// The findings acknowledged on the resource (its <c>cdk_nag</c> metadata): read from the rendered definition for a
    /// fragment resource, from the construct (one jsii call) for the others, and only when a finding needs them.
    /// </summary>
    public IReadOnlyList<Acknowledgement> Acknowledgements => _acknowledgements ??= acknowledgements?.Invoke() ?? NagMetadata.Read(Construct.GetMetadata(NagMetadata.Key));

    public string Type { get; } = type;

    /// <summary>The logical id: asked of jsii when a rule first needs it, not for every resource.</summary>
    public string LogicalId => _logicalId ??= logicalId();

    public CheckedStack Stack { get; } = stack;

    /// <summary>The resolved properties (a map; keys in camelCase for typed L1s, PascalCase for raw resources).</summary>
    public object? Properties { get; set; }

    public object? this[string key] => CfnValues.Get(Properties, key);
}

/// <summary>A stack and the resources in it that the rules look at.</summary>
internal sealed class CheckedStack(string account, string region)
{
    public string Account { get; } = account;

    public string Region { get; } = region;

    public List<CheckedResource> Resources { get; } = [];

    public IEnumerable<CheckedResource> OfType(string type) => Resources.Where(r => r.Type == type);

    public CheckedResource? ByLogicalId(string? logicalId) =>
        logicalId is null ? null : Resources.FirstOrDefault(r => r.LogicalId == logicalId);
}

/// <summary>
/// Every stack under a scope with the resources of the types the rules know, read in few jsii calls:
/// one walk of the tree (two calls per construct, none inside a fragment), the type of each raw
/// resource, and for the known types the properties, their tokens resolved in one call per stack. The resources of a <see cref="CfnFragment"/> are read
/// from the fragment, as rendered in C#.
/// </summary>
internal sealed class ResourceModel
{
    /// <summary>
    /// The resource types some rule reads, by the typed L1 class that renders them. Raw
    /// <see cref="CfnResource"/>s name their type in a property.
    /// </summary>
    private static readonly IReadOnlyDictionary<Type, string> TypedResources = new Dictionary<Type, string>
    {
        [typeof(Amazon.CDK.AWS.ImageBuilder.CfnDistributionConfiguration)] = "AWS::ImageBuilder::DistributionConfiguration",
        [typeof(Amazon.CDK.AWS.ImageBuilder.CfnInfrastructureConfiguration)] = "AWS::ImageBuilder::InfrastructureConfiguration",
        [typeof(Amazon.CDK.AWS.ImageBuilder.CfnImageRecipe)] = "AWS::ImageBuilder::ImageRecipe",
        [typeof(Amazon.CDK.AWS.ImageBuilder.CfnImagePipeline)] = "AWS::ImageBuilder::ImagePipeline",
        [typeof(Amazon.CDK.AWS.ImageBuilder.CfnLifecyclePolicy)] = "AWS::ImageBuilder::LifecyclePolicy",
        [typeof(Amazon.CDK.AWS.KMS.CfnKey)] = "AWS::KMS::Key",
        [typeof(Amazon.CDK.AWS.KMS.CfnAlias)] = "AWS::KMS::Alias",
        [typeof(Amazon.CDK.AWS.S3.CfnBucket)] = "AWS::S3::Bucket",
        [typeof(Amazon.CDK.AWS.S3.CfnBucketPolicy)] = "AWS::S3::BucketPolicy",
        [typeof(Amazon.CDK.AWS.SNS.CfnTopic)] = "AWS::SNS::Topic",
        [typeof(Amazon.CDK.AWS.SNS.CfnTopicPolicy)] = "AWS::SNS::TopicPolicy",
        [typeof(Amazon.CDK.AWS.IAM.CfnRole)] = "AWS::IAM::Role",
        [typeof(Amazon.CDK.AWS.IAM.CfnUser)] = "AWS::IAM::User",
        [typeof(Amazon.CDK.AWS.IAM.CfnGroup)] = "AWS::IAM::Group",
        [typeof(Amazon.CDK.AWS.IAM.CfnPolicy)] = "AWS::IAM::Policy",
        [typeof(Amazon.CDK.AWS.IAM.CfnManagedPolicy)] = "AWS::IAM::ManagedPolicy",
        [typeof(Amazon.CDK.AWS.IAM.CfnRolePolicy)] = "AWS::IAM::RolePolicy",
        [typeof(Amazon.CDK.AWS.IAM.CfnUserPolicy)] = "AWS::IAM::UserPolicy",
        [typeof(Amazon.CDK.AWS.IAM.CfnGroupPolicy)] = "AWS::IAM::GroupPolicy",
    };

    /// <summary>The resource types some rule reads (AWS::Rbin::Rule has no typed L1 in this CDK version; the account controls are custom resources).</summary>
    public static readonly IReadOnlySet<string> Types = TypedResources.Values
        .Append("AWS::Rbin::Rule")
        .Append(Governance.AccountControls.ImageBlockPublicAccessType)
        .ToHashSet(StringComparer.Ordinal);

    // CfnResource exposes its properties to subclasses only (the typed L1s override it); this reads them
    // as jsii hands them over, before rendering: the same values the template is rendered from.
    private static readonly PropertyInfo CfnProperties =
        typeof(CfnResource).GetProperty("CfnProperties", BindingFlags.Instance | BindingFlags.NonPublic)
        ?? throw new InvalidOperationException("Amazon.CDK.CfnResource.CfnProperties is missing from this version of Amazon.CDK.Lib; the guardrails cannot read resource properties.");

    private ResourceModel(List<CheckedStack> stacks) => Stacks = stacks;

    /// <summary>The stacks, in tree order.</summary>
    public IReadOnlyList<CheckedStack> Stacks { get; }

    /// <summary>Every resource of <paramref name="type"/> in every stack.</summary>
    public IEnumerable<CheckedResource> OfType(string type) => Stacks.SelectMany(s => s.OfType(type));

    /// <summary>Reads the stacks under <paramref name="scope"/> (or the stack holding it).</summary>
    public static ResourceModel Read(IConstruct scope)
    {
        // One walk of the tree, recording each construct's innermost stack. It does not descend
        // into fragments: their resources are read from the fragment, as rendered in C#, without
        // the thousands of constructs the jsii runtime made of them.
        var all = new List<IConstruct>();
        var owner = new Dictionary<IConstruct, Stack>(ReferenceEqualityComparer.Instance);
        var stacks = new List<Stack>();
        var fragments = new Dictionary<Stack, List<CfnFragment>>(ReferenceEqualityComparer.Instance);
        var outer = scope is Stage or Stack ? null : Stack.Of(scope);
        if (outer is not null)
        {
            stacks.Add(outer);
        }

        Walk(scope, outer);

        void Walk(IConstruct node, Stack? stack)
        {
            if (node is Stack nested)
            {
                stack = nested;
                stacks.Add(nested);
            }

            all.Add(node);
            if (stack is not null)
            {
                owner[node] = stack;
            }

            if (node is CfnFragment fragment)
            {
                if (stack is not null)
                {
                    Add(fragments, stack, fragment);
                }

                return;
            }

            foreach (var child in node.Node.Children)
            {
                Walk(child, stack);
            }
        }

        var grouped = new Dictionary<Stack, List<CfnResource>>(ReferenceEqualityComparer.Instance);
        foreach (var node in all)
        {
            if (node is CfnResource resource && owner.TryGetValue(node, out var stack))
            {
                Add(grouped, stack, resource);
            }
        }

        var result = new List<CheckedStack>(stacks.Count);
        foreach (var stack in stacks)
        {
            if (ReadStack(stack, grouped.GetValueOrDefault(stack) ?? [], fragments.GetValueOrDefault(stack) ?? []) is { } read)
            {
                result.Add(read);
            }
        }

        return new ResourceModel(result);
    }

    private static void Add<T>(Dictionary<Stack, List<T>> map, Stack stack, T item)
    {
        if (!map.TryGetValue(stack, out var list))
        {
            map[stack] = list = [];
        }

        list.Add(item);
    }

    /// <summary>
    /// The CloudFormation type of a resource some rule reads; null for the others. The class of a typed
    /// L1 tells its type without a jsii call; only raw resources (and classes derived outside the CDK)
    /// are asked.
    /// </summary>
    private static string? TypeOf(CfnResource resource)
    {
        var type = resource.GetType();
        if (TypedResources.TryGetValue(type, out var known))
        {
            return known;
        }

        if (type != typeof(CfnResource) && type.Assembly == typeof(CfnResource).Assembly)
        {
            return null;
        }

        var named = Cfn.RenderedBy(resource)?.Type ?? resource.CfnResourceType;
        return Types.Contains(named) ? named : null;
    }

    private static void CollectTokens(object? value, HashSet<string> tokens)
    {
        switch (value)
        {
            case string text when Checks.IsToken(text):
                tokens.Add(text);
                break;
            case System.Collections.IDictionary map:
                foreach (var item in map.Values)
                {
                    CollectTokens(item, tokens);
                }

                break;
            case System.Collections.IEnumerable items and not string:
                foreach (var item in items)
                {
                    CollectTokens(item, tokens);
                }

                break;
        }
    }

    /// <summary>A copy of C#-rendered properties in the shapes jsii resolution gives, tokens replaced by what they resolve to.</summary>
    private static object? Substitute(object? value, Dictionary<string, object?> byToken) => value switch
    {
        string text => byToken.TryGetValue(text, out var resolved) ? resolved : text,
        System.Collections.IDictionary map => map.Keys.Cast<object>().ToDictionary(k => (string)k, k => Substitute(map[k], byToken)!),
        System.Collections.IEnumerable items => items.Cast<object?>().Select(i => Substitute(i, byToken)).ToArray(),
        _ => value,
    };

    /// <summary>How many resources' properties one jsii call resolves.</summary>
    private const int ResolveChunk = 25;

    /// <summary>The resources of one stack that some rule reads; null when there is none.</summary>
    private static CheckedStack? ReadStack(Stack stack, List<CfnResource> resources, List<CfnFragment> fragments)
    {
        var known = new List<(CfnResource Resource, string Type)>();
        foreach (var resource in resources)
        {
            if (TypeOf(resource) is { } type)
            {
                known.Add((resource, type));
            }
        }

        var fragmentResources = fragments
            .SelectMany(f => f.Resources.Where(r => Types.Contains(r.Definition.Type)).Select(r => (Fragment: f, r.LogicalId, r.Definition.Type)))
            .ToList();
        if (known.Count == 0 && fragmentResources.Count == 0)
        {
            return null;
        }

        var checkedStack = new CheckedStack(stack.Account, stack.Region);
        var properties = new object?[known.Count + fragmentResources.Count];
        var unresolved = new List<int>();
        var fromJsii = new HashSet<int>();
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < known.Count; i++)
        {
            var (resource, type) = known[i];
            checkedStack.Resources.Add(new CheckedResource(() => resource, type, () => stack.GetLogicalId(resource), checkedStack));
            if (Cfn.RenderedBy(resource) is { } rendered)
            {
                // Rendered in C#: only the tokens inside need jsii, all of the stack's in one call.
                properties[i] = rendered.Properties;
                CollectTokens(rendered.Properties, tokens);
            }
            else
            {
                properties[i] = CfnProperties.GetValue(resource) ?? new Dictionary<string, object>();
                unresolved.Add(i);
                fromJsii.Add(i);
            }
        }

        for (var j = 0; j < fragmentResources.Count; j++)
        {
            var (fragment, logicalId, type) = fragmentResources[j];
            checkedStack.Resources.Add(new CheckedResource(() => fragment.Resource(logicalId), type, () => logicalId, checkedStack, () => fragment.AcknowledgementsOf(logicalId)));
            properties[known.Count + j] = fragment.ResolvedProperties(logicalId);
            CollectTokens(properties[known.Count + j], tokens);
        }

        var tokenList = tokens.ToArray();
        var resolvedTokens = tokenList.Length == 0 ? [] : CfnValues.List(stack.Resolve(tokenList));
        var byToken = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < tokenList.Length && i < resolvedTokens.Count; i++)
        {
            byToken[tokenList[i]] = resolvedTokens[i];
        }

        for (var i = 0; i < properties.Length; i++)
        {
            if (!fromJsii.Contains(i))
            {
                checkedStack.Resources[i].Properties = Substitute(properties[i], byToken);
            }
        }

        // The others: a chunk at a time, since the jsii runtime fails on very large requests.
        for (var start = 0; start < unresolved.Count; start += ResolveChunk)
        {
            var chunk = unresolved.Skip(start).Take(ResolveChunk).ToArray();
            var resolved = CfnValues.List(stack.Resolve(chunk.Select(i => properties[i]).ToArray()));
            for (var j = 0; j < chunk.Length; j++)
            {
                checkedStack.Resources[chunk[j]].Properties = j < resolved.Count ? resolved[j] : null;
            }
        }

        return checkedStack;
    }
}
