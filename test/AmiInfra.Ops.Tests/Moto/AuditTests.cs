using Amazon.EC2;
using Amazon.EC2.Model;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class AuditFixture : IAsyncLifetime
{
    public MotoAccount Account { get; } = new("200000000003");

    public string Declaration { get; private set; } = "";

    public string CleanDeclaration { get; private set; } = "";

    public string Public { get; private set; } = "";

    public string Shared { get; private set; } = "";

    public string AwsManaged { get; private set; } = "";

    public string Old { get; private set; } = "";

    public string Ghost { get; private set; } = "";

    public string Clean { get; private set; } = "";

    public string Api { get; private set; } = "";

    public AwsInterceptor Interceptor { get; } = new();

    public async Task InitializeAsync()
    {
        Declaration = Declarations.Write(
            "aud",
            Account.AccountId,
            """{ "regions": ["us-east-1", "eu-west-1"], "launchPermissions": { "accounts": ["111122223333"] } }""",
            """{ "delete": { "afterDays": 365 }, "keepAtLeast": 1 }""",
            "web",
            "api");
        CleanDeclaration = Declarations.Write("tidy", Account.AccountId, """{ "regions": ["us-east-1"] }""", null, "ok");
        using var east = Account.Ec2("us-east-1");
        using var west = Account.Ec2("eu-west-1");
        using var eastKms = Account.Kms("us-east-1");
        using var westKms = Account.Kms("eu-west-1");
        var cmk = (await eastKms.CreateKeyAsync(new Amazon.KeyManagementService.Model.CreateKeyRequest())).KeyMetadata.Arn;
        var awsKey = (await westKms.DescribeKeyAsync("alias/aws/ebs")).KeyMetadata.Arn;

        Public = await Seed.TaggedImageAsync(east, "aud", "web", "aud-web-public");
        await east.ModifyImageAttributeAsync(new ModifyImageAttributeRequest { ImageId = Public, LaunchPermission = new() { Add = [new() { Group = PermissionGroup.All }] } });
        Shared = await Seed.TaggedImageAsync(east, "aud", "web", "aud-web-shared");
        await east.ModifyImageAttributeAsync(new ModifyImageAttributeRequest { ImageId = Shared, LaunchPermission = new() { Add = [new() { UserId = "111122223333" }, new() { UserId = "999999999999" }] } });
        Api = await Seed.TaggedImageAsync(east, "aud", "api", "aud-api");
        AwsManaged = await Seed.TaggedImageAsync(west, "aud", "web", "aud-web-west");
        Old = await Seed.TaggedImageAsync(west, "aud", "web", "aud-web-west-old");
        Ghost = await Seed.TaggedImageAsync(west, "aud", "ghost", "aud-ghost");
        Clean = await Seed.TaggedImageAsync(east, "tidy", "ok", "tidy-ok");
        using var ssm = Account.Ssm("us-east-1");
        await ssm.PutParameterAsync(new Amazon.SimpleSystemsManagement.Model.PutParameterRequest { Name = "/imagebuilder/tidy/ok/latest", Value = Clean, Type = "String", DataType = "aws:ec2:image" });

        await Encrypt(east, "us-east-1a", cmk, Public, Shared, Clean, Api);
        await Encrypt(west, "eu-west-1a", awsKey, AwsManaged);
        await Encrypt(west, "eu-west-1a", cmk, Old, Ghost);
        Interceptor.SetImageField(Old, "creationDate", "2020-01-01T00:00:00.000Z");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task Encrypt(IAmazonEC2 ec2, string zone, string key, params string[] images)
    {
        foreach (var image in images)
        {
            var snapshot = await Seed.SnapshotAsync(ec2, zone, "root", 8, encrypted: true, kmsKeyId: key);
            Interceptor.SetImageSnapshot(image, snapshot).SetSnapshotField(snapshot, "kmsKeyId", key);
        }
    }
}

/// <summary>Encryption keys, creation dates: moto keeps neither on AMIs, the interceptor supplies them (see <see cref="AwsInterceptor"/>).</summary>
public sealed class AuditTests(AuditFixture fixture) : IClassFixture<AuditFixture>
{
    [Fact]
    public async Task Audit_reports_each_violation_and_exits_with_the_violation_code()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["audit", "--declaration", fixture.Declaration, "--output", "json"], fixture.Interceptor);

        Assert.True(result.ExitCode == ExitCodes.Violations, result.ToString());
        var violations = result.Json.GetProperty("violations").EnumerateArray()
            .Select(v => (Kind: v.GetProperty("kind").GetString(), Ami: v.TryGetProperty("imageId", out var id) ? id.GetString() : null, Region: v.GetProperty("region").GetString(), Detail: v.GetProperty("detail").GetString()!))
            .ToList();
        Assert.Contains(violations, v => v.Kind == "public-without-opt-in" && v.Ami == fixture.Public);
        Assert.Contains(violations, v => v.Kind == "shared-with-undeclared" && v.Ami == fixture.Shared && v.Detail.Contains("999999999999"));
        Assert.DoesNotContain(violations, v => v.Detail.Contains("111122223333"));
        Assert.Contains(violations, v => v.Kind == "aws-managed-key" && v.Ami == fixture.AwsManaged);
        Assert.Contains(violations, v => v.Kind == "past-retirement" && v.Ami == fixture.Old && v.Detail.Contains("delete"));
        Assert.Contains(violations, v => v.Kind == "missing-from-region" && v.Region == "eu-west-1" && v.Detail.Contains("'api'"));
        Assert.Contains(violations, v => v.Kind == "undeclared-image" && v.Ami == fixture.Ghost);
        Assert.DoesNotContain(violations, v => v.Kind == "unencrypted");
        Assert.Contains(violations, v => v.Kind == "ssm-parameter-stale" && v.Region == "eu-west-1" && v.Detail == $"/imagebuilder/aud/web/latest does not exist; it should hold the newest AMI {v.Ami}");
        Assert.Equal(3, violations.Count(v => v.Kind == "ssm-parameter-stale"));
        Assert.Equal(9, violations.Count);
    }

    [Fact]
    public async Task Audit_reports_unencrypted_amis()
    {
        var interceptor = new AwsInterceptor().Respond("GetImageBlockPublicAccessState", "<imageBlockPublicAccessState>block-new-sharing</imageBlockPublicAccessState>")
            .Respond("GetSnapshotBlockPublicAccessState", "<state>block-all-sharing</state>");
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["audit", "--declaration", fixture.Declaration, "--regions", "us-east-1", "--wide"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Violations, result.ToString());
        Assert.Contains(result.Out.Split('\n'), l => l.StartsWith("unencrypted", StringComparison.Ordinal) && l.Contains(fixture.Shared));
    }

    [Fact]
    public async Task Audit_of_a_compliant_factory_is_clean_and_exits_zero()
    {
        var interceptor = fixture.Interceptor.Respond("GetImageBlockPublicAccessState", "<imageBlockPublicAccessState>block-new-sharing</imageBlockPublicAccessState>")
            .Respond("GetSnapshotBlockPublicAccessState", "<state>block-all-sharing</state>");
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["audit", "--declaration", fixture.CleanDeclaration, "--wide"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var lines = result.Out.Trim().Split('\n');
        Assert.Equal("Clean: 1 AMI(s) checked in us-east-1, no violation.", lines[0]);
        Assert.StartsWith("Not looked at: ", lines[1]);
        Assert.Contains("eu-west-1", lines[1]);
        Assert.Equal($"Account {fixture.Account.AccountId} (the declared account).", lines[2]);
        Assert.Equal(3, lines.Length);
    }
}
