using System.Security.Cryptography;
using System.Text;
using Amazon.CDK;
using AmiInfra.Rules;
using AmiInfra.Rules.Awstoe;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>An Image Builder component: one of ours, or one AWS manages.</summary>
public interface IComponent
{
    /// <summary>The component's ARN (with its version).</summary>
    string ComponentArn { get; }

    /// <summary>
    /// What identifies the component's content: its name and version. A recipe's version follows
    /// the fingerprints of its components, so a changed component makes a new recipe version.
    /// </summary>
    string Fingerprint { get; }
}

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
    /// <summary>The component's physical name (1 to 126 characters: letters, digits, '-', '_').</summary>
    public required string Name { get; init; }

    /// <summary>The document, already checked (see <see cref="ComponentDocument.FromFile"/>).</summary>
    public required ComponentDocument Document { get; init; }

    /// <summary>Linux or Windows.</summary>
    public required ComponentPlatform Platform { get; init; }

    /// <summary>
    /// Major and minor version nodes ("1.0"); the patch node is derived from the content. Default: "1.0".
    /// </summary>
    public string MajorMinor { get; init; } = "1.0";

    /// <summary>Description. Default: the document's description.</summary>
    public string? Description { get; init; }

    /// <summary>KMS key (ARN) that encrypts the component document. Default: an AWS-owned key.</summary>
    public string? KmsKeyArn { get; init; }

    /// <summary>Tags. Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A component from a document of ours. Image Builder components are immutable per version: the
/// version's patch node is derived from the content (document, platform, description, key), so a
/// changed document deploys as a new version instead of failing with "already exists", and an
/// unchanged one keeps its version and is not replaced.
/// </summary>
public sealed class Component : Construct, IComponent
{
    /// <summary>Highest value Image Builder accepts in one version node (2^30 - 1).</summary>
    public const long MaxVersionNode = (1L << 30) - 1;

    /// <summary>Creates the component.</summary>
    public Component(Construct scope, string id, ComponentProps props)
        : base(scope, id)
    {
        Naming.CheckImageBuilderName(props.Name, () => $"{Node.Path}.Name");
        if (!System.Text.RegularExpressions.Regex.IsMatch(props.MajorMinor, "^[0-9]{1,9}\\.[0-9]{1,9}$"))
        {
            throw new ConstructValidationException($"{Node.Path}.MajorMinor", $"\"{props.MajorMinor}\"", "major and minor version nodes such as 1.0");
        }

        // The document, checked again for the component's platform (a Windows component cannot use ExecuteBash).
        ComponentDocument.Read(props.Document.Text, props.Document.Source, props.Platform == ComponentPlatform.Windows ? ToePlatforms.Windows : ToePlatforms.Linux);
        var description = props.Description ?? props.Document.Description ?? $"{props.Name} component";
        Version = $"{props.MajorMinor}.{VersionNode(props.Document.Text, props.Platform.ToString(), Stable(this, description), Stable(this, props.KmsKeyArn ?? ""))}";
        Name = props.Name;

        var resource = Cfn.Resource(this, "Resource", "AWS::ImageBuilder::Component", new Dictionary<string, object?>
        {
            ["Name"] = props.Name,
            ["Version"] = Version,
            ["Platform"] = props.Platform.ToString(),
            ["Description"] = Naming.Truncate(description, 1024),
            ["ChangeDescription"] = $"Content fingerprint {props.Document.Fingerprint[..12]}",
            ["Data"] = props.Document.Document.FitsInline ? props.Document.Text : null,
            ["Uri"] = props.Document.Document.FitsInline ? null : UploadedDocument(props.Document),
            ["KmsKeyId"] = props.KmsKeyArn,
            ["Tags"] = Cfn.TagMap(props.Tags),
        });
        ComponentArn = resource.Ref;
    }

    /// <summary>The component's name.</summary>
    public string Name { get; }

    /// <summary>
    /// A document longer than Image Builder takes inline (16,000 characters of CreateComponent's
    /// <c>data</c>) goes by S3 <c>uri</c>: it is staged as a CDK file asset, named after its content, so
    /// the asset (and the template) change exactly when the document does. Deploying needs the asset
    /// bucket of <c>cdk bootstrap</c>.
    /// </summary>
    private string UploadedDocument(ComponentDocument document)
    {
        // A folder of this user's alone; the file is written whole under another name, then moved.
        var folder = Path.Combine(Path.GetTempPath(), $"amiinfra-components-{System.Environment.UserName}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var file = Path.Combine(folder, $"{document.Fingerprint}.yml");
        if (!File.Exists(file))
        {
            var partial = $"{file}.{Guid.NewGuid():N}";
            File.WriteAllText(partial, document.Text, new System.Text.UTF8Encoding(false));
            File.Move(partial, file, overwrite: true);
        }

        return new Amazon.CDK.AWS.S3.Assets.Asset(this, "Document", new Amazon.CDK.AWS.S3.Assets.AssetProps { Path = file }).S3ObjectUrl;
    }

    /// <summary>The version, e.g. 1.0.483920117: the patch node follows the content.</summary>
    public string Version { get; }

    /// <inheritdoc />
    public string ComponentArn { get; }

    /// <inheritdoc />
    public string Fingerprint => $"{Name}/{Version}";

    /// <summary>
    /// An AWS-managed component by name (e.g. update-linux, update-windows), resolved to its ARN
    /// in the stack's partition and region. Version default: x.x.x (the newest).
    /// </summary>
    public static IComponent FromManaged(string name, string version = "x.x.x")
    {
        Checks.Require("Component.FromManaged", Identifiers.ManagedComponentName.Check(name));
        Checks.Require($"Component.FromManaged({name})", Identifiers.VersionFilter.Check(version));

        return new ManagedComponent($"arn:{Naming.Partition}:imagebuilder:{Naming.Region}:aws:component/{name}/{version}", $"aws/{name}/{version}");
    }

    /// <summary>
    /// A component of ours by name and version, from any stack of the same account and region:
    /// the ARN is built from the name, so no cross-stack export ties the stacks together.
    /// </summary>
    public static IComponent FromNameAndVersion(string name, string version)
    {
        Naming.CheckImageBuilderName(name, () => "Component.FromNameAndVersion");
        return new ManagedComponent(
            $"arn:{Naming.Partition}:imagebuilder:{Naming.Region}:{Naming.Account}:component/{name.ToLowerInvariant()}/{version}/1",
            $"{name}/{version}");
    }

    /// <summary>A component of ours already deployed, by ARN (e.g. from another stack).</summary>
    public static IComponent FromComponentArn(string arn) => new ManagedComponent(arn, arn);

    /// <summary>The patch node of the version: a hash of the content, within Image Builder's range.</summary>
    internal static long VersionNode(params string[] content)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", content)));
        return (long)(BitConverter.ToUInt64(hash, 0) % (ulong)(MaxVersionNode + 1));
    }

    /// <summary>
    /// <paramref name="text"/> as a version may depend on it. A token's text counts the tokens
    /// created before it, so any edit earlier in the app would change it: text holding tokens is
    /// replaced by its resolved form (what it refers to, e.g. a key's logical id).
    /// </summary>
    internal static string Stable(IConstruct scope, string text) =>
        text.Contains("${Token[", StringComparison.Ordinal) && Token.IsUnresolved(text)
            ? System.Text.Json.JsonSerializer.Serialize(Stack.Of(scope).Resolve(text))
            : text;

    private sealed record ManagedComponent(string ComponentArn, string Fingerprint) : IComponent;
}
