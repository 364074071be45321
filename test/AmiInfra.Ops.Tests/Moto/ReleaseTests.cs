using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using AmiInfra.Declaration;
using AmiInfra.Ops.Core;
using AmiInfra.Ops.Tests.Infrastructure;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class ReleaseFixture
{
    public const string AccountId = "200000000045";

    public MotoAccount Account { get; } = new(AccountId);
}

/// <summary>
/// <c>amiinfra release status|promote|rollback</c> against moto: real AMIs with the verification tags the state machine
/// records, real SSM parameters and launch templates. Deregistration protection, which moto lacks, is emulated by the
/// interceptor. Each test seeds a factory of its own (its AMIs, parameter and launch template are its own).
/// </summary>
public sealed class ReleaseTests(ReleaseFixture fixture) : IClassFixture<ReleaseFixture>
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1"];

    /// <summary>The versions of the seeded image and what their verification recorded: passed, passed, failed, never verified, passed.</summary>
    private static readonly (string Version, string? Result)[] Versions = [("1.0.0", "passed"), ("1.0.1", "passed"), ("1.0.2", "failed"), ("1.0.3", null), ("1.0.4", "passed")];

    private Dictionary<string, string> Env => fixture.Account.Environment("us-east-1");

    /// <summary>A seeded factory: its declaration, the AMI of each version in each region, its "latest" parameter and its launch template (us-east-1).</summary>
    private sealed record Estate(string Declaration, Dictionary<(string Version, string Region), string> Amis, string Parameter, string Template)
    {
        public string Ami(string version, string region = "us-east-1") => Amis[(version, region)];
    }

    /// <summary>Seeds a factory named <paramref name="factory"/> whose image 'app' is promoted at <paramref name="promoted"/> in both regions (protected, and in the launch template).</summary>
    private async Task<Estate> SeedAsync(string factory, string promoted = "1.0.1", string? consumer = null)
    {
        var amis = new Dictionary<(string, string), string>();
        foreach (var region in Regions)
        {
            using var ec2 = fixture.Account.Ec2(region);
            foreach (var (version, result) in Versions)
            {
                var tags = new List<(string, string)> { (AmiTagKeys.RecipeVersion, version) };
                if (result is not null)
                {
                    tags.Add((AmiTagKeys.VerificationResult, result));
                    tags.Add((AmiTagKeys.VerifiedAt, "2026-12-01T10:00:00Z"));
                    tags.Add((AmiTagKeys.VerificationExecution, $"arn:aws:states:{region}:{ReleaseFixture.AccountId}:execution:{factory}-release-verify:{version}"));
                }

                if (result == "failed")
                {
                    tags.Add((AmiTagKeys.VerificationReason, "status checks failed in eu-west-1c"));
                }

                amis[(version, region)] = await Seed.TaggedImageAsync(ec2, factory, "app", $"{factory}-app-{version}", [.. tags]);
            }
        }

        string template;
        using (var ec2 = fixture.Account.Ec2("us-east-1"))
        {
            template = (await ec2.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest
            {
                LaunchTemplateName = $"{factory}-app",
                LaunchTemplateData = new RequestLaunchTemplateData { ImageId = amis[(promoted, "us-east-1")], InstanceType = "t3.micro" },
            })).LaunchTemplate.LaunchTemplateId;
        }

        var sharing = consumer is null ? "" : $$""", "launchPermissions": { "accounts": ["{{consumer}}"] }""";
        var declaration = Declarations.Write(factory, ReleaseFixture.AccountId, $$"""{ "regions": ["us-east-1", "eu-west-1"], "launchTemplates": [ { "region": "us-east-1", "id": "{{template}}" } ]{{sharing}} }""", null, "app");
        var parameter = FactoryLoader.Load(declaration).Images[0].Distribution.SsmParameterName;
        foreach (var region in Regions)
        {
            await Seed.ParameterAsync(fixture.Account, region, parameter, amis[(promoted, region)], "aws:ec2:image");
        }

        return new Estate(declaration, amis, parameter, template);
    }

    /// <summary>The interceptor of a run: the promoted version's copies protected, as a promotion left them.</summary>
    private static AwsInterceptor Interceptor(Estate estate, string promoted = "1.0.1")
    {
        var interceptor = new AwsInterceptor().EmulateImageReferences().EmulateDeregistrationProtection();
        foreach (var region in Regions)
        {
            interceptor.SetImageField(estate.Ami(promoted, region), "deregistrationProtection", "enabled");
        }

        return interceptor;
    }

    private async Task<string?> ParameterAsync(Estate estate, string region)
    {
        using var ssm = fixture.Account.Ssm(region);
        return (await ssm.GetParameterAsync(new Amazon.SimpleSystemsManagement.Model.GetParameterRequest { Name = estate.Parameter })).Parameter.Value;
    }

    private async Task<LaunchTemplateVersion> DefaultVersionAsync(Estate estate)
    {
        using var ec2 = fixture.Account.Ec2("us-east-1");
        return (await ec2.DescribeLaunchTemplateVersionsAsync(new DescribeLaunchTemplateVersionsRequest { LaunchTemplateId = estate.Template, Versions = ["$Default"] })).LaunchTemplateVersions.Single();
    }

    private static readonly string[] Mutations = ["PutParameter", "CreateLaunchTemplateVersion", "ModifyLaunchTemplate", "EnableImageDeregistrationProtection", "DisableImageDeregistrationProtection", "ModifyImageAttribute"];

    private static int MutationCalls(AwsInterceptor interceptor) =>
        Mutations.Sum(interceptor.CountForwarded) + interceptor.Injected.Count(c => Mutations.Contains(c.Action));

    [Fact]
    public async Task Status_shows_each_version_per_region_with_its_verification_promotion_and_users()
    {
        var estate = await SeedAsync("rls");
        using (var ec2 = fixture.Account.Ec2("us-east-1"))
        {
            await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = estate.Ami("1.0.0"), MinCount = 1, MaxCount = 1, InstanceType = "t3.micro" });
        }

        var result = await CliRun.RunAsync(Env, ["release", "status", "app", "--declaration", estate.Declaration, "--output", "json"], Interceptor(estate));

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var copies = result.Json.GetProperty("copies").EnumerateArray().ToList();
        Assert.Equal(10, copies.Count);
        Assert.Equal(["1.0.4", "1.0.4", "1.0.3", "1.0.3", "1.0.2", "1.0.2", "1.0.1", "1.0.1", "1.0.0", "1.0.0"], copies.Select(c => c.GetProperty("version").GetString()));
        JsonElement Row(string version, string region) => copies.Single(c => c.GetProperty("version").GetString() == version && c.GetProperty("region").GetString() == region);
        Assert.All(Regions, region => Assert.True(Row("1.0.1", region).GetProperty("promoted").GetBoolean()));
        Assert.Equal(2, copies.Count(c => c.GetProperty("promoted").GetBoolean()));
        Assert.Equal(("failed", "status checks failed in eu-west-1c"), (Row("1.0.2", "eu-west-1").GetProperty("verification").GetString(), Row("1.0.2", "eu-west-1").GetProperty("verificationReason").GetString()));
        Assert.Equal("unverified", Row("1.0.3", "us-east-1").GetProperty("verification").GetString());
        Assert.Equal("passed", Row("1.0.4", "eu-west-1").GetProperty("verification").GetString());
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), Row("1.0.4", "eu-west-1").GetProperty("verifiedAt").GetDateTimeOffset());
        Assert.True(Row("1.0.1", "us-east-1").GetProperty("deregistrationProtection").GetBoolean());
        Assert.Equal(estate.Ami("1.0.1"), Row("1.0.1", "us-east-1").GetProperty("imageId").GetString());
        var users = Row("1.0.0", "us-east-1").GetProperty("usedBy").EnumerateArray().Select(u => u.GetString()).ToList();
        Assert.Single(users);
        Assert.StartsWith("instance i-", users[0]);
        Assert.Empty(Row("1.0.0", "eu-west-1").GetProperty("usedBy").EnumerateArray());

        var table = await CliRun.RunAsync(Env, ["release", "status", "app", "--declaration", estate.Declaration, "--wide"], Interceptor(estate));
        Assert.True(table.ExitCode == ExitCodes.Success, table.ToString());
        Assert.Contains("failed: status checks failed in eu-west-1c", table.Out);
        Assert.Contains(estate.Parameter, table.Out);
    }

    [Fact]
    public async Task Status_says_it_is_partial_when_a_kind_of_user_cannot_be_looked_for()
    {
        var estate = await SeedAsync("rlp");
        var interceptor = Interceptor(estate)
            .Fail(c => c.Action == "DescribeLaunchConfigurations", "AccessDenied", "not authorized to perform: autoscaling:DescribeLaunchConfigurations", System.Net.HttpStatusCode.Forbidden);

        var result = await CliRun.RunAsync(Env, ["release", "status", "app", "--declaration", estate.Declaration, "--output", "json"], interceptor);

        Assert.Equal(ExitCodes.Incomplete, result.ExitCode);
        Assert.False(result.Json.GetProperty("complete").GetBoolean());
        Assert.Contains("autoscaling:DescribeLaunchConfigurations", result.Out);
    }

    [Theory]
    [InlineData("1.0.2", "its verification failed (status checks failed in eu-west-1c)")]
    [InlineData("1.0.3", "it has not been verified")]
    public async Task Promote_refuses_a_version_whose_copies_did_not_pass_and_changes_nothing(string version, string why)
    {
        var estate = await SeedAsync(version == "1.0.2" ? "rlf" : "rlu");
        var interceptor = Interceptor(estate);

        var result = await CliRun.RunAsync(Env, ["release", "promote", "app", version, "--yes", "--declaration", estate.Declaration, "--wide"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Refused, result.ToString());
        Assert.Contains(why, result.Out);
        Assert.Contains("Nothing was changed in any region", result.Out);
        Assert.Equal(0, MutationCalls(interceptor));
        Assert.All(Regions, region => Assert.Equal(estate.Ami("1.0.1", region), ParameterAsync(estate, region).Result));
        Assert.Equal(estate.Ami("1.0.1"), (await DefaultVersionAsync(estate)).LaunchTemplateData.ImageId);
    }

    [Fact]
    public async Task Promote_with_force_promotes_an_unverified_version_and_prints_why()
    {
        var estate = await SeedAsync("rlx");
        var interceptor = Interceptor(estate);

        var result = await CliRun.RunAsync(Env, ["release", "promote", "app", "1.0.3", "--yes", "--force", "verified by hand, OPS-42", "--declaration", estate.Declaration, "--wide"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("--force: verified by hand, OPS-42", result.Out);
        Assert.Equal(estate.Ami("1.0.3", "eu-west-1"), await ParameterAsync(estate, "eu-west-1"));
    }

    [Fact]
    public async Task Promote_dry_run_shows_every_change_and_makes_none()
    {
        var estate = await SeedAsync("rld");
        var interceptor = Interceptor(estate);

        var result = await CliRun.RunAsync(Env, ["release", "promote", "app", "1.0.4", "--declaration", estate.Declaration, "--output", "json"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.True(result.Json.GetProperty("dryRun").GetBoolean());
        var actions = result.Json.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("region").GetString(), a.GetProperty("resource").GetString(), a.GetProperty("result").GetString()!)).ToList();
        Assert.Contains(actions, a => a.Item1 == "us-east-1" && a.Item2 == "ssm-parameter" && a.Item3.StartsWith($"would name {estate.Ami("1.0.4")}", StringComparison.Ordinal));
        Assert.Contains(actions, a => a.Item1 == "us-east-1" && a.Item2 == "launch-template" && a.Item3.StartsWith("would create a version", StringComparison.Ordinal));
        Assert.Contains(actions, a => a.Item1 == "eu-west-1" && a.Item2 == "image" && a.Item3.Contains("would turn deregistration protection off", StringComparison.Ordinal));
        Assert.Equal(0, MutationCalls(interceptor));
        Assert.Equal(estate.Ami("1.0.1"), await ParameterAsync(estate, "us-east-1"));
        Assert.Equal(estate.Ami("1.0.1"), (await DefaultVersionAsync(estate)).LaunchTemplateData.ImageId);
        Assert.Null(interceptor.Protection(estate.Ami("1.0.4")));
    }

    [Fact]
    public async Task Promote_writes_the_parameter_and_launch_template_and_moves_deregistration_protection()
    {
        var estate = await SeedAsync("rly");
        var interceptor = Interceptor(estate);

        var result = await CliRun.RunAsync(Env, ["release", "promote", "app", "1.0.4", "--yes", "--declaration", estate.Declaration, "--wide"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        foreach (var region in Regions)
        {
            Assert.Equal(estate.Ami("1.0.4", region), await ParameterAsync(estate, region));
            Assert.Equal("enabled", interceptor.Protection(estate.Ami("1.0.4", region)));
            Assert.Equal("disabled", interceptor.Protection(estate.Ami("1.0.1", region)));
        }

        var put = interceptor.Forwarded.First(c => c.Action == "PutParameter");
        var body = JsonNode.Parse(put.Body)!;
        Assert.Equal(("String", "aws:ec2:image", true), (body["Type"]!.GetValue<string>(), body["DataType"]!.GetValue<string>(), body["Overwrite"]!.GetValue<bool>()));
        var current = await DefaultVersionAsync(estate);
        Assert.Equal(estate.Ami("1.0.4"), current.LaunchTemplateData.ImageId);
        Assert.Equal(2, current.VersionNumber);
        Assert.Contains(interceptor.Forwarded, c => c.Action == "CreateLaunchTemplateVersion" && c.Parameters.GetValueOrDefault("SourceVersion") == "1");
        Assert.Contains(interceptor.Injected, c => c.Action == "EnableImageDeregistrationProtection" && c.Parameters.GetValueOrDefault("WithCooldown") == "true");

        // A rerun finds everything done and changes nothing.
        var again = await CliRun.RunAsync(Env, ["release", "promote", "app", "1.0.4", "--yes", "--declaration", estate.Declaration, "--output", "json"], interceptor);
        Assert.True(again.ExitCode == ExitCodes.Success, again.ToString());
        Assert.Equal(1, interceptor.CountForwarded("CreateLaunchTemplateVersion"));
        Assert.Equal(2, interceptor.CountForwarded("PutParameter"));
    }

    /// <summary>
    /// With release verification on, the distribution shares nothing: a promotion (here a forced one, of a version never
    /// verified, hence never shared) shares the copy with the declared consumers before the parameter names it, and only
    /// with the policy of the release commands.
    /// </summary>
    [Fact]
    public async Task Promote_shares_the_copy_with_the_declared_consumers_before_pointing_them_at_it()
    {
        const string consumer = "444455556666";
        var estate = await SeedAsync("rlc", consumer: consumer);
        var policy = Path.Combine(CliRun.RepositoryRoot, "docs", "iam", "amiinfra-release.json");
        var interceptor = Interceptor(estate).AllowOnly(policy);

        var dry = await CliRun.RunAsync(Env, ["release", "promote", "app", "1.0.3", "--force", "verified by hand", "--declaration", estate.Declaration, "--output", "json"], interceptor);
        Assert.True(dry.ExitCode == ExitCodes.Success, dry.ToString());
        Assert.Contains(dry.Json.GetProperty("actions").EnumerateArray(), a => a.GetProperty("id").GetString() == estate.Ami("1.0.3") && a.GetProperty("result").GetString() == $"would share with {consumer}");
        Assert.Equal(0, interceptor.CountForwarded("ModifyImageAttribute"));

        var result = await CliRun.RunAsync(Env, ["release", "promote", "app", "1.0.3", "--yes", "--force", "verified by hand", "--declaration", estate.Declaration, "--output", "json"], interceptor);
        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        using var ec2 = fixture.Account.Ec2("eu-west-1");
        var shared = await ec2.DescribeImageAttributeAsync(new DescribeImageAttributeRequest { ImageId = estate.Ami("1.0.3", "eu-west-1"), Attribute = Amazon.EC2.ImageAttributeName.LaunchPermission });
        Assert.Equal(consumer, Assert.Single(shared.ImageAttribute.LaunchPermissions).UserId);
        var calls = interceptor.Forwarded.Select(c => c.Action).ToList();
        Assert.True(calls.IndexOf("ModifyImageAttribute") < calls.IndexOf("PutParameter"), string.Join(", ", calls));

        // Shared already: a rerun shares nothing again.
        var again = await CliRun.RunAsync(Env, ["release", "promote", "app", "1.0.3", "--yes", "--force", "verified by hand", "--declaration", estate.Declaration, "--output", "json"], interceptor);
        Assert.True(again.ExitCode == ExitCodes.Success, again.ToString());
        Assert.Equal(2, interceptor.CountForwarded("ModifyImageAttribute"));
        Assert.Contains(again.Json.GetProperty("actions").EnumerateArray(), a => a.GetProperty("result").GetString() == "already shared with the declared consumers");
    }

    [Fact]
    public async Task Rollback_promotes_the_previous_version_that_passed()
    {
        var estate = await SeedAsync("rlr", promoted: "1.0.4");
        var interceptor = Interceptor(estate, promoted: "1.0.4");

        var dry = await CliRun.RunAsync(Env, ["release", "rollback", "app", "--declaration", estate.Declaration, "--output", "json"], interceptor);
        Assert.True(dry.ExitCode == ExitCodes.Success, dry.ToString());
        Assert.All(dry.Json.GetProperty("regions").EnumerateArray(), r => Assert.Equal("1.0.1", r.GetProperty("version").GetString()));
        Assert.Equal(0, MutationCalls(interceptor));

        var result = await CliRun.RunAsync(Env, ["release", "rollback", "app", "--yes", "--declaration", estate.Declaration, "--wide"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"replacing {estate.Ami("1.0.4")}", result.Out);
        foreach (var region in Regions)
        {
            Assert.Equal(estate.Ami("1.0.1", region), await ParameterAsync(estate, region));
            Assert.Equal("enabled", interceptor.Protection(estate.Ami("1.0.1", region)));
            Assert.Equal("disabled", interceptor.Protection(estate.Ami("1.0.4", region)));
        }

        Assert.Equal(estate.Ami("1.0.1"), (await DefaultVersionAsync(estate)).LaunchTemplateData.ImageId);

        // From 1.0.1 the previous verified version is 1.0.0; from 1.0.0 there is none, and nothing changes.
        var second = await CliRun.RunAsync(Env, ["release", "rollback", "app", "--yes", "--declaration", estate.Declaration], interceptor);
        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        Assert.Equal(estate.Ami("1.0.0"), await ParameterAsync(estate, "us-east-1"));
        var calls = MutationCalls(interceptor);
        var none = await CliRun.RunAsync(Env, ["release", "rollback", "app", "--yes", "--declaration", estate.Declaration], interceptor);
        Assert.Equal(ExitCodes.NotFound, none.ExitCode);
        Assert.Contains("no version of 'app' older than 1.0.0", none.Error);
        Assert.Equal(calls, MutationCalls(interceptor));
    }

    [Fact]
    public async Task An_ami_consumers_leave_that_an_instance_still_uses_keeps_its_protection_unless_forced()
    {
        var estate = await SeedAsync("rlg");
        string instance;
        using (var ec2 = fixture.Account.Ec2("us-east-1"))
        {
            instance = (await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = estate.Ami("1.0.1"), MinCount = 1, MaxCount = 1, InstanceType = "t3.micro" })).Reservation.Instances[0].InstanceId;
        }

        var interceptor = Interceptor(estate);
        var result = await CliRun.RunAsync(Env, ["release", "promote", "app", "1.0.4", "--yes", "--declaration", estate.Declaration, "--wide"], interceptor);

        Assert.True(result.ExitCode == ExitCodes.Refused, result.ToString());
        Assert.Contains($"refused: deregistration protection kept on, still used by instance {instance}", result.Out);
        Assert.Equal("enabled", interceptor.Protection(estate.Ami("1.0.1")));
        Assert.Equal("disabled", interceptor.Protection(estate.Ami("1.0.1", "eu-west-1")));
        Assert.Equal(estate.Ami("1.0.4"), await ParameterAsync(estate, "us-east-1"));

        var forced = await CliRun.RunAsync(Env, ["release", "promote", "app", "1.0.4", "--yes", "--force", "instances drained tonight", "--declaration", estate.Declaration, "--wide"], interceptor);

        Assert.True(forced.ExitCode == ExitCodes.Success, forced.ToString());
        Assert.Contains("--force: instances drained tonight", forced.Out);
        Assert.Equal("disabled", interceptor.Protection(estate.Ami("1.0.1")));
    }

    [Fact]
    public async Task Promote_stops_and_changes_nothing_when_the_usage_check_cannot_run_completely()
    {
        var estate = await SeedAsync("rli");
        var interceptor = Interceptor(estate)
            .Fail(c => c.Action == "DescribeLaunchConfigurations", "AccessDenied", "not authorized to perform: autoscaling:DescribeLaunchConfigurations", System.Net.HttpStatusCode.Forbidden);

        var result = await CliRun.RunAsync(Env, ["release", "promote", "app", "1.0.4", "--yes", "--declaration", estate.Declaration], interceptor);

        Assert.Equal(ExitCodes.Incomplete, result.ExitCode);
        Assert.Contains("nothing was changed", result.Error);
        Assert.Equal(0, MutationCalls(interceptor));
        Assert.Equal(estate.Ami("1.0.1"), await ParameterAsync(estate, "us-east-1"));
    }

    [Fact]
    public async Task A_denied_write_stops_the_promotion_with_access_denied_and_says_what_was_done()
    {
        var estate = await SeedAsync("rln");
        var policy = JsonNode.Parse(File.ReadAllText(Path.Combine(CliRun.RepositoryRoot, "docs", "iam", "amiinfra-release.json")))!["Statement"]!.AsArray()
            .SelectMany(s => s!["Action"]!.AsArray().Select(a => a!.GetValue<string>()))
            .Where(a => a != "ec2:CreateLaunchTemplateVersion");
        var interceptor = Interceptor(estate).AllowOnly(policy);

        var result = await CliRun.RunAsync(Env, ["release", "promote", "app", "1.0.4", "--yes", "--declaration", estate.Declaration], interceptor);

        Assert.Equal(ExitCodes.AccessDenied, result.ExitCode);
        Assert.Contains("ec2:CreateLaunchTemplateVersion", result.Error);
        Assert.Contains($"while creating a version of launch template {estate.Template} in us-east-1", result.Error);
        Assert.Contains("done before it: us-east-1 image", result.Error);
        Assert.Contains("rerun the command to finish", result.Error);
        // It stopped there: eu-west-1 was not touched, and the AMI consumers leave kept its protection.
        Assert.Equal(estate.Ami("1.0.1", "eu-west-1"), await ParameterAsync(estate, "eu-west-1"));
        Assert.Equal("enabled", interceptor.Protection(estate.Ami("1.0.1")));
    }

    [Fact]
    public async Task A_throttle_that_outlasts_the_retries_stops_the_command_as_a_throttle()
    {
        var estate = await SeedAsync("rlt");
        var interceptor = Interceptor(estate).Throttle("DescribeImages", 1.0, seed: 7);

        var result = await CliRun.RunAsync(new Dictionary<string, string>(Env) { ["AWS_MAX_ATTEMPTS"] = "2" }, ["release", "promote", "app", "1.0.4", "--yes", "--declaration", estate.Declaration], interceptor);

        Assert.Equal(ExitCodes.AwsError, result.ExitCode);
        Assert.Contains("AWS throttled the calls (RequestLimitExceeded)", result.Error);
        Assert.Equal(0, MutationCalls(interceptor));
    }

    [Fact]
    public async Task The_release_policy_is_enough_for_status_and_promote()
    {
        var estate = await SeedAsync("rlq");
        var policy = Path.Combine(CliRun.RepositoryRoot, "docs", "iam", "amiinfra-release.json");

        var status = await CliRun.RunAsync(Env, ["release", "status", "app", "--declaration", estate.Declaration], Interceptor(estate).AllowOnly(policy));
        var promote = await CliRun.RunAsync(Env, ["release", "promote", "app", "1.0.4", "--yes", "--declaration", estate.Declaration], Interceptor(estate).AllowOnly(policy));

        Assert.True(status.ExitCode == ExitCodes.Success, status.ToString());
        Assert.True(promote.ExitCode == ExitCodes.Success, promote.ToString());
        Assert.Equal(estate.Ami("1.0.4"), (await DefaultVersionAsync(estate)).LaunchTemplateData.ImageId);
    }

    [Fact]
    public void The_release_policy_adds_to_the_reads_only_the_verification_and_promotion_calls()
    {
        static List<string> Actions(string name) =>
            JsonNode.Parse(File.ReadAllText(Path.Combine(CliRun.RepositoryRoot, "docs", "iam", $"amiinfra-{name}.json")))!["Statement"]!.AsArray()
                .SelectMany(s => s!["Action"]!.AsArray().Select(a => a!.GetValue<string>()))
                .ToList();
        var release = Actions("release");
        var readOnly = Actions("read-only");

        Assert.Equal(release.Count, release.Distinct().Count());
        Assert.DoesNotContain(release, a => a.Contains('*', StringComparison.Ordinal));
        Assert.Equal(
            ["ec2:CreateLaunchTemplateVersion", "ec2:DisableImageDeregistrationProtection", "ec2:EnableImageDeregistrationProtection", "ec2:ModifyImageAttribute", "ec2:ModifyLaunchTemplate", "ssm:PutParameter", "states:DescribeExecution", "states:StartExecution"],
            release.Except(readOnly).Order(StringComparer.Ordinal));
    }
}
