using AmiInfra.Rules;
using AmiInfra.Ops.Inventory;
using AmiInfra.Ops.Audit;

namespace AmiInfra.Ops.Tests.Unit;

public sealed class AuditRulesTests
{
    private const string Org = "arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5";
    private const string Ou = "arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34";

    [Fact]
    public void Declared_organizations_and_ous_are_not_violations_but_others_are()
    {
        var factory = Amis.Factory(null, $$"""{ "regions": ["us-east-1"], "launchPermissions": { "organizations": ["{{Org}}"], "organizationalUnits": ["{{Ou}}"] } }""");
        var otherOu = "arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-zz99-zzzzzzzz";
        var ami = Amis.Ami("ami-1", 1) with { SharedWith = [Org, Ou, otherOu, "123456789012", "444455556666"] };

        var violations = AuditRules.Check(factory, "123456789012", [ami], ["us-east-1"], Amis.Now);

        Assert.Equal(
            [$"shared with {otherOu}, which the declaration does not name", "shared with 444455556666, which the declaration does not name"],
            violations.Where(v => v.Kind == ViolationKind.SharedWithUndeclared).Select(v => v.Detail));
    }

    [Fact]
    public void An_aws_managed_key_is_allowed_when_the_declaration_asks_for_it()
    {
        var factory = Amis.Factory(null, """{ "regions": ["us-east-1"], "encryption": "aws/ebs" }""");
        var ami = Amis.Ami("ami-1", 1) with { Encryption = Inventory.EncryptionKind.AwsManagedKey };

        Assert.Empty(AuditRules.Check(factory, "123456789012", [ami], ["us-east-1"], Amis.Now));
    }

    [Fact]
    public void A_region_that_was_not_read_is_not_reported_missing()
    {
        var factory = Amis.Factory(null, """{ "regions": ["us-east-1", "eu-west-1"] }""");

        var violations = AuditRules.Check(factory, "123456789012", [Amis.Ami("ami-1", 1)], ["us-east-1"], Amis.Now);

        Assert.Empty(violations);
    }

    [Fact]
    public void A_disabled_ami_does_not_count_as_present()
    {
        var factory = Amis.Factory(null);

        var violations = AuditRules.Check(factory, "123456789012", [Amis.Ami("ami-1", 1) with { State = "disabled" }], ["us-east-1"], Amis.Now);

        Assert.Equal(ViolationKind.MissingFromRegion, Assert.Single(violations).Kind);
    }

    private static AmiRecord Verified(string id, int ageDays, string result) =>
        Amis.Ami(id, ageDays) with { Tags = new Dictionary<string, string>(Amis.Ami(id, ageDays).Tags) { [AmiTagKeys.VerificationResult] = result } };

    private static RegionState Parameter(string? value) =>
        new("us-east-1", [], new Dictionary<string, IReadOnlyList<Amazon.EC2.Model.CreateVolumePermission>>(), [("app", "/imagebuilder/ff/app/latest", value)], [], AccountRules.ImageBlocked, "block-all-sharing", []);

    /// <summary>With release verification on, the "latest" parameter names the newest copy that passed: not a newer one that failed or is being verified.</summary>
    [Fact]
    public void The_latest_parameter_is_judged_against_the_newest_verified_copy()
    {
        var factory = Amis.Factory(null);
        AmiRecord[] amis = [Verified("ami-old", 10, AmiTagKeys.VerificationPassed), Verified("ami-failed", 2, AmiTagKeys.VerificationFailed), Amis.Ami("ami-verifying", 0)];

        Assert.DoesNotContain(AccountRules.Check(factory, amis, [Parameter("ami-old")], Amis.Now), v => v.Kind == ViolationKind.SsmParameterStale);
        var stale = Assert.Single(AccountRules.Check(factory, amis, [Parameter("ami-failed")], Amis.Now), v => v.Kind == ViolationKind.SsmParameterStale);
        Assert.Equal("/imagebuilder/ff/app/latest holds ami-failed, not the newest verified AMI ami-old", stale.Detail);

        // Copies without any verification result (built before verification was on) are judged as before.
        AmiRecord[] unverified = [Amis.Ami("ami-a", 10), Amis.Ami("ami-b", 2)];
        Assert.Contains(AccountRules.Check(factory, unverified, [Parameter("ami-a")], Amis.Now), v => v.Kind == ViolationKind.SsmParameterStale && v.ImageId == "ami-b");

        // With release off, the newest available AMI, verified or not.
        var off = Amis.Factory(null).Images[0] with { Release = Amis.Factory(null).Images[0].Release with { Enabled = false } };
        var releaseOff = Amis.Factory(null) with { Images = [off] };
        Assert.Contains(AccountRules.Check(releaseOff, amis, [Parameter("ami-old")], Amis.Now), v => v.Kind == ViolationKind.SsmParameterStale && v.ImageId == "ami-verifying");
    }

    /// <summary>A copy that passed its verification and lacks a declared consumer is reported; one that failed, or was never verified, is not shared by design.</summary>
    [Fact]
    public void A_verified_copy_not_shared_with_a_declared_consumer_is_reported()
    {
        var factory = Amis.Factory(null, $$"""{ "regions": ["us-east-1"], "launchPermissions": { "accounts": ["111122223333"], "organizations": ["{{Org}}"] } }""");
        AmiRecord[] amis =
        [
            Verified("ami-passed", 1, AmiTagKeys.VerificationPassed) with { SharedWith = [Org] },
            Verified("ami-shared", 3, AmiTagKeys.VerificationPassed) with { SharedWith = [Org, "111122223333"] },
            Verified("ami-failed", 2, AmiTagKeys.VerificationFailed),
            Amis.Ami("ami-verifying", 0),
        ];

        var violation = Assert.Single(AuditRules.Check(factory, "123456789012", amis, ["us-east-1"], Amis.Now), v => v.Kind == ViolationKind.VerifiedNotShared);
        Assert.Equal("ami-passed", violation.ImageId);
        Assert.StartsWith("passed its release verification but is not shared with 111122223333,", violation.Detail, StringComparison.Ordinal);
    }
}
