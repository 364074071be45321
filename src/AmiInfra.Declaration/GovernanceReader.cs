using AmiInfra.Rules;

namespace AmiInfra.Declaration;

/// <summary>Reads the <c>governance</c> block: the account-level controls for AMIs.</summary>
internal static class GovernanceReader
{
    /// <summary>The fields of <c>governance</c>.</summary>
    internal static readonly string[] Fields = ["imageBlockPublicAccess", "snapshotBlockPublicAccess", "ebsEncryptionByDefault", "targetAccountEbsKey", "allowedImages", "targetAccounts"];

    /// <summary>The fields of <c>governance.allowedImages</c>.</summary>
    internal static readonly string[] AllowedImagesFields = ["mode", "providers", "names", "maxAgeDays", "maxDaysSinceDeprecated"];

    /// <summary>The value that leaves a setting as the account has it.</summary>
    internal const string Off = "off";

    /// <summary>What snapshotBlockPublicAccess takes.</summary>
    internal static readonly IReadOnlyList<string> SnapshotValues = [.. Governance.SnapshotBlockPublicAccessStates, Off];

    /// <summary>What ebsEncryptionByDefault takes.</summary>
    internal static readonly IReadOnlyList<string> EbsValues = ["regional-key", "aws/ebs", Off];

    /// <summary>What targetAccountEbsKey takes.</summary>
    internal static readonly IReadOnlyList<string> TargetKeyValues = ["keep", "aws-managed", "stackset-key"];

    public static GovernanceSettings Read(JsonFields f, string factoryAccount)
    {
        var g = f.OptionalObject("governance", Fields);
        if (g is null)
        {
            return new GovernanceSettings();
        }

        var snapshot = g.OptionalString("snapshotBlockPublicAccess", Text.OneOf(SnapshotValues)) ?? Off;
        if (!SnapshotValues.Contains(snapshot, StringComparer.Ordinal))
        {
            throw new DeclarationException(g.At("snapshotBlockPublicAccess"), JsonFields.Quote(snapshot), "block-all-sharing (public snapshots are hidden too), block-new-sharing (no new public sharing) or off (left as the account has it)");
        }

        var ebs = g.OptionalString("ebsEncryptionByDefault", Text.OneOf(EbsValues)) ?? Off;
        var encryption = ebs switch
        {
            "regional-key" => EbsDefaultEncryption.RegionalKey,
            "aws/ebs" => EbsDefaultEncryption.AwsManagedKey,
            Off => (EbsDefaultEncryption?)null,
            _ => throw new DeclarationException(g.At("ebsEncryptionByDefault"), JsonFields.Quote(ebs), "regional-key (the factory's key of each region), aws/ebs (the AWS-managed key) or off (left as the account has it)"),
        };

        var inTargets = g.OptionalBool("targetAccounts") ?? true;
        var targetKeyText = g.OptionalString("targetAccountEbsKey", Text.OneOf(TargetKeyValues));
        var targetKey = targetKeyText switch
        {
            null => (TargetAccountEbsKey?)null,
            "keep" => TargetAccountEbsKey.Keep,
            "aws-managed" => TargetAccountEbsKey.AwsManaged,
            "stackset-key" => TargetAccountEbsKey.StackSetKey,
            _ => throw new DeclarationException(g.At("targetAccountEbsKey"), JsonFields.Quote(targetKeyText), "keep (each target account keeps its default key), aws-managed (the AWS-managed aws/ebs key) or stackset-key (a customer-managed key the StackSet creates in each target account and region)"),
        };
        if (targetKey is TargetAccountEbsKey.AwsManaged or TargetAccountEbsKey.StackSetKey && (encryption is null || !inTargets))
        {
            throw new DeclarationException(
                g.At("targetAccountEbsKey"),
                JsonFields.Quote(targetKeyText!),
                encryption is null
                    ? "keep while ebsEncryptionByDefault is off: the default key is the key of encryption by default"
                    : "keep while targetAccounts is false: no control reaches the target accounts");
        }

        return new GovernanceSettings
        {
            ImageBlockPublicAccess = g.OptionalBool("imageBlockPublicAccess") ?? false,
            SnapshotBlockPublicAccess = snapshot == Off ? null : snapshot,
            EbsEncryptionByDefault = encryption,
            TargetAccountEbsKey = targetKey,
            AllowedImages = ReadAllowedImages(g, factoryAccount),
            InTargetAccounts = inTargets,
        };
    }

    private static AllowedImagesSettings? ReadAllowedImages(JsonFields g, string factoryAccount)
    {
        var a = g.OptionalObject("allowedImages", AllowedImagesFields);
        if (a is null)
        {
            return null;
        }

        var mode = a.OptionalString("mode", Text.OneOf(Governance.AllowedImagesModes)) ?? Governance.DefaultAllowedImagesMode;
        JsonFields.Require(a.At("mode"), Governance.Mode(mode));

        var providers = a.OptionalStrings("providers", Governance.Provider.Accepted) ?? [];
        JsonFields.Require(a.At("providers"), Governance.Providers(providers));
        var own = providers.ToList().IndexOf(factoryAccount);
        if (own >= 0)
        {
            throw new DeclarationException($"{a.At("providers")}[{own}]", JsonFields.Quote(factoryAccount), "an account other than the factory's own (its AMIs are always allowed, by a criterion of their own)");
        }

        var names = a.OptionalStrings("names", Governance.NamePattern.Accepted) ?? [];
        JsonFields.Require(a.At("names"), Governance.Names(names));
        return new AllowedImagesSettings(mode, providers, names, Days(a, "maxAgeDays"), Days(a, "maxDaysSinceDeprecated"));
    }

    private static int? Days(JsonFields a, string field)
    {
        var accepted = $"a whole number of days from {Governance.DaysCondition.Min} to {Governance.DaysCondition.Max}";
        if (a.Element(field) is not { } e)
        {
            return null;
        }

        if (e.ValueKind != System.Text.Json.JsonValueKind.Number || !e.TryGetInt64(out var days))
        {
            throw new DeclarationException(a.At(field), JsonFields.Render(e), accepted);
        }

        JsonFields.Require(a.At(field), Governance.Days(days));
        return (int)days;
    }

    /// <summary>
    /// What is legal but likely not meant, once the images are read: controls meant for the target accounts
    /// without OUs to deploy them to, and Allowed AMIs enabled without the providers of the parent images
    /// (the factory's own builds would be refused).
    /// </summary>
    public static IEnumerable<string> Warnings(GovernanceSettings governance, OrganizationSettings? organization, IReadOnlyList<Image> images)
    {
        if (governance.DeclaresAny && governance.InTargetAccounts && organization is not { TargetOrganizationalUnits.Count: > 0 })
        {
            yield return "governance: the controls are set in the factory account only: declare organization.targetOrganizationalUnits to set them in the target accounts too (or \"targetAccounts\": false to say so)";
        }

        // The target accounts' default EBS key, left as it is unless declared, is aws/ebs in most accounts: their snapshots,
        // and the AMIs made from them, then cannot be shared with other accounts ("You can't share snapshots that are
        // encrypted with the default AWS managed key": https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html).
        if (governance is { EbsEncryptionByDefault: not null, InTargetAccounts: true, TargetAccountEbsKey: null } && organization is { TargetOrganizationalUnits.Count: > 0 })
        {
            yield return "governance.targetAccountEbsKey: the target accounts get EBS encryption by default and keep their default key, which is the AWS-managed aws/ebs unless an account chose another: the snapshots of their volumes, and AMIs made from them, then cannot be shared with other accounts; declare \"stackset-key\" (a customer-managed key in each target account and region) to make them shareable, or \"keep\" to keep each account's key and silence this warning";
        }

        if (governance.AllowedImages is { Mode: "enabled" } allowed && !allowed.Providers.Contains("amazon", StringComparer.Ordinal))
        {
            for (var i = 0; i < images.Count; i++)
            {
                var parent = images[i].Parent;
                if (parent.Kind == ParentImageKind.ImageBuilder || (parent.Kind == ParentImageKind.SsmParameter && parent.Value.StartsWith("/aws/service/", StringComparison.Ordinal)))
                {
                    yield return $"governance.allowedImages.providers: images[{i}].parent ({parent.Value}) is an AMI of Amazon or a verified provider, and amazon is not an allowed provider: with mode \"enabled\" the factory account refuses to launch its build instances";
                    yield break;
                }
            }
        }
    }
}
