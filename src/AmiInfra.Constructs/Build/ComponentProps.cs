using Amazon.CDK.AWS.KMS;

namespace AmiInfra.Constructs.Build;

/// <summary>The platform a component or recipe is for.</summary>
public enum ComponentPlatform
{
    /// <summary>Linux.</summary>
    Linux,

    /// <summary>Windows.</summary>
    Windows,
}

/// <summary>Properties of a <see cref="Component"/>.</summary>
public sealed record ComponentProps
{
    /// <summary>
    /// The component's physical name (1 to 126 characters: letters, digits, '-', '_'; a token is checked when
    /// CloudFormation resolves it). Default: a name generated from the construct path.
    /// </summary>
    public string? ComponentName { get; init; }

    /// <summary>The document, already checked (see <see cref="ComponentDocument.FromFile"/>). No default.</summary>
    public required ComponentDocument Document { get; init; }

    /// <summary>Linux or Windows. No default.</summary>
    public required ComponentPlatform Platform { get; init; }

    /// <summary>
    /// Major and minor version nodes ("1.0"); the patch node is derived from the content. Default: "1.0".
    /// </summary>
    public string MajorMinor { get; init; } = "1.0";

    /// <summary>Description. Default: the document's description.</summary>
    public string? Description { get; init; }

    /// <summary>The customer-managed KMS key that encrypts the component document. Default: an AWS-owned key.</summary>
    public IKey? KmsKey { get; init; }

    /// <summary>Tags of the component (its initial tags: <c>Tags.Of</c> adds to them). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>What identifies an existing component (<see cref="Component.FromComponentAttributes"/>).</summary>
public sealed record ComponentAttributes
{
    /// <summary>The component's ARN. Default: built from <see cref="ComponentName"/> and <see cref="ComponentVersion"/>; one of the two is required.</summary>
    public string? ComponentArn { get; init; }

    /// <summary>The component's name. Default: read from <see cref="ComponentArn"/>.</summary>
    public string? ComponentName { get; init; }

    /// <summary>The component's version, or a version filter such as 1.x.x. Default: x.x.x (the newest) with a name, read from the ARN with an ARN.</summary>
    public string? ComponentVersion { get; init; }
}
