using Amazon.EC2;
using Amazon.EC2.Model;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class SafetyFixture : IAsyncLifetime
{
    public MotoAccount Account { get; } = new("200000000009");

    public string Declaration { get; private set; } = "";

    public string WestAmi { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Declaration = Declarations.Write("safe", Account.AccountId, """{ "regions": ["us-east-1", "eu-west-1"] }""", null, "app");
        using var west = Account.Ec2("eu-west-1");
        WestAmi = await Seed.TaggedImageAsync(west, "safe", "app", "safe-app-west");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// Usage before destruction. moto 5.2 has no DescribeImageReferences (it answers with an HTML 500), so
/// against moto the fallback is what runs: DescribeInstances and launch-template versions, both real in
/// moto. The primary path is tested through the interceptor, which answers DescribeImageReferences.
/// </summary>
public sealed class SafetyTests(SafetyFixture fixture) : IClassFixture<SafetyFixture>
{
    private const string Region = "us-east-1";

    private Dictionary<string, string> Env => fixture.Account.Environment(Region);

    [Fact]
    public async Task Deregister_refuses_an_ami_with_running_instances_and_keeps_it_then_force_deregisters_it()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var (ami, snapshots) = await Seed.ImageFromInstanceAsync(ec2, "safe", "app", "safe-app-busy");
        var instances = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = ami, MinCount = 2, MaxCount = 2, InstanceType = InstanceType.T3Micro })).Reservation.Instances.Select(i => i.InstanceId).Order().ToList();

        var refused = await CliRun.RunAsync(Env, ["deregister", ami, "--yes", "--declaration", fixture.Declaration, "--wide"]);

        Assert.True(refused.ExitCode == ExitCodes.Refused, refused.ToString());
        Assert.Contains($"image     {ami}", refused.Out);
        Assert.Contains($"refused: in use by 2 instance(s) ({instances[0]}, {instances[1]})", refused.Out);
        Assert.Contains($"instance  {instances[0]}", refused.Out);
        Assert.Contains("Users looked for: instances by DescribeInstances; launch templates (every version) by DescribeLaunchTemplates and DescribeLaunchTemplateVersions;", refused.Out);
        Assert.Contains("(ec2:DescribeImageReferences not offered by the endpoint (HTTP 500)).", refused.Out);
        Assert.True(await Seed.ImageExistsAsync(ec2, ami));
        Assert.Contains(snapshots[0], await Seed.OwnedSnapshotsAsync(ec2, fixture.Account.AccountId));

        var forced = await CliRun.RunAsync(Env, ["deregister", ami, "--yes", "--declaration", fixture.Declaration, "--force", "instances drained", "--output", "json"]);

        Assert.True(forced.ExitCode == ExitCodes.Success, forced.ToString());
        var image = forced.Json.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("resource").GetString() == "image");
        Assert.StartsWith("deregistered (--force: instances drained; in use by 2 instance(s)", image.GetProperty("result").GetString());
        Assert.False(await Seed.ImageExistsAsync(ec2, ami));
    }

    [Fact]
    public async Task Deregister_refuses_a_shared_ami_and_one_that_is_not_the_factorys()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var shared = await Seed.TaggedImageAsync(ec2, "safe", "app", "safe-app-shared");
        await ec2.ModifyImageAttributeAsync(new ModifyImageAttributeRequest { ImageId = shared, LaunchPermission = new() { Add = [new() { UserId = "111122223333" }] } });
        var foreign = await Seed.TaggedImageAsync(ec2, "other", "app", "other-app");

        var result = await CliRun.RunAsync(Env, ["deregister", shared, foreign, "--declaration", fixture.Declaration, "--output", "json"]);

        Assert.True(result.ExitCode == ExitCodes.Refused, result.ToString());
        var results = result.Json.GetProperty("actions").EnumerateArray().Where(a => a.GetProperty("resource").GetString() == "image").ToDictionary(a => a.GetProperty("id").GetString()!, a => a.GetProperty("result").GetString()!);
        Assert.Equal("refused: shared with 111122223333", results[shared]);
        Assert.Equal("refused: not this factory's (amiinfra:factory is 'other', the declaration is 'safe')", results[foreign]);
        Assert.Contains(result.Json.GetProperty("actions").EnumerateArray(), a => a.GetProperty("resource").GetString() == "account" && a.GetProperty("id").GetString() == "111122223333");
    }

    [Fact]
    public async Task Usage_finds_a_launch_template_user_through_the_fallback()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var ami = await Seed.TaggedImageAsync(ec2, "safe", "app", "safe-app-lt");
        var template = (await ec2.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest { LaunchTemplateName = "safe-lt", LaunchTemplateData = new RequestLaunchTemplateData { ImageId = "ami-12c6146b" } })).LaunchTemplate.LaunchTemplateId;
        await ec2.CreateLaunchTemplateVersionAsync(new CreateLaunchTemplateVersionRequest { LaunchTemplateId = template, LaunchTemplateData = new RequestLaunchTemplateData { ImageId = ami } });

        var result = await CliRun.RunAsync(Env, ["usage", ami, "--output", "json"]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var image = result.Json.GetProperty("images")[0];
        Assert.True(image.GetProperty("inUse").GetBoolean());
        Assert.Equal($"{template} (version 2)", image.GetProperty("launchTemplates")[0].GetString());
        Assert.Equal(0, image.GetProperty("instances").GetArrayLength());
        Assert.StartsWith("instances by DescribeInstances; launch templates (every version) by DescribeLaunchTemplates and DescribeLaunchTemplateVersions;", result.Json.GetProperty("source").GetString());
    }

    /// <summary>moto has no DescribeImageReferences: the interceptor answers it as EC2 documents it (API_ImageReference).</summary>
    [Fact]
    public async Task Usage_reads_DescribeImageReferences_where_ec2_offers_it()
    {
        using var ec2 = fixture.Account.Ec2(Region);
        var ami = await Seed.TaggedImageAsync(ec2, "safe", "app", "safe-app-refs");
        var account = fixture.Account.AccountId;
        var interceptor = new AwsInterceptor().Respond(
            "DescribeImageReferences",
            $"<imageReferenceSet><item><imageId>{ami}</imageId><resourceType>ec2:Instance</resourceType><arn>arn:aws:ec2:us-east-1:{account}:instance/i-0123456789abcdef0</arn></item>"
            + $"<item><imageId>{ami}</imageId><resourceType>ssm:Parameter</resourceType><arn>arn:aws:ssm:us-east-1:{account}:parameter/amiinfra/safe/app/latest</arn></item></imageReferenceSet>");

        var result = await CliRun.RunAsync(Env, ["usage", ami, "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var image = result.Json.GetProperty("images")[0];
        Assert.StartsWith("instances, launch templates (every version), SSM parameters, Image Builder recipes by DescribeImageReferences; launch configurations and their Auto Scaling groups by DescribeLaunchConfigurations and DescribeAutoScalingGroups", result.Json.GetProperty("source").GetString());
        Assert.Equal("i-0123456789abcdef0", image.GetProperty("instances")[0].GetString());
        Assert.Equal("/amiinfra/safe/app/latest", image.GetProperty("ssmParameters")[0].GetString());
        Assert.Equal(0, interceptor.CountForwarded("DescribeInstances"));
    }

    [Fact]
    public async Task An_unknown_ami_is_an_error_naming_the_region_not_already_deregistered()
    {
        var interceptor = new AwsInterceptor();
        var result = await CliRun.RunAsync(Env, ["deregister", "ami-0123456789abcdef0", "--yes", "--declaration", fixture.Declaration], interceptor);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Equal("amiinfra: AMI ami-0123456789abcdef0 does not exist in us-east-1, nor in the other declared regions (eu-west-1), or it is not shared with this account", result.Error.Trim());
        Assert.Equal("", result.Out);
        Assert.Equal(0, interceptor.CountForwarded("DeregisterImage"));
    }

    [Fact]
    public async Task An_ami_of_another_region_is_an_error_that_names_its_region()
    {
        var result = await CliRun.RunAsync(Env, ["deregister", fixture.WestAmi, "--yes", "--declaration", fixture.Declaration]);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Equal($"amiinfra: AMI {fixture.WestAmi} does not exist in us-east-1; it exists in eu-west-1: pass --region eu-west-1", result.Error.Trim());
        using var west = fixture.Account.Ec2("eu-west-1");
        Assert.True(await Seed.ImageExistsAsync(west, fixture.WestAmi));
    }

    [Theory]
    [InlineData("billing")]
    [InlineData("deregister")]
    [InlineData("usage")]
    public async Task Every_command_rejects_a_malformed_ami_id_alike(string command)
    {
        var result = await CliRun.RunAsync(Env, [command, "foo"]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("amiinfra: argument ami-id: got 'foo'; expected an AMI id: ami- followed by 8 or 17 hexadecimal digits, such as ami-0123456789abcdef0", result.Error.Trim());
    }

    [Fact]
    public async Task Credentials_of_another_account_than_the_declared_one_are_an_error()
    {
        var declaration = Declarations.Write("safe", "999999999999", """{ "regions": ["us-east-1"] }""", null, "app");

        var result = await CliRun.RunAsync(Env, ["audit", "--declaration", declaration]);

        Assert.Equal(ExitCodes.AccountMismatch, result.ExitCode);
        Assert.StartsWith($"amiinfra: the credentials belong to account {fixture.Account.AccountId}, but the declaration ({declaration}) is for account 999999999999", result.Error.Trim());
        Assert.Equal("", result.Out);

        var allowed = await CliRun.RunAsync(Env, ["images", "--declaration", declaration, "--account-mismatch-ok", "--output", "json"]);

        Assert.True(allowed.ExitCode == ExitCodes.Success, allowed.ToString());
        Assert.Equal(fixture.Account.AccountId, allowed.Json.GetProperty("account").GetString());
        Assert.Equal("999999999999", allowed.Json.GetProperty("declaredAccount").GetString());
    }
}
