using Amazon.EC2.Model;
using Amazon.Runtime;
using AmiInfra.Declaration;
using AmiInfra.Ops.Aws;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Governance;

/// <summary>What one account has set of the account controls for AMIs in one region; null where not read or not known.</summary>
/// <param name="Region">The region.</param>
/// <param name="ImageBlockPublicAccess">GetImageBlockPublicAccessState: block-new-sharing or unblocked.</param>
/// <param name="SnapshotBlockPublicAccess">GetSnapshotBlockPublicAccessState: block-all-sharing, block-new-sharing or unblocked.</param>
/// <param name="EbsEncryptionByDefault">GetEbsEncryptionByDefault.</param>
/// <param name="EbsDefaultKey">GetEbsDefaultKmsKeyId: the default key's ARN.</param>
/// <param name="EbsDefaultKeyIsDeclared">Whether the default key is the one the declaration names (its alias resolved with KMS), when known.</param>
/// <param name="AllowedImages">GetAllowedImagesSettings: enabled, audit-mode or disabled.</param>
/// <param name="Criteria">GetAllowedImagesSettings: the image criteria.</param>
/// <param name="NotChecked">The controls that could not be read, and why.</param>
public sealed record ControlState(
    string Region,
    string? ImageBlockPublicAccess,
    string? SnapshotBlockPublicAccess,
    bool? EbsEncryptionByDefault,
    string? EbsDefaultKey,
    bool? EbsDefaultKeyIsDeclared,
    string? AllowedImages,
    IReadOnlyList<AllowedImagesCriterion>? Criteria,
    IReadOnlyDictionary<string, string> NotChecked);

/// <summary>Reads the controls a declaration governs, in one account and region; the others are not read.</summary>
public static class ControlStateReader
{
    /// <summary>
    /// Reads what <paramref name="governance"/> declares. <paramref name="declaredKey"/> is the default EBS key the
    /// account should have (an alias ARN, or "aws/ebs"), or null when its key is not governed.
    /// </summary>
    public static async Task<ControlState> ReadAsync(AwsSession session, string region, GovernanceSettings governance, string? declaredKey, CancellationToken cancellationToken)
    {
        var ec2 = session.Ec2(region);
        var notChecked = new Dictionary<string, string>(StringComparer.Ordinal);

        async Task<T?> Try<T>(string control, string api, Func<Task<T>> read)
        {
            try
            {
                return await read().ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (AwsErrors.Is(e, AwsFailure.Denied, AwsFailure.NotOffered, AwsFailure.Throttled, AwsFailure.RegionNotEnabled, AwsFailure.Credentials))
            {
                notChecked[control] = $"{api} {AwsErrors.Why(e)}";
                return default;
            }
        }

        var image = governance.ImageBlockPublicAccess
            ? await Try(GuardControls.ImageBlockPublicAccess, "GetImageBlockPublicAccessState", async () => (await ec2.GetImageBlockPublicAccessStateAsync(new GetImageBlockPublicAccessStateRequest(), cancellationToken).ConfigureAwait(false)).ImageBlockPublicAccessState).ConfigureAwait(false)
            : null;
        var snapshot = governance.SnapshotBlockPublicAccess is not null
            ? await Try(GuardControls.SnapshotBlockPublicAccess, "GetSnapshotBlockPublicAccessState", async () => (await ec2.GetSnapshotBlockPublicAccessStateAsync(new GetSnapshotBlockPublicAccessStateRequest(), cancellationToken).ConfigureAwait(false)).State?.Value).ConfigureAwait(false)
            : null;
        var encryption = governance.EbsEncryptionByDefault is not null
            ? await Try(GuardControls.EbsEncryptionByDefault, "GetEbsEncryptionByDefault", async () => (bool?)(await ec2.GetEbsEncryptionByDefaultAsync(new GetEbsEncryptionByDefaultRequest(), cancellationToken).ConfigureAwait(false)).EbsEncryptionByDefault).ConfigureAwait(false)
            : null;
        string? key = null;
        bool? keyIsDeclared = null;
        if (declaredKey is not null)
        {
            key = await Try(GuardControls.EbsDefaultKey, "GetEbsDefaultKmsKeyId", async () => (await ec2.GetEbsDefaultKmsKeyIdAsync(new GetEbsDefaultKmsKeyIdRequest(), cancellationToken).ConfigureAwait(false)).KmsKeyId).ConfigureAwait(false);
            if (key is not null)
            {
                keyIsDeclared = await Try(GuardControls.EbsDefaultKey, "kms:DescribeKey", () => SameKeyAsync(session, region, key, declaredKey, cancellationToken)).ConfigureAwait(false);
            }
        }

        string? allowed = null;
        IReadOnlyList<AllowedImagesCriterion>? criteria = null;
        if (governance.AllowedImages is not null)
        {
            var settings = await Try(GuardControls.AllowedImages, "GetAllowedImagesSettings", () => ec2.GetAllowedImagesSettingsAsync(new GetAllowedImagesSettingsRequest(), cancellationToken)).ConfigureAwait(false);
            if (settings is not null)
            {
                allowed = settings.State ?? "disabled";
                criteria = (settings.ImageCriteria ?? []).Select(c => new AllowedImagesCriterion(
                    c.ImageProviders ?? [], c.ImageNames ?? [], c.CreationDateCondition?.MaximumDaysSinceCreated, c.DeprecationTimeCondition?.MaximumDaysSinceDeprecated)).ToList();
            }
        }

        return new ControlState(region, image, snapshot, encryption, key, keyIsDeclared, allowed, criteria, notChecked);
    }

    /// <summary>Whether the default key is the declared one: the AWS-managed aws/ebs key, or the key behind the declared alias.</summary>
    private static async Task<bool?> SameKeyAsync(AwsSession session, string region, string key, string declared, CancellationToken cancellationToken)
    {
        if (declared == GuardControls.AwsManagedKey)
        {
            if (key.EndsWith("alias/aws/ebs", StringComparison.Ordinal))
            {
                return true;
            }

            var metadata = (await session.Kms(region).DescribeKeyAsync(new Amazon.KeyManagementService.Model.DescribeKeyRequest { KeyId = key }, cancellationToken).ConfigureAwait(false)).KeyMetadata;
            return metadata.KeyManager == Amazon.KeyManagementService.KeyManagerType.AWS;
        }

        try
        {
            var target = (await session.Kms(region).DescribeKeyAsync(new Amazon.KeyManagementService.Model.DescribeKeyRequest { KeyId = declared }, cancellationToken).ConfigureAwait(false)).KeyMetadata;
            return key == target.Arn || key == target.KeyId || key == declared;
        }
        catch (Amazon.KeyManagementService.Model.NotFoundException)
        {
            return false;
        }
    }
}
