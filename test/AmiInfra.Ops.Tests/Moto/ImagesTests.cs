using AmiInfra.Ops.Core;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class ImagesFixture : IAsyncLifetime
{
    public MotoAccount Account { get; } = new("200000000001");

    public string Declaration { get; private set; } = "";

    public string PublicImage { get; private set; } = "";

    public string SharedImage { get; private set; } = "";

    public string EncryptedImage { get; private set; } = "";

    public string EncryptedSnapshot { get; private set; } = "";

    public string KeyArn { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Declaration = Declarations.Write("inv", Account.AccountId, """{ "regions": ["us-east-1", "eu-west-1", "ap-southeast-2"], "launchPermissions": { "accounts": ["111122223333"] } }""", null, "web");
        using var east = Account.Ec2("us-east-1");
        using var west = Account.Ec2("eu-west-1");
        using var kms = Account.Kms("eu-west-1");
        PublicImage = await Seed.TaggedImageAsync(east, "inv", "web", "inv-web-1");
        await east.ModifyImageAttributeAsync(new Amazon.EC2.Model.ModifyImageAttributeRequest { ImageId = PublicImage, LaunchPermission = new() { Add = [new() { Group = Amazon.EC2.PermissionGroup.All }] } });
        SharedImage = await Seed.TaggedImageAsync(west, "inv", "web", "inv-web-1");
        await west.ModifyImageAttributeAsync(new Amazon.EC2.Model.ModifyImageAttributeRequest { ImageId = SharedImage, LaunchPermission = new() { Add = [new() { UserId = "111122223333" }] } });
        KeyArn = (await kms.CreateKeyAsync(new Amazon.KeyManagementService.Model.CreateKeyRequest())).KeyMetadata.Arn;
        EncryptedImage = await Seed.TaggedImageAsync(west, "inv", "web", "inv-web-2");
        EncryptedSnapshot = await Seed.SnapshotAsync(west, "eu-west-1a", "encrypted root", 20, encrypted: true, kmsKeyId: KeyArn);
        await Seed.TaggedImageAsync(east, "other-factory", "web", "not-ours");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class ImagesTests(ImagesFixture fixture) : IClassFixture<ImagesFixture>
{
    private AwsInterceptor Interceptor() => new AwsInterceptor()
        .PageDescribeImages(1000)
        .SetImageSnapshot(fixture.EncryptedImage, fixture.EncryptedSnapshot)
        .SetSnapshotField(fixture.EncryptedSnapshot, "kmsKeyId", fixture.KeyArn)
        .SetImageField(fixture.SharedImage, "deprecationTime", "2027-03-01T00:00:00.000Z");

    [Fact]
    public async Task Images_reads_every_declared_region_and_only_this_factory()
    {
        var interceptor = Interceptor();
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", fixture.Declaration, "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var images = result.Json.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(new[] { fixture.EncryptedImage, fixture.PublicImage, fixture.SharedImage }.Order(), images.Select(i => i.GetProperty("imageId").GetString()).Order());
        Assert.DoesNotContain(images, i => i.GetProperty("name").GetString() == "not-ours");
        Assert.Equal(["ap-southeast-2", "eu-west-1", "us-east-1"], interceptor.Forwarded.Where(c => c.Action == "DescribeImages").Select(c => c.Region).Order());
    }

    [Fact]
    public async Task Images_queries_the_regions_concurrently()
    {
        var interceptor = Interceptor().HoldUntilConcurrent("DescribeImages", participants: 3, timeout: TimeSpan.FromSeconds(10));

        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", fixture.Declaration, "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.True(interceptor.MetConcurrently, "the three regions' DescribeImages calls were never in flight together");
    }

    [Fact]
    public async Task Images_shows_sharing_encryption_key_and_deprecation()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", fixture.Declaration, "--regions", "us-east-1,eu-west-1", "--output", "json"], Interceptor());

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var byId = result.Json.GetProperty("images").EnumerateArray().ToDictionary(i => i.GetProperty("imageId").GetString()!);
        Assert.True(byId[fixture.PublicImage].GetProperty("public").GetBoolean());
        Assert.Equal("111122223333", byId[fixture.SharedImage].GetProperty("sharedWith")[0].GetString());
        Assert.Equal("2027-03-01T00:00:00+00:00", byId[fixture.SharedImage].GetProperty("deprecationTime").GetString());
        Assert.Equal("customer-managed-key", byId[fixture.EncryptedImage].GetProperty("encryption").GetString());
        Assert.Equal(fixture.KeyArn, byId[fixture.EncryptedImage].GetProperty("kmsKeyId").GetString());
        Assert.Equal("unencrypted", byId[fixture.PublicImage].GetProperty("encryption").GetString());
    }

    [Fact]
    public async Task Images_table_has_one_row_per_ami_and_a_summary()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", fixture.Declaration, "--regions", "eu-west-1", "--wide"], Interceptor());

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("REGION", lines[0]);
        Assert.Contains(lines, l => l.Contains(fixture.SharedImage) && l.Contains("111122223333") && l.Contains("2027-03-01 00:00"));
        Assert.Contains(lines, l => l.Contains(fixture.EncryptedImage) && l.Contains("key/" + fixture.KeyArn.Split('/')[^1]));
        Assert.Equal("2 AMI(s) in 1 region(s).", lines[^2]);
        Assert.Equal($"Account {fixture.Account.AccountId} (the declared account).", lines[^1]);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task Progress_goes_to_a_terminal_stderr_and_never_into_json()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", fixture.Declaration, "--regions", "us-east-1", "--output", "json"], Interceptor(), terminal: true);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("reading AMIs", result.Error);
        Assert.Equal(1, result.Json.GetProperty("count").GetInt32());
    }
}
