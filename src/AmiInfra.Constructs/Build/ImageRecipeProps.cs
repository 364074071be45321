using Amazon.CDK.AWS.KMS;

namespace AmiInfra.Constructs.Build;

/// <summary>A component in a recipe, with the parameters passed to it.</summary>
/// <param name="Component">The component.</param>
/// <param name="Parameters">Parameter values by name. Default: none.</param>
public sealed record RecipeComponent(IComponent Component, IReadOnlyDictionary<string, string>? Parameters = null);

/// <summary>An EBS volume of the image.</summary>
public sealed record BlockDevice
{
    /// <summary>Device name, e.g. /dev/xvda. For the root volume, the parent image's root device name. No default.</summary>
    public required string DeviceName { get; init; }

    /// <summary>Size in GiB. No default.</summary>
    public required int SizeGiB { get; init; }

    /// <summary>Volume type: gp3, gp2, io1, io2 or standard. Default: gp3.</summary>
    public string VolumeType { get; init; } = "gp3";

    /// <summary>Provisioned IOPS (gp3, io1, io2). Default: the type's baseline.</summary>
    public int? Iops { get; init; }

    /// <summary>Throughput in MiB/s (gp3). Default: 125.</summary>
    public int? ThroughputMiBps { get; init; }

    /// <summary>
    /// The customer-managed KMS key that encrypts the volume, and so the AMI's snapshot (a key, or a key imported by
    /// ARN or alias ARN). The recipe's version follows the key: its ARN, or for a key of the app, what its ARN refers to.
    /// No default.
    /// </summary>
    public required IKey KmsKey { get; init; }
}

/// <summary>Properties of an <see cref="ImageRecipe"/>.</summary>
public sealed record ImageRecipeProps
{
    /// <summary>
    /// The recipe's physical name (3 to 128 letters, digits, '-', '_' and inner spaces; a token is checked when
    /// CloudFormation resolves it). Default: a name generated from the construct path (required by <see cref="ImageRecipe.Render"/>).
    /// </summary>
    public string? ImageRecipeName { get; init; }

    /// <summary>Description. Default: none.</summary>
    public string? Description { get; init; }

    /// <summary>The image the build starts from. No default.</summary>
    public required ParentImage ParentImage { get; init; }

    /// <summary>The components, in the order they run (1 to 20). No default.</summary>
    public required IReadOnlyList<RecipeComponent> Components { get; init; }

    /// <summary>Volumes, the root volume first. Each is encrypted with its customer-managed key. No default.</summary>
    public required IReadOnlyList<BlockDevice> BlockDevices { get; init; }

    /// <summary>Working directory on the build instance. Default: the service's (/tmp or C:/).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Uninstall the SSM agent after the build if Image Builder installed it. Default: false.</summary>
    public bool RemoveSsmAgent { get; init; }

    /// <summary>A user data script that replaces the service's (plain text; base64-encoded here). Default: none.</summary>
    public string? UserData { get; init; }

    /// <summary>Major and minor version nodes; the patch node follows the content. Default: "1.0".</summary>
    public string MajorMinor { get; init; } = "1.0";

    /// <summary>Tags of the recipe (its initial tags: <c>Tags.Of</c> adds to them). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>What identifies an existing recipe (<see cref="ImageRecipe.FromImageRecipeAttributes"/>).</summary>
public sealed record ImageRecipeAttributes
{
    /// <summary>The recipe's ARN. Default: built from <see cref="ImageRecipeName"/> and <see cref="ImageRecipeVersion"/>; one of the two is required.</summary>
    public string? ImageRecipeArn { get; init; }

    /// <summary>The recipe's name. Default: read from <see cref="ImageRecipeArn"/>.</summary>
    public string? ImageRecipeName { get; init; }

    /// <summary>The recipe's version, or a version filter. Default: x.x.x (the newest) with a name, read from the ARN with an ARN.</summary>
    public string? ImageRecipeVersion { get; init; }
}

/// <summary>A recipe rendered without a construct (<see cref="ImageRecipe.Render"/>).</summary>
/// <param name="Name">The recipe's name.</param>
/// <param name="Version">The recipe's version: the patch node follows the content.</param>
/// <param name="Resource">The AWS::ImageBuilder::ImageRecipe resource.</param>
public sealed record RenderedRecipe(string Name, string Version, CfnDefinition Resource)
{
    /// <summary>The image the recipe starts from, when rendered from props (a pipeline checks its instance types against it). Default: unknown.</summary>
    public ParentImage? ParentImage { get; init; }

    /// <summary>
    /// The recipe as a member of a <see cref="CfnFragment"/> at <paramref name="logicalId"/>, for a pipeline rendered
    /// into the same fragment (<c>{"Ref": logicalId}</c> there; by name elsewhere).
    /// </summary>
    public IImageRecipe InFragment(string logicalId) => ImageRecipe.FromFragment(logicalId, Name, Version, ParentImage);
}

/// <summary>A recipe whose parent image is known: a pipeline checks that its instance types can build it.</summary>
internal interface IRecipeWithParent
{
    /// <summary>The parent image, or null when not known.</summary>
    ParentImage? ParentImage { get; }
}
