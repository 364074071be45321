namespace AmiInfra.Declaration;

/// <summary>
/// How an image's distributed copies are verified before consumers get them (<c>images[].release</c>): every copy, in
/// every region and target account it lands in, is launched, checked and smoke-tested, and promoted (the image's latest
/// SSM parameter) only after it passed. On for every image unless <see cref="Enabled"/> is false.
/// </summary>
public sealed record ReleaseSettings
{
    /// <summary>Whether the copies are verified and promoted by the verification. Default: true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The instance type the copies are launched on. Default: the image's first build instance type.</summary>
    public required string InstanceType { get; init; }

    /// <summary>A subnet per region to launch in. Default: none (the default VPC of each region).</summary>
    public IReadOnlyDictionary<string, string> Subnets { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Launch each copy with the consumer launch template declared for its account and region
    /// (<c>distribution.launchTemplates</c>), as its consumers will: the template's network, security groups, storage, user
    /// data and key pair apply; the instance type, instance profile and metadata options are the verification's, and a
    /// declared subnet is not used. Default: true.
    /// </summary>
    public bool LaunchWithTemplate { get; init; } = true;

    /// <summary>Minutes the verification of one copy may take, from launch to the smoke test's end. Default: 30.</summary>
    public int TimeoutMinutes { get; init; } = AmiInfra.Rules.Releases.DefaultTimeoutMinutes;

    /// <summary>The smoke test's commands (Run Command, after the status checks and the SSM agent are ok). Default: none (one command that proves the agent runs commands).</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    /// <summary>What a copy that fails becomes: deprecate or disable. Default: deprecate.</summary>
    public string OnFailure { get; init; } = AmiInfra.Rules.Releases.DefaultFailureAction;

    /// <summary>The least severity of a new CVE in the image that starts its pipeline (critical, high or medium). Default: none (no rebuild on CVEs).</summary>
    public string? RebuildOnCveSeverity { get; init; }
}
