using System.Net;
using System.Text;
using System.Text.Json;
using System.Web;

namespace AmiInfra.Constructs.Tests.Governance;

/// <summary>
/// A loopback HTTP server standing in for EC2's Query API (the account controls only) and for the
/// CloudFormation response URL, so that the account-controls handler runs as it runs in Lambda: signed
/// requests, XML answers, a PUT of its response. The state is what the account has set.
/// </summary>
public sealed class FakeEc2 : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

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

    public bool EbsEncryptionByDefault { get; set; }

    public string EbsDefaultKey { get; set; } = "arn:aws:kms:us-east-1:123456789012:alias/aws/ebs";

    public string AllowedImagesState { get; set; } = "disabled";

    public List<(List<string> Providers, List<string> Names, string? Created, string? Deprecated)> Criteria { get; set; } = [];

    public string ManagedBy { get; set; } = "account";

    /// <summary>The IAM actions (ec2:...) the role may call; null: all of them. A test narrows it as CloudFormation would narrow the role.</summary>
    public IReadOnlySet<string>? Permitted { get; set; }

    /// <summary>An action that answers with UnauthorizedOperation, to test failures.</summary>
    public string? FailingAction { get; set; }

    /// <summary>Every call, in order: the action and its parameters.</summary>
    public List<(string Action, Dictionary<string, string> Parameters)> Calls { get; } = [];

    /// <summary>The mutating actions called, in order.</summary>
    public IReadOnlyList<string> Mutations => Calls.Select(c => c.Action).Where(a => !a.StartsWith("Get", StringComparison.Ordinal)).ToList();

    /// <summary>The last response the handler PUT to the response URL.</summary>
    public JsonElement? Response { get; private set; }

    public string ResponseUrl => $"http://127.0.0.1:{Port}/response";

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync().ConfigureAwait(false);
            var (status, answer) = context.Request.HttpMethod == "PUT" ? Respond(body) : Ec2(body, context.Request.Headers["Authorization"]);
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/xml";
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
    }

    private (int, string) Respond(string body)
    {
        Response = JsonDocument.Parse(body).RootElement.Clone();
        return (200, "");
    }

    private (int, string) Ec2(string body, string? authorization)
    {
        var query = HttpUtility.ParseQueryString(body);
        var parameters = query.AllKeys.OfType<string>().ToDictionary(k => k, k => query[k]!, StringComparer.Ordinal);
        var action = parameters["Action"];
        lock (Calls)
        {
            Calls.Add((action, parameters));
        }

        if (authorization?.StartsWith("AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal) != true || parameters.GetValueOrDefault("Version") != "2016-11-15")
        {
            return Error("AuthFailure", "the request is not signed with SigV4 for the 2016-11-15 API");
        }

        if (action == FailingAction || (Permitted is not null && !Permitted.Contains($"ec2:{action}")))
        {
            return Error("UnauthorizedOperation", $"You are not authorized to perform {action}.");
        }

        string? Managed() => $"<managedBy>{ManagedBy}</managedBy>";
        switch (action)
        {
            case "GetImageBlockPublicAccessState":
                return Ok(action, $"<imageBlockPublicAccessState>{ImageBlockPublicAccess}</imageBlockPublicAccessState>{Managed()}");
            case "EnableImageBlockPublicAccess":
                ImageBlockPublicAccess = parameters["ImageBlockPublicAccessState"];
                return Ok(action, $"<imageBlockPublicAccessState>{ImageBlockPublicAccess}</imageBlockPublicAccessState>");
            case "DisableImageBlockPublicAccess":
                ImageBlockPublicAccess = "unblocked";
                return Ok(action, "<imageBlockPublicAccessState>unblocked</imageBlockPublicAccessState>");
            case "GetEbsEncryptionByDefault":
                return Ok(action, $"<ebsEncryptionByDefault>{(EbsEncryptionByDefault ? "true" : "false")}</ebsEncryptionByDefault>");
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
                    "<item>" + Set("imageProviderSet", c.Providers) + Set("imageNameSet", c.Names)
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
                    List<string> Values(string name) => parameters.Where(p => p.Key.StartsWith($"ImageCriterion.{n}.{name}.", StringComparison.Ordinal))
                        .OrderBy(p => int.Parse(p.Key[(p.Key.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).Select(p => p.Value).ToList();
                    Criteria.Add((Values("ImageProvider"), Values("ImageName"),
                        parameters.GetValueOrDefault($"ImageCriterion.{n}.CreationDateCondition.MaximumDaysSinceCreated"),
                        parameters.GetValueOrDefault($"ImageCriterion.{n}.DeprecationTimeCondition.MaximumDaysSinceDeprecated")));
                }

                return Ok(action, "<return>true</return>");
            default:
                return Error("InvalidAction", $"The action {action} is not valid for this web service.");
        }
    }

    private static string Set(string name, List<string> values) =>
        values.Count == 0 ? "" : $"<{name}>{string.Concat(values.Select(v => $"<item>{WebUtility.HtmlEncode(v)}</item>"))}</{name}>";

    private static (int, string) Ok(string action, string content) =>
        (200, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><{action}Response xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>00000000-0000-0000-0000-000000000000</requestId>{content}</{action}Response>");

    private static (int, string) Error(string code, string message) =>
        (code == "InvalidAction" ? 400 : 403, $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>0</RequestID></Response>");

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
