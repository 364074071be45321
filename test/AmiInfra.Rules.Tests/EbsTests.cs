using AmiInfra.Rules;

namespace AmiInfra.Rules.Tests;

/// <summary>Every bootable volume type at the edges of its own row of the table (Ebs.Types): sizes, IOPS, ratios, throughput.</summary>
public sealed class EbsTests
{
    public static TheoryData<string> Types()
    {
        var data = new TheoryData<string>();
        foreach (var type in Ebs.Types)
        {
            data.Add(type.Type);
        }

        return data;
    }

    private static EbsVolumeType Row(string type) => Ebs.TypeOf(type)!;

    /// <summary>IOPS that a volume of the type needs to be valid at any size: none, or the smallest.</summary>
    private static int? Iops(EbsVolumeType t) => t.IopsRequired ? t.Iops!.Value.Min : null;

    [Theory]
    [MemberData(nameof(Types))]
    public void Accepts_the_smallest_and_largest_size_of_each_type(string type)
    {
        var t = Row(type);

        Assert.Null(Ebs.Volume(new EbsVolume(type, t.MinGiB, Iops(t))));
        Assert.Null(Ebs.Volume(new EbsVolume(type, t.MaxGiB, Iops(t))));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Rejects_a_size_just_outside_the_limits_of_each_type(string type)
    {
        var t = Row(type);

        foreach (var size in new[] { t.MinGiB - 1, t.MaxGiB + 1 })
        {
            var problem = Ebs.Volume(new EbsVolume(type, size, Iops(t)));
            Assert.NotNull(problem);
            Assert.Equal(Ebs.Parts.Size, problem.Part);
            Assert.Equal(Ebs.SizeAccepted(t), problem.Accepted);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Takes_iops_only_where_the_type_has_them_within_range_and_ratio(string type)
    {
        var t = Row(type);
        if (t.Iops is not { } range)
        {
            Assert.Equal(Ebs.Parts.Iops, Ebs.Volume(new EbsVolume(type, 100, 3000))?.Part);
            return;
        }

        // A size large enough for the largest IOPS, and the smallest size that reaches them.
        var roomy = t.MaxIopsPerGiB is { } perGiB ? Math.Min(t.MaxGiB, (range.Max + perGiB - 1) / perGiB) : t.MaxGiB;
        Assert.Null(Ebs.Volume(new EbsVolume(type, roomy, range.Max)));
        Assert.Null(Ebs.Volume(new EbsVolume(type, roomy, range.Min)));
        Assert.Equal(Ebs.Parts.Iops, Ebs.Volume(new EbsVolume(type, roomy, range.Max + 1))?.Part);
        Assert.Equal(Ebs.Parts.Iops, Ebs.Volume(new EbsVolume(type, roomy, range.Min - 1))?.Part);
        if (t.MaxIopsPerGiB is { } ratio && ratio * 20 > range.Min)
        {
            Assert.Null(Ebs.Volume(new EbsVolume(type, 20, ratio * 20)));
            var problem = Ebs.Volume(new EbsVolume(type, 20, (ratio * 20) + 1));
            Assert.Equal(Ebs.Parts.Iops, problem?.Part);
            Assert.Contains($"at most {ratio} IOPS per GiB", problem!.Accepted, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Gives_gp3_its_baseline_iops_on_a_volume_too_small_for_the_ratio()
    {
        Assert.Null(Ebs.Volume(new EbsVolume("gp3", 1, 3000)));
        Assert.Equal(Ebs.Parts.Iops, Ebs.Volume(new EbsVolume("gp3", 6, 3001))?.Part);
    }

    [Fact]
    public void Requires_iops_for_provisioned_iops_types()
    {
        Assert.All(Ebs.Types.Where(t => t.IopsRequired), t =>
        {
            var problem = Ebs.Volume(new EbsVolume(t.Type, 100));
            Assert.Equal(Ebs.Parts.Iops, problem?.Part);
            Assert.Null(problem!.Value);
        });
    }

    [Fact]
    public void Takes_throughput_on_gp3_only_within_range_and_a_quarter_mib_per_iops()
    {
        Assert.Null(Ebs.Volume(new EbsVolume("gp3", 100, null, 125)));
        Assert.Null(Ebs.Volume(new EbsVolume("gp3", 100, null, 750)));
        Assert.Equal(Ebs.Parts.Throughput, Ebs.Volume(new EbsVolume("gp3", 100, null, 751))?.Part);
        Assert.Null(Ebs.Volume(new EbsVolume("gp3", 100, 4000, 1000)));
        Assert.Equal(Ebs.Parts.Throughput, Ebs.Volume(new EbsVolume("gp3", 100, 4000, 1001))?.Part);
        Assert.Equal(Ebs.Parts.Throughput, Ebs.Volume(new EbsVolume("gp3", 100, null, 124))?.Part);
        Assert.All(Ebs.Types.Where(t => t.Throughput is null), t => Assert.Equal(Ebs.Parts.Throughput, Ebs.Volume(new EbsVolume(t.Type, 100, Iops(t), 125))?.Part));
    }

    [Theory]
    [InlineData("st1")]
    [InlineData("sc1")]
    public void Rejects_a_type_that_cannot_boot(string type)
    {
        var problem = Ebs.Volume(new EbsVolume(type, 500));

        Assert.Equal(Ebs.Parts.Type, problem?.Part);
        Assert.Contains("cannot be a boot volume", problem!.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Holds_image_builders_caps_over_ec2s_larger_limits()
    {
        Assert.All(Ebs.Types, t => Assert.True(t.MaxGiB <= 16000, t.Type));
        Assert.All(Ebs.Types.Where(t => t.Iops is not null), t => Assert.True(t.Iops!.Value.Max <= 64000, t.Type));
        Assert.All(Ebs.Types.Where(t => t.Throughput is not null), t => Assert.True(t.Throughput!.Value.Max <= 1000, t.Type));
    }
}
