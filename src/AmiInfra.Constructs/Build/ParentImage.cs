using AmiInfra.Rules;

namespace AmiInfra.Constructs.Build;

/// <summary>The image a recipe starts from.</summary>
public sealed record ParentImage
{
    private ParentImage(string kind, string value, string rendered)
    {
        Kind = kind;
        Value = value;
        Rendered = rendered;
    }

    /// <summary>ssm, ami, imagebuilder or marketplace.</summary>
    public string Kind { get; }

    /// <summary>The value as given.</summary>
    public string Value { get; }

    /// <summary>The value as the recipe's ParentImage property takes it.</summary>
    internal string Rendered { get; }

    /// <summary>What identifies the parent for the recipe version (tokens are resolved by the recipe).</summary>
    internal string Fingerprint => $"{Kind}:{Value}";

    /// <summary>The AMI id held by an SSM parameter, by name, resolved by Image Builder at each build.</summary>
    public static ParentImage FromSsmParameterName(string name) =>
        Valid("FromSsmParameterName", name, Identifiers.ParentSsmParameter, () => new("ssm", name, "ssm:" + name));

    /// <summary>
    /// The AMI id held by an SSM parameter (one of the app, or imported), resolved by Image Builder at each build. The
    /// recipe's version follows the parameter's name (a token name: what it refers to).
    /// </summary>
    public static ParentImage FromSsmParameter(Amazon.CDK.AWS.SSM.IStringParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return FromSsmParameterName(parameter.ParameterName);
    }

    /// <summary>An AMI id.</summary>
    public static ParentImage FromAmiId(string amiId) =>
        Valid("FromAmiId", amiId, Identifiers.AmiId, () => new("ami", amiId, amiId));

    /// <summary>An Image Builder managed image, e.g. amazon-linux-2023-x86/x.x.x, in the stack's partition and region.</summary>
    public static ParentImage FromImageBuilderImage(string nameAndVersion) =>
        Valid("FromImageBuilderImage", nameAndVersion, Identifiers.ImageBuilderImage, () => new("imagebuilder", nameAndVersion, $"arn:{Naming.Partition}:imagebuilder:{Naming.Region}:aws:image/{nameAndVersion}"));

    /// <summary>An AWS Marketplace product id (the subscription must exist in the account).</summary>
    public static ParentImage FromMarketplace(string productId) =>
        Valid("FromMarketplace", productId, Identifiers.MarketplaceProductId, () => new("marketplace", productId, productId));

    /// <summary>The parent, once <paramref name="value"/> has the shape (a token is checked when CloudFormation resolves it).</summary>
    private static ParentImage Valid(string method, string value, Shape shape, Func<ParentImage> parent)
    {
        Checks.Shape($"ParentImage.{method}", value, shape);
        return parent();
    }
}
