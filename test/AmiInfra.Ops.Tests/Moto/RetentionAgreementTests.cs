using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using AmiInfra.Ops.Core;
using AmiInfra.Ops.Tests.Infrastructure;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Tests.Moto;

/// <summary>
/// The retention windows are computed twice: by the retention marker (Python, inline in the factory stack, which tags
/// the AMIs) and by the engine of <c>lifecycle plan</c>, <c>audit</c> and <c>lifecycle forecast</c> (C#). This runs the
/// marker's exact code against moto, then the CLI over what it left, and shows the two agree: the audit finds no
/// retention mark out of place, and the plan acts on exactly the AMIs the marks leave unprotected.
/// </summary>
public sealed class RetentionAgreementTests
{
    private const string Region = "us-east-1";
    private readonly MotoAccount account = new("200000000042");

    [Fact]
    public async Task The_marker_and_the_cli_agree_on_the_retention_windows()
    {
        var declaration = Declarations.Write("agr", account.AccountId, """{ "regions": ["us-east-1"] }""", """{ "deprecate": { "afterDays": 30 }, "delete": { "keepNewest": 3 }, "keepAtLeast": 2 }""", "app");
        using var ec2 = account.Ec2(Region);
        var amis = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            amis.Add(await Seed.TaggedImageAsync(ec2, "agr", "app", $"agr-app-{i}"));
        }

        // The two newest builds failed their release verification: they take no place in a window.
        var created = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = amis })).Images
            .OrderByDescending(i => i.CreationDate, StringComparer.Ordinal).ThenBy(i => i.ImageId, StringComparer.Ordinal).Select(i => i.ImageId).ToList();
        var failed = created.Take(2).ToList();
        await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = failed, Tags = [new Amazon.EC2.Model.Tag(AmiTagKeys.VerificationResult, AmiTagKeys.VerificationFailed)] });

        var factory = Declaration.FactoryLoader.Load(declaration);
        var retirement = factory.Images[0].Lifecycle!;
        var windows = new JsonObject();
        foreach (var (name, step) in new[] { ("deprecate", retirement.Deprecate), ("disable", retirement.Disable), ("delete", retirement.Delete) })
        {
            if (step is not null)
            {
                windows[name] = Lifecycles.WindowSize(new LifecycleStepRule(name, step.AfterDays, step.KeepNewest), retirement.KeepAtLeast);
            }
        }

        var config = new JsonObject
        {
            ["factory"] = "agr",
            ["targetRole"] = "agr-retention-marker-target",
            ["images"] = new JsonArray(new JsonObject { ["image"] = "app", ["recipe"] = "agr-app", ["regions"] = new JsonArray(Region), ["accounts"] = new JsonArray(), ["self"] = true, ["windows"] = windows }),
        };
        await RunMarkerAsync(new JsonObject { ["config"] = config });

        var tagged = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"], Filters = [new Filter("tag:amiinfra:factory", ["agr"])] })).Images;
        var newestFirst = tagged.OrderByDescending(i => i.CreationDate, StringComparer.Ordinal).ThenBy(i => i.ImageId, StringComparer.Ordinal).Select(i => i.ImageId).ToList();
        bool Has(string id, string key) => tagged.Single(i => i.ImageId == id).Tags.Any(t => t.Key == key && t.Value == "true");
        var ranked = newestFirst.Except(failed).ToList();
        Assert.Equal(ranked.Take(2), newestFirst.Where(id => Has(id, AmiTagKeys.RetainDeprecate)));
        Assert.Equal(ranked.Take(3), newestFirst.Where(id => Has(id, AmiTagKeys.RetainDelete)));
        Assert.All(failed, id => Assert.False(Has(id, AmiTagKeys.RetainDeprecate) || Has(id, AmiTagKeys.RetainDelete)));

        var later = DateTimeOffset.UtcNow.AddDays(40);
        var interceptor = new AwsInterceptor()
            .Respond("GetImageBlockPublicAccessState", "<imageBlockPublicAccessState>block-new-sharing</imageBlockPublicAccessState>")
            .Respond("GetSnapshotBlockPublicAccessState", "<state>block-all-sharing</state>");
        var audit = await CliRun.RunAsync(account.Environment(Region), ["audit", "--declaration", declaration, "--output", "json"], interceptor, later);
        var plan = await CliRun.RunAsync(account.Environment(Region), ["lifecycle", "plan", "--declaration", declaration, "--output", "json"], interceptor, later);

        Assert.DoesNotContain(audit.Json.GetProperty("violations").EnumerateArray(), v => v.GetProperty("kind").GetString() == "retention-marks-stale");
        var actions = plan.Json.GetProperty("decisions").EnumerateArray().ToDictionary(d => d.GetProperty("imageId").GetString()!, d => d.GetProperty("action").GetString());
        // The failed builds are retired like any AMI outside the windows (here: deleted, past the count step's day);
        // the verified copies keep their places.
        Assert.Equal(failed, newestFirst.Take(2));
        Assert.Equal(["delete", "delete", "keep", "keep", "deprecate", "delete"], newestFirst.Select(id => actions[id]));
    }

    private async Task RunMarkerAsync(JsonObject @event)
    {
        var folder = Directory.CreateTempSubdirectory("amiinfra-marker-").FullName;
        try
        {
            File.Copy(Path.Combine(CliRun.RepositoryRoot, "src", "AmiInfra.Constructs", "Lifecycle", "retention_marker.py"), Path.Combine(folder, "index.py"));
            var start = new ProcessStartInfo("python3", ["-c", "import json, sys; sys.path.insert(0, sys.argv[1]); import index\nclass C: invoked_function_arn = sys.argv[2]\nprint(json.dumps(index.handler(json.load(sys.stdin), C())))", folder, $"arn:aws:lambda:{Region}:{account.AccountId}:function:agr-retention-marker"])
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var (key, value) in account.Environment(Region))
            {
                start.Environment[key] = value;
            }

            start.Environment["AWS_ENDPOINT_URL_EC2"] = account.Server.Endpoint;
            start.Environment["AWS_ENDPOINT_URL_STS"] = account.Server.Endpoint;
            start.Environment.Remove("AWS_PROFILE");
            using var process = Process.Start(start)!;
            await process.StandardInput.WriteAsync(@event.ToJsonString());
            process.StandardInput.Close();
            var error = process.StandardError.ReadToEndAsync();
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"the marker failed: {await error}\n{output}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
