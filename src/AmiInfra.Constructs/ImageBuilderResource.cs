using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Constructs;

namespace AmiInfra.Constructs;

/// <summary>
/// What every Image Builder resource of this library has in common, written once (as the alpha module's
/// <c>XxxBase</c> classes do): its ARN for grants, <see cref="Grant"/> and <see cref="GrantRead"/>. The constructs
/// (<see cref="Build.Component"/>, <see cref="Build.ImageRecipe"/>, <see cref="Build.ImagePipeline"/>,
/// <see cref="Build.InfrastructureConfiguration"/>, <see cref="Build.Workflow"/>,
/// <see cref="Distribution.DistributionConfiguration"/>, <see cref="Lifecycle.AmiLifecyclePolicy"/>) and their imports
/// derive from it; their references by name derive from <see cref="ImageBuilderReference"/>.
/// </summary>
public abstract class ImageBuilderResource : Resource
{
    private readonly string _readAction;

    /// <summary>Creates the resource; <paramref name="readAction"/> is the action <see cref="GrantRead"/> grants.</summary>
    protected ImageBuilderResource(Construct scope, string id, string readAction)
        : base(scope, id)
    {
        _readAction = readAction;
    }

    /// <summary>The resource's ARN, which grants are on.</summary>
    protected abstract string GrantedArn { get; }

    /// <summary>Lets <paramref name="grantee"/> perform <paramref name="actions"/> on this resource.</summary>
    public Grant Grant(IGrantable grantee, params string[] actions) => ImageBuilderGrants.Grant(grantee, GrantedArn, this, actions);

    /// <summary>Lets <paramref name="grantee"/> read this resource.</summary>
    public Grant GrantRead(IGrantable grantee) => Grant(grantee, _readAction);
}

/// <summary>An Image Builder resource by name, without a construct (<see cref="NamedReference"/>), with the grants of <see cref="ImageBuilderResource"/>.</summary>
internal abstract class ImageBuilderReference(string what, string import, string readAction) : NamedReference(what, import)
{
    /// <summary>The resource's ARN, which grants are on.</summary>
    protected abstract string GrantedArn { get; }

    /// <summary>Lets <paramref name="grantee"/> perform <paramref name="actions"/> on the resource.</summary>
    public Grant Grant(IGrantable grantee, params string[] actions) => ImageBuilderGrants.Grant(grantee, GrantedArn, null, actions);

    /// <summary>Lets <paramref name="grantee"/> read the resource.</summary>
    public Grant GrantRead(IGrantable grantee) => Grant(grantee, readAction);
}
