namespace AmiInfra.Rules;

/// <summary>The limits of one EBS volume type.</summary>
/// <param name="Type">The volume type as EC2 names it (gp3, io2, ...).</param>
/// <param name="MinGiB">Smallest size, GiB.</param>
/// <param name="MaxGiB">Largest size, GiB.</param>
/// <param name="Iops">Provisioned IOPS range, or null when the type takes no IOPS.</param>
/// <param name="IopsRequired">Whether IOPS must be given (io1, io2).</param>
/// <param name="MaxIopsPerGiB">Most IOPS per GiB of size, or null when unlimited.</param>
/// <param name="Throughput">Throughput range in MiB/s, or null when the type takes no throughput.</param>
/// <param name="MaxThroughputPerIops">Most MiB/s per provisioned IOPS, or null.</param>
public sealed record EbsVolumeType(
    string Type, int MinGiB, int MaxGiB, (int Min, int Max)? Iops, bool IopsRequired, int? MaxIopsPerGiB, (int Min, int Max)? Throughput, double? MaxThroughputPerIops);

/// <summary>An EBS volume as a recipe declares it.</summary>
/// <param name="Type">Volume type.</param>
/// <param name="SizeGiB">Size in GiB.</param>
/// <param name="Iops">Provisioned IOPS, or null.</param>
/// <param name="ThroughputMiBps">Throughput in MiB/s, or null.</param>
public sealed record EbsVolume(string Type, int SizeGiB, int? Iops = null, int? ThroughputMiBps = null);

/// <summary>
/// EBS volumes an image can have as its root volume: what both Image Builder and EC2 accept, since a
/// recipe passes Image Builder's checks first and EC2's when the build instance launches.
/// Image Builder (EbsInstanceBlockDeviceSpecification, https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_EbsInstanceBlockDeviceSpecification.html):
/// 1 to 16,000 GiB, 100 to 64,000 IOPS, 125 to 1,000 MiB/s, whatever the type.
/// EC2 ("Amazon EBS volume types", https://docs.aws.amazon.com/ebs/latest/userguide/ebs-volume-types.html,
/// and "Provisioned IOPS SSD volumes"): the sizes, IOPS and ratios of each type. Where EC2 allows
/// more (gp3 up to 80,000 IOPS and 2,000 MiB/s, io2 up to 64 TiB and 256,000 IOPS), Image Builder's
/// cap holds. io2 is io2 Block Express everywhere but the China regions: 1,000 IOPS per GiB.
/// st1 and sc1 cannot be boot volumes.
/// </summary>
public static class Ebs
{
    /// <summary>The parts of an <see cref="EbsVolume"/> a problem can name.</summary>
    public static class Parts
    {
        /// <summary>The volume type.</summary>
        public const string Type = "type";

        /// <summary>The size.</summary>
        public const string Size = "sizeGiB";

        /// <summary>The IOPS.</summary>
        public const string Iops = "iops";

        /// <summary>The throughput.</summary>
        public const string Throughput = "throughputMiBps";
    }

    /// <summary>The bootable volume types and their limits.</summary>
    public static readonly IReadOnlyList<EbsVolumeType> Types =
    [
        new("gp3", 1, 16000, (3000, 64000), false, 500, (125, 1000), 0.25),
        new("gp2", 1, 16000, null, false, null, null, null),
        new("io1", 4, 16000, (100, 64000), true, 50, null, null),
        new("io2", 4, 16000, (100, 64000), true, 1000, null, null),
        new("standard", 1, 1024, null, false, null, null, null),
    ];

    /// <summary>What a volume type must be.</summary>
    public static string TypeAccepted => "a bootable EBS volume type: " + Text.OneOf(Types.Select(t => t.Type));

    /// <summary>What a size of <paramref name="type"/> must be.</summary>
    public static string SizeAccepted(EbsVolumeType type) => $"a whole number of GiB from {type.MinGiB} to {type.MaxGiB} (the limits of {type.Type} that EBS and Image Builder both take)";

    /// <summary>What IOPS of <paramref name="type"/> must be, before the ratio to the size.</summary>
    public static string IopsAccepted(EbsVolumeType type) => type.Iops is { } r ? $"a whole number of IOPS from {r.Min} to {r.Max} for {type.Type}" : $"no iops for {type.Type}";

    /// <summary>The limits of a type, or null when it is not a bootable EBS type.</summary>
    public static EbsVolumeType? TypeOf(string type) => Types.FirstOrDefault(t => t.Type == type);

    /// <summary>A volume EC2 can create: type, size, IOPS and throughput within the type's limits and ratios.</summary>
    public static Problem? Volume(EbsVolume volume)
    {
        var type = TypeOf(volume.Type);
        if (type is null)
        {
            return new Problem(Text.Quote(volume.Type), volume.Type is "st1" or "sc1" ? $"{TypeAccepted} ({volume.Type} cannot be a boot volume)" : TypeAccepted) { Part = Parts.Type };
        }

        if (volume.SizeGiB < type.MinGiB || volume.SizeGiB > type.MaxGiB)
        {
            return new Problem(Text.Number(volume.SizeGiB), SizeAccepted(type)) { Part = Parts.Size };
        }

        if (volume.Iops is { } iops)
        {
            if (type.Iops is not { } range)
            {
                return new Problem(Text.Number(iops), $"no iops: {type.Type} volumes do not take provisioned IOPS ({Text.OneOf(Types.Where(t => t.Iops is not null).Select(t => t.Type))} do)") { Part = Parts.Iops };
            }

            // The ratio limits provisioned IOPS, never below the type's baseline (gp3's 3,000 on any size).
            var max = type.MaxIopsPerGiB is { } perGiB ? Math.Max(range.Min, Math.Min(range.Max, (long)perGiB * volume.SizeGiB)) : range.Max;
            if (iops < range.Min || iops > max)
            {
                var why = max < range.Max ? $"; at most {type.MaxIopsPerGiB} IOPS per GiB, so {max} for {volume.SizeGiB} GiB" : "";
                return new Problem(Text.Number(iops), $"{range.Min} to {max} IOPS for {type.Type}{why}") { Part = Parts.Iops };
            }
        }
        else if (type.IopsRequired)
        {
            return new Problem(null, $"provisioned IOPS for an {type.Type} volume ({type.Iops!.Value.Min} to {type.Iops.Value.Max})") { Part = Parts.Iops };
        }

        if (volume.ThroughputMiBps is { } throughput)
        {
            if (type.Throughput is not { } range)
            {
                return new Problem(Text.Number(throughput), $"no throughput: only {Text.OneOf(Types.Where(t => t.Throughput is not null).Select(t => t.Type))} volumes take a throughput") { Part = Parts.Throughput };
            }

            var iopsForRatio = volume.Iops ?? type.Iops?.Min ?? 0;
            var max = type.MaxThroughputPerIops is { } ratio ? Math.Min(range.Max, (int)Math.Floor(iopsForRatio * ratio)) : range.Max;
            if (throughput < range.Min || throughput > max)
            {
                var why = max < range.Max ? $"; at most {type.MaxThroughputPerIops} MiB/s per IOPS, so {max} with {iopsForRatio} IOPS" : "";
                return new Problem(Text.Number(throughput), $"{range.Min} to {max} MiB/s for {type.Type}{why}") { Part = Parts.Throughput };
            }
        }

        return null;
    }
}
