using AmiInfra.Rules;
using Amazon.EC2.Model;
using Amazon.Runtime;
using AmiInfra.Declaration;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Inventory;

namespace AmiInfra.Ops.Audit;

/// <summary>What a golden-AMI audit reads of one region besides the AMIs themselves.</summary>
/// <param name="Region">The region.</param>
/// <param name="OrphanedSnapshots">Snapshots carrying the factory's tag that no AMI uses.</param>
/// <param name="SnapshotPermissions">Create-volume permissions of the factory's snapshots (only those that have any).</param>
/// <param name="SsmParameters">The "latest" SSM parameter of each image declared in the region, with its value (null: missing).</param>
/// <param name="LaunchTemplates">The default and latest version of every launch template.</param>
/// <param name="ImageBlockPublicAccess">The account's image block public access state, or null when unknown.</param>
/// <param name="SnapshotBlockPublicAccess">The account's snapshot block public access state, or null when unknown.</param>
/// <param name="NotChecked">Checks that could not be made, and why.</param>
public sealed record RegionState(
    string Region,
    IReadOnlyList<Snapshot> OrphanedSnapshots,
    IReadOnlyDictionary<string, IReadOnlyList<CreateVolumePermission>> SnapshotPermissions,
    IReadOnlyList<(string Image, string Parameter, string? Value)> SsmParameters,
    IReadOnlyList<LaunchTemplateVersion> LaunchTemplates,
    string? ImageBlockPublicAccess,
    string? SnapshotBlockPublicAccess,
    IReadOnlyList<string> NotChecked);

/// <summary>Reads the <see cref="RegionState"/> of a region.</summary>
public static class RegionStateReader
{
    /// <summary>Reads one region; the factory's AMIs there are already known.</summary>
    public static async Task<RegionState> ReadAsync(RegionGateway gateway, Factory factory, string account, IReadOnlyList<AmiRecord> amis, CancellationToken cancellationToken)
    {
        var notChecked = new List<string>();
        var tagged = await gateway.OwnedSnapshotsAsync(account, cancellationToken, [new Filter { Name = $"tag:{AmiTagKeys.Factory}", Values = [factory.Name] }]).ConfigureAwait(false);
        var usedByFactory = amis.SelectMany(a => a.SnapshotIds).ToHashSet(StringComparer.Ordinal);
        var candidates = tagged.Where(s => !usedByFactory.Contains(s.SnapshotId)).ToList();
        if (candidates.Count > 0)
        {
            var usage = new Snapshots.SnapshotUsage(await gateway.OwnedImagesAsync([], cancellationToken).ConfigureAwait(false));
            candidates = candidates.Where(s => usage.UsersOf(s.SnapshotId, new HashSet<string>()).Count == 0).ToList();
        }

        var owned = tagged.Select(s => s.SnapshotId).Concat(usedByFactory).Distinct(StringComparer.Ordinal).ToList();
        var permissions = await gateway.Session.BoundedAsync(owned, async id => (id, await PermissionsAsync(gateway, id, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
        var parameters = await Task.WhenAll(factory.Images.Where(i => i.Distribution.Regions.Contains(gateway.Region, StringComparer.Ordinal)).Select(async image =>
            (image.Name, image.Distribution.SsmParameterName, await ParameterGateway.TryValueAsync(gateway.Session, gateway.Region, image.Distribution.SsmParameterName, cancellationToken).ConfigureAwait(false)))).ConfigureAwait(false);
        var templates = await gateway.LaunchTemplateVersionsAsync(cancellationToken).ConfigureAwait(false);
        string? imageBpa = null, snapshotBpa = null;
        try
        {
            (imageBpa, snapshotBpa) = await gateway.BlockPublicAccessAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (AwsErrors.Is(e, AwsFailure.Denied, AwsFailure.NotOffered, AwsFailure.Throttled))
        {
            notChecked.Add($"block public access in {gateway.Region}: GetImageBlockPublicAccessState and GetSnapshotBlockPublicAccessState {AwsErrors.Why(e)}");
        }

        return new RegionState(
            gateway.Region,
            candidates,
            permissions.Where(p => p.Item2.Count > 0).ToDictionary(p => p.id, p => (IReadOnlyList<CreateVolumePermission>)p.Item2, StringComparer.Ordinal),
            parameters,
            templates,
            imageBpa,
            snapshotBpa,
            notChecked);
    }

    private static async Task<List<CreateVolumePermission>> PermissionsAsync(RegionGateway gateway, string snapshotId, CancellationToken cancellationToken)
    {
        try
        {
            return await gateway.CreateVolumePermissionsAsync(snapshotId, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e) when (e.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Forbidden)
        {
            // A snapshot of another account (an AMI shared with this one): its permissions are not ours to read.
            return [];
        }
    }
}
