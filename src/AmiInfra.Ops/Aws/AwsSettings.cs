namespace AmiInfra.Ops.Aws;

/// <summary>How to reach AWS, as the command line and the environment said.</summary>
/// <param name="Profile">The named profile, or null for the standard credential chain.</param>
/// <param name="EndpointUrl">A custom endpoint for every service, or null.</param>
public sealed record AwsSettings(string? Profile, string? EndpointUrl)
{
    /// <summary>The default of <see cref="CallTimeout"/>.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long one attempt of one call may take before it counts as timed out (--call-timeout).</summary>
    public TimeSpan CallTimeout { get; init; } = DefaultCallTimeout;

    /// <summary>The default of <see cref="MaxAttempts"/>: a call and 8 retries.</summary>
    public const int DefaultMaxAttempts = 9;

    /// <summary>
    /// How many times a throttled or failing call is tried in all, as the AWS SDKs' AWS_MAX_ATTEMPTS setting says
    /// (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html). Default: 9.
    /// </summary>
    public int MaxAttempts { get; init; } = DefaultMaxAttempts;
}
