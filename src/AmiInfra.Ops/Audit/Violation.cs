namespace AmiInfra.Ops.Audit;

/// <summary>The kinds of violation <c>audit</c> reports.</summary>
public enum ViolationKind
{
    /// <summary>Public, but the declaration does not opt in (allowPublicImages and distribution.public).</summary>
    PublicWithoutOptIn,

    /// <summary>Shared with an account, organization or OU the declaration does not name.</summary>
    SharedWithUndeclared,

    /// <summary>Passed its release verification, but not shared with every consumer the declaration names (they cannot launch it).</summary>
    VerifiedNotShared,

    /// <summary>A snapshot is not encrypted.</summary>
    Unencrypted,

    /// <summary>Encrypted with the AWS-managed key (aws/ebs), which cannot be shared, while the declaration asks for the regional key.</summary>
    AwsManagedKey,

    /// <summary>A declared image has no available AMI in a declared region.</summary>
    MissingFromRegion,

    /// <summary>Past a declared retirement step (deprecate, disable or delete) that has not happened.</summary>
    PastRetirement,

    /// <summary>Tagged with the factory, but its image is not in the declaration.</summary>
    UndeclaredImage,

    /// <summary>A factory AMI in a region the declaration does not distribute its image to.</summary>
    UndeclaredRegion,

    /// <summary>A snapshot carrying the factory's tag that no AMI uses.</summary>
    OrphanedSnapshot,

    /// <summary>A snapshot of the factory anyone may create volumes from (create-volume permission "all").</summary>
    SnapshotPublic,

    /// <summary>A snapshot of the factory another account may create volumes from (copy the disk).</summary>
    SnapshotShared,

    /// <summary>The SSM parameter that should hold the newest AMI of an image in a region is missing or holds another AMI.</summary>
    SsmParameterStale,

    /// <summary>A launch template's default or latest version launches a deprecated or disabled factory AMI.</summary>
    LaunchTemplateRetired,

    /// <summary>The account's block public access for AMIs is off (and the declaration does not publish AMIs).</summary>
    ImageBlockPublicAccessOff,

    /// <summary>The account's block public access for snapshots is off.</summary>
    SnapshotBlockPublicAccessOff,

    /// <summary>An account control for AMIs the governance declares is set otherwise (see <c>amiinfra guard</c>).</summary>
    GovernanceDrift,

    /// <summary>An image with a schedule whose newest available AMI in a declared region is older than two schedule periods plus a day.</summary>
    StalledPipeline,

    /// <summary>An available AMI whose amiinfra:retain-* tags disagree with the retention windows, a day after the newest AMI of its image there.</summary>
    RetentionMarksStale,
}

/// <summary>One violation.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Region">Where.</param>
/// <param name="ImageId">The AMI, or null when an AMI is missing.</param>
/// <param name="Image">The declared image name, when known.</param>
/// <param name="Detail">What exactly, for a person.</param>
public sealed record Violation(ViolationKind Kind, string Region, string? ImageId, string? Image, string Detail);
