using System.Text.Json.Nodes;
using AmiInfra.Ops.Aws;

namespace AmiInfra.Ops.Redistribution;

/// <summary>One place an image goes: a region and the account that owns the AMI there.</summary>
/// <param name="Region">The region.</param>
/// <param name="Account">The account (the factory's own, or a target account that gets its own copy).</param>
public sealed record DistributionTarget(string Region, string Account);

/// <summary>Where a target stands for one build.</summary>
public enum TargetState
{
    /// <summary>The build has an AMI there (from its own distribution or an earlier redistribution).</summary>
    Present,

    /// <summary>A redistribution of the build to it is under way.</summary>
    Distributing,

    /// <summary>The build has no AMI there.</summary>
    Missing,
}

/// <summary>A target, where it stands, and the evidence.</summary>
/// <param name="Target">The target.</param>
/// <param name="State">Where it stands.</param>
/// <param name="ImageId">The AMI there (Present), if Image Builder named it.</param>
/// <param name="By">The image build version that put it there or is putting it there.</param>
public sealed record TargetStatus(DistributionTarget Target, TargetState State, string? ImageId, string? By);

/// <summary>
/// What <c>amiinfra redistribute</c> does for one build: the targets of the deployed distribution configuration,
/// which of them the build already reaches (its own outputResources and those of earlier redistributions, which carry
/// the tag <see cref="RedistributesTag"/> with the build's ARN), and the one-off distribution configuration that holds
/// only the missing ones. Pure: the command reads, this decides.
/// </summary>
public static class RedistributionPlan
{
    /// <summary>The tag on the image resource a redistribution creates (DistributeImage tags), valued with the source build's ARN.</summary>
    public const string RedistributesTag = "amiinfra:redistributes";

    /// <summary>The tag put on the AMIs a redistribution makes (the one-off configuration's amiTags), valued with the source build's ARN.</summary>
    public const string RedistributedFromTag = "amiinfra:redistributed-from";

    /// <summary>The name of the one-off distribution configurations of an image (its deployed configuration's name, then this, then a UTC timestamp).</summary>
    public const string OneOffInfix = "-redistribute-";

    /// <summary>
    /// The targets of a distribution configuration's distributions: each region's own account, and the accounts that
    /// get their own copy there (amiDistributionConfiguration.targetAccountIds). A distribution without an AMI part
    /// (a container distribution) has none.
    /// </summary>
    public static IReadOnlyList<DistributionTarget> Targets(JsonArray distributions, string owner)
    {
        var targets = new List<DistributionTarget>();
        foreach (var distribution in distributions.OfType<JsonObject>())
        {
            if (distribution["region"]?.GetValue<string>() is not { } region || distribution["amiDistributionConfiguration"] is not JsonObject ami)
            {
                continue;
            }

            targets.Add(new DistributionTarget(region, owner));
            foreach (var account in (ami["targetAccountIds"] as JsonArray ?? []).Select(a => a!.GetValue<string>()).Where(a => a != owner))
            {
                targets.Add(new DistributionTarget(region, account));
            }
        }

        return targets.Distinct().ToList();
    }

    /// <summary>
    /// Where each target stands: present where the build or a finished redistribution of it has an AMI, distributing
    /// where a running redistribution (with the targets of its configuration) is headed, else missing.
    /// </summary>
    public static IReadOnlyList<TargetStatus> Status(
        IReadOnlyList<DistributionTarget> targets,
        ImageBuild source,
        IReadOnlyList<ImageBuild> redistributions,
        IReadOnlyDictionary<string, IReadOnlyList<DistributionTarget>> runningTargets,
        string owner)
    {
        var statuses = new List<TargetStatus>();
        foreach (var target in targets)
        {
            var present = new[] { source }.Concat(redistributions)
                .SelectMany(b => b.Outputs.Select(o => (Build: b, Output: o)))
                .FirstOrDefault(p => p.Output.Region == target.Region && (p.Output.AccountId ?? owner) == target.Account);
            if (present.Build is not null)
            {
                statuses.Add(new TargetStatus(target, TargetState.Present, present.Output.ImageId, present.Build.Arn));
                continue;
            }

            var running = redistributions.FirstOrDefault(r => r.Running && runningTargets.TryGetValue(r.Arn, out var headed) && headed.Contains(target));
            statuses.Add(running is not null
                ? new TargetStatus(target, TargetState.Distributing, null, running.Arn)
                : new TargetStatus(target, TargetState.Missing, null, null));
        }

        return statuses;
    }

    /// <summary>
    /// The distributions of the one-off configuration: the deployed distribution of each region with a missing
    /// target, its target accounts narrowed to the missing ones, and the source's ARN added to the AMI tags
    /// (<see cref="RedistributedFromTag"/>). When the build is not the image's newest (<paramref name="newest"/> false),
    /// the SSM parameters and launch templates the deployed configuration updates are left out: they point at the
    /// newest AMI, and an older build must not take their place.
    /// </summary>
    public static JsonArray OneOffDistributions(JsonArray deployed, IReadOnlyList<DistributionTarget> missing, string owner, string sourceArn, bool newest)
    {
        var result = new JsonArray();
        foreach (var distribution in deployed.OfType<JsonObject>())
        {
            var region = distribution["region"]?.GetValue<string>();
            var accounts = missing.Where(m => m.Region == region).Select(m => m.Account).ToList();
            if (accounts.Count == 0 || distribution["amiDistributionConfiguration"] is not JsonObject)
            {
                continue;
            }

            var copy = distribution.DeepClone().AsObject();
            var ami = copy["amiDistributionConfiguration"]!.AsObject();
            var others = accounts.Where(a => a != owner).ToList();
            if (others.Count > 0)
            {
                ami["targetAccountIds"] = new JsonArray(others.Select(a => (JsonNode)a).ToArray());
            }
            else
            {
                ami.Remove("targetAccountIds");
            }

            var tags = ami["amiTags"] as JsonObject ?? new JsonObject();
            tags[RedistributedFromTag] = sourceArn;
            ami["amiTags"] = tags;
            if (!newest)
            {
                copy.Remove("ssmParameterConfigurations");
                copy.Remove("launchTemplateConfigurations");
            }

            result.Add(copy);
        }

        return result;
    }

    /// <summary>
    /// The build to redistribute: <paramref name="versionAndBuild"/> (1.0.3/2) when given, else the newest AVAILABLE
    /// build that is not itself a redistribution. Null when there is none.
    /// </summary>
    public static ImageBuild? Source(IReadOnlyList<ImageBuild> builds, string? versionAndBuild) =>
        versionAndBuild is not null
            ? builds.FirstOrDefault(b => b.VersionAndBuild == versionAndBuild && !b.Tags.ContainsKey(RedistributesTag))
            : Newest(builds);

    /// <summary>The newest AVAILABLE build that is not a redistribution (by version, then build number).</summary>
    public static ImageBuild? Newest(IReadOnlyList<ImageBuild> builds) =>
        builds.Where(b => b.Status == "AVAILABLE" && !b.Tags.ContainsKey(RedistributesTag))
            .OrderByDescending(b => VersionKey(b.Arn))
            .FirstOrDefault();

    /// <summary>The redistributions of <paramref name="source"/> among <paramref name="builds"/>.</summary>
    public static IReadOnlyList<ImageBuild> RedistributionsOf(IReadOnlyList<ImageBuild> builds, ImageBuild source) =>
        builds.Where(b => b.Tags.TryGetValue(RedistributesTag, out var from) && from == source.Arn).ToList();

    /// <summary>A version/build ARN as a sortable key: major, minor, patch, build.</summary>
    private static (long, long, long, long) VersionKey(string arn)
    {
        var parts = arn.Split('/');
        var numbers = parts.Length >= 2 ? parts[^2].Split('.').Append(parts[^1]).Select(p => long.TryParse(p, out var n) ? n : 0).ToArray() : [];
        return numbers.Length == 4 ? (numbers[0], numbers[1], numbers[2], numbers[3]) : (0, 0, 0, 0);
    }
}
