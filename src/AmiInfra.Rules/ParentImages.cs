using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>A parent image AmiInfra knows the root snapshot of, by the names that point to it.</summary>
/// <param name="Names">The SSM parameter names that point to it.</param>
/// <param name="What">The image, in words.</param>
/// <param name="RootSnapshotGiB">The size of its root snapshot, GiB.</param>
public sealed record KnownParent(Regex Names, string What, int RootSnapshotGiB);

/// <summary>
/// What the build needs of its parent image. The build instance's root volume is created from the parent's root
/// snapshot, and EC2 refuses a volume smaller than the snapshot it is created from ("The volume size must be equal
/// to or larger than the snapshot size": CreateVolume and the block device mapping of RunInstances,
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EbsBlockDevice.html, VolumeSize; the error is
/// InvalidBlockDeviceMapping, "Volume of size N GB is smaller than snapshot ..."), so the build fails.
/// </summary>
public static partial class ParentImages
{
    /// <summary>
    /// The parents whose root snapshot size is known: AWS publishes no table of them, so each size is the root
    /// volume of the block device mapping that DescribeImages gives for the AMIs these names point to (the size the
    /// EC2 console proposes when launching them), for the names whose AMIs have kept it over their releases:
    /// AWS's Windows Server base AMIs (Windows_Server-*-Full-Base and -Core-Base: 30 GiB), Amazon Linux 2023's and
    /// Amazon Linux 2's standard AMIs (8 GiB) and Canonical's Ubuntu Server AMIs (8 GiB). Their names:
    /// "Query for the latest Windows AMI using Systems Manager Parameter Store"
    /// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/finding-an-ami-parameter-store.html), AL2023's
    /// (https://docs.aws.amazon.com/linux/al2023/ug/ec2.html) and Canonical's
    /// (https://documentation.ubuntu.com/aws/aws-how-to/instances/find-ubuntu-images/). Other AWS images (the ECS and
    /// SQL Server AMIs, Image Builder's managed images, minimal AMIs) are left out: their sizes differ or change.
    /// </summary>
    public static readonly IReadOnlyList<KnownParent> Known =
    [
        new(WindowsBase(), "an AWS Windows Server base AMI", 30),
        new(AmazonLinuxStandard(), "an Amazon Linux standard AMI", 8),
        new(UbuntuServer(), "a Canonical Ubuntu Server AMI", 8),
    ];

    /// <summary>The known parent a name points to, or null.</summary>
    public static KnownParent? Of(string parentName) => Known.FirstOrDefault(k => k.Names.IsMatch(parentName));

    /// <summary>
    /// A root volume at least as large as the parent's root snapshot, where the parent is known (<see cref="Known"/>).
    /// Where it is not, nothing is refused and <paramref name="warning"/> says what the build needs.
    /// </summary>
    public static Problem? RootVolume(int sizeGiB, string parentName, out string? warning)
    {
        warning = null;
        if (Of(parentName) is not { } parent)
        {
            warning = $"the size of the parent's root snapshot is not known at synth ({Text.Quote(parentName)}); the build fails if it is larger than the root volume, {sizeGiB} GiB";
            return null;
        }

        return sizeGiB >= parent.RootSnapshotGiB
            ? null
            : new Problem(
                $"{Text.Number(sizeGiB)} GiB for {Text.Quote(parentName)}",
                $"at least {parent.RootSnapshotGiB} GiB: the parent ({parent.What}) has a root snapshot of {parent.RootSnapshotGiB} GiB, and EC2 creates no volume smaller than its snapshot");
    }

    [GeneratedRegex("^/aws/service/ami-windows-latest/Windows_Server-[0-9]{4}-[A-Za-z_]+-(?:Full|Core)-Base$")]
    private static partial Regex WindowsBase();

    [GeneratedRegex("^/aws/service/ami-amazon-linux-latest/(?:al2023-ami-kernel-[0-9a-z.]+|amzn2-ami-(?:kernel-[0-9.]+-)?hvm)-(?:x86_64|arm64)(?:-gp2)?$")]
    private static partial Regex AmazonLinuxStandard();

    [GeneratedRegex("^/aws/service/canonical/ubuntu/server/[0-9.]+/stable/current/(?:amd64|arm64)/hvm/ebs-gp[23]/ami-id$")]
    private static partial Regex UbuntuServer();
}
