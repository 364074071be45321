using System.Text;
using System.Text.RegularExpressions;
using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.ImageBuilder;
using Constructs;
using static AmiInfra.Constructs.Lifecycle.LifecycleChecks;

namespace AmiInfra.Constructs.Lifecycle;

/// <summary>
/// When one retirement step (deprecate, disable or delete) acts on an AMI: by age or by count.
/// Exactly one of <see cref="AfterDays"/> and <see cref="KeepNewest"/> is set.
/// </summary>
public sealed record LifecycleRule
{
    /// <summary>Act on AMIs older than this many days (1 to 1000). Default: none (a count rule).</summary>
    public int? AfterDays { get; init; }

    /// <summary>Act on all but the newest this many AMIs (1 to 1000). Default: none (an age rule).</summary>
    public int? KeepNewest { get; init; }

    /// <summary>A rule by age: act on AMIs older than <paramref name="days"/> days.</summary>
    public static LifecycleRule Age(int days) => new() { AfterDays = days };

    /// <summary>A rule by count: act on all but the newest <paramref name="keepNewest"/> AMIs.</summary>
    public static LifecycleRule Count(int keepNewest) => new() { KeepNewest = keepNewest };
}

/// <summary>What a lifecycle policy never acts on. Every exclusion applies to every step.</summary>
public sealed record LifecycleExclusions
{
    /// <summary>Keep AMIs launched within this many days (1 to 365). AMIs never launched are not kept by this rule. Default: none.</summary>
    public int? LaunchedWithinDays { get; init; }

    /// <summary>Keep AMIs carrying any of these tags (key and value; at most 50). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Keep public AMIs. Default: false.</summary>
    public bool Public { get; init; }

    /// <summary>Keep the AMIs in these regions (region codes such as eu-west-1). Default: none.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>Keep AMIs shared with any of these accounts (12-digit ids; at most 1536). Default: none.</summary>
    public IReadOnlyList<string> SharedWithAccounts { get; init; } = [];

    internal bool IsEmpty =>
        LaunchedWithinDays is null && Tags.Count == 0 && !Public && Regions.Count == 0 && SharedWithAccounts.Count == 0;
}

/// <summary>An image recipe whose output images a lifecycle policy acts on.</summary>
/// <param name="Name">The recipe name.</param>
/// <param name="Version">The recipe version; x wildcards select many. Default: x.x.x (every version).</param>
public sealed record RecipeSelection(string Name, string Version = "x.x.x");

/// <summary>Props of <see cref="AmiLifecyclePolicy"/>.</summary>
public sealed record AmiLifecyclePolicyProps
{
    /// <summary>The policy name (3 to 128 letters, digits, hyphens, underscores and inner spaces), unique in the account and region.</summary>
    public required string PolicyName { get; init; }

    /// <summary>The ARN of the role Image Builder assumes to run the policy, usually a <see cref="LifecycleExecutionRole"/>'s.</summary>
    public required string ExecutionRoleArn { get; init; }

    /// <summary>
    /// Select the images built from these recipes (at most 50), including the AMIs they were
    /// distributed as. The usual choice: recipe versions change with their content, so a name with
    /// version x.x.x selects the image's every build. Default: none (then <see cref="ImageTags"/> is required).
    /// </summary>
    public IReadOnlyList<RecipeSelection> Recipes { get; init; } = [];

    /// <summary>
    /// Select the Image Builder image resources carrying any of these tags (at most 50). These are the
    /// tags of the image resources (which a pipeline gives the images it creates), not the AMI tags of the
    /// distribution. Default: none (then <see cref="Recipes"/> is required).
    /// </summary>
    public IReadOnlyDictionary<string, string> ImageTags { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>When AMIs are deprecated (hidden from searches, still launchable). Default: never.</summary>
    public LifecycleRule? Deprecate { get; init; }

    /// <summary>When AMIs are disabled (private, not launchable; after deprecation). Default: never.</summary>
    public LifecycleRule? Disable { get; init; }

    /// <summary>When AMIs are deregistered (after disabling and deprecation). Default: never.</summary>
    public LifecycleRule? Delete { get; init; }

    /// <summary>
    /// Age rules never act on the newest this many AMIs (1 to 10, Image Builder's retain-at-least),
    /// and count rules that disable or delete may not keep fewer. Default: 1.
    /// </summary>
    public int KeepAtLeast { get; init; } = 1;

    /// <summary>Delete the snapshots of deregistered AMIs. Default: true (snapshots stay billed otherwise).</summary>
    public bool DeleteSnapshots { get; init; } = true;

    /// <summary>What the policy never acts on. Default: nothing excluded.</summary>
    public LifecycleExclusions Exclusions { get; init; } = new();

    /// <summary>Tags of the policy. Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The policy description (at most 1024 characters). Default: a summary of the rules.</summary>
    public string? Description { get; init; }

    /// <summary>Whether the policy runs. Default: true.</summary>
    public bool Enabled { get; init; } = true;
}

/// <summary>
/// An Image Builder lifecycle policy (<c>AWS::ImageBuilder::LifecyclePolicy</c>) that retires the
/// AMIs of one image: deprecate, then disable, then deregister (with their snapshots by default),
/// each by age or by count, never touching the newest <see cref="AmiLifecyclePolicyProps.KeepAtLeast"/>
/// AMIs nor the excluded ones. One policy per image, so that each image has its own rules and adding
/// an image never changes another's policy.
/// </summary>
/// <remarks>
/// The policy acts on the image resources it selects and on the AMIs Image Builder distributed for
/// them in this account, in every region. It does not touch launch templates, running instances or
/// AMIs that Image Builder did not create. Copies owned by other accounts (target accounts of a
/// distribution) are retired only where the role <c>Ec2ImageBuilderCrossAccountLifecycleAccess</c>
/// exists (see <see cref="CrossAccountLifecycleRole"/>).
/// </remarks>
public sealed partial class AmiLifecyclePolicy : Construct
{
    /// <summary>Most recipes one policy selects.</summary>
    public const int MaxRecipes = 50;

    /// <summary>Most tags in a selection or an exclusion.</summary>
    public const int MaxTags = 50;

    /// <summary>Most accounts in the shared-account exclusion.</summary>
    public const int MaxSharedAccounts = 1536;

    private static readonly string[] StepNames = ["Deprecate", "Disable", "Delete"];

    /// <summary>Creates the policy.</summary>
    public AmiLifecyclePolicy(Construct scope, string id, AmiLifecyclePolicyProps props)
        : this(scope, id, props, Render(props, id))
    {
    }

    private AmiLifecyclePolicy(Construct scope, string id, AmiLifecyclePolicyProps props, CfnDefinition definition)
        : base(scope, id)
    {
        Resource = Cfn.Resource(this, "Resource", definition);
        PolicyName = props.PolicyName;
        foreach (var warning in definition.Warnings)
        {
            Annotations.Of(this).AddWarning(warning);
        }
    }

    /// <summary>
    /// The policy as CloudFormation, without creating a construct (for a <see cref="CfnFragment"/>):
    /// the props are checked and the properties rendered as the construct does.
    /// </summary>
    /// <param name="props">The policy.</param>
    /// <param name="where">Where the policy is, for error messages.</param>
    public static CfnDefinition Render(AmiLifecyclePolicyProps props, string where)
    {
        Check(where, props);
        var steps = Steps(props);
        var exclusions = RenderExclusions(props.Exclusions);
        var details = steps.Select(step => (object)Cfn.Clean(new Dictionary<string, object?>
        {
            ["Action"] = new Dictionary<string, object>
            {
                ["Type"] = step.Name.ToUpperInvariant(),
                ["IncludeResources"] = Cfn.Clean(new Dictionary<string, object?>
                {
                    ["Amis"] = true,
                    ["Snapshots"] = step.Name == "Delete" ? props.DeleteSnapshots : null,
                }),
            },
            ["Filter"] = step.Rule.AfterDays is { } days
                ? new Dictionary<string, object> { ["Type"] = "AGE", ["Value"] = days, ["Unit"] = "DAYS", ["RetainAtLeast"] = props.KeepAtLeast }
                : new Dictionary<string, object> { ["Type"] = "COUNT", ["Value"] = step.Rule.KeepNewest!.Value },
            ["ExclusionRules"] = exclusions,
        })).ToArray();

        return CfnDefinition.Of("AWS::ImageBuilder::LifecyclePolicy", new Dictionary<string, object?>
        {
            ["Name"] = props.PolicyName,
            ["Description"] = props.Description ?? Summary(props, steps),
            ["ExecutionRole"] = props.ExecutionRoleArn,
            ["ResourceType"] = "AMI_IMAGE",
            ["Status"] = props.Enabled ? "ENABLED" : "DISABLED",
            ["PolicyDetails"] = details,
            ["ResourceSelection"] = Cfn.Clean(new Dictionary<string, object?>
            {
                ["Recipes"] = props.Recipes.Count == 0
                    ? null
                    : props.Recipes.Select(r => (object)new Dictionary<string, object> { ["Name"] = r.Name, ["SemanticVersion"] = r.Version }).ToArray(),
                ["TagMap"] = props.ImageTags.Count == 0 ? null : Cfn.TagMap(props.ImageTags),
            }),
            ["Tags"] = Cfn.TagMap(props.Tags),
        }) with
        {
            Warnings = props.Delete is not null && !props.DeleteSnapshots
                ? [$"{props.PolicyName}: DeleteSnapshots is false, so the snapshots of deregistered AMIs stay, and stay billed, until someone deletes them"]
                : [],
        };
    }

    /// <summary>The CloudFormation resource (AWS::ImageBuilder::LifecyclePolicy).</summary>
    public CfnResource Resource { get; }

    /// <summary>The policy name.</summary>
    public string PolicyName { get; }

    /// <summary>The policy ARN.</summary>
    public string PolicyArn => Resource.GetAtt("Arn").ToString()!;

    private static List<(string Name, LifecycleRule Rule)> Steps(AmiLifecyclePolicyProps props)
    {
        var all = new[] { props.Deprecate, props.Disable, props.Delete };
        var steps = new List<(string, LifecycleRule)>(3);
        for (var i = 0; i < all.Length; i++)
        {
            if (all[i] is { } rule)
            {
                steps.Add((StepNames[i], rule));
            }
        }

        return steps;
    }

    private static Dictionary<string, object>? RenderExclusions(LifecycleExclusions e)
    {
        if (e.IsEmpty)
        {
            return null;
        }

        return new Dictionary<string, object>
        {
            ["Amis"] = Cfn.Clean(new Dictionary<string, object?>
            {
                ["IsPublic"] = e.Public ? true : null,
                ["LastLaunched"] = e.LaunchedWithinDays is { } days ? new Dictionary<string, object> { ["Value"] = days, ["Unit"] = "DAYS" } : null,
                ["Regions"] = e.Regions.Count == 0 ? null : e.Regions.ToArray(),
                ["SharedAccounts"] = e.SharedWithAccounts.Count == 0 ? null : e.SharedWithAccounts.ToArray(),
                ["TagMap"] = e.Tags.Count == 0 ? null : Cfn.TagMap(e.Tags),
            }),
        };
    }

    private static string Summary(AmiLifecyclePolicyProps props, List<(string Name, LifecycleRule Rule)> steps)
    {
        var text = new StringBuilder("Retires the AMIs of ").Append(props.PolicyName).Append(": ");
        text.AppendJoin(", ", steps.Select(s => s.Rule.AfterDays is { } days
            ? $"{s.Name.ToLowerInvariant()} after {days} days"
            : $"{s.Name.ToLowerInvariant()} all but the newest {s.Rule.KeepNewest}"));
        text.Append("; always keeps the newest ").Append(props.KeepAtLeast);
        text.Append(props.DeleteSnapshots ? "; snapshots are deleted with their AMIs." : "; snapshots are kept.");
        return text.ToString();
    }

    private static void Check(string id, AmiLifecyclePolicyProps props)
    {
        ArgumentNullException.ThrowIfNull(props);
        Match($"{id}.PolicyName", props.PolicyName, PolicyNameShape(), "3 to 128 characters: letters, digits, hyphens and underscores, with spaces only inside");
        if (props.Description is { } description && !IsToken(description) && description.Length is 0 or > 1024)
        {
            throw new ConstructValidationException($"{id}.Description", $"{description.Length} characters", "1 to 1024 characters");
        }

        CheckSelection(id, props);
        CheckSteps(id, props);
        CheckExclusions($"{id}.Exclusions", props.Exclusions);
    }

    private static void CheckSelection(string id, AmiLifecyclePolicyProps props)
    {
        if (props.Recipes.Count == 0 && props.ImageTags.Count == 0)
        {
            throw new ConstructValidationException($"{id}.Recipes", null, "at least one recipe or image tag selecting the images the policy retires");
        }

        if (props.Recipes.Count > MaxRecipes)
        {
            throw new ConstructValidationException($"{id}.Recipes", $"{props.Recipes.Count} recipes", $"at most {MaxRecipes} recipes");
        }

        for (var i = 0; i < props.Recipes.Count; i++)
        {
            Match($"{id}.Recipes[{i}].Name", props.Recipes[i].Name, PolicyNameShape(), "a recipe name: 3 to 128 characters, letters, digits, hyphens and underscores, with spaces only inside");
            Match($"{id}.Recipes[{i}].Version", props.Recipes[i].Version, VersionShape(), "a version such as 1.2.3, with x wildcards such as 1.x.x or x.x.x");
        }

        Tags($"{id}.ImageTags", props.ImageTags, ImageBuilderTagKey(), ImageBuilderTagKeyAccepted, MaxTags);
    }

    private static void CheckSteps(string id, AmiLifecyclePolicyProps props)
    {
        Range($"{id}.KeepAtLeast", props.KeepAtLeast, 1, 10, "AMIs (Image Builder's retain-at-least)");
        var rules = new[] { props.Deprecate, props.Disable, props.Delete };
        if (rules.All(r => r is null))
        {
            throw new ConstructValidationException($"{id}.Delete", null, "at least one of Deprecate, Disable or Delete");
        }

        for (var i = 0; i < rules.Length; i++)
        {
            if (rules[i] is not { } rule)
            {
                continue;
            }

            var where = $"{id}.{StepNames[i]}";
            switch (rule)
            {
                case { AfterDays: not null, KeepNewest: not null }:
                    throw new ConstructValidationException(where, "both AfterDays and KeepNewest", $"one rule per action: either AfterDays (by age) or KeepNewest (by count) for {StepNames[i]}");
                case { AfterDays: null, KeepNewest: null }:
                    throw new ConstructValidationException(where, null, $"AfterDays (by age) or KeepNewest (by count) for {StepNames[i]}");
                case { KeepNewest: 0 } when StepNames[i] == "Delete":
                    throw new ConstructValidationException($"{where}.KeepNewest", "0", "at least 1: a delete rule that keeps no AMI would leave the image with none");
                case { AfterDays: { } days }:
                    Range($"{where}.AfterDays", days, 1, 1000, "days");
                    break;
                case { KeepNewest: { } keep }:
                    Range($"{where}.KeepNewest", keep, 1, 1000, "AMIs");
                    if (StepNames[i] != "Deprecate" && keep < props.KeepAtLeast)
                    {
                        throw new ConstructValidationException(
                            $"{where}.KeepNewest", Text(keep),
                            $"at least KeepAtLeast ({props.KeepAtLeast}): {StepNames[i]} would leave fewer usable AMIs than KeepAtLeast promises");
                    }

                    break;
            }
        }

        for (var later = 1; later < rules.Length; later++)
        {
            for (var earlier = 0; earlier < later; earlier++)
            {
                if (rules[earlier] is not { } a || rules[later] is not { } b || (a.AfterDays is null) != (b.AfterDays is null))
                {
                    continue;
                }

                var (aValue, bValue, unit) = a.AfterDays is { } aDays ? (aDays, b.AfterDays!.Value, "AfterDays") : (a.KeepNewest!.Value, b.KeepNewest!.Value, "KeepNewest");
                if (bValue <= aValue)
                {
                    throw new ConstructValidationException(
                        $"{id}.{StepNames[later]}.{unit}", Text(bValue),
                        $"more than {StepNames[earlier]}.{unit} ({aValue}): AMIs are deprecated, then disabled, then deleted, in that order");
                }
            }
        }
    }

    private static void CheckExclusions(string where, LifecycleExclusions e)
    {
        if (e.LaunchedWithinDays is { } days)
        {
            Range($"{where}.LaunchedWithinDays", days, 1, 365, "days");
        }

        Tags($"{where}.Tags", e.Tags, ImageBuilderTagKey(), ImageBuilderTagKeyAccepted, MaxTags);
        for (var i = 0; i < e.Regions.Count; i++)
        {
            Match($"{where}.Regions[{i}]", e.Regions[i], Region(), "an AWS region code such as us-east-1 or eu-west-1");
        }

        if (e.SharedWithAccounts.Count > MaxSharedAccounts)
        {
            throw new ConstructValidationException($"{where}.SharedWithAccounts", $"{e.SharedWithAccounts.Count} accounts", $"at most {MaxSharedAccounts} accounts");
        }

        for (var i = 0; i < e.SharedWithAccounts.Count; i++)
        {
            Match($"{where}.SharedWithAccounts[{i}]", e.SharedWithAccounts[i], Account(), "a 12-digit AWS account id");
        }
    }

    [GeneratedRegex("^[-_A-Za-z0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z0-9]$")]
    private static partial Regex PolicyNameShape();

    [GeneratedRegex("^(?:[0-9]+|x)\\.(?:[0-9]+|x)\\.(?:[0-9]+|x)$")]
    private static partial Regex VersionShape();
}
