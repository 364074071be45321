using AmiInfra.Declaration;
using AmiInfra.Ops.Inventory;

namespace AmiInfra.Ops.Lifecycle;

/// <summary>
/// Applies declared retirement rules to the AMIs that exist, with the semantics of <see cref="LifecycleEngine"/>
/// (the factory's lifecycle policies and retention windows): the available AMIs of an image are ranked per region
/// newest first; a step acts on AMIs older than its age (afterDays, or 1 day for a step by count) that are outside
/// its window (the newest keepAtLeast for a step by age, the newest keepNewest for a step by count); the most severe
/// step that applies wins (delete, then disable, then deprecate); an exclusion (a region, public, a tag, shared with
/// an account, launched within N days) keeps an AMI from any action.
/// </summary>
public static class LifecyclePlanner
{
    /// <summary>
    /// A deprecation time up to this far ahead counts as done: apply deprecates at the next whole minute,
    /// since EC2 refuses a deprecation time in the past (API_EnableImageDeprecation).
    /// </summary>
    public static readonly TimeSpan DeprecationLead = TimeSpan.FromMinutes(10);

    /// <summary>The decision for every AMI, in the order given.</summary>
    public static IReadOnlyList<LifecycleDecision> Plan(Factory factory, IReadOnlyList<AmiRecord> amis, DateTimeOffset now)
    {
        var images = factory.Images.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var ranks = amis
            .GroupBy(a => (a.ImageName, a.Region))
            .SelectMany(g => { var r = LifecycleEngine.Ranks(g); return g.Select(a => (a, r)); })
            .ToDictionary(x => x.a, x => x.r);

        return amis.Select(ami =>
        {
            if (ami.ImageName is null || !images.TryGetValue(ami.ImageName, out var image))
            {
                return Keep(ami, "not an image of the declaration");
            }

            if (image.Lifecycle is null)
            {
                return Keep(ami, "no retirement rules declared");
            }

            var (action, reason) = LifecycleEngine.Due(image.Lifecycle, ami, ranks[ami], now);
            var applied = action switch
            {
                LifecycleAction.Deprecate => ami.DeprecationTime is { } at && at <= now + DeprecationLead,
                LifecycleAction.Disable => ami.State == "disabled",
                _ => false,
            };
            var exclusion = action == LifecycleAction.Keep ? null : Exclusion(image.Lifecycle.Exclusions, ami, now);
            var disabledByUs = ami.State == "disabled" && image.Lifecycle.Disable is not null;
            if (disabledByUs && (exclusion is not null || action is LifecycleAction.Keep or LifecycleAction.Deprecate))
            {
                return new LifecycleDecision(ami, LifecycleAction.ReEnable, $"disabled, but the rules do not disable it now ({exclusion ?? reason})", null, LifecycleAction.ReEnable, false);
            }

            if (action == LifecycleAction.Keep)
            {
                return new LifecycleDecision(ami, action, reason, null, action, false);
            }

            return exclusion is null
                ? new LifecycleDecision(ami, action, reason, null, action, applied)
                : new LifecycleDecision(ami, LifecycleAction.Keep, reason, exclusion, action, false);
        }).ToList();
    }

    /// <summary>
    /// Adds the guards of the decisions that disable or delete: an AMI in use (instances, launch templates,
    /// SSM parameters, recipes), public or shared loses its users when it is disabled (which also removes
    /// its launch permissions) or deregistered.
    /// </summary>
    public static IReadOnlyList<LifecycleDecision> Guard(IReadOnlyList<LifecycleDecision> decisions, IReadOnlyDictionary<string, Usage.ImageUsage> usage) =>
        decisions.Select(d =>
        {
            if (!d.Pending || d.Action is not (LifecycleAction.Disable or LifecycleAction.Delete))
            {
                return d;
            }

            var reasons = new List<string>();
            if (usage.TryGetValue(d.Ami.ImageId, out var users) && users.InUse)
            {
                reasons.Add($"in use by {users.Summary()}");
            }

            if (d.Ami.Public)
            {
                reasons.Add("public");
            }

            if (d.Ami.SharedWith.Count > 0)
            {
                reasons.Add($"shared with {string.Join(", ", d.Ami.SharedWith)}");
            }

            if (reasons.Count == 0)
            {
                return d;
            }

            var guard = new Usage.ImageGuard(d.Ami.ImageId, users ?? new Usage.ImageUsage { ImageId = d.Ami.ImageId }, d.Ami.Public, d.Ami.SharedWith, null);
            return d with { Guard = string.Join("; ", reasons), GuardedFor = guard.Users().ToList() };
        }).ToList();

    private static LifecycleDecision Keep(AmiRecord ami, string reason) =>
        new(ami, LifecycleAction.Keep, reason, null, LifecycleAction.Keep, false);

    /// <summary>The first exclusion that applies to the AMI, described, or null (<see cref="LifecycleEngine.Exclusion"/>).</summary>
    public static string? Exclusion(ImageLifecycleExclusions exclusions, AmiRecord ami, DateTimeOffset now) =>
        LifecycleEngine.Exclusion(exclusions, ami, now);
}
