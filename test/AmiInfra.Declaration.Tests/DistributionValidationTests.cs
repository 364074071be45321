using AmiInfra.Declaration;

namespace AmiInfra.Declaration.Tests;

public sealed class DistributionValidationTests
{
    private const string Organization = """{ "id": "o-a1b2c3d4e5", "targetOrganizationalUnits": ["ou-ab12-cdefgh34"] }""";
    private const string OuArn = "arn:aws:organizations::999988887777:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34";
    private const string OrganizationArn = "arn:aws:organizations::999988887777:organization/o-a1b2c3d4e5";

    /// <summary>A one-image factory with a managed component only (no files needed), and the given distribution.</summary>
    private static string Declaration(string imageDistribution, string factoryFields = "", string factoryDistribution = """{ "regions": ["us-east-1", "eu-west-1"] }""") => $$"""
        {
          "name": "golden",
          "account": "123456789012",
          "region": "us-east-1",
          {{factoryFields}}
          "distribution": {{factoryDistribution}},
          "images": [
            {
              "name": "al2023",
              "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
              "components": [{ "managed": "update-linux" }],
              "distribution": {{imageDistribution}}
            }
          ]
        }
        """;

    // Every declaration is read by the loader and checked against the schema (they must agree).
    private static Factory Parse(string json) => SchemaAgreement.Parse(json, AppContext.BaseDirectory);

    private static DeclarationException Reject(string json) => Assert.Throws<DeclarationException>(() => Parse(json));

    private static string Quoted(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"\"{v}\""));

    /// <summary>An image that retires its AMIs leaves room on them for the retention marker's three tags.</summary>
    [Fact]
    public void AMI_tags_leave_room_for_the_retention_tags_when_the_image_retires_its_amis()
    {
        var tags = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"\"k{i}\": \"v\""));
        var distribution = $$"""{ "amiTags": { {{tags}} } }""";
        const string FactoryTags = """ "tags": { "f0": "v", "f1": "v", "f2": "v", "f3": "v", "f4": "v" }, """;
        Assert.Equal(40, Parse(Declaration(distribution, factoryFields: FactoryTags)).Images[0].Distribution.AmiTags.Count);

        var e = Reject(Declaration(distribution, factoryFields: FactoryTags + """ "lifecycle": { "delete": { "afterDays": 90 } }, """));
        Assert.Equal("images[0].distribution.amiTags", e.Path);
        Assert.Equal("51 tags in all (the factory's tags, the image's, amiTags, AmiInfra's 3 and the retention marker's 3)", e.Value);
    }

    [Fact]
    public void Reads_every_distribution_field()
    {
        var factory = Parse(Declaration(
            $$$"""
            {
              "launchPermissions": { "accounts": ["111122223333"], "organizations": ["{{{OrganizationArn}}}"], "organizationalUnits": ["{{{OuArn}}}"] },
              "targetAccounts": ["444455556666"],
              "amiName": "golden-al2023-{{ imagebuilder:buildDate }}",
              "amiTags": { "team": "platform" },
              "ssmParameter": "/imagebuilder/golden/al2023/latest",
              "launchTemplates": [{ "region": "eu-west-1", "id": "lt-0123456789abcdef0", "accountId": "111122223333", "setDefaultVersion": false }]
            }
            """,
            $"\"organization\": {Organization},"));

        var d = factory.Images[0].Distribution;
        Assert.Equal(["us-east-1", "eu-west-1"], d.Regions);
        Assert.Equal(["111122223333"], d.LaunchAccounts);
        Assert.Equal([OrganizationArn], d.LaunchOrganizations);
        Assert.Equal([OuArn], d.LaunchOrganizationalUnits);
        Assert.Equal(["444455556666"], d.TargetAccounts);
        Assert.False(d.Public);
        Assert.Equal(AmiEncryption.RegionalKey, d.Encryption);
        Assert.Equal("golden-al2023-{{ imagebuilder:buildDate }}", d.AmiName);
        Assert.Equal("platform", d.AmiTags["team"]);
        Assert.Equal("/imagebuilder/golden/al2023/latest", d.SsmParameterName);
        Assert.Equal(new LaunchTemplateUpdate("eu-west-1", "lt-0123456789abcdef0", "111122223333", false), Assert.Single(d.LaunchTemplates));
    }

    [Fact]
    public void Image_fields_override_the_factorys_and_defaults_fill_the_rest()
    {
        var factory = Parse(Declaration("""{ "regions": ["eu-central-1"] }""", factoryDistribution: """{ "regions": ["us-east-1", "eu-west-1"], "amiTags": { "team": "platform" } }"""));

        var d = factory.Images[0].Distribution;
        Assert.Equal(["eu-central-1"], d.Regions);
        Assert.Equal("platform", d.AmiTags["team"]);
        Assert.Equal("golden-al2023-{{ imagebuilder:buildDate }}", d.AmiName);
        Assert.Equal("/imagebuilder/golden/al2023/latest", d.SsmParameterName);
        Assert.False(d.SharesOutsideAccount);
    }

    [Fact]
    public void Rejects_a_malformed_account_id()
    {
        var e = Reject(Declaration("""{ "launchPermissions": { "accounts": ["12345"] } }"""));
        Assert.Equal("images[0].distribution.launchPermissions.accounts[0]", e.Path);
        Assert.Equal("\"12345\"", e.Value);
        Assert.Equal("a 12-digit AWS account id", e.Accepted);
    }

    [Fact]
    public void Rejects_a_malformed_organization_arn()
    {
        var e = Reject(Declaration("""{ "launchPermissions": { "organizations": ["o-a1b2c3d4e5"] } }"""));
        Assert.Equal("images[0].distribution.launchPermissions.organizations[0]", e.Path);
        Assert.Equal("\"o-a1b2c3d4e5\"", e.Value);
        Assert.StartsWith("an organization ARN such as", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_malformed_ou_arn()
    {
        var e = Reject(Declaration("""{ "launchPermissions": { "organizationalUnits": ["ou-ab12-cdefgh34"] } }""", $"\"organization\": {Organization},"));
        Assert.Equal("images[0].distribution.launchPermissions.organizationalUnits[0]", e.Path);
        Assert.Equal("\"ou-ab12-cdefgh34\"", e.Value);
        Assert.StartsWith("an OU ARN such as", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_ou_outside_the_declared_organization()
    {
        const string other = "arn:aws:organizations::999988887777:ou/o-zzzzzzzzzz/ou-ab12-cdefgh34";
        var e = Reject(Declaration($$"""{ "launchPermissions": { "organizationalUnits": ["{{other}}"] } }""", $"\"organization\": {Organization},"));
        Assert.Equal("images[0].distribution.launchPermissions.organizationalUnits[0]", e.Path);
        Assert.Equal($"\"{other}\" (in organization o-zzzzzzzzzz)", e.Value);
        Assert.Equal("an OU of the declared organization o-a1b2c3d4e5", e.Accepted);
    }

    [Fact]
    public void Rejects_an_unknown_region()
    {
        var e = Reject(Declaration("""{ "regions": ["us-east-1", "eu-middle-1"] }"""));
        Assert.Equal("images[0].distribution.regions[1]", e.Path);
        Assert.Equal("\"eu-middle-1\"", e.Value);
        Assert.Equal("an AWS region code such as us-east-1 or eu-west-1", e.Accepted);
    }

    [Fact]
    public void Rejects_a_duplicate_region()
    {
        var e = Reject(Declaration("{}", factoryDistribution: """{ "regions": ["us-east-1", "eu-west-1", "us-east-1"] }"""));
        Assert.Equal("distribution.regions[2]", e.Path);
        Assert.Equal("\"us-east-1\"", e.Value);
        Assert.Equal("a value not already listed (distribution.regions[0])", e.Accepted);
    }

    [Fact]
    public void Rejects_sharing_with_the_aws_managed_ebs_key()
    {
        var e = Reject(Declaration("""{ "encryption": "aws/ebs", "launchPermissions": { "accounts": ["111122223333"] } }"""));
        Assert.Equal("images[0].distribution.encryption", e.Path);
        Assert.Equal("\"aws/ebs\" with sharing or target accounts", e.Value);
        Assert.Contains("cannot be launched or copied by other accounts", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_target_accounts_with_the_aws_managed_ebs_key()
    {
        var e = Reject(Declaration("""{ "encryption": "aws/ebs", "targetAccounts": ["444455556666"] }""", $"\"organization\": {Organization},"));
        Assert.Equal("images[0].distribution.encryption", e.Path);
        Assert.Equal("\"aws/ebs\" with sharing or target accounts", e.Value);
    }

    [Fact]
    public void Rejects_public_sharing_without_opt_in()
    {
        var e = Reject(Declaration("""{ "encryption": "aws/ebs", "launchPermissions": { "public": true } }"""));
        Assert.Equal("images[0].distribution.launchPermissions.public", e.Path);
        Assert.Equal("true", e.Value);
        Assert.Contains("\"allowPublicImages\": true", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_public_sharing_of_amis_encrypted_with_the_regional_key()
    {
        var e = Reject(Declaration("""{ "launchPermissions": { "public": true } }""", "\"allowPublicImages\": true,"));
        Assert.Equal("images[0].distribution.launchPermissions.public", e.Path);
        Assert.Equal("true with encryption \"regional-key\"", e.Value);
        Assert.Contains("encrypted snapshots public", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_public_sharing_with_the_opt_in()
    {
        var factory = Parse(Declaration("""{ "encryption": "aws/ebs", "launchPermissions": { "public": true } }""", "\"allowPublicImages\": true,"));

        Assert.True(factory.AllowPublicImages);
        Assert.True(factory.Images[0].Distribution.Public);
        Assert.Equal(AmiEncryption.AwsManagedKey, factory.Images[0].Distribution.Encryption);
    }

    [Fact]
    public void Rejects_more_ous_than_image_builder_accepts()
    {
        var units = Enumerable.Range(0, 26).Select(i => $"arn:aws:organizations::999988887777:ou/o-a1b2c3d4e5/ou-ab12-{i:D8}");
        var e = Reject(Declaration($$"""{ "launchPermissions": { "organizationalUnits": [{{Quoted(units)}}] } }""", $"\"organization\": {Organization},"));
        Assert.Equal("images[0].distribution.launchPermissions.organizationalUnits", e.Path);
        Assert.Equal("26 OUs", e.Value);
        Assert.StartsWith("at most 25 OUs", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_more_launch_permission_principals_than_the_ami_sharing_quota()
    {
        var accounts = Enumerable.Range(0, 1000).Select(i => (100000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var e = Reject(Declaration($$"""{ "launchPermissions": { "accounts": [{{Quoted(accounts)}}], "organizations": ["{{OrganizationArn}}"] } }"""));
        Assert.Equal("images[0].distribution.launchPermissions", e.Path);
        Assert.Equal("1001 launch-permission principals", e.Value);
        Assert.StartsWith("at most 1000 accounts, organizations and OUs together", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_target_account_equal_to_the_factory_account()
    {
        var e = Reject(Declaration("""{ "targetAccounts": ["444455556666", "123456789012"] }""", $"\"organization\": {Organization},"));
        Assert.Equal("images[0].distribution.targetAccounts[1]", e.Path);
        Assert.Equal("\"123456789012\"", e.Value);
        Assert.Contains("other than the factory's own", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_target_accounts_without_target_ous_for_the_distribution_role()
    {
        var e = Reject(Declaration("""{ "targetAccounts": ["444455556666"] }"""));
        Assert.Equal("organization.targetOrganizationalUnits", e.Path);
        Assert.Null(e.Value);
    }

    [Fact]
    public void Rejects_a_duplicate_organization()
    {
        var e = Reject(Declaration($$"""{ "launchPermissions": { "organizations": ["{{OrganizationArn}}", "{{OrganizationArn}}"] } }"""));
        Assert.Equal("images[0].distribution.launchPermissions.organizations[1]", e.Path);
        Assert.Equal("a value not already listed (images[0].distribution.launchPermissions.organizations[0])", e.Accepted);
    }

    [Fact]
    public void Rejects_an_ami_name_image_builder_refuses()
    {
        var e = Reject(Declaration("""{ "amiName": "golden (al2023) {{ imagebuilder:buildDate }}" }"""));
        Assert.Equal("images[0].distribution.amiName", e.Path);
        Assert.Equal("\"golden (al2023) {{ imagebuilder:buildDate }}\"", e.Value);
        Assert.Contains("the characters both Image Builder and EC2 take in AMI names", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_short_launch_template_id()
    {
        var e = Reject(Declaration("""{ "launchTemplates": [{ "region": "us-east-1", "id": "lt-01234567" }] }"""));
        Assert.Equal("images[0].distribution.launchTemplates[0].id", e.Path);
        Assert.Equal("\"lt-01234567\"", e.Value);
    }
}
