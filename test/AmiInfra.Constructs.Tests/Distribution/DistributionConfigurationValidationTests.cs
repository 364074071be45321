using Amazon.CDK;
using AmiInfra.Constructs.Distribution;

namespace AmiInfra.Constructs.Tests.Distribution;

/// <summary>A stack to construct into, new at every use: a construct that rejects its props has added itself to the tree already.</summary>
public sealed class ScopeFixture
{
    public Stack Stack => TestEnv.NewStack("Validation");
}

[Collection(CdkCollection.Name)]
public sealed class DistributionConfigurationValidationTests(ScopeFixture scope) : IClassFixture<ScopeFixture>
{
    private static readonly RegionDistribution Valid = DistributionConfigurationFixture.Region("us-east-1");

    private ConstructValidationException Reject(RegionDistribution region, bool allowPublic = false, params RegionDistribution[] more) =>
        Assert.Throws<ConstructValidationException>(() => new DistributionConfiguration(scope.Stack, "Distribution", new DistributionConfigurationProps
        {
            DistributionConfigurationName = "golden-al2023",
            AllowPublic = allowPublic,
            Regions = [region, .. more],
        }));

    private static string[] Many(int count, Func<int, string> item) => Enumerable.Range(0, count).Select(item).ToArray();

    [Fact]
    public void Imports_an_existing_distribution_configuration_by_arn()
    {
        const string arn = "arn:aws:imagebuilder:us-east-1:123456789012:distribution-configuration/golden-al2023";
        Assert.Equal(arn, DistributionConfiguration.FromDistributionConfigurationArn(scope.Stack, "Imported", arn).DistributionConfigurationArn);
    }

    [Fact]
    public void Rejects_a_malformed_launch_account()
    {
        var e = Reject(Valid with { LaunchAccounts = ["12345"] });
        Assert.Equal("Validation/Distribution.Regions[0].LaunchAccounts[0]", e.Where);
        Assert.Equal("\"12345\"", e.Value);
        Assert.Contains("12-digit", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_malformed_target_account()
    {
        var e = Reject(Valid with { TargetAccounts = ["4444-5555-6666"] });
        Assert.Equal("Validation/Distribution.Regions[0].TargetAccounts[0]", e.Where);
    }

    [Fact]
    public void Rejects_a_malformed_organization_arn()
    {
        var e = Reject(Valid with { LaunchOrganizationArns = ["o-a1b2c3d4e5"] });
        Assert.Equal("Validation/Distribution.Regions[0].LaunchOrganizationArns[0]", e.Where);
        Assert.Contains("organization ARN", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_malformed_ou_arn()
    {
        var e = Reject(Valid with { LaunchOrganizationalUnitArns = ["arn:aws:organizations::999988887777:ou/ou-ab12-cdefgh34"] });
        Assert.Equal("Validation/Distribution.Regions[0].LaunchOrganizationalUnitArns[0]", e.Where);
        Assert.Contains("OU ARN", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_unknown_region()
    {
        var e = Reject(Valid with { Region = "us-middle-1", KmsKey = null, LaunchAccounts = [], LaunchOrganizationArns = [], LaunchOrganizationalUnitArns = [], TargetAccounts = [] });
        Assert.Equal("Validation/Distribution.Regions[0].Region", e.Where);
        Assert.Equal("\"us-middle-1\"", e.Value);
    }

    [Fact]
    public void Rejects_a_duplicate_region()
    {
        var e = Reject(Valid, false, Valid);
        Assert.Equal("Validation/Distribution.Regions[1].Region", e.Where);
        Assert.Contains("Regions[0]", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_sharing_with_no_key()
    {
        var e = Reject(Valid with { KmsKey = null });
        Assert.Equal("Validation/Distribution.Regions[0].KmsKey", e.Where);
        Assert.Null(e.Value);
        Assert.Contains("customer-managed key of us-east-1", e.Accepted, StringComparison.Ordinal);
        Assert.Contains("never launch", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_target_accounts_with_no_key()
    {
        var e = Reject(Valid with { KmsKey = null, LaunchAccounts = [], LaunchOrganizationArns = [], LaunchOrganizationalUnitArns = [] });
        Assert.Equal("Validation/Distribution.Regions[0].KmsKey", e.Where);
        Assert.Contains("TargetAccounts", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_sharing_with_the_aws_managed_ebs_key()
    {
        var e = Reject(Valid with { KmsKey = TestEnv.KeyArn("arn:aws:kms:us-east-1:123456789012:alias/aws/ebs") });
        Assert.Equal("Validation/Distribution.Regions[0].KmsKey", e.Where);
        Assert.Contains("AWS-managed key", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_key_of_another_region()
    {
        var e = Reject(Valid with { KmsKey = TestEnv.AliasKey("eu-west-1", "amiinfra/golden") });
        Assert.Equal("Validation/Distribution.Regions[0].KmsKey", e.Where);
        Assert.Contains("a key of us-east-1", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_public_sharing_without_opt_in()
    {
        var e = Reject(new RegionDistribution { Region = "us-east-1", AmiName = "x-{{ imagebuilder:buildDate }}", Public = true });
        Assert.Equal("Validation/Distribution.Regions[0].Public", e.Where);
        Assert.Contains("AllowPublic", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_public_sharing_of_an_encrypted_ami()
    {
        var e = Reject(Valid with { Public = true }, allowPublic: true);
        Assert.Equal("Validation/Distribution.Regions[0].Public", e.Where);
        Assert.Contains("encrypted snapshots", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_more_ous_than_image_builder_accepts()
    {
        var e = Reject(Valid with { LaunchOrganizationalUnitArns = Many(26, i => $"arn:aws:organizations::999988887777:ou/o-a1b2c3d4e5/ou-ab12-{i:D8}") });
        Assert.Equal("Validation/Distribution.Regions[0].LaunchOrganizationalUnitArns", e.Where);
        Assert.Equal("26 OUs", e.Value);
    }

    [Fact]
    public void Rejects_more_launch_permission_principals_than_the_ami_sharing_quota()
    {
        var e = Reject(Valid with { LaunchAccounts = Many(1000, i => (100000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)) });
        Assert.Equal("Validation/Distribution.Regions[0]", e.Where);
        Assert.Equal("1002 launch-permission principals", e.Value);
        Assert.Contains("at most 1000", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_target_account_equal_to_the_stack_account()
    {
        var e = Reject(Valid with { TargetAccounts = [TestEnv.Account] });
        Assert.Equal("Validation/Distribution.Regions[0].TargetAccounts[0]", e.Where);
        Assert.Contains("other than the stack's own", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_ami_name_without_the_build_date()
    {
        var e = Reject(Valid with { AmiName = "golden-al2023" });
        Assert.Equal("Validation/Distribution.Regions[0].AmiName", e.Where);
        Assert.Contains("imagebuilder:buildDate", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_ami_name_with_characters_image_builder_refuses()
    {
        var e = Reject(Valid with { AmiName = "golden (al2023) {{ imagebuilder:buildDate }}" });
        Assert.Equal("Validation/Distribution.Regions[0].AmiName", e.Where);
    }

    [Fact]
    public void Rejects_a_short_launch_template_id()
    {
        var e = Reject(Valid with { LaunchTemplates = [new LaunchTemplateTarget { LaunchTemplate = TestEnv.LaunchTemplate("lt-01234567") }] });
        Assert.Equal("Validation/Distribution.Regions[0].LaunchTemplates[0].LaunchTemplate", e.Where);
    }

    /// <summary>Fix 2: Image Builder's service-linked role may put output parameters only under /imagebuilder/.</summary>
    [Fact]
    public void Rejects_an_ssm_parameter_the_service_linked_role_may_not_write()
    {
        var e = Reject(Valid with { SsmParameter = TestEnv.Parameter("/platform/ami/al2023/latest") });
        Assert.Equal("Validation/Distribution.Regions[0].SsmParameter", e.Where);
        Assert.StartsWith("a name under /imagebuilder/", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_any_parameter_name_when_the_pipelines_run_with_an_execution_role()
    {
        var props = new DistributionConfigurationProps
        {
            DistributionConfigurationName = "golden-al2023",
            Regions = [Valid with { SsmParameter = TestEnv.Parameter("/platform/ami/al2023/latest") }],
            OutputParametersByExecutionRole = true,
        };
        Assert.NotNull(DistributionConfiguration.Render(props, "Validation/Distribution", TestEnv.Account));
    }

    [Fact]
    public void Rejects_an_ssm_parameter_under_the_reserved_aws_prefix()
    {
        var e = Reject(Valid with { SsmParameter = TestEnv.Parameter("/aws/service/golden") });
        Assert.Equal("Validation/Distribution.Regions[0].SsmParameter", e.Where);
    }

    [Fact]
    public void Rejects_an_ssm_parameter_name_the_service_linked_role_may_not_write_at_that_field()
    {
        var e = Reject(Valid with { SsmParameter = null, SsmParameterName = "/platform/ami/al2023/latest" });
        Assert.Equal("Validation/Distribution.Regions[0].SsmParameterName", e.Where);
        Assert.Equal("\"/platform/ami/al2023/latest\"", e.Value);
    }

    [Fact]
    public void Rejects_an_ssm_parameter_given_both_as_a_parameter_and_by_name()
    {
        var e = Reject(Valid with { SsmParameterName = "/imagebuilder/golden/al2023/latest" });
        Assert.Equal("Validation/Distribution.Regions[0].SsmParameterName", e.Where);
        Assert.Contains("not both", e.Accepted, StringComparison.Ordinal);
    }

    /// <summary>A parameter named costs no construct and renders as the imported parameter does.</summary>
    [Fact]
    public void An_ssm_parameter_by_name_renders_as_the_imported_parameter()
    {
        static string Rendered(RegionDistribution region)
        {
            var definition = DistributionConfiguration.Render(
                new DistributionConfigurationProps { DistributionConfigurationName = "golden-al2023", Regions = [region] }, "Validation/Distribution", TestEnv.Account);
            var distribution = (Dictionary<string, object>)((object[])definition.Properties["Distributions"])[0];
            return System.Text.Json.JsonSerializer.Serialize(distribution["SsmParameterConfigurations"]);
        }

        var byName = Rendered(Valid with { SsmParameter = null, SsmParameterName = "/imagebuilder/golden/al2023/latest" });
        Assert.Equal(Rendered(Valid), byName);
        Assert.Contains("/imagebuilder/golden/al2023/latest", byName, StringComparison.Ordinal);
    }
}
