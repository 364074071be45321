using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace AmiInfra.Ops.Aws;

/// <summary>
/// The one place for AWS services whose SDK package the package source does not serve (AWSSDK.AutoScaling,
/// AWSSDK.Imagebuilder, AWSSDK.StepFunctions): a small signed-request client on AWSSDK.Core — the run's credentials, the SDK's SigV4
/// signer (<see cref="AWS4Signer.ComputeSignature(ImmutableCredentials, string, DateTime, string, string, string)"/>),
/// the standard retry mode's throttling codes and backoff — and the few calls the commands need, written from
/// the API references. When the SDK packages are served, <see cref="AutoScalingCalls"/>,
/// <see cref="ImageBuilderCalls"/> and <see cref="StepFunctionsCalls"/> become thin wrappers over them and this client goes.
/// Errors are thrown as <see cref="AmazonServiceException"/> with the service's error code and HTTP status, so
/// that <see cref="AwsErrors"/> classifies them like any SDK error.
/// </summary>
public sealed class SignedRequests
{
    private static readonly HttpClient SharedHttp = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Func<Task<ImmutableCredentials>> credentials;
    private readonly string? endpointUrl;
    private readonly HttpClient http;
    private readonly TimeSpan callTimeout;
    private readonly Action<string> timedOut;
    private readonly int maxRetries;

    /// <summary>Creates the client.</summary>
    /// <param name="credentials">The run's credentials.</param>
    /// <param name="endpointUrl">One endpoint for every service (an emulator), or null for AWS's.</param>
    /// <param name="http">The HTTP stack (the tests' interceptor), or null for a shared one.</param>
    /// <param name="callTimeout">How long one attempt may take.</param>
    /// <param name="timedOut">Told which call timed out for good.</param>
    /// <param name="maxRetries">How many times a throttled or failing call is retried.</param>
    public SignedRequests(Func<Task<ImmutableCredentials>> credentials, string? endpointUrl, HttpClient? http, TimeSpan callTimeout, Action<string> timedOut, int maxRetries = AwsSettings.DefaultMaxAttempts - 1)
    {
        this.maxRetries = maxRetries;
        this.credentials = credentials;
        this.endpointUrl = endpointUrl;
        this.http = http ?? SharedHttp;
        this.callTimeout = callTimeout;
        this.timedOut = timedOut;
    }

    /// <summary>
    /// A Query-protocol call (form-encoded POST, XML answer), as Auto Scaling's API takes them
    /// (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/CommonParameters.html). The answer is
    /// returned without namespaces: real answers and the documentation's samples differ in theirs (http:// or https://).
    /// </summary>
    public async Task<XElement> QueryAsync(string service, string region, string version, string action, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var form = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["Action"] = action, ["Version"] = version };
        foreach (var (key, value) in parameters)
        {
            form[key] = value;
        }

        var body = string.Join('&', form.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var text = await SendAsync(service, region, HttpMethod.Post, "/", "", body, "application/x-www-form-urlencoded; charset=utf-8", action, cancellationToken).ConfigureAwait(false);
        var document = XDocument.Parse(text);
        foreach (var element in document.Descendants())
        {
            element.Name = element.Name.LocalName;
        }

        return document.Root!;
    }

    /// <summary>A REST-JSON call, as Image Builder's API takes them (https://docs.aws.amazon.com/imagebuilder/latest/APIReference/).</summary>
    public async Task<JsonElement> RestJsonAsync(string service, string region, HttpMethod method, string path, IReadOnlyDictionary<string, string>? query, JsonObject? body, CancellationToken cancellationToken)
    {
        var canonicalQuery = query is null ? "" : string.Join('&', query.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var operation = path.TrimStart('/');
        var text = await SendAsync(service, region, method, path, canonicalQuery, body?.ToJsonString() ?? "", body is null ? null : "application/json", operation, cancellationToken).ConfigureAwait(false);
        return JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone();
    }

    /// <summary>
    /// An AWS JSON 1.0 call (POST to /, the operation in X-Amz-Target, a JSON body), as Step Functions' API takes them
    /// (https://docs.aws.amazon.com/step-functions/latest/apireference/CommonParameters.html: "X-Amz-Target:
    /// AWSStepFunctions.StartExecution", content type application/x-amz-json-1.0).
    /// </summary>
    public async Task<JsonElement> JsonAsync(string service, string region, string targetPrefix, string operation, JsonObject body, CancellationToken cancellationToken)
    {
        var text = await SendAsync(service, region, HttpMethod.Post, "/", "", body.ToJsonString(), "application/x-amz-json-1.0", operation, cancellationToken, $"{targetPrefix}.{operation}").ConfigureAwait(false);
        return JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement.Clone();
    }

    private Uri Endpoint(string service, string region)
    {
        if (!string.IsNullOrWhiteSpace(endpointUrl))
        {
            return new Uri(endpointUrl.TrimEnd('/') + "/");
        }

        var suffix = AmiInfra.Rules.Partitions.Of(region)?.DnsSuffix ?? "amazonaws.com";
        return new Uri($"https://{service}.{region}.{suffix}/");
    }

    private async Task<string> SendAsync(string service, string region, HttpMethod method, string path, string canonicalQuery, string body, string? contentType, string operation, CancellationToken cancellationToken, string? target = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await AttemptAsync(service, region, method, path, canonicalQuery, body, contentType, target, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException e) when (attempt < maxRetries && Retryable(e))
            {
                // The standard mode's backoff: exponential with full jitter, capped (the SDK's MaxBackoffInMilliseconds).
                var cap = Math.Min(20_000, 100 * (1 << Math.Min(attempt + 1, 10)));
                await Task.Delay(Random.Shared.Next(0, cap), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException) when (attempt < BoundedTimeoutRetryPolicy.TimeoutRetries)
            {
                continue;
            }
            catch (TimeoutException)
            {
                timedOut($"{operation} to {Endpoint(service, region).Host}");
                throw;
            }
        }
    }

    private static bool Retryable(AmazonServiceException e) =>
        AwsErrors.Classify(e) == AwsFailure.Throttled
        || (e.ErrorCode is not null && (int)e.StatusCode >= 500 && AwsErrors.Classify(e) == AwsFailure.Other);

    private async Task<string> AttemptAsync(string service, string region, HttpMethod method, string path, string canonicalQuery, string body, string? contentType, string? target, CancellationToken cancellationToken)
    {
        var endpoint = Endpoint(service, region);
        var uri = new Uri(endpoint, path.TrimStart('/') + (canonicalQuery.Length > 0 ? "?" + canonicalQuery : ""));
        var now = DateTime.UtcNow;
        var amzDate = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var keys = await credentials().ConfigureAwait(false);
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}",
            ["x-amz-content-sha256"] = payloadHash,
            ["x-amz-date"] = amzDate,
        };
        if (contentType is not null)
        {
            headers["content-type"] = contentType;
        }

        if (keys.UseToken)
        {
            headers["x-amz-security-token"] = keys.Token;
        }

        if (target is not null)
        {
            headers["x-amz-target"] = target;
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalRequest = string.Join('\n',
            method.Method,
            string.Join('/', uri.AbsolutePath.Split('/').Select(s => Uri.EscapeDataString(Uri.UnescapeDataString(s)))),
            canonicalQuery,
            string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n")),
            signedHeaders,
            payloadHash);
        var signature = AWS4Signer.ComputeSignature(keys, region, now, service, signedHeaders, canonicalRequest);

        using var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("Authorization", signature.ForAuthorizationHeader);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        request.Headers.TryAddWithoutValidation("X-Amz-Content-SHA256", payloadHash);
        if (keys.UseToken)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", keys.Token);
        }

        if (target is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }

        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.Remove("Content-Type");
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(callTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no answer within {callTimeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(attempt.Token).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return text;
            }

            var (code, message) = ErrorOf(response, text);
            var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
            throw new AmazonServiceException(message ?? $"HTTP {(int)response.StatusCode}", null, (int)response.StatusCode >= 500 ? ErrorType.Receiver : ErrorType.Sender, code, requestId, response.StatusCode);
        }
    }

    /// <summary>The error code and message of a failed call: a Query XML &lt;Error&gt;, a JSON body, or the x-amzn-ErrorType header.</summary>
    private static (string? Code, string? Message) ErrorOf(HttpResponseMessage response, string text)
    {
        var header = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First().Split(':')[0] : null;
        var trimmed = text.TrimStart();
        try
        {
            if (trimmed.StartsWith('<'))
            {
                var document = XDocument.Parse(trimmed);
                var error = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Error");
                if (error is not null)
                {
                    return (error.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value, error.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value);
                }
            }
            else if (trimmed.StartsWith('{'))
            {
                var json = JsonDocument.Parse(trimmed).RootElement;
                var type = json.TryGetProperty("__type", out var t) ? t.GetString() : null;
                var message = json.TryGetProperty("message", out var m) ? m.GetString() : json.TryGetProperty("Message", out var m2) ? m2.GetString() : null;
                return (header ?? type?.Split('#')[^1], message);
            }
        }
        catch (System.Xml.XmlException)
        {
            // Not an AWS error document (an emulator's HTML page): no code.
        }
        catch (JsonException)
        {
            // Likewise.
        }

        return (header, null);
    }
}

/// <summary>An Auto Scaling launch configuration and the AMI it launches.</summary>
/// <param name="Name">The launch configuration's name.</param>
/// <param name="ImageId">Its AMI.</param>
public sealed record LaunchConfiguration(string Name, string ImageId);

/// <summary>An Auto Scaling group and the launch configuration it uses, if any.</summary>
/// <param name="Name">The group's name.</param>
/// <param name="LaunchConfigurationName">Its launch configuration, or null (a launch template or a mixed instances policy).</param>
public sealed record AutoScalingGroup(string Name, string? LaunchConfigurationName);

/// <summary>
/// The Auto Scaling calls the usage check needs: DescribeLaunchConfigurations and DescribeAutoScalingGroups
/// (Query API version 2011-01-01, at most 100 records a page with NextToken;
/// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeLaunchConfigurations.html,
/// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeAutoScalingGroups.html).
/// </summary>
public static class AutoScalingCalls
{
    private const string Service = "autoscaling";
    private const string Version = "2011-01-01";

    /// <summary>Every launch configuration of the account in the region.</summary>
    public static async Task<List<LaunchConfiguration>> LaunchConfigurationsAsync(SignedRequests client, string region, CancellationToken cancellationToken) =>
        (await PagesAsync(client, region, "DescribeLaunchConfigurations", "LaunchConfigurations", cancellationToken).ConfigureAwait(false))
            .Select(m => new LaunchConfiguration(Child(m, "LaunchConfigurationName") ?? "", Child(m, "ImageId") ?? ""))
            .ToList();

    /// <summary>Every Auto Scaling group of the account in the region.</summary>
    public static async Task<List<AutoScalingGroup>> GroupsAsync(SignedRequests client, string region, CancellationToken cancellationToken) =>
        (await PagesAsync(client, region, "DescribeAutoScalingGroups", "AutoScalingGroups", cancellationToken).ConfigureAwait(false))
            .Select(m => new AutoScalingGroup(Child(m, "AutoScalingGroupName") ?? "", Child(m, "LaunchConfigurationName") is { Length: > 0 } lc ? lc : null))
            .ToList();

    private static async Task<List<XElement>> PagesAsync(SignedRequests client, string region, string action, string list, CancellationToken cancellationToken)
    {
        var members = new List<XElement>();
        string? token = null;
        do
        {
            var parameters = new Dictionary<string, string> { ["MaxRecords"] = "100" };
            if (token is not null)
            {
                parameters["NextToken"] = token;
            }

            var answer = await client.QueryAsync(Service, region, Version, action, parameters, cancellationToken).ConfigureAwait(false);
            var result = answer.Element($"{action}Result");
            members.AddRange(result?.Element(list)?.Elements("member") ?? []);
            token = result?.Element("NextToken")?.Value is { Length: > 0 } next ? next : null;
        }
        while (token is not null);

        return members;
    }

    private static string? Child(XElement member, string name) => member.Element(name)?.Value;
}

/// <summary>A workflow step that waits for an action (ListWaitingWorkflowSteps).</summary>
/// <param name="StepExecutionId">The step execution.</param>
/// <param name="ImageBuildVersionArn">The image being built.</param>
/// <param name="WorkflowBuildVersionArn">The workflow.</param>
/// <param name="Name">The step's name.</param>
/// <param name="Action">The step's action (WaitForAction).</param>
/// <param name="Since">When it started waiting.</param>
public sealed record WaitingStep(string StepExecutionId, string ImageBuildVersionArn, string? WorkflowBuildVersionArn, string? Name, string? Action, DateTimeOffset? Since);

/// <summary>A workflow step execution (GetWorkflowStepExecution).</summary>
/// <param name="StepExecutionId">The step execution.</param>
/// <param name="ImageBuildVersionArn">The image being built.</param>
/// <param name="WorkflowBuildVersionArn">The workflow.</param>
/// <param name="Name">The step's name.</param>
/// <param name="Action">The step's action.</param>
/// <param name="Status">Its status (PENDING, SKIPPED, RUNNING, COMPLETED, FAILED, CANCELLED).</param>
/// <param name="Message">Its message.</param>
public sealed record StepExecution(string StepExecutionId, string ImageBuildVersionArn, string? WorkflowBuildVersionArn, string? Name, string? Action, string Status, string? Message);

/// <summary>An Image Builder image or container recipe and the AMI (or image ARN, or ssm: parameter) it builds on.</summary>
/// <param name="Arn">The recipe's ARN.</param>
/// <param name="Parent">The parent image: an AMI id, an Image Builder image ARN, or ssm:parameter (container recipes: the instance image).</param>
public sealed record RecipeParent(string Arn, string Parent);

/// <summary>
/// The Image Builder calls of the tool (REST-JSON, API version 2019-12-02, signing name imagebuilder): for the usage
/// check, ListImageRecipes and ListContainerRecipes of the account (owner Self; at most 25 a page; the summaries carry
/// parentImage and, for container recipes, instanceImage), and GetImage to resolve an image ARN to its AMIs
/// (https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_ListImageRecipes.html,
/// API_ListContainerRecipes.html, API_GetImage.html); for workflows, ListWaitingWorkflowSteps,
/// GetWorkflowStepExecution and SendWorkflowStepAction (API_SendWorkflowStepAction.html: RESUME or STOP a step that
/// waits for an action; "The request fails if the step has already timed out or been actioned"); for
/// redistribution, the calls of ImageBuilderCalls.Distribution.cs.
/// </summary>
public static partial class ImageBuilderCalls
{
    private const string Service = "imagebuilder";

    /// <summary>The account's image recipes and container recipes in the region, with their parent images.</summary>
    public static async Task<List<RecipeParent>> RecipesAsync(SignedRequests client, string region, CancellationToken cancellationToken)
    {
        var recipes = new List<RecipeParent>();
        foreach (var (path, list, parent) in new[] { ("/ListImageRecipes", "imageRecipeSummaryList", "parentImage"), ("/ListContainerRecipes", "containerRecipeSummaryList", "instanceImage") })
        {
            string? token = null;
            do
            {
                var body = new JsonObject { ["owner"] = "Self", ["maxResults"] = 25 };
                if (token is not null)
                {
                    body["nextToken"] = token;
                }

                var answer = await client.RestJsonAsync(Service, region, HttpMethod.Post, path, null, body, cancellationToken).ConfigureAwait(false);
                if (answer.TryGetProperty(list, out var items))
                {
                    recipes.AddRange(items.EnumerateArray()
                        .Where(i => i.TryGetProperty(parent, out var p) && p.ValueKind == JsonValueKind.String)
                        .Select(i => new RecipeParent(i.GetProperty("arn").GetString()!, i.GetProperty(parent).GetString()!)));
                }

                token = answer.TryGetProperty("nextToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            }
            while (token is not null);
        }

        return recipes;
    }

    /// <summary>The AMIs an Image Builder image (build version or wildcard ARN) was distributed as in the region.</summary>
    public static async Task<List<string>> ImageAmisAsync(SignedRequests client, string region, string imageArn, CancellationToken cancellationToken)
    {
        var answer = await client.RestJsonAsync(Service, region, HttpMethod.Get, "/GetImage", new Dictionary<string, string> { ["imageBuildVersionArn"] = imageArn }, null, cancellationToken).ConfigureAwait(false);
        return answer.TryGetProperty("image", out var image) && image.TryGetProperty("outputResources", out var outputs) && outputs.TryGetProperty("amis", out var amis)
            ? amis.EnumerateArray().Where(a => a.TryGetProperty("region", out var r) && r.GetString() == region && a.TryGetProperty("image", out _)).Select(a => a.GetProperty("image").GetString()!).ToList()
            : [];
    }

    /// <summary>The workflow steps of the account in the region that wait for an action (ListWaitingWorkflowSteps, every page).</summary>
    public static async Task<List<WaitingStep>> WaitingStepsAsync(SignedRequests client, string region, CancellationToken cancellationToken)
    {
        var steps = new List<WaitingStep>();
        string? token = null;
        do
        {
            var body = new JsonObject { ["maxResults"] = 100 };
            if (token is not null)
            {
                body["nextToken"] = token;
            }

            var answer = await client.RestJsonAsync(Service, region, HttpMethod.Post, "/ListWaitingWorkflowSteps", null, body, cancellationToken).ConfigureAwait(false);
            if (answer.TryGetProperty("steps", out var items))
            {
                steps.AddRange(items.EnumerateArray().Select(i => new WaitingStep(
                    Text(i, "stepExecutionId")!,
                    Text(i, "imageBuildVersionArn")!,
                    Text(i, "workflowBuildVersionArn"),
                    Text(i, "name"),
                    Text(i, "action"),
                    Output.Formats.ParseTime(Text(i, "startTime")))));
            }

            token = Text(answer, "nextToken");
        }
        while (token is not null);

        return steps;
    }

    /// <summary>One workflow step execution (GetWorkflowStepExecution): its image, name, action and status.</summary>
    public static async Task<StepExecution> StepExecutionAsync(SignedRequests client, string region, string stepExecutionId, CancellationToken cancellationToken)
    {
        var answer = await client.RestJsonAsync(Service, region, HttpMethod.Get, "/GetWorkflowStepExecution", new Dictionary<string, string> { ["stepExecutionId"] = stepExecutionId }, null, cancellationToken).ConfigureAwait(false);
        return new StepExecution(stepExecutionId, Text(answer, "imageBuildVersionArn") ?? "", Text(answer, "workflowBuildVersionArn"), Text(answer, "name"), Text(answer, "action"), Text(answer, "status") ?? "", Text(answer, "message"));
    }

    /// <summary>
    /// Resumes or stops a step that waits for an action (SendWorkflowStepAction, RESUME or STOP). The client token is
    /// derived from the step and the action, so a retried request is the same request.
    /// </summary>
    public static async Task SendStepActionAsync(SignedRequests client, string region, StepExecution step, string action, string reason, CancellationToken cancellationToken)
    {
        var token = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{step.StepExecutionId}/{action}")))[..32];
        var body = new JsonObject
        {
            ["stepExecutionId"] = step.StepExecutionId,
            ["imageBuildVersionArn"] = step.ImageBuildVersionArn,
            ["action"] = action,
            ["reason"] = reason,
            ["clientToken"] = token,
        };
        await client.RestJsonAsync(Service, region, HttpMethod.Put, "/SendWorkflowStepAction", null, body, cancellationToken).ConfigureAwait(false);
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The status code that says a resource does not exist (GetImage of an image that was deleted).</summary>
    public static bool IsNotFound(AmazonServiceException e) => e.ErrorCode is "ResourceNotFoundException" || e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode is not null;
}

/// <summary>A Step Functions execution as DescribeExecution describes it.</summary>
/// <param name="ExecutionArn">The execution.</param>
/// <param name="Status">RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE.</param>
/// <param name="Error">The error code of a failed execution, when it has one.</param>
/// <param name="Cause">Its cause, when it has one.</param>
public sealed record StateMachineExecution(string ExecutionArn, string Status, string? Error, string? Cause)
{
    /// <summary>True while the execution has not ended (RUNNING; PENDING_REDRIVE waits for a redrive, which is an end for whoever waits).</summary>
    public bool Running => Status == "RUNNING";
}

/// <summary>
/// The Step Functions calls the release commands need (AWS JSON 1.0 protocol, target prefix AWSStepFunctions, signing
/// name states): StartExecution and DescribeExecution
/// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html,
/// https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html). The state machine is
/// named by its ARN, which follows from its name (arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME,
/// https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html), so no
/// ListStateMachines is needed.
/// </summary>
public static class StepFunctionsCalls
{
    private const string Service = "states";
    private const string TargetPrefix = "AWSStepFunctions";

    /// <summary>The ARN of a state machine of the account in a region.</summary>
    public static string StateMachineArn(string region, string account, string name) =>
        $"arn:{AmiInfra.Rules.Partitions.NameOf(region)}:{Service}:{region}:{account}:stateMachine:{name}";

    /// <summary>
    /// Starts an execution and returns its ARN. The name makes a retried call the same call: "If you call
    /// StartExecution with the same name and input as a running execution, the call succeeds and return the same
    /// response as the original request" (standard workflows).
    /// </summary>
    public static async Task<string> StartExecutionAsync(SignedRequests client, string region, string stateMachineArn, string name, JsonObject input, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["stateMachineArn"] = stateMachineArn, ["name"] = name, ["input"] = input.ToJsonString() };
        var answer = await client.JsonAsync(Service, region, TargetPrefix, "StartExecution", body, cancellationToken).ConfigureAwait(false);
        return answer.TryGetProperty("executionArn", out var arn) && arn.GetString() is { Length: > 0 } value
            ? value
            : throw new AmazonServiceException("StartExecution answered without an executionArn", null, ErrorType.Receiver, "InvalidResponse", null, HttpStatusCode.InternalServerError);
    }

    /// <summary>Describes an execution: its status and, when it failed, its error and cause.</summary>
    public static async Task<StateMachineExecution> DescribeExecutionAsync(SignedRequests client, string region, string executionArn, CancellationToken cancellationToken)
    {
        var answer = await client.JsonAsync(Service, region, TargetPrefix, "DescribeExecution", new JsonObject { ["executionArn"] = executionArn }, cancellationToken).ConfigureAwait(false);
        string? Text(string name) => answer.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return new StateMachineExecution(executionArn, Text("status") ?? "", Text("error"), Text("cause"));
    }

    /// <summary>True when the error says the state machine does not exist (not deployed in the region).</summary>
    public static bool IsMissingStateMachine(AmazonServiceException e) => e.ErrorCode is "StateMachineDoesNotExist" or "ResourceNotFound";
}
