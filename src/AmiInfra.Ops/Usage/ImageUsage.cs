namespace AmiInfra.Ops.Usage;

/// <summary>The kinds of users of an AMI the usage check looks for, each found by one API or another.</summary>
public enum UserKind
{
    /// <summary>Instances launched from it, in any state but terminated.</summary>
    Instances,

    /// <summary>Launch templates, every version.</summary>
    LaunchTemplates,

    /// <summary>Auto Scaling launch configurations, and the groups that use them.</summary>
    LaunchConfigurations,

    /// <summary>SSM parameters that hold its id: those of data type aws:ec2:image, and the factory's own outputs.</summary>
    SsmParameters,

    /// <summary>Image Builder image and container recipes that build on it.</summary>
    Recipes,
}

/// <summary>Who uses one AMI in its region.</summary>
public sealed record ImageUsage
{
    /// <summary>The AMI.</summary>
    public required string ImageId { get; init; }

    /// <summary>Instances launched from it, in any state but terminated.</summary>
    public IReadOnlyList<string> Instances { get; init; } = [];

    /// <summary>Launch templates with a version that launches it: "lt-... (version 3)" or "lt-... (versions 2, 5)".</summary>
    public IReadOnlyList<string> LaunchTemplates { get; init; } = [];

    /// <summary>Launch configurations that launch it, with the Auto Scaling groups using each: "web-lc (Auto Scaling group web)".</summary>
    public IReadOnlyList<string> LaunchConfigurations { get; init; } = [];

    /// <summary>SSM parameters that hold its id.</summary>
    public IReadOnlyList<string> SsmParameters { get; init; } = [];

    /// <summary>Image Builder image and container recipes that build on it (ARNs).</summary>
    public IReadOnlyList<string> Recipes { get; init; } = [];

    /// <summary>True when anything uses it.</summary>
    public bool InUse => Instances.Count + LaunchTemplates.Count + LaunchConfigurations.Count + SsmParameters.Count + Recipes.Count > 0;

    /// <summary>The users in a few words, e.g. "2 instance(s) (i-1, i-2), launch template(s) lt-1 (version 3)".</summary>
    public string Summary()
    {
        var parts = new List<string>();
        Add(parts, Instances, "instance(s)");
        Add(parts, LaunchTemplates, "launch template(s)");
        Add(parts, LaunchConfigurations, "launch configuration(s)");
        Add(parts, SsmParameters, "SSM parameter(s)");
        Add(parts, Recipes, "Image Builder recipe(s)");
        return string.Join(", ", parts);
    }

    /// <summary>Every user with its kind: (instance, i-...), (launch-template, lt-... (version 2)), ...</summary>
    public IEnumerable<(string Kind, string Id)> Users() =>
        Instances.Select(i => ("instance", i))
            .Concat(LaunchTemplates.Select(l => ("launch-template", l)))
            .Concat(LaunchConfigurations.Select(l => ("launch-configuration", l)))
            .Concat(SsmParameters.Select(p => ("ssm-parameter", p)))
            .Concat(Recipes.Select(r => ("recipe", r)));

    private static void Add(List<string> parts, IReadOnlyList<string> items, string noun)
    {
        if (items.Count > 0)
        {
            var shown = string.Join(", ", items.Take(3)) + (items.Count > 3 ? $" and {items.Count - 3} more" : "");
            parts.Add($"{items.Count} {noun} ({shown})");
        }
    }
}

/// <summary>How one kind of user was looked for: by which API, or why it could not be.</summary>
/// <param name="Kind">The kind of user.</param>
/// <param name="Region">The region.</param>
/// <param name="Source">The API(s) that answered, or that were tried.</param>
/// <param name="NotChecked">Why it could not be checked (the missing permission), or null when it was.</param>
/// <param name="Instead">Why DescribeImageReferences did not answer for this kind, when its own API was used instead; else null.</param>
public sealed record UsageCoverage(UserKind Kind, string Region, string Source, string? NotChecked = null, string? Instead = null)
{
    /// <summary>The kind in words: "instances", "launch templates (every version)", ...</summary>
    public static string Name(UserKind kind) => kind switch
    {
        UserKind.Instances => "instances",
        UserKind.LaunchTemplates => "launch templates (every version)",
        UserKind.LaunchConfigurations => "launch configurations and their Auto Scaling groups",
        UserKind.SsmParameters => "SSM parameters",
        _ => "Image Builder recipes",
    };
}

/// <summary>The usage of a set of AMIs, and how each kind of user was looked for.</summary>
/// <param name="ByImage">The usage of each AMI asked about.</param>
/// <param name="Coverage">Each kind of user, in each region: which API answered, or why it could not.</param>
public sealed record UsageLookup(IReadOnlyDictionary<string, ImageUsage> ByImage, IReadOnlyList<UsageCoverage> Coverage)
{
    /// <summary>True when every kind of user was checked in every region.</summary>
    public bool Complete => Coverage.All(c => c.NotChecked is null);

    /// <summary>The kinds that could not be checked, one line each: "launch configurations ... in us-east-1: autoscaling:DescribeLaunchConfigurations denied (AccessDenied)".</summary>
    public IReadOnlyList<string> Gaps => Coverage.Where(c => c.NotChecked is not null).Select(c => $"{UsageCoverage.Name(c.Kind)} in {c.Region}: {c.NotChecked}").ToList();

    /// <summary>
    /// What was checked and how, in one sentence: "instances, launch templates (every version), SSM parameters, Image
    /// Builder recipes by DescribeImageReferences; launch configurations ... by DescribeLaunchConfigurations and
    /// DescribeAutoScalingGroups; ..." and, when the kinds' own APIs answered instead, why DescribeImageReferences did not.
    /// </summary>
    public string Source
    {
        get
        {
            if (Coverage.Count == 0)
            {
                return "no AMI to look up";
            }

            var checkedBy = Coverage.Where(c => c.NotChecked is null)
                .GroupBy(c => c.Source, StringComparer.Ordinal)
                .Select(g => $"{string.Join(", ", g.Select(c => UsageCoverage.Name(c.Kind)).Distinct(StringComparer.Ordinal))} by {g.Key}")
                .ToList();
            var instead = Coverage.Select(c => c.Instead).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var text = checkedBy.Count == 0 ? "nothing could be checked" : string.Join("; ", checkedBy);
            return instead.Count == 0 ? text : $"{text} ({string.Join("; ", instead)})";
        }
    }

    /// <summary>The usage of one AMI (none when it was not asked about).</summary>
    public ImageUsage For(string imageId) => ByImage.TryGetValue(imageId, out var usage) ? usage : new ImageUsage { ImageId = imageId };

    /// <summary>Several lookups (of several regions) as one.</summary>
    public static UsageLookup Merge(IEnumerable<UsageLookup> lookups)
    {
        var list = lookups.ToList();
        return new UsageLookup(
            list.SelectMany(l => l.ByImage).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            list.SelectMany(l => l.Coverage).ToList());
    }
}
