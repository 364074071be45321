using Amazon.Runtime;

namespace AmiInfra.Ops.Core;

/// <summary>
/// What the command line runs in: its output streams, its environment variables, its clock and,
/// for tests, the HTTP stack the AWS clients use. <see cref="FromProcess"/> gives the real one.
/// </summary>
public sealed class CliEnvironment
{
    /// <summary>Standard output: the report (table or JSON) and nothing else.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Standard error: errors, warnings and progress.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Whether standard error is an interactive terminal (progress is shown only then).</summary>
    public bool ErrorIsTerminal { get; init; }

    /// <summary>Whether standard output is an interactive terminal (colour is used only then, and never with NO_COLOR).</summary>
    public bool OutIsTerminal { get; init; }

    /// <summary>Reads an environment variable (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, ...).</summary>
    public required Func<string, string?> GetVariable { get; init; }

    /// <summary>The clock ages and retirement rules are measured with.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How long a command that waits for AWS to finish something (a redistribution) waits between two looks.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The HTTP stack of every AWS client; null for the SDK's own.</summary>
    public HttpClientFactory? HttpClientFactory { get; init; }

    /// <summary>The process's own console and environment.</summary>
    public static CliEnvironment FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        OutIsTerminal = !Console.IsOutputRedirected,
        GetVariable = Environment.GetEnvironmentVariable,
    };
}
