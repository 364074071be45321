using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AmiInfra.Constructs.Tests.Infrastructure;

/// <summary>
/// One moto_server for this test assembly at a time, on a free loopback port: the fixtures that need it lease it
/// (<see cref="Acquire"/>, <see cref="Release"/>); it starts with the first lease and stops with the last (and, should
/// a fixture never release it, when the test process ends). Tests isolate their state by working in accounts of their
/// own (moto keeps state per account). moto loads no AMI catalog of its own (MOTO_AMIS_PATH names an empty one): the
/// tests see only the AMIs they register.
/// </summary>
public sealed class MotoServer
{
    private static readonly Lock Leases = new();
    private static MotoServer? _current;
    private static int _leases;
    private readonly Process _process;
    private readonly string _catalog;

    private MotoServer(Process process, string endpoint, string catalog)
    {
        _process = process;
        _catalog = catalog;
        Endpoint = endpoint;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

    /// <summary>The server, started if no fixture holds it; release it when done.</summary>
    public static MotoServer Acquire()
    {
        lock (Leases)
        {
            _current ??= Start();
            _leases++;
            return _current;
        }
    }

    /// <summary>Gives a lease back; the last one stops the server.</summary>
    public static void Release()
    {
        lock (Leases)
        {
            if (--_leases == 0 && _current is { } server)
            {
                server.Stop();
                _current = null;
            }
        }
    }

    /// <summary>http://127.0.0.1:PORT</summary>
    public string Endpoint { get; }

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static MotoServer Start()
    {
        var executable = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "moto_server"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("moto_server is not installed: the retention marker's tests need it. Install it with: pip install 'moto[server]'");
        var catalog = Path.Combine(Path.GetTempPath(), $"amiinfra-moto-amis-{Environment.ProcessId}.json");
        File.WriteAllText(catalog, "[]");
        var port = FreePort();
        var start = new ProcessStartInfo(executable, ["-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["MOTO_AMIS_PATH"] = catalog;
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
                    return new MotoServer(process, endpoint, catalog);
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

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"moto_server did not answer on {endpoint} within 30 s");
    }

    private void Stop()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        File.Delete(_catalog);
    }
}
