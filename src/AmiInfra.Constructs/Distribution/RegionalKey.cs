using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Distribution;

/// <summary>Props of a <see cref="RegionalKey"/>.</summary>
public sealed record RegionalKeyProps
{
    /// <summary>
    /// The alias name, without the <c>alias/</c> prefix (for example <c>amiinfra/golden</c>): the same in every
    /// region, so that distributions refer to each region's key by <see cref="RegionalKey.AliasArnFor"/>.
    /// Letters, digits, / _ and -, not starting with <c>aws/</c>. No default.
    /// </summary>
    public required string AliasName { get; init; }

    /// <summary>The key description. Default: "Encrypts the AMIs of &lt;alias name&gt; in this region".</summary>
    public string? Description { get; init; }

    /// <summary>Account ids (12 digits) that may launch AMIs encrypted with the key. Default: none.</summary>
    public IReadOnlyList<string> LaunchAccounts { get; init; } = [];

    /// <summary>
    /// Organization ARNs whose accounts may launch AMIs encrypted with the key (granted with the
    /// <c>aws:PrincipalOrgID</c> condition). Default: none.
    /// </summary>
    public IReadOnlyList<string> LaunchOrganizationArns { get; init; } = [];

    /// <summary>
    /// OU ARNs whose accounts may launch AMIs encrypted with the key (granted with the
    /// <c>aws:PrincipalOrgPaths</c> condition; nested OUs included). Default: none.
    /// </summary>
    public IReadOnlyList<string> LaunchOrganizationalUnitArns { get; init; } = [];

    /// <summary>
    /// Target accounts whose <c>EC2ImageBuilderDistributionCrossAccountRole</c> copies AMIs into them with the key
    /// (they may also launch their copies). Default: none.
    /// </summary>
    public IReadOnlyList<string> TargetAccounts { get; init; } = [];

    /// <summary>What happens to the key when it leaves the stack. Default: <see cref="RemovalPolicy.RETAIN"/> (AMIs encrypted with it stay usable).</summary>
    public RemovalPolicy RemovalPolicy { get; init; } = RemovalPolicy.RETAIN;

    /// <summary>Days (7 to 30) a deleted key waits before it is destroyed. Default: 30.</summary>
    public int PendingWindowDays { get; init; } = 30;
}

/// <summary>
/// A customer-managed KMS key for the AMIs of one region, with rotation on, a deterministic alias and a key policy
/// that lets the declared accounts, organizations and OUs launch (and copy) the AMIs it encrypts, and lets the
/// cross-account distribution role of the target accounts copy them. Use one per distribution region, each in a
/// stack of that region; distributions refer to it with <see cref="AliasArnFor"/>, so no cross-region reference
/// is needed.
/// </summary>
public sealed class RegionalKey : Construct
{
    /// <summary>The name of the role Image Builder assumes in target accounts (fixed by the service).</summary>
    public const string DistributionRoleName = "EC2ImageBuilderDistributionCrossAccountRole";

    private readonly CfnKey _resource;
    private IKey? _key;

    /// <summary>Creates the key and its alias.</summary>
    public RegionalKey(Construct scope, string id, RegionalKeyProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Validate(Node.Path, props);
        AliasName = props.AliasName;
        _resource = new CfnKey(this, "Resource", new CfnKeyProps
        {
            Description = props.Description ?? $"Encrypts the AMIs of {props.AliasName} in this region",
            EnableKeyRotation = true,
            PendingWindowInDays = props.PendingWindowDays,
            KeyPolicy = RegionalKeyPolicy.Render(props, Node.Path),
        });
        _resource.ApplyRemovalPolicy(props.RemovalPolicy);

        _ = new CfnAlias(this, "Alias", new CfnAliasProps
        {
            AliasName = "alias/" + props.AliasName,
            TargetKeyId = _resource.Ref,
        });

        var stack = Stack.Of(this);
        KeyArn = _resource.AttrArn;
        AliasArn = AliasArnFor(stack.Partition, stack.Region, stack.Account, props.AliasName);
    }

    /// <summary>The alias name, without the <c>alias/</c> prefix.</summary>
    public string AliasName { get; }

    /// <summary>The key ARN.</summary>
    public string KeyArn { get; }

    /// <summary>The alias ARN (deterministic: see <see cref="AliasArnFor"/>).</summary>
    public string AliasArn { get; }

    /// <summary>The key, for grants (for example to a build instance role in the same stack).</summary>
    public IKey Key => _key ??= Amazon.CDK.AWS.KMS.Key.FromCfnKey(_resource);

    /// <summary>
    /// The ARN of a key alias in any region and account, computed without a lookup. Image Builder's
    /// <c>AmiDistributionConfiguration.KmsKeyId</c> takes a key ARN or an alias ARN, so a distribution in the home
    /// region can name the key of another region by this ARN, with no cross-region reference.
    /// </summary>
    /// <param name="partition">The partition (aws, aws-cn, aws-us-gov), or a token such as <c>Stack.Of(this).Partition</c>.</param>
    /// <param name="region">The region of the key.</param>
    /// <param name="account">The account that owns the key.</param>
    /// <param name="aliasName">The alias name, without the <c>alias/</c> prefix.</param>
    public static string AliasArnFor(string partition, string region, string account, string aliasName)
    {
        if (!Checks.IsToken(region))
        {
            Checks.Require("RegionalKey.AliasArnFor(region)", Partitions.Region(region));
        }

        Checks.Shape("RegionalKey.AliasArnFor(account)", account, Identifiers.AccountId);

        CheckAliasName(aliasName, "RegionalKey.AliasArnFor(aliasName)");
        return $"arn:{partition}:kms:{region}:{account}:alias/{aliasName}";
    }

    /// <summary>
    /// The regional key of <paramref name="region"/> by its alias, as an <see cref="IKey"/> whose ARN is the alias ARN
    /// (<see cref="AliasArnFor"/>): a distribution in another region names the key by it, with no cross-region
    /// reference. One construct, no resource.
    /// </summary>
    /// <param name="scope">The scope of the import.</param>
    /// <param name="id">Its id.</param>
    /// <param name="region">The region of the key.</param>
    /// <param name="aliasName">The alias name, without the <c>alias/</c> prefix.</param>
    /// <param name="account">The account that owns the key. Default: the stack's.</param>
    public static IKey FromAlias(Construct scope, string id, string region, string aliasName, string? account = null)
    {
        var partition = Checks.IsToken(region) ? Stack.Of(scope).Partition : Partitions.NameOf(region);
        return Amazon.CDK.AWS.KMS.Key.FromKeyArn(scope, id, AliasArnFor(partition, region, account ?? Stack.Of(scope).Account, aliasName));
    }

    private static void Validate(string where, RegionalKeyProps props)
    {
        CheckAliasName(props.AliasName, $"{where}.AliasName");
        Checks.List($"{where}.LaunchAccounts", props.LaunchAccounts, Identifiers.AccountId);
        Checks.List($"{where}.LaunchOrganizationArns", props.LaunchOrganizationArns, Identifiers.OrganizationArn);
        Checks.List($"{where}.LaunchOrganizationalUnitArns", props.LaunchOrganizationalUnitArns, Identifiers.OrganizationalUnitArn);
        Checks.List($"{where}.TargetAccounts", props.TargetAccounts, Identifiers.AccountId);
        Checks.Range($"{where}.PendingWindowDays", props.PendingWindowDays, Kms.PendingWindowDays, "days");
    }

    private static void CheckAliasName(string aliasName, string where)
    {
        if (!Checks.IsToken(aliasName) && aliasName.StartsWith("alias/", StringComparison.Ordinal))
        {
            throw new ConstructValidationException(where, Text.Quote(aliasName), PhysicalNames.KmsAlias.Accepted);
        }

        Checks.Shape(where, aliasName, PhysicalNames.KmsAlias);
    }
}
