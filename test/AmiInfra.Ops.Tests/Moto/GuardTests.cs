using Amazon.EC2.Model;
using Amazon.KeyManagementService.Model;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

/// <summary>
/// A governed factory account and one target account in moto. EBS encryption by default
/// (Get/Enable/DisableEbsEncryptionByDefault), ModifyEbsDefaultKmsKeyId, KMS keys and aliases, and STS AssumeRole
/// into the target account are moto's own. moto 5.2.1 answers GetImageBlockPublicAccessState,
/// GetSnapshotBlockPublicAccessState, GetAllowedImagesSettings and GetEbsDefaultKmsKeyId with an HTML 500 (it has
/// none of them): <see cref="Answered"/> answers them through the interceptor, and the first test shows what the
/// command says without it.
/// </summary>
public sealed class GuardFixture : IAsyncLifetime
{
    public MotoAccount Factory { get; } = new("200000000021");

    public MotoAccount Target { get; } = new("200000000022");

    public string Declaration { get; private set; } = "";

    public string KeyArn { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var folder = Directory.CreateTempSubdirectory("amiinfra-guard-").FullName;
        Declaration = Path.Combine(folder, "factory.json");
        await File.WriteAllTextAsync(Declaration, $$"""
            {
              "name": "gov",
              "account": "{{Factory.AccountId}}",
              "region": "us-east-1",
              "organization": { "id": "o-a1b2c3d4e5", "targetOrganizationalUnits": ["ou-ab12-workload1"] },
              "distribution": { "regions": ["us-east-1", "eu-west-1"], "targetAccounts": ["{{Target.AccountId}}"] },
              "governance": {
                "imageBlockPublicAccess": true,
                "snapshotBlockPublicAccess": "block-all-sharing",
                "ebsEncryptionByDefault": "regional-key",
                "allowedImages": { "mode": "audit-mode", "providers": ["amazon"], "maxAgeDays": 365 }
              },
              "images": [ { "name": "app", "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" }, "components": [ { "managed": "update-linux" } ] } ]
            }
            """);

        // The factory account has everything set in us-east-1; in eu-west-1, EBS encryption by default is off.
        using var kms = Factory.Kms("us-east-1");
        KeyArn = (await kms.CreateKeyAsync(new CreateKeyRequest { Description = "regional key" })).KeyMetadata.Arn;
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = "alias/amiinfra/gov/ami", TargetKeyId = KeyArn });
        using var east = Factory.Ec2("us-east-1");
        await east.EnableEbsEncryptionByDefaultAsync(new EnableEbsEncryptionByDefaultRequest());
        await east.ModifyEbsDefaultKmsKeyIdAsync(new ModifyEbsDefaultKmsKeyIdRequest { KmsKeyId = KeyArn });
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The interceptor answering what moto lacks: every control as declared in us-east-1, Allowed AMIs off in eu-west-1.</summary>
    public AwsInterceptor Answered() => new AwsInterceptor()
        .Respond("GetImageBlockPublicAccessState", "<imageBlockPublicAccessState>block-new-sharing</imageBlockPublicAccessState><managedBy>account</managedBy>")
        .Respond("GetSnapshotBlockPublicAccessState", "<state>block-all-sharing</state><managedBy>account</managedBy>")
        .Respond("GetEbsDefaultKmsKeyId", $"<kmsKeyId>{KeyArn}</kmsKeyId>", call => call.Region == "us-east-1")
        .Respond("GetEbsDefaultKmsKeyId", "<kmsKeyId>arn:aws:kms:eu-west-1:200000000021:alias/aws/ebs</kmsKeyId>", call => call.Region == "eu-west-1")
        .Respond("GetAllowedImagesSettings", $"<state>audit-mode</state><imageCriterionSet><item><imageProviderSet><item>{Factory.AccountId}</item></imageProviderSet></item><item><imageProviderSet><item>amazon</item></imageProviderSet><creationDateCondition><maximumDaysSinceCreated>365</maximumDaysSinceCreated></creationDateCondition></item></imageCriterionSet><managedBy>account</managedBy>", call => call.Region == "us-east-1")
        .Respond("GetAllowedImagesSettings", "<state>disabled</state><imageCriterionSet/><managedBy>account</managedBy>", call => call.Region == "eu-west-1");
}

public sealed class GuardTests(GuardFixture fixture) : IClassFixture<GuardFixture>
{
    private static List<(string Account, string Region, string Control, string Set, string Status)> Controls(CliResult result) =>
        result.Json.GetProperty("controls").EnumerateArray()
            .Select(c => (c.GetProperty("account").GetString()!, c.GetProperty("region").GetString()!, c.GetProperty("control").GetString()!, c.GetProperty("set").GetString()!, c.GetProperty("status").GetString()!))
            .ToList();

    [Fact]
    public async Task Without_the_interceptor_the_controls_moto_lacks_are_not_checked_and_the_exit_says_incomplete()
    {
        var result = await CliRun.RunAsync(fixture.Factory.Environment(), ["guard", "--declaration", fixture.Declaration, "--regions", "us-east-1", "--output", "json"]);

        Assert.True(result.ExitCode == ExitCodes.Incomplete, result.ToString());
        Assert.False(result.Json.GetProperty("complete").GetBoolean());
        Assert.Equal(5, result.Json.GetProperty("notRead").GetArrayLength());
        var controls = Controls(result);
        Assert.Contains((fixture.Factory.AccountId, "us-east-1", "ebs-encryption-by-default", "on", "ok"), controls);
        foreach (var control in new[] { "image-block-public-access", "snapshot-block-public-access", "ebs-default-key", "allowed-images", "allowed-images-criteria" })
        {
            Assert.Contains((fixture.Factory.AccountId, "us-east-1", control, "unknown", "not-checked"), controls);
        }

        Assert.Equal(5, result.Json.GetProperty("notChecked").GetInt32());
    }

    [Fact]
    public async Task Reports_each_declared_control_as_declared_and_as_set_per_region()
    {
        var result = await CliRun.RunAsync(fixture.Factory.Environment(), ["guard", "--declaration", fixture.Declaration, "--output", "json"], fixture.Answered());

        Assert.True(result.ExitCode == ExitCodes.Violations, result.ToString());
        var controls = Controls(result);
        Assert.All(controls.Where(c => c.Region == "us-east-1"), c => Assert.Equal("ok", c.Status));
        Assert.Equal(6, controls.Count(c => c.Region == "us-east-1"));
        Assert.Contains((fixture.Factory.AccountId, "eu-west-1", "ebs-encryption-by-default", "off", "drift"), controls);
        Assert.Contains((fixture.Factory.AccountId, "eu-west-1", "allowed-images", "disabled", "drift"), controls);
        Assert.Contains((fixture.Factory.AccountId, "eu-west-1", "allowed-images-criteria", "none", "drift"), controls);
        Assert.Contains((fixture.Factory.AccountId, "eu-west-1", "ebs-default-key", "arn:aws:kms:eu-west-1:200000000021:alias/aws/ebs", "drift"), controls);
        Assert.Equal(4, result.Json.GetProperty("drift").GetInt32());

        // The same keys on every row.
        var keys = result.Json.GetProperty("controls").EnumerateArray().Select(c => string.Join(",", c.EnumerateObject().Select(p => p.Name))).Distinct().ToList();
        Assert.Equal(["account,region,control,declared,set,status,detail"], keys);
    }

    [Fact]
    public async Task The_table_fits_120_columns_and_says_how_many_controls_drift()
    {
        var result = await CliRun.RunAsync(fixture.Factory.Environment(), ["guard", "--declaration", fixture.Declaration], fixture.Answered());

        Assert.True(result.ExitCode == ExitCodes.Violations, result.ToString());
        var lines = result.Out.TrimEnd().Split('\n');
        Assert.StartsWith("ACCOUNT", lines[0], StringComparison.Ordinal);
        Assert.All(lines.TakeWhile(l => l.Length > 0 && !l.StartsWith("4 control", StringComparison.Ordinal)), l => Assert.True(l.Length <= 120, l));
        Assert.Contains("4 control(s) not set as declared, in 1 account(s) and 2 region(s).", lines);
        Assert.Equal($"Account {fixture.Factory.AccountId} (the declared account).", lines[^1]);
    }

    [Fact]
    public async Task Reads_the_target_accounts_through_an_assumed_role_with_their_own_default_key()
    {
        var result = await CliRun.RunAsync(fixture.Factory.Environment(), ["guard", "--declaration", fixture.Declaration, "--regions", "us-east-1", "--target-role", "OrganizationAccountAccessRole", "--output", "json"], fixture.Answered());

        Assert.True(result.ExitCode == ExitCodes.Violations, result.ToString());
        var controls = Controls(result);
        // moto keeps EBS encryption by default per account: the target account's is off.
        Assert.Contains((fixture.Target.AccountId, "us-east-1", "ebs-encryption-by-default", "off", "drift"), controls);
        Assert.DoesNotContain(controls, c => c.Account == fixture.Target.AccountId && c.Control == "ebs-default-key");
        Assert.Contains((fixture.Target.AccountId, "us-east-1", "image-block-public-access", "block-new-sharing", "ok"), controls);
        Assert.Equal([fixture.Factory.AccountId, fixture.Target.AccountId], result.Json.GetProperty("accounts").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Audit_reports_the_controls_set_otherwise_than_declared()
    {
        var result = await CliRun.RunAsync(fixture.Factory.Environment(), ["audit", "--declaration", fixture.Declaration, "--output", "json"], fixture.Answered());

        Assert.True(result.ExitCode == ExitCodes.Violations, result.ToString());
        var drift = result.Json.GetProperty("violations").EnumerateArray()
            .Where(v => v.GetProperty("kind").GetString() == "governance-drift")
            .Select(v => (v.GetProperty("region").GetString(), v.GetProperty("detail").GetString()))
            .ToList();
        Assert.Contains(("eu-west-1", "ebs-encryption-by-default is off, the governance declares on: new EBS volumes may be created unencrypted"), drift);
        Assert.Contains(drift, d => d.Item2!.StartsWith("allowed-images is disabled, the governance declares audit-mode", StringComparison.Ordinal));
        Assert.DoesNotContain(drift, d => d.Item1 == "us-east-1");
    }

    [Theory]
    [InlineData(new[] { "--accounts", "444455556666" }, "--accounts needs --target-role: the role to assume in each of those accounts")]
    [InlineData(new[] { "--target-role", "Reader", "--accounts", "4444" }, "option --accounts: got \"4444\"; expected a 12-digit AWS account id")]
    public async Task Usage_errors_exit_2(string[] arguments, string message)
    {
        var result = await CliRun.RunAsync(fixture.Factory.Environment(), ["guard", "--declaration", fixture.Declaration, .. arguments]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal($"amiinfra: {message}", result.Error.TrimEnd());
    }

    [Fact]
    public async Task Credentials_of_another_account_are_refused()
    {
        var result = await CliRun.RunAsync(fixture.Target.Environment(), ["guard", "--declaration", fixture.Declaration], fixture.Answered());

        Assert.Equal(ExitCodes.AccountMismatch, result.ExitCode);
    }
}
