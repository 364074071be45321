using AmiInfra.Ops.Core;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class OrphanFixture : IAsyncLifetime
{
    public MotoAccount Account { get; } = new("200000000006");

    public string FromCreateImage { get; private set; } = "";

    public string FromCopy { get; private set; } = "";

    public string OfLivingAmi { get; private set; } = "";

    public string UsedByOther { get; private set; } = "";

    public string Unrelated { get; private set; } = "";

    public string West1 { get; private set; } = "";

    public string West2 { get; private set; } = "";

    public AwsInterceptor Interceptor { get; } = new();

    public async Task InitializeAsync()
    {
        using var east = Account.Ec2("us-east-1");
        using var west = Account.Ec2("eu-west-1");
        var (gone, snapshots) = await Seed.ImageFromInstanceAsync(east, "orph", "app", "orph-gone");
        await east.DeregisterImageAsync(new Amazon.EC2.Model.DeregisterImageRequest { ImageId = gone });
        FromCreateImage = snapshots[0];
        FromCopy = await Seed.SnapshotAsync(east, "us-east-1a", "Copied for DestinationAmi ami-0123456789abcdef0 from SourceAmi ami-0fedcba987654321f for SourceSnapshot snap-0aaaabbbbccccdddd. Task created on 1,765,000,000,000.", 20);
        var living = await Seed.TaggedImageAsync(east, "orph", "app", "orph-living");
        OfLivingAmi = await Seed.SnapshotAsync(east, "us-east-1a", $"Copied for DestinationAmi {living} from SourceAmi ami-0fedcba987654321f for SourceSnapshot snap-0aaaabbbbccccdddd.", 8);
        UsedByOther = await Seed.SnapshotAsync(east, "us-east-1a", "Created by CreateImage(i-0123456789abcdef0) for ami-0aaaaaaaaaaaaaaaa from vol-0123456789abcdef0", 8);
        Interceptor.SetImageSnapshot(living, UsedByOther);
        Unrelated = await Seed.SnapshotAsync(east, "us-east-1a", "nightly backup of the database", 100);
        West1 = await Seed.SnapshotAsync(west, "eu-west-1a", "Created by CreateImage(i-0123456789abcdef0) for ami-0bbbbbbbbbbbbbbbb", 10);
        West2 = await Seed.SnapshotAsync(west, "eu-west-1a", "Copied for DestinationAmi ami-0cccccccccccccccc from SourceAmi ami-0ddddddddddddddd", 30);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class OrphanedSnapshotsTests(OrphanFixture fixture) : IClassFixture<OrphanFixture>
{
    [Fact]
    public async Task Orphaned_lists_snapshots_whose_ami_is_gone_with_their_cost()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["snapshots", "orphaned", "--region", "us-east-1", "--output", "json"], fixture.Interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var snapshots = result.Json.GetProperty("snapshots").EnumerateArray().ToDictionary(s => s.GetProperty("snapshotId").GetString()!);
        Assert.Equal(new[] { fixture.FromCopy, fixture.FromCreateImage }.Order(), snapshots.Keys.Order());
        Assert.Equal("ami-0123456789abcdef0", snapshots[fixture.FromCopy].GetProperty("imageId").GetString());
        Assert.Equal(20, snapshots[fixture.FromCopy].GetProperty("sizeGiB").GetInt32());
        Assert.Equal(1.00m, snapshots[fixture.FromCopy].GetProperty("monthlyCost").GetDecimal());
        Assert.Equal(0.05m, result.Json.GetProperty("pricePerGbMonth").GetDecimal());
        Assert.Equal(1.75m, result.Json.GetProperty("monthlyCost").GetDecimal());
    }

    [Fact]
    public async Task Orphaned_uses_the_price_given()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["snapshots", "orphaned", "--region", "us-east-1", "--price-per-gb-month", "0.0125"], fixture.Interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("2 orphaned snapshot(s), 35 GiB: about $0.44 a month at $0.0125/GB-month", result.Out);
    }

    [Fact]
    public async Task Orphaned_delete_is_a_dry_run_without_yes()
    {
        var interceptor = new AwsInterceptor();
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["snapshots", "orphaned", "--region", "eu-west-1", "--delete"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("would delete (eu-west-1)", result.Out);
        Assert.Equal(0, interceptor.CountForwarded("DeleteSnapshot"));
    }

    [Fact]
    public async Task Orphaned_delete_with_yes_deletes_only_the_orphans()
    {
        using var west = fixture.Account.Ec2("eu-west-1");
        var extra = await Seed.SnapshotAsync(west, "eu-west-1a", "kept for audit", 5);

        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["snapshots", "orphaned", "--region", "eu-west-1", "--delete", "--yes", "--price-per-gb-month", "0.05"]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var left = await Seed.OwnedSnapshotsAsync(west, fixture.Account.AccountId);
        Assert.DoesNotContain(fixture.West1, left);
        Assert.DoesNotContain(fixture.West2, left);
        Assert.Contains(extra, left);
    }
}
