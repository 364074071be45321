namespace AmiInfra.Rules;

/// <summary>One retirement step as the rules see it: its name and its rule, by age or by count.</summary>
/// <param name="Name">deprecate, disable or delete.</param>
/// <param name="AfterDays">Act on AMIs older than this many days; or null.</param>
/// <param name="KeepNewest">Act on all but the newest this many AMIs; or null.</param>
public sealed record LifecycleStepRule(string Name, int? AfterDays, int? KeepNewest);

/// <summary>
/// What Image Builder lifecycle policies and the Recycle Bin accept. Source: Image Builder API
/// reference, LifecyclePolicyDetailFilter, LifecyclePolicyDetailExclusionRulesAmis and
/// LifecyclePolicyResourceSelection (https://docs.aws.amazon.com/imagebuilder/latest/APIReference/),
/// and the Recycle Bin API reference, RetentionPeriod.
/// </summary>
public static class Lifecycles
{
    /// <summary>The steps, in the order they act.</summary>
    public static readonly IReadOnlyList<string> StepNames = ["deprecate", "disable", "delete"];

    /// <summary>Smallest and largest age (days) or count of a filter.</summary>
    public static readonly (int Min, int Max) FilterValue = (1, 1000);

    /// <summary>Image Builder's retainAtLeast of an age filter.</summary>
    public static readonly (int Min, int Max) RetainAtLeast = (1, 10);

    /// <summary>
    /// The steps whose age filter takes retainAtLeast: delete only. The CloudFormation reference
    /// (AWS::ImageBuilder::LifecyclePolicy Filter, RetainAtLeast:
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-imagebuilder-lifecyclepolicy-filter.html)
    /// and the API reference (LifecyclePolicyDetailFilter.retainAtLeast) define it as "the number of
    /// resources to keep on hand after the lifecycle DELETE action is applied", and the user guide's
    /// "How lifecycle policy execution works" documents retention under "How retention works for delete
    /// rules" (https://docs.aws.amazon.com/imagebuilder/latest/userguide/lifecycle-policy-execution.html#lifecycle-execution-retention).
    /// Nothing documents it for deprecate or disable, so AmiInfra never sends it there.
    /// </summary>
    public static readonly IReadOnlyList<string> RetainAtLeastSteps = ["delete"];

    /// <summary>
    /// What a recipe selection with a wildcard version groups: each matching recipe version apart.
    /// "How lifecycle policy execution works", How resources are evaluated
    /// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/lifecycle-policy-execution.html#lifecycle-execution-resource-evaluation):
    /// a wildcard version's count and retain-at-least apply independently to each matching recipe
    /// version. Recipe versions follow their content in AmiInfra, so counts and retain-at-least hold per
    /// recipe change, while an age filter without retain-at-least acts on each image by its own age,
    /// whatever its version.
    /// </summary>
    public const string WildcardGrouping = "each recipe version apart";

    /// <summary>
    /// The declared exclusion tags of a policy whose steps also exclude their retention tag: at most
    /// <see cref="MaxTags"/> - 1 (Image Builder takes <see cref="MaxTags"/> per exclusion rule, and one is the step's
    /// retention tag), and none of the retention tags themselves (a declared value would replace the window's).
    /// </summary>
    public static Problem? ExclusionTags(IReadOnlyDictionary<string, string> tags, bool retentionWindows)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (!retentionWindows)
        {
            return null;
        }

        if (tags.Count > MaxTags - 1)
        {
            return new Problem($"{tags.Count} tags", $"at most {MaxTags - 1} tags: each step also excludes its retention tag (amiinfra:retain-<step>), and Image Builder takes at most {MaxTags} per exclusion rule");
        }

        foreach (var step in StepNames)
        {
            if (tags.ContainsKey(AmiTagKeys.Retain(step)))
            {
                return new Problem($"the tag key {Text.Quote(AmiTagKeys.Retain(step))}", "a key other than the retention tags amiinfra:retain-deprecate, amiinfra:retain-disable and amiinfra:retain-delete, which the retention marker sets") { Part = AmiTagKeys.Retain(step) };
            }
        }

        return null;
    }

    /// <summary>The lastLaunched exclusion, in days.</summary>
    public static readonly (int Min, int Max) LastLaunchedDays = (1, 365);

    /// <summary>Most tags in a resource selection or an exclusion rule.</summary>
    public const int MaxTags = 50;

    /// <summary>Most recipes one policy selects.</summary>
    public const int MaxRecipes = 50;

    /// <summary>Most accounts in the shared-accounts exclusion.</summary>
    public const int MaxSharedAccounts = 1536;

    /// <summary>Days the Recycle Bin can keep a resource (RetentionPeriod.RetentionPeriodValue).</summary>
    public static readonly (int Min, int Max) RecycleBinDays = (1, 365);

    /// <summary>
    /// The retention window of a step: how many of the newest available AMIs of an image (per region and account)
    /// carry its retention tag, so that its policy detail never acts on them. A step by count keeps its
    /// <c>keepNewest</c>; a step by age keeps <paramref name="keepAtLeast"/>.
    /// </summary>
    public static int WindowSize(LifecycleStepRule step, int keepAtLeast) => step.KeepNewest ?? keepAtLeast;

    /// <summary>
    /// The age (days) of a step's policy detail: its <c>afterDays</c>, or 1 for a step by count (its retention
    /// window does the counting, across recipe versions, which Image Builder's COUNT filter does not).
    /// </summary>
    public static int FilterAgeDays(LifecycleStepRule step) => step.AfterDays ?? 1;

    /// <summary>
    /// The value and unit of an age filter of <paramref name="days"/> days, or null when no unit expresses it exactly. Image
    /// Builder limits the value, not the days: "value ... Valid Range: Minimum value of 1. Maximum value of 1000" with a
    /// unit of DAYS, WEEKS, MONTHS or YEARS (LifecyclePolicyDetailFilter,
    /// https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_LifecyclePolicyDetailFilter.html). Days and weeks
    /// are whole numbers of days, months and years are not (they vary in length), so a declared number of days is sent in
    /// days up to 1000, else in weeks when it divides by 7, up to 1000 weeks (7000 days).
    /// </summary>
    public static (int Value, string Unit)? AgeFilter(int days) =>
        days >= FilterValue.Min && days <= FilterValue.Max ? (days, "DAYS")
        : days > FilterValue.Max && days % 7 == 0 && days / 7 <= FilterValue.Max ? (days / 7, "WEEKS")
        : null;

    /// <summary>The most days an age filter can express: 1000 weeks (<see cref="AgeFilter"/>).</summary>
    public static readonly int MaxAgeDays = FilterValue.Max * 7;

    /// <summary>
    /// An age in days that an age filter can express (<see cref="AgeFilter"/>): 1 to 1000 days, or a whole number of weeks
    /// up to 1000 weeks. The problem says which unit fails and the nearest ages that do not.
    /// </summary>
    public static Problem? AgeDays(int days)
    {
        const string accepted = "an age Image Builder can express: 1 to 1000 days, or a whole number of weeks up to 1000 weeks (7000 days); it takes at most 1000 of a unit, and months and years are not whole numbers of days";
        if (AgeFilter(days) is not null)
        {
            return null;
        }

        if (days < FilterValue.Min || days > MaxAgeDays)
        {
            return new Problem(Text.Number(days), accepted);
        }

        var below = days / 7 * 7;
        return new Problem($"{Text.Number(days)} ({Text.Number(days)} days is more than 1000 days and not a whole number of weeks)", $"{accepted}: {Text.Number(below)} or {Text.Number(below + 7)} days, for example");
    }

    /// <summary>
    /// How long the Recycle Bin keeps deleted snapshots against how long it keeps deregistered AMIs: at least as long,
    /// since an AMI restored from the Recycle Bin launches only when its snapshots are there too ("Recover deleted Amazon
    /// EBS snapshots and EBS-backed AMIs with Recycle Bin", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/recycle-bin.html).
    /// <paramref name="ami"/> names the AMIs' retention in the caller's words, for the message.
    /// </summary>
    public static Problem? SnapshotRetention(int snapshotDays, int amiDays, string ami) =>
        snapshotDays < amiDays
            ? new Problem(Text.Number(snapshotDays), $"at least {ami} ({Text.Number(amiDays)}): a restored AMI needs its snapshots, so snapshots stay in the Recycle Bin at least as long")
            : null;

    /// <summary>A whole number within a range.</summary>
    public static Problem? Within(int value, (int Min, int Max) range, string unit) =>
        value < range.Min || value > range.Max
            ? new Problem(Text.Number(value), $"a whole number from {range.Min} to {range.Max} {unit}")
            : null;

    /// <summary>
    /// The steps of one policy: each by age or by count (not both), values in range, later steps
    /// acting later than earlier ones of the same kind, and count rules that take AMIs out of use
    /// keeping at least <paramref name="keepAtLeast"/>. The problem's <see cref="Problem.Part"/> is
    /// "{step}", "{step}.afterDays", "{step}.keepNewest" or "keepAtLeast", in the caller's words:
    /// <paramref name="name"/> maps these names (and "afterDays", "keepNewest") to the caller's. Default: as written.
    /// </summary>
    public static Problem? Steps(IReadOnlyList<LifecycleStepRule> steps, int keepAtLeast, Func<string, string>? name = null)
    {
        name ??= n => n;
        string N(string part) => string.Join('.', part.Split('.').Select(name));

        if (steps.Count == 0)
        {
            return new Problem("no retirement step", "at least one of deprecate, disable or delete");
        }

        foreach (var step in steps)
        {
            if (step.AfterDays is not null && step.KeepNewest is not null)
            {
                return new Problem($"both {N("afterDays")} and {N("keepNewest")}", $"one rule per action: either {N("afterDays")} (by age) or {N("keepNewest")} (by count) for {N(step.Name)}") { Part = N(step.Name) };
            }

            if (step.AfterDays is null && step.KeepNewest is null)
            {
                return new Problem($"neither {N("afterDays")} nor {N("keepNewest")}", $"{N("afterDays")} (by age) or {N("keepNewest")} (by count) for {N(step.Name)}") { Part = N(step.Name) };
            }

            if (step.AfterDays is { } days && AgeDays(days) is { } ageProblem)
            {
                return ageProblem with { Part = N($"{step.Name}.afterDays") };
            }

            if (step is { Name: "delete", KeepNewest: 0 })
            {
                return new Problem("0", "at least 1: a delete rule that keeps no AMI would leave the image with none") { Part = N("delete.keepNewest") };
            }

            if (step.KeepNewest is { } keep && Within(keep, FilterValue, "AMIs") is { } countProblem)
            {
                return countProblem with { Part = N($"{step.Name}.keepNewest") };
            }
        }

        if (Within(keepAtLeast, RetainAtLeast, "AMIs (the newest AMIs retirement by age keeps)") is { } keepProblem)
        {
            return keepProblem with { Part = N("keepAtLeast") };
        }

        for (var later = 1; later < steps.Count; later++)
        {
            for (var earlier = 0; earlier < later; earlier++)
            {
                var a = steps[earlier];
                var b = steps[later];
                if ((a.AfterDays is null) != (b.AfterDays is null))
                {
                    continue;
                }

                var (aValue, bValue, unit) = a.AfterDays is { } aDays ? (aDays, b.AfterDays!.Value, "afterDays") : (a.KeepNewest!.Value, b.KeepNewest!.Value, "keepNewest");
                if (bValue <= aValue)
                {
                    return new Problem(Text.Number(bValue), $"more than {N($"{a.Name}.{unit}")} ({aValue}): AMIs are deprecated, then disabled, then deleted, in that order") { Part = N($"{b.Name}.{unit}") };
                }
            }
        }

        // Deprecated AMIs stay launchable; disabled and deleted ones do not.
        foreach (var step in steps.Where(s => s.Name != "deprecate"))
        {
            if (step.KeepNewest is { } keep && keep < keepAtLeast)
            {
                return new Problem(Text.Number(keep), $"at least {N("keepAtLeast")} ({keepAtLeast}): {N(step.Name)} would leave fewer usable AMIs than {N("keepAtLeast")} promises") { Part = N($"{step.Name}.keepNewest") };
            }
        }

        return null;
    }
}
