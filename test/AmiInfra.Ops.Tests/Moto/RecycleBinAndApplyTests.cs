using AmiInfra.Ops.Core;
using AmiInfra.Ops.Cli;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Moto;

public sealed class RecycleBinFixture
{
    public MotoAccount Account { get; } = new("200000000010");
}

/// <summary>
/// moto 5.2 has no Recycle Bin (its Recycle Bin APIs answer with an HTML 500) and no DisableImage,
/// EnableImage or EnableImageDeprecation: the interceptor emulates them (<see cref="AwsInterceptor.EmulateRecycleBin"/>,
/// <see cref="AwsInterceptor.EmulateImageStates"/>); deregistration, snapshot deletion and every listing are moto's.
/// </summary>
public sealed class RecycleBinAndApplyTests(RecycleBinFixture fixture) : IClassFixture<RecycleBinFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Restore_brings_back_a_deregistered_ami_with_its_snapshots()
    {
        using var ec2 = fixture.Account.Ec2("us-east-1");
        var (ami, snapshots) = await Seed.ImageFromInstanceAsync(ec2, "bin", "app", "bin-app-1");
        var interceptor = new AwsInterceptor().EmulateRecycleBin();
        var env = fixture.Account.Environment();

        var deregistered = await CliRun.RunAsync(env, ["deregister", ami, "--yes"], interceptor);
        Assert.True(deregistered.ExitCode == ExitCodes.Success, deregistered + string.Join(",", interceptor.Forwarded.Select(c => c.Action)));

        var listed = await CliRun.RunAsync(env, ["recycle-bin", "list", "--region", "us-east-1", "--output", "json"], interceptor);
        Assert.True(listed.ExitCode == ExitCodes.Success, listed.ToString());
        var inBin = listed.Json.GetProperty("images").EnumerateArray().Single(i => i.GetProperty("imageId").GetString() == ami);
        Assert.Equal(snapshots[0], inBin.GetProperty("snapshotIds")[0].GetString());

        var again = await CliRun.RunAsync(env, ["deregister", ami, "--yes", "--output", "json"], interceptor);
        Assert.True(again.ExitCode == ExitCodes.Success, again.ToString());
        Assert.Equal("already deregistered", again.Json.GetProperty("actions")[0].GetProperty("result").GetString());

        var restored = await CliRun.RunAsync(env, ["recycle-bin", "restore", ami, "--output", "json"], interceptor);

        Assert.True(restored.ExitCode == ExitCodes.Success, restored.ToString());
        var actions = restored.Json.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("id").GetString(), a.GetProperty("result").GetString())).ToList();
        Assert.Equal([(snapshots[0], "restored"), (ami, "restored")], actions);
        var images = await CliRun.RunAsync(env, ["usage", ami, "--output", "json"], interceptor);
        Assert.True(images.ExitCode == ExitCodes.Success, images.ToString());

        var rerun = await CliRun.RunAsync(env, ["recycle-bin", "restore", ami, "--output", "json"], interceptor);
        Assert.True(rerun.ExitCode == ExitCodes.Success, rerun.ToString());
        Assert.Equal("already restored", rerun.Json.GetProperty("actions")[0].GetProperty("result").GetString());
    }

    [Fact]
    public async Task Restore_of_an_ami_that_is_nowhere_is_an_error()
    {
        var result = await CliRun.RunAsync(fixture.Account.Environment(), ["recycle-bin", "restore", "ami-0aaaaaaaaaaaaaaaa"], new AwsInterceptor().EmulateRecycleBin());

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.StartsWith("amiinfra: AMI ami-0aaaaaaaaaaaaaaaa is neither in us-east-1 nor in its Recycle Bin", result.Error);
    }

    [Fact]
    public async Task Lifecycle_apply_deprecates_disables_and_deletes_then_a_rerun_does_nothing()
    {
        var declaration = Declarations.Write("apl", fixture.Account.AccountId, """{ "regions": ["us-east-1"] }""", """{ "deprecate": { "afterDays": 30 }, "disable": { "afterDays": 90 }, "delete": { "afterDays": 180 }, "keepAtLeast": 1 }""", "app");
        using var ec2 = fixture.Account.Ec2("us-east-1");
        var interceptor = new AwsInterceptor().Throttle("DeregisterImage", 0.3, seed: 5).Throttle("DeleteSnapshot", 0.3, seed: 6).EmulateImageStates();
        var amis = new Dictionary<string, string>();
        foreach (var (key, days) in new[] { ("newest", 1), ("deprecate", 45), ("disable", 100), ("delete", 300) })
        {
            amis[key] = (await Seed.ImageFromInstanceAsync(ec2, "apl", "app", $"apl-app-{key}")).ImageId;
            interceptor.SetImageField(amis[key], "creationDate", Now.AddDays(-days).ToString("yyyy-MM-ddTHH:mm:ss.000Z"));
        }

        var busy = (await ec2.RunInstancesAsync(new Amazon.EC2.Model.RunInstancesRequest { ImageId = amis["disable"], MinCount = 1, MaxCount = 1 })).Reservation.Instances[0].InstanceId;
        var env = fixture.Account.Environment();

        var dry = await CliRun.RunAsync(env, ["lifecycle", "apply", "--declaration", declaration, "--output", "json"], interceptor, Now);
        Assert.True(dry.ExitCode == ExitCodes.Refused, dry.ToString());
        Assert.True(dry.Json.GetProperty("dryRun").GetBoolean());
        Assert.Equal(0, interceptor.Injected.Count(c => c.Action is "EnableImageDeprecation" or "DisableImage") + interceptor.CountForwarded("DeregisterImage"));

        await ec2.TerminateInstancesAsync(new Amazon.EC2.Model.TerminateInstancesRequest { InstanceIds = [busy] });
        var applied = await CliRun.RunAsync(env, ["lifecycle", "apply", "--declaration", declaration, "--yes", "--output", "json"], interceptor, Now);

        Assert.True(applied.ExitCode == ExitCodes.Success, applied.ToString());
        var results = applied.Json.GetProperty("actions").EnumerateArray().Where(a => a.GetProperty("resource").GetString() == "image").ToDictionary(a => a.GetProperty("id").GetString()!, a => a.GetProperty("result").GetString()!);
        Assert.Equal("deprecated at 2026-06-01 00:01 UTC", results[amis["deprecate"]]);
        Assert.Equal("disabled", results[amis["disable"]]);
        Assert.Equal("deregistered", results[amis["delete"]]);
        Assert.False(results.ContainsKey(amis["newest"]));
        Assert.False(await Seed.ImageExistsAsync(ec2, amis["delete"]));
        Assert.Equal(1, interceptor.CountForwarded("DeregisterImage"));
        Assert.Equal(1, interceptor.Injected.Count(c => c.Action == "DisableImage" && c.Parameters["ImageId"] == amis["disable"]));
        Assert.Equal(1, interceptor.CountForwarded("DeleteSnapshot"));

        var (forwarded, injected) = (interceptor.Forwarded.Count, interceptor.Injected.Count);
        var rerun = await CliRun.RunAsync(env, ["lifecycle", "apply", "--declaration", declaration, "--yes"], interceptor, Now);

        Assert.True(rerun.ExitCode == ExitCodes.Success, rerun.ToString());
        Assert.StartsWith("Nothing to do.", rerun.Out);
        var after = interceptor.Forwarded.Skip(forwarded).Concat(interceptor.Injected.Skip(injected)).ToList();
        Assert.NotEmpty(after);
        Assert.DoesNotContain(after, c => c.Action is "DeregisterImage" or "DeleteSnapshot" or "DisableImage" or "EnableImageDeprecation" or "EnableImage");
    }
}
