using System.Text.Json;
using Amazon;
using AmiInfra.Declaration;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Cli;

/// <summary>Everything one command invocation needs: options, clock, AWS session, output.</summary>
public sealed class CommandContext : IDisposable
{
    private readonly string? regionOption;
    private readonly IReadOnlyList<string> regionsOption;

    /// <summary>Creates the context of one invocation.</summary>
    public CommandContext(CliEnvironment environment, OutputFormat format, string declarationPath, string? region, IReadOnlyList<string> regions, AwsSettings aws)
    {
        Environment = environment;
        Format = format;
        DeclarationPath = declarationPath;
        regionOption = region;
        regionsOption = regions;
        Aws = new AwsSession(aws, environment);
        Progress = new Progress(environment.Error, environment.ErrorIsTerminal);
    }

    /// <summary>The streams, variables and clock of the run.</summary>
    public CliEnvironment Environment { get; }

    /// <summary>The report format.</summary>
    public OutputFormat Format { get; }

    /// <summary>The declaration path (--declaration).</summary>
    public string DeclarationPath { get; }

    /// <summary>The AWS clients of this run.</summary>
    public AwsSession Aws { get; }

    /// <summary>The progress line (standard error, terminals only).</summary>
    public Progress Progress { get; }

    /// <summary>Now, by the run's clock.</summary>
    public DateTimeOffset Now => Environment.Clock.GetUtcNow();

    /// <summary>Loads and validates the declaration (throws <see cref="DeclarationException"/>).</summary>
    public Factory LoadFactory() => FactoryLoader.Load(DeclarationPath);

    /// <summary>The regions a factory-wide command queries: --regions or --region, else every declared region.</summary>
    public IReadOnlyList<string> FactoryRegions(Factory factory)
    {
        var regions = regionsOption.Count > 0 ? regionsOption : regionOption is not null ? [regionOption] : factory.DistributionRegions;
        return regions.Select(Known).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The regions of an account-wide command: --regions or --region, else every declared region when
    /// there is a declaration, else the single region of <see cref="SingleRegion"/>.
    /// </summary>
    public IReadOnlyList<string> RegionsOrDeclared()
    {
        if (regionsOption.Count > 0 || regionOption is not null)
        {
            return (regionsOption.Count > 0 ? regionsOption : [regionOption!]).Select(Known).Distinct(StringComparer.Ordinal).ToList();
        }

        return DeclarationExists() ? FactoryRegions(LoadFactory()) : [SingleRegion()];
    }

    /// <summary>
    /// The region of a single-region command: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's
    /// region, else the home region of the declaration when there is one.
    /// </summary>
    public string SingleRegion()
    {
        if (regionsOption.Count > 1)
        {
            throw new OpsException(ExitCodes.Usage, "this command works in one region: pass --region (not several --regions)");
        }

        var region = regionOption
            ?? regionsOption.FirstOrDefault()
            ?? NonEmpty(Environment.GetVariable("AWS_REGION"))
            ?? NonEmpty(Environment.GetVariable("AWS_DEFAULT_REGION"))
            ?? Aws.ProfileRegion
            ?? (DeclarationExists() ? LoadFactory().Region : null);
        return region is null
            ? throw new OpsException(ExitCodes.Usage, "no region: pass --region, set AWS_REGION, or run where the declaration is")
            : Known(region);
    }

    /// <summary>Writes the report in the chosen format and returns <paramref name="exitCode"/>.</summary>
    public int Write(IReport report, int exitCode = ExitCodes.Success)
    {
        Progress.Done();
        if (Format == OutputFormat.Json)
        {
            Environment.Out.WriteLine(JsonSerializer.Serialize(report.JsonDocument, Formats.Json));
        }
        else
        {
            report.WriteTable(Environment.Out);
        }

        return exitCode;
    }

    /// <inheritdoc />
    public void Dispose() => Aws.Dispose();

    /// <summary>Checks a region code against the regions the AWS SDK knows.</summary>
    public static string Known(string region)
    {
        var known = RegionEndpoint.EnumerableAllRegions.Any(r => r.SystemName == region);
        return known
            ? region
            : throw new OpsException(ExitCodes.Usage, $"unknown region '{region}': expected an AWS region code such as us-east-1 or eu-west-1");
    }

    private bool DeclarationExists() =>
        File.Exists(DeclarationPath) || File.Exists(Path.Combine(DeclarationPath, FactoryLoader.DefaultFileName));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
