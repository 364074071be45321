using Amazon.EC2;
using Amazon.EC2.Model;
using AmiInfra.Ops.Inventory;

namespace AmiInfra.Ops.Tests.Unit;

public sealed class AmiRecordMapperTests
{
    private const string AwsKey = "arn:aws:kms:us-east-1:123456789012:key/aaaa-aws";
    private const string CustomerKey = "arn:aws:kms:us-east-1:123456789012:key/cccc-cmk";

    private static AmiRecord Map(params (string Snapshot, bool Encrypted, string? Key)[] snapshots)
    {
        var image = new Image
        {
            ImageId = "ami-1",
            CreationDate = "2026-05-01T10:00:00.000Z",
            State = ImageState.Available,
            BlockDeviceMappings = snapshots.Select(s => new BlockDeviceMapping { Ebs = new EbsBlockDevice { SnapshotId = s.Snapshot } }).ToList(),
        };
        var known = snapshots.ToDictionary(s => s.Snapshot, s => new Snapshot { SnapshotId = s.Snapshot, Encrypted = s.Encrypted, KmsKeyId = s.Key });
        return AmiRecordMapper.From("us-east-1", image, [new LaunchPermission { Group = PermissionGroup.All }, new LaunchPermission { UserId = "111122223333" }], known, new HashSet<string> { "aaaa-aws" });
    }

    [Fact]
    public void One_unencrypted_snapshot_makes_the_ami_unencrypted()
    {
        Assert.Equal(EncryptionKind.Unencrypted, Map(("snap-1", true, CustomerKey), ("snap-2", false, null)).Encryption);
    }

    [Fact]
    public void A_key_behind_an_aws_alias_is_the_aws_managed_key()
    {
        var ami = Map(("snap-1", true, AwsKey));

        Assert.Equal(EncryptionKind.AwsManagedKey, ami.Encryption);
        Assert.Equal(AwsKey, ami.KmsKeyId);
    }

    [Fact]
    public void Launch_permissions_become_public_and_shared_with()
    {
        var ami = Map(("snap-1", true, CustomerKey));

        Assert.Equal(EncryptionKind.CustomerManagedKey, ami.Encryption);
        Assert.True(ami.Public);
        Assert.Equal(["111122223333"], ami.SharedWith);
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero), ami.Created);
    }
}
