using System.CommandLine;
using Amazon.Runtime;
using AmiInfra.Declaration;
using AmiInfra.Ops.Aws;

namespace AmiInfra.Ops.Cli;

/// <summary>Runs a command body with its context, and turns every failure into one line and an exit code.</summary>
public sealed class CommandRunner
{
    private readonly Dictionary<Command, IReadOnlyList<string>> examples = [];

    /// <summary>Creates the runner.</summary>
    public CommandRunner(GlobalOptions options, CliEnvironment environment)
    {
        Options = options;
        Environment = environment;
    }

    /// <summary>The global options.</summary>
    public GlobalOptions Options { get; }

    /// <summary>The environment of the run.</summary>
    public CliEnvironment Environment { get; }

    /// <summary>The examples shown under each command's help.</summary>
    public IReadOnlyDictionary<Command, IReadOnlyList<string>> Examples => examples;

    /// <summary>Sets the body and the help examples of a command.</summary>
    public Command Define(Command command, IReadOnlyList<string> commandExamples, Func<CommandContext, ParseResult, CancellationToken, Task<int>> body)
    {
        examples[command] = commandExamples;
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, cancellationToken, body));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken, Func<CommandContext, ParseResult, CancellationToken, Task<int>> body)
    {
        CommandContext? context = null;
        var timeout = parseResult.GetValue(Options.Timeout);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            context = new CommandContext(Environment, new InvocationOptions(
                parseResult.GetValue(Options.Output),
                parseResult.GetValue(Options.Declaration) ?? "factory",
                parseResult.GetValue(Options.Region),
                parseResult.GetValue(Options.Regions) ?? [],
                new AwsSettings(parseResult.GetValue(Options.Profile), parseResult.GetValue(Options.EndpointUrl)) { CallTimeout = parseResult.GetValue(Options.CallTimeout) },
                parseResult.GetValue(Options.AccountMismatchOk),
                parseResult.GetValue(Options.Wide)));
            return await body(context, parseResult, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            context?.Progress.Done();
            var error = deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested && e is OperationCanceledException or AggregateException
                ? new OpsException(ExitCodes.TimedOut, $"stopped: the run did not finish within --timeout {Durations.Format(timeout)}; what was done is done (every action is idempotent), and rerunning the command finishes the rest", e)
                : ToUserError(e, context?.Aws);
            await Environment.Error.WriteLineAsync($"amiinfra: {error.Message}").ConfigureAwait(false);
            return error.ExitCode;
        }
        finally
        {
            context?.Dispose();
        }
    }

    /// <summary>Maps any failure to the one-line error the user sees.</summary>
    public static OpsException ToUserError(Exception e, AwsSession? session = null) => e switch
    {
        OpsException ops => ops,
        AggregateException { InnerExceptions.Count: > 0 } aggregate => ToUserError(aggregate.InnerExceptions[0], session),
        TimeoutException or AmazonClientException { InnerException: TimeoutException } => new OpsException(
            ExitCodes.TimedOut,
            $"no answer{(session?.LastTimedOut is { } call ? $" to {call}" : "")} within --call-timeout {Durations.Format(session?.CallTimeout ?? AwsSettings.DefaultCallTimeout)}, twice: the endpoint accepts connections but does not answer; check the network, the proxy or --endpoint-url",
            e),
        DeclarationException declaration => new OpsException(ExitCodes.InvalidDeclaration, $"invalid declaration: {declaration.Message}", e),
        AmazonServiceException service => AwsErrors.ToUserError(service, session?.MaxRetries + 1 ?? AwsSettings.DefaultMaxAttempts),
        AmazonClientException client when client.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase) =>
            new OpsException(ExitCodes.Credentials, AwsSession.NoCredentialsMessage, e),
        HttpRequestException http => new OpsException(ExitCodes.AwsError, $"cannot reach AWS: {AwsErrors.OneLine(http.Message)}", e),
        AmazonClientException client when client.InnerException is HttpRequestException http =>
            new OpsException(ExitCodes.AwsError, $"cannot reach AWS: {AwsErrors.OneLine(http.Message)}", e),
        OperationCanceledException => new OpsException(ExitCodes.UnexpectedError, "cancelled", e),
        _ => new OpsException(ExitCodes.UnexpectedError, $"unexpected error ({e.GetType().Name}): {AwsErrors.OneLine(e.Message)}", e),
    };
}
