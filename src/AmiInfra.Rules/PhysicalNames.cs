using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>
/// Names: the factory's and its images' (which prefix every physical name), and the physical names
/// of the resources a factory makes, each as the service's API reference gives its pattern.
/// </summary>
public static partial class PhysicalNames
{
    /// <summary>
    /// A factory name: 2 to 20 lower-case letters, digits and hyphens. It prefixes every physical
    /// name (buckets, roles, topics, keys' aliases), so it is short and takes the narrowest charset
    /// of those services (S3 bucket names: lower case).
    /// </summary>
    public static readonly Shape Factory = new(FactoryPattern(), "2 to 20 characters: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen");

    /// <summary>An image name: 2 to 32 lower-case letters, digits and hyphens (it follows the factory name in physical names).</summary>
    public static readonly Shape Image = new(ImagePattern(), "2 to 32 characters: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen");

    /// <summary>
    /// The name of an Image Builder resource (component, recipe, infrastructure, distribution,
    /// pipeline, lifecycle policy). Image Builder API reference, e.g. CreateComponent.name:
    /// <c>^[-_A-Za-z-0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z-0-9]$</c>.
    /// </summary>
    public static readonly Shape ImageBuilderResource = new(ImageBuilderResourcePattern(), "3 to 128 characters: letters, digits, '-', '_' and inner spaces");

    /// <summary>An IAM role name (IAM API reference, CreateRole.RoleName: [\w+=,.@-]+, 1 to 64 characters).</summary>
    public static readonly Shape IamRole = new(IamRolePattern(), "an IAM role name of 1 to 64 characters: letters, digits and + = , . @ _ -");

    /// <summary>
    /// A KMS alias name after "alias/" (KMS API reference, CreateAlias.AliasName: ^[a-zA-Z0-9:/_-]+$, 1 to 256
    /// characters with the prefix), not one AWS reserves (alias/aws/).
    /// </summary>
    public static readonly Shape KmsAlias = new(KmsAliasPattern(), "1 to 250 letters, digits, : / _ and -, without the alias/ prefix and not starting with aws/ (reserved for AWS-managed keys)");

    /// <summary>A CloudFormation StackSet name (CreateStackSet.StackSetName).</summary>
    public static readonly Shape StackSet = new(StackSetPattern(), "a letter, then up to 127 letters, digits and hyphens");

    [GeneratedRegex("^[a-z][a-z0-9-]{0,18}[a-z0-9]$")]
    private static partial Regex FactoryPattern();

    [GeneratedRegex("^[a-z][a-z0-9-]{0,30}[a-z0-9]$")]
    private static partial Regex ImagePattern();

    [GeneratedRegex("^[-_A-Za-z0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z0-9]$")]
    private static partial Regex ImageBuilderResourcePattern();

    [GeneratedRegex("^[A-Za-z0-9+=,.@_-]{1,64}$")]
    private static partial Regex IamRolePattern();

    [GeneratedRegex("^(?!aws/)[a-zA-Z0-9:/_-]{1,250}$")]
    private static partial Regex KmsAliasPattern();

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9-]{0,127}$")]
    private static partial Regex StackSetPattern();
}
