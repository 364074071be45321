using System.Text;
using Amazon.CDK;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Lifecycle;

/// <summary>An EC2 Image Builder lifecycle policy.</summary>
public interface ILifecyclePolicy : IResource
{
    /// <summary>The policy's ARN.</summary>
    string LifecyclePolicyArn { get; }

    /// <summary>The policy's name.</summary>
    string LifecyclePolicyName { get; }

    /// <summary>Lets <paramref name="grantee"/> perform <paramref name="actions"/> on the policy.</summary>
    Amazon.CDK.AWS.IAM.Grant Grant(Amazon.CDK.AWS.IAM.IGrantable grantee, params string[] actions);

    /// <summary>Lets <paramref name="grantee"/> read the policy (imagebuilder:GetLifecyclePolicy).</summary>
    Amazon.CDK.AWS.IAM.Grant GrantRead(Amazon.CDK.AWS.IAM.IGrantable grantee);
}

/// <summary>
/// An Image Builder lifecycle policy (<c>AWS::ImageBuilder::LifecyclePolicy</c>) that retires the
/// AMIs of one image: deprecate, then disable, then deregister (with their snapshots by default),
/// each by age or by count, and no step touches the excluded ones. Which AMIs stay: with
/// <see cref="AmiLifecyclePolicyProps.RetentionWindows"/>, the newest of the image in each region and account, as the
/// retention tags a <see cref="RetentionMarker"/> keeps say; without, Image Builder's counting per recipe version
/// (deletion by age never touches the newest <see cref="AmiLifecyclePolicyProps.KeepAtLeast"/> AMIs of each recipe
/// version). One policy per image, so that each image has its own rules and adding an image never changes another's policy.
/// </summary>
/// <remarks>
/// The policy acts on the image resources it selects and on the AMIs Image Builder distributed for
/// them in this account, in every region. It does not touch launch templates, running instances or
/// AMIs that Image Builder did not create. Copies owned by other accounts (target accounts of a
/// distribution) are retired only where the role <c>Ec2ImageBuilderCrossAccountLifecycleAccess</c>
/// exists (see <see cref="CrossAccountLifecycleRole"/>).
/// </remarks>
public sealed partial class AmiLifecyclePolicy : ImageBuilderResource, ILifecyclePolicy
{
    private const string ReadAction = "imagebuilder:GetLifecyclePolicy";

    /// <summary>Creates the policy (and its execution role when none is given).</summary>
    public AmiLifecyclePolicy(Construct scope, string id, AmiLifecyclePolicyProps props)
        : base(scope, id, ReadAction)
    {
        ArgumentNullException.ThrowIfNull(props);
        LifecyclePolicyName = props.LifecyclePolicyName ?? Naming.Generated(this);
        ExecutionRole = props.ExecutionRole ?? new LifecycleExecutionRole(this, "ExecutionRole").Role;
        var definition = Render(props with { LifecyclePolicyName = LifecyclePolicyName, ExecutionRole = ExecutionRole }, Node.Path);
        Resource = Cfn.Resource(this, "Resource", definition);
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
        ArgumentNullException.ThrowIfNull(props);
        var name = props.LifecyclePolicyName ?? throw new ConstructValidationException($"{where}.LifecyclePolicyName", null, "a policy name (AmiLifecyclePolicy.Render has no construct path to generate one from)");
        var role = props.ExecutionRole ?? throw new ConstructValidationException($"{where}.ExecutionRole", null, "an execution role (AmiLifecyclePolicy.Render makes none): a LifecycleExecutionRole's, or one imported with Role.FromRoleArn");
        Check(where, props);
        var steps = Steps(props);
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
            ["Filter"] = Filter(props, step),
            ["ExclusionRules"] = RenderExclusions(props.Exclusions, props.RetentionWindows ? AmiTagKeys.Retain(step.Name.ToLowerInvariant()) : null),
        })).ToArray();

        return CfnDefinition.Of("AWS::ImageBuilder::LifecyclePolicy", new Dictionary<string, object?>
        {
            ["Name"] = name,
            ["Description"] = props.Description ?? Summary(props, steps),
            ["ExecutionRole"] = Attributes.RoleArn(role),
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
            Warnings = Warnings(props),
        };
    }

    /// <summary>
    /// A step's filter. With retention windows, always by age: the declared days, or
    /// one day for a step by count (<see cref="Lifecycles.FilterAgeDays"/>: the window does the counting), and no
    /// retain-at-least ("How lifecycle policy execution works": count and retain-at-least are counted per recipe version,
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/lifecycle-policy-execution.html). Without, as declared:
    /// age with retain-at-least on delete, or count.
    /// </summary>
    /// <summary>An age in days as Image Builder takes it: days up to 1000, else weeks (<see cref="Lifecycles.AgeFilter"/>; checked before).</summary>
    private static (int Value, string Unit) Age(int days) =>
        Lifecycles.AgeFilter(days) ?? throw new InvalidOperationException($"{days} days was checked to be an age Image Builder can express");

    private static Dictionary<string, object> Filter(AmiLifecyclePolicyProps props, (string Name, LifecycleRule Rule) step)
    {
        if (props.RetentionWindows)
        {
            var rule = new LifecycleStepRule(step.Name.ToLowerInvariant(), step.Rule.AfterDays, step.Rule.KeepNewest);
            var (value, unit) = Age(Lifecycles.FilterAgeDays(rule));
            return new Dictionary<string, object> { ["Type"] = "AGE", ["Value"] = value, ["Unit"] = unit };
        }

        return step.Rule.AfterDays is { } days
            ? Cfn.Clean(new Dictionary<string, object?>
            {
                ["Type"] = "AGE",
                ["Value"] = Age(days).Value,
                ["Unit"] = Age(days).Unit,

                // Retain-at-least is documented for the delete action only (Lifecycles.RetainAtLeastSteps).
                ["RetainAtLeast"] = Lifecycles.RetainAtLeastSteps.Contains(step.Name.ToLowerInvariant()) ? props.KeepAtLeast : null,
            })
            : new Dictionary<string, object> { ["Type"] = "COUNT", ["Value"] = step.Rule.KeepNewest!.Value };
    }

    private static List<string> Warnings(AmiLifecyclePolicyProps props)
    {
        var warnings = new List<string>();
        if (props.Delete is not null && !props.DeleteSnapshots)
        {
            warnings.Add($"{props.LifecyclePolicyName}: DeleteSnapshots is false, so the snapshots of deregistered AMIs stay, and stay billed, until someone deletes them");
        }

        // Retain-at-least and counts hold per recipe version of a wildcard selection (Lifecycles.WildcardGrouping);
        // retention windows count per image across versions, so nothing is kept per superseded version.
        var perVersion = !props.RetentionWindows && props.Recipes.Any(r => r.Version.Contains('x', StringComparison.Ordinal));
        if (perVersion && props.Delete is { AfterDays: not null } && props.Disable is null)
        {
            warnings.Add($"{props.LifecyclePolicyName}: the delete step keeps the newest {props.KeepAtLeast} AMI(s) of every recipe version it selects, and there is no disable step, so the kept AMIs of superseded recipe versions stay launchable and shared until someone deregisters them; add a disable step, or retire them with 'amiinfra lifecycle apply'");
        }

        return warnings;
    }

    /// <summary>The CloudFormation resource (AWS::ImageBuilder::LifecyclePolicy).</summary>
    public CfnResource Resource { get; }

    /// <inheritdoc />
    public string LifecyclePolicyName { get; }

    /// <inheritdoc />
    public string LifecyclePolicyArn => Resource.GetAtt("Arn").ToString()!;

    /// <summary>The role Image Builder runs the policy as.</summary>
    public Amazon.CDK.AWS.IAM.IRole ExecutionRole { get; }

    /// <inheritdoc />
    protected override string GrantedArn => LifecyclePolicyArn;

    /// <summary>Imports a lifecycle policy by ARN.</summary>
    public static ILifecyclePolicy FromLifecyclePolicyArn(Construct scope, string id, string lifecyclePolicyArn) =>
        new Imported(scope, id, lifecyclePolicyArn, Naming.ResourceNameOf(scope, lifecyclePolicyArn, "lifecycle-policy"));

    /// <summary>Imports a lifecycle policy of this account and region by name.</summary>
    public static ILifecyclePolicy FromLifecyclePolicyName(Construct scope, string id, string lifecyclePolicyName)
    {
        Checks.Shape($"{scope.Node.Path}/{id}.LifecyclePolicyName", lifecyclePolicyName, PhysicalNames.ImageBuilderResource);
        var arn = Stack.Of(scope).FormatArn(new ArnComponents { Service = "imagebuilder", Resource = "lifecycle-policy", ResourceName = lifecyclePolicyName });
        return new Imported(scope, id, arn, lifecyclePolicyName);
    }

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

    /// <summary>
    /// The exclusions of one step: the declared ones, and with retention windows the step's retention tag next to the
    /// declared tags. "How lifecycle management rules work": exclusionRules.amis.tagMap "Evaluates tags on the output AMI
    /// ... after determining eligibility", an excluded AMI is skipped while the image's other AMIs are acted on, and any
    /// one tag of the map excludes (https://docs.aws.amazon.com/imagebuilder/latest/userguide/image-lifecycle-rules.html).
    /// </summary>
    private static Dictionary<string, object>? RenderExclusions(LifecycleExclusions e, string? retentionTag)
    {
        if (retentionTag is not null)
        {
            e = e with { Tags = new SortedDictionary<string, string>(e.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal), StringComparer.Ordinal) { [retentionTag] = AmiTagKeys.RetainValue } };
        }

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
        var text = new StringBuilder("Retires the AMIs of ").Append(props.LifecyclePolicyName).Append(": ");
        if (props.RetentionWindows)
        {
            text.AppendJoin(", ", steps.Select(s =>
            {
                var window = Lifecycles.WindowSize(new LifecycleStepRule(s.Name.ToLowerInvariant(), s.Rule.AfterDays, s.Rule.KeepNewest), props.KeepAtLeast);
                return s.Rule.AfterDays is { } days
                    ? $"{s.Name.ToLowerInvariant()} after {days} days but never the newest {window}"
                    : $"{s.Name.ToLowerInvariant()} all but the newest {window}";
            }));
            text.Append(" (available AMIs of the image in each region and account, across recipe versions, tagged amiinfra:retain-<step> by the retention marker)");
            text.Append(props.DeleteSnapshots ? "; snapshots are deleted with their AMIs." : "; snapshots are kept.");
            return text.ToString();
        }

        text.AppendJoin(", ", steps.Select(s => s.Rule.AfterDays is { } days
            ? $"{s.Name.ToLowerInvariant()} after {days} days"
            : $"{s.Name.ToLowerInvariant()} all but the newest {s.Rule.KeepNewest}"));
        text.Append("; deletion by age keeps the newest ").Append(props.KeepAtLeast).Append(" of each recipe version");
        text.Append(props.DeleteSnapshots ? "; snapshots are deleted with their AMIs." : "; snapshots are kept.");
        return text.ToString();
    }

    /// <summary>A lifecycle policy imported as a construct.</summary>
    private sealed class Imported(Construct scope, string id, string arn, string name) : ImageBuilderResource(scope, id, ReadAction), ILifecyclePolicy
    {
        public string LifecyclePolicyArn { get; } = arn;

        public string LifecyclePolicyName { get; } = name;

        protected override string GrantedArn => LifecyclePolicyArn;
    }
}
