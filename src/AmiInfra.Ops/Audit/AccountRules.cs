using AmiInfra.Rules;
using AmiInfra.Declaration;
using AmiInfra.Ops.Inventory;

namespace AmiInfra.Ops.Audit;

/// <summary>The account-level checks of a golden-AMI audit, over what <see cref="RegionStateReader"/> read.</summary>
public static class AccountRules
{
    /// <summary>Image block public access state that blocks new public sharing (API_GetImageBlockPublicAccessState).</summary>
    public const string ImageBlocked = "block-new-sharing";

    /// <summary>Whether the release verification recorded a pass on the AMI (its amiinfra:verification tag).</summary>
    public static bool Passed(AmiRecord ami) => ami.Tags.GetValueOrDefault(AmiTagKeys.VerificationResult) == AmiTagKeys.VerificationPassed;

    /// <summary>Every violation found in the regions read.</summary>
    public static IReadOnlyList<Violation> Check(Factory factory, IReadOnlyList<AmiRecord> amis, IReadOnlyList<RegionState> states, DateTimeOffset now)
    {
        var images = factory.Images.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var violations = new List<Violation>();
        foreach (var ami in amis)
        {
            var declared = ami.ImageName is not null && images.TryGetValue(ami.ImageName, out var image)
                ? image.Distribution.Regions
                : factory.DistributionRegions;
            if (!declared.Contains(ami.Region, StringComparer.Ordinal))
            {
                violations.Add(new Violation(ViolationKind.UndeclaredRegion, ami.Region, ami.ImageId, ami.ImageName, $"a factory AMI in {ami.Region}, which the declaration does not list for '{ami.ImageName ?? "(no image tag)"}' ({string.Join(", ", declared)})"));
            }
        }

        var publishes = factory.AllowPublicImages && factory.Images.Any(i => i.Distribution.Public);
        foreach (var state in states)
        {
            var regionAmis = amis.Where(a => a.Region == state.Region).ToList();
            foreach (var snapshot in state.OrphanedSnapshots)
            {
                violations.Add(new Violation(ViolationKind.OrphanedSnapshot, state.Region, null, null, $"snapshot {snapshot.SnapshotId} carries the factory's tag but no AMI uses it"));
            }

            foreach (var (snapshot, permissions) in state.SnapshotPermissions)
            {
                var owner = regionAmis.FirstOrDefault(a => a.SnapshotIds.Contains(snapshot, StringComparer.Ordinal));
                if (permissions.Any(p => p.Group?.Value == "all"))
                {
                    violations.Add(new Violation(ViolationKind.SnapshotPublic, state.Region, owner?.ImageId, owner?.ImageName, $"snapshot {snapshot} is public: anyone may create a volume from it"));
                }

                foreach (var user in permissions.Select(p => p.UserId).OfType<string>())
                {
                    violations.Add(new Violation(ViolationKind.SnapshotShared, state.Region, owner?.ImageId, owner?.ImageName, $"snapshot {snapshot} is shared with {user}, which may copy the disk (launch permissions on the AMI are enough to launch it)"));
                }
            }

            foreach (var (image, parameter, value) in state.SsmParameters)
            {
                // With release verification on, the parameter names the newest copy that passed its verification: a newer
                // one still being verified, or one that failed, is rightly not named. Copies that carry no verification
                // result at all (built before verification was on) are judged as before.
                var available = regionAmis.Where(a => a.ImageName == image && a.State == "available").ToList();
                var verified = images.TryGetValue(image, out var declaredImage) && declaredImage.Release.Enabled
                    && available.Any(a => a.Tags.ContainsKey(AmiTagKeys.VerificationResult));
                var newest = available.Where(a => !verified || Passed(a)).MaxBy(a => a.Created);
                if (newest is null)
                {
                    continue;
                }

                var what = verified ? "the newest verified AMI" : "the newest AMI";
                if (value != newest.ImageId)
                {
                    var detail = value is null ? $"{parameter} does not exist; it should hold {what} {newest.ImageId}" : $"{parameter} holds {value}, not {what} {newest.ImageId}";
                    violations.Add(new Violation(ViolationKind.SsmParameterStale, state.Region, newest.ImageId, image, detail));
                }
            }

            var retired = regionAmis.Where(a => a.State == "disabled" || a.DeprecationTime <= now).ToDictionary(a => a.ImageId, StringComparer.Ordinal);
            foreach (var version in state.LaunchTemplates.Where(v => v.LaunchTemplateData?.ImageId is { } id && retired.ContainsKey(id)).DistinctBy(v => (v.LaunchTemplateId, v.VersionNumber)))
            {
                var ami = retired[version.LaunchTemplateData.ImageId];
                var how = ami.State == "disabled" ? "disabled" : "deprecated";
                var which = version.DefaultVersion == true ? "default" : "latest";
                violations.Add(new Violation(ViolationKind.LaunchTemplateRetired, state.Region, ami.ImageId, ami.ImageName, $"launch template {version.LaunchTemplateId} ({which} version {version.VersionNumber}) launches {ami.ImageId}, which is {how}"));
            }

            if (state.ImageBlockPublicAccess is { } images0 && images0 != ImageBlocked && !publishes)
            {
                violations.Add(new Violation(ViolationKind.ImageBlockPublicAccessOff, state.Region, null, null, $"block public access for AMIs is '{images0}': any AMI of the account can be made public (expected {ImageBlocked})"));
            }

            if (state.SnapshotBlockPublicAccess is { } snapshots && snapshots is not ("block-all-sharing" or "block-new-sharing"))
            {
                violations.Add(new Violation(ViolationKind.SnapshotBlockPublicAccessOff, state.Region, null, null, $"block public access for snapshots is '{snapshots}' (expected block-all-sharing or block-new-sharing)"));
            }
        }

        return violations;
    }
}
