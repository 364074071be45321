using AmiInfra.Declaration;
using AmiInfra.Ops.Inventory;
using AmiInfra.Ops.Lifecycle;

namespace AmiInfra.Ops.Audit;

/// <summary>Compares the AMIs that exist with the declaration.</summary>
public static class AuditRules
{
    /// <summary>Every violation, AMI by AMI, then the missing AMIs.</summary>
    /// <param name="factory">The declaration.</param>
    /// <param name="account">The factory's account (its own account is never an undeclared principal).</param>
    /// <param name="amis">The factory's AMIs in <paramref name="regions"/>.</param>
    /// <param name="regions">The regions that were read.</param>
    /// <param name="now">Now.</param>
    public static IReadOnlyList<Violation> Check(Factory factory, string account, IReadOnlyList<AmiRecord> amis, IReadOnlyList<string> regions, DateTimeOffset now)
    {
        var images = factory.Images.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var violations = new List<Violation>();
        foreach (var ami in amis)
        {
            if (ami.ImageName is null || !images.TryGetValue(ami.ImageName, out var image))
            {
                violations.Add(new Violation(ViolationKind.UndeclaredImage, ami.Region, ami.ImageId, ami.ImageName, $"image '{ami.ImageName ?? "(no amiinfra:image tag)"}' is not in the declaration"));
                continue;
            }

            violations.AddRange(Sharing(factory, account, image, ami));
            violations.AddRange(Encryption(image, ami));
        }

        foreach (var decision in LifecyclePlanner.Plan(factory, amis, now))
        {
            if (decision.Pending && decision.Action is LifecycleAction.Deprecate or LifecycleAction.Disable or LifecycleAction.Delete)
            {
                var step = LifecyclePlanReport.Name(decision.Action);
                violations.Add(new Violation(ViolationKind.PastRetirement, decision.Ami.Region, decision.Ami.ImageId, decision.Ami.ImageName, $"past its retirement: {step} ({decision.Reason})"));
            }
        }

        foreach (var image in factory.Images)
        {
            foreach (var region in image.Distribution.Regions.Where(r => regions.Contains(r, StringComparer.Ordinal)))
            {
                if (!amis.Any(a => a.ImageName == image.Name && a.Region == region && a.State == "available"))
                {
                    violations.Add(new Violation(ViolationKind.MissingFromRegion, region, null, image.Name, $"no available AMI of '{image.Name}' in {region}"));
                }
            }
        }

        violations.AddRange(RetentionRules.Check(factory, amis, regions, now));
        return violations;
    }

    private static IEnumerable<Violation> Sharing(Factory factory, string account, Image image, AmiRecord ami)
    {
        var distribution = image.Distribution;
        if (ami.Public && !(factory.AllowPublicImages && distribution.Public))
        {
            yield return new Violation(ViolationKind.PublicWithoutOptIn, ami.Region, ami.ImageId, image.Name, "public, but the declaration does not opt in to public images");
        }

        var accounts = distribution.LaunchAccounts.Concat(distribution.TargetAccounts).Append(account).ToHashSet(StringComparer.Ordinal);
        foreach (var principal in ami.SharedWith)
        {
            var declared = principal switch
            {
                _ when principal.Contains(":organization/", StringComparison.Ordinal) => distribution.LaunchOrganizations.Contains(principal, StringComparer.Ordinal),
                _ when principal.Contains(":ou/", StringComparison.Ordinal) => distribution.LaunchOrganizationalUnits.Contains(principal, StringComparer.Ordinal),
                _ => accounts.Contains(principal),
            };
            if (!declared)
            {
                yield return new Violation(ViolationKind.SharedWithUndeclared, ami.Region, ami.ImageId, image.Name, $"shared with {principal}, which the declaration does not name");
            }
        }

        // With release verification on, the verification shares a copy once it passed: a copy of this account that
        // passed and lacks a declared consumer cannot be launched by it (the sharing failed, or was undone).
        if (AccountRules.Passed(ami) && ami.State == "available")
        {
            // The consumers the verification shares with (none with release off: the distribution shares then).
            var missing = Release.ReleasePlanner.Consumers(image)
                .Where(c => c.Group?.Value == "all" ? !ami.Public : !ami.SharedWith.Contains(Release.ReleasePlanner.Describe(c), StringComparer.Ordinal))
                .Select(Release.ReleasePlanner.Describe).ToList();
            if (missing.Count > 0)
            {
                yield return new Violation(ViolationKind.VerifiedNotShared, ami.Region, ami.ImageId, image.Name, $"passed its release verification but is not shared with {string.Join(", ", missing)}, which the declaration names: they cannot launch it (amiinfra release promote shares it)");
            }
        }
    }

    private static IEnumerable<Violation> Encryption(Image image, AmiRecord ami)
    {
        if (ami.Encryption == EncryptionKind.Unencrypted)
        {
            yield return new Violation(ViolationKind.Unencrypted, ami.Region, ami.ImageId, image.Name, "not encrypted");
        }
        else if (ami.Encryption == EncryptionKind.AwsManagedKey && image.Distribution.Encryption != AmiEncryption.AwsManagedKey)
        {
            yield return new Violation(ViolationKind.AwsManagedKey, ami.Region, ami.ImageId, image.Name, $"encrypted with the AWS-managed key {ami.KmsKeyId}, not the regional key");
        }
    }
}
