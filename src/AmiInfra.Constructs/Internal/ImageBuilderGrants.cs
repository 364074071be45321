using Amazon.CDK.AWS.IAM;
using Constructs;

namespace AmiInfra.Constructs;

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
