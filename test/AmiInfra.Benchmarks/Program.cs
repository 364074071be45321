using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AmiInfra.App.Stacks;
using AmiInfra.Testing;

// Synthesis benchmark: each measurement runs in a fresh process (as `cdk synth` does), so every
// figure includes starting the jsii runtime. "floor" is an empty CDK app in the same harness.
//
//   dotnet run -c Release --project test/AmiInfra.Benchmarks -- [--sizes 1,10,100,500] [--repeat 1]
//
// Ops benchmark: the main amiinfra commands against a moto_server seeded with many AMIs.
//
//   dotnet run -c Release --project test/AmiInfra.Benchmarks -- --ops [--amis 1200] [--repeat 3]
if (args.Contains("--ops"))
{
    return await OpsBenchmark.RunAsync(int.Parse(Option(args, "--amis", "1200"), CultureInfo.InvariantCulture), int.Parse(Option(args, "--repeat", "3"), CultureInfo.InvariantCulture));
}

if (args is ["--one", var one])
{
    Console.WriteLine(JsonSerializer.Serialize(Measure.One(one)));
    return 0;
}

var sizes = Option(args, "--sizes", "1,10,100,500").Split(',').Select(int.Parse).ToList();
var repeat = int.Parse(Option(args, "--repeat", "1"), CultureInfo.InvariantCulture);
// Each round measures every size once, so that a slow spell of the machine spoils one round of
// every size rather than every run of one size; each size then reports its fastest run.
var sizesToRun = new[] { "floor" }.Concat(sizes.Select(s => s.ToString(CultureInfo.InvariantCulture))).ToList();
var runs = sizesToRun.ToDictionary(s => s, _ => new List<Result>());
for (var round = 0; round < repeat; round++)
{
    foreach (var what in sizesToRun)
    {
        runs[what].Add(Measure.InChild(what));
    }
}

var results = sizesToRun.Select(what => runs[what].MinBy(r => r.Seconds)!).ToList();

Console.WriteLine($"{"images",8} {"regions",8} {"seconds",8} {"compose",8} {"guard",8} {"synth",8} {"cpu s",8} {"stacks",7} {"resources",10} {"KiB",9} {"peak MiB",9} {"marginal ms/resource",21} {"(cpu)",7}");
Result? previous = null;
foreach (var r in results)
{
    string Marginal(Func<Result, double> seconds) => previous is { Images: > 0 } p && r.Resources > p.Resources
        ? ((seconds(r) - seconds(p)) * 1000 / (r.Resources - p.Resources)).ToString("0.00", CultureInfo.InvariantCulture)
        : "";
    Console.WriteLine($"{(r.Images < 0 ? "floor" : r.Images.ToString(CultureInfo.InvariantCulture)),8} {r.Regions,8} {r.Seconds,8:0.00} {r.ComposeSeconds,8:0.00} {r.GuardSeconds,8:0.00} {r.SynthSeconds,8:0.00} {r.CpuSeconds,8:0.00} {r.Stacks,7} {r.Resources,10} {r.Bytes / 1024,9} {r.PeakMiB,9} {Marginal(x => x.Seconds),21} {Marginal(x => x.CpuSeconds),7}");
    previous = r;
}

return 0;

static string Option(string[] args, string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

internal sealed record Result(int Images, int Regions, double Seconds, int Stacks, int Resources, long Bytes, long PeakMiB, double ComposeSeconds, double GuardSeconds, double SynthSeconds, double CpuSeconds);

internal static class Measure
{
    public static Result InChild(string what)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (!Environment.ProcessPath!.EndsWith("AmiInfra.Benchmarks", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(Measure).Assembly.Location);
        }

        start.ArgumentList.Add("--one");
        start.ArgumentList.Add(what);
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"the measurement of {what} failed (exit {child.ExitCode})");
        }

        return JsonSerializer.Deserialize<Result>(output.Trim().Split('\n')[^1])!;
    }

    public static Result One(string what)
    {
        var started = Process.GetCurrentProcess().StartTime;
        var outDir = Directory.CreateTempSubdirectory("amiinfra-bench-").FullName;
        var app = new Amazon.CDK.App(new Amazon.CDK.AppProps { Outdir = outDir });
        var phase = Stopwatch.StartNew();
        double compose = 0, guard = 0;
        var images = -1;
        var regions = 0;
        AmiInfra.Declaration.Factory? factory = null;
        if (what != "floor")
        {
            images = int.Parse(what, CultureInfo.InvariantCulture);
            factory = GeneratedFactory.Create(FactoryFolder(), images);
            regions = factory.DistributionRegions.Count;
            FactoryComposition.Compose(app, factory);
            compose = phase.Elapsed.TotalSeconds;
            FactoryComposition.Check(app, factory);
            guard = phase.Elapsed.TotalSeconds - compose;
        }

        app.Synth();
        var synth = phase.Elapsed.TotalSeconds - compose - guard;
        var seconds = (DateTime.Now - started).TotalSeconds;
        var templates = Directory.GetFiles(outDir, "*.template.json");
        var resources = templates.Sum(t => JsonDocument.Parse(File.ReadAllText(t)).RootElement.TryGetProperty("Resources", out var r) ? r.EnumerateObject().Count() : 0);
        var result = new Result(images, regions, seconds, templates.Length, resources, templates.Sum(t => new FileInfo(t).Length), PeakMiB(), compose, guard, synth, CpuSeconds());
        Directory.Delete(outDir, recursive: true);
        return result;
    }

    private static string FactoryFolder()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AmiInfra.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("run from inside the repository"), "factory");
    }

    /// <summary>Peak resident memory of this process and its descendants (the jsii runtime: a Node.js wrapper and its kernel process), from /proc.</summary>
    private static long PeakMiB() => ProcessTree().Sum(HighWaterMark) / 1024;

    /// <summary>CPU seconds (user and system) used so far by this process and its descendants: unlike wall time, not inflated by other load on the machine.</summary>
    private static double CpuSeconds() => ProcessTree().Sum(CpuTicks) / 100.0;

    private static List<int> ProcessTree()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                parents[pid] = ParentOf(pid);
            }
        }

        var tree = new List<int> { Environment.ProcessId };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return tree;
    }

    private static long CpuTicks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long HighWaterMark(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
