using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AmiInfra.Constructs.Tests.Infrastructure;

/// <summary>One AWS Query API call that went through a <see cref="FaultProxy"/>.</summary>
/// <param name="Action">The API action, e.g. CreateTags.</param>
/// <param name="Region">The region of the call's SigV4 credential scope.</param>
/// <param name="Parameters">The form parameters.</param>
/// <param name="AccessKey">The access key that signed it (one per account in moto).</param>
public sealed record ProxiedCall(string Action, string Region, IReadOnlyDictionary<string, string> Parameters, string AccessKey)
{
    /// <summary>The ResourceId.N parameters (CreateTags, DeleteTags).</summary>
    public IReadOnlyList<string> ResourceIds => Parameters.Where(p => p.Key.StartsWith("ResourceId.", StringComparison.Ordinal)).Select(p => p.Value).ToList();
}

/// <summary>
/// A loopback HTTP proxy in front of moto_server for AWS Query APIs (EC2, STS): it forwards every call, records it,
/// refuses the calls <see cref="Refuse"/> names (HTTP 403, UnauthorizedOperation, as EC2 answers a denied call), and
/// rewrites DescribeImages answers where moto cannot be told a value: the creation date and state of given AMIs
/// (moto dates an AMI when it registers it, to the second, and has no disabled state).
/// </summary>
public sealed partial class FaultProxy : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _target;
    private readonly Task _loop;

    /// <summary>Starts the proxy in front of <paramref name="target"/>.</summary>
    public FaultProxy(string target)
    {
        _target = target.TrimEnd('/');
        var port = MotoServer.FreePort();
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add($"{Endpoint}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public string Endpoint { get; }

    /// <summary>Creation dates DescribeImages answers for these AMIs.</summary>
    public ConcurrentDictionary<string, string> CreationDates { get; } = new(StringComparer.Ordinal);

    /// <summary>States DescribeImages answers for these AMIs (e.g. disabled).</summary>
    public ConcurrentDictionary<string, string> States { get; } = new(StringComparer.Ordinal);

    /// <summary>Which calls are refused. Default: none.</summary>
    public Func<ProxiedCall, bool> Refuse { get; set; } = _ => false;

    /// <summary>Every call, in the order the proxy received them.</summary>
    public ConcurrentQueue<ProxiedCall> Calls { get; } = new();

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
            // The listener was closed under the loop.
        }

        _client.Dispose();
    }

    private async Task LoopAsync()
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

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body).ConfigureAwait(false);
        var bytes = body.ToArray();
        var parameters = Encoding.UTF8.GetString(bytes).Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => p.Length > 1 ? WebUtility.UrlDecode(p[1]) : "", StringComparer.Ordinal);
        var scope = CredentialScope().Match(context.Request.Headers["Authorization"] ?? "");
        var call = new ProxiedCall(parameters.GetValueOrDefault("Action") ?? "", scope.Success ? scope.Groups[2].Value : "", parameters, scope.Success ? scope.Groups[1].Value : "");
        Calls.Enqueue(call);
        var response = context.Response;
        try
        {
            if (Refuse(call))
            {
                await WriteAsync(response, 403, "text/xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation ({call.Action} refused by the test).</Message></Error></Errors><RequestID>refused</RequestID></Response>").ConfigureAwait(false);
                return;
            }

            using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), _target + context.Request.RawUrl) { Content = new ByteArrayContent(bytes) };
            foreach (var name in context.Request.Headers.AllKeys.OfType<string>())
            {
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    request.Content.Headers.TryAddWithoutValidation(name, context.Request.Headers[name]);
                }
                else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    request.Headers.TryAddWithoutValidation(name, context.Request.Headers[name]);
                }
            }

            using var answer = await _client.SendAsync(request).ConfigureAwait(false);
            var text = await answer.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (call.Action == "DescribeImages" && answer.IsSuccessStatusCode)
            {
                text = Rewrite(text);
            }

            await WriteAsync(response, (int)answer.StatusCode, answer.Content.Headers.ContentType?.ToString() ?? "text/xml", text).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await WriteAsync(response, 502, "text/plain", e.Message).ConfigureAwait(false);
        }
    }

    private string Rewrite(string xml)
    {
        var document = XDocument.Parse(xml);
        foreach (var item in document.Descendants().Where(e => e.Name.LocalName == "item" && e.Parent?.Name.LocalName == "imagesSet"))
        {
            var id = item.Elements().FirstOrDefault(e => e.Name.LocalName == "imageId")?.Value;
            if (id is null)
            {
                continue;
            }

            if (CreationDates.TryGetValue(id, out var created) && item.Elements().FirstOrDefault(e => e.Name.LocalName == "creationDate") is { } date)
            {
                date.Value = created;
            }

            if (States.TryGetValue(id, out var state) && item.Elements().FirstOrDefault(e => e.Name.LocalName == "imageState") is { } current)
            {
                current.Value = state;
            }
        }

        return document.Declaration + document.ToString(SaveOptions.DisableFormatting);
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string contentType, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        response.Close();
    }

    [GeneratedRegex("Credential=([^/]+)/[0-9]{8}/([a-z0-9-]+)/")]
    private static partial Regex CredentialScope();
}
