using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;

namespace AmiInfra.Ops.Aws;

/// <summary>The outcome of one idempotent mutation.</summary>
public enum MutationOutcome
{
    /// <summary>This call did it.</summary>
    Done,

    /// <summary>It was already done (the resource was already gone): counts as done.</summary>
    AlreadyDone,

    /// <summary>AWS refused it; the message says why.</summary>
    Failed,
}

/// <summary>The result of one mutation.</summary>
/// <param name="Outcome">Done, already done, or failed.</param>
/// <param name="Error">The AWS error when it failed.</param>
public sealed record MutationResult(MutationOutcome Outcome, string? Error = null);

/// <summary>
/// The AWS calls of one region that the commands use: every listing reads every page, and every
/// mutation is idempotent (a resource that is already gone counts as done), which is what makes the
/// SDK's retries after a throttle, and a rerun after a partial failure, safe.
/// </summary>
public sealed class RegionGateway
{
    private const int PageSize = 1000;
    private readonly IAmazonEC2 ec2;
    private readonly Func<IAmazonKeyManagementService> kms;

    /// <summary>Creates the gateway of a region.</summary>
    public RegionGateway(AwsSession session, string region)
    {
        Region = region;
        ec2 = session.Ec2(region);
        kms = () => session.Kms(region);
    }

    /// <summary>The region.</summary>
    public string Region { get; }

    /// <summary>Every AMI the account owns that matches the filters, disabled and deprecated ones included.</summary>
    public Task<List<Image>> OwnedImagesAsync(IEnumerable<Filter> filters, CancellationToken cancellationToken) =>
        ImagesAsync(["self"], filters, includeRetired: true, cancellationToken);

    /// <summary>Every AMI of the given owners (none: every AMI this account may launch) that matches the filters.</summary>
    public async Task<List<Image>> ImagesAsync(IReadOnlyList<string> owners, IEnumerable<Filter> filters, bool includeRetired, CancellationToken cancellationToken)
    {
        var request = new DescribeImagesRequest
        {
            Filters = filters.ToList(),
            MaxResults = PageSize,
            IncludeDeprecated = includeRetired,
            IncludeDisabled = includeRetired,
        };
        if (owners.Count > 0)
        {
            request.Owners = owners.ToList();
        }

        var images = new List<Image>();
        do
        {
            var page = await ec2.DescribeImagesAsync(request, cancellationToken).ConfigureAwait(false);
            images.AddRange(page.Images ?? []);
            request.NextToken = page.NextToken;
        }
        while (!string.IsNullOrEmpty(request.NextToken));

        return images;
    }

    /// <summary>One AMI by id, or null when it does not exist (any more).</summary>
    public async Task<Image?> ImageAsync(string imageId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId], IncludeDisabled = true, IncludeDeprecated = true }, cancellationToken).ConfigureAwait(false);
            return response.Images?.FirstOrDefault(i => i.ImageId == imageId);
        }
        catch (AmazonEC2Exception e) when (AwsErrors.IsImageGone(e))
        {
            return null;
        }
    }

    /// <summary>The launch permissions of an AMI (accounts, organizations, OUs, or the group "all").</summary>
    public async Task<List<LaunchPermission>> LaunchPermissionsAsync(string imageId, CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeImageAttributeAsync(
            new DescribeImageAttributeRequest { ImageId = imageId, Attribute = ImageAttributeName.LaunchPermission },
            cancellationToken).ConfigureAwait(false);
        return response.ImageAttribute?.LaunchPermissions ?? [];
    }

    /// <summary>Every snapshot the account owns in the region.</summary>
    public async Task<List<Snapshot>> OwnedSnapshotsAsync(string accountId, CancellationToken cancellationToken)
    {
        var request = new DescribeSnapshotsRequest { OwnerIds = ["self"], MaxResults = PageSize };
        var snapshots = new List<Snapshot>();
        do
        {
            var page = await ec2.DescribeSnapshotsAsync(request, cancellationToken).ConfigureAwait(false);
            snapshots.AddRange((page.Snapshots ?? []).Where(s => s.OwnerId == accountId));
            request.NextToken = page.NextToken;
        }
        while (!string.IsNullOrEmpty(request.NextToken));

        return snapshots;
    }

    /// <summary>The ids of the AWS-managed KMS keys of the region (those behind an alias/aws/... alias).</summary>
    public async Task<HashSet<string>> AwsManagedKeyIdsAsync(CancellationToken cancellationToken)
    {
        var request = new ListAliasesRequest { Limit = 100 };
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var client = kms();
        do
        {
            var page = await client.ListAliasesAsync(request, cancellationToken).ConfigureAwait(false);
            foreach (var alias in page.Aliases ?? [])
            {
                if (alias.AliasName?.StartsWith("alias/aws/", StringComparison.Ordinal) == true && alias.TargetKeyId is not null)
                {
                    keys.Add(alias.TargetKeyId);
                }
            }

            request.Marker = page.Truncated == true ? page.NextMarker : null;
        }
        while (request.Marker is not null);

        return keys;
    }

    /// <summary>Deregisters an AMI; an AMI that is already gone counts as done.</summary>
    public Task<MutationResult> DeregisterImageAsync(string imageId, CancellationToken cancellationToken) =>
        MutateAsync(() => ec2.DeregisterImageAsync(new DeregisterImageRequest { ImageId = imageId }, cancellationToken), AwsErrors.IsImageGone);

    /// <summary>Deletes a snapshot; a snapshot that is already gone counts as done.</summary>
    public Task<MutationResult> DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        MutateAsync(() => ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId }, cancellationToken), AwsErrors.IsSnapshotGone);

    private static async Task<MutationResult> MutateAsync(Func<Task> call, Func<AmazonServiceException, bool> alreadyGone)
    {
        try
        {
            await call().ConfigureAwait(false);
            return new MutationResult(MutationOutcome.Done);
        }
        catch (AmazonServiceException e) when (alreadyGone(e))
        {
            return new MutationResult(MutationOutcome.AlreadyDone);
        }
        catch (AmazonServiceException e) when (e.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Forbidden)
        {
            return new MutationResult(MutationOutcome.Failed, AwsErrors.Describe(e));
        }
    }
}
