using AmiInfra.Declaration;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Governance;

/// <summary>The names of the controls in <c>amiinfra guard</c> and <c>audit</c>.</summary>
public static class GuardControls
{
    /// <summary>Block public access for AMIs.</summary>
    public const string ImageBlockPublicAccess = "image-block-public-access";

    /// <summary>Block public access for snapshots.</summary>
    public const string SnapshotBlockPublicAccess = "snapshot-block-public-access";

    /// <summary>EBS encryption by default.</summary>
    public const string EbsEncryptionByDefault = "ebs-encryption-by-default";

    /// <summary>The default key of EBS encryption (the factory account only).</summary>
    public const string EbsDefaultKey = "ebs-default-key";

    /// <summary>The Allowed AMIs state.</summary>
    public const string AllowedImages = "allowed-images";

    /// <summary>The Allowed AMIs criteria.</summary>
    public const string AllowedImagesCriteria = "allowed-images-criteria";

    /// <summary>The declared default key that is the AWS-managed one.</summary>
    public const string AwsManagedKey = "aws/ebs";
}

/// <summary>One control in one account and region: what is declared, what is set, and whether they agree.</summary>
/// <param name="Account">The account.</param>
/// <param name="Region">The region.</param>
/// <param name="Control">The control (<see cref="GuardControls"/>).</param>
/// <param name="Declared">What the declaration asks for.</param>
/// <param name="Set">What the account has set ("unknown" when it could not be read).</param>
/// <param name="Status">ok, drift or not-checked.</param>
/// <param name="Detail">Why, in words.</param>
public sealed record GuardRow(string Account, string Region, string Control, string Declared, string Set, string Status, string Detail)
{
    /// <summary>The status of a control set as declared.</summary>
    public const string Ok = "ok";

    /// <summary>The status of a control set otherwise than declared.</summary>
    public const string Drift = "drift";

    /// <summary>The status of a control that could not be read.</summary>
    public const string NotChecked = "not-checked";
}

/// <summary>
/// Compares what an account has set with what the declaration's governance asks of it: the factory account
/// everything declared (with its default EBS key), a target account the same controls but its own default key.
/// </summary>
public static class GuardRules
{
    /// <summary>The default EBS key the account should have, or null when its key is not governed (target accounts, or no declaration).</summary>
    public static string? DeclaredKey(Factory factory, string region, bool factoryAccount) =>
        !factoryAccount ? null : factory.Governance.EbsEncryptionByDefault switch
        {
            EbsDefaultEncryption.RegionalKey => $"arn:{Partitions.NameOf(region)}:kms:{region}:{factory.Account}:alias/amiinfra/{factory.Name}/ami",
            EbsDefaultEncryption.AwsManagedKey => GuardControls.AwsManagedKey,
            _ => null,
        };

    /// <summary>Every declared control of one account in one region, compared with what is set.</summary>
    public static IReadOnlyList<GuardRow> Compare(Factory factory, string account, bool factoryAccount, ControlState state)
    {
        var g = factory.Governance;
        var rows = new List<GuardRow>();

        void Add(string control, string declared, string? set, bool agrees, string detail)
        {
            // The criteria are read with the Allowed AMIs state: one call, one reason when it could not be made.
            var read = control == GuardControls.AllowedImagesCriteria ? GuardControls.AllowedImages : control;
            rows.Add(state.NotChecked.TryGetValue(read, out var why)
                ? new GuardRow(account, state.Region, control, declared, "unknown", GuardRow.NotChecked, why)
                : new GuardRow(account, state.Region, control, declared, set ?? "unknown", agrees ? GuardRow.Ok : GuardRow.Drift, agrees ? "as declared" : detail));
        }

        if (g.ImageBlockPublicAccess)
        {
            Add(GuardControls.ImageBlockPublicAccess, Rules.Governance.ImageBlockPublicAccessState, state.ImageBlockPublicAccess,
                state.ImageBlockPublicAccess == Rules.Governance.ImageBlockPublicAccessState, "any AMI of the account can be made public");
        }

        if (g.SnapshotBlockPublicAccess is { } snapshots)
        {
            Add(GuardControls.SnapshotBlockPublicAccess, snapshots, state.SnapshotBlockPublicAccess, state.SnapshotBlockPublicAccess == snapshots,
                state.SnapshotBlockPublicAccess == "unblocked" ? "any snapshot of the account can be made public" : "another block than declared");
        }

        if (g.EbsEncryptionByDefault is not null)
        {
            Add(GuardControls.EbsEncryptionByDefault, "on", state.EbsEncryptionByDefault is { } on ? (on ? "on" : "off") : null, state.EbsEncryptionByDefault == true,
                "new EBS volumes may be created unencrypted");
            if (DeclaredKey(factory, state.Region, factoryAccount) is { } key)
            {
                Add(GuardControls.EbsDefaultKey, key, state.EbsDefaultKey, state.EbsDefaultKeyIsDeclared == true, "new volumes are encrypted with another key than declared");
            }
        }

        if (g.AllowedImages is { } allowed)
        {
            Add(GuardControls.AllowedImages, allowed.Mode, state.AllowedImages, state.AllowedImages == allowed.Mode,
                state.AllowedImages == "disabled" ? "any public or shared AMI may be launched, and nothing is reported" : $"{state.AllowedImages} instead of {allowed.Mode}");
            var declared = allowed.Criteria(factory.Account);
            Add(GuardControls.AllowedImagesCriteria, string.Join(" | ", declared.Select(c => c.Describe())),
                state.Criteria is null ? null : state.Criteria.Count == 0 ? "none" : string.Join(" | ", state.Criteria.Select(c => c.Describe())),
                state.Criteria is not null && AllowedImagesCriterion.SameCriteria(declared, state.Criteria), "other criteria than declared");
        }

        return rows;
    }
}
