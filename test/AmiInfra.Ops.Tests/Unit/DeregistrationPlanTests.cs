using Amazon.EC2.Model;
using AmiInfra.Ops.Deregistration;
using AmiInfra.Ops.Snapshots;

namespace AmiInfra.Ops.Tests.Unit;

public sealed class DeregistrationPlanTests
{
    private static Image Image(string id, params string[] snapshots) => new()
    {
        ImageId = id,
        BlockDeviceMappings = snapshots.Select(s => new BlockDeviceMapping { DeviceName = "/dev/xvda", Ebs = new EbsBlockDevice { SnapshotId = s } }).ToList(),
    };

    [Fact]
    public void A_snapshot_shared_by_two_amis_being_deregistered_is_deleted()
    {
        var a = Image("ami-a", "snap-1");
        var b = Image("ami-b", "snap-1");

        var plans = DeregistrationPlan.Plan(["ami-a", "ami-b"], new Dictionary<string, Image> { ["ami-a"] = a, ["ami-b"] = b }, new SnapshotUsage([a, b]), [], deleteSnapshots: true);

        Assert.All(plans, p => Assert.Equal(["snap-1"], p.SnapshotsToDelete));
    }

    [Fact]
    public void An_ami_already_gone_is_matched_to_its_snapshots_by_description()
    {
        var snapshots = new List<Snapshot>
        {
            new() { SnapshotId = "snap-mine", Description = "Created by CreateImage(i-0123) for ami-0aaa from vol-1" },
            new() { SnapshotId = "snap-other", Description = "Created by CreateImage(i-0123) for ami-0bbb from vol-2" },
        };

        var plan = Assert.Single(DeregistrationPlan.Plan(["ami-0aaa"], new Dictionary<string, Image>(), new SnapshotUsage([]), snapshots, deleteSnapshots: true));

        Assert.False(plan.Exists);
        Assert.Equal(["snap-mine"], plan.SnapshotsToDelete);
    }

    [Fact]
    public void Keep_snapshots_deletes_none()
    {
        var a = Image("ami-a", "snap-1");

        var plan = Assert.Single(DeregistrationPlan.Plan(["ami-a"], new Dictionary<string, Image> { ["ami-a"] = a }, new SnapshotUsage([a]), [], deleteSnapshots: false));

        Assert.Empty(plan.SnapshotsToDelete);
        Assert.Empty(plan.SnapshotsKept);
    }
}
