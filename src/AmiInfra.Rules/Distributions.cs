using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>
/// What Image Builder and EC2 accept in a distribution: AMI names, sharing, target accounts, SSM
/// output parameters and launch templates.
/// </summary>
public static partial class Distributions
{
    /// <summary>The Image Builder placeholder replaced by the build date, as AmiInfra writes it.</summary>
    public const string BuildDatePlaceholder = "{{ imagebuilder:buildDate }}";

    /// <summary>
    /// The placeholders Image Builder replaces in an output AMI name, in the forms AWS documents: with a space inside
    /// each brace pair (<c>{{ imagebuilder:buildDate }}</c>, the API reference's and CloudFormation's examples) or without
    /// (<c>{{imagebuilder:buildDate}}</c> and <c>{{imagebuilder:buildVersion}}</c>, "Create distribution settings for
    /// output AMIs (AWS CLI)": https://docs.aws.amazon.com/imagebuilder/latest/userguide/cr-upd-ami-distribution-settings.html).
    /// A form AWS does not document (one space on one side only) is not taken: should Image Builder leave it as written,
    /// EC2 would refuse its braces in the AMI name.
    /// </summary>
    public static readonly IReadOnlyList<string> AmiNamePlaceholders =
    [
        "{{ imagebuilder:buildDate }}", "{{imagebuilder:buildDate}}", "{{ imagebuilder:buildVersion }}", "{{imagebuilder:buildVersion}}",
    ];

    /// <summary>The placeholders that give every build its own name: the build date, in either documented form.</summary>
    public static readonly IReadOnlyList<string> BuildDatePlaceholders = ["{{ imagebuilder:buildDate }}", "{{imagebuilder:buildDate}}"];

    /// <summary>Most OUs in one launch permission (Image Builder LaunchPermissionConfiguration.organizationalUnitArns).</summary>
    public const int MaxOrganizationalUnits = 25;

    /// <summary>Most organizations in one launch permission (Image Builder LaunchPermissionConfiguration.organizationArns).</summary>
    public const int MaxOrganizations = 25;

    /// <summary>Most accounts, organizations and OUs an AMI can be shared with in a region: the default EC2 "AMI sharing" quota.</summary>
    public const int MaxSharingEntities = 1000;

    /// <summary>Most target accounts of one region's distribution (Image Builder AmiDistributionConfiguration.targetAccountIds).</summary>
    public const int MaxTargetAccounts = 1536;

    /// <summary>Most launch templates one region's distribution updates.</summary>
    public const int MaxLaunchTemplates = 100;

    /// <summary>Most regions one distribution configuration names.</summary>
    public const int MaxRegions = 50;

    /// <summary>The AMI name template: up to 127 characters of Image Builder's pattern, with the build date in it.</summary>
    public static readonly Shape AmiNameTemplate = new(AmiNamePattern(), "up to 127 characters: letters, digits, spaces and - _ ., starting and ending with a letter, digit, - or _, with {{ imagebuilder:buildDate }} (or {{imagebuilder:buildDate}}) where the build date goes and optionally {{ imagebuilder:buildVersion }} (the characters both Image Builder and EC2 take in AMI names)");

    /// <summary>
    /// An AMI name template that Image Builder and EC2 both accept, unique per build. Image Builder
    /// (AmiDistributionConfiguration.name): 1 to 127 characters of <c>^[-_A-Za-z0-9{][-_A-Za-z0-9\s:{}\.]+[-_A-Za-z0-9}]$</c>.
    /// EC2 (CreateImage Name, which the expanded name becomes): 3 to 128 letters, digits and ( ) [ ] space . / - ' @ _.
    /// So outside the placeholders (<see cref="AmiNamePlaceholders"/>) only letters, digits, spaces and - _ . are
    /// accepted (a colon passes Image Builder and fails EC2, and so do braces Image Builder does not replace), and the
    /// build date must be there so that no two builds ask for the same name.
    /// </summary>
    public static Problem? AmiName(string template)
    {
        if (template.Length > MaxAmiNameLength || !AmiNamePattern().IsMatch(template) || !AmiNameCharacters().IsMatch(template))
        {
            return new Problem(Text.Quote(template), AmiNameTemplate.Accepted);
        }

        return BuildDate().IsMatch(template)
            ? null
            : new Problem(Text.Quote(template), $"a name containing {BuildDatePlaceholder} (or {BuildDatePlaceholders[1]}), so that every build gets a unique AMI name");
    }

    /// <summary>
    /// An SSM parameter Image Builder writes the newest AMI id to: a path of letters, digits and
    /// _ . - / (Image Builder's SsmParameterConfiguration.parameterName), as Parameter Store takes a
    /// name it creates (PutParameter.Name): not prefixed with aws or ssm in any case, a name with a /
    /// fully qualified (starting with /), at most 15 levels, no empty level. Its length is checked with the region and account by <see cref="OutputParameterLength"/>.
    /// </summary>
    public static readonly Shape OutputParameter = new(OutputParameterPattern(), "an SSM parameter name such as /imagebuilder/golden/al2023/latest: letters, digits and _ . -, with / only to start each of at most 15 levels, not starting with aws or ssm in any case (reserved by AWS)");

    /// <summary>
    /// Parameter Store's length limit: at most 1,011 characters, counting the ARN that precedes the name
    /// (arn:aws:ssm:us-east-2:111122223333:parameter), so the longest region's ARN decides.
    /// </summary>
    public static Problem? OutputParameterLength(string name, string partition, string region, string account)
    {
        var arn = $"arn:{partition}:ssm:{region}:{account}:parameter";
        return arn.Length + name.Length <= 1011
            ? null
            : new Problem(name.Length > 80 ? Text.Quote(name) : $"{Text.Quote(name)} ({name.Length} characters)", $"a name of at most {1011 - arn.Length} characters in {region}: Parameter Store counts its ARN ({arn}) within 1,011");
    }

    /// <summary>
    /// The path Image Builder's service-linked role may put output parameters under. "Prerequisites
    /// for SSM output parameters" in the Image Builder user guide
    /// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/cr-upd-ami-distribution-settings.html#ami-distribution-prereqs-ssm-param):
    /// the service-linked role AWSServiceRoleForImageBuilder may only put parameters under /imagebuilder/;
    /// any other name needs a pipeline execution role with ssm:PutParameter on it (and ec2:DescribeImages
    /// for the aws:ec2:image data type). An execution role runs every workflow of the pipeline, so it
    /// would need every permission of the build, not just those two: AmiInfra runs its pipelines
    /// without one and keeps output parameters under this path.
    /// </summary>
    public const string ServiceLinkedRoleParameterPrefix = "/imagebuilder/";

    /// <summary>An output parameter the service-linked role may write: under <see cref="ServiceLinkedRoleParameterPrefix"/>.</summary>
    public static readonly Shape ServiceLinkedRoleParameter = new(ServiceLinkedRoleParameterPattern(), "a name under /imagebuilder/, such as /imagebuilder/golden/al2023/latest: Image Builder's service-linked role may put SSM parameters only there, and AmiInfra's pipelines run without an execution role");

    /// <summary>
    /// A launch template in another account than the factory's. Image Builder updates it through the
    /// role EC2ImageBuilderDistributionCrossAccountRole of that account ("Set up cross-account AMI
    /// distribution with Image Builder", IAM policies, step 5:
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/cross-account-dist.html), which the
    /// factory deploys only to the accounts of its target OUs; and the account must be able to launch
    /// the AMI its template will name: a target account (its own copy), or an account the AMI is shared
    /// with (by account id, or through an organization or OU, whose members cannot be told at synth).
    /// </summary>
    /// <param name="account">The account that owns the launch template.</param>
    /// <param name="roleDeployed">Whether the distribution role is deployed to target OUs at all.</param>
    /// <param name="canLaunch">Whether the account is a target account or a launch account, or the AMI is shared with an organization or OU.</param>
    /// <param name="managementAccount">The organization's management account, when known (StackSets never deploy there).</param>
    public static Problem? LaunchTemplateAccount(string account, bool roleDeployed, bool canLaunch, string? managementAccount)
    {
        if (!roleDeployed)
        {
            return new Problem(Text.Quote(account), "the factory's own account, or an account of organization.targetOrganizationalUnits: Image Builder updates a launch template of another account through the role EC2ImageBuilderDistributionCrossAccountRole there, which the factory deploys only to those OUs (declare them)");
        }

        if (!canLaunch)
        {
            return new Problem(Text.Quote(account), "an account the AMI reaches: a targetAccounts account, a launchPermissions account, or a member of a shared organization or OU (its launch template would name an AMI it cannot launch)");
        }

        return StackSets.TargetAccount(account, managementAccount);
    }

    /// <summary>The launch-permission principals of one region: counts within Image Builder's and EC2's limits.</summary>
    public static Problem? Principals(int accounts, int organizations, int units)
    {
        if (organizations > MaxOrganizations)
        {
            return new Problem($"{organizations} organizations", $"at most {MaxOrganizations} organizations (the Image Builder limit per region)") { Part = "organizations" };
        }

        if (units > MaxOrganizationalUnits)
        {
            return new Problem($"{units} OUs", $"at most {MaxOrganizationalUnits} OUs (the Image Builder limit per region); share with a parent OU or the organization instead") { Part = "organizationalUnits" };
        }

        var all = accounts + organizations + units;
        return all > MaxSharingEntities
            ? new Problem($"{all} launch-permission principals", $"at most {MaxSharingEntities} accounts, organizations and OUs together (the EC2 AMI sharing quota per region); share with an organization or OU instead")
            : null;
    }

    [GeneratedRegex("^[-_A-Za-z0-9{][-_A-Za-z0-9\\s:{}.]+[-_A-Za-z0-9}]$")]
    private static partial Regex AmiNamePattern();

    /// <summary>Image Builder's pattern for the name template (the JSON schema has the same).</summary>
    public static string AmiNameTemplatePattern => AmiNamePattern().ToString();

    /// <summary>The characters of a name template that EC2 keeps in the AMI name: letters, digits, spaces, - _ . and the placeholder.</summary>
    public static string AmiNameCharactersPattern => AmiNameCharacters().ToString();

    /// <summary>The largest AMI name template.</summary>
    public const int MaxAmiNameLength = 127;

    [GeneratedRegex("^(?:[-_A-Za-z0-9 .]|\\{\\{ imagebuilder:build(?:Date|Version) \\}\\}|\\{\\{imagebuilder:build(?:Date|Version)\\}\\})*$")]
    private static partial Regex AmiNameCharacters();

    /// <summary>A pattern that a name template with the build date matches (the JSON schema has the same).</summary>
    public static string BuildDatePattern => BuildDate().ToString();

    [GeneratedRegex("\\{\\{(?: imagebuilder:buildDate |imagebuilder:buildDate)\\}\\}")]
    private static partial Regex BuildDate();

    [GeneratedRegex("^/imagebuilder/")]
    private static partial Regex ServiceLinkedRoleParameterPattern();

    [GeneratedRegex("^(?!/?(?:[aA][wW][sS]|[sS][sS][mM]))(?:[a-zA-Z0-9_.\\-]+|(?:/[a-zA-Z0-9_.\\-]+){1,15})$")]
    private static partial Regex OutputParameterPattern();
}
