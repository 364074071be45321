using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Distribution;

/// <summary>An EC2 Image Builder distribution configuration: where the AMIs go and who may launch them.</summary>
public interface IDistributionConfiguration : IResource
{
    /// <summary>The configuration's ARN.</summary>
    string DistributionConfigurationArn { get; }

    /// <summary>The configuration's name.</summary>
    string DistributionConfigurationName { get; }

    /// <summary>Lets <paramref name="grantee"/> perform <paramref name="actions"/> on the configuration.</summary>
    Grant Grant(IGrantable grantee, params string[] actions);

    /// <summary>Lets <paramref name="grantee"/> read the configuration (imagebuilder:GetDistributionConfiguration).</summary>
    Grant GrantRead(IGrantable grantee);
}

/// <summary>
/// An Image Builder distribution configuration for one image: one distribution per region, each with its AMI name
/// and tags, its KMS key, launch permissions, target accounts, launch-template updates and the SSM parameter that
/// holds the newest AMI id. Sharing without a customer-managed key of the region, or public sharing without the
/// opt-in, is rejected.
/// </summary>
public sealed partial class DistributionConfiguration : ImageBuilderResource, IDistributionConfiguration
{
    private const string ReadAction = "imagebuilder:GetDistributionConfiguration";

    /// <summary>Creates the distribution configuration.</summary>
    public DistributionConfiguration(Construct scope, string id, DistributionConfigurationProps props)
        : base(scope, id, ReadAction)
    {
        ArgumentNullException.ThrowIfNull(props);
        DistributionConfigurationName = props.DistributionConfigurationName ?? Naming.Generated(this);
        var resource = Cfn.Resource(this, "Resource", Render(props with { DistributionConfigurationName = DistributionConfigurationName }, Node.Path, Stack.Of(this).Account));
        if (props.Regions.Any(r => r.Public))
        {
            Annotations.Of(this).AddWarning(
                $"AMIs of {DistributionConfigurationName} are public in {string.Join(", ", props.Regions.Where(r => r.Public).Select(r => r.Region))}: every AWS account can launch them. " +
                "EC2 makes an AMI public only when its snapshots are unencrypted and block public access for AMIs is off in the region.");
        }

        DistributionConfigurationArn = resource.GetAtt("Arn").ToString()!;
    }

    /// <summary>
    /// The distribution configuration as CloudFormation, without creating a construct (for a
    /// <see cref="CfnFragment"/>): the props are checked and the properties rendered as the
    /// construct does, SsmParameterConfigurations included (the CDK L1 of this version predates
    /// it; CloudFormation takes it). The construct's warning about public AMIs is left to the
    /// guardrails (AMI-002).
    /// </summary>
    /// <param name="props">The distribution; its name is required here.</param>
    /// <param name="where">Where the distribution is, for error messages.</param>
    /// <param name="ownAccount">The account of the stack, which is neither a target nor a launch account; null or a token when not known.</param>
    public static CfnDefinition Render(DistributionConfigurationProps props, string where, string? ownAccount)
    {
        ArgumentNullException.ThrowIfNull(props);
        var name = props.DistributionConfigurationName ?? throw new ConstructValidationException($"{where}.DistributionConfigurationName", null, "a distribution configuration name (DistributionConfiguration.Render has no construct path to generate one from)");
        Validate(props, where, ownAccount);
        return CfnDefinition.Of("AWS::ImageBuilder::DistributionConfiguration", new Dictionary<string, object?>
        {
            ["Name"] = name,
            ["Description"] = props.Description,
            ["Distributions"] = props.Regions.Select(r => (object)Render(r, props.Origin)).ToArray(),
            ["Tags"] = Cfn.TagMap(props.Tags),
        });
    }

    /// <inheritdoc />
    public string DistributionConfigurationArn { get; }

    /// <inheritdoc />
    public string DistributionConfigurationName { get; }

    /// <inheritdoc />
    protected override string GrantedArn => DistributionConfigurationArn;

    /// <summary>Imports a distribution configuration by ARN.</summary>
    public static IDistributionConfiguration FromDistributionConfigurationArn(Construct scope, string id, string distributionConfigurationArn) =>
        new Imported(scope, id, distributionConfigurationArn, Naming.ResourceNameOf(scope, distributionConfigurationArn, "distribution-configuration"));

    /// <summary>Imports a distribution configuration of this account and region by name.</summary>
    public static IDistributionConfiguration FromDistributionConfigurationName(Construct scope, string id, string distributionConfigurationName)
    {
        var arn = Naming.ImageBuilderArnOfName(scope, id, "distribution-configuration", distributionConfigurationName, "DistributionConfigurationName");
        return new Imported(scope, id, arn, distributionConfigurationName);
    }

    /// <summary>
    /// A distribution configuration of a <see cref="CfnFragment"/>, by reference (no construct): inside the same fragment
    /// it renders as <c>{"Fn::GetAtt": [logicalId, "Arn"]}</c>; elsewhere, and for grants, as the ARN built from its name.
    /// </summary>
    public static IDistributionConfiguration FromFragment(string logicalId, string name) => new Member(logicalId, name);

    /// <summary>A distribution configuration imported as a construct.</summary>
    private sealed class Imported(Construct scope, string id, string arn, string name) : ImageBuilderResource(scope, id, ReadAction), IDistributionConfiguration
    {
        public string DistributionConfigurationArn { get; } = arn;

        public string DistributionConfigurationName { get; } = name;

        protected override string GrantedArn => DistributionConfigurationArn;
    }

    /// <summary>A distribution configuration of a fragment, by reference.</summary>
    private sealed class Member(string logicalId, string name)
        : ImageBuilderReference($"the distribution configuration {name} of a fragment", "DistributionConfiguration.FromDistributionConfigurationName(scope, id, name)", ReadAction), IDistributionConfiguration, IFragmentMember
    {
        public CfnFragmentReference Reference { get; } = CfnFragment.GetAtt(logicalId, "Arn");

        public string DistributionConfigurationArn { get; } = Naming.ImageBuilderArn("distribution-configuration", name);

        public string DistributionConfigurationName { get; } = name;

        protected override string GrantedArn => DistributionConfigurationArn;
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

        if (r.KmsKey is not null)
        {
            ami["KmsKeyId"] = Attributes.KeyArn(r.KmsKey);
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

        if (permission.Count > 0 && !r.LaunchPermissionsAfterVerification)
        {
            ami["LaunchPermissionConfiguration"] = permission;
        }

        var distribution = new Dictionary<string, object> { ["Region"] = r.Region, ["AmiDistributionConfiguration"] = ami };
        if (r.LaunchTemplates.Count > 0)
        {
            distribution["LaunchTemplateConfigurations"] = r.LaunchTemplates.Select(t => (object)Cfn.Clean(new Dictionary<string, object?>
            {
                ["LaunchTemplateId"] = Attributes.LaunchTemplateId(t.LaunchTemplate),
                ["AccountId"] = t.AccountId,
                ["SetDefaultVersion"] = t.SetDefaultVersion,
            })).ToArray();
        }

        if (r.FastLaunch.Count > 0)
        {
            distribution["FastLaunchConfigurations"] = r.FastLaunch.Select(f => (object)Cfn.Clean(new Dictionary<string, object?>
            {
                ["Enabled"] = f.Enabled,
                ["AccountId"] = f.AccountId,
                ["MaxParallelLaunches"] = f.MaxParallelLaunches,
                ["SnapshotConfiguration"] = f.TargetSnapshotCount is { } count ? new Dictionary<string, object> { ["TargetResourceCount"] = count } : null,
                ["LaunchTemplate"] = f.LaunchTemplate is { } t
                    ? Cfn.Clean(new Dictionary<string, object?> { ["LaunchTemplateId"] = t.LaunchTemplateId, ["LaunchTemplateName"] = t.LaunchTemplateName, ["LaunchTemplateVersion"] = t.Version })
                    : null,
            })).ToArray();
        }

        if (r.LicenseConfigurationArns.Count > 0)
        {
            distribution["LicenseConfigurationArns"] = r.LicenseConfigurationArns.ToArray();
        }

        if (OutputParameterName(r) is { } parameter)
        {
            distribution["SsmParameterConfigurations"] = new object[] { new Dictionary<string, object> { ["ParameterName"] = parameter, ["DataType"] = "aws:ec2:image" } };
        }

        return distribution;
    }
}
