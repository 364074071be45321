using AmiInfra.Rules;
using Amazon.EC2.Model;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Inventory;

namespace AmiInfra.Ops.Usage;

/// <summary>What stands against destroying one AMI: who uses it, who may launch it, whether it is the factory's.</summary>
/// <param name="ImageId">The AMI.</param>
/// <param name="Usage">Its users in the region.</param>
/// <param name="Public">Whether everyone may launch it.</param>
/// <param name="SharedWith">Accounts, organizations and OUs that may launch it.</param>
/// <param name="NotTheFactorys">Why it is not the factory's (its amiinfra:factory tag), or null when it is.</param>
public sealed record ImageGuard(string ImageId, ImageUsage Usage, bool Public, IReadOnlyList<string> SharedWith, string? NotTheFactorys)
{
    /// <summary>Every reason not to destroy it; empty when nothing stands against it.</summary>
    public IReadOnlyList<string> Reasons()
    {
        var reasons = new List<string>();
        if (Usage.InUse)
        {
            reasons.Add($"in use by {Usage.Summary()}");
        }

        if (Public)
        {
            reasons.Add("public");
        }

        if (SharedWith.Count > 0)
        {
            reasons.Add($"shared with {string.Join(", ", SharedWith)}");
        }

        if (NotTheFactorys is not null)
        {
            reasons.Add(NotTheFactorys);
        }

        return reasons;
    }

    /// <summary>Everyone who would lose the AMI: (kind, id, what they do with it).</summary>
    public IEnumerable<(string Kind, string Id, string What)> Users() =>
        Usage.Users().Select(u => (u.Kind, u.Id, "uses it"))
            .Concat(Public ? [("public", "all", "anyone may launch it")] : [])
            .Concat(SharedWith.Select(s => (s.Contains(":ou/", StringComparison.Ordinal) ? "ou" : s.Contains(":organization/", StringComparison.Ordinal) ? "organization" : "account", s, "may launch it")));
}

/// <summary>Checks the guards of AMIs before they are disabled or deregistered.</summary>
public static class ImageGuards
{
    /// <summary>The guard of each image, with the usage lookup (which says how each kind of user was looked for).</summary>
    /// <param name="gateway">The region.</param>
    /// <param name="images">The AMIs (they exist).</param>
    /// <param name="factory">The declaration, or null without one (then any amiinfra:factory tag will do).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<(IReadOnlyDictionary<string, ImageGuard> Guards, UsageLookup Usage)> CheckAsync(
        RegionGateway gateway, IReadOnlyCollection<Image> images, AmiInfra.Declaration.Factory? factory, CancellationToken cancellationToken)
    {
        var factoryName = factory?.Name;
        var usage = await UsageFinder.FindAsync(gateway, images.Select(i => i.ImageId).ToList(), UsageFinder.OutputsOf(factory, gateway.Region), cancellationToken).ConfigureAwait(false);
        var permissions = await gateway.Session.BoundedAsync(images, image => gateway.LaunchPermissionsAsync(image.ImageId, cancellationToken), cancellationToken).ConfigureAwait(false);
        var guards = images.Select((image, index) =>
        {
            var record = AmiRecordMapper.From(gateway.Region, image, permissions[index], new Dictionary<string, Snapshot>(), new HashSet<string>());
            var tag = record.Tags.GetValueOrDefault(AmiTagKeys.Factory);
            var notOurs = tag is null ? $"not the factory's (no {AmiTagKeys.Factory} tag)"
                : factoryName is not null && tag != factoryName ? $"not this factory's ({AmiTagKeys.Factory} is '{tag}', the declaration is '{factoryName}')"
                : null;
            return new ImageGuard(image.ImageId, usage.For(image.ImageId), record.Public, record.SharedWith, notOurs);
        }).ToDictionary(g => g.ImageId, StringComparer.Ordinal);
        return (guards, usage);
    }
}
