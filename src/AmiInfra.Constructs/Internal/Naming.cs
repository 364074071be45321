using Amazon.CDK;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs;

/// <summary>Physical-name rules and pseudo parameters shared by the constructs.</summary>
internal static class Naming
{
    private static string? _partition;
    private static string? _region;
    private static string? _account;

    /// <summary>The AWS::Partition pseudo parameter (one jsii call, then cached).</summary>
    public static string Partition => _partition ??= Aws.PARTITION;

    /// <summary>The AWS::Region pseudo parameter.</summary>
    public static string Region => _region ??= Aws.REGION;

    /// <summary>The AWS::AccountId pseudo parameter.</summary>
    public static string Account => _account ??= Aws.ACCOUNT_ID;

    /// <summary>An Image Builder resource name (tokens skipped); <paramref name="where"/> (e.g. a construct path, a jsii call) is only asked for on failure.</summary>
    public static void CheckImageBuilderName(string name, Func<string> where)
    {
        if (!Checks.IsToken(name) && PhysicalNames.ImageBuilderResource.Check(name) is { } problem)
        {
            throw Checks.Exception(where(), problem);
        }
    }

    /// <summary>
    /// The ARN of an Image Builder resource of this account and region, from its name (Image Builder lower-cases names in
    /// ARNs): deterministic, so another stack of the same account and region can use it without a cross-stack export.
    /// </summary>
    /// <param name="resourceType">The ARN's resource type, e.g. image-recipe.</param>
    /// <param name="nameAndVersion">The name, with "/version" for versioned resources.</param>
    public static string ImageBuilderArn(string resourceType, string nameAndVersion) =>
        $"arn:{Partition}:imagebuilder:{Region}:{Account}:{resourceType}/{(Checks.IsToken(nameAndVersion) ? nameAndVersion : nameAndVersion.ToLowerInvariant())}";

    /// <summary>
    /// The ARN of the Image Builder resource named <paramref name="name"/> in the account and region of
    /// <paramref name="scope"/>'s stack, for the FromXxxName imports: the name is checked (a token is left to
    /// CloudFormation), lower-cased as Image Builder writes it in ARNs when it is plain text, and kept as it is when it
    /// is a token.
    /// </summary>
    /// <param name="scope">The scope of the import.</param>
    /// <param name="id">The import's id, for the error.</param>
    /// <param name="resourceType">The ARN's resource type, e.g. image-pipeline.</param>
    /// <param name="name">The resource name.</param>
    /// <param name="field">The name's prop, for the error, e.g. ImagePipelineName.</param>
    /// <param name="version">The version (or version filter) of a versioned resource; null for the others.</param>
    public static string ImageBuilderArnOfName(IConstruct scope, string id, string resourceType, string name, string field, string? version = null)
    {
        CheckImageBuilderName(name, () => $"{scope.Node.Path}/{id}.{field}");
        var resourceName = Checks.IsToken(name) ? name : name.ToLowerInvariant();
        return Stack.Of(scope).FormatArn(new ArnComponents { Service = "imagebuilder", Resource = resourceType, ResourceName = version is null ? resourceName : $"{resourceName}/{version}" });
    }

    /// <summary>
    /// A name for a construct whose props name none, as the Image Builder L2 constructs make it: unique in the app, from
    /// the construct path, lower case, letters, digits and hyphens, at most <paramref name="maxLength"/> characters.
    /// </summary>
    public static string Generated(IConstruct construct, int maxLength = 128) =>
        Names.UniqueResourceName(construct, new UniqueResourceNameOptions { MaxLength = maxLength, Separator = "-", AllowedSpecialCharacters = "-" }).ToLowerInvariant();

    /// <summary>
    /// The resource name of an ARN (what follows the resource type and its separator): read in C# when the ARN is
    /// plain text, asked of the stack (<c>Stack.SplitArn</c>) when it holds tokens.
    /// </summary>
    public static string ResourceNameOf(IConstruct scope, string arn, string resourceType)
    {
        if (!Checks.IsToken(arn))
        {
            var parts = arn.Split(':', 6);
            var prefix = resourceType + "/";
            if (parts.Length == 6 && parts[0] == "arn" && parts[5].StartsWith(prefix, StringComparison.Ordinal))
            {
                return parts[5][prefix.Length..];
            }

            throw new ConstructValidationException($"{scope.Node.Path}: an ARN", $"\"{arn}\"", $"an ARN of the form arn:partition:service:region:account:{resourceType}/name");
        }

        return Stack.Of(scope).SplitArn(arn, ArnFormat.SLASH_RESOURCE_NAME).ResourceName!;
    }
}
