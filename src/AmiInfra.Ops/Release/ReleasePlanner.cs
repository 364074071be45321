using AmiInfra.Declaration;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Usage;

namespace AmiInfra.Ops.Release;

/// <summary>What a promotion does in one region: the copy consumers get, and the ones they leave.</summary>
/// <param name="Region">The region.</param>
/// <param name="Target">The copy promoted.</param>
/// <param name="CurrentImageId">The AMI the image's "latest" parameter names now, or null when it does not exist.</param>
/// <param name="Templates">The image's declared launch templates in the region.</param>
/// <param name="Leaving">
/// The AMIs whose deregistration protection goes off (<see cref="ReleasePlanner.Leaving"/>): the one the parameter named,
/// and any other protected copy of the image.
/// </param>
/// <param name="Consumers">
/// Who may launch the promoted copy (<see cref="ReleasePlanner.Consumers"/>): with release verification on, the
/// distribution shares nothing and the verification shares a copy once it passed, so a promotion shares the copy with
/// whoever it does not yet include before consumers are pointed at it.
/// </param>
public sealed record RegionPromotion(string Region, ReleaseCopy Target, string? CurrentImageId, IReadOnlyList<LaunchTemplateUpdate> Templates, IReadOnlyList<string> Leaving, IReadOnlyList<Amazon.EC2.Model.LaunchPermission>? Consumers = null)
{
    /// <summary>The AMI the parameter named and consumers leave now, or null when there is none or it is the one promoted.</summary>
    public string? Left => CurrentImageId is not null && CurrentImageId != Target.ImageId ? CurrentImageId : null;
}

/// <summary>How one verification ended, from its execution and the tags it left on the copy.</summary>
/// <param name="Result">passed, failed, or running (the wait ended first).</param>
/// <param name="Detail">The reason, or what the tags say.</param>
public sealed record VerificationOutcome(string Result, string Detail)
{
    /// <summary>True unless the copy passed.</summary>
    public bool Failed => Result != "passed";
}

/// <summary>The decisions of <c>amiinfra release</c>, as pure functions over what was read.</summary>
public static class ReleasePlanner
{
    /// <summary>
    /// The declared launch permissions of an image whose copies the release verification shares (release on): its
    /// accounts, organizations, OUs and the group "all" for a public image. None with release off: the distribution
    /// shares each copy as it lands.
    /// </summary>
    public static IReadOnlyList<Amazon.EC2.Model.LaunchPermission> Consumers(Image image)
    {
        if (!image.Release.Enabled)
        {
            return [];
        }

        var d = image.Distribution;
        return
        [
            .. d.LaunchAccounts.Select(a => new Amazon.EC2.Model.LaunchPermission { UserId = a }),
            .. d.LaunchOrganizations.Select(o => new Amazon.EC2.Model.LaunchPermission { OrganizationArn = o }),
            .. d.LaunchOrganizationalUnits.Select(o => new Amazon.EC2.Model.LaunchPermission { OrganizationalUnitArn = o }),
            .. d.Public ? [new Amazon.EC2.Model.LaunchPermission { Group = Amazon.EC2.PermissionGroup.All }] : Array.Empty<Amazon.EC2.Model.LaunchPermission>(),
        ];
    }

    /// <summary>The launch permissions of <paramref name="wanted"/> that <paramref name="present"/> lacks.</summary>
    public static IReadOnlyList<Amazon.EC2.Model.LaunchPermission> Missing(IEnumerable<Amazon.EC2.Model.LaunchPermission> present, IEnumerable<Amazon.EC2.Model.LaunchPermission> wanted)
    {
        var have = present.Select(Describe).ToHashSet(StringComparer.Ordinal);
        return wanted.Where(w => !have.Contains(Describe(w))).ToList();
    }

    /// <summary>A launch permission in words: an account, an organization or OU ARN, or "everyone".</summary>
    public static string Describe(Amazon.EC2.Model.LaunchPermission p) =>
        p.UserId ?? p.OrganizationArn ?? p.OrganizationalUnitArn ?? (p.Group?.Value == "all" ? "everyone (public)" : "?");

    /// <summary>The copy of a version in a region: the newest available AMI with that recipe version; null when there is none.</summary>
    public static ReleaseCopy? CopyOf(IEnumerable<ReleaseCopy> copies, string version, string region) =>
        copies.Where(c => c.Region == region && c.Version == version && c.Available)
            .OrderByDescending(c => c.Built ?? DateTimeOffset.MinValue)
            .ThenBy(c => c.ImageId, StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>Every version among the copies, oldest first.</summary>
    public static IReadOnlyList<string> Versions(IEnumerable<ReleaseCopy> copies) =>
        copies.Select(c => c.Version).Where(v => v != ReleaseCopy.UnknownVersion).Distinct(StringComparer.Ordinal).Order(ReleaseVersionComparer.Instance).ToList();

    /// <summary>Why a copy may not be promoted (it did not pass its verification), or null when it may.</summary>
    public static string? NotPromotable(ReleaseCopy copy) => copy.Verification switch
    {
        Verification.Passed => null,
        Verification.Failed => $"its verification failed{(copy.Reason is { Length: > 0 } r ? $" ({r})" : "")}",
        _ => "it has not been verified (no amiinfra:verification tag; run 'amiinfra release verify')",
    };

    /// <summary>
    /// The copy a rollback promotes in a region: the newest available copy of a version older than
    /// <paramref name="currentVersion"/> whose verification passed; null when there is none.
    /// </summary>
    public static ReleaseCopy? PreviousPassed(IEnumerable<ReleaseCopy> copies, string region, string currentVersion)
    {
        var inRegion = copies.Where(c => c.Region == region).ToList();
        return Versions(inRegion)
            .Where(v => ReleaseVersionComparer.Instance.Compare(v, currentVersion) < 0)
            .Reverse()
            .Select(v => CopyOf(inRegion, v, region))
            .FirstOrDefault(c => c is { Verification: Verification.Passed });
    }

    /// <summary>
    /// The AMIs consumers leave in a region: the one the "latest" parameter names now (when it is not the copy promoted),
    /// and every other copy of the image that is still protected from deregistration — protection marks the version
    /// consumers are on, so a copy left by an earlier promotion whose protection stayed on (refused, or stopped midway)
    /// is one a rerun finishes with.
    /// </summary>
    public static IReadOnlyList<string> Leaving(ReleaseCopy target, string? current, IEnumerable<ReleaseCopy> regionCopies) =>
        (current is not null && current != target.ImageId ? [current] : Array.Empty<string>())
            .Concat(regionCopies.Where(c => c.Protected && c.ImageId != target.ImageId).Select(c => c.ImageId))
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Who uses the AMI consumers leave, apart from what the promotion itself moves off it (the image's "latest"
    /// parameter and its declared launch templates): those users still launch it.
    /// </summary>
    public static IReadOnlyList<(string Kind, string Id)> OtherUsers(ImageUsage usage, string parameterName, IEnumerable<string> templateIds)
    {
        var templates = templateIds.ToHashSet(StringComparer.Ordinal);
        return usage.Users()
            .Where(u => !(u.Kind == "ssm-parameter" && u.Id == parameterName))
            .Where(u => !(u.Kind == "launch-template" && templates.Contains(u.Id.Split(' ')[0])))
            .ToList();
    }

    /// <summary>
    /// How a verification ended. Passed only when the execution succeeded and the copy carries
    /// <c>amiinfra:verification=passed</c> recorded by that execution; an execution that succeeded without recording
    /// its result on the copy is a failure, as is one that failed, timed out or was aborted.
    /// </summary>
    public static VerificationOutcome Outcome(StateMachineExecution execution, ReleaseCopy? after)
    {
        if (execution.Running)
        {
            return new VerificationOutcome("running", $"still {execution.Status} when the wait ended");
        }

        var recorded = after is not null && after.Execution == execution.ExecutionArn ? after : null;
        if (execution.Status != "SUCCEEDED")
        {
            var why = string.Join(": ", new[] { execution.Error, execution.Cause }.Where(s => !string.IsNullOrWhiteSpace(s)));
            var reason = recorded?.Reason is { Length: > 0 } r ? $"; recorded reason: {r}" : "";
            return new VerificationOutcome("failed", $"the execution is {execution.Status}{(why.Length > 0 ? $" ({AwsErrors.OneLine(why)})" : "")}{reason}");
        }

        if (recorded is null)
        {
            return new VerificationOutcome("failed", after is null
                ? "the execution succeeded but the AMI is gone"
                : $"the execution succeeded but recorded no result on the AMI (no amiinfra:verification-execution tag naming it{(after.Execution is { Length: > 0 } other ? $"; the tags are from {other}" : "")})");
        }

        return recorded.Verification switch
        {
            Verification.Passed => new VerificationOutcome("passed", $"recorded at {Output.Formats.Time(recorded.VerifiedAt) ?? "an unreadable time"}"),
            Verification.Failed => new VerificationOutcome("failed", recorded.Reason is { Length: > 0 } reason ? reason : "failed, without a recorded reason"),
            _ => new VerificationOutcome("failed", "the execution succeeded but recorded no passed/failed result on the AMI"),
        };
    }
}
