namespace AmiInfra.Constructs.Guardrails;

/// <summary>How a finding is reported.</summary>
public enum GuardrailSeverity
{
    /// <summary>An error annotation: the CDK CLI refuses to synthesize or deploy the app.</summary>
    Error,

    /// <summary>A warning annotation: legal but risky; the CLI fails on it only with <c>--strict</c>.</summary>
    Warning,
}

/// <summary>One guardrail rule.</summary>
/// <param name="Id">The stable id, e.g. AMI-003; findings start with it and acknowledgements name it.</param>
/// <param name="Severity">Error or warning.</param>
/// <param name="Title">A few words naming the fault.</param>
/// <param name="Description">One line: what the rule protects against.</param>
/// <param name="Fix">How to fix a finding, as every finding of the rule says.</param>
public sealed record GuardrailRule(string Id, GuardrailSeverity Severity, string Title, string Description, string Fix);

/// <summary>The ids of the guardrail rules (see <see cref="Guardrails.Rules"/> for what each checks).</summary>
public static class GuardrailRuleIds
{
    /// <summary>Public launch permission without the opt-in (error).</summary>
    public const string PublicWithoutOptIn = "AMI-001";

    /// <summary>Public launch permission with the opt-in (warning).</summary>
    public const string PublicImage = "AMI-002";

    /// <summary>A sharing or copying region without a customer-managed key (error).</summary>
    public const string SharedWithoutCustomerKey = "AMI-003";

    /// <summary>The key of a sharing or copying region does not grant its consumers (error).</summary>
    public const string KeyDoesNotGrantConsumers = "AMI-004";

    /// <summary>Build instances do not require IMDSv2 (error).</summary>
    public const string ImdsV2NotRequired = "AMI-005";

    /// <summary>Build instances are not terminated when a build fails (error).</summary>
    public const string NotTerminatedOnFailure = "AMI-006";

    /// <summary>Build instances get an undeclared EC2 key pair (error).</summary>
    public const string UndeclaredKeyPair = "AMI-007";

    /// <summary>A recipe volume is not encrypted with a customer-managed key (error).</summary>
    public const string RecipeVolumeNotEncrypted = "AMI-008";

    /// <summary>A KMS key does not rotate (error).</summary>
    public const string KeyRotationOff = "AMI-009";

    /// <summary>A bucket does not block public access (error).</summary>
    public const string BucketPublicAccess = "AMI-010";

    /// <summary>A bucket does not enforce TLS (error).</summary>
    public const string BucketWithoutTls = "AMI-011";

    /// <summary>A bucket has no default encryption (error).</summary>
    public const string BucketNotEncrypted = "AMI-012";

    /// <summary>A topic is not encrypted (error).</summary>
    public const string TopicNotEncrypted = "AMI-013";

    /// <summary>A topic does not enforce TLS (error).</summary>
    public const string TopicWithoutTls = "AMI-014";

    /// <summary>An IAM policy allows a wildcard action (error).</summary>
    public const string WildcardAction = "AMI-015";

    /// <summary>An IAM policy allows scopable actions on every resource (error).</summary>
    public const string WildcardResource = "AMI-016";

    /// <summary>An AWS-managed policy outside the Image Builder allow-list (error).</summary>
    public const string ManagedPolicyNotAllowed = "AMI-017";

    /// <summary>A lifecycle policy deletes AMIs where no Recycle Bin rule keeps them (warning).</summary>
    public const string DeleteWithoutRecycleBin = "AMI-018";

    /// <summary>A scheduled pipeline may skip runs silently (warning).</summary>
    public const string ScheduleMaySkipRuns = "AMI-019";

    /// <summary>A distribution shares publicly where the app blocks public access for AMIs (error).</summary>
    public const string PublicSharingUnderBlock = "AMI-020";
}
