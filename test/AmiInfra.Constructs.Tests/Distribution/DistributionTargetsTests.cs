using System.Text.Json;
using Amazon.CDK.Assertions;
using AmiInfra.Constructs.Distribution;

namespace AmiInfra.Constructs.Tests.Distribution;

/// <summary>The distribution-role StackSet, synthesized once.</summary>
public sealed class DistributionTargetsFixture
{
    public DistributionTargetsFixture()
    {
        var stack = TestEnv.NewStack("Targets");
        var targets = new DistributionTargets(stack, "Targets", new DistributionTargetsProps
        {
            StackSetName = "amiinfra-golden-distribution-role",
            FactoryAccount = TestEnv.Account,
            OrganizationalUnitIds = ["ou-ab12-cdefgh34", "r-ab12"],
            Region = "us-east-1",
        });
        Template = Template.FromStack(stack);
        RoleTemplate = JsonDocument.Parse(targets.TemplateBody).RootElement.Clone();
    }

    public Template Template { get; }
    public JsonElement RoleTemplate { get; }
}

[Collection(CdkCollection.Name)]
public sealed class DistributionTargetsTests(DistributionTargetsFixture fixture) : IClassFixture<DistributionTargetsFixture>
{
    private JsonElement Role => fixture.RoleTemplate.GetProperty("Resources").GetProperty("DistributionRole");

    [Fact]
    public void StackSet_is_service_managed_and_deploys_automatically_to_the_ous_in_the_home_region()
    {
        fixture.Template.ResourceCountIs("AWS::CloudFormation::StackSet", 1);
        fixture.Template.HasResourceProperties("AWS::CloudFormation::StackSet", new Dictionary<string, object>
        {
            ["StackSetName"] = "amiinfra-golden-distribution-role",
            ["PermissionModel"] = "SERVICE_MANAGED",
            ["CallAs"] = "SELF",
            ["AutoDeployment"] = new Dictionary<string, object> { ["Enabled"] = true, ["RetainStacksOnAccountRemoval"] = false },
            ["Capabilities"] = new[] { "CAPABILITY_NAMED_IAM" },
            ["StackInstancesGroup"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["DeploymentTargets"] = new Dictionary<string, object> { ["OrganizationalUnitIds"] = new[] { "ou-ab12-cdefgh34", "r-ab12" } },
                    ["Regions"] = new[] { "us-east-1" },
                },
            },
            ["Parameters"] = new object[] { new Dictionary<string, object> { ["ParameterKey"] = "FactoryAccountId", ["ParameterValue"] = TestEnv.Account } },
        });
    }

    [Fact]
    public void Role_has_the_exact_name_image_builder_assumes()
    {
        Assert.Equal("AWS::IAM::Role", Role.GetProperty("Type").GetString());
        Assert.Equal("EC2ImageBuilderDistributionCrossAccountRole", Role.GetProperty("Properties").GetProperty("RoleName").GetString());
    }

    [Fact]
    public void Role_trusts_the_factory_account()
    {
        var statement = Assert.Single(Role.GetProperty("Properties").GetProperty("AssumeRolePolicyDocument").GetProperty("Statement").EnumerateArray());
        Assert.Equal("sts:AssumeRole", statement.GetProperty("Action").GetString());
        Assert.Equal("arn:${AWS::Partition}:iam::${FactoryAccountId}:root", statement.GetProperty("Principal").GetProperty("AWS").GetProperty("Fn::Sub").GetString());
    }

    [Fact]
    public void Role_carries_the_aws_managed_cross_account_distribution_policy()
    {
        var arn = Assert.Single(Role.GetProperty("Properties").GetProperty("ManagedPolicyArns").EnumerateArray());
        Assert.Equal("arn:${AWS::Partition}:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess", arn.GetProperty("Fn::Sub").GetString());
    }

    [Fact]
    public void Role_may_use_only_the_factory_accounts_keys_and_grant_only_for_aws_resources()
    {
        var statements = Assert.Single(Role.GetProperty("Properties").GetProperty("Policies").EnumerateArray())
            .GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray().ToDictionary(s => s.GetProperty("Sid").GetString()!);
        var keys = "arn:${AWS::Partition}:kms:*:${FactoryAccountId}:key/*";
        Assert.Equal(keys, statements["ReEncryptCopiesWithFactoryKeys"].GetProperty("Resource").GetProperty("Fn::Sub").GetString());
        Assert.Equal(keys, statements["GrantsForAwsResources"].GetProperty("Resource").GetProperty("Fn::Sub").GetString());
        Assert.Equal("true", statements["GrantsForAwsResources"].GetProperty("Condition").GetProperty("Bool").GetProperty("kms:GrantIsForAWSResource").GetString());
        Assert.DoesNotContain(statements.Values, s => s.GetProperty("Resource").ValueKind == JsonValueKind.String && s.GetProperty("Resource").GetString() == "*");
    }
}

[Collection(CdkCollection.Name)]
public sealed class DistributionTargetsValidationTests(ScopeFixture scope) : IClassFixture<ScopeFixture>
{
    private static readonly DistributionTargetsProps Valid = new()
    {
        StackSetName = "amiinfra-golden-distribution-role",
        FactoryAccount = TestEnv.Account,
        OrganizationalUnitIds = ["ou-ab12-cdefgh34"],
        Region = "us-east-1",
    };

    private ConstructValidationException Reject(DistributionTargetsProps props) =>
        Assert.Throws<ConstructValidationException>(() => new DistributionTargets(scope.Stack, "Targets", props));

    [Fact]
    public void Rejects_a_malformed_factory_account()
    {
        Assert.Equal("DistributionTargets Targets.FactoryAccount", Reject(Valid with { FactoryAccount = "12345" }).Where);
    }

    [Fact]
    public void Rejects_no_organizational_units()
    {
        Assert.Equal("DistributionTargets Targets.OrganizationalUnitIds", Reject(Valid with { OrganizationalUnitIds = [] }).Where);
    }

    [Fact]
    public void Rejects_an_ou_arn_where_an_ou_id_is_expected()
    {
        var e = Reject(Valid with { OrganizationalUnitIds = [ImageDistributionFixture.OuArn] });
        Assert.Equal("DistributionTargets Targets.OrganizationalUnitIds[0]", e.Where);
    }

    [Fact]
    public void Rejects_an_unknown_region()
    {
        Assert.Equal("DistributionTargets Targets.Region", Reject(Valid with { Region = "moon-1" }).Where);
    }
}
