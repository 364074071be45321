namespace AmiInfra.Rules;

/// <summary>Tag keys AmiInfra puts on what it makes; the ops tool finds AMIs by them.</summary>
public static class AmiTagKeys
{
    /// <summary>The prefix of every AmiInfra tag key; declared tags may not use it.</summary>
    public const string Prefix = "amiinfra:";

    /// <summary>The factory name: on every stack, resource and AMI of the factory.</summary>
    public const string Factory = "amiinfra:factory";

    /// <summary>The image name: on each image's resources and AMIs.</summary>
    public const string Image = "amiinfra:image";

    /// <summary>The recipe version that built the AMI.</summary>
    public const string RecipeVersion = "amiinfra:recipe-version";

    /// <summary>The tags AmiInfra sets on every AMI, which nothing else may set.</summary>
    public static readonly IReadOnlyList<string> OnEveryAmi = [Factory, Image, RecipeVersion];

    /// <summary>
    /// On the AMIs within the deprecate step's retention window (the newest K available AMIs of the image in
    /// their region and account): the step's lifecycle policy detail excludes AMIs carrying it.
    /// </summary>
    public const string RetainDeprecate = "amiinfra:retain-deprecate";

    /// <summary>On the AMIs within the disable step's retention window.</summary>
    public const string RetainDisable = "amiinfra:retain-disable";

    /// <summary>On the AMIs within the delete step's retention window.</summary>
    public const string RetainDelete = "amiinfra:retain-delete";

    /// <summary>The value of a retention tag.</summary>
    public const string RetainValue = "true";

    /// <summary>The retention tag of a step (deprecate, disable or delete, as <see cref="Lifecycles.StepNames"/>).</summary>
    public static string Retain(string step) => step switch
    {
        "deprecate" => RetainDeprecate,
        "disable" => RetainDisable,
        "delete" => RetainDelete,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "expected deprecate, disable or delete"),
    };

    /// <summary>The result of the verification of a distributed copy, launched where it landed: <c>passed</c> or <c>failed</c>.</summary>
    public const string VerificationResult = "amiinfra:verification";

    /// <summary>When the copy's verification recorded its result (ISO-8601, UTC).</summary>
    public const string VerifiedAt = "amiinfra:verified-at";

    /// <summary>The ARN of the Step Functions execution that verified the copy.</summary>
    public const string VerificationExecution = "amiinfra:verification-execution";

    /// <summary>Why the copy's verification failed (on failed copies only).</summary>
    public const string VerificationReason = "amiinfra:verification-reason";

    /// <summary>The value of <see cref="VerificationResult"/> on a copy that passed.</summary>
    public const string VerificationPassed = "passed";

    /// <summary>The value of <see cref="VerificationResult"/> on a copy that failed.</summary>
    public const string VerificationFailed = "failed";
}
