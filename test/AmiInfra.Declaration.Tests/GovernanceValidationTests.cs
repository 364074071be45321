namespace AmiInfra.Declaration.Tests;

/// <summary>The <c>governance</c> block: what is read, what is refused, and what is warned about.</summary>
public sealed class GovernanceValidationTests
{
    private const string Organization = """ "organization": { "id": "o-a1b2c3d4e5", "targetOrganizationalUnits": ["ou-ab12-cdefgh34"] },""";

    private static string Declaration(string governance, string factoryFields = Organization, string imageFields = "") => $$"""
        {
          "name": "golden",
          "account": "123456789012",
          "region": "us-east-1",
          {{factoryFields}}
          "governance": {{governance}},
          "images": [
            {
              "name": "al2023",
              {{imageFields}}
              "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
              "components": [{ "managed": "update-linux" }]
            }
          ]
        }
        """;

    private static Factory Parse(string json) => SchemaAgreement.Parse(json, AppContext.BaseDirectory);

    private static DeclarationException Reject(string json) => Assert.Throws<DeclarationException>(() => Parse(json));

    [Fact]
    public void Reads_every_governance_field()
    {
        var factory = Parse(Declaration("""
            {
              "imageBlockPublicAccess": true,
              "snapshotBlockPublicAccess": "block-all-sharing",
              "ebsEncryptionByDefault": "regional-key",
              "targetAccountEbsKey": "stackset-key",
              "allowedImages": { "mode": "enabled", "providers": ["amazon", "111122223333"], "names": ["al2023-ami-*"], "maxAgeDays": 365, "maxDaysSinceDeprecated": 0 },
              "targetAccounts": true
            }
            """));

        var g = factory.Governance;
        Assert.True(g.ImageBlockPublicAccess);
        Assert.Equal("block-all-sharing", g.SnapshotBlockPublicAccess);
        Assert.Equal(EbsDefaultEncryption.RegionalKey, g.EbsEncryptionByDefault);
        Assert.Equal(TargetAccountEbsKey.StackSetKey, g.TargetAccountEbsKey);
        var allowed = g.AllowedImages!;
        Assert.Equal(("enabled", 365, 0), (allowed.Mode, allowed.MaxAgeDays!.Value, allowed.MaxDaysSinceDeprecated!.Value));
        Assert.Equal(["amazon", "111122223333"], allowed.Providers);
        Assert.Equal(["al2023-ami-*"], allowed.Names);
        Assert.True(factory.GovernsTargetAccounts);
        Assert.Empty(factory.Warnings);
    }

    /// <summary>Target accounts that keep aws/ebs as their default key cannot share their snapshots: said when the choice is left out.</summary>
    [Fact]
    public void Warns_when_target_accounts_would_keep_their_default_ebs_key_without_saying_so()
    {
        var implicitKeep = Parse(Declaration("""{ "ebsEncryptionByDefault": "regional-key" }"""));
        Assert.Null(implicitKeep.Governance.TargetAccountEbsKey);
        Assert.Contains(implicitKeep.Warnings, w => w.StartsWith("governance.targetAccountEbsKey: the target accounts get EBS encryption by default and keep their default key", StringComparison.Ordinal));

        foreach (var declared in new[] { "keep", "aws-managed", "stackset-key" })
        {
            Assert.DoesNotContain(Parse(Declaration($$"""{ "ebsEncryptionByDefault": "aws/ebs", "targetAccountEbsKey": "{{declared}}" }""")).Warnings, w => w.StartsWith("governance.targetAccountEbsKey", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("""{ "targetAccountEbsKey": "stackset-key" }""", "keep while ebsEncryptionByDefault is off: the default key is the key of encryption by default")]
    [InlineData("""{ "ebsEncryptionByDefault": "regional-key", "targetAccountEbsKey": "aws-managed", "targetAccounts": false }""", "keep while targetAccounts is false: no control reaches the target accounts")]
    public void Rejects_a_target_account_key_where_it_cannot_apply(string governance, string accepted)
    {
        var e = Assert.Throws<DeclarationException>(() => Parse(Declaration(governance)));
        Assert.Equal("governance.targetAccountEbsKey", e.Path);
        Assert.Equal(accepted, e.Accepted);
    }

    [Fact]
    public void Without_the_block_nothing_is_governed()
    {
        var factory = Parse(Declaration("{}"));
        Assert.False(factory.Governance.DeclaresAny);
        Assert.False(factory.GovernsTargetAccounts);
    }

    [Fact]
    public void Allowed_images_start_in_audit_mode_and_always_allow_the_factory_account_first()
    {
        var allowed = Parse(Declaration("""{ "allowedImages": { "providers": ["amazon"] } }""")).Governance.AllowedImages!;
        Assert.Equal("audit-mode", allowed.Mode);
        var criteria = allowed.Criteria("123456789012");
        Assert.Equal(["123456789012"], criteria[0].Providers);
        Assert.Equal(["amazon"], criteria[1].Providers);

        var own = Parse(Declaration("""{ "allowedImages": {} }""")).Governance.AllowedImages!.Criteria("123456789012");
        Assert.Single(own);
    }

    [Fact]
    public void Off_leaves_a_setting_as_the_account_has_it()
    {
        var g = Parse(Declaration("""{ "snapshotBlockPublicAccess": "off", "ebsEncryptionByDefault": "off" }""")).Governance;
        Assert.Null(g.SnapshotBlockPublicAccess);
        Assert.Null(g.EbsEncryptionByDefault);
        Assert.False(g.DeclaresAny);
    }

    [Theory]
    [InlineData("""{ "snapshotBlockPublicAccess": "block-everything" }""", "governance.snapshotBlockPublicAccess", "block-all-sharing")]
    [InlineData("""{ "ebsEncryptionByDefault": "kms" }""", "governance.ebsEncryptionByDefault", "regional-key")]
    [InlineData("""{ "allowedImages": { "mode": "disabled" } }""", "governance.allowedImages.mode", "audit-mode")]
    [InlineData("""{ "allowedImages": { "providers": ["amazon", "self"] } }""", "governance.allowedImages.providers[1]", "amazon, aws-marketplace")]
    [InlineData("""{ "allowedImages": { "providers": ["amazon", "none"] } }""", "governance.allowedImages.providers[1]", "none alone")]
    [InlineData("""{ "allowedImages": { "providers": ["123456789012"] } }""", "governance.allowedImages.providers[0]", "an account other than the factory's own")]
    [InlineData("""{ "allowedImages": { "names": ["golden:*"] } }""", "governance.allowedImages.names[0]", "1 to 128 letters")]
    [InlineData("""{ "allowedImages": { "names": ["a?"] } }""", "governance.allowedImages.names[0]", "at least 3 characters")]
    [InlineData("""{ "allowedImages": { "maxAgeDays": -1 } }""", "governance.allowedImages.maxAgeDays", "0 to 2147483647")]
    [InlineData("""{ "allowedImages": { "maxDaysSinceDeprecated": 2147483648 } }""", "governance.allowedImages.maxDaysSinceDeprecated", "0 to 2147483647")]
    [InlineData("""{ "allowedImages": { "maxAgeDays": "365" } }""", "governance.allowedImages.maxAgeDays", "whole number")]
    [InlineData("""{ "blockEverything": true }""", "governance.blockEverything", "one of the fields")]
    public void Refuses_what_ec2_would_refuse(string governance, string path, string accepted)
    {
        var e = Reject(Declaration(governance));
        Assert.Equal(path, e.Path);
        Assert.Contains(accepted, e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void A_public_image_under_image_block_public_access_is_refused_with_both_fields_named()
    {
        var e = Reject(Declaration(
            """{ "imageBlockPublicAccess": true }""",
            """ "allowPublicImages": true,""",
            """ "distribution": { "encryption": "aws/ebs", "launchPermissions": { "public": true } },"""));
        Assert.Equal("images[0].distribution.launchPermissions.public", e.Path);
        Assert.Contains("governance.imageBlockPublicAccess", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Warns_when_the_target_accounts_cannot_be_reached()
    {
        var factory = Parse(Declaration("""{ "imageBlockPublicAccess": true }""", factoryFields: ""));
        Assert.False(factory.GovernsTargetAccounts);
        Assert.Contains(factory.Warnings, w => w.StartsWith("governance: the controls are set in the factory account only", StringComparison.Ordinal));
        Assert.Empty(Parse(Declaration("""{ "imageBlockPublicAccess": true, "targetAccounts": false }""", factoryFields: "")).Warnings);
    }

    [Fact]
    public void Warns_when_enabled_allowed_images_would_refuse_the_parent_images()
    {
        var factory = Parse(Declaration("""{ "allowedImages": { "mode": "enabled", "providers": ["111122223333"] } }"""));
        Assert.Contains(factory.Warnings, w => w.StartsWith("governance.allowedImages.providers: images[0].parent", StringComparison.Ordinal));
        Assert.Empty(Parse(Declaration("""{ "allowedImages": { "mode": "audit-mode", "providers": ["111122223333"] } }""")).Warnings);
    }
}
