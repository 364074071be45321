namespace AmiInfra.Ops.Usage;

/// <summary>Who uses one AMI in its region: instances, launch templates, SSM parameters, Image Builder recipes.</summary>
public sealed record ImageUsage
{
    /// <summary>The AMI.</summary>
    public required string ImageId { get; init; }

    /// <summary>Instances launched from it, in any state but terminated.</summary>
    public IReadOnlyList<string> Instances { get; init; } = [];

    /// <summary>Launch templates whose default or latest version launches it (lt-..., with the version when known).</summary>
    public IReadOnlyList<string> LaunchTemplates { get; init; } = [];

    /// <summary>SSM parameters that hold its id.</summary>
    public IReadOnlyList<string> SsmParameters { get; init; } = [];

    /// <summary>Image Builder image and container recipes that build on it (ARNs).</summary>
    public IReadOnlyList<string> Recipes { get; init; } = [];

    /// <summary>True when anything uses it.</summary>
    public bool InUse => Instances.Count + LaunchTemplates.Count + SsmParameters.Count + Recipes.Count > 0;

    /// <summary>The users in a few words, e.g. "2 instance(s) (i-1, i-2), launch template lt-1 (version 3)".</summary>
    public string Summary()
    {
        var parts = new List<string>();
        Add(parts, Instances, "instance(s)");
        Add(parts, LaunchTemplates, "launch template(s)");
        Add(parts, SsmParameters, "SSM parameter(s)");
        Add(parts, Recipes, "Image Builder recipe(s)");
        return string.Join(", ", parts);
    }

    /// <summary>Every user with its kind: (instance, i-...), (launch-template, lt-... (version 2)), ...</summary>
    public IEnumerable<(string Kind, string Id)> Users() =>
        Instances.Select(i => ("instance", i))
            .Concat(LaunchTemplates.Select(l => ("launch-template", l)))
            .Concat(SsmParameters.Select(p => ("ssm-parameter", p)))
            .Concat(Recipes.Select(r => ("recipe", r)));

    private static void Add(List<string> parts, IReadOnlyList<string> items, string noun)
    {
        if (items.Count > 0)
        {
            var shown = string.Join(", ", items.Take(3)) + (items.Count > 3 ? ", ..." : "");
            parts.Add($"{items.Count} {noun} ({shown})");
        }
    }
}

/// <summary>The usage of a set of AMIs of one region, and which API answered.</summary>
/// <param name="ByImage">The usage of each AMI asked about.</param>
/// <param name="Source">DescribeImageReferences, or the fallback and why it was used.</param>
public sealed record UsageLookup(IReadOnlyDictionary<string, ImageUsage> ByImage, string Source)
{
    /// <summary>The usage of one AMI (none when it was not asked about).</summary>
    public ImageUsage For(string imageId) => ByImage.TryGetValue(imageId, out var usage) ? usage : new ImageUsage { ImageId = imageId };
}
