namespace AmiInfra.Ops.Snapshots;

/// <summary>A snapshot whose AMI no longer exists.</summary>
/// <param name="Region">The region.</param>
/// <param name="SnapshotId">The snapshot.</param>
/// <param name="ImageId">The AMI its description names.</param>
/// <param name="SizeGiB">Its size.</param>
/// <param name="Created">When it was started.</param>
/// <param name="MonthlyCost">Size times the price per GB-month.</param>
public sealed record OrphanedSnapshot(string Region, string SnapshotId, string ImageId, int SizeGiB, DateTimeOffset? Created, decimal MonthlyCost);
