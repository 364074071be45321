using Amazon.CDK;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace AmiInfra.App.Tests;

/// <summary>All CDK tests of this assembly share one collection: jsii answers one call at a time.</summary>
[CollectionDefinition(Name)]
public sealed class CdkCollection
{
    public const string Name = "cdk";
}

public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "AmiInfra.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("AmiInfra.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Runs the app as the CDK CLI would, into a fresh output folder.</summary>
public sealed class AppRun
{
    public required int ExitCode { get; init; }

    public required string Errors { get; init; }

    public required string OutDir { get; init; }

    public IReadOnlyList<string> Templates =>
        Directory.Exists(OutDir) ? Directory.GetFiles(OutDir, "*.template.json").Select(f => System.IO.Path.GetFileName(f)).ToList() : [];

    public static AppRun Synthesize(string declaration)
    {
        var outDir = Directory.CreateTempSubdirectory("amiinfra-test-").FullName;
        var errors = new StringWriter();
        var exitCode = FactoryApp.Run(errors, new AppProps
        {
            Outdir = outDir,
            Context = new Dictionary<string, object> { [FactoryApp.DeclarationContextKey] = declaration },
        });
        return new AppRun { ExitCode = exitCode, Errors = errors.ToString(), OutDir = outDir };
    }
}
