namespace AmiInfra.Ops.Aws;

/// <summary>How to reach AWS, as the command line and the environment said.</summary>
/// <param name="Profile">The named profile, or null for the standard credential chain.</param>
/// <param name="EndpointUrl">A custom endpoint for every service, or null.</param>
public sealed record AwsSettings(string? Profile, string? EndpointUrl);
