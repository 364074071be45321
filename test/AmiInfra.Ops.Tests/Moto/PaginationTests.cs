using AmiInfra.Ops.Core;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class PaginationFixture : IAsyncLifetime
{
    public const int Count = 1_050;

    public MotoAccount Account { get; } = new("200000000002");

    public string Declaration { get; private set; } = "";

    public HashSet<string> Bulk { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Declaration = Declarations.Write("many", Account.AccountId, """{ "regions": ["us-east-1"] }""", null, "bulk");
        using var east = Account.Ec2("us-east-1");
        Bulk = [.. await Seed.TaggedImagesAsync(east, "many", "bulk", Count)];
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// moto returns DescribeImages in one page; the interceptor pages it (1,000 per page) as EC2 does.
/// <c>find</c> reads its pages through the same gateway call (RegionGateway.ImagesAsync).
/// </summary>
public sealed class PaginationTests(PaginationFixture fixture) : IClassFixture<PaginationFixture>
{
    [Fact]
    public async Task Images_reads_every_page_of_more_than_1000_amis()
    {
        var interceptor = new AwsInterceptor().PageDescribeImages(1000);
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["images", "--declaration", fixture.Declaration, "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal(PaginationFixture.Count, result.Json.GetProperty("count").GetInt32());
        Assert.Equal(fixture.Bulk, result.Json.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("imageId").GetString()!).ToHashSet());
        var pages = interceptor.Forwarded.Where(c => c.Action == "DescribeImages").ToList();
        Assert.Equal(2, pages.Count);
        Assert.Equal("1000", pages[1].Parameters["NextToken"]);
    }
}
