using System.Runtime.CompilerServices;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SSM;

namespace AmiInfra.Constructs;

/// <summary>
/// Attributes of the CDK objects the props refer to, read from the jsii runtime once per object: a key, role,
/// parameter or launch template shared by hundreds of rendered resources costs one call, not one per resource. The
/// attributes read here never change once the object exists (ARNs, names and ids, or the tokens that stand for them).
/// </summary>
internal static class Attributes
{
    private static readonly ConditionalWeakTable<object, string> Read = [];

    /// <summary>The key's ARN.</summary>
    public static string KeyArn(IKey key) => Once(key, static k => ((IKey)k).KeyArn);

    /// <summary>The role's ARN.</summary>
    public static string RoleArn(IRole role) => Once(role, static r => ((IRole)r).RoleArn);

    /// <summary>The parameter's name.</summary>
    public static string ParameterName(IStringParameter parameter) => Once(parameter, static p => ((IStringParameter)p).ParameterName);

    /// <summary>The launch template's id; null when it has none (imported by name).</summary>
    public static string? LaunchTemplateId(ILaunchTemplate template)
    {
        var id = Once(template, static t => ((ILaunchTemplate)t).LaunchTemplateId ?? "");
        return id.Length == 0 ? null : id;
    }

    private static string Once(object source, Func<object, string> read)
    {
        if (Read.TryGetValue(source, out var known))
        {
            return known;
        }

        var value = read(source);
        Read.AddOrUpdate(source, value);
        return value;
    }
}
