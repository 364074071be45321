namespace AmiInfra.Rules;

/// <summary>What AWS KMS accepts. Source: KMS API reference, ScheduleKeyDeletion and CreateAlias.</summary>
public static class Kms
{
    /// <summary>The waiting period before a key scheduled for deletion is deleted (ScheduleKeyDeletion.PendingWindowInDays).</summary>
    public static readonly (int Min, int Max) PendingWindowDays = (7, 30);
}
