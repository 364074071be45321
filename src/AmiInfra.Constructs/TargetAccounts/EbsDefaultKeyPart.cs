namespace AmiInfra.Constructs.TargetAccounts;

/// <summary>
/// A customer-managed KMS key in every target account and region, made the account's default key of EBS encryption by
/// default, as a part of the <see cref="TargetAccountStackSet"/> template (regional, under the account controls'
/// condition: the factory account sets its own). Volumes and snapshots encrypted with the AWS-managed aws/ebs key
/// cannot be shared with other accounts ("You can't share snapshots that are encrypted with the default AWS managed
/// key": https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html); with this key they
/// can, once the account shares the key too. The key rotates every year; its policy lets the account administer it
/// through IAM, and lets the account's principals use it only through EC2 in its region, as the policy of aws/ebs does
/// (kms:CallerAccount and kms:ViaService: https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account),
/// which also covers the service-linked role of EC2 Auto Scaling launching instances in the account. The key is kept
/// when the stack goes: EBS cannot launch instances whose default key is deleted or disabled, and volumes and snapshots
/// it encrypts stay readable only while it exists
/// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyEbsDefaultKmsKeyId.html).
/// </summary>
internal static class EbsDefaultKeyPart
{
    /// <summary>The key's logical id in the template.</summary>
    public const string LogicalId = "EbsDefaultKey";

    /// <summary>The alias's logical id in the template.</summary>
    public const string AliasLogicalId = "EbsDefaultKeyAlias";

    /// <summary>The key administration actions the account's IAM policies may grant (no use of the key: that goes through EC2).</summary>
    private static readonly string[] Administration =
    [
        "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*", "kms:Disable*",
        "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
        "kms:RotateKeyOnDemand",
    ];

    /// <summary>The ARN of the key, for the account controls' default key.</summary>
    public static Dictionary<string, object> KeyArn => new() { ["Fn::GetAtt"] = new object[] { LogicalId, "Arn" } };

    /// <summary>Adds the key and its alias (regional, under <paramref name="condition"/>) to <paramref name="template"/>.</summary>
    /// <param name="template">The StackSet template.</param>
    /// <param name="alias">The key's alias (alias/...).</param>
    /// <param name="condition">The condition of the account controls that make it the default key.</param>
    public static void AddTo(TargetAccountTemplate template, string alias, string condition)
    {
        template.Describe($"a customer-managed key ({alias}) as the default key of EBS encryption by default, in every region of the stack instances");
        template.AddRegional(LogicalId, new Dictionary<string, object>
        {
            ["Type"] = "AWS::KMS::Key",
            ["Condition"] = condition,
            ["DeletionPolicy"] = "Retain",
            ["UpdateReplacePolicy"] = "Retain",
            ["Properties"] = new Dictionary<string, object>
            {
                ["Description"] = "The default key of EBS encryption by default in this account and region (AmiInfra): volumes and snapshots it encrypts can be shared with other accounts",
                ["EnableKeyRotation"] = true,
                ["KeySpec"] = "SYMMETRIC_DEFAULT",
                ["KeyUsage"] = "ENCRYPT_DECRYPT",
                ["KeyPolicy"] = new Dictionary<string, object>
                {
                    ["Version"] = "2012-10-17",
                    ["Statement"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["Sid"] = "AdministerThroughIam",
                            ["Effect"] = "Allow",
                            ["Principal"] = new Dictionary<string, object> { ["AWS"] = TargetAccountTemplate.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root") },
                            ["Action"] = Administration,
                            ["Resource"] = "*",
                        },
                        new Dictionary<string, object>
                        {
                            ["Sid"] = "UseThroughEc2InThisAccount",
                            ["Effect"] = "Allow",
                            ["Principal"] = new Dictionary<string, object> { ["AWS"] = "*" },
                            ["Action"] = new[] { "kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey" },
                            ["Resource"] = "*",
                            ["Condition"] = new Dictionary<string, object>
                            {
                                ["StringEquals"] = new Dictionary<string, object>
                                {
                                    ["kms:CallerAccount"] = new Dictionary<string, object> { ["Ref"] = "AWS::AccountId" },
                                    ["kms:ViaService"] = TargetAccountTemplate.Sub("ec2.${AWS::Region}.${AWS::URLSuffix}"),
                                },
                            },
                        },
                    },
                },
            },
        });
        template.AddRegional(AliasLogicalId, new Dictionary<string, object>
        {
            ["Type"] = "AWS::KMS::Alias",
            ["Condition"] = condition,
            ["Properties"] = new Dictionary<string, object>
            {
                ["AliasName"] = alias,
                ["TargetKeyId"] = new Dictionary<string, object> { ["Ref"] = LogicalId },
            },
        });
    }
}
