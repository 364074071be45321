using AmiInfra.Constructs.Governance;
using AmiInfra.Declaration;

namespace AmiInfra.App.Stacks;

/// <summary>
/// Maps the declaration's governance onto the props of <see cref="AccountControls"/>: in the factory account
/// (each regional stack), with the default EBS key the declaration chose; in the target accounts (the StackSet),
/// with encryption by default on and the default key <c>targetAccountEbsKey</c> chooses: the account's own (keep),
/// aws/ebs, or a key of the account the StackSet creates (<see cref="TargetAccountEbsKeyAlias"/>), never a key of the
/// factory account, which would make every consumer volume depend on the factory's key.
/// </summary>
internal static class DeclaredAccountControls
{
    /// <summary>The controls of the factory account in one region; <paramref name="regionalKeyArn"/> is the regional key there, when it exists.</summary>
    public static AccountControlsProps For(Factory factory, string? regionalKeyArn)
    {
        var g = factory.Governance;
        return Common(factory) with
        {
            EbsDefaultKey = g.EbsEncryptionByDefault switch
            {
                EbsDefaultEncryption.RegionalKey => regionalKeyArn ?? throw new InvalidOperationException("the regional key is created whenever the governance makes it the default EBS key"),
                EbsDefaultEncryption.AwsManagedKey => AccountControlsProps.AwsManagedKey,
                _ => null,
            },
        };
    }

    /// <summary>The controls of every target account, in every distribution region.</summary>
    public static AccountControlsProps ForTargetAccounts(Factory factory) => Common(factory) with
    {
        EbsDefaultKey = factory.Governance.TargetAccountEbsKey == TargetAccountEbsKey.AwsManaged ? AccountControlsProps.AwsManagedKey : null,
    };

    /// <summary>The alias of the default EBS key the StackSet creates in each target account and region, or null when it creates none.</summary>
    public static string? TargetAccountEbsKeyAlias(Factory factory) =>
        factory.Governance.TargetAccountEbsKey == TargetAccountEbsKey.StackSetKey ? $"alias/amiinfra/{factory.Name}/ebs-default" : null;

    private static AccountControlsProps Common(Factory factory)
    {
        var g = factory.Governance;
        return new AccountControlsProps
        {
            NamePrefix = factory.Name,
            ImageBlockPublicAccess = g.ImageBlockPublicAccess,
            SnapshotBlockPublicAccess = g.SnapshotBlockPublicAccess,
            EbsEncryptionByDefault = g.EbsEncryptionByDefault is not null,
            AllowedImagesMode = g.AllowedImages?.Mode,
            AllowedImagesCriteria = g.AllowedImages?.Criteria(factory.Account) ?? [],
        };
    }
}
