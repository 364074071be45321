using System.Reflection;
using Amazon.CDK;
using Constructs;

namespace AmiInfra.Constructs.Guardrails;

/// <summary>A CloudFormation resource the rules look at, with its properties resolved.</summary>
internal sealed class CheckedResource(CfnResource construct, string type, string logicalId, CheckedStack stack)
{
    public CfnResource Construct { get; } = construct;

    public string Type { get; } = type;

    public string LogicalId { get; } = logicalId;

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
/// one tree walk per stack, the type of each resource, and for the known types the logical id and the
/// properties, resolved in one call per stack.
/// </summary>
internal sealed class ResourceModel
{
    /// <summary>The resource types some rule reads.</summary>
    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
    {
        "AWS::ImageBuilder::DistributionConfiguration", "AWS::ImageBuilder::InfrastructureConfiguration",
        "AWS::ImageBuilder::ImageRecipe", "AWS::ImageBuilder::ImagePipeline", "AWS::ImageBuilder::LifecyclePolicy",
        "AWS::KMS::Key", "AWS::KMS::Alias", "AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::SNS::Topic", "AWS::SNS::TopicPolicy",
        "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy",
        "AWS::IAM::RolePolicy", "AWS::IAM::UserPolicy", "AWS::IAM::GroupPolicy", "AWS::Rbin::Rule",
    };

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
        var all = scope.Node.FindAll();

        // A resource belongs to the innermost stack holding it: tree order lists a stack before the
        // stacks nested in it, so the nested stack's walk overwrites its parent's claim.
        var owner = new Dictionary<IConstruct, Stack>(ReferenceEqualityComparer.Instance);
        var stacks = new List<Stack>();
        foreach (var node in all)
        {
            if (node is Stack stack)
            {
                stacks.Add(stack);
                foreach (var child in ReferenceEquals(node, scope) ? all : stack.Node.FindAll())
                {
                    owner[child] = stack;
                }
            }
        }

        if (scope is not Stage && !owner.ContainsKey(scope))
        {
            var outer = Stack.Of(scope);
            stacks.Insert(0, outer);
            foreach (var node in all)
            {
                owner.TryAdd(node, outer);
            }
        }

        var grouped = new Dictionary<Stack, List<CfnResource>>(ReferenceEqualityComparer.Instance);
        foreach (var node in all)
        {
            if (node is CfnResource resource && owner.TryGetValue(node, out var stack))
            {
                if (!grouped.TryGetValue(stack, out var list))
                {
                    grouped[stack] = list = [];
                }

                list.Add(resource);
            }
        }

        var result = new List<CheckedStack>(stacks.Count);
        foreach (var stack in stacks)
        {
            if (grouped.TryGetValue(stack, out var resources))
            {
                result.Add(ReadStack(stack, resources));
            }
        }

        return new ResourceModel(result);
    }

    private static CheckedStack ReadStack(Stack stack, List<CfnResource> resources)
    {
        var checkedStack = new CheckedStack(stack.Account, stack.Region);
        var properties = new List<object>();
        foreach (var resource in resources)
        {
            var type = resource.CfnResourceType;
            if (!Types.Contains(type))
            {
                continue;
            }

            checkedStack.Resources.Add(new CheckedResource(resource, type, stack.GetLogicalId(resource), checkedStack));
            properties.Add(CfnProperties.GetValue(resource) ?? new Dictionary<string, object>());
        }

        if (properties.Count > 0)
        {
            var resolved = CfnValues.List(stack.Resolve(properties.ToArray()));
            for (var i = 0; i < checkedStack.Resources.Count; i++)
            {
                checkedStack.Resources[i].Properties = i < resolved.Count ? resolved[i] : null;
            }
        }

        return checkedStack;
    }
}
