using System.Text;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>How a recipe is checked, versioned and rendered, with or without a construct.</summary>
public sealed partial class ImageRecipe
{
    /// <summary>
    /// The recipe as CloudFormation, without creating a construct (for a <see cref="CfnFragment"/>):
    /// the props are checked, the version derived and the properties rendered as the construct does.
    /// </summary>
    /// <param name="props">The recipe; <see cref="ImageRecipeProps.ImageRecipeName"/> is required here (there is no construct path to derive one from).</param>
    /// <param name="where">Where the recipe is, for error messages (e.g. its construct path).</param>
    /// <param name="scope">A construct of the recipe's stack; asked only to resolve tokens in what the version follows.</param>
    public static RenderedRecipe Render(ImageRecipeProps props, string where, IConstruct scope) => RenderAt(props, () => where, scope);

    /// <summary>As above; <paramref name="where"/> is asked for only when a prop is rejected (a construct path costs a jsii call).</summary>
    private static RenderedRecipe RenderAt(ImageRecipeProps props, Func<string> where, IConstruct scope)
    {
        ArgumentNullException.ThrowIfNull(props);
        var name = props.ImageRecipeName ?? throw new ConstructValidationException($"{where()}.ImageRecipeName", null, "a recipe name (ImageRecipe.Render has no construct path to generate one from)");
        Naming.CheckImageBuilderName(name, () => $"{where()}.ImageRecipeName");
        Validate(props, where);
        Checks.Description($"{where()}.Description", props.Description);

        var userData = props.UserData is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(props.UserData));
        var keyArns = props.BlockDevices.Select(b => Attributes.KeyArn(b.KmsKey)).ToArray();
        var fingerprint = string.Join(
            "\n",
            new[] { props.ParentImage.Fingerprint, props.WorkingDirectory ?? "", props.RemoveSsmAgent.ToString(), userData ?? "", props.Description ?? "" }
                .Concat(props.Components.Select(c => Component.FingerprintOf(c.Component) + "?" + string.Join("&", (c.Parameters ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))))
                .Concat(props.BlockDevices.Select((b, i) => $"{b.DeviceName}|{b.SizeGiB}|{b.VolumeType}|{b.Iops}|{b.ThroughputMiBps}|{KeyIdentity(keyArns[i])}")));
        var version = $"{props.MajorMinor}.{Component.VersionNode(Component.Stable(scope, fingerprint))}";

        return new RenderedRecipe(name, version, CfnDefinition.Of("AWS::ImageBuilder::ImageRecipe", new Dictionary<string, object?>
        {
            ["Name"] = name,
            ["Version"] = version,
            ["Description"] = props.Description,
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
            ["BlockDeviceMappings"] = props.BlockDevices.Select((b, i) => (object)new Dictionary<string, object>
            {
                ["DeviceName"] = b.DeviceName,
                ["Ebs"] = RenderEbs(b, keyArns[i]),
            }).ToArray(),
            ["AdditionalInstanceConfiguration"] = Cfn.Clean(new Dictionary<string, object?>
            {
                ["SystemsManagerAgent"] = new Dictionary<string, object> { ["UninstallAfterBuild"] = props.RemoveSsmAgent },
                ["UserDataOverride"] = userData,
            }),
            ["Tags"] = Cfn.TagMap(props.Tags),
        })) { ParentImage = props.ParentImage };
    }

    /// <summary>
    /// What identifies a key for the recipe version, without tokens: the resource part of a plain ARN
    /// (<c>alias/golden/build</c>, <c>key/1234abcd-...</c>), or a token ARN as is, which the version then
    /// resolves (to what it refers to, e.g. the key's logical id).
    /// </summary>
    private static string KeyIdentity(string keyArn) =>
        !Checks.IsToken(keyArn) && keyArn.Split(':', 6) is [_, _, _, _, _, var resource] ? resource : keyArn;

    private static Dictionary<string, object> RenderEbs(BlockDevice b, string keyArn)
    {
        var ebs = new Dictionary<string, object>
        {
            ["VolumeSize"] = b.SizeGiB,
            ["VolumeType"] = b.VolumeType,
            ["Encrypted"] = true,
            ["KmsKeyId"] = keyArn,
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

            var keyArn = b.KmsKey is null ? null : Attributes.KeyArn(b.KmsKey);
            if (string.IsNullOrEmpty(keyArn) || (!Checks.IsToken(keyArn) && keyArn.Contains("alias/aws/ebs", StringComparison.Ordinal)))
            {
                throw new ConstructValidationException($"{where()}.BlockDevices[{i}].KmsKey", string.IsNullOrEmpty(keyArn) ? null : $"\"{keyArn}\"", "a customer-managed KMS key: AMIs encrypted with aws/ebs cannot be shared or copied to other accounts");
            }
        }

        if (props.UserData is not null)
        {
            Checks.Require($"{where()}.UserData", Builds.UserData(props.UserData));
        }

        // The root volume is made from the parent's root snapshot: refused when smaller than a snapshot whose size is
        // known. An unknown parent is left to the build (the declaration loader warns of it).
        if (props.ParentImage.Kind == "ssm" && !Checks.IsToken(props.ParentImage.Value)
            && ParentImages.Of(props.ParentImage.Value) is not null
            && ParentImages.RootVolume(props.BlockDevices[0].SizeGiB, props.ParentImage.Value, out _) is { } tooSmall)
        {
            throw Checks.Exception($"{where()}.BlockDevices[0].SizeGiB", tooSmall);
        }
    }
}
