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
}
