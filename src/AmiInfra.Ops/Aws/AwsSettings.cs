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
}
