using AmiInfra.Declaration;
using AmiInfra.Ops.Audit;
using AmiInfra.Ops.Governance;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Tests.Unit;

public sealed class GuardRulesTests
{
    private static Factory Factory(GovernanceSettings governance) => new()
    {
        Name = "gov",
        Account = "123456789012",
        Region = "us-east-1",
        Build = new BuildSettings(),
        Images = [],
        BaseDirectory = ".",
        Governance = governance,
    };

    private static readonly GovernanceSettings Everything = new()
    {
        ImageBlockPublicAccess = true,
        SnapshotBlockPublicAccess = "block-new-sharing",
        EbsEncryptionByDefault = EbsDefaultEncryption.AwsManagedKey,
        AllowedImages = new AllowedImagesSettings("enabled", ["amazon"], ["al2023-*"], null, 0),
    };

    private static ControlState State(string? image = "block-new-sharing", string? snapshots = "block-new-sharing", bool? on = true, bool? key = true, string? allowed = "enabled", IReadOnlyList<AllowedImagesCriterion>? criteria = null) =>
        new("us-east-1", image, snapshots, on, "arn:aws:kms:us-east-1:123456789012:alias/aws/ebs", key, allowed,
            criteria ?? [new(["amazon"], ["al2023-*"], null, 0), new(["123456789012"], [], null, null)], new Dictionary<string, string>());

    [Fact]
    public void Every_control_set_as_declared_is_ok_whatever_the_order_of_the_criteria()
    {
        var rows = GuardRules.Compare(Factory(Everything), "123456789012", factoryAccount: true, State());
        Assert.Equal(["image-block-public-access", "snapshot-block-public-access", "ebs-encryption-by-default", "ebs-default-key", "allowed-images", "allowed-images-criteria"], rows.Select(r => r.Control));
        Assert.All(rows, r => Assert.Equal(GuardRow.Ok, r.Status));
    }

    [Fact]
    public void Target_accounts_keep_their_own_default_key()
    {
        Assert.DoesNotContain(GuardRules.Compare(Factory(Everything), "444455556666", factoryAccount: false, State()), r => r.Control == "ebs-default-key");
        Assert.Null(GuardRules.DeclaredKey(Factory(Everything), "us-east-1", factoryAccount: false));
        Assert.Equal("arn:aws-cn:kms:cn-north-1:123456789012:alias/amiinfra/gov/ami", GuardRules.DeclaredKey(Factory(Everything with { EbsEncryptionByDefault = EbsDefaultEncryption.RegionalKey }), "cn-north-1", factoryAccount: true));
    }

    [Fact]
    public void Only_declared_controls_are_reported()
    {
        Assert.Empty(GuardRules.Compare(Factory(new GovernanceSettings()), "123456789012", true, State()));
        Assert.Equal(["image-block-public-access"], GuardRules.Compare(Factory(new GovernanceSettings { ImageBlockPublicAccess = true }), "123456789012", true, State()).Select(r => r.Control));
    }

    [Fact]
    public void Other_criteria_or_states_drift_and_audit_reports_each_once()
    {
        var rows = GuardRules.Compare(Factory(Everything), "123456789012", true, State(image: "unblocked", snapshots: "block-all-sharing", allowed: "audit-mode", criteria: [new(["amazon"], [], null, null)]));
        Assert.Equal(["image-block-public-access", "snapshot-block-public-access", "allowed-images", "allowed-images-criteria"], rows.Where(r => r.Status == GuardRow.Drift).Select(r => r.Control));

        // Image block public access off is already an audit violation of its own.
        var already = new List<Violation> { new(ViolationKind.ImageBlockPublicAccessOff, "us-east-1", null, null, "off") };
        var drift = GovernanceDrift.Violations(rows, already).Select(v => v.Detail).ToList();
        Assert.Equal(3, drift.Count);
        Assert.StartsWith("snapshot-block-public-access is block-all-sharing, the governance declares block-new-sharing", drift[0], StringComparison.Ordinal);
    }
}
