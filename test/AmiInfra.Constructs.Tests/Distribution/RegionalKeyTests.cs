using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using AmiInfra.Constructs.Distribution;

namespace AmiInfra.Constructs.Tests.Distribution;

/// <summary>Two keys, synthesized once: one shared with every kind of principal, one not shared at all.</summary>
public sealed class RegionalKeyFixture
{
    public RegionalKeyFixture()
    {
        var shared = TestEnv.NewStack("SharedKey", "eu-west-1");
        Shared = new RegionalKey(shared, "Key", new RegionalKeyProps
        {
            AliasName = "amiinfra/golden",
            LaunchAccounts = ["111122223333", "777788889999"],
            LaunchOrganizationArns = [DistributionConfigurationFixture.OrganizationArn],
            LaunchOrganizationalUnitArns = [DistributionConfigurationFixture.OuArn],
            TargetAccounts = ["444455556666"],
        });
        AliasArnResolved = JsonSerializer.Serialize(shared.Resolve(Shared.AliasArn));
        KeyArnFromGrantableKey = JsonSerializer.Serialize(shared.Resolve(Shared.Key.KeyArn));
        SharedTemplate = Template.FromStack(shared);

        var bare = TestEnv.NewStack("BareKey");
        _ = new RegionalKey(bare, "Key", new RegionalKeyProps { AliasName = "amiinfra/golden", RemovalPolicy = RemovalPolicy.DESTROY, PendingWindowDays = 7 });
        BareTemplate = Template.FromStack(bare);
    }

    public RegionalKey Shared { get; }
    public string AliasArnResolved { get; }
    public string KeyArnFromGrantableKey { get; }
    public Template SharedTemplate { get; }
    public Template BareTemplate { get; }
}

[Collection(CdkCollection.Name)]
public sealed class RegionalKeyTests(RegionalKeyFixture fixture) : IClassFixture<RegionalKeyFixture>
{
    private static readonly string[] LaunchActions = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:ReEncrypt*"];

    private static object Root(string account) => new Dictionary<string, object> { ["Fn::Sub"] = $"arn:${{AWS::Partition}}:iam::{account}:root" };

    private static Dictionary<string, object> GrantForAwsResource => new() { ["kms:GrantIsForAWSResource"] = "true" };

    private static Dictionary<string, object> ViaEc2 => new() { ["kms:ViaService"] = new Dictionary<string, object> { ["Fn::Sub"] = "ec2.*.${AWS::URLSuffix}" } };

    private static readonly string[] AutoScalingOperations =
        ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "DescribeKey", "CreateGrant"];

    private static object AutoScalingRole(string account) =>
        new Dictionary<string, object> { ["Fn::Sub"] = $"arn:${{AWS::Partition}}:iam::{account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling*" };

    private List<JsonElement> Statements()
    {
        var key = fixture.SharedTemplate.FindResources("AWS::KMS::Key").Values.Single();
        var json = JsonSerializer.Serialize(key);
        return JsonDocument.Parse(json).RootElement.GetProperty("Properties").GetProperty("KeyPolicy").GetProperty("Statement").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private void HasStatement(Dictionary<string, object> statement) =>
        fixture.SharedTemplate.HasResourceProperties("AWS::KMS::Key", new Dictionary<string, object>
        {
            ["KeyPolicy"] = Match.ObjectLike(new Dictionary<string, object> { ["Statement"] = Match.ArrayWith([Match.ObjectEquals(statement)]) }),
        });

    [Fact]
    public void Key_is_customer_managed_with_rotation_and_retained()
    {
        fixture.SharedTemplate.HasResource("AWS::KMS::Key", new Dictionary<string, object>
        {
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object> { ["EnableKeyRotation"] = true, ["PendingWindowInDays"] = 30 }),
            ["DeletionPolicy"] = "Retain",
            ["UpdateReplacePolicy"] = "Retain",
        });
    }

    [Fact]
    public void Alias_is_deterministic()
    {
        fixture.SharedTemplate.HasResourceProperties("AWS::KMS::Alias", new Dictionary<string, object> { ["AliasName"] = "alias/amiinfra/golden" });
        Assert.Equal("{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":kms:eu-west-1:123456789012:alias/amiinfra/golden\"]]}", fixture.AliasArnResolved);
    }

    [Fact]
    public void Exposes_the_key_for_grants()
    {
        Assert.Equal("{\"Fn::GetAtt\":[\"Key961B73FD\",\"Arn\"]}", fixture.KeyArnFromGrantableKey);
    }

    [Fact]
    public void Alias_arn_helper_names_a_key_in_any_region_without_a_reference()
    {
        Assert.Equal("arn:aws-cn:kms:cn-north-1:123456789012:alias/amiinfra/golden", RegionalKey.AliasArnFor("aws-cn", "cn-north-1", "123456789012", "amiinfra/golden"));
    }

    [Fact]
    public void Declared_accounts_may_launch_and_create_grants_for_aws_resources_only()
    {
        var principal = new Dictionary<string, object> { ["AWS"] = new[] { Root("111122223333"), Root("777788889999") } };
        HasStatement(new Dictionary<string, object>
        {
            ["Sid"] = "LaunchByAccounts", ["Effect"] = "Allow", ["Principal"] = principal, ["Action"] = LaunchActions, ["Resource"] = "*",
            ["Condition"] = new Dictionary<string, object> { ["StringLike"] = ViaEc2 },
        });
        HasStatement(new Dictionary<string, object>
        {
            ["Sid"] = "GrantsForAwsResourcesByAccounts", ["Effect"] = "Allow", ["Principal"] = principal, ["Action"] = "kms:CreateGrant", ["Resource"] = "*",
            ["Condition"] = new Dictionary<string, object> { ["Bool"] = GrantForAwsResource, ["StringLike"] = ViaEc2 },
        });
    }

    [Fact]
    public void Organization_may_launch_by_principal_org_id()
    {
        HasStatement(new Dictionary<string, object>
        {
            ["Sid"] = "LaunchByOrganizations", ["Effect"] = "Allow", ["Principal"] = new Dictionary<string, object> { ["AWS"] = "*" }, ["Action"] = LaunchActions, ["Resource"] = "*",
            ["Condition"] = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:PrincipalOrgID"] = new[] { "o-a1b2c3d4e5" } }, ["StringLike"] = ViaEc2 },
        });
    }

    [Fact]
    public void Organizational_units_may_launch_by_principal_org_paths()
    {
        var condition = new Dictionary<string, object> { ["aws:PrincipalOrgPaths"] = new[] { "o-a1b2c3d4e5/*/ou-ab12-cdefgh34/*" } };
        HasStatement(new Dictionary<string, object>
        {
            ["Sid"] = "LaunchByOrganizationalUnits", ["Effect"] = "Allow", ["Principal"] = new Dictionary<string, object> { ["AWS"] = "*" }, ["Action"] = LaunchActions, ["Resource"] = "*",
            ["Condition"] = new Dictionary<string, object> { ["ForAnyValue:StringLike"] = condition, ["StringLike"] = ViaEc2 },
        });
        HasStatement(new Dictionary<string, object>
        {
            ["Sid"] = "GrantsForAwsResourcesByOrganizationalUnits", ["Effect"] = "Allow", ["Principal"] = new Dictionary<string, object> { ["AWS"] = "*" }, ["Action"] = "kms:CreateGrant", ["Resource"] = "*",
            ["Condition"] = new Dictionary<string, object> { ["ForAnyValue:StringLike"] = condition, ["Bool"] = GrantForAwsResource, ["StringLike"] = ViaEc2 },
        });
    }

    [Fact]
    public void Distribution_role_of_target_accounts_may_copy_with_the_key()
    {
        HasStatement(new Dictionary<string, object>
        {
            ["Sid"] = "CopyByDistributionRole", ["Effect"] = "Allow", ["Principal"] = new Dictionary<string, object> { ["AWS"] = Root("444455556666") },
            ["Action"] = new[] { "kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*" }, ["Resource"] = "*",
            ["Condition"] = new Dictionary<string, object>
            {
                ["ArnEquals"] = new Dictionary<string, object>
                {
                    ["aws:PrincipalArn"] = new[] { new Dictionary<string, object> { ["Fn::Sub"] = "arn:${AWS::Partition}:iam::444455556666:role/EC2ImageBuilderDistributionCrossAccountRole" } },
                },
                ["StringLike"] = ViaEc2,
            },
        });
    }

    /// <summary>Fix 9: consumers use the key only through EC2 (launch, copy, volumes), never by calling KMS themselves.</summary>
    [Fact]
    public void Every_statement_for_consumers_except_the_auto_scaling_grant_goes_through_ec2()
    {
        var consumers = Statements().Where(s => s.GetProperty("Sid").GetString() != "AdministerWithIamInOwningAccount").ToList();
        Assert.NotEmpty(consumers);
        foreach (var statement in consumers.Where(s => !s.GetProperty("Sid").GetString()!.StartsWith("AutoScalingGrant", StringComparison.Ordinal)))
        {
            var via = statement.GetProperty("Condition").GetProperty("StringLike").GetProperty("kms:ViaService").GetProperty("Fn::Sub").GetString();
            Assert.Equal("ec2.*.${AWS::URLSuffix}", via);
        }
    }

    /// <summary>Fix 8: each kind of consumer may grant its own Auto Scaling service-linked role exactly the operations Auto Scaling needs.</summary>
    [Fact]
    public void Consumers_may_grant_their_auto_scaling_role_what_it_needs_and_nothing_else()
    {
        HasStatement(new Dictionary<string, object>
        {
            ["Sid"] = "AutoScalingGrantByAccounts", ["Effect"] = "Allow",
            ["Principal"] = new Dictionary<string, object> { ["AWS"] = new[] { Root("111122223333"), Root("777788889999") } },
            ["Action"] = "kms:CreateGrant", ["Resource"] = "*",
            ["Condition"] = new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object> { ["kms:GranteePrincipal"] = new[] { AutoScalingRole("111122223333"), AutoScalingRole("777788889999") } },
                ["ForAllValues:StringEquals"] = new Dictionary<string, object> { ["kms:GrantOperations"] = AutoScalingOperations },
            },
        });
        HasStatement(new Dictionary<string, object>
        {
            ["Sid"] = "AutoScalingGrantByOrganizations", ["Effect"] = "Allow", ["Principal"] = new Dictionary<string, object> { ["AWS"] = "*" },
            ["Action"] = "kms:CreateGrant", ["Resource"] = "*",
            ["Condition"] = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:PrincipalOrgID"] = new[] { "o-a1b2c3d4e5" } },
                ["StringLike"] = new Dictionary<string, object> { ["kms:GranteePrincipal"] = AutoScalingRole("*") },
                ["ForAllValues:StringEquals"] = new Dictionary<string, object> { ["kms:GrantOperations"] = AutoScalingOperations },
            },
        });
        HasStatement(new Dictionary<string, object>
        {
            ["Sid"] = "AutoScalingGrantByOrganizationalUnits", ["Effect"] = "Allow", ["Principal"] = new Dictionary<string, object> { ["AWS"] = "*" },
            ["Action"] = "kms:CreateGrant", ["Resource"] = "*",
            ["Condition"] = new Dictionary<string, object>
            {
                ["ForAnyValue:StringLike"] = new Dictionary<string, object> { ["aws:PrincipalOrgPaths"] = new[] { "o-a1b2c3d4e5/*/ou-ab12-cdefgh34/*" } },
                ["StringLike"] = new Dictionary<string, object> { ["kms:GranteePrincipal"] = AutoScalingRole("*") },
                ["ForAllValues:StringEquals"] = new Dictionary<string, object> { ["kms:GrantOperations"] = AutoScalingOperations },
            },
        });
        HasStatement(new Dictionary<string, object>
        {
            ["Sid"] = "AutoScalingGrantByTargetAccounts", ["Effect"] = "Allow", ["Principal"] = new Dictionary<string, object> { ["AWS"] = Root("444455556666") },
            ["Action"] = "kms:CreateGrant", ["Resource"] = "*",
            ["Condition"] = new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object> { ["kms:GranteePrincipal"] = AutoScalingRole("444455556666") },
                ["ForAllValues:StringEquals"] = new Dictionary<string, object> { ["kms:GrantOperations"] = AutoScalingOperations },
            },
        });
    }

    [Fact]
    public void Unshared_key_is_administered_by_its_own_account_only()
    {
        BareStatementsAre(new Dictionary<string, object>
        {
            ["Sid"] = "AdministerWithIamInOwningAccount", ["Effect"] = "Allow",
            ["Principal"] = new Dictionary<string, object> { ["AWS"] = new Dictionary<string, object> { ["Fn::Sub"] = "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" } },
            ["Action"] = "kms:*", ["Resource"] = "*",
        });
        fixture.BareTemplate.HasResource("AWS::KMS::Key", new Dictionary<string, object>
        {
            ["Properties"] = Match.ObjectLike(new Dictionary<string, object> { ["PendingWindowInDays"] = 7 }),
            ["DeletionPolicy"] = "Delete",
        });
    }

    private void BareStatementsAre(params object[] statements) =>
        fixture.BareTemplate.HasResourceProperties("AWS::KMS::Key", new Dictionary<string, object>
        {
            ["KeyPolicy"] = new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = statements },
        });
}

public sealed class RegionalKeyValidationTests
{
    [Theory]
    [InlineData("alias/amiinfra/golden")]
    [InlineData("aws/ebs")]
    [InlineData("amiinfra golden")]
    public void Rejects_an_alias_name_kms_refuses(string alias)
    {
        var e = Assert.Throws<ConstructValidationException>(() => RegionalKey.AliasArnFor("aws", "us-east-1", "123456789012", alias));
        Assert.Equal("RegionalKey.AliasArnFor(aliasName)", e.Where);
    }

    [Fact]
    public void Rejects_a_malformed_account_in_the_alias_arn()
    {
        var e = Assert.Throws<ConstructValidationException>(() => RegionalKey.AliasArnFor("aws", "us-east-1", "1234", "amiinfra/golden"));
        Assert.Equal("RegionalKey.AliasArnFor(account)", e.Where);
    }

    [Fact]
    public void Rejects_an_unknown_region_in_the_alias_arn()
    {
        var e = Assert.Throws<ConstructValidationException>(() => RegionalKey.AliasArnFor("aws", "europe-1", "123456789012", "amiinfra/golden"));
        Assert.Equal("RegionalKey.AliasArnFor(region)", e.Where);
    }
}

[Collection(CdkCollection.Name)]
public sealed class RegionalKeyPropsValidationTests(ScopeFixture scope) : IClassFixture<ScopeFixture>
{
    private ConstructValidationException Reject(RegionalKeyProps props) =>
        Assert.Throws<ConstructValidationException>(() => new RegionalKey(scope.Stack, "Key", props));

    [Fact]
    public void Rejects_a_malformed_launch_account()
    {
        var e = Reject(new RegionalKeyProps { AliasName = "amiinfra/golden", LaunchAccounts = ["12345678901"] });
        Assert.Equal("Validation/Key.LaunchAccounts[0]", e.Where);
    }

    [Fact]
    public void Rejects_a_malformed_ou_arn()
    {
        var e = Reject(new RegionalKeyProps { AliasName = "amiinfra/golden", LaunchOrganizationalUnitArns = ["ou-ab12-cdefgh34"] });
        Assert.Equal("Validation/Key.LaunchOrganizationalUnitArns[0]", e.Where);
    }

    [Fact]
    public void Rejects_a_pending_window_kms_refuses()
    {
        var e = Reject(new RegionalKeyProps { AliasName = "amiinfra/golden", PendingWindowDays = 3 });
        Assert.Equal("Validation/Key.PendingWindowDays", e.Where);
    }
}
