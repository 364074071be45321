using Amazon.CDK;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AmiInfra.Constructs.Tests;

/// <summary>
/// All CDK tests share one collection: jsii answers one call at a time, so parallel test classes
/// only queue up behind each other. Each test class synthesizes its stacks once, in a fixture.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CdkCollection
{
    public const string Name = "cdk";
}

/// <summary>The fixed environment every construct test synthesizes in.</summary>
public static class TestEnv
{
    public const string Account = "123456789012";
    public const string Region = "us-east-1";

    public static Stack NewStack(string id = "Test", string? region = null) =>
        new(new App(), id, new StackProps { Env = new Amazon.CDK.Environment { Account = Account, Region = region ?? Region } });

    // Imports for props, in a stack of their own: only their attributes (ARNs, ids, names) reach the constructs under test.
    private static readonly Stack Imports = NewStack("Imports");
    private static int _imports;

    private static string NextId(string kind) => $"{kind}{Interlocked.Increment(ref _imports)}";

    /// <summary>A KMS key named by key ARN or alias ARN.</summary>
    public static Amazon.CDK.AWS.KMS.IKey KeyArn(string arn) => Amazon.CDK.AWS.KMS.Key.FromKeyArn(Imports, NextId("Key"), arn);

    /// <summary>The alias of a key of the test account in <paramref name="region"/>.</summary>
    public static Amazon.CDK.AWS.KMS.IKey AliasKey(string region, string alias) => KeyArn($"arn:aws:kms:{region}:{Account}:alias/{alias}");

    /// <summary>A role named by ARN.</summary>
    public static Amazon.CDK.AWS.IAM.IRole RoleArn(string arn) =>
        Amazon.CDK.AWS.IAM.Role.FromRoleArn(Imports, NextId("Role"), arn, new Amazon.CDK.AWS.IAM.FromRoleArnOptions { Mutable = false });

    /// <summary>An SSM parameter named by name (it need not exist).</summary>
    public static Amazon.CDK.AWS.SSM.IStringParameter Parameter(string name) =>
        Amazon.CDK.AWS.SSM.StringParameter.FromStringParameterAttributes(Imports, NextId("Parameter"), new Amazon.CDK.AWS.SSM.StringParameterAttributes { ParameterName = name, ForceDynamicReference = true });

    /// <summary>A launch template named by id.</summary>
    public static Amazon.CDK.AWS.EC2.ILaunchTemplate LaunchTemplate(string id) =>
        Amazon.CDK.AWS.EC2.LaunchTemplate.FromLaunchTemplateAttributes(Imports, NextId("LaunchTemplate"), new Amazon.CDK.AWS.EC2.LaunchTemplateAttributes { LaunchTemplateId = id });

    /// <summary>A subnet named by id.</summary>
    public static Amazon.CDK.AWS.EC2.ISubnet Subnet(string id) =>
        Amazon.CDK.AWS.EC2.Subnet.FromSubnetAttributes(Imports, NextId("Subnet"), new Amazon.CDK.AWS.EC2.SubnetAttributes { SubnetId = id, RouteTableId = "rtb-0123456789abcdef0" });

    /// <summary>A security group named by id.</summary>
    public static Amazon.CDK.AWS.EC2.ISecurityGroup SecurityGroup(string id) =>
        Amazon.CDK.AWS.EC2.SecurityGroup.FromSecurityGroupId(Imports, NextId("SecurityGroup"), id, new Amazon.CDK.AWS.EC2.SecurityGroupImportOptions { Mutable = false });

    /// <summary>A key pair named by name.</summary>
    public static Amazon.CDK.AWS.EC2.IKeyPair KeyPair(string name) => Amazon.CDK.AWS.EC2.KeyPair.FromKeyPairName(Imports, NextId("KeyPair"), name);

    /// <summary>The lifecycle role of the factory "golden" in the test account.</summary>
    public static Amazon.CDK.AWS.IAM.IRole LifecycleRole => RoleArn($"arn:aws:iam::{Account}:role/golden-ami-lifecycle");
}
