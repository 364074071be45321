using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AmiInfra.Ops.Tests.Infrastructure;

/// <summary>
/// One moto_server for the whole test run, on a free loopback port. Test classes isolate their
/// state by working in accounts of their own (see <see cref="MotoAccount"/>). When moto_server is
/// not installed, every test that needs it fails with the install command. moto loads the small
/// AMI catalog moto-amis.json (Amazon Linux 2023 and Windows AMIs owned by Amazon) into every
/// account and region instead of its ~1,200 built-in AMIs, whose snapshots would otherwise come
/// back from every DescribeSnapshots and make each call take a second. (The catalog has no
/// creation dates: moto parses them in place in a list shared by all regions, and fails on the
/// second region that loads it.)
/// </summary>
public sealed class MotoServer
{
    private static readonly Lazy<MotoServer> Shared = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Process process;
    private bool executing;

    private MotoServer(Process process, string endpoint)
    {
        this.process = process;
        Endpoint = endpoint;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    /// <summary>The server of this test run (started on first use).</summary>
    public static MotoServer Instance => Shared.Value;

    /// <summary>http://127.0.0.1:PORT</summary>
    public string Endpoint { get; }

    private static MotoServer Start()
    {
        var executable = FindOnPath("moto_server")
            ?? throw new InvalidOperationException("moto_server is not installed: the AWS-facing tests need it. Install it with: pip install 'moto[server]'");
        var port = FreePort();
        var start = new ProcessStartInfo(executable, ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["MOTO_AMIS_PATH"] = Path.Combine(AppContext.BaseDirectory, "moto-amis.json");
        // moto's Step Functions parser sends a state's aws-sdk calls to localhost:MOTO_PORT (moto/stepfunctions/parser/asl/utils/boto_client.py).
        start.Environment["MOTO_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var endpoint = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with code {process.ExitCode} before answering");
            }

            try
            {
                using var response = http.GetAsync($"{endpoint}/moto-api/").GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return new MotoServer(process, endpoint);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            Thread.Sleep(100);
        }

        process.Kill();
        throw new InvalidOperationException($"moto_server did not answer on {endpoint} within 30 s");
    }

    /// <summary>
    /// Makes moto run the state machines it is asked to execute (its Step Functions parser, with aws-sdk service
    /// integrations answered by moto itself) instead of only recording executions: the configuration API's
    /// {"stepfunctions": {"execute_state_machine": true}} (moto/moto_api/_internal/models.py, set_config). The parser's
    /// own calls are signed with moto's placeholder keys, so what a state does lands in moto's default account 123456789012.
    /// </summary>
    public void ExecuteStateMachines()
    {
        lock (process)
        {
            if (executing)
            {
                return;
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            using var body = new StringContent("""{"stepfunctions": {"execute_state_machine": true}}""", System.Text.Encoding.UTF8, "application/json");
            using var response = http.PostAsync($"{Endpoint}/moto-api/config", body).GetAwaiter().GetResult();
            response.EnsureSuccessStatusCode();
            executing = true;
        }
    }

    private void Stop()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
