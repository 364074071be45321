using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Release;

/// <summary>
/// The instance profile the release verification launches copies with (<see cref="Releases.InstanceProfileName"/>): a role
/// that EC2 assumes, holding only the AWS-managed AmazonSSMManagedInstanceCore, which lets the SSM agent register and run
/// the smoke test ("Configure instance permissions required for Systems Manager":
/// https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-instance-permissions.html). IAM is global: one per
/// account, made in one region's stack.
/// </summary>
public sealed class ReleaseInstanceProfile : Construct
{
    /// <summary>Creates the role and its instance profile.</summary>
    public ReleaseInstanceProfile(Construct scope, string id, string factoryName)
        : base(scope, id)
    {
        var name = Releases.InstanceProfileName(factoryName);
        Role = new CfnRole(this, "Role", new CfnRoleProps
        {
            RoleName = name,
            Description = $"The instances the {factoryName} factory's release verification launches: the SSM agent only",
            AssumeRolePolicyDocument = ReleaseRoles.ServiceTrust("ec2.amazonaws.com"),
            ManagedPolicyArns = [$"arn:{Stack.Of(this).Partition}:iam::aws:policy/{ReleaseVerification.SsmManagedPolicy}"],
        });
        NagMetadata.Add(Role, [Acknowledgement]);
        Profile = new CfnInstanceProfile(this, "Resource", new CfnInstanceProfileProps { InstanceProfileName = name, Roles = [Role.Ref] });
    }

    /// <summary>The role.</summary>
    public CfnRole Role { get; }

    /// <summary>The instance profile.</summary>
    public CfnInstanceProfile Profile { get; }

    /// <summary>Why the managed policy is used (cdk-nag AwsSolutions-IAM4).</summary>
    internal static Acknowledgement Acknowledgement { get; } = new(
        "AwsSolutions-IAM4",
        "AmazonSSMManagedInstanceCore is the policy Systems Manager documents for a managed node: the verification's instance needs exactly what the agent needs to register and run the smoke test, and AWS keeps it current",
        [$"/^Policy::arn:(<AWS::Partition>|[^:<]+):iam::aws:policy\\/{ReleaseVerification.SsmManagedPolicy}$/"]);
}
