using Amazon.EC2;
using Amazon.EC2.Model;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class WholeAccountFixture : IAsyncLifetime
{
    public MotoAccount Account { get; } = new("200000000011");

    public string Declaration { get; private set; } = "";

    public string Stray { get; private set; } = "";

    public string Home { get; private set; } = "";

    public string PublicSnapshot { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Declaration = Declarations.Write("acct", Account.AccountId, """{ "regions": ["us-east-1"] }""", null, "app");
        using var east = Account.Ec2("us-east-1");
        using var oregon = Account.Ec2("us-west-2");
        var (home, snapshots) = await Seed.ImageFromInstanceAsync(east, "acct", "app", "acct-app-1");
        Home = home;
        PublicSnapshot = snapshots[0];
        await east.ModifySnapshotAttributeAsync(new ModifySnapshotAttributeRequest { SnapshotId = PublicSnapshot, Attribute = SnapshotAttributeName.CreateVolumePermission, OperationType = OperationType.Add, GroupNames = ["all"] });
        using var ssm = Account.Ssm("us-east-1");
        await ssm.PutParameterAsync(new Amazon.SimpleSystemsManagement.Model.PutParameterRequest { Name = "/imagebuilder/acct/app/latest", Value = Home, Type = "String" });
        Stray = await Seed.TaggedImageAsync(oregon, "acct", "app", "acct-app-stray");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>DescribeRegions, create-volume permissions, launch templates and SSM parameters are moto's; block public access is answered by the interceptor (moto has none).</summary>
public sealed class WholeAccountTests(WholeAccountFixture fixture) : IClassFixture<WholeAccountFixture>
{
    private static AwsInterceptor Blocked() => new AwsInterceptor()
        .Respond("GetImageBlockPublicAccessState", "<imageBlockPublicAccessState>block-new-sharing</imageBlockPublicAccessState>")
        .Respond("GetSnapshotBlockPublicAccessState", "<state>block-all-sharing</state>");

    [Fact]
    public async Task Audit_all_regions_reports_a_factory_ami_in_an_undeclared_region()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["audit", "--declaration", fixture.Declaration, "--all-regions", "--output", "json"], Blocked());

        Assert.True(result.ExitCode == ExitCodes.Violations, result.ToString());
        var violations = result.Json.GetProperty("violations").EnumerateArray().Select(v => (Kind: v.GetProperty("kind").GetString(), Ami: v.GetProperty("imageId").GetString(), Region: v.GetProperty("region").GetString())).ToList();
        Assert.Contains(("undeclared-region", fixture.Stray, "us-west-2"), violations);
        Assert.Equal(0, result.Json.GetProperty("regionsNotLookedAt").GetArrayLength());
        Assert.Contains("us-west-2", result.Json.GetProperty("regions").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Audit_by_default_names_the_regions_it_did_not_read()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["audit", "--declaration", fixture.Declaration, "--wide"], Blocked());

        Assert.Contains(result.Out.Split('\n'), l => l.StartsWith("Not looked at: ", StringComparison.Ordinal) && l.Contains("us-west-2") && l.EndsWith("--all-regions reads them too.", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Stray, result.Out);
    }

    [Fact]
    public async Task Audit_of_an_undeclared_region_is_not_clean()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["audit", "--declaration", fixture.Declaration, "--regions", "us-west-2", "--wide"], Blocked());

        Assert.True(result.ExitCode == ExitCodes.Violations, result.ToString());
        Assert.Contains(result.Out.Split('\n'), l => l.StartsWith("undeclared-region", StringComparison.Ordinal) && l.Contains(fixture.Stray));
    }

    [Fact]
    public async Task Audit_reports_public_snapshots_launch_templates_on_retired_amis_and_block_public_access()
    {
        using var east = fixture.Account.Ec2("us-east-1");
        var template = (await east.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest { LaunchTemplateName = "acct-lt", LaunchTemplateData = new RequestLaunchTemplateData { ImageId = fixture.Home } })).LaunchTemplate.LaunchTemplateId;
        var interceptor = new AwsInterceptor()
            .SetImageField(fixture.Home, "deprecationTime", "2020-01-01T00:00:00.000Z")
            .Respond("GetImageBlockPublicAccessState", "<imageBlockPublicAccessState>unblocked</imageBlockPublicAccessState>")
            .Respond("GetSnapshotBlockPublicAccessState", "<state>unblocked</state>");

        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["audit", "--declaration", fixture.Declaration, "--output", "json"], interceptor);
        await east.DeleteLaunchTemplateAsync(new DeleteLaunchTemplateRequest { LaunchTemplateId = template });

        Assert.True(result.ExitCode == ExitCodes.Violations, result.ToString());
        var violations = result.Json.GetProperty("violations").EnumerateArray().ToDictionary(v => v.GetProperty("kind").GetString()!, v => v.GetProperty("detail").GetString()!);
        Assert.Equal($"snapshot {fixture.PublicSnapshot} is public: anyone may create a volume from it", violations["snapshot-public"]);
        Assert.Equal($"launch template {template} (default version 1) launches {fixture.Home}, which is deprecated", violations["launch-template-retired"]);
        Assert.StartsWith("block public access for AMIs is 'unblocked'", violations["image-block-public-access-off"]);
        Assert.StartsWith("block public access for snapshots is 'unblocked'", violations["snapshot-block-public-access-off"]);
        Assert.False(violations.ContainsKey("ssm-parameter-stale"));
    }

    [Fact]
    public async Task Audit_where_the_endpoint_lacks_an_api_says_what_it_could_not_read_and_is_never_clean()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["audit", "--declaration", fixture.Declaration, "--output", "json"]);

        Assert.True(result.ExitCode == ExitCodes.Incomplete, result.ToString());
        Assert.False(result.Json.GetProperty("complete").GetBoolean());
        Assert.False(result.Json.GetProperty("clean").GetBoolean());
        Assert.Contains(result.Json.GetProperty("notRead").EnumerateArray(), n => n.GetProperty("what").GetString() == "block public access in us-east-1"
            && n.GetProperty("why").GetString()!.StartsWith("GetImageBlockPublicAccessState and GetSnapshotBlockPublicAccessState not offered", StringComparison.Ordinal));
    }
}
