using AmiInfra.Ops.Core;
using System.Text.Json;
using AmiInfra.Ops.Cli;

namespace AmiInfra.Ops.Tests.Infrastructure;

/// <summary>The outcome of one run of the CLI.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Standard output parsed as JSON.</summary>
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;

    /// <inheritdoc />
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>Runs the CLI's entry point as a user would, with real arguments, capturing its output.</summary>
public static class CliRun
{
    /// <summary>The repository's default declaration folder.</summary>
    public static string DefaultDeclaration => Path.Combine(RepositoryRoot, "factory");

    /// <summary>The repository root.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AmiInfra.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("AmiInfra.sln not found above the test binaries");
        }
    }

    /// <summary>Runs <c>amiinfra</c> with <paramref name="args"/> in the given environment.</summary>
    public static async Task<CliResult> RunAsync(
        IReadOnlyDictionary<string, string> environment,
        string[] args,
        AwsInterceptor? interceptor = null,
        DateTimeOffset? now = null,
        bool terminal = false)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var cli = new CliEnvironment
        {
            Out = output,
            Error = error,
            ErrorIsTerminal = terminal,
            GetVariable = name => environment.GetValueOrDefault(name),
            Clock = now is null ? TimeProvider.System : new FixedClock(now.Value),
            // Commands that wait for AWS (redistribute) look again at once: the interceptor's images move on per look.
            PollInterval = TimeSpan.FromMilliseconds(10),
            // moto has no Image Builder: the interceptor answers it (an account without recipes) unless a test brings its own.
            HttpClientFactory = interceptor ?? new AwsInterceptor(),
        };
        var code = await AmiInfraCli.RunAsync(args, cli);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
