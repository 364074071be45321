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

    /// <summary>What identifies the parent for the recipe version (no tokens).</summary>
    internal string Fingerprint => $"{Kind}:{Value}";

    /// <summary>The AMI id held by an SSM parameter, resolved by Image Builder at each build.</summary>
    public static ParentImage FromSsmParameter(string name) =>
        Valid("FromSsmParameter", name, Identifiers.ParentSsmParameter, () => new("ssm", name, "ssm:" + name));

    /// <summary>An AMI id.</summary>
    public static ParentImage FromAmiId(string amiId) =>
        Valid("FromAmiId", amiId, Identifiers.AmiId, () => new("ami", amiId, amiId));

    /// <summary>An Image Builder managed image, e.g. amazon-linux-2023-x86/x.x.x, in the stack's partition and region.</summary>
    public static ParentImage FromImageBuilderImage(string nameAndVersion) =>
        Valid("FromImageBuilderImage", nameAndVersion, Identifiers.ImageBuilderImage, () => new("imagebuilder", nameAndVersion, $"arn:{Naming.Partition}:imagebuilder:{Naming.Region}:aws:image/{nameAndVersion}"));

    /// <summary>An AWS Marketplace product id (the subscription must exist in the account).</summary>
    public static ParentImage FromMarketplace(string productId) =>
        Valid("FromMarketplace", productId, Identifiers.MarketplaceProductId, () => new("marketplace", productId, productId));

    private static ParentImage Valid(string method, string value, Shape shape, Func<ParentImage> parent)
    {
        Checks.Require($"ParentImage.{method}", shape.Check(value));
        return parent();
    }
}
