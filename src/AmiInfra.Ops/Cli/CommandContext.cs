using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using AmiInfra.Declaration;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Cli;

/// <summary>The options of one invocation, as parsed.</summary>
/// <param name="Format">The report format.</param>
/// <param name="DeclarationPath">--declaration.</param>
/// <param name="Region">--region, or null.</param>
/// <param name="Regions">--regions (empty when not given).</param>
/// <param name="Aws">Profile and endpoint.</param>
/// <param name="AccountMismatchOk">--account-mismatch-ok.</param>
/// <param name="Wide">--wide.</param>
public sealed record InvocationOptions(OutputFormat Format, string DeclarationPath, string? Region, IReadOnlyList<string> Regions, AwsSettings Aws, bool AccountMismatchOk, bool Wide);

/// <summary>Everything one command invocation needs: options, clock, AWS session, output.</summary>
public sealed class CommandContext : IDisposable
{
    private readonly InvocationOptions options;
    private readonly List<(string What, string Why)> notRead = [];
    private readonly Lazy<AwsSession> aws;
    private string? account;
    private string? declaredAccount;
    private Factory? factory;

    /// <summary>Creates the context of one invocation; conflicting or malformed global options are usage errors.</summary>
    public CommandContext(CliEnvironment environment, InvocationOptions options)
    {
        if (options.Region is not null && options.Regions.Count > 0)
        {
            throw new OpsException(ExitCodes.Usage, $"--region {options.Region} and --regions {string.Join(",", options.Regions)} were both given: pass one of them");
        }

        Environment = environment;
        this.options = options;
        var endpoint = options.Aws.EndpointUrl ?? NonEmpty(environment.GetVariable("AWS_ENDPOINT_URL"));
        if (endpoint is not null)
        {
            var source = options.Aws.EndpointUrl is null ? "AWS_ENDPOINT_URL" : "option --endpoint-url";
            var valid = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0;
            if (!valid)
            {
                throw new OpsException(ExitCodes.Usage, $"{source}: got '{endpoint}'; expected an absolute http:// or https:// URL such as http://127.0.0.1:5000");
            }
        }

        var attempts = NonEmpty(environment.GetVariable("AWS_MAX_ATTEMPTS"));
        var maxAttempts = AwsSettings.DefaultMaxAttempts;
        if (attempts is not null && (!int.TryParse(attempts, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out maxAttempts) || maxAttempts is < 1 or > 50))
        {
            throw new OpsException(ExitCodes.Usage, $"AWS_MAX_ATTEMPTS: got '{attempts}'; expected a whole number of attempts from 1 to 50 (the AWS SDKs' setting; default {AwsSettings.DefaultMaxAttempts})");
        }

        aws = new Lazy<AwsSession>(() => new AwsSession(options.Aws with { EndpointUrl = endpoint, MaxAttempts = maxAttempts }, environment));
        Progress = new Progress(environment.Error, environment.ErrorIsTerminal);
    }

    /// <summary>The streams, variables and clock of the run.</summary>
    public CliEnvironment Environment { get; }

    /// <summary>The report format.</summary>
    public OutputFormat Format => options.Format;

    /// <summary>The declaration path (--declaration).</summary>
    public string DeclarationPath => options.DeclarationPath;

    /// <summary>The AWS clients of this run, made on first use (a command that needs no AWS never makes them).</summary>
    public AwsSession Aws => aws.Value;

    /// <summary>The progress line (standard error, terminals only).</summary>
    public Progress Progress { get; }

    /// <summary>Now, by the run's clock.</summary>
    public DateTimeOffset Now => Environment.Clock.GetUtcNow();

    /// <summary>The account the credentials belong to, once <see cref="AccountAsync"/> asked; else null.</summary>
    public string? Account => account;

    /// <summary>True when --regions or --region was given.</summary>
    public bool RegionsGiven => options.Regions.Count > 0 || options.Region is not null;

    /// <summary>Loads and validates the declaration (throws <see cref="DeclarationException"/>).</summary>
    public Factory LoadFactory() => factory ??= FactoryLoader.Load(DeclarationPath);

    /// <summary>The declaration when there is one at --declaration, else null (for commands that work without one).</summary>
    public Factory? FactoryIfPresent() => DeclarationExists() ? LoadFactory() : null;

    /// <summary>The regions a factory-wide command queries: --regions or --region, else every declared region.</summary>
    public IReadOnlyList<string> FactoryRegions(Factory declared)
    {
        var regions = options.Regions.Count > 0 ? options.Regions : options.Region is not null ? [options.Region] : declared.DistributionRegions;
        return regions.Select(Known).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The regions of an account-wide command: --regions or --region, else every declared region when
    /// there is a declaration, else the single region of <see cref="SingleRegion"/>.
    /// </summary>
    public IReadOnlyList<string> RegionsOrDeclared()
    {
        if (RegionsGiven)
        {
            return (options.Regions.Count > 0 ? options.Regions : [options.Region!]).Select(Known).Distinct(StringComparer.Ordinal).ToList();
        }

        return FactoryIfPresent() is { } declared ? FactoryRegions(declared) : [SingleRegion()];
    }

    /// <summary>
    /// The region of a single-region command: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's
    /// region, else the home region of the declaration when there is one.
    /// </summary>
    public string SingleRegion()
    {
        if (options.Regions.Count > 0)
        {
            throw new OpsException(ExitCodes.Usage, "this command works in one region: pass --region, not --regions");
        }

        var region = options.Region
            ?? NonEmpty(Environment.GetVariable("AWS_REGION"))
            ?? NonEmpty(Environment.GetVariable("AWS_DEFAULT_REGION"))
            ?? Aws.ProfileRegion
            ?? FactoryIfPresent()?.Region;
        return region is null
            ? throw new OpsException(ExitCodes.Usage, "no region: pass --region, set AWS_REGION, or run where the declaration is")
            : Known(region);
    }

    /// <summary>
    /// The account the credentials belong to (STS GetCallerIdentity), checked against the declaration's
    /// account when <paramref name="declared"/> is given: a mismatch is an error unless --account-mismatch-ok.
    /// Every report then says which account it read.
    /// </summary>
    public async Task<string> AccountAsync(string region, Factory? declared, CancellationToken cancellationToken)
    {
        var actual = await Aws.AccountIdAsync(region, cancellationToken).ConfigureAwait(false);
        account = actual;
        if (declared is not null)
        {
            declaredAccount = declared.Account;
            if (actual != declared.Account && !options.AccountMismatchOk)
            {
                throw new OpsException(
                    ExitCodes.AccountMismatch,
                    $"the credentials belong to account {actual}, but the declaration ({DeclarationPath}) is for account {declared.Account}: use credentials of {declared.Account}, or pass --account-mismatch-ok to read {actual} anyway");
            }
        }

        return actual;
    }

    /// <summary>
    /// Records something the run could not read or check (a region, a control, a kind of AMI user), and why. The
    /// report then lists it ("Not read: ..."), and the run never exits as if everything had been read: success and
    /// "violations" become <see cref="ExitCodes.Incomplete"/>.
    /// </summary>
    public void NotRead(string what, string why)
    {
        lock (notRead)
        {
            if (!notRead.Contains((what, why)))
            {
                notRead.Add((what, why));
            }
        }
    }

    /// <summary>What could not be read so far.</summary>
    public IReadOnlyList<(string What, string Why)> NotReadSoFar
    {
        get
        {
            lock (notRead)
            {
                return [.. notRead];
            }
        }
    }

    /// <summary>
    /// What a read-only command does with a usage check: every kind of user that could not be looked for is recorded
    /// as not read.
    /// </summary>
    public void NoteUsage(Usage.UsageLookup lookup)
    {
        foreach (var gap in lookup.Coverage.Where(c => c.NotChecked is not null))
        {
            NotRead($"AMI users: {Usage.UsageCoverage.Name(gap.Kind)} in {gap.Region}", gap.NotChecked!);
        }
    }

    /// <summary>
    /// What a destructive command does with a usage check: when a kind of user could not be looked for, it stops and
    /// changes nothing, naming what is missing — unless the user accepted a partial check (<c>--usage-check partial</c>),
    /// and then the gaps are reported as not read.
    /// </summary>
    public void RequireCompleteUsage(Usage.UsageLookup lookup, Usage.UsageCheck mode)
    {
        if (lookup.Complete)
        {
            return;
        }

        if (mode == Usage.UsageCheck.Partial)
        {
            NoteUsage(lookup);
            return;
        }

        throw new OpsException(
            ExitCodes.Incomplete,
            $"nothing was changed: the check of who uses the AMIs could not run completely ({string.Join("; ", lookup.Gaps)}). Grant what is missing (the amiinfra policies in docs/iam/ list it), or pass --usage-check partial to act on a check without it");
    }

    /// <summary>Writes the report in the chosen format and returns <paramref name="exitCode"/>, or <see cref="ExitCodes.Incomplete"/> when something was not read and nothing more serious happened.</summary>
    public int Write(IReport report, int exitCode = ExitCodes.Success)
    {
        Progress.Done();
        var missing = NotReadSoFar;
        if (Format == OutputFormat.Json)
        {
            var body = JsonSerializer.SerializeToNode(report.JsonDocument, Formats.Json)!.AsObject();
            var document = new JsonObject { ["account"] = account, ["declaredAccount"] = declaredAccount, ["complete"] = missing.Count == 0 };
            foreach (var (key, value) in body.ToList())
            {
                body.Remove(key);
                document[key] = value;
            }

            document["notRead"] = JsonSerializer.SerializeToNode(missing.Select(m => new { what = m.What, why = m.Why }), Formats.Json);
            Environment.Out.WriteLine(document.ToJsonString(Formats.Json));
        }
        else
        {
            var style = new TableStyle(options.Wide ? null : TableStyle.DefaultWidth, Environment.OutIsTerminal && NonEmpty(Environment.GetVariable("NO_COLOR")) is null);
            var writer = new TableWriter(Environment.Out, style);
            report.WriteTable(writer);
            foreach (var (what, why) in missing)
            {
                writer.Note($"Not read: {what}: {why}.");
            }

            if (missing.Count > 0)
            {
                writer.Note($"The report is partial: {Formats.Number(missing.Count)} thing(s) could not be read (exit code {ExitCodes.Incomplete}).");
            }

            if (account is not null)
            {
                writer.Note(declaredAccount is null ? $"Account {account}."
                    : declaredAccount == account ? $"Account {account} (the declared account)."
                    : $"Account {account}, NOT the declared account {declaredAccount} (--account-mismatch-ok).");
            }
        }

        return missing.Count > 0 ? ExitCodes.MostSerious(exitCode, ExitCodes.Incomplete) : exitCode;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (aws.IsValueCreated)
        {
            aws.Value.Dispose();
        }
    }

    /// <summary>Checks a region code against the regions the AWS SDK knows.</summary>
    public static string Known(string region)
    {
        var known = RegionEndpoint.EnumerableAllRegions.Any(r => r.SystemName == region);
        return known
            ? region
            : throw new OpsException(ExitCodes.Usage, $"unknown region '{region}': expected an AWS region code such as us-east-1 or eu-west-1{ParseErrors.Suggest(region, RegionEndpoint.EnumerableAllRegions.Select(r => r.SystemName), maxDistance: 2)}");
    }

    private bool DeclarationExists() =>
        File.Exists(DeclarationPath) || File.Exists(Path.Combine(DeclarationPath, FactoryLoader.DefaultFileName));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
