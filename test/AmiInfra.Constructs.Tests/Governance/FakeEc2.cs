using System.Net;
using System.Text;
using System.Text.Json;
using System.Web;

namespace AmiInfra.Constructs.Tests.Governance;

/// <summary>One criterion of Allowed AMIs as the fake holds it.</summary>
public sealed record FakeCriterion(List<string> Providers, List<string> Names, string? Created = null, string? Deprecated = null)
{
    /// <summary>AWS Marketplace product codes.</summary>
    public List<string> MarketplaceCodes { get; init; } = [];
}

/// <summary>One EC2 call: the action, its parameters, what the fake answered (OK or an error code) and when it arrived.</summary>
public sealed record FakeCall(string Action, Dictionary<string, string> Parameters, string Answer, DateTime At);

/// <summary>A fault the fake answers one call with, before it answers normally again.</summary>
public enum FakeFault
{
    /// <summary>UnauthorizedOperation, as right after IAM created the role (eventual consistency).</summary>
    NotYetAuthorized,

    /// <summary>RequestLimitExceeded with HTTP 503, EC2's throttling.</summary>
    Throttled,

    /// <summary>HTTP 503 with a plain-text body, as from a load balancer.</summary>
    Unavailable,

    /// <summary>No answer for <see cref="FakeEc2.FaultDelay"/>, then the normal answer.</summary>
    Slow,
}

/// <summary>
/// A loopback HTTP server standing in for EC2's Query API (the account controls only) and for the
/// CloudFormation response URL, so that the account-controls handler runs as it runs in Lambda: signed
/// requests, XML answers, a PUT of its response. The state is what the account has set. Requests are
/// served concurrently, so that a slow EC2 answer does not hold the response back.
/// </summary>
public sealed class FakeEc2 : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly object _lock = new();
    private string _imageBlockShown = "unblocked";
    private int _imageBlockLagLeft;

    public FakeEc2()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public int Port { get; }

    public string ImageBlockPublicAccess { get; set; } = "unblocked";

    /// <summary>
    /// How many GetImageBlockPublicAccessState calls after an Enable or Disable still show the previous state
    /// (EC2 takes up to 10 minutes to show the change). Default: 0.
    /// </summary>
    public int ImageBlockLag { get; set; }

    public bool EbsEncryptionByDefault { get; set; }

    public string EbsDefaultKey { get; set; } = "arn:aws:kms:us-east-1:123456789012:alias/aws/ebs";

    public string AllowedImagesState { get; set; } = "disabled";

    public List<FakeCriterion> Criteria { get; set; } = [];

    /// <summary>
    /// Who manages block public access for AMIs and Allowed AMIs: account, or declarative-policy (then the
    /// account's changes to them are refused).
    /// </summary>
    public string ManagedBy { get; set; } = "account";

    /// <summary>The IAM actions (ec2:...) the role may call; null: all of them. A test narrows it as CloudFormation would narrow the role.</summary>
    public IReadOnlySet<string>? Permitted { get; set; }

    /// <summary>Actions an organization's service control policy denies (explicit deny, whatever the role allows).</summary>
    public HashSet<string> Denied { get; } = [];

    /// <summary>Faults for the next EC2 calls, one per call, in order.</summary>
    public Queue<FakeFault> Faults { get; } = new();

    /// <summary>How long a <see cref="FakeFault.Slow"/> call waits before it answers.</summary>
    public TimeSpan FaultDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Every EC2 call waits this long before it answers (an endpoint that hangs). Default: none.</summary>
    public TimeSpan AlwaysDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Every EC2 call, in order of arrival.</summary>
    public List<FakeCall> Calls { get; } = [];

    /// <summary>The calls that changed something (answered, not Get*), in order.</summary>
    public IReadOnlyList<string> Mutations
    {
        get
        {
            lock (_lock)
            {
                return [.. Calls.Where(c => c.Answer == "OK" && !c.Action.StartsWith("Get", StringComparison.Ordinal)).Select(c => c.Action)];
            }
        }
    }

    /// <summary>How many times <paramref name="action"/> was called, whatever the answer.</summary>
    public int Attempts(string action)
    {
        lock (_lock)
        {
            return Calls.Count(c => c.Action == action);
        }
    }

    /// <summary>The last response the handler PUT to the response URL, and when it arrived.</summary>
    public JsonElement? Response { get; private set; }

    public DateTime? ResponseAt { get; private set; }

    public string ResponseUrl => $"http://127.0.0.1:{Port}/response";

    /// <summary>Forgets the calls and the response (the state stays), before the next event.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            Calls.Clear();
            Response = null;
            ResponseAt = null;
        }
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Answer(context));
        }
    }

    private async Task Answer(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync().ConfigureAwait(false);
            var (status, answer, delay) = context.Request.HttpMethod == "PUT" ? Respond(body) : Ec2(body, context.Request.Headers["Authorization"]);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
            }

            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = status == 503 && !answer.StartsWith('<') ? "text/plain" : "text/xml";
            await context.Response.OutputStream.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client gave up on a slow answer, or the fake is stopping.
        }
    }

    private (int, string, TimeSpan) Respond(string body)
    {
        lock (_lock)
        {
            Response = JsonDocument.Parse(body).RootElement.Clone();
            ResponseAt = DateTime.UtcNow;
        }

        return (200, "", TimeSpan.Zero);
    }

    private (int, string, TimeSpan) Ec2(string body, string? authorization)
    {
        var query = HttpUtility.ParseQueryString(body);
        var parameters = query.AllKeys.OfType<string>().ToDictionary(k => k, k => query[k]!, StringComparer.Ordinal);
        var action = parameters["Action"];
        lock (_lock)
        {
            var (status, answer, delay) = Answer(action, parameters, authorization);
            var code = status == 200 ? "OK" : answer.Contains("<Code>", StringComparison.Ordinal) ? answer.Split("<Code>")[1].Split("</Code>")[0] : $"HTTP{status}";
            Calls.Add(new FakeCall(action, parameters, code, DateTime.UtcNow));
            return (status, answer, delay + AlwaysDelay);
        }
    }

    private (int, string, TimeSpan) Answer(string action, Dictionary<string, string> parameters, string? authorization)
    {
        if (authorization?.StartsWith("AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal) != true || parameters.GetValueOrDefault("Version") != "2016-11-15")
        {
            return Error("AuthFailure", "the request is not signed with SigV4 for the 2016-11-15 API");
        }

        var delay = TimeSpan.Zero;
        if (Faults.TryDequeue(out var fault))
        {
            switch (fault)
            {
                case FakeFault.NotYetAuthorized:
                    return Error("UnauthorizedOperation", $"You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/golden-account-controls-us-east-1/golden-account-controls is not authorized to perform: ec2:{action} because no identity-based policy allows the ec2:{action} action");
                case FakeFault.Throttled:
                    return Error("RequestLimitExceeded", "Request limit exceeded.", 503);
                case FakeFault.Unavailable:
                    return (503, "Service Unavailable", TimeSpan.Zero);
                case FakeFault.Slow:
                    delay = FaultDelay;
                    break;
            }
        }

        if (Denied.Contains(action))
        {
            return Error("UnauthorizedOperation", $"You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/golden-account-controls-us-east-1/golden-account-controls is not authorized to perform: ec2:{action} with an explicit deny in a service control policy");
        }

        if (Permitted is not null && !Permitted.Contains($"ec2:{action}"))
        {
            return Error("UnauthorizedOperation", $"You are not authorized to perform this operation. User: arn:aws:sts::123456789012:assumed-role/golden-account-controls-us-east-1/golden-account-controls is not authorized to perform: ec2:{action} because no identity-based policy allows the ec2:{action} action");
        }

        if (ManagedBy == "declarative-policy" && action is "EnableImageBlockPublicAccess" or "DisableImageBlockPublicAccess" or "EnableAllowedImagesSettings" or "DisableAllowedImagesSettings" or "ReplaceImageCriteriaInAllowedImagesSettings")
        {
            return Error("OperationNotPermitted", $"This account's setting is managed by a declarative policy of its organization: {action} is not permitted.");
        }

        var (status, answer, _) = State(action, parameters);
        return (status, answer, delay);
    }

    private (int, string, TimeSpan) State(string action, Dictionary<string, string> parameters)
    {
        string Managed() => $"<managedBy>{ManagedBy}</managedBy>";
        switch (action)
        {
            case "GetImageBlockPublicAccessState":
                var shown = _imageBlockLagLeft > 0 ? _imageBlockShown : ImageBlockPublicAccess;
                _imageBlockLagLeft = Math.Max(0, _imageBlockLagLeft - 1);
                return Ok(action, $"<imageBlockPublicAccessState>{shown}</imageBlockPublicAccessState>{Managed()}");
            case "EnableImageBlockPublicAccess" or "DisableImageBlockPublicAccess":
                (_imageBlockShown, _imageBlockLagLeft) = (ImageBlockPublicAccess, ImageBlockLag);
                ImageBlockPublicAccess = action.StartsWith("Enable", StringComparison.Ordinal) ? parameters["ImageBlockPublicAccessState"] : "unblocked";
                return Ok(action, $"<imageBlockPublicAccessState>{ImageBlockPublicAccess}</imageBlockPublicAccessState>");
            case "GetEbsEncryptionByDefault":
                return Ok(action, $"<ebsEncryptionByDefault>{(EbsEncryptionByDefault ? "true" : "false")}</ebsEncryptionByDefault><sseType>sse-ebs</sseType>");
            case "EnableEbsEncryptionByDefault" or "DisableEbsEncryptionByDefault":
                EbsEncryptionByDefault = action.StartsWith("Enable", StringComparison.Ordinal);
                return Ok(action, $"<ebsEncryptionByDefault>{(EbsEncryptionByDefault ? "true" : "false")}</ebsEncryptionByDefault>");
            case "GetEbsDefaultKmsKeyId":
                return Ok(action, $"<kmsKeyId>{EbsDefaultKey}</kmsKeyId>");
            case "ModifyEbsDefaultKmsKeyId":
                EbsDefaultKey = parameters["KmsKeyId"];
                return Ok(action, $"<kmsKeyId>{EbsDefaultKey}</kmsKeyId>");
            case "ResetEbsDefaultKmsKeyId":
                EbsDefaultKey = "arn:aws:kms:us-east-1:123456789012:alias/aws/ebs";
                return Ok(action, $"<kmsKeyId>{EbsDefaultKey}</kmsKeyId>");
            case "GetAllowedImagesSettings":
                var items = string.Concat(Criteria.Select(c =>
                    "<item>" + Set("imageProviderSet", c.Providers) + Set("marketplaceProductCodeSet", c.MarketplaceCodes) + Set("imageNameSet", c.Names)
                    + (c.Created is null ? "" : $"<creationDateCondition><maximumDaysSinceCreated>{c.Created}</maximumDaysSinceCreated></creationDateCondition>")
                    + (c.Deprecated is null ? "" : $"<deprecationTimeCondition><maximumDaysSinceDeprecated>{c.Deprecated}</maximumDaysSinceDeprecated></deprecationTimeCondition>")
                    + "</item>"));
                return Ok(action, $"<state>{AllowedImagesState}</state><imageCriterionSet>{items}</imageCriterionSet>{Managed()}");
            case "EnableAllowedImagesSettings":
                AllowedImagesState = parameters["AllowedImagesSettingsState"];
                return Ok(action, $"<allowedImagesSettingsState>{AllowedImagesState}</allowedImagesSettingsState>");
            case "DisableAllowedImagesSettings":
                AllowedImagesState = "disabled";
                return Ok(action, "<allowedImagesSettingsState>disabled</allowedImagesSettingsState>");
            case "ReplaceImageCriteriaInAllowedImagesSettings":
                Criteria = [];
                for (var n = 1; parameters.Keys.Any(k => k.StartsWith($"ImageCriterion.{n}.", StringComparison.Ordinal)); n++)
                {
                    List<string> Values(string name) => [.. parameters.Where(p => p.Key.StartsWith($"ImageCriterion.{n}.{name}.", StringComparison.Ordinal))
                        .OrderBy(p => int.Parse(p.Key[(p.Key.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).Select(p => p.Value)];
                    Criteria.Add(new FakeCriterion(Values("ImageProvider"), Values("ImageName"),
                        parameters.GetValueOrDefault($"ImageCriterion.{n}.CreationDateCondition.MaximumDaysSinceCreated"),
                        parameters.GetValueOrDefault($"ImageCriterion.{n}.DeprecationTimeCondition.MaximumDaysSinceDeprecated"))
                    { MarketplaceCodes = Values("MarketplaceProductCode") });
                }

                return Ok(action, "<return>true</return>");
            default:
                return Error("InvalidAction", $"The action {action} is not valid for this web service.");
        }
    }

    private static string Set(string name, List<string> values) =>
        values.Count == 0 ? "" : $"<{name}>{string.Concat(values.Select(v => $"<item>{WebUtility.HtmlEncode(v)}</item>"))}</{name}>";

    private static (int, string, TimeSpan) Ok(string action, string content) =>
        (200, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><{action}Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>00000000-0000-0000-0000-000000000000</requestId>{content}</{action}Response>", TimeSpan.Zero);

    private static (int, string, TimeSpan) Error(string code, string message, int? status = null) =>
        (status ?? (code == "InvalidAction" ? 400 : 403), $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{code}</Code><Message>{WebUtility.HtmlEncode(message)}</Message></Error></Errors><RequestID>0</RequestID></Response>", TimeSpan.Zero);

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }
}
