namespace AmiInfra.Declaration;

/// <summary>How the default EBS encryption of an account is set.</summary>
public enum EbsDefaultEncryption
{
    /// <summary>Encryption by default on, with the factory's regional key as the default key (factory account).</summary>
    RegionalKey,

    /// <summary>Encryption by default on, with the AWS-managed aws/ebs key as the default key (factory account).</summary>
    AwsManagedKey,
}

/// <summary>The default key of EBS encryption by default in the target accounts.</summary>
public enum TargetAccountEbsKey
{
    /// <summary>Each account keeps the default key it has (aws/ebs unless it chose another).</summary>
    Keep,

    /// <summary>The AWS-managed aws/ebs key.</summary>
    AwsManaged,

    /// <summary>A customer-managed key the StackSet creates in each account and region.</summary>
    StackSetKey,
}

/// <summary>
/// The account-level controls for AMIs a factory declares: in its own account, in every distribution
/// region, and (<see cref="InTargetAccounts"/>) in the accounts of its target OUs. What is not declared
/// is left as the account has it.
/// </summary>
public sealed record GovernanceSettings
{
    /// <summary>Block public access for AMIs (block-new-sharing). Default: false (left as it is).</summary>
    public bool ImageBlockPublicAccess { get; init; }

    /// <summary>Block public access for snapshots: block-all-sharing or block-new-sharing. Default: null (left as it is).</summary>
    public string? SnapshotBlockPublicAccess { get; init; }

    /// <summary>EBS encryption by default, and the factory account's default key. Default: null (left as it is).</summary>
    public EbsDefaultEncryption? EbsEncryptionByDefault { get; init; }

    /// <summary>
    /// The default key of encryption by default in the target accounts, with <see cref="EbsEncryptionByDefault"/>.
    /// Default: null (not declared: each account keeps its own, as <see cref="TargetAccountEbsKey.Keep"/>).
    /// </summary>
    public TargetAccountEbsKey? TargetAccountEbsKey { get; init; }

    /// <summary>Allowed AMIs. Default: null (left as it is).</summary>
    public AllowedImagesSettings? AllowedImages { get; init; }

    /// <summary>Whether the controls also go into the accounts of organization.targetOrganizationalUnits. Default: true.</summary>
    public bool InTargetAccounts { get; init; } = true;

    /// <summary>Whether any control is declared.</summary>
    public bool DeclaresAny => ImageBlockPublicAccess || SnapshotBlockPublicAccess is not null || EbsEncryptionByDefault is not null || AllowedImages is not null;
}

/// <summary>The Allowed AMIs a factory declares: the factory account's AMIs always, and those of the declared criterion.</summary>
/// <param name="Mode">audit-mode (report only) or enabled.</param>
/// <param name="Providers">Image providers besides the factory account: amazon, aws-marketplace, aws-backup-vault, none or account ids.</param>
/// <param name="Names">AMI name patterns the providers' AMIs must match; empty: any name.</param>
/// <param name="MaxAgeDays">The providers' AMIs must be created within this many days; null: any age.</param>
/// <param name="MaxDaysSinceDeprecated">The providers' AMIs must be deprecated at most this many days ago; null: any.</param>
public sealed record AllowedImagesSettings(string Mode, IReadOnlyList<string> Providers, IReadOnlyList<string> Names, int? MaxAgeDays, int? MaxDaysSinceDeprecated)
{
    /// <summary>
    /// The criteria sent to EC2: the factory account as a provider of its own (its AMIs are allowed
    /// whatever their name or age: the factory retires them itself), then the declared criterion when it
    /// says anything. Criteria are alternatives: an AMI is allowed when it matches one of them.
    /// </summary>
    public IReadOnlyList<AmiInfra.Rules.AllowedImagesCriterion> Criteria(string factoryAccount)
    {
        var criteria = new List<AmiInfra.Rules.AllowedImagesCriterion> { new([factoryAccount], [], null, null) };
        if (Providers.Count + Names.Count > 0 || MaxAgeDays is not null || MaxDaysSinceDeprecated is not null)
        {
            criteria.Add(new(Providers, Names, MaxAgeDays, MaxDaysSinceDeprecated));
        }

        return criteria;
    }
}
