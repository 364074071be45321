using System.Text;
using System.Text.Json;
using AmiInfra.Rules;

namespace AmiInfra.Declaration;

/// <summary>
/// Reads a factory declaration (JSON) and validates it completely: the result is a typed
/// <see cref="Factory"/>, or a <see cref="DeclarationException"/> naming the first bad field.
/// Each part of the declaration has its reader (<see cref="BuildReader"/>, <see cref="ImageReader"/>,
/// <see cref="ComponentsReader"/>, <see cref="DistributionReader"/>, <see cref="LifecycleReader"/>,
/// <see cref="DeliveryReader"/>, <see cref="GovernanceReader"/>); what AWS accepts comes from the rules (<c>AmiInfra.Rules</c>),
/// and the readers only say where a value is.
/// </summary>
public static class FactoryLoader
{
    /// <summary>The declaration file looked for when a folder is given.</summary>
    public const string DefaultFileName = "factory.json";

    // The fields each object of the declaration accepts, in the order error messages list them.
    // factory/factory.schema.json declares the same fields (a test compares them).

    /// <summary>The fields of the declaration's top-level object (besides <c>$schema</c>).</summary>
    internal static readonly string[] FactoryFields =
        ["name", "description", "account", "region", "organization", "allowPublicImages", "build", "delivery", "distribution", "lifecycle", "governance", "tags", "images"];

    /// <summary>Loads a declaration from a file, or from <c>factory.json</c> in a folder.</summary>
    public static Factory Load(string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, DefaultFileName) : path;
        if (!File.Exists(file))
        {
            throw new DeclarationException(file, "a file that does not exist", $"a factory declaration file (a folder holding {DefaultFileName}, or a .json file)");
        }

        var text = File.ReadAllText(file, Encoding.UTF8);
        return Parse(text, Path.GetDirectoryName(Path.GetFullPath(file))!, file);
    }

    /// <summary>Parses a declaration from its text; component files are looked up under <paramref name="baseDirectory"/>.</summary>
    public static Factory Parse(string json, string baseDirectory, string source = "declaration")
    {
        using var document = StrictJson.Parse(json, source);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new DeclarationException(source, JsonFields.Render(document.RootElement), "a JSON object describing the factory");
        }

        return ReadFactory(document.RootElement, baseDirectory);
    }

    private static Factory ReadFactory(JsonElement root, string baseDirectory)
    {
        var f = JsonFields.Open(root, "", FactoryFields);
        var name = f.Checked("name", PhysicalNames.Factory);
        var account = f.Checked("account", Identifiers.AccountId);
        var region = f.Checked("region", Partitions.Region, Partitions.RegionAccepted);
        var organization = BuildReader.ReadOrganization(f, account);
        var allowPublic = f.OptionalBool("allowPublicImages") ?? false;
        var buildWarnings = new List<string>();
        var build = BuildReader.ReadBuild(f, baseDirectory, region, buildWarnings);
        // The factory's tags go on every stack and every resource CloudFormation tags, Image Builder's included.
        var tags = TagsReader.Read(f, "tags", TagRules.Aws, TagRules.Stack, TagRules.ImageBuilder);

        var governance = GovernanceReader.Read(f, account);
        var context = new FactoryContext(name, account, region, Partitions.Of(region)!, organization, allowPublic, baseDirectory)
        {
            Tags = tags,
            ImageBlockPublicAccess = governance.ImageBlockPublicAccess,
            BuildInstanceTypes = build.InstanceTypes,
            BuildInstanceTypesDeclared = f.Element("build") is { } b && b.TryGetProperty("instanceTypes", out var declared) && declared.ValueKind != JsonValueKind.Null,
            BuildHasSubnet = build.SubnetId is not null || build.Network == "factory-vpc",
        };
        context.Warnings.AddRange(buildWarnings);
        var distributionDefaults = f.OptionalObject("distribution", DistributionReader.Fields);
        var lifecycleDefaults = f.Element("lifecycle");
        if (lifecycleDefaults is { } factoryLifecycle)
        {
            // Checked whole even when every image has its own: a bad block is never left lying in wait.
            LifecycleReader.Read(factoryLifecycle, "lifecycle", context);
        }

        var images = f.Array("images");
        if (images.Count == 0)
        {
            throw new DeclarationException("images", f.Has("images") ? "an empty list" : null, "a list of at least one image");
        }

        var result = new List<Image>(images.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < images.Count; i++)
        {
            var image = ImageReader.Read(images[i], $"images[{i}]", context, distributionDefaults, lifecycleDefaults);
            if (seen.TryGetValue(image.Name, out var first))
            {
                throw new DeclarationException($"images[{i}].name", JsonFields.Quote(image.Name), $"a name not already used by images[{first}]");
            }

            seen[image.Name] = i;
            result.Add(image);
        }

        if (result.Any(i => i.Distribution.TargetAccounts.Count > 0) && TagRules.StackSet.Check(tags) is { } stackSetProblem)
        {
            throw new DeclarationException(
                stackSetProblem.Part is null ? "tags" : $"tags.{stackSetProblem.Part}",
                stackSetProblem.Value,
                $"{stackSetProblem.Accepted}: images are copied into targetAccounts, so the factory deploys a StackSet, which carries the factory's tags");
        }

        return new Factory
        {
            Name = name,
            Description = f.OptionalString("description", "text") ?? "",
            Account = account,
            Region = region,
            Organization = organization,
            AllowPublicImages = allowPublic,
            Build = build,
            Delivery = DeliveryReader.Read(f, context),
            Governance = governance,
            Tags = tags,
            Images = WorkflowsReader.Name(ComponentsReader.Name(result, name), name, context.Warnings),
            BaseDirectory = baseDirectory,
            Warnings = [.. context.Warnings, .. GovernanceReader.Warnings(governance, organization, result)],
        };
    }

    /// <summary>Throws when <paramref name="relative"/> is not a file under the declaration's folder.</summary>
    internal static void RequireFile(string path, string relative, string baseDirectory, string what)
    {
        if (Path.IsPathRooted(relative))
        {
            throw new DeclarationException(path, JsonFields.Quote(relative), $"a path to {what}, relative to the declaration");
        }

        if (!File.Exists(Path.Combine(baseDirectory, relative)))
        {
            throw new DeclarationException(path, $"{JsonFields.Quote(relative)}, which does not exist next to the declaration", $"a path to {what}, relative to the declaration");
        }
    }
}

/// <summary>What the readers of one part of a declaration know of the factory.</summary>
/// <param name="Name">The factory name.</param>
/// <param name="Account">The factory account.</param>
/// <param name="Region">The home region.</param>
/// <param name="Partition">The partition of the home region: every region and ARN must be of it.</param>
/// <param name="Organization">The organization, when declared.</param>
/// <param name="AllowPublic">The opt-in to public AMIs.</param>
/// <param name="BaseDirectory">The folder of the declaration.</param>
internal sealed record FactoryContext(
    string Name, string Account, string Region, Partition Partition, OrganizationSettings? Organization, bool AllowPublic, string BaseDirectory)
{
    /// <summary>Whether the governance blocks public access for AMIs (a public launch permission then cannot work).</summary>
    public bool ImageBlockPublicAccess { get; init; }

    /// <summary>The factory's instance types, which every image without its own builds on. Default: the default of build.instanceTypes.</summary>
    public IReadOnlyList<string> BuildInstanceTypes { get; init; } = new BuildSettings().InstanceTypes;

    /// <summary>Whether the declaration gave build.instanceTypes (else they are the default).</summary>
    public bool BuildInstanceTypesDeclared { get; init; }

    /// <summary>Whether build instances run in a subnet the factory names (build.subnetId, or the factory's VPC), whose Availability Zone is then theirs.</summary>
    public bool BuildHasSubnet { get; init; }

    /// <summary>The factory's tags, which every image's resources and AMIs carry too.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new SortedDictionary<string, string>();

    /// <summary>The warnings of the whole declaration, each starting with its field.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Workflow documents already read, by file and stage: each is read once.</summary>
    public Dictionary<(string File, AmiInfra.Rules.Workflows.WorkflowStage Stage), AmiInfra.Rules.Workflows.WorkflowDocument> WorkflowDocuments { get; } = [];

    /// <summary>Component documents already read, by file and platform: each is read once.</summary>
    public Dictionary<(string File, Platform Platform), AmiInfra.Rules.Awstoe.ToeDocument> Documents { get; } = [];

    /// <summary>A region of the factory's partition (AMIs never cross partitions).</summary>
    public string RegionAt(string value, string path)
    {
        JsonFields.Require(path, Partitions.RegionIn(value, Partition));
        return value;
    }
}
