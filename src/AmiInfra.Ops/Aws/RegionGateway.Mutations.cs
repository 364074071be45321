using Amazon.EC2.Model;
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

/// <summary>The mutations of one region; each is idempotent.</summary>
public sealed partial class RegionGateway
{
    /// <summary>Tags snapshots (CreateTags, one call); a snapshot that is already gone fails the call (EC2 checks every resource).</summary>
    public Task<MutationResult> TagSnapshotsAsync(IReadOnlyList<string> snapshotIds, string key, string value, CancellationToken cancellationToken) =>
        MutateAsync(() => ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [.. snapshotIds], Tags = [new Tag(key, value)] }, cancellationToken), _ => false);

    /// <summary>Deregisters an AMI; an AMI that is already gone counts as done.</summary>
    public Task<MutationResult> DeregisterImageAsync(string imageId, CancellationToken cancellationToken) =>
        MutateAsync(() => ec2.DeregisterImageAsync(new DeregisterImageRequest { ImageId = imageId }, cancellationToken), AwsErrors.IsImageGone);

    /// <summary>Deletes a snapshot; a snapshot that is already gone counts as done.</summary>
    public Task<MutationResult> DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        MutateAsync(() => ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId }, cancellationToken), AwsErrors.IsSnapshotGone);

    /// <summary>
    /// Deprecates an AMI at <paramref name="at"/>. EC2 refuses a time in the past and rounds seconds to
    /// the minute (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableImageDeprecation.html),
    /// so callers pass the next whole minute.
    /// </summary>
    public Task<MutationResult> DeprecateImageAsync(string imageId, DateTimeOffset at, CancellationToken cancellationToken) =>
        MutateAsync(() => ec2.EnableImageDeprecationAsync(new EnableImageDeprecationRequest { ImageId = imageId, DeprecateAt = at.UtcDateTime }, cancellationToken), _ => false);

    /// <summary>Disables an AMI (it can no longer be launched; its launch permissions are removed).</summary>
    public Task<MutationResult> DisableImageAsync(string imageId, CancellationToken cancellationToken) =>
        MutateAsync(() => ec2.DisableImageAsync(new DisableImageRequest { ImageId = imageId }, cancellationToken), _ => false);

    /// <summary>Enables a disabled AMI again.</summary>
    public Task<MutationResult> EnableImageAsync(string imageId, CancellationToken cancellationToken) =>
        MutateAsync(() => ec2.EnableImageAsync(new EnableImageRequest { ImageId = imageId }, cancellationToken), _ => false);

    /// <summary>Restores an AMI from the Recycle Bin; one that is no longer there (restored already) counts as done.</summary>
    public Task<MutationResult> RestoreImageAsync(string imageId, CancellationToken cancellationToken) =>
        MutateAsync(() => ec2.RestoreImageFromRecycleBinAsync(new RestoreImageFromRecycleBinRequest { ImageId = imageId }, cancellationToken), AwsErrors.IsImageGone);

    /// <summary>Restores a snapshot from the Recycle Bin; one that is no longer there (restored already) counts as done.</summary>
    public Task<MutationResult> RestoreSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        MutateAsync(() => ec2.RestoreSnapshotFromRecycleBinAsync(new RestoreSnapshotFromRecycleBinRequest { SnapshotId = snapshotId }, cancellationToken), AwsErrors.IsSnapshotGone);

    private static async Task<MutationResult> MutateAsync(Func<Task> call, Func<AmazonServiceException, bool> alreadyDone)
    {
        try
        {
            await call().ConfigureAwait(false);
            return new MutationResult(MutationOutcome.Done);
        }
        catch (AmazonServiceException e) when (alreadyDone(e))
        {
            return new MutationResult(MutationOutcome.AlreadyDone);
        }
        catch (AmazonServiceException e) when (e.StatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Forbidden)
        {
            return new MutationResult(MutationOutcome.Failed, AwsErrors.Describe(e));
        }
    }
}
