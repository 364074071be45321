using Amazon.CDK.AWS.IAM;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Lifecycle;

/// <summary>Props of <see cref="CrossAccountLifecycleRole"/>.</summary>
public sealed record CrossAccountLifecycleRoleProps
{
    /// <summary>The account whose Image Builder lifecycle policies may retire this account's AMI copies (12 digits).</summary>
    public required string FactoryAccount { get; init; }
}

/// <summary>
/// The role <c>Ec2ImageBuilderCrossAccountLifecycleAccess</c>, for a target account of a distribution:
/// with it, the factory account's lifecycle policies also deprecate, disable and delete the AMI copies
/// that this account owns. Image Builder looks the role up by this exact name, so there is one per
/// account; deploy it with the account's baseline (for example the StackSet that deploys the
/// distribution role). It trusts <c>imagebuilder.amazonaws.com</c> only on behalf of the factory
/// account and only for Image Builder images, as AWS documents.
/// </summary>
public sealed class CrossAccountLifecycleRole : Construct
{
    /// <summary>The role name Image Builder requires.</summary>
    public const string Name = "Ec2ImageBuilderCrossAccountLifecycleAccess";

    /// <summary>The images on whose behalf Image Builder may assume the role (aws:SourceArn): any Image Builder image.</summary>
    public const string SourceArnPattern = "arn:*:imagebuilder:*:*:image/*/*/*";

    /// <summary>Creates the role.</summary>
    public CrossAccountLifecycleRole(Construct scope, string id, CrossAccountLifecycleRoleProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Checks.Shape($"{Node.Path}.FactoryAccount", props.FactoryAccount, Identifiers.AccountId);
        var principal = new ServicePrincipal(LifecycleExecutionRole.ServicePrincipalName).WithConditions(TrustConditions(props.FactoryAccount));

        Role = new Role(this, "Resource", new RoleProps
        {
            RoleName = Name,
            Description = $"Lets the EC2 Image Builder lifecycle policies of account {props.FactoryAccount} retire the AMI copies this account owns",
            AssumedBy = principal,
            ManagedPolicies = [ManagedPolicy.FromAwsManagedPolicyName(LifecycleExecutionRole.ManagedPolicyName)],
        });
        LifecycleExecutionRole.AcknowledgeManagedPolicy(Role);
    }

    /// <summary>The role.</summary>
    public IRole Role { get; }

    /// <summary>
    /// The conditions of the role's trust in Image Builder: on behalf of the factory account (aws:SourceAccount; an
    /// account id, or a template's reference to one) and for Image Builder images only (aws:SourceArn).
    /// </summary>
    internal static Dictionary<string, object> TrustConditions(object factoryAccount) => new()
    {
        ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = factoryAccount },
        ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = SourceArnPattern },
    };
}
