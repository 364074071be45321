using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace AmiInfra.Ops.Tests.Infrastructure;

/// <summary>
/// Image Builder's builds, distribution configurations and DistributeImage, as the API reference documents them, on top
/// of moto's EC2 (which has no Image Builder):
/// - <see cref="AddBuild"/>: an image build version with its state, its outputResources.amis and its tags; ListImages
///   (filtered by name) and ListImageBuildVersions list them, GetImage returns them with the distribution configuration
///   they used.
/// - <see cref="AddDistributionConfiguration"/>, CreateDistributionConfiguration, GetDistributionConfiguration and
///   DeleteDistributionConfiguration (refused with ResourceDependencyException while an image still distributing uses it).
/// - DistributeImage: the source must be an AVAILABLE build and the caller may pass the role (iam:PassRole, and
///   imagebuilder:TagResource for tags on create, as the Service Authorization Reference lists them, when
///   <see cref="AllowOnly"/> is in force); the same clientToken returns the same image. The new image resource is
///   DISTRIBUTING for <see cref="DistributionPolls"/> GetImage calls; at the next one, each owner-account copy is made for real in
///   moto (CopyImage from the source's AMI in its home region, tagged with the configuration's amiTags), each target
///   account copy gets an AMI id, and a region of <see cref="FailDistributionTo"/> fails the image (FAILED, with the
///   regions that succeeded in its outputs).
/// </summary>
public sealed partial class AwsInterceptor
{
    private readonly Dictionary<string, EmulatedBuild> builds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> configurations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> distributeTokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> failingRegions = new(StringComparer.Ordinal);

    /// <summary>How many GetImage calls a DistributeImage image stays DISTRIBUTING for (the next one sees it ended).</summary>
    public int DistributionPolls { get; set; } = 1;

    /// <summary>The DistributeImage requests, as sent.</summary>
    public List<JsonObject> DistributeRequests { get; } = [];

    /// <summary>An Image Builder image build version (name is the image's name as listed; status AVAILABLE unless said).</summary>
    public AwsInterceptor AddBuild(string arn, string name, string status, IEnumerable<(string Region, string? Account, string Ami)> outputs, IReadOnlyDictionary<string, string>? tags = null)
    {
        lock (emulation)
        {
            builds[arn] = new EmulatedBuild(arn, name, status, null, outputs.ToList(), new Dictionary<string, string>(tags ?? new Dictionary<string, string>(), StringComparer.Ordinal), null, 0);
        }

        return this;
    }

    /// <summary>A deployed distribution configuration with its distributions (as the API returns them).</summary>
    public AwsInterceptor AddDistributionConfiguration(string arn, JsonArray distributions)
    {
        lock (emulation)
        {
            configurations[arn] = new JsonObject { ["arn"] = arn, ["name"] = arn.Split('/')[^1], ["distributions"] = distributions };
        }

        return this;
    }

    /// <summary>Distributions to <paramref name="region"/> fail: the image ends FAILED.</summary>
    public AwsInterceptor FailDistributionTo(string region)
    {
        failingRegions.Add(region);
        return this;
    }

    /// <summary>Every image still distributing ends at the second GetImage from now (the first still sees it DISTRIBUTING).</summary>
    public void FinishDistributions()
    {
        lock (emulation)
        {
            foreach (var build in builds.Values.Where(b => b.Status == "DISTRIBUTING").ToList())
            {
                builds[build.Arn] = build with { PollsLeft = 1 };
            }
        }
    }

    /// <summary>The distribution configurations that exist now (ARN to name).</summary>
    public IReadOnlyDictionary<string, string> DistributionConfigurations
    {
        get
        {
            lock (emulation)
            {
                return configurations.ToDictionary(c => c.Key, c => c.Value["name"]!.GetValue<string>(), StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The emulated build versions now: ARN, status, outputs and tags.</summary>
    public IReadOnlyList<(string Arn, string Status, IReadOnlyList<(string Region, string? Account, string Ami)> Outputs, IReadOnlyDictionary<string, string> Tags)> Builds
    {
        get
        {
            lock (emulation)
            {
                return builds.Values.Select(b => (b.Arn, b.Status, (IReadOnlyList<(string, string?, string)>)b.Outputs, (IReadOnlyDictionary<string, string>)b.Tags)).ToList();
            }
        }
    }

    private sealed record EmulatedBuild(string Arn, string Name, string Status, string? Reason, List<(string Region, string? Account, string Ami)> Outputs, Dictionary<string, string> Tags, string? Configuration, int PollsLeft, string? Source = null);

    private void EmulateDistribution()
    {
        answers.Add(async (call, request, forward, _) =>
        {
            if (call.Service != "imagebuilder")
            {
                return null;
            }

            switch (call.Action)
            {
                case "ListImages":
                    lock (emulation)
                    {
                        var body = JsonNode.Parse(call.Body)!;
                        var names = body["filters"]?.AsArray().Where(f => f!["name"]!.GetValue<string>() == "name").SelectMany(f => f!["values"]!.AsArray().Select(v => v!.GetValue<string>())).ToHashSet(StringComparer.Ordinal);
                        var versions = builds.Values.Where(b => names is null || names.Contains(b.Name)).Select(b => b.Arn[..b.Arn.LastIndexOf('/')]).Distinct(StringComparer.Ordinal);
                        return Json(HttpStatusCode.OK, null, null, new JsonObject
                        {
                            ["imageVersionList"] = new JsonArray(versions.Select(v => (JsonNode)new JsonObject { ["arn"] = v, ["name"] = v.Split('/')[^2], ["version"] = v.Split('/')[^1], ["type"] = "AMI", ["owner"] = "123456789012" }).ToArray()),
                        });
                    }

                case "ListImageBuildVersions":
                    lock (emulation)
                    {
                        var version = JsonNode.Parse(call.Body)!["imageVersionArn"]!.GetValue<string>();
                        return Json(HttpStatusCode.OK, null, null, new JsonObject
                        {
                            ["imageSummaryList"] = new JsonArray(builds.Values.Where(b => b.Arn.StartsWith(version + "/", StringComparison.Ordinal)).Select(b => (JsonNode)Summary(b)).ToArray()),
                        });
                    }

                case "GetImage":
                    var arn = call.Parameters.GetValueOrDefault("imageBuildVersionArn") ?? "";
                    EmulatedBuild? build;
                    var ends = false;
                    lock (emulation)
                    {
                        if (!builds.TryGetValue(arn, out build))
                        {
                            return null;
                        }

                        if (build.Status == "DISTRIBUTING")
                        {
                            ends = build.PollsLeft == 0;
                            builds[arn] = build = build with { PollsLeft = Math.Max(0, build.PollsLeft - 1) };
                        }
                    }

                    if (ends)
                    {
                        build = await CompleteAsync(build, request, forward);
                    }

                    var image = Summary(build);
                    lock (emulation)
                    {
                        if (build.Configuration is { } used)
                        {
                            image["distributionConfiguration"] = configurations.TryGetValue(used, out var c) ? c.DeepClone() : new JsonObject { ["arn"] = used };
                        }
                    }

                    return Json(HttpStatusCode.OK, null, null, new JsonObject { ["requestId"] = "injected", ["image"] = image });

                case "GetDistributionConfiguration":
                    lock (emulation)
                    {
                        var wanted = call.Parameters.GetValueOrDefault("distributionConfigurationArn") ?? "";
                        return configurations.TryGetValue(wanted, out var configuration)
                            ? Json(HttpStatusCode.OK, null, null, new JsonObject { ["requestId"] = "injected", ["distributionConfiguration"] = configuration.DeepClone() })
                            : Json(HttpStatusCode.NotFound, "ResourceNotFoundException", $"The distribution configuration {wanted} does not exist.");
                    }

                case "CreateDistributionConfiguration":
                    lock (emulation)
                    {
                        var body = JsonNode.Parse(call.Body)!.AsObject();
                        if (body["tags"] is JsonObject { Count: > 0 } && !Permits("imagebuilder:TagResource"))
                        {
                            return Json(HttpStatusCode.Forbidden, "AccessDeniedException", "User is not authorized to perform: imagebuilder:TagResource");
                        }

                        var account = configurations.Keys.Select(k => k.Split(':')[4]).FirstOrDefault() ?? "123456789012";
                        var created = $"arn:aws:imagebuilder:{call.Region}:{account}:distribution-configuration/{body["name"]!.GetValue<string>().ToLowerInvariant()}";
                        if (configurations.ContainsKey(created))
                        {
                            return Json(HttpStatusCode.Conflict, "ResourceAlreadyExistsException", $"The distribution configuration {created} already exists.");
                        }

                        configurations[created] = new JsonObject { ["arn"] = created, ["name"] = body["name"]!.DeepClone(), ["distributions"] = body["distributions"]!.DeepClone(), ["tags"] = body["tags"]?.DeepClone() };
                        return Json(HttpStatusCode.OK, null, null, new JsonObject { ["clientToken"] = body["clientToken"]?.DeepClone(), ["distributionConfigurationArn"] = created });
                    }

                case "DeleteDistributionConfiguration":
                    lock (emulation)
                    {
                        var doomed = call.Parameters.GetValueOrDefault("distributionConfigurationArn") ?? "";
                        if (builds.Values.Any(b => b.Configuration == doomed && b.Status == "DISTRIBUTING"))
                        {
                            return Json(HttpStatusCode.BadRequest, "ResourceDependencyException", $"The distribution configuration {doomed} is in use by an image being distributed.");
                        }

                        return configurations.Remove(doomed)
                            ? Json(HttpStatusCode.OK, null, null, new JsonObject { ["distributionConfigurationArn"] = doomed })
                            : Json(HttpStatusCode.NotFound, "ResourceNotFoundException", $"The distribution configuration {doomed} does not exist.");
                    }

                case "DistributeImage":
                    lock (emulation)
                    {
                        var body = JsonNode.Parse(call.Body)!.AsObject();
                        DistributeRequests.Add(body.DeepClone().AsObject());
                        var token = body["clientToken"]?.GetValue<string>() ?? "";
                        if (distributeTokens.TryGetValue(token, out var same))
                        {
                            return Json(HttpStatusCode.OK, null, null, new JsonObject { ["clientToken"] = token, ["imageBuildVersionArn"] = same });
                        }

                        if (!Permits("iam:PassRole"))
                        {
                            return Json(HttpStatusCode.Forbidden, "AccessDeniedException", $"User is not authorized to perform: iam:PassRole on resource: {body["executionRole"]}");
                        }

                        var source = body["sourceImage"]!.GetValue<string>();
                        var configuration = body["distributionConfigurationArn"]!.GetValue<string>();
                        if (!builds.TryGetValue(source, out var from) || from.Status != "AVAILABLE")
                        {
                            return Json(HttpStatusCode.BadRequest, "InvalidRequestException", $"The source image {source} is not AVAILABLE.");
                        }

                        if (!configurations.ContainsKey(configuration))
                        {
                            return Json(HttpStatusCode.NotFound, "ResourceNotFoundException", $"The distribution configuration {configuration} does not exist.");
                        }

                        var version = source[..source.LastIndexOf('/')];
                        var next = builds.Keys.Where(k => k.StartsWith(version + "/", StringComparison.Ordinal)).Select(k => int.Parse(k.Split('/')[^1], CultureInfo.InvariantCulture)).Max() + 1;
                        var arn2 = $"{version}/{next}";
                        var tags = (body["tags"] as JsonObject ?? []).ToDictionary(t => t.Key, t => t.Value!.GetValue<string>(), StringComparer.Ordinal);
                        builds[arn2] = new EmulatedBuild(arn2, from.Name, "DISTRIBUTING", null, [], tags, configuration, DistributionPolls, source);
                        distributeTokens[token] = arn2;
                        return Json(HttpStatusCode.OK, null, null, new JsonObject { ["clientToken"] = token, ["imageBuildVersionArn"] = arn2 });
                    }

                default:
                    return null;
            }
        });
    }

    private static JsonObject Summary(EmulatedBuild build)
    {
        var parts = build.Arn.Split('/');
        return new JsonObject
        {
            ["arn"] = build.Arn,
            ["name"] = build.Name,
            ["version"] = parts[^2],
            ["type"] = "AMI",
            ["state"] = new JsonObject { ["status"] = build.Status, ["reason"] = build.Reason },
            ["dateCreated"] = "2026-12-01T10:00:00.000Z",
            ["outputResources"] = new JsonObject
            {
                ["amis"] = new JsonArray(build.Outputs.Select(o =>
                {
                    var ami = new JsonObject { ["region"] = o.Region, ["image"] = o.Ami, ["state"] = new JsonObject { ["status"] = "AVAILABLE" } };
                    if (o.Account is not null)
                    {
                        ami["accountId"] = o.Account;
                    }

                    return (JsonNode)ami;
                }).ToArray()),
            },
            ["tags"] = new JsonObject(build.Tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))),
        };
    }

    /// <summary>Ends a DistributeImage image: copies the source AMI in moto for each region of its configuration, or fails the regions told to fail.</summary>
    private async Task<EmulatedBuild> CompleteAsync(EmulatedBuild build, HttpRequestMessage request, Func<HttpRequestMessage, Task<HttpResponseMessage>> forward)
    {
        JsonArray distributions;
        EmulatedBuild source;
        lock (emulation)
        {
            distributions = configurations[build.Configuration!]["distributions"]!.AsArray().DeepClone().AsArray();
            source = builds[build.Source!];
        }

        var home = source.Arn.Split(':')[3];
        var sourceAmi = source.Outputs.First(o => o.Region == home && o.Account is null).Ami;
        var outputs = new List<(string Region, string? Account, string Ami)>();
        var failed = new List<string>();
        foreach (var distribution in distributions.OfType<JsonObject>())
        {
            var region = distribution["region"]!.GetValue<string>();
            if (failingRegions.Contains(region))
            {
                failed.Add(region);
                continue;
            }

            var ami = distribution["amiDistributionConfiguration"]!.AsObject();
            var copy = XDocument.Parse(await (await forward(Ec2Request(request, region, ("Action", "CopyImage"), ("Version", "2016-11-15"), ("SourceImageId", sourceAmi), ("SourceRegion", home), ("Name", $"{build.Name}-{region}-{build.Arn.Split('/')[^1]}")))).Content.ReadAsStringAsync());
            var copied = copy.Descendants().First(e => e.Name.LocalName == "imageId").Value;
            var tags = (ami["amiTags"] as JsonObject ?? []).Select((t, i) => new[] { ($"Tag.{i + 1}.Key", t.Key), ($"Tag.{i + 1}.Value", t.Value!.GetValue<string>()) }).SelectMany(p => p).ToList();
            if (tags.Count > 0)
            {
                await forward(Ec2Request(request, region, [("Action", "CreateTags"), ("Version", "2016-11-15"), ("ResourceId.1", copied), .. tags]));
            }

            outputs.Add((region, null, copied));
            foreach (var account in (ami["targetAccountIds"] as JsonArray ?? []).Select(a => a!.GetValue<string>()))
            {
                outputs.Add((region, account, "ami-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{build.Arn}/{region}/{account}")))[..17]));
            }
        }

        lock (emulation)
        {
            var ended = build with
            {
                Status = failed.Count == 0 ? "AVAILABLE" : "FAILED",
                Reason = failed.Count == 0 ? null : $"Distribution to {string.Join(", ", failed)} failed: the KMS key of the region is not usable by the execution role.",
                Outputs = outputs,
            };
            builds[build.Arn] = ended;
            return ended;
        }
    }

    /// <summary>An EC2 Query request of the interceptor's own to moto in <paramref name="region"/>, signed as the intercepted Image Builder call (moto reads the account from the access key, the service and region from the scope).</summary>
    private static HttpRequestMessage Ec2Request(HttpRequestMessage original, string region, params (string Key, string Value)[] form)
    {
        var copy = new HttpRequestMessage(HttpMethod.Post, new Uri(original.RequestUri!, "/"))
        {
            Content = new StringContent(string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        var authorization = original.Headers.GetValues("Authorization").First();
        var scope = authorization.Split("Credential=", 2)[1].Split('/');
        copy.Headers.TryAddWithoutValidation("Authorization", authorization.Replace($"/{scope[2]}/{scope[3]}/aws4_request", $"/{region}/ec2/aws4_request", StringComparison.Ordinal));
        foreach (var header in new[] { "X-Amz-Date", "X-Amz-Security-Token" })
        {
            if (original.Headers.TryGetValues(header, out var values))
            {
                copy.Headers.TryAddWithoutValidation(header, values);
            }
        }

        return copy;
    }
}
