namespace AmiInfra.Rules;

/// <summary>What AWS KMS accepts. Source: KMS API reference, ScheduleKeyDeletion and CreateAlias.</summary>
public static class Kms
{
    /// <summary>The waiting period before a key scheduled for deletion is deleted (ScheduleKeyDeletion.PendingWindowInDays).</summary>
    public static readonly (int Min, int Max) PendingWindowDays = (7, 30);

    /// <summary>
    /// The operations a consumer account grants its EC2 Auto Scaling service-linked role on a key of
    /// another account, so that Auto Scaling can launch instances with volumes that key encrypts
    /// ("Required AWS KMS key policy for use with encrypted volumes", Example 2, cross-account:
    /// https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html).
    /// The key policy lets a consumer create that grant, and no other, by kms:GrantOperations.
    /// </summary>
    public static readonly IReadOnlyList<string> AutoScalingGrantOperations =
        ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "DescribeKey", "CreateGrant"];

    /// <summary>
    /// The EC2 Auto Scaling service-linked role of an account (a custom suffix may follow it:
    /// AWSServiceRoleForAutoScaling_suffix), the grantee of <see cref="AutoScalingGrantOperations"/>.
    /// </summary>
    public const string AutoScalingServiceLinkedRole = "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling";

    /// <summary>
    /// The service EC2 calls KMS through for the consumers of an AMI (launching, copying, creating volumes):
    /// kms:ViaService "ec2.REGION.amazonaws.com" (AWS KMS condition keys, kms:ViaService:
    /// https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
    /// A wildcard region, as AWS's own Image Builder service-linked role policy writes it, because a
    /// consumer may copy the AMI to another region; <paramref name="dnsSuffix"/> is the partition's
    /// (amazonaws.com, amazonaws.com.cn), or <c>${AWS::URLSuffix}</c> inside a template.
    /// </summary>
    public static string ViaEc2(string dnsSuffix) => $"ec2.*.{dnsSuffix}";
}
