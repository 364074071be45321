using System.CommandLine;

namespace AmiInfra.Ops.Cli;

/// <summary>The output formats of every report.</summary>
public enum OutputFormat
{
    /// <summary>Aligned columns for people.</summary>
    Table,

    /// <summary>One JSON document for programs.</summary>
    Json,
}

/// <summary>The options every command accepts.</summary>
public sealed class GlobalOptions
{
    /// <summary>--profile: the AWS profile (shared config and credentials files).</summary>
    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "AWS profile from ~/.aws/config or ~/.aws/credentials. Default: AWS_PROFILE, else the standard credential chain.",
        Recursive = true,
    };

    /// <summary>--region: one region.</summary>
    public Option<string?> Region { get; } = new("--region")
    {
        Description = "AWS region. Default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, else the declaration's home region.",
        Recursive = true,
    };

    /// <summary>--regions: several regions.</summary>
    public Option<string[]> Regions { get; } = new("--regions")
    {
        Description = "Regions to query, comma-separated or repeated. Default: every region the declaration distributes to.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = true,
        CustomParser = result => result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray(),
    };

    /// <summary>--endpoint-url: a custom endpoint for every service.</summary>
    public Option<string?> EndpointUrl { get; } = new("--endpoint-url")
    {
        Description = "Send every AWS call to this endpoint (e.g. a local emulator). Default: AWS_ENDPOINT_URL, else AWS's own endpoints.",
        Recursive = true,
    };

    /// <summary>--output: table or json.</summary>
    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "Report format: table or json.",
        HelpName = "table|json",
        Recursive = true,
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    /// <summary>--declaration: the factory declaration.</summary>
    public Option<string> Declaration { get; } = new("--declaration")
    {
        Description = "Factory declaration: a folder holding factory.json, or a .json file.",
        Recursive = true,
        DefaultValueFactory = _ => "factory",
    };

    /// <summary>--account-mismatch-ok: read an account other than the declared one.</summary>
    public Option<bool> AccountMismatchOk { get; } = new("--account-mismatch-ok")
    {
        Description = "Go on when the credentials belong to another account than the declaration's 'account' (an error otherwise).",
        Recursive = true,
    };

    /// <summary>--timeout: how long the whole run may take.</summary>
    public Option<TimeSpan> Timeout { get; } = ParseErrors.Expecting(
        new Option<TimeSpan>("--timeout")
        {
            Description = "Stop the run after this long, with a message and exit code 14 (a rerun finishes what is left: every action is idempotent). A duration: 90s, 15m, 1h. Default: 30m.",
            HelpName = "DURATION",
            Recursive = true,
            DefaultValueFactory = _ => Durations.DefaultRunTimeout,
            CustomParser = result => Durations.Parse(result, Durations.DefaultRunTimeout),
        },
        Durations.Expected);

    /// <summary>--call-timeout: how long one AWS call may take.</summary>
    public Option<TimeSpan> CallTimeout { get; } = ParseErrors.Expecting(
        new Option<TimeSpan>("--call-timeout")
        {
            Description = "How long one AWS call may wait for an answer; a call that times out is retried once, then the run stops (exit code 14). A duration: 20s, 1m. Default: 20s.",
            HelpName = "DURATION",
            Recursive = true,
            DefaultValueFactory = _ => Aws.AwsSettings.DefaultCallTimeout,
            CustomParser = result => Durations.Parse(result, Aws.AwsSettings.DefaultCallTimeout),
        },
        Durations.Expected);

    /// <summary>--wide: tables as wide as their content.</summary>
    public Option<bool> Wide { get; } = new("--wide")
    {
        Description = "Tables show every column in full (default: fit 120 columns, long ids shortened in the middle).",
        Recursive = true,
    };

    /// <summary>Adds the options to the root command.</summary>
    public void AddTo(Command root)
    {
        root.Options.Add(Profile);
        root.Options.Add(Region);
        root.Options.Add(Regions);
        root.Options.Add(EndpointUrl);
        root.Options.Add(Output);
        root.Options.Add(Declaration);
        root.Options.Add(AccountMismatchOk);
        root.Options.Add(Wide);
        root.Options.Add(Timeout);
        root.Options.Add(CallTimeout);
    }
}
