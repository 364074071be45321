using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>One Allowed AMIs criterion as ReplaceImageCriteriaInAllowedImagesSettings takes it (ImageCriterionRequest).</summary>
/// <param name="Providers">ImageProviders: amazon, aws-marketplace, aws-backup-vault, none or account ids; empty when not set.</param>
/// <param name="Names">ImageNames: AMI name patterns with * and ?; empty when not set.</param>
/// <param name="MaxDaysSinceCreated">CreationDateCondition.MaximumDaysSinceCreated, or null.</param>
/// <param name="MaxDaysSinceDeprecated">DeprecationTimeCondition.MaximumDaysSinceDeprecated, or null.</param>
public sealed record AllowedImagesCriterion(IReadOnlyList<string> Providers, IReadOnlyList<string> Names, int? MaxDaysSinceCreated, int? MaxDaysSinceDeprecated)
{
    /// <summary>Whether two criteria allow the same AMIs: the same values in any order.</summary>
    public bool SameAs(AllowedImagesCriterion other) =>
        Providers.Order(StringComparer.Ordinal).SequenceEqual(other.Providers.Order(StringComparer.Ordinal), StringComparer.Ordinal)
        && Names.Order(StringComparer.Ordinal).SequenceEqual(other.Names.Order(StringComparer.Ordinal), StringComparer.Ordinal)
        && MaxDaysSinceCreated == other.MaxDaysSinceCreated
        && MaxDaysSinceDeprecated == other.MaxDaysSinceDeprecated;

    /// <summary>The criterion in words, for reports: "providers amazon, 111122223333; names golden-*; created within 365 days".</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Providers.Count > 0)
        {
            parts.Add("providers " + string.Join(", ", Providers));
        }

        if (Names.Count > 0)
        {
            parts.Add("names " + string.Join(", ", Names));
        }

        if (MaxDaysSinceCreated is { } created)
        {
            parts.Add($"created within {created} days");
        }

        if (MaxDaysSinceDeprecated is { } deprecated)
        {
            parts.Add($"deprecated at most {deprecated} days ago");
        }

        return parts.Count == 0 ? "(empty)" : string.Join("; ", parts);
    }

    /// <summary>Whether two lists of criteria allow the same AMIs: each criterion of one has its like in the other.</summary>
    public static bool SameCriteria(IReadOnlyList<AllowedImagesCriterion> a, IReadOnlyList<AllowedImagesCriterion> b) =>
        a.Count == b.Count && a.All(x => b.Any(x.SameAs)) && b.All(y => a.Any(y.SameAs));
}

/// <summary>
/// What EC2 accepts of the account-level controls for AMIs: block public access for AMIs and for
/// snapshots, EBS encryption by default, and Allowed AMIs (the image criteria of
/// ReplaceImageCriteriaInAllowedImagesSettings and the states of EnableAllowedImagesSettings).
/// Sources: EC2 API reference, ImageCriterionRequest
/// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageCriterionRequest.html),
/// CreationDateConditionRequest and DeprecationTimeConditionRequest
/// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeprecationTimeConditionRequest.html),
/// EnableAllowedImagesSettings, EnableImageBlockPublicAccess, EnableSnapshotBlockPublicAccess; the EC2
/// user guide, "Control the discovery and use of AMIs in Amazon EC2 with Allowed AMIs"
/// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-allowed-amis.html).
/// </summary>
public static partial class Governance
{
    /// <summary>EnableAllowedImagesSettings.AllowedImagesSettingsState: audit-mode (report only) first, then enabled.</summary>
    public static readonly IReadOnlyList<string> AllowedImagesModes = ["audit-mode", "enabled"];

    /// <summary>The mode a declaration gets when it names none: audit-mode, which reports and restricts nothing.</summary>
    public const string DefaultAllowedImagesMode = "audit-mode";

    /// <summary>
    /// AWS::EC2::SnapshotBlockPublicAccess.State (and EnableSnapshotBlockPublicAccess.State):
    /// block-all-sharing also hides snapshots already public; block-new-sharing only refuses new public sharing.
    /// </summary>
    public static readonly IReadOnlyList<string> SnapshotBlockPublicAccessStates = ["block-all-sharing", "block-new-sharing"];

    /// <summary>EnableImageBlockPublicAccess.ImageBlockPublicAccessState: the one state it takes.</summary>
    public const string ImageBlockPublicAccessState = "block-new-sharing";

    /// <summary>Most criteria in ReplaceImageCriteriaInAllowedImagesSettings ("The ImageCriteria can include up to 10 ImageCriterion").</summary>
    public const int MaxCriteria = 10;

    /// <summary>Most values of ImageCriterionRequest.ImageProviders.</summary>
    public const int MaxProviders = 200;

    /// <summary>Most values of ImageCriterionRequest.ImageNames.</summary>
    public const int MaxNames = 50;

    /// <summary>Longest image name pattern (ImageNames: "Length: 1–128 characters").</summary>
    public const int MaxNameLength = 128;

    /// <summary>
    /// Shortest image name pattern holding a '?' ("With ?, the minimum is 3 characters"). The page does
    /// not say whether the 3 counts the '?' itself; it is read as the pattern's whole length, the
    /// reading that refuses least.
    /// </summary>
    public const int MinNameLengthWithQuestionMark = 3;

    /// <summary>
    /// CreationDateConditionRequest.MaximumDaysSinceCreated and
    /// DeprecationTimeConditionRequest.MaximumDaysSinceDeprecated: "Valid Range: Minimum value of 0.
    /// Maximum value of 2147483647". (The creation-date range is the one API_CreationDateCondition
    /// states; the request shape's page was not available and uses the same value type.)
    /// </summary>
    public static readonly (int Min, int Max) DaysCondition = (0, int.MaxValue);

    /// <summary>The named providers of ImageCriterionRequest.ImageProviders (besides 12-digit account ids).</summary>
    public static readonly IReadOnlyList<string> NamedProviders = ["amazon", "aws-marketplace", "aws-backup-vault", "none"];

    /// <summary>One image provider: a named provider or a 12-digit account id.</summary>
    public static readonly Shape Provider = new(ProviderPattern(), "amazon, aws-marketplace, aws-backup-vault, none or a 12-digit AWS account id (the image providers EC2's Allowed AMIs take)");

    /// <summary>
    /// One image name pattern: 1 to 128 letters, digits, spaces and ( ) [ ] . / - ' @ _ * ?
    /// (ImageCriterionRequest.ImageNames "Valid characters").
    /// </summary>
    public static readonly Shape NamePattern = new(NamePatternRegex(), "1 to 128 letters, digits, spaces and ( ) [ ] . / - ' @ _, with * and ? as wildcards (at least 3 characters with a ?), such as golden-* (the AMI name patterns EC2's Allowed AMIs take)");

    /// <summary>
    /// The image providers of one criterion: each a named provider or an account id, none listed twice,
    /// at most <see cref="MaxProviders"/>, and <c>none</c> alone ("When none is specified, no other
    /// values can be specified").
    /// </summary>
    public static Problem? Providers(IReadOnlyList<string> providers)
    {
        if (Lists.AtMost(providers.Count, MaxProviders, "image providers", "EC2's limit per Allowed AMIs criterion") is { } tooMany)
        {
            return tooMany;
        }

        if (Provider.CheckAll(providers) is { } bad)
        {
            return bad;
        }

        var none = providers.ToList().IndexOf("none");
        return none >= 0 && providers.Count > 1
            ? new Problem(Text.Quote("none"), "none alone (it allows only the account's own AMIs; EC2 refuses it with other providers), or other providers without none") { Index = none }
            : null;
    }

    /// <summary>The image name patterns of one criterion: each within EC2's shape, none listed twice, at most <see cref="MaxNames"/>.</summary>
    public static Problem? Names(IReadOnlyList<string> names) =>
        Lists.AtMost(names.Count, MaxNames, "image name patterns", "EC2's limit per Allowed AMIs criterion")
        ?? Lists.Check(names, Name);

    /// <summary>One image name pattern (<see cref="NamePattern"/>), at least 3 characters long when it holds a '?'.</summary>
    public static Problem? Name(string name) =>
        NamePattern.Check(name)
        ?? (QuestionMarkLength().IsMatch(name)
            ? null
            : new Problem(Text.Quote(name), $"at least {MinNameLengthWithQuestionMark} characters in a pattern with ? (EC2's Allowed AMIs)"));

    /// <summary>A days condition (maximum days since creation or deprecation) within EC2's range.</summary>
    public static Problem? Days(long days) =>
        days < DaysCondition.Min || days > DaysCondition.Max
            ? new Problem(Text.Number(days), $"a whole number of days from {DaysCondition.Min} to {DaysCondition.Max}")
            : null;

    /// <summary>The number of criteria sent in one ReplaceImageCriteriaInAllowedImagesSettings call.</summary>
    public static Problem? Criteria(int count) =>
        count is < 0 or > MaxCriteria
            ? new Problem($"{count} criteria", $"at most {MaxCriteria} Allowed AMIs criteria (EC2's limit per account and region)")
            : null;

    /// <summary>An Allowed AMIs state EnableAllowedImagesSettings takes.</summary>
    public static Problem? Mode(string mode) =>
        AllowedImagesModes.Contains(mode, StringComparer.Ordinal)
            ? null
            : new Problem(Text.Quote(mode), "audit-mode (report which AMIs would be refused, refuse none) or enabled (refuse the AMIs outside the criteria)");

    /// <summary>
    /// A public launch permission in a factory whose governance blocks public access for AMIs: EC2 refuses
    /// to make an AMI public while image block public access is on ("Block public access to your AMIs",
    /// EnableImageBlockPublicAccess: "prevents the public sharing of your AMIs"), so the distribution would fail.
    /// </summary>
    public static Problem? PublicImageUnderBlock(bool imageBlockPublicAccess, bool publicLaunchPermission) =>
        imageBlockPublicAccess && publicLaunchPermission
            ? new Problem("a public launch permission while governance.imageBlockPublicAccess is true", "either launchPermissions.public false, or governance.imageBlockPublicAccess false: EC2 refuses to make an AMI public while block public access for AMIs is on")
            : null;

    [GeneratedRegex("^(?:amazon|aws-marketplace|aws-backup-vault|none|[0-9]{12})$")]
    private static partial Regex ProviderPattern();

    [GeneratedRegex("^[A-Za-z0-9()\\[\\]./\\-'@_*? ]{1,128}$")]
    private static partial Regex NamePatternRegex();

    [GeneratedRegex("^(?:[^?]*|.{3,})$")]
    private static partial Regex QuestionMarkLength();

    /// <summary>A name pattern without '?', or of at least 3 characters (the JSON schema has the same).</summary>
    public static string QuestionMarkLengthRegex => QuestionMarkLength().ToString();

    /// <summary>The pattern of <see cref="Provider"/> (the JSON schema has the same).</summary>
    public static string ProviderRegex => ProviderPattern().ToString();

    /// <summary>The pattern of <see cref="NamePattern"/> (the JSON schema has the same).</summary>
    public static string NameRegex => NamePatternRegex().ToString();
}
