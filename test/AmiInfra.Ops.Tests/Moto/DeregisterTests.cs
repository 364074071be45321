using AmiInfra.Ops.Core;
using System.Net;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class DeregisterFixture
{
    public MotoAccount Account { get; } = new("200000000005");
}

/// <summary>AMIs are made with CreateImage, so their snapshots carry EC2's "Created by CreateImage(i-...) for ami-..." description.</summary>
public sealed class DeregisterTests(DeregisterFixture fixture) : IClassFixture<DeregisterFixture>
{
    private const string Region = "us-east-1";

    [Fact]
    public async Task Deregister_is_a_dry_run_without_yes()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var (ami, snapshots) = await Seed.ImageFromInstanceAsync(ec2, "dr", "app", "dr-dry");
        var interceptor = new AwsInterceptor();

        var result = await CliRun.RunAsync(fixture.Account.Environment(Region), ["deregister", ami], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"image     {ami}", result.Out);
        Assert.Contains("would deregister", result.Out);
        Assert.Contains($"{snapshots[0]}  {ami}  would delete", result.Out);
        Assert.Contains("Dry run: nothing was changed.", result.Out);
        Assert.True(await Seed.ImageExistsAsync(ec2, ami));
        Assert.Contains(snapshots[0], await Seed.OwnedSnapshotsAsync(ec2, fixture.Account.AccountId));
        Assert.Equal(0, interceptor.CountForwarded("DeregisterImage") + interceptor.CountForwarded("DeleteSnapshot"));
    }

    [Fact]
    public async Task Deregister_with_yes_deregisters_the_ami_then_deletes_its_snapshots()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var (ami, snapshots) = await Seed.ImageFromInstanceAsync(ec2, "dr", "app", "dr-yes");

        var result = await CliRun.RunAsync(fixture.Account.Environment(Region), ["deregister", ami, "--yes", "--output", "json"]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var actions = result.Json.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("id").GetString(), a.GetProperty("result").GetString())).ToList();
        Assert.Equal([(ami, "deregistered"), (snapshots[0], "deleted")], actions);
        Assert.False(await Seed.ImageExistsAsync(ec2, ami));
        Assert.DoesNotContain(snapshots[0], await Seed.OwnedSnapshotsAsync(ec2, fixture.Account.AccountId));
    }

    /// <summary>moto's RegisterImage ignores block device mappings: the interceptor makes a second AMI name the first one's snapshot.</summary>
    [Fact]
    public async Task Deregister_keeps_a_snapshot_another_ami_uses()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var (ami, snapshots) = await Seed.ImageFromInstanceAsync(ec2, "dr", "app", "dr-shared");
        var other = await Seed.TaggedImageAsync(ec2, "dr", "app", "dr-shared-other");
        var interceptor = new AwsInterceptor().SetImageSnapshot(other, snapshots[0]);

        var result = await CliRun.RunAsync(fixture.Account.Environment(Region), ["deregister", ami, "--yes"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"{snapshots[0]}  {ami}  kept: used by {other}", result.Out);
        Assert.False(await Seed.ImageExistsAsync(ec2, ami));
        Assert.Contains(snapshots[0], await Seed.OwnedSnapshotsAsync(ec2, fixture.Account.AccountId));
        Assert.Equal(0, interceptor.CountForwarded("DeleteSnapshot"));
    }

    [Fact]
    public async Task Deregister_rerun_after_a_partial_failure_finishes_the_job()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var (ami, snapshots) = await Seed.ImageFromInstanceAsync(ec2, "dr", "app", "dr-partial");
        var failing = new AwsInterceptor().Fail(c => c.Action == "DeleteSnapshot", "InvalidSnapshot.InUse", $"The snapshot {snapshots[0]} is currently in use");

        var first = await CliRun.RunAsync(fixture.Account.Environment(Region), ["deregister", ami, "--yes"], failing);

        Assert.True(first.ExitCode == ExitCodes.PartialFailure, first.ToString());
        Assert.Contains("failed: InvalidSnapshot.InUse", first.Out);
        Assert.False(await Seed.ImageExistsAsync(ec2, ami));
        Assert.Contains(snapshots[0], await Seed.OwnedSnapshotsAsync(ec2, fixture.Account.AccountId));

        var second = await CliRun.RunAsync(fixture.Account.Environment(Region), ["deregister", ami, "--yes", "--output", "json"]);

        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        var actions = second.Json.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("id").GetString(), a.GetProperty("result").GetString())).ToList();
        Assert.Equal([(ami, "already deregistered"), (snapshots[0], "deleted")], actions);
        Assert.DoesNotContain(snapshots[0], await Seed.OwnedSnapshotsAsync(ec2, fixture.Account.AccountId));
    }

    [Fact]
    public async Task Deregister_under_throttling_completes_without_repeating_a_mutation()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var seeded = new List<(string Ami, string Snapshot)>();
        for (var i = 0; i < 4; i++)
        {
            var (ami, snapshots) = await Seed.ImageFromInstanceAsync(ec2, "dr", "app", $"dr-throttle-{i}");
            seeded.Add((ami, snapshots[0]));
        }

        var interceptor = new AwsInterceptor()
            .Throttle("DeregisterImage", 0.3, seed: 11)
            .Throttle("DeleteSnapshot", 0.3, seed: 12)
            .Throttle("DescribeImages", 0.2, seed: 13);

        var result = await CliRun.RunAsync(fixture.Account.Environment(Region), ["deregister", .. seeded.Select(s => s.Ami), "--yes"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains(interceptor.Injected, c => c.Action == "DeregisterImage");
        Assert.Contains(interceptor.Injected, c => c.Action == "DeleteSnapshot");
        foreach (var (ami, snapshot) in seeded)
        {
            Assert.Equal(1, interceptor.Forwarded.Count(c => c.Action == "DeregisterImage" && c.Parameters["ImageId"] == ami));
            Assert.Equal(1, interceptor.Forwarded.Count(c => c.Action == "DeleteSnapshot" && c.Parameters["SnapshotId"] == snapshot));
            Assert.False(await Seed.ImageExistsAsync(ec2, ami));
        }

        var left = await Seed.OwnedSnapshotsAsync(ec2, fixture.Account.AccountId);
        Assert.DoesNotContain(left, s => seeded.Any(x => x.Snapshot == s));
    }

    [Fact]
    public async Task Deregister_retried_after_a_lost_response_counts_the_ami_as_deregistered()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var (ami, snapshots) = await Seed.ImageFromInstanceAsync(ec2, "dr", "app", "dr-lost");
        var interceptor = new AwsInterceptor().LoseFirstResponse(c => c.Action == "DeregisterImage");

        var result = await CliRun.RunAsync(fixture.Account.Environment(Region), ["deregister", ami, "--yes", "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal(2, interceptor.CountForwarded("DeregisterImage"));
        var actions = result.Json.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("id").GetString(), a.GetProperty("result").GetString())).ToList();
        Assert.Equal([(ami, "already deregistered"), (snapshots[0], "deleted")], actions);
        Assert.False(await Seed.ImageExistsAsync(ec2, ami));
    }

    /// <summary>moto has no deregistration protection: the interceptor answers DeregisterImage as EC2 does for a protected AMI.</summary>
    [Fact]
    public async Task Deregister_reports_an_ami_it_may_not_deregister_and_keeps_its_snapshots()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var (ami, snapshots) = await Seed.ImageFromInstanceAsync(ec2, "dr", "app", "dr-protected");
        var interceptor = new AwsInterceptor().Fail(c => c.Action == "DeregisterImage", "OperationNotPermitted", "The image has deregistration protection enabled.", HttpStatusCode.BadRequest);

        var result = await CliRun.RunAsync(fixture.Account.Environment(Region), ["deregister", ami, "--yes", "--wide"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.PartialFailure, result.ToString());
        Assert.Contains("failed: OperationNotPermitted: The image has deregistration protection enabled.", result.Out);
        Assert.Contains($"{snapshots[0]}  {ami}  kept: its AMI was not deregistered", result.Out);
        Assert.True(await Seed.ImageExistsAsync(ec2, ami));
        Assert.Contains(snapshots[0], await Seed.OwnedSnapshotsAsync(ec2, fixture.Account.AccountId));
    }

    [Fact]
    public async Task Deregister_keeps_a_shared_snapshot_when_one_of_its_amis_could_not_be_deregistered()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var (first, snapshots) = await Seed.ImageFromInstanceAsync(ec2, "dr", "app", "dr-pair-1");
        var second = await Seed.TaggedImageAsync(ec2, "dr", "app", "dr-pair-2");
        var interceptor = new AwsInterceptor()
            .SetImageSnapshot(second, snapshots[0])
            .Fail(c => c.Action == "DeregisterImage" && c.Parameters["ImageId"] == first, "OperationNotPermitted", "The image has deregistration protection enabled.");

        var result = await CliRun.RunAsync(fixture.Account.Environment(Region), ["deregister", first, second, "--yes"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.PartialFailure, result.ToString());
        Assert.False(await Seed.ImageExistsAsync(ec2, second));
        Assert.Contains(snapshots[0], await Seed.OwnedSnapshotsAsync(ec2, fixture.Account.AccountId));
        Assert.Contains($"kept: used by {first}, which was not deregistered", result.Out);
        Assert.Equal(0, interceptor.CountForwarded("DeleteSnapshot"));
    }
}
