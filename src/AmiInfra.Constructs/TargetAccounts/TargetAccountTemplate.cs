using System.Text.Json;

namespace AmiInfra.Constructs.TargetAccounts;

/// <summary>
/// The template a <see cref="TargetAccountStackSet"/> deploys into every target account, composed additively: each part
/// (<see cref="DistributionRolePart"/>, <see cref="LifecycleRolePart"/>, <see cref="AccountControlsPart"/>) adds its
/// resources, and nothing removes what another part added. A part adds either an account-wide resource (an IAM role:
/// IAM is global, so across several regions it is created in the roles' region only, under
/// <see cref="RolesRegionCondition"/>) or a regional one (created in every region of the stack instances, with a
/// condition of its own if it needs one).
/// </summary>
internal sealed class TargetAccountTemplate
{
    /// <summary>The condition that holds in the region where the StackSet creates the roles.</summary>
    public const string RolesRegionCondition = "InRolesRegion";

    /// <summary>A resource every stack instance has, so that none is left without one (CloudFormation creates no empty stack).</summary>
    public const string PlaceholderId = "AmiInfraTargetAccount";

    /// <summary>The name of the template parameter that receives the factory account.</summary>
    public const string FactoryAccountParameter = "FactoryAccountId";

    /// <summary>The condition that holds in every account but the factory's (<see cref="NotFactoryAccount"/>).</summary>
    public const string NotFactoryAccountCondition = "NotFactoryAccount";

    private readonly List<(string LogicalId, Dictionary<string, object> Resource, (string Name, object Value)? Output)> _accountWide = [];
    private readonly List<(string LogicalId, Dictionary<string, object> Resource)> _regional = [];
    private readonly Dictionary<string, object> _conditions = [];
    private readonly List<string> _contents = [];
    private bool _placeholder;

    /// <summary>Starts a template deployed to <paramref name="regions"/> (the roles' region first).</summary>
    /// <param name="regions">The regions of the stack instances; the first is where account-wide resources are created.</param>
    public TargetAccountTemplate(IReadOnlyList<string> regions)
    {
        Regions = regions;
    }

    /// <summary>What the parts added, in words, in the order they were added ("the distribution role ...").</summary>
    public IReadOnlyList<string> Contents => _contents;

    /// <summary>What the template holds, in one phrase: its parts' words, joined.</summary>
    public string Summary => Join(_contents);

    /// <summary>The template's description: its summary.</summary>
    public string Description => $"AmiInfra target account: {Summary}";

    /// <summary>The regions of the stack instances, the roles' region first.</summary>
    public IReadOnlyList<string> Regions { get; }

    /// <summary>A reference to the factory account (the template's parameter).</summary>
    public static Dictionary<string, object> FactoryAccount => new() { ["Ref"] = FactoryAccountParameter };

    /// <summary>An Fn::Sub of <paramref name="text"/>.</summary>
    public static Dictionary<string, object> Sub(string text) => new() { ["Fn::Sub"] = text };

    /// <summary>
    /// Adds an account-wide resource (an IAM role), created once per account: in the roles' region when the StackSet
    /// spans several. <paramref name="output"/> names an output of the resource's ARN.
    /// </summary>
    public void AddAccountWide(string logicalId, Dictionary<string, object> resource, string? output = null) =>
        _accountWide.Add((logicalId, resource, output is null ? null : (output, new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { logicalId, "Arn" } })));

    /// <summary>Adds a regional resource, created in every region of the stack instances.</summary>
    public void AddRegional(string logicalId, Dictionary<string, object> resource) => _regional.Add((logicalId, resource));

    /// <summary>Says what a part adds, in words, for the descriptions of the template and the StackSet.</summary>
    public void Describe(string contents) => _contents.Add(contents);

    /// <summary>Joins phrases as a sentence does: "a", "a and b", "a, b and c".</summary>
    public static string Join(IReadOnlyList<string> phrases) => phrases.Count switch
    {
        0 => "nothing",
        1 => phrases[0],
        _ => $"{string.Join(", ", phrases.Take(phrases.Count - 1))} and {phrases[^1]}",
    };

    /// <summary>Adds a condition regional resources name.</summary>
    public void AddCondition(string name, object definition) => _conditions[name] = definition;

    /// <summary>
    /// The condition that holds in every account but the factory's (added once, whichever part asks first): should the
    /// factory account be in a target OU, the factory's own stacks already do there what a part would do.
    /// </summary>
    public string NotFactoryAccount()
    {
        AddCondition(NotFactoryAccountCondition, new Dictionary<string, object>
        {
            ["Fn::Not"] = new object[] { new Dictionary<string, object> { ["Fn::Equals"] = new object[] { new Dictionary<string, object> { ["Ref"] = "AWS::AccountId" }, FactoryAccount } } },
        });
        return NotFactoryAccountCondition;
    }

    /// <summary>
    /// The condition under which a regional resource of a part that serves only <paramref name="regions"/> is created:
    /// <paramref name="condition"/> (or none) when those regions are all the stack instances' regions, else a condition
    /// named <paramref name="name"/> that also requires one of <paramref name="regions"/> (Fn::Or takes 2 to 10
    /// conditions, so longer lists are nested).
    /// </summary>
    public string? InRegions(string name, IReadOnlyList<string> regions, string? condition)
    {
        if (Regions.All(r => regions.Contains(r, StringComparer.Ordinal)))
        {
            return condition;
        }

        var present = regions.Where(r => Regions.Contains(r, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        if (present.Count == 0)
        {
            throw new InvalidOperationException($"{name}: none of the regions {string.Join(", ", regions)} is a region of the stack instances");
        }

        var inRegions = AnyOf("AWS::Region", present);
        AddCondition(name, condition is null
            ? inRegions
            : new Dictionary<string, object> { ["Fn::And"] = new object[] { inRegions, new Dictionary<string, object> { ["Condition"] = condition } } });
        return name;
    }

    /// <summary>
    /// Adds the condition <paramref name="name"/>: the account is one of <paramref name="accounts"/>, and
    /// <paramref name="condition"/> holds (when given).
    /// </summary>
    public string InAccounts(string name, IReadOnlyList<string> accounts, string? condition)
    {
        if (accounts.Count == 0)
        {
            throw new InvalidOperationException($"{name}: no account");
        }

        var inAccounts = AnyOf("AWS::AccountId", accounts.Distinct(StringComparer.Ordinal).ToList());
        AddCondition(name, condition is null
            ? inAccounts
            : new Dictionary<string, object> { ["Fn::And"] = new object[] { inAccounts, new Dictionary<string, object> { ["Condition"] = condition } } });
        return name;
    }

    /// <summary>
    /// A condition expression that holds when the pseudo parameter <paramref name="pseudo"/> equals one of
    /// <paramref name="values"/>: Fn::Equals, or Fn::Or of them (Fn::Or takes 2 to 10 conditions, so longer lists nest).
    /// </summary>
    private static object AnyOf(string pseudo, IReadOnlyList<string> values)
    {
        var tests = values.Select(v => (object)new Dictionary<string, object> { ["Fn::Equals"] = new object[] { new Dictionary<string, object> { ["Ref"] = pseudo }, v } }).ToList();
        while (tests.Count > 1)
        {
            tests = tests.Chunk(10).Select(group => group.Length == 1 ? group[0] : new Dictionary<string, object> { ["Fn::Or"] = group }).ToList();
        }

        return tests[0];
    }

    /// <summary>
    /// Adds <see cref="PlaceholderId"/>, for a part whose resources are conditional: a stack instance whose every
    /// resource is conditioned away would be empty, and CloudFormation creates no empty stack.
    /// </summary>
    public void AddPlaceholder() => _placeholder = true;

    /// <summary>
    /// The template as JSON: parameters, resources (account-wide ones first, then the placeholder when a part asked for
    /// it, then the regional ones), outputs and conditions.
    /// </summary>
    public string Render()
    {
        var multiRegion = Regions.Count > 1;
        var conditions = new Dictionary<string, object>();
        if (multiRegion)
        {
            conditions[RolesRegionCondition] = new Dictionary<string, object> { ["Fn::Equals"] = new object[] { new Dictionary<string, object> { ["Ref"] = "AWS::Region" }, Regions[0] } };
        }

        foreach (var (name, definition) in _conditions)
        {
            conditions[name] = definition;
        }

        var resources = new Dictionary<string, object>();
        var outputs = new Dictionary<string, object>();
        foreach (var (logicalId, resource, output) in _accountWide)
        {
            var entry = new Dictionary<string, object>(resource);
            var value = output is { } o ? new Dictionary<string, object> { ["Value"] = o.Value } : null;
            if (multiRegion)
            {
                entry["Condition"] = RolesRegionCondition;
                value?.Add("Condition", RolesRegionCondition);
            }

            resources[logicalId] = entry;
            if (output is { } named)
            {
                outputs[named.Name] = value!;
            }
        }

        if (_placeholder)
        {
            resources[PlaceholderId] = new Dictionary<string, object> { ["Type"] = "AWS::CloudFormation::WaitConditionHandle" };
        }

        foreach (var (logicalId, resource) in _regional)
        {
            resources[logicalId] = resource;
        }

        var template = new Dictionary<string, object>
        {
            ["AWSTemplateFormatVersion"] = "2010-09-09",
            ["Description"] = Description,
            ["Parameters"] = new Dictionary<string, object>
            {
                [FactoryAccountParameter] = new Dictionary<string, object>
                {
                    ["Type"] = "String",
                    ["AllowedPattern"] = "^[0-9]{12}$",
                    ["Description"] = "The account where EC2 Image Builder builds and distributes the AMIs",
                },
            },
            ["Resources"] = resources,
        };
        if (outputs.Count > 0)
        {
            template["Outputs"] = outputs;
        }

        if (conditions.Count > 0)
        {
            template["Conditions"] = conditions;
        }

        return JsonSerializer.Serialize(template);
    }
}
