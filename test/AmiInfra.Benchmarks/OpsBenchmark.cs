using AmiInfra.Ops.Core;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using AmiInfra.Ops.Cli;

/// <summary>
/// Times the main amiinfra commands against a local moto_server seeded with many factory AMIs across
/// three regions (a tenth of them shared with another account, one in use by an instance). Each command
/// runs in-process through the CLI's entry point, as the tests run it; each figure is the fastest of
/// the rounds. moto answers one call at a time in Python, so the figures measure the number and the
/// concurrency of calls more than the tool's own work.
/// </summary>
internal static class OpsBenchmark
{
    private static readonly string[] Regions = ["us-east-1", "eu-west-1", "ap-southeast-2"];

    public static async Task<int> RunAsync(int amis, int repeat)
    {
        var root = RepositoryRoot();
        var port = FreePort();
        var start = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["MOTO_AMIS_PATH"] = Path.Combine(root, "test", "AmiInfra.Ops.Tests", "moto-amis.json");
        using var moto = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start (pip install 'moto[server]')");
        moto.OutputDataReceived += (_, _) => { };
        moto.ErrorDataReceived += (_, _) => { };
        moto.BeginOutputReadLine();
        moto.BeginErrorReadLine();
        var endpoint = $"http://127.0.0.1:{port}";
        try
        {
            await WaitAsync(endpoint);
            var folder = Directory.CreateTempSubdirectory("amiinfra-ops-bench-").FullName;
            var declaration = Path.Combine(folder, "factory.json");
            await File.WriteAllTextAsync(declaration, $$"""
                {
                  "name": "bench", "account": "123456789012", "region": "us-east-1", "build": {},
                  "distribution": { "regions": [{{string.Join(", ", Regions.Select(r => $"\"{r}\""))}}], "launchPermissions": { "accounts": ["111122223333"] } },
                  "lifecycle": { "deprecate": { "afterDays": 90 }, "delete": { "keepNewest": 50 }, "keepAtLeast": 3 },
                  "images": [
                    { "name": "app", "platform": "linux", "parent": { "amiId": "ami-0123456789abcdef0" }, "components": [ { "managed": "update-linux" } ], "rootVolume": { "deviceName": "/dev/xvda", "sizeGiB": 8 } }
                  ]
                }
                """);
            var seeding = Stopwatch.StartNew();
            var sample = await SeedAsync(endpoint, amis);
            Console.WriteLine($"Seeded {amis:N0} AMIs in {Regions.Length} regions in {seeding.Elapsed.TotalSeconds:0.0} s.");

            var environment = new Dictionary<string, string>
            {
                ["AWS_ACCESS_KEY_ID"] = "bench", ["AWS_SECRET_ACCESS_KEY"] = "bench", ["AWS_ENDPOINT_URL"] = endpoint, ["AWS_REGION"] = "us-east-1",
            };
            string[][] commands =
            [
                ["images"], ["images", "--usage"], ["audit"], ["lifecycle", "plan"], ["lifecycle", "apply"], ["snapshots", "orphaned"], ["usage", sample], ["deregister", sample],
            ];
            Console.WriteLine($"{"command",-20} {"exit",5} {"seconds",8}");
            foreach (var command in commands)
            {
                var best = double.MaxValue;
                var code = 0;
                for (var round = 0; round < repeat; round++)
                {
                    var watch = Stopwatch.StartNew();
                    code = await AmiInfraCli.RunAsync([.. command, "--declaration", declaration, "--output", "json"], new CliEnvironment { Out = TextWriter.Null, Error = TextWriter.Null, GetVariable = environment.GetValueOrDefault, HttpClientFactory = new ImageBuilderWithoutRecipes() });
                    best = Math.Min(best, watch.Elapsed.TotalSeconds);
                }

                Console.WriteLine($"{string.Join(' ', command.Where(c => !c.StartsWith("ami-", StringComparison.Ordinal))),-20} {code,5} {best,8:0.00}");
            }

            Directory.Delete(folder, recursive: true);
            return 0;
        }
        finally
        {
            moto.Kill(entireProcessTree: true);
        }
    }

    private static async Task<string> SeedAsync(string endpoint, int amis)
    {
        var perRegion = amis / Regions.Length;
        string sample = "";
        foreach (var region in Regions)
        {
            using var ec2 = new AmazonEC2Client(new BasicAWSCredentials("bench", "bench"), new AmazonEC2Config { ServiceURL = endpoint, AuthenticationRegion = region });
            var ids = new string[perRegion];
            await Parallel.ForAsync(0, perRegion, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
            {
                ids[i] = (await ec2.RegisterImageAsync(new RegisterImageRequest { Name = $"bench-app-{region}-{i:D5}", RootDeviceName = "/dev/xvda" }, token)).ImageId;
            });
            foreach (var chunk in ids.Chunk(500))
            {
                await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [.. chunk], Tags = [new Tag("amiinfra:factory", "bench"), new Tag("amiinfra:image", "app")] });
            }

            foreach (var id in ids.Where((_, i) => i % 10 == 0))
            {
                await ec2.ModifyImageAttributeAsync(new ModifyImageAttributeRequest { ImageId = id, LaunchPermission = new() { Add = [new() { UserId = "111122223333" }] } });
            }

            if (region == "us-east-1")
            {
                sample = ids[1];
                await ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = sample, MinCount = 1, MaxCount = 1 });
            }
        }

        return sample;
    }

    private static async Task WaitAsync(string endpoint)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var response = await http.GetAsync($"{endpoint}/moto-api/");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // not answering yet
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"moto_server did not answer on {endpoint}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AmiInfra.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("run from inside the repository");
    }
}

/// <summary>
/// moto has no Image Builder: its ListImageRecipes and ListContainerRecipes are answered here as for an account without
/// recipes (the usage check asks them where DescribeImageReferences is not offered); every other call goes to moto.
/// </summary>
internal sealed class ImageBuilderWithoutRecipes : HttpClientFactory
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<TimeSpan, HttpClient> clients = new();
    private readonly Handler handler = new();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        clients.GetOrAdd(clientConfig.Timeout ?? Timeout.InfiniteTimeSpan, t => new HttpClient(handler, disposeHandler: false) { Timeout = t });

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

    private sealed class Handler() : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var authorization = request.Headers.TryGetValues("Authorization", out var values) ? string.Join(' ', values) : "";
            if (!authorization.Contains("/imagebuilder/aws4_request", StringComparison.Ordinal))
            {
                return base.SendAsync(request, cancellationToken);
            }

            var list = request.RequestUri!.AbsolutePath.Contains("Container", StringComparison.Ordinal) ? "containerRecipeSummaryList" : "imageRecipeSummaryList";
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"{{\"{list}\":[]}}", System.Text.Encoding.UTF8, "application/json") });
        }
    }
}
