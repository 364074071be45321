using AmiInfra.Ops.Snapshots;

namespace AmiInfra.Ops.Tests.Unit;

public sealed class SnapshotDescriptionTests
{
    [Theory]
    [InlineData("Created by CreateImage(i-0abc123def4567890) for ami-0123456789abcdef0 from vol-0fedcba9876543210", "ami-0123456789abcdef0")]
    [InlineData("Created by CreateImage(i-1234abcd) for ami-5678ef01", "ami-5678ef01")]
    [InlineData("Copied for DestinationAmi ami-0aaaabbbbccccdddd from SourceAmi ami-0111122223333444 for SourceSnapshot snap-0123. Task created on 1,706,000,000,000.", "ami-0aaaabbbbccccdddd")]
    public void Names_the_ami_ec2_made_the_snapshot_for(string description, string expected)
    {
        Assert.Equal(expected, SnapshotDescription.ImageId(description));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("nightly backup")]
    [InlineData("Auto-created snapshot for AMI ami-0123456789abcdef0")]
    [InlineData("Copied for SourceAmi ami-0123456789abcdef0")]
    public void Names_no_ami_for_other_descriptions(string? description)
    {
        Assert.Null(SnapshotDescription.ImageId(description));
    }
}
