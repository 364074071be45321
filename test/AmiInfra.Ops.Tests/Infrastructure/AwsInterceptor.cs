using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Amazon.Runtime;

namespace AmiInfra.Ops.Tests.Infrastructure;

/// <summary>
/// One AWS call seen by the interceptor: its action (the Query API's Action, the JSON protocol's X-Amz-Target operation,
/// or a REST API's path), its region and service (from the signature's credential scope), and its query parameters.
/// </summary>
public sealed record AwsCall(string Action, string Region, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The service as the signature names it (ec2, ssm, sts, kms, autoscaling, imagebuilder).</summary>
    public string Service { get; init; } = "";

    /// <summary>The protocol: query (EC2, Auto Scaling, STS), json (SSM, KMS) or rest-json (Image Builder).</summary>
    public string Protocol { get; init; } = "query";

    /// <summary>The JSON body of a json or rest-json call.</summary>
    public string Body { get; init; } = "";

    /// <summary>The IAM action the call needs: service prefix and action name (ec2:DescribeImages, ssm:GetParameters, ...).</summary>
    public string IamAction => $"{Service}:{Action}";
}

/// <summary>
/// A fault-injecting HTTP stack for the CLI's AWS clients (set as the client config's
/// HttpClientFactory). It records every call that reaches moto, can answer a call itself with an
/// error (throttling, access denied, a refused deletion) without moto seeing it, and can complete
/// moto's EC2 responses where moto lacks a feature:
/// - moto's DescribeImages returns everything in one page: <see cref="PageDescribeImages"/> splits it
///   into pages with a nextToken, as EC2 does;
/// - moto has no deprecation time, last launch time, platform details or usage operation, and keeps
///   every AMI's creation time at registration: <see cref="SetImageField"/> sets them;
/// - moto's RegisterImage ignores block device mappings (every AMI gets a new unencrypted snapshot):
///   <see cref="SetImageSnapshot"/> points an AMI at another snapshot (shared, or encrypted);
/// - moto's snapshots carry no KMS key id: <see cref="SetSnapshotField"/> sets it.
/// </summary>
public sealed partial class AwsInterceptor : HttpClientFactory
{
    private readonly ConcurrentQueue<AwsCall> forwarded = new();
    private readonly ConcurrentQueue<AwsCall> injected = new();
    private readonly List<Func<AwsCall, HttpResponseMessage?>> faults = [];
    private readonly List<Func<AwsCall, Task>> holds = [];
    private readonly List<Func<AwsCall, CancellationToken, Task<HttpResponseMessage?>>> gates = [];
    private readonly List<Func<AwsCall, HttpRequestMessage, Func<HttpRequestMessage, Task<HttpResponseMessage>>, CancellationToken, Task<HttpResponseMessage?>>> answers = [];
    private readonly List<Func<AwsCall, bool>> losses = [];
    private readonly Dictionary<string, Dictionary<string, string>> imageFields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> imageSnapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(string Device, string Snapshot)>> imageDevices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> snapshotFields = new(StringComparer.Ordinal);
    private readonly Lazy<Handler> handler;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TimeSpan, HttpClient> clients = new();
    private int? pageSize;

    /// <summary>Creates the interceptor; it answers Image Builder's API (which moto lacks) for an account without recipes until told otherwise (<see cref="AddRecipe"/>).</summary>
    public AwsInterceptor()
    {
        handler = new Lazy<Handler>(() => new Handler(this));
        EmulateDistribution();
        EmulateImageBuilder();
    }

    /// <summary>The calls that reached moto, in order.</summary>
    public IReadOnlyList<AwsCall> Forwarded => forwarded.ToList();

    /// <summary>The calls answered by an injected fault.</summary>
    public IReadOnlyList<AwsCall> Injected => injected.ToList();

    /// <summary>Answers the calls that match with an AWS error; moto never sees them.</summary>
    public AwsInterceptor Fail(Func<AwsCall, bool> when, string code, string message, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        faults.Add(call => when(call) ? Error(code, message, status) : null);
        return this;
    }

    /// <summary>Answers a share of the calls of <paramref name="action"/> with RequestLimitExceeded (503), reproducibly.</summary>
    public AwsInterceptor Throttle(string action, double share, int seed)
    {
        var random = new Random(seed);
        var gate = new Lock();
        faults.Add(call =>
        {
            if (call.Action != action)
            {
                return null;
            }

            lock (gate)
            {
                return random.NextDouble() < share
                    ? Error("RequestLimitExceeded", "Request limit exceeded.", HttpStatusCode.ServiceUnavailable)
                    : null;
            }
        });
        return this;
    }

    /// <summary>
    /// Holds each call of <paramref name="action"/> until <paramref name="participants"/> of them are
    /// waiting at once (or <paramref name="timeout"/> passes): calls made one after the other never
    /// meet, so <see cref="MetConcurrently"/> tells whether they were in flight together.
    /// </summary>
    public AwsInterceptor HoldUntilConcurrent(string action, int participants, TimeSpan timeout)
    {
        var barrier = new Barrier(participants);
        holds.Add(async call =>
        {
            if (call.Action == action && barrier.ParticipantsRemaining > 0)
            {
                var met = await Task.Run(() => barrier.SignalAndWait(timeout));
                MetConcurrently = met || MetConcurrently;
            }
        });
        return this;
    }

    /// <summary>Whether the calls held by <see cref="HoldUntilConcurrent"/> met.</summary>
    public bool MetConcurrently { get; private set; }

    /// <summary>
    /// Lets the first call that matches reach moto (so its mutation happens), then answers it with a
    /// 500 InternalError as if the response were lost: the SDK retries a call that has already taken effect.
    /// </summary>
    public AwsInterceptor LoseFirstResponse(Func<AwsCall, bool> when)
    {
        var lost = 0;
        losses.Add(call => when(call) && Interlocked.Exchange(ref lost, 1) == 0);
        return this;
    }

    /// <summary>Splits DescribeImages results into pages of at most <paramref name="size"/> AMIs.</summary>
    public AwsInterceptor PageDescribeImages(int size)
    {
        pageSize = size;
        return this;
    }

    /// <summary>Sets an element of an AMI in DescribeImages responses (creationDate, deprecationTime, lastLaunchedTime, platformDetails, usageOperation).</summary>
    public AwsInterceptor SetImageField(string imageId, string element, string value)
    {
        if (!imageFields.TryGetValue(imageId, out var fields))
        {
            fields = [];
            imageFields[imageId] = fields;
        }

        fields[element] = value;
        return this;
    }

    /// <summary>Makes an AMI's block device mapping name another snapshot in DescribeImages responses.</summary>
    public AwsInterceptor SetImageSnapshot(string imageId, string snapshotId)
    {
        imageSnapshots[imageId] = snapshotId;
        return this;
    }

    /// <summary>Adds a block device mapping (a data volume) to an AMI in DescribeImages responses.</summary>
    public AwsInterceptor AddImageDevice(string imageId, string deviceName, string snapshotId)
    {
        if (!imageDevices.TryGetValue(imageId, out var devices))
        {
            devices = [];
            imageDevices[imageId] = devices;
        }

        devices.Add((deviceName, snapshotId));
        return this;
    }

    /// <summary>Answers the first <paramref name="count"/> calls that match with an AWS error, then lets them through.</summary>
    public AwsInterceptor FailFirst(Func<AwsCall, bool> when, int count, string code, string message, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var left = count;
        faults.Add(call => when(call) && Interlocked.Decrement(ref left) >= 0 ? Error(code, message, status) : null);
        return this;
    }

    /// <summary>Sets an element of a snapshot in DescribeSnapshots responses (kmsKeyId).</summary>
    public AwsInterceptor SetSnapshotField(string snapshotId, string element, string value)
    {
        if (!snapshotFields.TryGetValue(snapshotId, out var fields))
        {
            fields = [];
            snapshotFields[snapshotId] = fields;
        }

        fields[element] = value;
        return this;
    }

    /// <summary>How many calls of an action reached moto.</summary>
    public int CountForwarded(string action) => forwarded.Count(c => c.Action == action);

    /// <inheritdoc />
    /// <summary>One HTTP client per call timeout, as the SDK would make one (its own clients take the config's Timeout), all through the interceptor.</summary>
    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        var timeout = clientConfig.Timeout ?? Timeout.InfiniteTimeSpan;
        return clients.GetOrAdd(timeout, t => new HttpClient(handler.Value, disposeHandler: false) { Timeout = t });
    }

    /// <inheritdoc />
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    /// <inheritdoc />
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private static HttpResponseMessage Error(string code, string message, HttpStatusCode status)
    {
        var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>injected</RequestID></Response>";
        return new HttpResponseMessage(status) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };
    }

    private string Rewrite(AwsCall call, string body)
    {
        var rewriteImages = call.Action == "DescribeImages" && (imageFields.Count > 0 || imageSnapshots.Count > 0 || imageDevices.Count > 0 || pageSize is not null || recycleBin);
        var rewriteSnapshots = call.Action == "DescribeSnapshots" && (snapshotFields.Count > 0 || recycleBin);
        if (!rewriteImages && !rewriteSnapshots)
        {
            return body;
        }

        var document = XDocument.Parse(body);
        var ns = document.Root!.Name.Namespace;
        if (rewriteImages)
        {
            var set = document.Root.Element(ns + "imagesSet");
            CaptureAndRestoreImages(call, set, ns);
            var items = set?.Elements(ns + "item").ToList() ?? [];
            foreach (var item in items)
            {
                var id = item.Element(ns + "imageId")?.Value ?? "";
                if (imageFields.TryGetValue(id, out var fields))
                {
                    foreach (var (element, value) in fields)
                    {
                        item.SetElementValue(ns + element, value);
                    }
                }

                if (imageSnapshots.TryGetValue(id, out var snapshot))
                {
                    foreach (var snapshotId in item.Descendants(ns + "snapshotId"))
                    {
                        snapshotId.Value = snapshot;
                    }
                }

                if (imageDevices.TryGetValue(id, out var devices))
                {
                    var mapping = item.Element(ns + "blockDeviceMapping") ?? new XElement(ns + "blockDeviceMapping");
                    if (mapping.Parent is null)
                    {
                        item.Add(mapping);
                    }

                    foreach (var (device, snapshotId) in devices)
                    {
                        mapping.Add(new XElement(ns + "item", new XElement(ns + "deviceName", device), new XElement(ns + "ebs", new XElement(ns + "snapshotId", snapshotId), new XElement(ns + "volumeSize", "8"), new XElement(ns + "deleteOnTermination", "true"), new XElement(ns + "volumeType", "gp3"), new XElement(ns + "encrypted", "false"))));
                    }
                }
            }

            if (pageSize is { } size && set is not null && !call.Parameters.Keys.Any(k => k.StartsWith("ImageId.", StringComparison.Ordinal)))
            {
                var offset = int.Parse(call.Parameters.GetValueOrDefault("NextToken") ?? "0", CultureInfo.InvariantCulture);
                set.RemoveNodes();
                set.Add(items.Skip(offset).Take(size));
                if (offset + size < items.Count)
                {
                    document.Root.Add(new XElement(ns + "nextToken", (offset + size).ToString(CultureInfo.InvariantCulture)));
                }
            }
        }
        else
        {
            CaptureAndRestoreSnapshots(call, document.Root.Element(ns + "snapshotSet"), ns);
            foreach (var item in document.Root.Element(ns + "snapshotSet")?.Elements(ns + "item") ?? [])
            {
                if (snapshotFields.TryGetValue(item.Element(ns + "snapshotId")?.Value ?? "", out var fields))
                {
                    foreach (var (element, value) in fields)
                    {
                        item.SetElementValue(ns + element, value);
                    }
                }
            }
        }

        return document.ToString(SaveOptions.DisableFormatting);
    }

    private sealed class Handler(AwsInterceptor owner) : DelegatingHandler(new HttpClientHandler())
    {
        /// <summary>Sends a request of the interceptor's own to moto (for emulations built on moto's state).</summary>
        public Task<HttpResponseMessage> ForwardAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, cancellationToken);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var bytes = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            if (request.Content is not null)
            {
                var copy = new ByteArrayContent(bytes);
                foreach (var header in request.Content.Headers)
                {
                    copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                request.Content = copy;
            }

            var call = Parse(request, Encoding.UTF8.GetString(bytes));
            foreach (var hold in owner.holds)
            {
                await hold(call);
            }

            foreach (var gate in owner.gates)
            {
                if (await gate(call, cancellationToken) is { } refused)
                {
                    owner.injected.Enqueue(call);
                    return refused;
                }
            }

            foreach (var fault in owner.faults)
            {
                if (fault(call) is { } response)
                {
                    owner.injected.Enqueue(call);
                    return response;
                }
            }

            foreach (var answer in owner.answers)
            {
                if (await answer(call, request, sub => ForwardAsync(sub, cancellationToken), cancellationToken) is { } answered)
                {
                    owner.injected.Enqueue(call);
                    return answered;
                }
            }

            var result = await base.SendAsync(request, cancellationToken);
            owner.forwarded.Enqueue(call);
            owner.AfterForward(call, result.IsSuccessStatusCode);
            if (owner.losses.Any(lose => lose(call)))
            {
                result.Dispose();
                return Error("InternalError", "An internal error has occurred.", HttpStatusCode.InternalServerError);
            }
            if (!result.IsSuccessStatusCode || call.Action is not ("DescribeImages" or "DescribeSnapshots"))
            {
                return result;
            }

            var body = await result.Content.ReadAsStringAsync(cancellationToken);
            var rewritten = owner.Rewrite(call, body);
            result.Content = new StringContent(rewritten, Encoding.UTF8, "text/xml");
            return result;
        }

        private static AwsCall Parse(HttpRequestMessage request, string body)
        {
            var authorization = request.Headers.TryGetValues("Authorization", out var values) ? string.Join(' ', values) : "";
            var scope = authorization.Split("Credential=", 2).ElementAtOrDefault(1)?.Split('/');
            var region = scope is { Length: > 2 } ? scope[2] : "";
            var service = scope is { Length: > 3 } ? scope[3] : "";
            if (request.Headers.TryGetValues("X-Amz-Target", out var targets))
            {
                var target = targets.First();
                return new AwsCall(target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..], region, new Dictionary<string, string>()) { Service = service, Protocol = "json", Body = body };
            }

            if (service == "imagebuilder")
            {
                var query = (request.RequestUri?.Query ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
                    .Select(pair => pair.Split('=', 2))
                    .ToDictionary(kv => Uri.UnescapeDataString(kv[0]), kv => Uri.UnescapeDataString(kv.ElementAtOrDefault(1) ?? ""), StringComparer.Ordinal);
                return new AwsCall(request.RequestUri?.AbsolutePath.Trim('/') ?? "", region, query) { Service = service, Protocol = "rest-json", Body = body };
            }

            var parameters = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .GroupBy(kv => Uri.UnescapeDataString(kv[0].Replace('+', ' ')), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Uri.UnescapeDataString((g.First().ElementAtOrDefault(1) ?? "").Replace('+', ' ')), StringComparer.Ordinal);
            return new AwsCall(parameters.GetValueOrDefault("Action") ?? "", region, parameters) { Service = service };
        }
    }
}
