using Amazon.EC2.Model;
using AmiInfra.Ops.Deregistration;
using AmiInfra.Ops.Snapshots;

namespace AmiInfra.Ops.Tests.Unit;

public sealed class DeregistrarTests
{
    [Fact]
    public void Dry_run_lists_each_ami_then_what_happens_to_its_snapshots()
    {
        var a = new Image { ImageId = "ami-a", BlockDeviceMappings = [new() { Ebs = new() { SnapshotId = "snap-1" } }, new() { Ebs = new() { SnapshotId = "snap-2" } }] };
        var other = new Image { ImageId = "ami-other", BlockDeviceMappings = [new() { Ebs = new() { SnapshotId = "snap-2" } }] };
        var plans = DeregistrationPlan.Plan(["ami-a", "ami-gone"], new Dictionary<string, Image> { ["ami-a"] = a }, new SnapshotUsage([a, other]), [], deleteSnapshots: true);

        var rows = Deregistrar.DryRun(plans);

        Assert.Equal(
            [
                new ActionRow("image", "ami-a", "ami-a", "would deregister"),
                new ActionRow("snapshot", "snap-2", "ami-a", "kept: used by ami-other"),
                new ActionRow("snapshot", "snap-1", "ami-a", "would delete"),
                new ActionRow("image", "ami-gone", "ami-gone", "already deregistered"),
            ],
            rows);
    }
}
