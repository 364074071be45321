using AmiInfra.Rules;
namespace AmiInfra.Ops.Inventory;

/// <summary>How an AMI's snapshots are encrypted.</summary>
public enum EncryptionKind
{
    /// <summary>At least one snapshot is not encrypted.</summary>
    Unencrypted,

    /// <summary>Encrypted, at least one snapshot with an AWS-managed key (aws/ebs).</summary>
    AwsManagedKey,

    /// <summary>Every snapshot encrypted with a customer-managed key.</summary>
    CustomerManagedKey,

    /// <summary>The snapshots are not visible to this account (e.g. owned by another account).</summary>
    Unknown,
}

/// <summary>One AMI as the reports see it.</summary>
public sealed record AmiRecord
{
    /// <summary>The region.</summary>
    public required string Region { get; init; }

    /// <summary>The AMI id.</summary>
    public required string ImageId { get; init; }

    /// <summary>The AMI name.</summary>
    public string? Name { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>Its state (available, pending, failed, disabled, ...).</summary>
    public required string State { get; init; }

    /// <summary>Whether everyone may launch it.</summary>
    public bool Public { get; init; }

    /// <summary>Accounts, organization ARNs and OU ARNs it is shared with (not the public group).</summary>
    public IReadOnlyList<string> SharedWith { get; init; } = [];

    /// <summary>The EBS snapshots of its block device mappings.</summary>
    public IReadOnlyList<string> SnapshotIds { get; init; } = [];

    /// <summary>How its snapshots are encrypted.</summary>
    public EncryptionKind Encryption { get; init; }

    /// <summary>The KMS key of its snapshots (the first one found), or null.</summary>
    public string? KmsKeyId { get; init; }

    /// <summary>When it is or was deprecated, or null.</summary>
    public DateTimeOffset? DeprecationTime { get; init; }

    /// <summary>When an instance was last launched from it, or null when EC2 does not say.</summary>
    public DateTimeOffset? LastLaunched { get; init; }

    /// <summary>Its tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The image of the declaration it belongs to (its amiinfra:image tag), or null.</summary>
    public string? ImageName => Tags.GetValueOrDefault(AmiTagKeys.Image);

    /// <summary>Whole days since creation, at <paramref name="now"/>.</summary>
    public int AgeDays(DateTimeOffset now) => Created is null ? 0 : (int)Math.Floor((now - Created.Value).TotalDays);
}
