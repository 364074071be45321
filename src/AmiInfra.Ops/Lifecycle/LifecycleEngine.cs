using System.Globalization;
using AmiInfra.Declaration;
using AmiInfra.Ops.Inventory;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Lifecycle;

/// <summary>
/// One declared retirement step as the factory's lifecycle policy renders it: an AGE filter (its
/// <c>afterDays</c>, or 1 day for a step by count) and a retention window (the newest K available AMIs of the
/// image in a region and account, tagged <see cref="TagKey"/> by the retention marker and excluded by the step).
/// </summary>
/// <param name="Action">Deprecate, disable or delete.</param>
/// <param name="Name">deprecate, disable or delete.</param>
/// <param name="Declared">The step as declared.</param>
/// <param name="AgeDays">The policy detail's AGE filter, in days: AMIs older than this are due.</param>
/// <param name="Window">K: how many of the newest available AMIs the step never acts on.</param>
/// <param name="TagKey">The retention tag of the step's window.</param>
public sealed record PolicyStep(LifecycleAction Action, string Name, ImageLifecycleStep Declared, int AgeDays, int Window, string TagKey)
{
    /// <summary>What protects the AMIs of the window, in words: "keepAtLeast" or "keepNewest".</summary>
    public string WindowSource => Declared.ByAge ? "keepAtLeast" : "keepNewest";
}

/// <summary>
/// The rule semantics every lifecycle command shares (<c>lifecycle plan</c> and <c>apply</c>, the audit and
/// <c>lifecycle forecast</c>), as the factory renders retirement (one lifecycle policy per image, AGE filters
/// only, each detail excluding the AMIs that carry its retention tag):
/// <list type="bullet">
/// <item>the AMIs of an image are ranked per region (and per account: callers pass one account's AMIs) newest
/// first, ties by id; only available AMIs (deprecated ones included: they still launch) are ranked;</item>
/// <item>each step keeps a retention window, its newest K ranked AMIs: K is <c>keepAtLeast</c> for a step by age
/// and <c>keepNewest</c> for a step by count (<see cref="Lifecycles.WindowSize"/>);</item>
/// <item>a step is due for an AMI older than its AGE filter (<see cref="Lifecycles.FilterAgeDays"/>) and outside its
/// window, unless a declared exclusion keeps it.</item>
/// </list>
/// What Image Builder does once a day with those rules is <see cref="Execute"/>.
/// </summary>
public static class LifecycleEngine
{
    /// <summary>The state of an AMI that launches (deprecated AMIs included).</summary>
    public const string Available = "available";

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ImageLifecycle, IReadOnlyList<PolicyStep>> StepsOf = [];

    /// <summary>The declared steps, in Image Builder's priority order: deprecate, disable, delete.</summary>
    public static IReadOnlyList<PolicyStep> Steps(ImageLifecycle rules) => StepsOf.GetValue(rules, Render);

    private static List<PolicyStep> Render(ImageLifecycle rules)
    {
        var steps = new List<PolicyStep>();
        foreach (var (step, action) in new[] { (rules.Deprecate, LifecycleAction.Deprecate), (rules.Disable, LifecycleAction.Disable), (rules.Delete, LifecycleAction.Delete) })
        {
            if (step is null)
            {
                continue;
            }

            var name = Lifecycles.StepNames[(int)action - (int)LifecycleAction.Deprecate];
            var rule = new LifecycleStepRule(name, step.AfterDays, step.KeepNewest);
            steps.Add(new PolicyStep(action, name, step, Lifecycles.FilterAgeDays(rule), Lifecycles.WindowSize(rule, rules.KeepAtLeast), AmiTagKeys.Retain(name)));
        }

        return steps;
    }

    /// <summary>Whether the AMI launches: available, deprecated or not (disabled, pending and failed AMIs do not).</summary>
    public static bool Launchable(AmiRecord ami) => ami.State == Available;

    /// <summary>
    /// The rank of each launchable AMI among the AMIs given (one image, one region, one account): 0 for the newest,
    /// by creation date, ties by id. AMIs that do not launch have no rank, nor have copies that failed their release
    /// verification: failed builds never push the verified copy consumers are on out of a retention window.
    /// </summary>
    public static IReadOnlyDictionary<string, int> Ranks(IEnumerable<AmiRecord> amis) =>
        amis.Where(Launchable)
            .Where(a => a.Tags.GetValueOrDefault(AmiTagKeys.VerificationResult) != AmiTagKeys.VerificationFailed)
            .OrderByDescending(a => a.Created ?? DateTimeOffset.MinValue)
            .ThenBy(a => a.ImageId, StringComparer.Ordinal)
            .Select((a, rank) => (a.ImageId, rank))
            .ToDictionary(x => x.ImageId, x => x.rank, StringComparer.Ordinal);

    /// <summary>Whether the AMI is within the step's retention window, given the ranks of its image's AMIs there.</summary>
    public static bool InWindow(PolicyStep step, AmiRecord ami, IReadOnlyDictionary<string, int> ranks) =>
        InWindow(step, ranks.TryGetValue(ami.ImageId, out var rank) ? rank : null);

    /// <summary>Whether an AMI of this rank (<see cref="Ranks"/>; null when it does not launch) is within the step's retention window.</summary>
    public static bool InWindow(PolicyStep step, int? rank) => rank < step.Window;

    /// <summary>
    /// The retention tags each AMI should carry (the retention marker's work): for every declared step, its tag on the
    /// AMIs of its window. Keyed by AMI id; AMIs outside every window get an empty set.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Marks(ImageLifecycle rules, IReadOnlyList<AmiRecord> amis)
    {
        var steps = Steps(rules);
        var ranks = Ranks(amis);
        return amis.ToDictionary(
            a => a.ImageId,
            a => (IReadOnlySet<string>)steps.Where(s => InWindow(s, a, ranks)).Select(s => s.TagKey).ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    /// <summary>Whether the AMI carries the retention tag of the step.</summary>
    public static bool Marked(AmiRecord ami, string tagKey) => ami.Tags.TryGetValue(tagKey, out var value) && value == AmiTagKeys.RetainValue;

    /// <summary>
    /// Whether the step's AGE filter matches: created more than its days before <paramref name="at"/> ("older than the
    /// specified threshold", "How lifecycle policy execution works", How resources are evaluated:
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/lifecycle-policy-execution.html#lifecycle-execution-resource-evaluation).
    /// Image Builder measures the image resource's age; the AMI's creation date stands for it here.
    /// </summary>
    public static bool AgeMatches(PolicyStep step, DateTimeOffset? created, DateTimeOffset at) =>
        created is { } c && at - c > TimeSpan.FromDays(step.AgeDays);

    /// <summary>
    /// The first declared exclusion that keeps the AMI, described, or null. Image Builder's order
    /// ("Image Builder checks conditions in order and skips the AMI at the first match: Region, Public, Tag, Shared
    /// account, Last launched", "How lifecycle management rules work", https://docs.aws.amazon.com/imagebuilder/latest/userguide/image-lifecycle-rules.html);
    /// a tag excludes when any one key=value matches.
    /// </summary>
    public static string? Exclusion(ImageLifecycleExclusions exclusions, AmiRecord ami, DateTimeOffset now)
    {
        if (exclusions.Regions.Contains(ami.Region, StringComparer.Ordinal))
        {
            return $"region {ami.Region}";
        }

        if (exclusions.Public && ami.Public)
        {
            return "public";
        }

        foreach (var (key, value) in exclusions.Tags)
        {
            if (ami.Tags.TryGetValue(key, out var actual) && actual == value)
            {
                return $"tag {key}={value}";
            }
        }

        var account = exclusions.SharedWithAccounts.FirstOrDefault(a => ami.SharedWith.Contains(a, StringComparer.Ordinal));
        if (account is not null)
        {
            return $"shared with {account}";
        }

        return exclusions.LaunchedWithinDays is { } days && ami.LastLaunched is { } launched && launched >= now.AddDays(-days)
            ? $"launched within {Number(days)} days ({launched.UtcDateTime:yyyy-MM-dd})"
            : null;
    }

    /// <summary>
    /// Why the policy detail of <paramref name="step"/> skips the AMI, or null: what the detail's
    /// <c>exclusionRules.amis</c> holds, in Image Builder's order. Its tag map is the step's retention tag (read from
    /// the AMI's tags, as Image Builder reads them) and the declared exclusion tags.
    /// </summary>
    public static string? PolicySkip(ImageLifecycle rules, PolicyStep step, AmiRecord ami, DateTimeOffset at)
    {
        var exclusions = rules.Exclusions;
        if (exclusions.Regions.Contains(ami.Region, StringComparer.Ordinal) || (exclusions.Public && ami.Public))
        {
            return Exclusion(exclusions, ami, at);
        }

        return Marked(ami, step.TagKey) ? $"tag {step.TagKey}={AmiTagKeys.RetainValue} (among the newest {Number(step.Window)}, {step.WindowSource})" : Exclusion(exclusions, ami, at);
    }

    /// <summary>
    /// What the rules say is due for the AMI now (what <c>lifecycle plan</c> shows): the most severe declared step
    /// whose AGE filter matches and whose window does not hold the AMI (delete, then disable, then deprecate), or keep.
    /// Exclusions are not applied here (see <see cref="Exclusion"/>).
    /// </summary>
    /// <param name="rules">The image's rules.</param>
    /// <param name="ami">The AMI.</param>
    /// <param name="ranks">The ranks of the AMIs of its image in its region (<see cref="Ranks"/>).</param>
    /// <param name="now">Now.</param>
    public static (LifecycleAction Action, string Reason) Due(ImageLifecycle rules, AmiRecord ami, IReadOnlyDictionary<string, int> ranks, DateTimeOffset now)
    {
        if (ami.State == "pending")
        {
            return (LifecycleAction.Keep, "pending: the rules act on it once it is available");
        }

        PolicyStep? protectedBy = null;
        foreach (var step in Steps(rules).Reverse())
        {
            if (!AgeMatches(step, ami.Created, now))
            {
                continue;
            }

            if (InWindow(step, ami, ranks))
            {
                protectedBy ??= step;
                continue;
            }

            var reason = step.Declared.ByAge
                ? $"older than {Number(step.AgeDays)} days ({Number(ami.AgeDays(now))}d)"
                : $"beyond the newest {Number(step.Window)} ({(ranks.TryGetValue(ami.ImageId, out var rank) ? $"#{Number(rank + 1)}" : ami.State)})";
            return (step.Action, reason);
        }

        return protectedBy is null
            ? (LifecycleAction.Keep, "within the rules")
            : (LifecycleAction.Keep, $"among the newest {Number(protectedBy.Window)} ({protectedBy.WindowSource})");
    }

    /// <summary>
    /// One execution of the image's lifecycle policy on one image resource, as "How lifecycle policy execution works"
    /// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/lifecycle-policy-execution.html) describes it: rules in
    /// priority order deprecate, disable, delete; only one action per image per execution ("If an image matches a
    /// deprecate rule, Image Builder skips the disable and delete rules for that image during the same run"); a
    /// deprecate rule skips images already deprecated or disabled, a disable rule images already disabled, a delete
    /// rule evaluates images in any state; the AGE filter on the image resource's age; then each output AMI is checked
    /// against the AMI-level exclusions and skipped (SKIPPED) or acted on, the image's other AMIs still acted on.
    /// <para>
    /// Assumption (the page is silent): when an action skips one of the image's AMIs, the image resource keeps its
    /// status (and a delete keeps the resource), so later executions evaluate it again and act on that AMI once it is
    /// no longer excluded. The reading that the image takes the new status anyway would leave an AMI skipped by a
    /// deprecate or disable rule never deprecated or disabled by it (the delete rule still acts on it).
    /// </para>
    /// </summary>
    /// <param name="rules">The image's rules.</param>
    /// <param name="image">The image resource and its output AMIs that still exist.</param>
    /// <param name="skip">Why a step skips an AMI, or null (<see cref="PolicySkip"/> for the policy the factory renders).</param>
    /// <param name="at">When the execution runs.</param>
    public static ExecutionOutcome Execute(ImageLifecycle rules, ImageResource image, Func<PolicyStep, AmiRecord, string?> skip, DateTimeOffset at)
    {
        foreach (var step in Steps(rules))
        {
            var skipsStatus = step.Action switch
            {
                LifecycleAction.Deprecate => image.Status is ImageStatus.Deprecated or ImageStatus.Disabled,
                LifecycleAction.Disable => image.Status is ImageStatus.Disabled,
                _ => false,
            };
            if (skipsStatus || !AgeMatches(step, image.Created, at))
            {
                continue;
            }

            var outcomes = image.Amis.Select(ami => skip(step, ami) is { } reason
                ? new AmiOutcome(ami, step.Action, Done: false, SkippedBy: reason)
                : new AmiOutcome(ami, step.Action, Done: !AlreadyDone(step.Action, ami), SkippedBy: null)).ToList();
            var status = outcomes.Any(o => o.SkippedBy is not null)
                ? image.Status
                : step.Action switch
                {
                    LifecycleAction.Deprecate => ImageStatus.Deprecated,
                    LifecycleAction.Disable => ImageStatus.Disabled,
                    _ => ImageStatus.Deleted,
                };
            return new ExecutionOutcome(step, outcomes, status);
        }

        return new ExecutionOutcome(null, [], image.Status);
    }

    /// <summary>An AMI already in the state the action puts it in ("reports the action as SUCCESS").</summary>
    private static bool AlreadyDone(LifecycleAction action, AmiRecord ami) => action switch
    {
        LifecycleAction.Deprecate => ami.DeprecationTime is not null || ami.State == "disabled",
        LifecycleAction.Disable => ami.State == "disabled",
        _ => false,
    };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The status of an Image Builder image resource, as lifecycle policies see it.</summary>
public enum ImageStatus
{
    /// <summary>Available.</summary>
    Available,

    /// <summary>Deprecated by a deprecate rule.</summary>
    Deprecated,

    /// <summary>Disabled by a disable rule.</summary>
    Disabled,

    /// <summary>Deleted by a delete rule.</summary>
    Deleted,
}

/// <summary>An Image Builder image resource: one build, with the output AMIs that still exist.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Created">When the build completed (what the AGE filter measures).</param>
/// <param name="Status">Its status.</param>
/// <param name="Amis">Its output AMIs (every region and account) that still exist.</param>
public sealed record ImageResource(string Id, DateTimeOffset Created, ImageStatus Status, IReadOnlyList<AmiRecord> Amis);

/// <summary>What one execution does to one output AMI.</summary>
/// <param name="Ami">The AMI.</param>
/// <param name="Action">The action of the rule that matched.</param>
/// <param name="Done">True when the action changed the AMI (false when skipped, or already in that state).</param>
/// <param name="SkippedBy">Why the AMI was skipped, or null.</param>
public sealed record AmiOutcome(AmiRecord Ami, LifecycleAction Action, bool Done, string? SkippedBy);

/// <summary>What one execution does to one image resource.</summary>
/// <param name="Step">The rule that matched, or null when none did.</param>
/// <param name="Amis">What happened to each output AMI (empty when no rule matched).</param>
/// <param name="Status">The image resource's status afterwards.</param>
public sealed record ExecutionOutcome(PolicyStep? Step, IReadOnlyList<AmiOutcome> Amis, ImageStatus Status);
