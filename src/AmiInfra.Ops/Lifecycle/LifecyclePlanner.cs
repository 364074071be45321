using System.Globalization;
using AmiInfra.Declaration;
using AmiInfra.Ops.Inventory;

namespace AmiInfra.Ops.Lifecycle;

/// <summary>
/// Applies declared retirement rules to the AMIs that exist, the way Image Builder lifecycle policies
/// do: AMIs are grouped by image and region and ranked newest first; an age rule acts on AMIs older
/// than N days but never on the newest KeepAtLeast; a count rule acts on all but the newest N; the
/// most severe step that applies wins (delete, then disable, then deprecate); an exclusion (launched
/// within N days, a tag, public, a region, shared with an account) keeps an AMI from any action.
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
            .SelectMany(g => g.OrderByDescending(a => a.Created).ThenBy(a => a.ImageId, StringComparer.Ordinal).Select((a, rank) => (a, rank)))
            .ToDictionary(x => x.a, x => x.rank);

        return amis.Select(ami =>
        {
            if (ami.ImageName is null || !images.TryGetValue(ami.ImageName, out var image))
            {
                return Keep(ami, "not an image of the declaration");
            }

            if (image.Retirement is null)
            {
                return Keep(ami, "no retirement rules declared");
            }

            var (action, reason) = Decide(image.Retirement, ami, ranks[ami], now);
            var applied = action switch
            {
                RetirementAction.Deprecate => ami.DeprecationTime is { } at && at <= now + DeprecationLead,
                RetirementAction.Disable => ami.State == "disabled",
                _ => false,
            };
            var exclusion = action == RetirementAction.Keep ? null : Exclusion(image.Retirement.Exclusions, ami, now);
            var disabledByUs = ami.State == "disabled" && image.Retirement.Disable is not null;
            if (disabledByUs && (exclusion is not null || action is RetirementAction.Keep or RetirementAction.Deprecate))
            {
                return new LifecycleDecision(ami, RetirementAction.ReEnable, $"disabled, but the rules do not disable it now ({exclusion ?? reason})", null, RetirementAction.ReEnable, false);
            }

            if (action == RetirementAction.Keep)
            {
                return new LifecycleDecision(ami, action, reason, null, action, false);
            }

            return exclusion is null
                ? new LifecycleDecision(ami, action, reason, null, action, applied)
                : new LifecycleDecision(ami, RetirementAction.Keep, reason, exclusion, action, false);
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
            if (!d.Pending || d.Action is not (RetirementAction.Disable or RetirementAction.Delete))
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

            return reasons.Count == 0 ? d : d with { Guard = string.Join("; ", reasons) };
        }).ToList();

    private static LifecycleDecision Keep(AmiRecord ami, string reason) =>
        new(ami, RetirementAction.Keep, reason, null, RetirementAction.Keep, false);

    private static (RetirementAction Action, string Reason) Decide(Retirement rules, AmiRecord ami, int rank, DateTimeOffset now)
    {
        var age = ami.AgeDays(now);
        var steps = new (RetirementStep? Step, RetirementAction Action)[]
        {
            (rules.Delete, RetirementAction.Delete),
            (rules.Disable, RetirementAction.Disable),
            (rules.Deprecate, RetirementAction.Deprecate),
        };
        var protectedByKeepAtLeast = false;
        foreach (var (step, action) in steps)
        {
            if (step is null)
            {
                continue;
            }

            if (step.AfterDays is { } days && age > days)
            {
                if (rank >= rules.KeepAtLeast)
                {
                    return (action, $"older than {Number(days)} days ({Number(age)}d)");
                }

                protectedByKeepAtLeast = true;
            }
            else if (step.KeepNewest is { } keep && rank >= keep)
            {
                return (action, $"beyond the newest {Number(keep)} (#{Number(rank + 1)})");
            }
        }

        return protectedByKeepAtLeast
            ? (RetirementAction.Keep, $"among the newest {Number(rules.KeepAtLeast)} (keepAtLeast)")
            : (RetirementAction.Keep, "within the rules");
    }

    /// <summary>The first exclusion that applies to the AMI, described, or null.</summary>
    public static string? Exclusion(RetirementExclusions exclusions, AmiRecord ami, DateTimeOffset now)
    {
        if (exclusions.LaunchedWithinDays is { } days && ami.LastLaunched is { } launched && launched >= now.AddDays(-days))
        {
            return $"launched within {Number(days)} days ({launched.UtcDateTime:yyyy-MM-dd})";
        }

        foreach (var (key, value) in exclusions.Tags)
        {
            if (ami.Tags.TryGetValue(key, out var actual) && actual == value)
            {
                return $"tag {key}={value}";
            }
        }

        if (exclusions.Public && ami.Public)
        {
            return "public";
        }

        if (exclusions.Regions.Contains(ami.Region, StringComparer.Ordinal))
        {
            return $"region {ami.Region}";
        }

        var account = exclusions.SharedWithAccounts.FirstOrDefault(a => ami.SharedWith.Contains(a, StringComparer.Ordinal));
        return account is null ? null : $"shared with {account}";
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
