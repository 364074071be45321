using Amazon.CDK;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Distribution;

/// <summary>An Image Builder distribution configuration, as an image pipeline takes it.</summary>
public interface IImageDistribution : IConstruct
{
    /// <summary>The ARN of the distribution configuration.</summary>
    string DistributionConfigurationArn { get; }
}

/// <summary>
/// An Image Builder distribution configuration for one image: one distribution per region, each with its AMI name
/// and tags, its KMS key, launch permissions, target accounts, launch-template updates and the SSM parameter that
/// holds the newest AMI id. Sharing without a customer-managed key of the region, or public sharing without the
/// opt-in, is rejected.
/// </summary>
public sealed partial class ImageDistribution : Construct, IImageDistribution
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
            tags[AmiTagKeys.Factory] = origin.Factory;
            tags[AmiTagKeys.Image] = origin.Image;
            tags[AmiTagKeys.RecipeVersion] = origin.RecipeVersion;
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
}
