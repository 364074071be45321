using System.Globalization;
using System.Net;
using System.Security;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace AmiInfra.Ops.Tests.Infrastructure;

/// <summary>
/// What the interceptor adds on top of moto for the usage check and the faults of real accounts:
/// - Image Builder (moto has none): ListImageRecipes, ListContainerRecipes and GetImage answer from recipes and images
///   the test adds (<see cref="AddRecipe"/>, <see cref="AddImage"/>); an account without any answers empty lists.
///   ListWaitingWorkflowSteps, GetWorkflowStepExecution and SendWorkflowStepAction answer from the waiting steps a test
///   adds (<see cref="AddWaitingStep"/>): RESUME completes a step, STOP fails it, and a step no longer waiting refuses
///   another action, as the API reference says.
/// - <see cref="EmulateImageReferences"/>: DescribeImageReferences computed from moto's real state (its instances,
///   launch templates and their versions, SSM parameters) and the emulated recipes, honouring the request's
///   state-name and version-depth options as the EC2 user guide documents them; like AWS, it needs the describe
///   permissions of every resource type (with <see cref="AllowOnly"/>, a missing one is answered UnauthorizedOperation:
///   AWS's pages do not say what happens then, and refusing is the conservative reading).
/// - <see cref="AllowOnly"/>: an IAM policy: every call whose IAM action the policy does not allow is refused, with the
///   error each protocol uses (EC2's UnauthorizedOperation, Query APIs' AccessDenied, JSON APIs' AccessDeniedException).
/// - <see cref="DisableRegion"/>: a region not enabled for the account: every call there fails (AuthFailure or
///   OptInRequired), and DescribeRegions elsewhere lists it as not-opted-in.
/// - <see cref="Hang"/>: an endpoint that accepts the connection and never answers.
/// </summary>
public sealed partial class AwsInterceptor
{
    private readonly Dictionary<string, List<(string Arn, string Parent, bool Container)>> recipes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Region, string Ami)>> images = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Region, string Image, string Name, string Status, string? Reason, string? Token)> steps = new(StringComparer.Ordinal);

    /// <summary>A workflow step that waits for an action (WaitForAction) in a region, for the image build version given.</summary>
    public AwsInterceptor AddWaitingStep(string region, string stepExecutionId, string imageBuildVersionArn, string name)
    {
        lock (emulation)
        {
            steps[stepExecutionId] = (region, imageBuildVersionArn, name, "RUNNING", null, null);
        }

        return this;
    }

    /// <summary>The status, reason and client token of an emulated workflow step, after the actions sent to it.</summary>
    public (string Status, string? Reason, string? Token) StepState(string stepExecutionId)
    {
        lock (emulation)
        {
            var step = steps[stepExecutionId];
            return (step.Status, step.Reason, step.Token);
        }
    }
    private HashSet<string>? allowed;
    private List<string>? allowedPatterns;

    /// <summary>An Image Builder recipe of the account in a region, building on <paramref name="parent"/> (an AMI id or an image ARN).</summary>
    public AwsInterceptor AddRecipe(string region, string arn, string parent, bool container = false)
    {
        lock (emulation)
        {
            if (!recipes.TryGetValue(region, out var list))
            {
                list = [];
                recipes[region] = list;
            }

            list.Add((arn, parent, container));
        }

        return this;
    }

    /// <summary>An Image Builder image (its ARN, also as a wildcard ARN) and the AMIs it was distributed as.</summary>
    public AwsInterceptor AddImage(string arn, params (string Region, string Ami)[] amis)
    {
        lock (emulation)
        {
            images[arn] = [.. amis];
        }

        return this;
    }

    /// <summary>Answers DescribeImageReferences from moto's state (see the class summary).</summary>
    public AwsInterceptor EmulateImageReferences()
    {
        answers.Add(async (call, request, forward, cancellationToken) =>
            call.Action == "DescribeImageReferences" ? await ImageReferencesAsync(call, request, forward) : null);
        return this;
    }

    /// <summary>Refuses every call whose IAM action <paramref name="policyFile"/> (an IAM policy document) does not allow.</summary>
    public AwsInterceptor AllowOnly(string policyFile)
    {
        var document = JsonNode.Parse(File.ReadAllText(policyFile))!;
        var actions = document["Statement"]!.AsArray()
            .Where(s => s!["Effect"]!.GetValue<string>() == "Allow")
            .SelectMany(s => s!["Action"] is JsonArray list ? list.Select(a => a!.GetValue<string>()) : [s["Action"]!.GetValue<string>()]);
        return AllowOnly(actions);
    }

    /// <summary>Refuses every call whose IAM action is not among <paramref name="actions"/> (wildcards allowed, as IAM takes them).</summary>
    public AwsInterceptor AllowOnly(IEnumerable<string> actions)
    {
        var list = actions.ToList();
        allowed = list.Where(a => !a.Contains('*', StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        allowedPatterns = list.Where(a => a.Contains('*', StringComparison.Ordinal)).ToList();
        gates.Add((call, _) => Task.FromResult(Permits(call.IamAction) || call.IamAction == "sts:GetCallerIdentity"
            ? null
            : Denied(call, $"User: arn:aws:sts::000000000000:assumed-role/amiinfra-test is not authorized to perform: {call.IamAction} because no identity-based policy allows the {call.IamAction} action")));
        return this;
    }

    /// <summary>Every call of a region fails as in a region the account has not enabled; DescribeRegions elsewhere says not-opted-in.</summary>
    public AwsInterceptor DisableRegion(string region, string code = "AuthFailure")
    {
        gates.Add((call, _) => Task.FromResult(call.Region != region ? null
            : call.Service == "ec2"
                ? code == "AuthFailure"
                    ? Error(code, "AWS was not able to validate the provided access credentials", HttpStatusCode.Unauthorized)
                    : Error(code, $"You are not subscribed to this service in {region}.", HttpStatusCode.Forbidden)
                : call.Protocol == "query"
                    ? QueryError(code, "The security token included in the request is invalid.", HttpStatusCode.Forbidden)
                    : Json(HttpStatusCode.BadRequest, "UnrecognizedClientException", "The security token included in the request is invalid.")));
        disabledRegions.Add(region);
        return this;
    }

    /// <summary>Calls that match are held until the caller gives up: an endpoint that accepts connections and never answers.</summary>
    public AwsInterceptor Hang(Func<AwsCall, bool> when)
    {
        gates.Add(async (call, cancellationToken) =>
        {
            if (when(call))
            {
                hung.Enqueue(call);
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return null;
        });
        return this;
    }

    /// <summary>The calls <see cref="Hang"/> held.</summary>
    public IReadOnlyList<AwsCall> Hung => hung.ToList();

    private readonly System.Collections.Concurrent.ConcurrentQueue<AwsCall> hung = new();
    private readonly HashSet<string> disabledRegions = new(StringComparer.Ordinal);

    private bool Permits(string action) =>
        allowed is null
        || allowed.Contains(action)
        || allowedPatterns!.Any(p => System.Text.RegularExpressions.Regex.IsMatch(action, "^" + System.Text.RegularExpressions.Regex.Escape(p).Replace("\\*", ".*", StringComparison.Ordinal) + "$", System.Text.RegularExpressions.RegexOptions.IgnoreCase));

    private static HttpResponseMessage Denied(AwsCall call, string message) => call.Protocol switch
    {
        "json" or "rest-json" => Json(HttpStatusCode.BadRequest, "AccessDeniedException", message),
        _ when call.Service == "ec2" => Error("UnauthorizedOperation", message, HttpStatusCode.Forbidden),
        _ => QueryError("AccessDenied", message, HttpStatusCode.Forbidden),
    };

    private static HttpResponseMessage QueryError(string code, string message, HttpStatusCode status)
    {
        var xml = $"<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>{code}</Code><Message>{SecurityElement.Escape(message)}</Message></Error><RequestId>injected</RequestId></ErrorResponse>";
        return new HttpResponseMessage(status) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string? errorType, string? message, JsonNode? body = null)
    {
        var response = new HttpResponseMessage(status)
        {
            Content = new StringContent((body ?? new JsonObject { ["message"] = message }).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (errorType is not null)
        {
            response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", errorType);
        }

        return response;
    }

    /// <summary>Image Builder, as its API reference documents the three calls the usage check makes.</summary>
    private void EmulateImageBuilder()
    {
        answers.Add((call, _, _, _) =>
        {
            if (call.Service != "imagebuilder")
            {
                return Task.FromResult<HttpResponseMessage?>(null);
            }

            lock (emulation)
            {
                var inRegion = recipes.GetValueOrDefault(call.Region) ?? [];
                switch (call.Action)
                {
                    case "ListImageRecipes":
                        return Task.FromResult<HttpResponseMessage?>(Json(HttpStatusCode.OK, null, null, new JsonObject
                        {
                            ["requestId"] = "injected",
                            ["imageRecipeSummaryList"] = new JsonArray(inRegion.Where(r => !r.Container).Select(r => (JsonNode)new JsonObject { ["arn"] = r.Arn, ["name"] = r.Arn.Split('/')[^2], ["owner"] = "123456789012", ["parentImage"] = r.Parent, ["platform"] = "Linux" }).ToArray()),
                        }));
                    case "ListContainerRecipes":
                        return Task.FromResult<HttpResponseMessage?>(Json(HttpStatusCode.OK, null, null, new JsonObject
                        {
                            ["requestId"] = "injected",
                            ["containerRecipeSummaryList"] = new JsonArray(inRegion.Where(r => r.Container).Select(r => (JsonNode)new JsonObject { ["arn"] = r.Arn, ["containerType"] = "DOCKER", ["instanceImage"] = r.Parent, ["parentImage"] = "amazonlinux:latest" }).ToArray()),
                        }));
                    case "GetImage":
                        var arn = call.Parameters.GetValueOrDefault("imageBuildVersionArn") ?? "";
                        return Task.FromResult<HttpResponseMessage?>(images.TryGetValue(arn, out var amis)
                            ? Json(HttpStatusCode.OK, null, null, new JsonObject
                            {
                                ["requestId"] = "injected",
                                ["image"] = new JsonObject
                                {
                                    ["arn"] = arn,
                                    ["outputResources"] = new JsonObject { ["amis"] = new JsonArray(amis.Select(a => (JsonNode)new JsonObject { ["region"] = a.Region, ["image"] = a.Ami }).ToArray()) },
                                },
                            })
                            : Json(HttpStatusCode.NotFound, "ResourceNotFoundException", $"The resource {arn} does not exist."));
                    case "ListWaitingWorkflowSteps":
                        return Task.FromResult<HttpResponseMessage?>(Json(HttpStatusCode.OK, null, null, new JsonObject
                        {
                            ["steps"] = new JsonArray(steps.Where(p => p.Value.Region == call.Region && p.Value.Status == "RUNNING").Select(p => (JsonNode)new JsonObject
                            {
                                ["stepExecutionId"] = p.Key,
                                ["imageBuildVersionArn"] = p.Value.Image,
                                ["workflowExecutionId"] = "wf-e-0123456789abcdef0",
                                ["workflowBuildVersionArn"] = $"arn:aws:imagebuilder:{call.Region}:123456789012:workflow/distribution/approval/1.0.0/1",
                                ["name"] = p.Value.Name,
                                ["action"] = "WaitForAction",
                                ["startTime"] = "2026-12-05T10:00:00.000Z",
                            }).ToArray()),
                        }));
                    case "GetWorkflowStepExecution":
                        var id = call.Parameters.GetValueOrDefault("stepExecutionId") ?? "";
                        return Task.FromResult<HttpResponseMessage?>(steps.TryGetValue(id, out var step) && step.Region == call.Region
                            ? Json(HttpStatusCode.OK, null, null, new JsonObject { ["stepExecutionId"] = id, ["imageBuildVersionArn"] = step.Image, ["name"] = step.Name, ["action"] = "WaitForAction", ["status"] = step.Status })
                            : Json(HttpStatusCode.NotFound, "ResourceNotFoundException", $"The workflow step execution {id} was not found."));
                    case "SendWorkflowStepAction":
                        var body = JsonNode.Parse(call.Body)!;
                        var target = body["stepExecutionId"]!.GetValue<string>();
                        if (!steps.TryGetValue(target, out var waiting) || waiting.Status != "RUNNING")
                        {
                            return Task.FromResult<HttpResponseMessage?>(Json(HttpStatusCode.BadRequest, "InvalidRequestException", $"The workflow step {target} is not waiting for an action."));
                        }

                        steps[target] = waiting with { Status = body["action"]!.GetValue<string>() == "RESUME" ? "COMPLETED" : "FAILED", Reason = body["reason"]?.GetValue<string>(), Token = body["clientToken"]?.GetValue<string>() };
                        return Task.FromResult<HttpResponseMessage?>(Json(HttpStatusCode.OK, null, null, new JsonObject { ["stepExecutionId"] = target, ["imageBuildVersionArn"] = waiting.Image }));
                    default:
                        return Task.FromResult<HttpResponseMessage?>(Json(HttpStatusCode.BadRequest, "InvalidRequestException", $"{call.Action} is not emulated"));
                }
            }
        });

        // DescribeRegions: a region DisableRegion took away is listed as not opted in.
        answers.Add(async (call, request, forward, _) =>
        {
            if (call.Action != "DescribeRegions" || disabledRegions.Count == 0)
            {
                return null;
            }

            var response = await forward(Copy(request, call.Parameters));
            var document = XDocument.Parse(await response.Content.ReadAsStringAsync());
            var ns = document.Root!.Name.Namespace;
            foreach (var item in document.Descendants(ns + "item").Where(i => disabledRegions.Contains(i.Element(ns + "regionName")?.Value ?? "")))
            {
                item.SetElementValue(ns + "optInStatus", "not-opted-in");
            }

            if (!call.Parameters.ContainsKey("AllRegions"))
            {
                document.Descendants(ns + "item").Where(i => disabledRegions.Contains(i.Element(ns + "regionName")?.Value ?? "")).Remove();
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(document.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, "text/xml") };
        });
    }

    private async Task<HttpResponseMessage?> ImageReferencesAsync(AwsCall call, HttpRequestMessage request, Func<HttpRequestMessage, Task<HttpResponseMessage>> forward)
    {
        string[] needed = ["ec2:DescribeInstances", "ec2:DescribeLaunchTemplates", "ec2:DescribeLaunchTemplateVersions", "ssm:DescribeParameters", "ssm:GetParameters", "imagebuilder:ListImageRecipes", "imagebuilder:ListContainerRecipes", "imagebuilder:GetContainerRecipe"];
        if (needed.FirstOrDefault(a => !Permits(a)) is { } missing)
        {
            return Error("UnauthorizedOperation", $"You are not authorized to perform this operation: DescribeImageReferences needs {missing}", HttpStatusCode.Forbidden);
        }

        var ids = Indexed(call, "ImageId");
        var options = new Dictionary<(string Type, string Option), List<string>>();
        for (var n = 1; call.Parameters.TryGetValue($"ResourceType.{n}.ResourceType", out var type); n++)
        {
            for (var m = 1; call.Parameters.TryGetValue($"ResourceType.{n}.ResourceTypeOption.{m}.OptionName", out var option); m++)
            {
                options[(type, option)] = call.Parameters.Where(p => p.Key.StartsWith($"ResourceType.{n}.ResourceTypeOption.{m}.OptionValue.", StringComparison.Ordinal)).Select(p => p.Value).ToList();
            }
        }

        // The documented defaults: every instance state (terminated included), the 10 newest launch template versions.
        var states = options.GetValueOrDefault(("ec2:Instance", "state-name")) ?? ["pending", "running", "shutting-down", "terminated", "stopping", "stopped"];
        var depth = int.Parse(options.GetValueOrDefault(("ec2:LaunchTemplate", "version-depth"))?.FirstOrDefault() ?? "10", CultureInfo.InvariantCulture);
        var account = "123456789012";
        var found = new List<(string Ami, string Type, string Arn)>();

        var instances = XDocument.Parse(await (await forward(Copy(request, Query("DescribeInstances")))).Content.ReadAsStringAsync());
        var ns = instances.Root!.Name.Namespace;
        foreach (var item in instances.Descendants(ns + "instancesSet").Elements(ns + "item"))
        {
            var ami = item.Element(ns + "imageId")?.Value ?? "";
            account = instances.Descendants(ns + "ownerId").FirstOrDefault()?.Value ?? account;
            if (ids.Contains(ami) && states.Contains(item.Element(ns + "instanceState")?.Element(ns + "name")?.Value ?? ""))
            {
                found.Add((ami, "ec2:Instance", $"arn:aws:ec2:{call.Region}:{account}:instance/{item.Element(ns + "instanceId")!.Value}"));
            }
        }

        var templates = XDocument.Parse(await (await forward(Copy(request, Query("DescribeLaunchTemplates")))).Content.ReadAsStringAsync());
        foreach (var template in templates.Descendants(ns + "launchTemplates").Elements(ns + "item").Select(i => i.Element(ns + "launchTemplateId")!.Value))
        {
            var versions = XDocument.Parse(await (await forward(Copy(request, Query("DescribeLaunchTemplateVersions", ("LaunchTemplateId", template))))).Content.ReadAsStringAsync());
            var newest = versions.Descendants(ns + "launchTemplateVersionSet").Elements(ns + "item")
                .OrderByDescending(v => long.Parse(v.Element(ns + "versionNumber")!.Value, CultureInfo.InvariantCulture))
                .Take(depth);
            foreach (var ami in newest.Select(v => v.Element(ns + "launchTemplateData")?.Element(ns + "imageId")?.Value).OfType<string>().Where(ids.Contains).Distinct())
            {
                found.Add((ami, "ec2:LaunchTemplate", $"arn:aws:ec2:{call.Region}:{account}:launch-template/{template}"));
            }
        }

        var parameters = await forward(JsonCopy(request, "AmazonSSM.DescribeParameters", "{\"MaxResults\":50}"));
        var parameterList = JsonDocument.Parse(await parameters.Content.ReadAsStringAsync()).RootElement;
        var names = parameterList.TryGetProperty("Parameters", out var list)
            ? list.EnumerateArray().Where(p => p.TryGetProperty("DataType", out var t) && t.GetString() == "aws:ec2:image").Select(p => p.GetProperty("Name").GetString()!).ToList()
            : [];
        foreach (var chunk in names.Chunk(10))
        {
            var values = JsonDocument.Parse(await (await forward(JsonCopy(request, "AmazonSSM.GetParameters", new JsonObject { ["Names"] = new JsonArray(chunk.Select(n => (JsonNode)n).ToArray()) }.ToJsonString()))).Content.ReadAsStringAsync()).RootElement;
            foreach (var parameter in values.GetProperty("Parameters").EnumerateArray().Where(p => ids.Contains(p.GetProperty("Value").GetString()!)))
            {
                found.Add((parameter.GetProperty("Value").GetString()!, "ssm:Parameter", $"arn:aws:ssm:{call.Region}:{account}:parameter{parameter.GetProperty("Name").GetString()}"));
            }
        }

        lock (emulation)
        {
            foreach (var recipe in recipes.GetValueOrDefault(call.Region) ?? [])
            {
                if (ids.Contains(recipe.Parent))
                {
                    found.Add((recipe.Parent, recipe.Container ? "imagebuilder:ContainerRecipe" : "imagebuilder:ImageRecipe", recipe.Arn));
                }
            }
        }

        var items = found.Select(f => $"<item><imageId>{f.Ami}</imageId><resourceType>{f.Type}</resourceType><arn>{SecurityElement.Escape(f.Arn)}</arn></item>");
        return Ok("DescribeImageReferences", $"<imageReferenceSet>{string.Concat(items)}</imageReferenceSet>");
    }

    private static Dictionary<string, string> Query(string action, params (string Key, string Value)[] parameters)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal) { ["Action"] = action, ["Version"] = "2016-11-15" };
        foreach (var (key, value) in parameters)
        {
            query[key] = value;
        }

        return query;
    }

    /// <summary>A request of the interceptor's own to moto, signed as the intercepted one (moto reads the account from the access key).</summary>
    private static HttpRequestMessage Copy(HttpRequestMessage original, IReadOnlyDictionary<string, string> form)
    {
        var copy = new HttpRequestMessage(HttpMethod.Post, original.RequestUri)
        {
            Content = new StringContent(string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}")), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        CopyAuth(original, copy);
        return copy;
    }

    private static HttpRequestMessage JsonCopy(HttpRequestMessage original, string target, string body)
    {
        var copy = new HttpRequestMessage(HttpMethod.Post, original.RequestUri) { Content = new StringContent(body, Encoding.UTF8) };
        copy.Content.Headers.Remove("Content-Type");
        copy.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-amz-json-1.1");
        copy.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        var authorization = original.Headers.GetValues("Authorization").First();
        copy.Headers.TryAddWithoutValidation("Authorization", authorization.Replace("/ec2/aws4_request", "/ssm/aws4_request", StringComparison.Ordinal));
        foreach (var header in new[] { "X-Amz-Date", "X-Amz-Security-Token" })
        {
            if (original.Headers.TryGetValues(header, out var values))
            {
                copy.Headers.TryAddWithoutValidation(header, values);
            }
        }

        return copy;
    }

    private static void CopyAuth(HttpRequestMessage original, HttpRequestMessage copy)
    {
        foreach (var header in new[] { "Authorization", "X-Amz-Date", "X-Amz-Security-Token" })
        {
            if (original.Headers.TryGetValues(header, out var values))
            {
                copy.Headers.TryAddWithoutValidation(header, values);
            }
        }
    }
}
