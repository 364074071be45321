using System.Text.RegularExpressions;

namespace AmiInfra.Constructs.Build;

/// <summary>The image a recipe starts from.</summary>
public sealed partial record ParentImage
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
        SsmName().IsMatch(name) ? new("ssm", name, "ssm:" + name) : throw Bad("FromSsmParameter", name, "an SSM parameter name such as /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");

    /// <summary>An AMI id.</summary>
    public static ParentImage FromAmiId(string amiId) =>
        AmiId().IsMatch(amiId) ? new("ami", amiId, amiId) : throw Bad("FromAmiId", amiId, "an AMI id such as ami-0123456789abcdef0");

    /// <summary>An Image Builder managed image, e.g. amazon-linux-2023-x86/x.x.x, in the stack's partition and region.</summary>
    public static ParentImage FromImageBuilderImage(string nameAndVersion) =>
        ManagedImage().IsMatch(nameAndVersion)
            ? new("imagebuilder", nameAndVersion, $"arn:{Naming.Partition}:imagebuilder:{Naming.Region}:aws:image/{nameAndVersion}")
            : throw Bad("FromImageBuilderImage", nameAndVersion, "an Image Builder image such as amazon-linux-2023-x86/x.x.x");

    /// <summary>An AWS Marketplace product id (the subscription must exist in the account).</summary>
    public static ParentImage FromMarketplace(string productId) =>
        ProductId().IsMatch(productId) ? new("marketplace", productId, productId) : throw Bad("FromMarketplace", productId, "a Marketplace product id such as prod-abcdefgh12345");

    private static ConstructValidationException Bad(string method, string value, string accepted) =>
        new($"ParentImage.{method}", $"\"{value}\"", accepted);

    private static Regex SsmName() => AwsShapes.SsmParameterName();

    private static Regex AmiId() => AwsShapes.AmiId();

    private static Regex ManagedImage() => AwsShapes.ImageBuilderImage();

    private static Regex ProductId() => AwsShapes.MarketplaceProductId();
}
