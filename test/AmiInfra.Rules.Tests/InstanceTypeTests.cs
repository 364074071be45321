using System.Diagnostics;
using System.Text.Json;
using AmiInfra.Rules;

namespace AmiInfra.Rules.Tests;

/// <summary>Which instance types exist and which images they build, at the edges of the catalogue and the names.</summary>
public sealed class InstanceTypeTests
{
    [Theory]
    [InlineData("m7i.large")]
    [InlineData("t3.nano")]
    [InlineData("t3.2xlarge")]
    [InlineData("r8g.metal-24xl")]
    [InlineData("c8i-flex.12xlarge")]
    [InlineData("u-6tb1.metal")]
    [InlineData("mac2-m2pro.metal")]
    [InlineData("m7i.metal-48xl")]
    public void Takes_an_instance_type_ec2_has(string instanceType)
    {
        Assert.Null(InstanceTypes.Exists(instanceType, out var warning));
        Assert.Null(warning);
    }

    [Theory]
    [InlineData("t3.4xlarge", "t3.nano, t3.micro, t3.small, t3.medium, t3.large, t3.xlarge or t3.2xlarge")]
    [InlineData("m7i.medium", "m7i.large")]
    [InlineData("c7g.metal-24xl", "c7g.metal")]
    [InlineData("m7i.metal", "m7i.metal-24xl")]
    public void Refuses_a_size_its_family_does_not_come_in_and_names_the_sizes(string instanceType, string named)
    {
        var problem = InstanceTypes.Exists(instanceType, out _);

        Assert.Equal($"\"{instanceType}\"", problem?.Value);
        Assert.Contains(named, problem!.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void A_family_the_catalogue_does_not_have_is_a_warning_not_an_error()
    {
        Assert.Null(InstanceTypes.Exists("m99x.large", out var warning));
        Assert.Contains("\"m99x.large\" is an instance type of a family AmiInfra's catalogue does not have", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_that_is_not_an_instance_type_is_refused_by_its_shape()
    {
        Assert.Equal(Identifiers.InstanceType.Accepted, InstanceTypes.Exists("m7i-large", out _)?.Accepted);
    }

    [Theory]
    [InlineData("m7i.large", Architecture.X86_64)]
    [InlineData("c7a.medium", Architecture.X86_64)]
    [InlineData("t4g.micro", Architecture.Arm64)]
    [InlineData("a1.medium", Architecture.Arm64)]
    [InlineData("c6gn.metal", Architecture.Arm64)]
    [InlineData("im4gn.large", Architecture.Arm64)]
    [InlineData("g5g.xlarge", Architecture.Arm64)]
    [InlineData("g4dn.xlarge", Architecture.X86_64)]
    [InlineData("mac1.metal", Architecture.X86_64Mac)]
    [InlineData("mac2.metal", Architecture.Arm64Mac)]
    [InlineData("r8idn.large", Architecture.X86_64)]
    public void Knows_the_architecture_of_each_family(string instanceType, Architecture architecture) =>
        Assert.Equal(architecture, InstanceTypes.ArchitectureOf(instanceType));

    [Theory]
    [InlineData("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", Architecture.X86_64)]
    [InlineData("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64", Architecture.Arm64)]
    [InlineData("/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id", Architecture.X86_64)]
    [InlineData("/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id", Architecture.Arm64)]
    [InlineData("/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base", Architecture.X86_64)]
    [InlineData("amazon-linux-2023-x86/x.x.x", Architecture.X86_64)]
    [InlineData("amazon-linux-2023-arm64/x.x.x", Architecture.Arm64)]
    [InlineData("red-hat-enterprise-linux-9-aarch64/1.x.x", Architecture.Arm64)]
    [InlineData("/platform/golden/al2023/x86_64/latest", Architecture.X86_64)]
    public void Reads_the_architecture_a_parents_name_tells(string name, Architecture architecture) =>
        Assert.Equal(architecture, InstanceTypes.ParentArchitecture(name));

    [Theory]
    [InlineData("ami-0123456789abcdef0")]
    [InlineData("prod-abcdefgh12345")]
    [InlineData("/platform/golden/al2023/latest")]
    [InlineData("/platform/x86-to-arm64/latest")]
    [InlineData("/platform/x8664/latest")]
    public void Does_not_guess_an_architecture_the_name_does_not_tell(string name) =>
        Assert.Null(InstanceTypes.ParentArchitecture(name));

    [Fact]
    public void Refuses_an_x86_type_for_an_arm64_parent_and_names_the_type()
    {
        const string parent = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
        var problem = InstanceTypes.ForImage(["m7g.large", "m7i.large"], windows: false, Architecture.Arm64, parent, out _);

        Assert.Equal(1, problem?.Index);
        Assert.Equal("\"m7i.large\" (x86_64)", problem!.Value);
        Assert.StartsWith("an instance type of the image's architecture, arm64, such as m7g.large", problem.Accepted, StringComparison.Ordinal);
        Assert.Contains(parent, problem.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_graviton_type_for_a_windows_image_whatever_its_parent()
    {
        var problem = InstanceTypes.ForImage(["t4g.large"], windows: true, parent: null, "ami-0123456789abcdef0", out var warning);

        Assert.Equal("\"t4g.large\" (arm64)", problem?.Value);
        Assert.Contains("Windows runs on x86_64 only", problem!.Accepted, StringComparison.Ordinal);
        Assert.Null(warning);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Refuses_a_mac_type_for_linux_and_windows_images(bool windows)
    {
        var problem = InstanceTypes.ForImage(["mac1.metal"], windows, Architecture.X86_64, "ami-0123456789abcdef0", out _);

        Assert.Contains("Mac instances run macOS AMIs only", problem?.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_parent_is_not_refused_but_warned_of_and_so_are_mixed_architectures()
    {
        Assert.Null(InstanceTypes.ForImage(["m7i.large", "m6i.large"], windows: false, parent: null, "ami-0123456789abcdef0", out var one));
        Assert.Contains("the build fails unless it is x86_64", one, StringComparison.Ordinal);

        Assert.Null(InstanceTypes.ForImage(["m7i.large", "m7g.large"], windows: false, parent: null, "ami-0123456789abcdef0", out var mixed));
        Assert.Contains("the instance types are of x86_64 or arm64: an AMI has one architecture", mixed, StringComparison.Ordinal);
    }

    [Fact]
    public void Types_of_families_the_catalogue_does_not_have_are_not_refused_for_any_parent()
    {
        Assert.Null(InstanceTypes.ForImage(["m99x.large"], windows: true, Architecture.X86_64, "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base", out _));
    }

    [Fact]
    public void Every_family_has_one_architecture_and_sizes_in_order_without_duplicates()
    {
        Assert.Equal(InstanceTypes.Families.Count, InstanceTypes.Families.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(InstanceTypes.Families, f =>
        {
            Assert.NotEmpty(f.Sizes);
            Assert.Equal(f.Sizes.Count, f.Sizes.Distinct(StringComparer.Ordinal).Count());
            Assert.All(f.Sizes, s => Assert.Null(Identifiers.InstanceType.Check($"{f.Name}.{s}")));
        });
    }

    /// <summary>
    /// The catalogue has every type of cfn-lint's per-region lists of EC2 instance types (the cfn-lint CI pins), and no
    /// type beyond them but those DescribeInstanceTypes gave first: a cfn-lint that knows more fails this test, and
    /// <c>python3 .ci/instance-type-catalog.py</c> brings the catalogue up to date.
    /// </summary>
    [Fact]
    public void The_catalogue_is_cfn_lints_list_of_instance_types()
    {
        var lint = CfnLintInstanceTypes();
        var catalogue = InstanceTypes.Families.SelectMany(f => f.Sizes.Select(s => $"{f.Name}.{s}")).ToHashSet(StringComparer.Ordinal);

        var missing = lint.Where(t => !catalogue.Contains(t)).Order(StringComparer.Ordinal).ToList();
        var extra = catalogue.Where(t => !lint.Contains(t)).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0, "cfn-lint knows instance types the catalogue does not (run python3 .ci/instance-type-catalog.py): " + string.Join(", ", missing));
        Assert.True(extra.Count <= 5, "the catalogue has instance types cfn-lint does not: " + string.Join(", ", extra));
        Assert.All(extra, t => Assert.True(InstanceTypes.Contains(t)));
    }

    private static HashSet<string> CfnLintInstanceTypes()
    {
        var start = new ProcessStartInfo("python3", ["-c", "import cfnlint, os; print(os.path.dirname(cfnlint.__file__))"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var python = Process.Start(start)!;
        var folder = python.StandardOutput.ReadToEnd().Trim();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0 && folder.Length > 0, "cfn-lint is not installed (pip install -r .ci/python-tools.txt)");

        var path = Path.Combine(folder, "data", "schemas", "extensions", "aws_ec2_instance", "instancetype_enum.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var region in document.RootElement.EnumerateObject().Where(r => r.Value.ValueKind == JsonValueKind.Object))
        {
            foreach (var type in region.Value.GetProperty("enum").EnumerateArray())
            {
                types.Add(type.GetString()!);
            }
        }

        Assert.True(types.Count > 1000, $"cfn-lint's lists name {types.Count} instance types");
        return types;
    }
}

/// <summary>What the build needs of the parent image's root snapshot.</summary>
public sealed class ParentImageTests
{
    [Theory]
    [InlineData("/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base", 30)]
    [InlineData("/aws/service/ami-windows-latest/Windows_Server-2025-English-Core-Base", 30)]
    [InlineData("/aws/service/ami-windows-latest/Windows_Server-2019-Japanese-Full-Base", 30)]
    [InlineData("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", 8)]
    [InlineData("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64", 8)]
    [InlineData("/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2", 8)]
    [InlineData("/aws/service/ami-amazon-linux-latest/amzn2-ami-kernel-5.10-hvm-arm64-gp2", 8)]
    [InlineData("/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id", 8)]
    [InlineData("/aws/service/canonical/ubuntu/server/22.04/stable/current/arm64/hvm/ebs-gp2/ami-id", 8)]
    public void Refuses_a_root_volume_smaller_than_a_known_parents_snapshot_and_takes_its_size(string parent, int snapshot)
    {
        Assert.Null(ParentImages.RootVolume(snapshot, parent, out var warning));
        Assert.Null(warning);

        var problem = ParentImages.RootVolume(snapshot - 1, parent, out _);
        Assert.Equal($"{snapshot - 1} GiB for {Text.Quote(parent)}", problem?.Value);
        Assert.StartsWith($"at least {snapshot} GiB", problem!.Accepted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ami-0123456789abcdef0")]
    [InlineData("prod-abcdefgh12345")]
    [InlineData("amazon-linux-2023-x86/x.x.x")]
    [InlineData("/aws/service/ami-amazon-linux-latest/al2023-ami-minimal-kernel-default-x86_64")]
    [InlineData("/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-SQL_2022_Standard")]
    [InlineData("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id")]
    public void An_unknown_parent_is_a_warning_whatever_the_size(string parent)
    {
        Assert.Null(ParentImages.RootVolume(1, parent, out var warning));
        Assert.Contains("the size of the parent's root snapshot is not known at synth", warning, StringComparison.Ordinal);
    }
}
