using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>The processor architecture of an instance type or an image, as EC2 names it (ProcessorInfo.SupportedArchitectures, Image.Architecture).</summary>
public enum Architecture
{
    /// <summary>x86_64 (Intel and AMD): what Windows Server and most Linux AMIs run on.</summary>
    X86_64,

    /// <summary>arm64 (AWS Graviton): Linux only.</summary>
    Arm64,

    /// <summary>x86_64_mac (Intel Mac instances): macOS only.</summary>
    X86_64Mac,

    /// <summary>arm64_mac (Apple silicon Mac instances): macOS only.</summary>
    Arm64Mac,
}

/// <summary>An EC2 instance family: its name (the part before the dot), processor architecture and sizes.</summary>
/// <param name="Name">The family, such as m7i or u-6tb1.</param>
/// <param name="Architecture">The processor architecture of every size of the family.</param>
/// <param name="SizeList">Its sizes, smallest first, separated by spaces.</param>
public sealed record InstanceFamily(string Name, Architecture Architecture, string SizeList)
{
    /// <summary>Its sizes, smallest first.</summary>
    public IReadOnlyList<string> Sizes { get; } = SizeList.Split(' ');
}

/// <summary>
/// Which EC2 instance types exist, and which images they can build: the catalogue
/// (<see cref="Families"/>, generated from EC2's own lists by .ci/instance-type-catalog.py, and tested against
/// cfn-lint's lists so that it cannot go stale silently) and the rules over it. A build instance is launched from the
/// parent image, so its instance type must support the parent's architecture (an instance type supports the
/// architectures of its ProcessorInfo.SupportedArchitectures, an AMI has one Architecture: DescribeInstanceTypes and
/// DescribeImages, https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ProcessorInfo.html and
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html). Graviton (arm64) instances run Linux and
/// FreeBSD, not Windows (AWS's "Operating Systems available for Graviton based instances",
/// https://github.com/aws/aws-graviton-getting-started/blob/main/os.md); Mac instances run macOS only ("Amazon EC2
/// Mac instances", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-mac-instances.html). What the catalogue
/// does not know is a warning, never an error: AWS adds families after any catalogue.
/// </summary>
public static partial class InstanceTypes
{
    private static readonly Dictionary<string, InstanceFamily> ByName = Families.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The family of <paramref name="instanceType"/>, when the catalogue has it.</summary>
    public static InstanceFamily? FamilyOf(string instanceType) =>
        instanceType.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot && ByName.TryGetValue(instanceType[..dot], out var family) ? family : null;

    /// <summary>The architecture of <paramref name="instanceType"/>, when the catalogue has its family.</summary>
    public static Architecture? ArchitectureOf(string instanceType) => FamilyOf(instanceType)?.Architecture;

    /// <summary>Whether the catalogue has the instance type itself (its family and that size of it).</summary>
    public static bool Contains(string instanceType) =>
        FamilyOf(instanceType) is { } family && family.Sizes.Contains(instanceType[(family.Name.Length + 1)..], StringComparer.Ordinal);

    /// <summary>The architecture as EC2 writes it (x86_64, arm64, x86_64_mac, arm64_mac).</summary>
    public static string Name(Architecture architecture) => architecture switch
    {
        Architecture.X86_64 => "x86_64",
        Architecture.Arm64 => "arm64",
        Architecture.X86_64Mac => "x86_64_mac",
        _ => "arm64_mac",
    };

    /// <summary>Instance types to suggest for an architecture: current general-purpose ones, as AWS's examples use them.</summary>
    public static IReadOnlyList<string> Suggestions(Architecture architecture) => architecture switch
    {
        Architecture.Arm64 => ["m7g.large", "c7g.large", "m8g.large"],
        Architecture.X86_64 => ["m7i.large", "m6i.large", "c7i.large"],
        _ => ["mac2.metal"],
    };

    /// <summary>
    /// An instance type that exists: the shape of EC2's names (<see cref="Identifiers.InstanceType"/>), and, for a
    /// family the catalogue has, a size that family comes in (t3 has no 4xlarge). A family the catalogue does not
    /// have is no problem, but gives a warning (<paramref name="warning"/>): it may be newer than the catalogue.
    /// </summary>
    public static Problem? Exists(string instanceType, out string? warning)
    {
        warning = null;
        if (Identifiers.InstanceType.Check(instanceType) is { } shape)
        {
            return shape;
        }

        if (FamilyOf(instanceType) is not { } family)
        {
            warning = $"{Text.Quote(instanceType)} is an instance type of a family AmiInfra's catalogue does not have (EC2's list as cfn-lint and DescribeInstanceTypes gave it); it is used as written and must exist in the home region";
            return null;
        }

        return family.Sizes.Contains(instanceType[(family.Name.Length + 1)..], StringComparer.Ordinal)
            ? null
            : new Problem(Text.Quote(instanceType), $"an instance type EC2 has: {family.Name} comes in {Text.OneOf(family.Sizes.Select(s => $"{family.Name}.{s}"))}");
    }

    /// <summary>
    /// The architecture a parent image's name tells, where it tells it: the SSM parameters AWS publishes
    /// (/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64, /aws/service/canonical/ubuntu/.../amd64/...,
    /// .../arm64/...) and Image Builder's managed images (amazon-linux-2023-x86, amazon-linux-2023-arm64, ...) name their
    /// architecture (x86_64, x86, amd64; arm64, aarch64) as a word of the name ("Query for the latest Amazon Linux AMI
    /// IDs using Systems Manager Parameter Store": https://docs.aws.amazon.com/linux/al2023/ug/ec2.html#launch-from-ssm;
    /// Canonical's parameters: https://documentation.ubuntu.com/aws/aws-how-to/instances/find-ubuntu-images/). AWS's
    /// Windows Server AMIs (/aws/service/ami-windows-latest/...) are x86_64, since Windows does not run on Graviton.
    /// Null when the name says nothing, or says both: an AMI id, a Marketplace product or a parameter of one's own is
    /// not guessed at.
    /// </summary>
    public static Architecture? ParentArchitecture(string parentName)
    {
        var words = NameWords().Split(parentName.ToLowerInvariant());
        var x86 = words.Any(w => w is "x86" or "amd64");
        var arm = words.Any(w => w is "arm64" or "aarch64");
        if (x86 != arm)
        {
            return x86 ? Architecture.X86_64 : Architecture.Arm64;
        }

        return !x86 && parentName.StartsWith("/aws/service/ami-windows-latest/", StringComparison.Ordinal) ? Architecture.X86_64 : null;
    }

    /// <summary>
    /// The instance types of one image: each of a family the catalogue has runs the image's architecture. The image's
    /// architecture is the parent's (<paramref name="parent"/>, when its name tells it), and x86_64 for Windows, the
    /// only one Windows Server runs on. A Mac instance type builds no Linux or Windows image. When the architecture is
    /// not known, nothing is refused; a warning (<paramref name="warning"/>) says what is not checked, and says when the
    /// types are of more than one architecture (an AMI has one).
    /// </summary>
    /// <param name="instanceTypes">The instance types, tried in order.</param>
    /// <param name="windows">Whether the image is a Windows one.</param>
    /// <param name="parent">The parent's architecture, when known (<see cref="ParentArchitecture"/>).</param>
    /// <param name="parentName">The parent, for the messages.</param>
    /// <param name="warning">What could not be checked, or null.</param>
    public static Problem? ForImage(IReadOnlyList<string> instanceTypes, bool windows, Architecture? parent, string parentName, out string? warning)
    {
        warning = null;
        if (windows && parent is Architecture.Arm64)
        {
            return new Problem($"a Windows image whose parent is arm64 ({Text.Quote(parentName)})", "a Windows Server parent: Windows runs on x86_64 only");
        }

        var required = windows ? Architecture.X86_64 : parent;
        var why = windows ? "a Windows image, and Windows runs on x86_64 only (Graviton and Mac instance types run Linux or macOS)" : $"the parent {Text.Quote(parentName)} is {(required is { } a ? Name(a) : "")}";
        for (var i = 0; i < instanceTypes.Count; i++)
        {
            if (ArchitectureOf(instanceTypes[i]) is not { } architecture)
            {
                continue;
            }

            if (architecture is Architecture.X86_64Mac or Architecture.Arm64Mac)
            {
                return new Problem($"{Text.Quote(instanceTypes[i])} ({Name(architecture)})", $"an instance type that builds {(windows ? "Windows" : "Linux")} images: Mac instances run macOS AMIs only") { Index = i };
            }

            if (required is { } expected && architecture != expected)
            {
                return new Problem($"{Text.Quote(instanceTypes[i])} ({Name(architecture)})", $"an instance type of the image's architecture, {Name(expected)}, such as {Text.OneOf(Suggestions(expected))}: {why}") { Index = i };
            }
        }

        if (required is null)
        {
            var architectures = instanceTypes.Select(ArchitectureOf).OfType<Architecture>().Distinct().Select(Name).ToList();
            warning = architectures.Count > 1
                ? $"the parent's architecture is not known at synth ({Text.Quote(parentName)}), and the instance types are of {Text.OneOf(architectures)}: an AMI has one architecture, and a build fails on an instance type of another"
                : $"the parent's architecture is not known at synth ({Text.Quote(parentName)}); the build fails unless it is {(architectures.Count == 1 ? architectures[0] : "the instance types'")}";
        }

        return null;
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NameWords();
}
