using Amazon.EC2.Model;
using AmiInfra.Declaration;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Snapshots;
using Image = Amazon.EC2.Model.Image;

namespace AmiInfra.Ops.Usage;

/// <summary>The AMIs named on a command line, as found in one region.</summary>
/// <param name="Existing">Those that exist and belong to the account, by id.</param>
/// <param name="Gone">Those verifiably deregistered, by id, with the evidence.</param>
/// <param name="NotOwned">Those that exist but belong to another account (shared with this one), by id, with their owner.</param>
public sealed record ResolvedImages(IReadOnlyDictionary<string, Image> Existing, IReadOnlyDictionary<string, string> Gone, IReadOnlyDictionary<string, string> NotOwned);

/// <summary>
/// Finds the AMIs a command names, the same way for every command: an id that does not exist in the
/// region is an error naming the region and the declared regions where it does exist; an AMI counts as
/// "already deregistered" only on evidence (EC2 says so, the Recycle Bin holds it, or the account's
/// snapshots name it).
/// </summary>
public static class ImageResolver
{
    /// <summary>Resolves <paramref name="ids"/>; throws <see cref="OpsException"/> (exit code NotFound) for the first unknown one.</summary>
    /// <param name="context">The run.</param>
    /// <param name="gateway">The region.</param>
    /// <param name="ids">Validated AMI ids.</param>
    /// <param name="factory">The declaration, when there is one (its regions are searched for a hint).</param>
    /// <param name="ownedSnapshots">The account's snapshots of the region, to recognise an AMI whose snapshots are left; null to skip.</param>
    /// <param name="allowGone">False when a deregistered AMI is an error too (commands that read an AMI).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<ResolvedImages> ResolveAsync(
        CommandContext context,
        RegionGateway gateway,
        IReadOnlyList<string> ids,
        Factory? factory,
        IReadOnlyList<Snapshot>? ownedSnapshots,
        bool allowGone,
        CancellationToken cancellationToken)
    {
        var lookups = await context.Aws.BoundedAsync(ids, id => gateway.LookupImageAsync(id, cancellationToken), cancellationToken).ConfigureAwait(false);
        var existing = new Dictionary<string, Image>(StringComparer.Ordinal);
        var gone = new Dictionary<string, string>(StringComparer.Ordinal);
        var notOwned = new Dictionary<string, string>(StringComparer.Ordinal);
        var unknown = new List<string>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (lookups[i].Image is { } image && context.Account is { } account && image.OwnerId is { Length: > 0 } owner && owner != account)
            {
                notOwned[ids[i]] = owner;
            }
            else if (lookups[i].Image is { } ours)
            {
                existing[ids[i]] = ours;
            }
            else if (lookups[i].KnownGone)
            {
                gone[ids[i]] = "EC2 reports it deregistered";
            }
            else
            {
                unknown.Add(ids[i]);
            }
        }

        if (unknown.Count > 0)
        {
            var inBin = await InRecycleBinAsync(gateway, unknown, cancellationToken).ConfigureAwait(false);
            foreach (var id in unknown.ToList())
            {
                if (inBin.Contains(id))
                {
                    gone[id] = "it is in the Recycle Bin";
                    unknown.Remove(id);
                }
                else if (ownedSnapshots?.Any(s => SnapshotDescription.ImageOf(s) == id) == true)
                {
                    gone[id] = "the account's snapshots name it";
                    unknown.Remove(id);
                }
            }
        }

        if (unknown.Count > 0)
        {
            throw await NotFoundAsync(context, gateway.Region, unknown[0], factory, cancellationToken).ConfigureAwait(false);
        }

        if (!allowGone && gone.Count > 0)
        {
            var (id, evidence) = gone.First();
            throw new OpsException(ExitCodes.NotFound, $"AMI {id} was deregistered in {gateway.Region} ({evidence}); 'amiinfra recycle-bin restore {id} --region {gateway.Region}' brings it back while the Recycle Bin holds it");
        }

        return new ResolvedImages(existing, gone, notOwned);
    }

    /// <summary>
    /// The ids the Recycle Bin holds. This is evidence for "already deregistered", read only for ids that are neither
    /// AMIs nor named by snapshots: when it cannot be read (not offered, denied), the id is simply not known as
    /// deregistered — the command then says it does not exist, which changes nothing.
    /// </summary>
    private static async Task<HashSet<string>> InRecycleBinAsync(RegionGateway gateway, List<string> ids, CancellationToken cancellationToken)
    {
        var key = ("ListImagesInRecycleBin", gateway.Region);
        if (gateway.Session.NotOffered.ContainsKey(key))
        {
            return [];
        }

        try
        {
            var images = await gateway.ImagesInRecycleBinAsync(ids, cancellationToken).ConfigureAwait(false);
            return images.Select(i => i.ImageId).ToHashSet(StringComparer.Ordinal);
        }
        catch (Amazon.Runtime.AmazonServiceException e) when (AwsErrors.Is(e, AwsFailure.NotOffered, AwsFailure.Denied) || e.ErrorCode == "InvalidAMIID.NotFound")
        {
            if (AwsErrors.Classify(e) == AwsFailure.NotOffered)
            {
                gateway.Session.NotOffered[key] = AwsErrors.Why(e);
            }

            return [];
        }
    }

    private static async Task<OpsException> NotFoundAsync(CommandContext context, string region, string id, Factory? factory, CancellationToken cancellationToken)
    {
        var others = (factory?.DistributionRegions ?? []).Where(r => r != region).ToList();
        var found = await context.Aws.BoundedAsync(
            others,
            async other => (await new RegionGateway(context.Aws, other).LookupImageAsync(id, cancellationToken).ConfigureAwait(false)).Image is not null ? other : null,
            cancellationToken).ConfigureAwait(false);
        var where = found.OfType<string>().ToList();
        if (where.Count > 0)
        {
            return new OpsException(ExitCodes.NotFound, $"AMI {id} does not exist in {region}; it exists in {string.Join(", ", where)}: pass --region {where[0]}");
        }

        var searched = others.Count > 0 ? $", nor in the other declared regions ({string.Join(", ", others)})" : "";
        return new OpsException(ExitCodes.NotFound, $"AMI {id} does not exist in {region}{searched}, or it is not shared with this account");
    }
}
