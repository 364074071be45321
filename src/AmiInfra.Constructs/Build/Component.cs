using System.Security.Cryptography;
using System.Text;
using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using AmiInfra.Rules;
using AmiInfra.Rules.Awstoe;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>An EC2 Image Builder component: one of ours, an imported one, or one AWS manages.</summary>
public interface IComponent : IResource
{
    /// <summary>The component's ARN (with its version, or a version filter such as x.x.x).</summary>
    string ComponentArn { get; }

    /// <summary>The component's name.</summary>
    string ComponentName { get; }

    /// <summary>The component's version, or a version filter.</summary>
    string ComponentVersion { get; }

    /// <summary>Lets <paramref name="grantee"/> perform <paramref name="actions"/> on the component.</summary>
    Grant Grant(IGrantable grantee, params string[] actions);

    /// <summary>Lets <paramref name="grantee"/> read the component (imagebuilder:GetComponent).</summary>
    Grant GrantRead(IGrantable grantee);
}

/// <summary>
/// A component from a document of ours. Image Builder components are immutable per version: the
/// version's patch node is derived from the content (document, platform, description, key), so a
/// changed document deploys as a new version instead of failing with "already exists", and an
/// unchanged one keeps its version and is not replaced.
/// </summary>
public sealed class Component : ImageBuilderResource, IComponent, IFingerprinted
{
    /// <summary>Highest value Image Builder accepts in one version node (2^30 - 1).</summary>
    public const long MaxVersionNode = (1L << 30) - 1;

    private const string ReadAction = "imagebuilder:GetComponent";

    /// <summary>Creates the component.</summary>
    public Component(Construct scope, string id, ComponentProps props)
        : base(scope, id, ReadAction)
    {
        ArgumentNullException.ThrowIfNull(props);
        ComponentName = props.ComponentName ?? Naming.Generated(this);
        Naming.CheckImageBuilderName(ComponentName, () => $"{Node.Path}.ComponentName");
        if (!System.Text.RegularExpressions.Regex.IsMatch(props.MajorMinor, "^[0-9]{1,9}\\.[0-9]{1,9}$"))
        {
            throw new ConstructValidationException($"{Node.Path}.MajorMinor", $"\"{props.MajorMinor}\"", "major and minor version nodes such as 1.0");
        }

        // The document, checked again for the component's platform (a Windows component cannot use ExecuteBash).
        ComponentDocument.Read(props.Document.Text, props.Document.Source, props.Platform == ComponentPlatform.Windows ? ToePlatforms.Windows : ToePlatforms.Linux);
        var description = props.Description ?? props.Document.Description ?? $"{ComponentName} component";
        Checks.Description($"{Node.Path}.Description", description);
        var kmsKeyArn = props.KmsKey?.KeyArn;
        ComponentVersion = $"{props.MajorMinor}.{VersionNode(props.Document.Text, props.Platform.ToString(), Stable(this, description), Stable(this, kmsKeyArn ?? ""))}";

        var resource = Cfn.Resource(this, "Resource", "AWS::ImageBuilder::Component", new Dictionary<string, object?>
        {
            ["Name"] = ComponentName,
            ["Version"] = ComponentVersion,
            ["Platform"] = props.Platform.ToString(),
            ["Description"] = description,
            ["ChangeDescription"] = $"Content fingerprint {props.Document.Fingerprint[..12]}",
            ["Data"] = props.Document.Document.FitsInline ? props.Document.Text : null,
            ["Uri"] = props.Document.Document.FitsInline ? null : UploadedDocument(props.Document),
            ["KmsKeyId"] = kmsKeyArn,
            ["Tags"] = Cfn.TagMap(props.Tags),
        });
        ComponentArn = resource.Ref;
    }

    /// <inheritdoc />
    public string ComponentName { get; }

    /// <summary>The version, e.g. 1.0.483920117: the patch node follows the content.</summary>
    public string ComponentVersion { get; }

    /// <inheritdoc />
    public string ComponentArn { get; }

    /// <summary>What identifies the component's content: its name and version. A recipe's version follows it.</summary>
    public string Fingerprint => $"{ComponentName}/{ComponentVersion}";

    /// <inheritdoc />
    protected override string GrantedArn => ComponentArn;

    /// <summary>Imports a component by ARN (with its version or a version filter).</summary>
    public static IComponent FromComponentArn(Construct scope, string id, string componentArn) =>
        FromComponentAttributes(scope, id, new ComponentAttributes { ComponentArn = componentArn });

    /// <summary>Imports a component of this account and region by name, at its newest version (x.x.x).</summary>
    public static IComponent FromComponentName(Construct scope, string id, string componentName) =>
        FromComponentAttributes(scope, id, new ComponentAttributes { ComponentName = componentName });

    /// <summary>Imports a component by ARN, or by name and version (of this account and region).</summary>
    public static IComponent FromComponentAttributes(Construct scope, string id, ComponentAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.ComponentArn is { } arn)
        {
            if (attributes.ComponentName is not null || attributes.ComponentVersion is not null)
            {
                throw new ConstructValidationException($"{scope.Node.Path}/{id}.ComponentName", attributes.ComponentName ?? attributes.ComponentVersion, "no name or version with an ARN (the ARN names both)");
            }

            var nameAndVersion = Naming.ResourceNameOf(scope, arn, "component");
            var (name, version) = Checks.IsToken(nameAndVersion)
                ? (Fn.Select(0, Fn.Split("/", nameAndVersion)), Fn.Select(1, Fn.Split("/", nameAndVersion)))
                : (nameAndVersion.Split('/')[0], nameAndVersion.Split('/').ElementAtOrDefault(1) ?? "x.x.x");
            return new Imported(scope, id, arn, name, version);
        }

        if (attributes.ComponentName is not { } componentName)
        {
            throw new ConstructValidationException($"{scope.Node.Path}/{id}.ComponentArn", null, "a component ARN or a component name");
        }

        var componentVersion = attributes.ComponentVersion ?? "x.x.x";
        Checks.Shape($"{scope.Node.Path}/{id}.ComponentVersion", componentVersion, Identifiers.VersionFilter);
        var formatted = Naming.ImageBuilderArnOfName(scope, id, "component", componentName, "ComponentName", componentVersion);
        return new Imported(scope, id, formatted, componentName, componentVersion);
    }

    /// <summary>
    /// An AWS-managed component by name (e.g. update-linux, update-windows), in the stack's partition and region, by
    /// reference (no construct, no jsii call: for recipes rendered by the hundred). Version default: x.x.x (the newest).
    /// </summary>
    public static IComponent FromManaged(string name, string version = "x.x.x")
    {
        Checks.Require("Component.FromManaged", Identifiers.ManagedComponentName.Check(name));
        Checks.Require($"Component.FromManaged({name})", Identifiers.VersionFilter.Check(version));

        return new Named($"arn:{Naming.Partition}:imagebuilder:{Naming.Region}:aws:component/{name}/{version}", name, version, $"aws/{name}/{version}");
    }

    /// <summary>
    /// A component of ours by name and version, from any stack of the same account and region, by reference (no
    /// construct): the ARN is built from the name, so no cross-stack export ties the stacks together.
    /// </summary>
    public static IComponent FromNameAndVersion(string name, string version)
    {
        Naming.CheckImageBuilderName(name, () => "Component.FromNameAndVersion");
        return new Named(Naming.ImageBuilderArn("component", $"{name}/{version}/1"), name, version, $"{name}/{version}");
    }

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

    /// <summary>What a recipe's version follows for <paramref name="component"/>: ours say their content; others, their ARN.</summary>
    internal static string FingerprintOf(IComponent component) => component is IFingerprinted f ? f.Fingerprint : component.ComponentArn;

    /// <summary>
    /// A document longer than Image Builder takes inline (16,000 characters of CreateComponent's
    /// <c>data</c>) goes by S3 <c>uri</c>: it is staged as a CDK file asset named after its content
    /// (<see cref="DocumentAsset"/>). Deploying needs the asset bucket of <c>cdk bootstrap</c>.
    /// </summary>
    private string UploadedDocument(ComponentDocument document) => DocumentAsset.Upload(this, "components", document.Text, document.Fingerprint);

    /// <summary>A component imported as a construct.</summary>
    private sealed class Imported(Construct scope, string id, string arn, string name, string version) : ImageBuilderResource(scope, id, ReadAction), IComponent, IFingerprinted
    {
        public string ComponentArn { get; } = arn;

        public string ComponentName { get; } = name;

        public string ComponentVersion { get; } = version;

        public string Fingerprint => Checks.IsToken(ComponentArn) ? Stable(this, ComponentArn) : ComponentArn;

        protected override string GrantedArn => ComponentArn;
    }

    /// <summary>A component by reference, without a construct.</summary>
    private sealed class Named(string arn, string name, string version, string fingerprint)
        : ImageBuilderReference($"the component {name}/{version}", "Component.FromComponentAttributes(scope, id, ...)", ReadAction), IComponent, IFingerprinted
    {
        public string ComponentArn { get; } = arn;

        public string ComponentName { get; } = name;

        public string ComponentVersion { get; } = version;

        public string Fingerprint { get; } = fingerprint;

        protected override string GrantedArn => ComponentArn;
    }
}
