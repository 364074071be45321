using System.Text.RegularExpressions;

namespace AmiInfra.Constructs.Distribution;

/// <summary>The shapes AWS accepts for the values the distribution constructs take.</summary>
internal static partial class DistributionShapes
{
    /// <summary>Most organizations and most OUs in one launch permission (Image Builder's LaunchPermissionConfiguration).</summary>
    public const int MaxOrganizationalUnitArns = 25;

    /// <summary>
    /// Most entities (accounts, organizations and OUs together) an AMI can be shared with in one region:
    /// the default of the EC2 "AMI sharing" quota.
    /// </summary>
    public const int MaxSharingEntities = 1000;

    /// <summary>Most target accounts of one region's AMI distribution (Image Builder's TargetAccountIds).</summary>
    public const int MaxTargetAccounts = 1536;

    /// <summary>Most launch templates one region's distribution updates.</summary>
    public const int MaxLaunchTemplates = 100;

    /// <summary>Most tags on an AMI (EC2 allows 50 per resource).</summary>
    public const int MaxAmiTags = 50;

    /// <summary>The Image Builder placeholder replaced by the build date.</summary>
    public const string BuildDatePlaceholder = "{{ imagebuilder:buildDate }}";

    public const string AccountAccepted = "a 12-digit AWS account id";
    public const string OrganizationArnAccepted = "an organization ARN such as arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5";
    public const string OrganizationalUnitArnAccepted = "an OU ARN such as arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34";
    public const string RegionAccepted = "an AWS region code such as us-east-1 or eu-west-1";

    public static Regex AccountId() => AwsShapes.AccountId();

    public static Regex OrganizationArn() => AwsShapes.OrganizationArn();

    public static Regex OrganizationalUnitArn() => AwsShapes.OrganizationalUnitArn();

    public static Regex OrganizationalUnitOrRootId() => AwsShapes.OrganizationalUnitOrRootId();

    /// <summary>A region code: us-east-1, eu-central-2, us-gov-west-1, cn-northwest-1.</summary>
    [GeneratedRegex("^(?:us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-(?:north|south|east|west|central|northeast|southeast|northwest|southwest)-[1-9]$")]
    public static partial Regex Region();

    /// <summary>A launch template id as Image Builder takes it (always the 17-character form).</summary>
    [GeneratedRegex("^lt-[0-9a-f]{17}$")]
    public static partial Regex LaunchTemplateId();

    /// <summary>An SSM parameter name as Image Builder takes it.</summary>
    public static Regex SsmParameterName() => AwsShapes.SsmParameterName();

    /// <summary>An AMI name template as Image Builder takes it.</summary>
    [GeneratedRegex("^[-_A-Za-z0-9{][-_A-Za-z0-9\\s:{}.]+[-_A-Za-z0-9}]$")]
    public static partial Regex AmiName();

    /// <summary>A distribution configuration name.</summary>
    [GeneratedRegex("^[-_A-Za-z0-9][-_A-Za-z0-9 ]{1,126}[-_A-Za-z0-9]$")]
    public static partial Regex ResourceName();

    /// <summary>An AMI tag key (EC2 rules as Image Builder states them).</summary>
    [GeneratedRegex("^(?!aws:)[a-zA-Z0-9\\s_.:/=+\\-@]{1,128}$")]
    public static partial Regex TagKey();

    /// <summary>A KMS alias name after "alias/".</summary>
    [GeneratedRegex("^[a-zA-Z0-9/_-]{1,250}$")]
    public static partial Regex AliasName();

    /// <summary>A StackSet name.</summary>
    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9-]{0,127}$")]
    public static partial Regex StackSetName();

    /// <summary>
    /// Whether a string holds an unresolved CDK token. CDK encodes string tokens as <c>${Token[...]}</c>;
    /// checking the text here spares a jsii round trip per value (<c>Token.IsUnresolved</c> does the same test).
    /// </summary>
    public static bool IsToken(string? value) => Naming.IsToken(value);

    /// <summary>Quotes a value for an error message, shortened when long.</summary>
    public static string Quote(string value) =>
        value.Length > 80 ? $"\"{value[..77]}...\" ({value.Length} characters)" : $"\"{value}\"";

    /// <summary>Checks a list of account ids: shape and no duplicates.</summary>
    public static void Accounts(IReadOnlyList<string> accounts, string where)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < accounts.Count; i++)
        {
            var account = accounts[i];
            if (IsToken(account))
            {
                continue;
            }

            if (!AccountId().IsMatch(account))
            {
                throw new ConstructValidationException($"{where}[{i}]", Quote(account), AccountAccepted);
            }

            if (!seen.TryAdd(account, i))
            {
                throw new ConstructValidationException($"{where}[{i}]", Quote(account), $"an account not already listed ({where}[{seen[account]}])");
            }
        }
    }

    /// <summary>Checks a list of values against a shape, with no duplicates.</summary>
    public static void Matching(IReadOnlyList<string> values, string where, Regex shape, string accepted)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (IsToken(value))
            {
                continue;
            }

            if (!shape.IsMatch(value))
            {
                throw new ConstructValidationException($"{where}[{i}]", Quote(value), accepted);
            }

            if (!seen.TryAdd(value, i))
            {
                throw new ConstructValidationException($"{where}[{i}]", Quote(value), $"a value not already listed ({where}[{seen[value]}])");
            }
        }
    }

    /// <summary>Checks a region code's shape.</summary>
    public static void CheckRegion(string region, string where)
    {
        if (!IsToken(region) && !Region().IsMatch(region))
        {
            throw new ConstructValidationException(where, Quote(region), RegionAccepted);
        }
    }
}
