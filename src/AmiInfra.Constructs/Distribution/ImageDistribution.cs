using Amazon.CDK;
using Amazon.CDK.AWS.ImageBuilder;
using Constructs;

namespace AmiInfra.Constructs.Distribution;

/// <summary>An Image Builder distribution configuration, as an image pipeline takes it.</summary>
public interface IImageDistribution : IConstruct
{
    /// <summary>The ARN of the distribution configuration.</summary>
    string DistributionConfigurationArn { get; }
}

/// <summary>Tag keys the distribution puts on every AMI, naming what made it.</summary>
public static class AmiOriginTags
{
    /// <summary>The factory that made the AMI.</summary>
    public const string Factory = "amiinfra:factory";

    /// <summary>The image the AMI is a version of.</summary>
    public const string Image = "amiinfra:image";

    /// <summary>The recipe version that built the AMI.</summary>
    public const string RecipeVersion = "amiinfra:recipe-version";
}

/// <summary>What made the AMIs: put on every AMI as the <see cref="AmiOriginTags"/> tags.</summary>
/// <param name="Factory">The factory name.</param>
/// <param name="Image">The image name.</param>
/// <param name="RecipeVersion">The version of the image recipe (may be a token).</param>
public sealed record AmiOrigin(string Factory, string Image, string RecipeVersion);

/// <summary>A launch template whose new version (and, when asked, default version) uses the newest AMI.</summary>
public sealed record LaunchTemplateTarget
{
    /// <summary>The launch template id (lt- and 17 hexadecimal digits). No default.</summary>
    public required string LaunchTemplateId { get; init; }

    /// <summary>The account that owns the launch template. Default: null (the factory's own account).</summary>
    public string? AccountId { get; init; }

    /// <summary>Make the new version the default version. Default: true.</summary>
    public bool SetDefaultVersion { get; init; } = true;
}

/// <summary>Where and how the AMI goes in one region.</summary>
public sealed record RegionDistribution
{
    /// <summary>The region code, e.g. eu-west-1. No default.</summary>
    public required string Region { get; init; }

    /// <summary>
    /// The customer-managed key (key ARN or alias ARN, in <see cref="Region"/>) that encrypts the AMI in this region,
    /// e.g. <see cref="RegionalKey.AliasArnFor"/>. Required whenever the AMI is shared or copied to target accounts.
    /// Default: null (no re-encryption: the AMI keeps the encryption of the built image, and encrypted snapshots
    /// copied to another region use the factory account's default EBS key, which no other account can use).
    /// </summary>
    public string? KmsKeyArn { get; init; }

    /// <summary>The AMI name, with <c>{{ imagebuilder:buildDate }}</c> where the build date goes (up to 127 characters). No default.</summary>
    public required string AmiName { get; init; }

    /// <summary>The AMI description. Default: the recipe's description in the build region, none elsewhere.</summary>
    public string? AmiDescription { get; init; }

    /// <summary>Tags on the AMI, besides the <see cref="AmiOriginTags"/>. Default: none.</summary>
    public IReadOnlyDictionary<string, string> AmiTags { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Account ids that may launch the AMI. Default: none.</summary>
    public IReadOnlyList<string> LaunchAccounts { get; init; } = [];

    /// <summary>Organization ARNs whose accounts may launch the AMI. Default: none.</summary>
    public IReadOnlyList<string> LaunchOrganizationArns { get; init; } = [];

    /// <summary>OU ARNs (at most 25) whose accounts may launch the AMI. Default: none.</summary>
    public IReadOnlyList<string> LaunchOrganizationalUnitArns { get; init; } = [];

    /// <summary>Make the AMI public (needs <see cref="ImageDistributionProps.AllowPublic"/> and no KMS key). Default: false.</summary>
    public bool Public { get; init; }

    /// <summary>Accounts that receive their own copy of the AMI (they need the distribution role: see <see cref="DistributionTargets"/>). Default: none.</summary>
    public IReadOnlyList<string> TargetAccounts { get; init; } = [];

    /// <summary>An SSM parameter (String, data type aws:ec2:image) in this region that holds the newest AMI id. Default: null (none).</summary>
    public string? SsmParameterName { get; init; }

    /// <summary>Launch templates that get a version with the newest AMI. Default: none.</summary>
    public IReadOnlyList<LaunchTemplateTarget> LaunchTemplates { get; init; } = [];
}

/// <summary>Props of an <see cref="ImageDistribution"/>.</summary>
public sealed record ImageDistributionProps
{
    /// <summary>The distribution configuration name (3 to 128 letters, digits, spaces, - and _). No default.</summary>
    public required string Name { get; init; }

    /// <summary>The distribution configuration description. Default: none.</summary>
    public string? Description { get; init; }

    /// <summary>One entry per region the AMI goes to; the build region included when it should get tags and sharing. No default.</summary>
    public required IReadOnlyList<RegionDistribution> Regions { get; init; }

    /// <summary>What made the AMIs, put on each as tags. Default: null (no origin tags).</summary>
    public AmiOrigin? Origin { get; init; }

    /// <summary>Explicit opt-in to public AMIs; without it a public region is rejected. Default: false.</summary>
    public bool AllowPublic { get; init; }

    /// <summary>Tags of the distribution configuration itself (AMI tags are per region). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// An Image Builder distribution configuration for one image: one distribution per region, each with its AMI name
/// and tags, its KMS key, launch permissions, target accounts, launch-template updates and the SSM parameter that
/// holds the newest AMI id. Sharing without a customer-managed key of the region, or public sharing without the
/// opt-in, is rejected.
/// </summary>
public sealed class ImageDistribution : Construct, IImageDistribution
{
    /// <summary>Creates the distribution configuration.</summary>
    public ImageDistribution(Construct scope, string id, ImageDistributionProps props)
        : this(scope, id, props, Render(props, $"ImageDistribution {id}", Stack.Of(scope).Account))
    {
    }

    private ImageDistribution(Construct scope, string id, ImageDistributionProps props, CfnDefinition definition)
        : base(scope, id)
    {
        var resource = Cfn.Resource(this, "Resource", definition);
        if (props.Regions.Any(r => r.Public))
        {
            Annotations.Of(this).AddWarning(
                $"AMIs of {props.Name} are public in {string.Join(", ", props.Regions.Where(r => r.Public).Select(r => r.Region))}: every AWS account can launch them. " +
                "EC2 makes an AMI public only when its snapshots are unencrypted and block public access for AMIs is off in the region.");
        }

        DistributionConfigurationArn = resource.GetAtt("Arn").ToString()!;
        Name = props.Name;
    }

    /// <summary>
    /// The distribution configuration as CloudFormation, without creating a construct (for a
    /// <see cref="CfnFragment"/>): the props are checked and the properties rendered as the
    /// construct does, SsmParameterConfigurations included (the CDK L1 of this version predates
    /// it; CloudFormation takes it). The construct's warning about public AMIs is left to the
    /// guardrails (AMI-002).
    /// </summary>
    /// <param name="props">The distribution.</param>
    /// <param name="where">Where the distribution is, for error messages.</param>
    /// <param name="ownAccount">The account of the stack, which is neither a target nor a launch account; null or a token when not known.</param>
    public static CfnDefinition Render(ImageDistributionProps props, string where, string? ownAccount)
    {
        Validate(props, where, ownAccount);
        return CfnDefinition.Of("AWS::ImageBuilder::DistributionConfiguration", new Dictionary<string, object?>
        {
            ["Name"] = props.Name,
            ["Description"] = props.Description,
            ["Distributions"] = props.Regions.Select(r => (object)Render(r, props.Origin)).ToArray(),
            ["Tags"] = Cfn.TagMap(props.Tags),
        });
    }

    /// <inheritdoc />
    public string DistributionConfigurationArn { get; }

    /// <summary>The distribution configuration name.</summary>
    public string Name { get; }

    /// <summary>Refers to an existing distribution configuration by ARN.</summary>
    public static IImageDistribution FromDistributionConfigurationArn(Construct scope, string id, string arn) => new Imported(scope, id, arn);

    private sealed class Imported(Construct scope, string id, string arn) : Construct(scope, id), IImageDistribution
    {
        public string DistributionConfigurationArn { get; } = arn;
    }

    private static Dictionary<string, object> Render(RegionDistribution r, AmiOrigin? origin)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (origin is not null)
        {
            tags[AmiOriginTags.Factory] = origin.Factory;
            tags[AmiOriginTags.Image] = origin.Image;
            tags[AmiOriginTags.RecipeVersion] = origin.RecipeVersion;
        }

        foreach (var (key, value) in r.AmiTags)
        {
            tags[key] = value;
        }

        var ami = new Dictionary<string, object> { ["Name"] = r.AmiName };
        if (r.AmiDescription is not null)
        {
            ami["Description"] = r.AmiDescription;
        }

        if (tags.Count > 0)
        {
            ami["AmiTags"] = new SortedDictionary<string, string>(tags, StringComparer.Ordinal);
        }

        if (r.KmsKeyArn is not null)
        {
            ami["KmsKeyId"] = r.KmsKeyArn;
        }

        if (r.TargetAccounts.Count > 0)
        {
            ami["TargetAccountIds"] = r.TargetAccounts.ToArray();
        }

        var permission = new Dictionary<string, object>();
        if (r.LaunchAccounts.Count > 0)
        {
            permission["UserIds"] = r.LaunchAccounts.ToArray();
        }

        if (r.LaunchOrganizationArns.Count > 0)
        {
            permission["OrganizationArns"] = r.LaunchOrganizationArns.ToArray();
        }

        if (r.LaunchOrganizationalUnitArns.Count > 0)
        {
            permission["OrganizationalUnitArns"] = r.LaunchOrganizationalUnitArns.ToArray();
        }

        if (r.Public)
        {
            permission["UserGroups"] = new[] { "all" };
        }

        if (permission.Count > 0)
        {
            ami["LaunchPermissionConfiguration"] = permission;
        }

        var distribution = new Dictionary<string, object> { ["Region"] = r.Region, ["AmiDistributionConfiguration"] = ami };
        if (r.LaunchTemplates.Count > 0)
        {
            distribution["LaunchTemplateConfigurations"] = r.LaunchTemplates.Select(t => (object)Cfn.Clean(new Dictionary<string, object?>
            {
                ["LaunchTemplateId"] = t.LaunchTemplateId,
                ["AccountId"] = t.AccountId,
                ["SetDefaultVersion"] = t.SetDefaultVersion,
            })).ToArray();
        }

        if (r.SsmParameterName is { } parameter)
        {
            distribution["SsmParameterConfigurations"] = new object[] { new Dictionary<string, object> { ["ParameterName"] = parameter, ["DataType"] = "aws:ec2:image" } };
        }

        return distribution;
    }

    private static void Validate(ImageDistributionProps props, string where, string? ownAccount)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (!DistributionShapes.IsToken(props.Name) && !DistributionShapes.ResourceName().IsMatch(props.Name))
        {
            throw new ConstructValidationException($"{where}.Name", DistributionShapes.Quote(props.Name), "3 to 128 letters, digits, spaces, - and _, not starting or ending with a space");
        }

        if (props.Description is { Length: 0 or > 1024 })
        {
            throw new ConstructValidationException($"{where}.Description", $"{props.Description.Length} characters", "1 to 1024 characters, or null");
        }

        if (props.Regions.Count == 0)
        {
            throw new ConstructValidationException($"{where}.Regions", "an empty list", "at least one region");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < props.Regions.Count; i++)
        {
            var region = props.Regions[i];
            var at = $"{where}.Regions[{i}]";
            DistributionShapes.CheckRegion(region.Region, $"{at}.Region");
            if (!seen.TryAdd(region.Region, i))
            {
                throw new ConstructValidationException($"{at}.Region", DistributionShapes.Quote(region.Region), $"a region not already listed (Regions[{seen[region.Region]}])");
            }

            CheckRegion(region, at, props);
        }

        if (ownAccount is not null && !DistributionShapes.IsToken(ownAccount))
        {
            RejectOwnAccount(where, props, ownAccount);
        }
    }

    private static void CheckRegion(RegionDistribution r, string at, ImageDistributionProps props)
    {
        CheckAmiName(r.AmiName, $"{at}.AmiName");
        if (r.AmiDescription is { Length: 0 or > 1024 })
        {
            throw new ConstructValidationException($"{at}.AmiDescription", $"{r.AmiDescription.Length} characters", "1 to 1024 characters, or null");
        }

        CheckTags(r, at, props.Origin);

        DistributionShapes.Accounts(r.LaunchAccounts, $"{at}.LaunchAccounts");
        DistributionShapes.Matching(r.LaunchOrganizationArns, $"{at}.LaunchOrganizationArns", DistributionShapes.OrganizationArn(), DistributionShapes.OrganizationArnAccepted);
        DistributionShapes.Matching(r.LaunchOrganizationalUnitArns, $"{at}.LaunchOrganizationalUnitArns", DistributionShapes.OrganizationalUnitArn(), DistributionShapes.OrganizationalUnitArnAccepted);
        DistributionShapes.Accounts(r.TargetAccounts, $"{at}.TargetAccounts");

        if (r.LaunchOrganizationalUnitArns.Count > DistributionShapes.MaxOrganizationalUnitArns)
        {
            throw new ConstructValidationException($"{at}.LaunchOrganizationalUnitArns", $"{r.LaunchOrganizationalUnitArns.Count} OUs", $"at most {DistributionShapes.MaxOrganizationalUnitArns} OUs (the Image Builder limit); share with a parent OU or the organization instead");
        }

        var principals = r.LaunchAccounts.Count + r.LaunchOrganizationArns.Count + r.LaunchOrganizationalUnitArns.Count;
        if (principals > DistributionShapes.MaxSharingEntities)
        {
            throw new ConstructValidationException(at, $"{principals} launch-permission principals", $"at most {DistributionShapes.MaxSharingEntities} accounts, organizations and OUs together (the EC2 AMI sharing quota per region); share with an organization or OU instead");
        }

        if (r.TargetAccounts.Count > DistributionShapes.MaxTargetAccounts)
        {
            throw new ConstructValidationException($"{at}.TargetAccounts", $"{r.TargetAccounts.Count} accounts", $"at most {DistributionShapes.MaxTargetAccounts} target accounts (the Image Builder limit)");
        }

        CheckKey(r, at);

        if (r.Public && !props.AllowPublic)
        {
            throw new ConstructValidationException($"{at}.Public", "true", "false, unless ImageDistributionProps.AllowPublic is true (public AMIs are an explicit opt-in)");
        }

        if (r.SsmParameterName is { } parameter && !DistributionShapes.IsToken(parameter))
        {
            if (!DistributionShapes.SsmParameterName().IsMatch(parameter) || parameter.StartsWith("/aws", StringComparison.OrdinalIgnoreCase) || parameter.StartsWith("/ssm", StringComparison.OrdinalIgnoreCase))
            {
                throw new ConstructValidationException($"{at}.SsmParameterName", DistributionShapes.Quote(parameter), "an SSM parameter path such as /amiinfra/golden/al2023/latest (letters, digits, _ . - /), not starting with /aws or /ssm");
            }
        }

        CheckLaunchTemplates(r, at);
    }

    private static void CheckAmiName(string name, string where)
    {
        if (DistributionShapes.IsToken(name))
        {
            return;
        }

        if (name.Length > 127 || !DistributionShapes.AmiName().IsMatch(name))
        {
            throw new ConstructValidationException(where, DistributionShapes.Quote(name), "up to 127 letters, digits, spaces and - _ . : { }, starting and ending with a letter, digit, - or _ (or the placeholder braces)");
        }

        if (!name.Contains(DistributionShapes.BuildDatePlaceholder, StringComparison.Ordinal))
        {
            throw new ConstructValidationException(where, DistributionShapes.Quote(name), $"a name containing {DistributionShapes.BuildDatePlaceholder}, so that every build gets a unique AMI name");
        }
    }

    private static void CheckTags(RegionDistribution r, string at, AmiOrigin? origin)
    {
        var count = r.AmiTags.Count + (origin is null ? 0 : 3);
        if (count > DistributionShapes.MaxAmiTags)
        {
            throw new ConstructValidationException($"{at}.AmiTags", $"{count} tags (origin tags included)", $"at most {DistributionShapes.MaxAmiTags} tags per AMI");
        }

        foreach (var (key, value) in r.AmiTags)
        {
            if (!DistributionShapes.IsToken(key) && !DistributionShapes.TagKey().IsMatch(key))
            {
                throw new ConstructValidationException($"{at}.AmiTags", $"the key {DistributionShapes.Quote(key)}", "tag keys of 1 to 128 letters, digits, spaces and _ . : / = + - @, not starting with aws:");
            }

            if (origin is not null && key is AmiOriginTags.Factory or AmiOriginTags.Image or AmiOriginTags.RecipeVersion)
            {
                throw new ConstructValidationException($"{at}.AmiTags", $"the key {DistributionShapes.Quote(key)}", "keys other than the origin tags, which the construct sets from Origin");
            }

            if (value.Length > 256)
            {
                throw new ConstructValidationException($"{at}.AmiTags.{key}", $"{value.Length} characters", "a tag value of up to 256 characters");
            }
        }
    }

    private static void CheckKey(RegionDistribution r, string at)
    {
        var sharedWith = new List<string>();
        if (r.LaunchAccounts.Count > 0)
        {
            sharedWith.Add("LaunchAccounts");
        }

        if (r.LaunchOrganizationArns.Count > 0)
        {
            sharedWith.Add("LaunchOrganizationArns");
        }

        if (r.LaunchOrganizationalUnitArns.Count > 0)
        {
            sharedWith.Add("LaunchOrganizationalUnitArns");
        }

        if (r.TargetAccounts.Count > 0)
        {
            sharedWith.Add("TargetAccounts");
        }

        var key = r.KmsKeyArn;
        if (key is not null)
        {
            // arn:partition:kms:region:account:key/id or alias/name; the partition (or account) may be a token.
            var parts = key.Split(':', 6);
            var shaped = parts.Length == 6 && parts[0] == "arn" && parts[2] == "kms"
                && (parts[5].StartsWith("key/", StringComparison.Ordinal) || parts[5].StartsWith("alias/", StringComparison.Ordinal));
            if (!shaped && !DistributionShapes.IsToken(key))
            {
                throw new ConstructValidationException($"{at}.KmsKeyArn", DistributionShapes.Quote(key), "a KMS key ARN or alias ARN (arn:aws:kms:region:account:key/... or .../alias/...)");
            }

            if (shaped && parts[5].StartsWith("alias/aws/", StringComparison.Ordinal))
            {
                if (sharedWith.Count > 0)
                {
                    throw new ConstructValidationException($"{at}.KmsKeyArn", DistributionShapes.Quote(key), $"a customer-managed key of {r.Region}: the AMI is shared ({string.Join(", ", sharedWith)}), and no other account can use an AWS-managed key, so consumers could never launch or copy it");
                }

                throw new ConstructValidationException($"{at}.KmsKeyArn", DistributionShapes.Quote(key), "a customer-managed key, or null for the default encryption (an AWS-managed key is never named)");
            }

            if (shaped && !DistributionShapes.IsToken(parts[3]) && !DistributionShapes.IsToken(r.Region) && parts[3] != r.Region)
            {
                throw new ConstructValidationException($"{at}.KmsKeyArn", DistributionShapes.Quote(key), $"a key of {r.Region} (KMS keys are regional; the AMI copy in {r.Region} is encrypted there)");
            }

            if (r.Public)
            {
                throw new ConstructValidationException($"{at}.Public", "true with a KMS key", "a public region without KmsKeyArn: EC2 cannot make an AMI with encrypted snapshots public");
            }
        }
        else if (sharedWith.Count > 0)
        {
            throw new ConstructValidationException($"{at}.KmsKeyArn", null, $"a customer-managed key of {r.Region} whose policy lets the consumers use it: the AMI is shared ({string.Join(", ", sharedWith)}), and without it encrypted snapshots use the AWS-managed aws/ebs key, so consumers could never launch or copy it");
        }
    }

    private static void CheckLaunchTemplates(RegionDistribution r, string at)
    {
        if (r.LaunchTemplates.Count > DistributionShapes.MaxLaunchTemplates)
        {
            throw new ConstructValidationException($"{at}.LaunchTemplates", $"{r.LaunchTemplates.Count} launch templates", $"at most {DistributionShapes.MaxLaunchTemplates} launch templates per region");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < r.LaunchTemplates.Count; i++)
        {
            var t = r.LaunchTemplates[i];
            var where = $"{at}.LaunchTemplates[{i}]";
            if (!DistributionShapes.IsToken(t.LaunchTemplateId) && !DistributionShapes.LaunchTemplateId().IsMatch(t.LaunchTemplateId))
            {
                throw new ConstructValidationException($"{where}.LaunchTemplateId", DistributionShapes.Quote(t.LaunchTemplateId), "a launch template id such as lt-0123456789abcdef0 (lt- and 17 hexadecimal digits)");
            }

            if (t.AccountId is { } account && !DistributionShapes.IsToken(account) && !DistributionShapes.AccountId().IsMatch(account))
            {
                throw new ConstructValidationException($"{where}.AccountId", DistributionShapes.Quote(account), DistributionShapes.AccountAccepted);
            }

            var key = $"{t.AccountId}/{t.LaunchTemplateId}";
            if (!seen.TryAdd(key, i))
            {
                throw new ConstructValidationException($"{where}.LaunchTemplateId", DistributionShapes.Quote(t.LaunchTemplateId), $"a launch template not already listed (LaunchTemplates[{seen[key]}])");
            }
        }
    }

    private static void RejectOwnAccount(string where, ImageDistributionProps props, string ownAccount)
    {
        for (var i = 0; i < props.Regions.Count; i++)
        {
            var r = props.Regions[i];
            var at = $"{where}.Regions[{i}]";
            var target = IndexOf(r.TargetAccounts, ownAccount);
            if (target >= 0)
            {
                throw new ConstructValidationException($"{at}.TargetAccounts[{target}]", DistributionShapes.Quote(ownAccount), "an account other than the stack's own (the factory account already has the AMI)");
            }

            var launch = IndexOf(r.LaunchAccounts, ownAccount);
            if (launch >= 0)
            {
                throw new ConstructValidationException($"{at}.LaunchAccounts[{launch}]", DistributionShapes.Quote(ownAccount), "an account other than the stack's own (the owner can always launch its AMIs)");
            }
        }
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
