using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Constructs;

namespace AmiInfra.Constructs;

/// <summary>
/// A reference to an Image Builder resource by name, for rendering many resources without a construct each
/// (<c>Render</c> methods, <see cref="CfnFragment"/>): it implements the resource's interface for its ARN, name and
/// grants, and costs no jsii call. It is not a construct: <see cref="Node"/>, <see cref="Stack"/>,
/// <see cref="Env"/> and <see cref="ApplyRemovalPolicy"/> throw, saying how to import the resource as a construct.
/// </summary>
internal abstract class NamedReference(string what, string import) : IResource
{
    /// <inheritdoc />
    public Node Node => throw NotAConstruct();

    /// <inheritdoc />
    public IResourceEnvironment Env => throw NotAConstruct();

    /// <inheritdoc />
    public Stack Stack => throw NotAConstruct();

    /// <inheritdoc />
    public void ApplyRemovalPolicy(RemovalPolicy policy) => throw NotAConstruct();

    private InvalidOperationException NotAConstruct() =>
        new($"{what} is a reference by name for rendering (Render methods, CfnFragment), not a construct; to use it as one, import it with {import}");
}

/// <summary>A resource of a fragment, referred to from another resource of the same fragment by Ref or Fn::GetAtt.</summary>
internal interface IFragmentMember
{
    /// <summary>The reference, as the template has it.</summary>
    CfnFragmentReference Reference { get; }
}

/// <summary>What identifies a component's content, for the version of the recipes that use it.</summary>
internal interface IFingerprinted
{
    /// <summary>The fingerprint: no tokens.</summary>
    string Fingerprint { get; }
}

/// <summary>Grants on Image Builder resources, shared by the constructs, their imports and the references by name.</summary>
internal static class ImageBuilderGrants
{
    /// <summary>Lets <paramref name="grantee"/> perform <paramref name="actions"/> on the resource <paramref name="arn"/> (an identity policy statement).</summary>
    /// <param name="grantee">The principal.</param>
    /// <param name="arn">The resource's ARN.</param>
    /// <param name="scope">The construct warnings are reported on; null for a reference by name.</param>
    /// <param name="actions">The actions.</param>
    public static Grant Grant(IGrantable grantee, string arn, IConstruct? scope, string[] actions)
    {
        ArgumentNullException.ThrowIfNull(grantee);
        var options = new GrantOnPrincipalOptions { Grantee = grantee, Actions = actions, ResourceArns = [arn] };
        if (scope is not null)
        {
            options.Scope = scope;
        }

        return Amazon.CDK.AWS.IAM.Grant.AddToPrincipal(options);
    }

    /// <summary>The template value that refers to a resource: the fragment reference of a fragment member inside its fragment, the ARN otherwise.</summary>
    public static object ArnValue(object resource, string arn, bool inFragment) =>
        inFragment && resource is IFragmentMember member ? member.Reference : arn;
}
