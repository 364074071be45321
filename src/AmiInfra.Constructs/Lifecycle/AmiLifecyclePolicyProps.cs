namespace AmiInfra.Constructs.Lifecycle;

/// <summary>
/// When one retirement step (deprecate, disable or delete) acts on an AMI: by age or by count.
/// Exactly one of <see cref="AfterDays"/> and <see cref="KeepNewest"/> is set.
/// </summary>
public sealed record LifecycleRule
{
    /// <summary>Act on AMIs older than this many days: 1 to 1000, or a whole number of weeks up to 7000 days (sent in weeks). Default: none (a count rule).</summary>
    public int? AfterDays { get; init; }

    /// <summary>Act on all but the newest this many AMIs (1 to 1000). Default: none (an age rule).</summary>
    public int? KeepNewest { get; init; }

    /// <summary>A rule by age: act on AMIs older than <paramref name="days"/> days.</summary>
    public static LifecycleRule Age(int days) => new() { AfterDays = days };

    /// <summary>A rule by count: act on all but the newest <paramref name="keepNewest"/> AMIs.</summary>
    public static LifecycleRule Count(int keepNewest) => new() { KeepNewest = keepNewest };
}

/// <summary>What a lifecycle policy never acts on. Every exclusion applies to every step.</summary>
public sealed record LifecycleExclusions
{
    /// <summary>Keep AMIs launched within this many days (1 to 365). AMIs never launched are not kept by this rule. Default: none.</summary>
    public int? LaunchedWithinDays { get; init; }

    /// <summary>Keep AMIs carrying any of these tags (key and value; at most 50). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Keep public AMIs. Default: false.</summary>
    public bool Public { get; init; }

    /// <summary>Keep the AMIs in these regions (region codes such as eu-west-1). Default: none.</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>Keep AMIs shared with any of these accounts (12-digit ids; at most 1536). Default: none.</summary>
    public IReadOnlyList<string> SharedWithAccounts { get; init; } = [];

    internal bool IsEmpty =>
        LaunchedWithinDays is null && Tags.Count == 0 && !Public && Regions.Count == 0 && SharedWithAccounts.Count == 0;
}

/// <summary>An image recipe whose output images a lifecycle policy acts on.</summary>
/// <param name="Name">The recipe name.</param>
/// <param name="Version">The recipe version; x wildcards select many. Default: x.x.x (every version).</param>
public sealed record RecipeSelection(string Name, string Version = "x.x.x")
{
    /// <summary>Every version of <paramref name="recipe"/> (its versions follow its content, so x.x.x selects every build of the image).</summary>
    public static RecipeSelection Of(AmiInfra.Constructs.Build.IImageRecipe recipe) => new((recipe ?? throw new ArgumentNullException(nameof(recipe))).ImageRecipeName);
}

/// <summary>Props of <see cref="AmiLifecyclePolicy"/>.</summary>
public sealed record AmiLifecyclePolicyProps
{
    /// <summary>
    /// The policy name (3 to 128 letters, digits, hyphens, underscores and inner spaces), unique in the account and
    /// region; a token is checked when CloudFormation resolves it. Default: a name generated from the construct path
    /// (required by <see cref="AmiLifecyclePolicy.Render"/>).
    /// </summary>
    public string? LifecyclePolicyName { get; init; }

    /// <summary>
    /// The role Image Builder assumes to run the policy, usually a <see cref="LifecycleExecutionRole"/>'s (one per
    /// factory). Default: a <see cref="LifecycleExecutionRole"/> made by the construct (<see cref="AmiLifecyclePolicy.Render"/> requires one).
    /// </summary>
    public Amazon.CDK.AWS.IAM.IRole? ExecutionRole { get; init; }

    /// <summary>
    /// Select the images built from these recipes (at most 50), including the AMIs they were
    /// distributed as. The usual choice: recipe versions change with their content, so a name with
    /// version x.x.x selects the image's every build; counts and retain-at-least then hold for each
    /// recipe version apart (see <see cref="AmiInfra.Rules.Lifecycles.WildcardGrouping"/>). Default: none
    /// (then <see cref="ImageTags"/> is required).
    /// </summary>
    public IReadOnlyList<RecipeSelection> Recipes { get; init; } = [];

    /// <summary>
    /// Select the Image Builder image resources carrying any of these tags (at most 50). These are the
    /// tags of the image resources (which a pipeline gives the images it creates), not the AMI tags of the
    /// distribution. Default: none (then <see cref="Recipes"/> is required).
    /// </summary>
    public IReadOnlyDictionary<string, string> ImageTags { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>When AMIs are deprecated (hidden from searches, still launchable). Default: never.</summary>
    public LifecycleRule? Deprecate { get; init; }

    /// <summary>When AMIs are disabled (private, not launchable; after deprecation). Default: never.</summary>
    public LifecycleRule? Disable { get; init; }

    /// <summary>When AMIs are deregistered (after disabling and deprecation). Default: never.</summary>
    public LifecycleRule? Delete { get; init; }

    /// <summary>
    /// Without <see cref="RetentionWindows"/>: a delete rule by age never deletes the newest this many AMIs (1 to 10,
    /// Image Builder's retain-at-least, which AWS documents for delete rules only), counted per recipe version when the
    /// selection has a wildcard version; deprecate and disable rules by age act on every AMI older than their age.
    /// With <see cref="RetentionWindows"/>: the retention window of every rule by age (its newest this many available
    /// AMIs of the image, in each region and account, are never acted on). Count rules that disable or delete may not
    /// keep fewer. Default: 1.
    /// </summary>
    public int KeepAtLeast { get; init; } = 1;

    /// <summary>
    /// Retention windows instead of Image Builder's counting: every rule becomes an age filter (a rule by age keeps its
    /// days, a rule by count one day: <see cref="AmiInfra.Rules.Lifecycles.FilterAgeDays"/>), without retain-at-least
    /// or count, and excludes the AMIs carrying its retention tag (<c>amiinfra:retain-deprecate</c>,
    /// <c>amiinfra:retain-disable</c>, <c>amiinfra:retain-delete</c> = <c>true</c>) besides the declared exclusion tags
    /// (then at most 49 of them). Image Builder counts per recipe version; the windows count per image across versions,
    /// so superseded versions retire like any other AMI and the newest AMIs stay however long the pipeline stalls.
    /// <para>
    /// Turn it on only with something that keeps the tags on the newest AMIs of the image in every region and account:
    /// a <see cref="RetentionMarker"/> (the AmiInfra app deploys one). Without the tags, nothing is protected: a rule by
    /// count then acts on every AMI older than a day, and a rule by age on every AMI older than its days.
    /// </para>
    /// Default: false (Image Builder's count and retain-at-least, per recipe version).
    /// </summary>
    public bool RetentionWindows { get; init; }

    /// <summary>Delete the snapshots of deregistered AMIs. Default: true (snapshots stay billed otherwise).</summary>
    public bool DeleteSnapshots { get; init; } = true;

    /// <summary>What the policy never acts on. Default: nothing excluded.</summary>
    public LifecycleExclusions Exclusions { get; init; } = new();

    /// <summary>Tags of the policy. Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The policy description (at most 1024 characters). Default: a summary of the rules.</summary>
    public string? Description { get; init; }

    /// <summary>Whether the policy runs. Default: true.</summary>
    public bool Enabled { get; init; } = true;
}
