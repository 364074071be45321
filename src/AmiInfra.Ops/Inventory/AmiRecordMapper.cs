using Amazon.EC2.Model;
using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Inventory;

/// <summary>Builds an <see cref="AmiRecord"/> from what EC2 and KMS return.</summary>
public static class AmiRecordMapper
{
    /// <summary>Maps an AMI, its launch permissions, the account's snapshots and the AWS-managed keys of its region.</summary>
    public static AmiRecord From(
        string region,
        Image image,
        IReadOnlyList<LaunchPermission> launchPermissions,
        IReadOnlyDictionary<string, Snapshot> snapshots,
        IReadOnlySet<string> awsManagedKeyIds)
    {
        var ebs = (image.BlockDeviceMappings ?? []).Select(m => m.Ebs).Where(e => e?.SnapshotId is not null).ToList();
        var (encryption, key) = Encryption(ebs, snapshots, awsManagedKeyIds);
        return new AmiRecord
        {
            Region = region,
            ImageId = image.ImageId,
            Name = image.Name,
            Created = Formats.ParseTime(image.CreationDate),
            State = image.State?.Value ?? "unknown",
            Public = image.Public == true || launchPermissions.Any(p => p.Group?.Value == "all"),
            SharedWith = launchPermissions
                .Select(p => p.UserId ?? p.OrganizationArn ?? p.OrganizationalUnitArn)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .ToList(),
            SnapshotIds = ebs.Select(e => e.SnapshotId).Distinct(StringComparer.Ordinal).ToList(),
            Encryption = encryption,
            KmsKeyId = key,
            DeprecationTime = Formats.ParseTime(image.DeprecationTime),
            LastLaunched = Formats.ParseTime(image.LastLaunchedTime),
            Tags = (image.Tags ?? []).GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal),
        };
    }

    /// <summary>The key id of a KMS key ARN or id (the part after key/).</summary>
    public static string KeyId(string keyArnOrId)
    {
        var slash = keyArnOrId.LastIndexOf("key/", StringComparison.Ordinal);
        return slash >= 0 ? keyArnOrId[(slash + 4)..] : keyArnOrId;
    }

    private static (EncryptionKind Kind, string? Key) Encryption(
        List<EbsBlockDevice> ebs,
        IReadOnlyDictionary<string, Snapshot> snapshots,
        IReadOnlySet<string> awsManagedKeyIds)
    {
        if (ebs.Count == 0)
        {
            return (EncryptionKind.Unencrypted, null);
        }

        var kinds = new List<EncryptionKind>();
        string? firstKey = null;
        foreach (var device in ebs)
        {
            snapshots.TryGetValue(device.SnapshotId, out var snapshot);
            var encrypted = snapshot?.Encrypted ?? device.Encrypted;
            var key = snapshot?.KmsKeyId ?? device.KmsKeyId;
            firstKey ??= key;
            kinds.Add(encrypted switch
            {
                false => EncryptionKind.Unencrypted,
                null => EncryptionKind.Unknown,
                true when key is null => EncryptionKind.Unknown,
                true when awsManagedKeyIds.Contains(KeyId(key)) => EncryptionKind.AwsManagedKey,
                true => EncryptionKind.CustomerManagedKey,
            });
        }

        var kind = kinds.Contains(EncryptionKind.Unencrypted) ? EncryptionKind.Unencrypted
            : kinds.Contains(EncryptionKind.AwsManagedKey) ? EncryptionKind.AwsManagedKey
            : kinds.Contains(EncryptionKind.Unknown) ? EncryptionKind.Unknown
            : EncryptionKind.CustomerManagedKey;
        return (kind, firstKey);
    }
}
