using System.Text;
using Amazon.CDK;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>A component in a recipe, with the parameters passed to it.</summary>
/// <param name="Component">The component.</param>
/// <param name="Parameters">Parameter values by name. Default: none.</param>
public sealed record RecipeComponent(IComponent Component, IReadOnlyDictionary<string, string>? Parameters = null);

/// <summary>An EBS volume of the image.</summary>
public sealed record BlockDevice
{
    /// <summary>Device name, e.g. /dev/xvda. For the root volume, the parent image's root device name.</summary>
    public required string DeviceName { get; init; }

    /// <summary>Size in GiB.</summary>
    public required int SizeGiB { get; init; }

    /// <summary>Volume type: gp3, gp2, io1, io2 or standard. Default: gp3.</summary>
    public string VolumeType { get; init; } = "gp3";

    /// <summary>Provisioned IOPS (gp3, io1, io2). Default: the type's baseline.</summary>
    public int? Iops { get; init; }

    /// <summary>Throughput in MiB/s (gp3). Default: 125.</summary>
    public int? ThroughputMiBps { get; init; }

    /// <summary>
    /// The customer-managed KMS key (ARN) that encrypts the volume, and so the AMI's snapshot.
    /// </summary>
    public required string KmsKeyArn { get; init; }

    /// <summary>A stable name of the key (e.g. its alias or construct path) for the recipe version; never a token.</summary>
    public required string KmsKeyIdentity { get; init; }
}

/// <summary>Properties of an <see cref="ImageRecipe"/>.</summary>
public sealed record ImageRecipeProps
{
    /// <summary>The recipe's physical name.</summary>
    public required string Name { get; init; }

    /// <summary>Description. Default: none.</summary>
    public string? Description { get; init; }

    /// <summary>The image the build starts from.</summary>
    public required ParentImage ParentImage { get; init; }

    /// <summary>The components, in the order they run (1 to 20).</summary>
    public required IReadOnlyList<RecipeComponent> Components { get; init; }

    /// <summary>Volumes, the root volume first. Each is encrypted with its customer-managed key.</summary>
    public required IReadOnlyList<BlockDevice> BlockDevices { get; init; }

    /// <summary>Working directory on the build instance. Default: the service's (/tmp or C:/).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Uninstall the SSM agent after the build if Image Builder installed it. Default: false.</summary>
    public bool RemoveSsmAgent { get; init; }

    /// <summary>A user data script that replaces the service's (plain text; base64-encoded here). Default: none.</summary>
    public string? UserData { get; init; }

    /// <summary>Major and minor version nodes; the patch node follows the content. Default: "1.0".</summary>
    public string MajorMinor { get; init; } = "1.0";

    /// <summary>Tags. Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>A recipe rendered without a construct (<see cref="ImageRecipe.Render"/>).</summary>
/// <param name="Version">The recipe's version: the patch node follows the content.</param>
/// <param name="Resource">The AWS::ImageBuilder::ImageRecipe resource.</param>
public sealed record RenderedRecipe(string Version, CfnDefinition Resource);

/// <summary>
/// An Image Builder image recipe. Recipes are immutable per version: the version's patch node is
/// derived from everything that makes the recipe (parent, components and their versions, volumes,
/// keys, working directory, agent, user data), so an edit deploys as a new version and an
/// unchanged recipe keeps its physical identity.
/// </summary>
public sealed class ImageRecipe : Construct
{
    /// <summary>Creates the recipe.</summary>
    public ImageRecipe(Construct scope, string id, ImageRecipeProps props)
        : base(scope, id)
    {
        var rendered = RenderAt(props, () => Node.Path, this);
        Name = props.Name;
        Version = rendered.Version;
        ImageRecipeArn = Cfn.Resource(this, "Resource", rendered.Resource).Ref;
    }

    /// <summary>
    /// The recipe as CloudFormation, without creating a construct (for a <see cref="CfnFragment"/>):
    /// the props are checked, the version derived and the properties rendered as the construct does.
    /// </summary>
    /// <param name="props">The recipe.</param>
    /// <param name="where">Where the recipe is, for error messages (e.g. its construct path).</param>
    /// <param name="scope">A construct of the recipe's stack; asked only to resolve tokens in what the version follows.</param>
    public static RenderedRecipe Render(ImageRecipeProps props, string where, IConstruct scope) => RenderAt(props, () => where, scope);

    /// <summary>As above; <paramref name="where"/> is asked for only when a prop is rejected (a construct path costs a jsii call).</summary>
    private static RenderedRecipe RenderAt(ImageRecipeProps props, Func<string> where, IConstruct scope)
    {
        ArgumentNullException.ThrowIfNull(props);
        Naming.CheckImageBuilderName(props.Name, () => $"{where()}.Name");
        Validate(props, where);

        var userData = props.UserData is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(props.UserData));
        var fingerprint = string.Join(
            "\n",
            new[] { props.ParentImage.Fingerprint, props.WorkingDirectory ?? "", props.RemoveSsmAgent.ToString(), userData ?? "", props.Description ?? "" }
                .Concat(props.Components.Select(c => c.Component.Fingerprint + "?" + string.Join("&", (c.Parameters ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))))
                .Concat(props.BlockDevices.Select(b => $"{b.DeviceName}|{b.SizeGiB}|{b.VolumeType}|{b.Iops}|{b.ThroughputMiBps}|{b.KmsKeyIdentity}")));
        var version = $"{props.MajorMinor}.{Component.VersionNode(Component.Stable(scope, fingerprint))}";

        return new RenderedRecipe(version, CfnDefinition.Of("AWS::ImageBuilder::ImageRecipe", new Dictionary<string, object?>
        {
            ["Name"] = props.Name,
            ["Version"] = version,
            ["Description"] = props.Description is null ? null : Naming.Truncate(props.Description, 1024),
            ["ParentImage"] = props.ParentImage.Rendered,
            ["WorkingDirectory"] = props.WorkingDirectory,
            ["Components"] = props.Components.Select(c => (object)Cfn.Clean(new Dictionary<string, object?>
            {
                ["ComponentArn"] = c.Component.ComponentArn,
                ["Parameters"] = c.Parameters is not { Count: > 0 } parameters ? null : parameters
                    .OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => (object)new Dictionary<string, object> { ["Name"] = p.Key, ["Value"] = new object[] { p.Value } })
                    .ToArray(),
            })).ToArray(),
            ["BlockDeviceMappings"] = props.BlockDevices.Select(b => (object)new Dictionary<string, object>
            {
                ["DeviceName"] = b.DeviceName,
                ["Ebs"] = RenderEbs(b),
            }).ToArray(),
            ["AdditionalInstanceConfiguration"] = Cfn.Clean(new Dictionary<string, object?>
            {
                ["SystemsManagerAgent"] = new Dictionary<string, object> { ["UninstallAfterBuild"] = props.RemoveSsmAgent },
                ["UserDataOverride"] = userData,
            }),
            ["Tags"] = Cfn.TagMap(props.Tags),
        }));
    }

    /// <summary>The recipe's name.</summary>
    public string Name { get; }

    /// <summary>The recipe's version: the patch node follows the content.</summary>
    public string Version { get; }

    /// <summary>The recipe's ARN.</summary>
    public string ImageRecipeArn { get; }

    private static Dictionary<string, object> RenderEbs(BlockDevice b)
    {
        var ebs = new Dictionary<string, object>
        {
            ["VolumeSize"] = b.SizeGiB,
            ["VolumeType"] = b.VolumeType,
            ["Encrypted"] = true,
            ["KmsKeyId"] = b.KmsKeyArn,
            ["DeleteOnTermination"] = true,
        };
        if (b.Iops is { } iops)
        {
            ebs["Iops"] = iops;
        }

        if (b.ThroughputMiBps is { } throughput)
        {
            ebs["Throughput"] = throughput;
        }

        return ebs;
    }

    private static void Validate(ImageRecipeProps props, Func<string> where)
    {
        if (props.Components.Count < 1 || props.Components.Count > Builds.MaxComponents)
        {
            throw new ConstructValidationException($"{where()}.Components", $"{props.Components.Count} components", $"1 to {Builds.MaxComponents} components");
        }

        if (props.BlockDevices.Count == 0)
        {
            throw new ConstructValidationException($"{where()}.BlockDevices", "no block device", "at least the root volume, encrypted with a customer-managed key");
        }

        for (var i = 0; i < props.BlockDevices.Count; i++)
        {
            var b = props.BlockDevices[i];
            if (Ebs.Volume(new EbsVolume(b.VolumeType, b.SizeGiB, b.Iops, b.ThroughputMiBps)) is { } problem)
            {
                throw Checks.Exception($"{where()}.BlockDevices[{i}]", problem, part => part == Ebs.Parts.Type ? "VolumeType" : char.ToUpperInvariant(part[0]) + part[1..]);
            }

            if (string.IsNullOrEmpty(b.KmsKeyArn) || (!Checks.IsToken(b.KmsKeyArn) && b.KmsKeyArn.Contains("alias/aws/ebs", StringComparison.Ordinal)))
            {
                throw new ConstructValidationException($"{where()}.BlockDevices[{i}].KmsKeyArn", string.IsNullOrEmpty(b.KmsKeyArn) ? null : $"\"{b.KmsKeyArn}\"", "a customer-managed KMS key: AMIs encrypted with aws/ebs cannot be shared or copied to other accounts");
            }
        }

        if (props.UserData is not null)
        {
            Checks.Require($"{where()}.UserData", Builds.UserData(props.UserData));
        }
    }
}
