using Amazon.CDK;
using Amazon.CDK.Assertions;
using Annotations = Amazon.CDK.Assertions.Annotations;
using AmiInfra.Constructs.Distribution;

namespace AmiInfra.Constructs.Tests.Distribution;

/// <summary>Two distributions, synthesized once: one shared with accounts, an organization and an OU; one public with the opt-in.</summary>
public sealed class DistributionConfigurationFixture
{
    public const string OrganizationArn = "arn:aws:organizations::999988887777:organization/o-a1b2c3d4e5";
    public const string OuArn = "arn:aws:organizations::999988887777:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34";

    public DistributionConfigurationFixture()
    {
        SharedStack = TestEnv.NewStack("Shared");
        Shared = new DistributionConfiguration(SharedStack, "Distribution", new DistributionConfigurationProps
        {
            DistributionConfigurationName = "golden-al2023",
            Description = "AMIs of golden/al2023",
            Origin = new AmiOrigin("golden", "al2023", "1.0.3"),
            Regions =
            [
                Region("us-east-1") with
                {
                    LaunchTemplates = [new LaunchTemplateTarget { LaunchTemplate = TestEnv.LaunchTemplate("lt-0123456789abcdef0"), AccountId = "111122223333", SetDefaultVersion = false }],
                },
                Region("eu-west-1"),
            ],
        });
        ArnResolved = SharedStack.Resolve(Shared.DistributionConfigurationArn);
        SharedTemplate = Template.FromStack(SharedStack);

        PublicStack = TestEnv.NewStack("Public");
        _ = new DistributionConfiguration(PublicStack, "Distribution", new DistributionConfigurationProps
        {
            DistributionConfigurationName = "golden-public",
            AllowPublic = true,
            Regions = [new RegionDistribution { Region = "us-east-1", AmiName = "golden-public-{{ imagebuilder:buildDate }}", Public = true }],
        });
        PublicTemplate = Template.FromStack(PublicStack);
        PublicAnnotations = Annotations.FromStack(PublicStack);
        SharedAnnotations = Annotations.FromStack(SharedStack);
    }

    public Stack SharedStack { get; }
    public DistributionConfiguration Shared { get; }
    public object ArnResolved { get; }
    public Template SharedTemplate { get; }
    public Stack PublicStack { get; }
    public Template PublicTemplate { get; }
    public Annotations PublicAnnotations { get; }
    public Annotations SharedAnnotations { get; }

    public static RegionDistribution Region(string region) => new()
    {
        Region = region,
        KmsKey = TestEnv.AliasKey(region, "amiinfra/golden"),
        AmiName = "golden-al2023-{{ imagebuilder:buildDate }}",
        AmiTags = new Dictionary<string, string> { ["team"] = "platform" },
        LaunchAccounts = ["111122223333"],
        LaunchOrganizationArns = [OrganizationArn],
        LaunchOrganizationalUnitArns = [OuArn],
        TargetAccounts = ["444455556666"],
        SsmParameter = TestEnv.Parameter("/imagebuilder/golden/al2023/latest"),
    };
}

[Collection(CdkCollection.Name)]
public sealed class DistributionConfigurationTests(DistributionConfigurationFixture fixture) : IClassFixture<DistributionConfigurationFixture>
{
    private static Dictionary<string, object> Props(params object[] distributions) => new()
    {
        ["Distributions"] = Match.ArrayWith(distributions),
    };

    private static Dictionary<string, object> InRegion(string region, Dictionary<string, object> rest)
    {
        rest["Region"] = region;
        return rest;
    }

    [Fact]
    public void Creates_one_distribution_configuration_with_one_entry_per_region()
    {
        fixture.SharedTemplate.ResourceCountIs("AWS::ImageBuilder::DistributionConfiguration", 1);
        fixture.SharedTemplate.HasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", new Dictionary<string, object>
        {
            ["Name"] = "golden-al2023",
            ["Distributions"] = new object[]
            {
                Match.ObjectLike(new Dictionary<string, object> { ["Region"] = "us-east-1" }),
                Match.ObjectLike(new Dictionary<string, object> { ["Region"] = "eu-west-1" }),
            },
        });
    }

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-west-1")]
    public void Every_region_is_encrypted_with_the_alias_of_its_own_regional_key(string region)
    {
        fixture.SharedTemplate.HasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", Props(
            Match.ObjectLike(InRegion(region, new Dictionary<string, object>
            {
                ["AmiDistributionConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["KmsKeyId"] = $"arn:aws:kms:{region}:{TestEnv.Account}:alias/amiinfra/golden",
                }),
            }))));
    }

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-west-1")]
    public void Launch_permissions_are_exactly_the_declared_ones_and_nothing_is_public(string region)
    {
        fixture.SharedTemplate.HasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", Props(
            Match.ObjectLike(InRegion(region, new Dictionary<string, object>
            {
                ["AmiDistributionConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["LaunchPermissionConfiguration"] = Match.ObjectEquals(new Dictionary<string, object>
                    {
                        ["UserIds"] = new[] { "111122223333" },
                        ["OrganizationArns"] = new[] { DistributionConfigurationFixture.OrganizationArn },
                        ["OrganizationalUnitArns"] = new[] { DistributionConfigurationFixture.OuArn },
                    }),
                    ["TargetAccountIds"] = new[] { "444455556666" },
                }),
            }))));
    }

    [Fact]
    public void Amis_are_named_with_the_build_date_and_tagged_with_their_origin()
    {
        fixture.SharedTemplate.HasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", Props(
            Match.ObjectLike(InRegion("eu-west-1", new Dictionary<string, object>
            {
                ["AmiDistributionConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Name"] = "golden-al2023-{{ imagebuilder:buildDate }}",
                    ["AmiTags"] = Match.ObjectEquals(new Dictionary<string, object>
                    {
                        ["amiinfra:factory"] = "golden",
                        ["amiinfra:image"] = "al2023",
                        ["amiinfra:recipe-version"] = "1.0.3",
                        ["team"] = "platform",
                    }),
                }),
            }))));
    }

    [Theory]
    [InlineData("us-east-1")]
    [InlineData("eu-west-1")]
    public void Each_region_gets_an_ssm_parameter_with_the_newest_ami_id(string region)
    {
        fixture.SharedTemplate.HasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", Props(
            Match.ObjectLike(InRegion(region, new Dictionary<string, object>
            {
                ["SsmParameterConfigurations"] = new object[]
                {
                    Match.ObjectEquals(new Dictionary<string, object> { ["ParameterName"] = "/imagebuilder/golden/al2023/latest", ["DataType"] = "aws:ec2:image" }),
                },
            }))));
    }

    [Fact]
    public void Launch_templates_are_updated_only_where_declared()
    {
        fixture.SharedTemplate.HasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", Props(
            Match.ObjectLike(InRegion("us-east-1", new Dictionary<string, object>
            {
                ["LaunchTemplateConfigurations"] = new object[]
                {
                    Match.ObjectEquals(new Dictionary<string, object> { ["LaunchTemplateId"] = "lt-0123456789abcdef0", ["AccountId"] = "111122223333", ["SetDefaultVersion"] = false }),
                },
            })),
            Match.ObjectLike(InRegion("eu-west-1", new Dictionary<string, object> { ["LaunchTemplateConfigurations"] = Match.Absent() }))));
    }

    [Fact]
    public void Exposes_the_distribution_configuration_arn_for_the_pipeline()
    {
        var resolved = Assert.IsAssignableFrom<IDictionary<string, object>>(fixture.ArnResolved);
        Assert.Equal("Fn::GetAtt", Assert.Single(resolved.Keys));
    }

    [Fact]
    public void Shared_distribution_has_no_warning()
    {
        fixture.SharedAnnotations.HasNoWarning("*", Match.AnyValue());
    }

    [Fact]
    public void Public_sharing_with_the_opt_in_synthesizes_with_a_warning()
    {
        fixture.PublicTemplate.HasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", Props(
            Match.ObjectLike(InRegion("us-east-1", new Dictionary<string, object>
            {
                ["AmiDistributionConfiguration"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["LaunchPermissionConfiguration"] = Match.ObjectEquals(new Dictionary<string, object> { ["UserGroups"] = new[] { "all" } }),
                    ["KmsKeyId"] = Match.Absent(),
                }),
            }))));
        fixture.PublicAnnotations.HasWarning("/Public/Distribution", Match.StringLikeRegexp("public in us-east-1"));
    }
}
