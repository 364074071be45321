using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>An EC2 Image Builder infrastructure configuration: where and how build and test instances run.</summary>
public interface IInfrastructureConfiguration : IResource
{
    /// <summary>The configuration's ARN.</summary>
    string InfrastructureConfigurationArn { get; }

    /// <summary>The configuration's name.</summary>
    string InfrastructureConfigurationName { get; }

    /// <summary>Lets <paramref name="grantee"/> perform <paramref name="actions"/> on the configuration.</summary>
    Grant Grant(IGrantable grantee, params string[] actions);

    /// <summary>Lets <paramref name="grantee"/> read the configuration (imagebuilder:GetInfrastructureConfiguration).</summary>
    Grant GrantRead(IGrantable grantee);
}

/// <summary>
/// An infrastructure configuration with the settings a build needs to be safe: IMDSv2 required, instances terminated
/// when a build fails. Its ARN is built from its name, so stacks of the same account and region use it without a
/// cross-stack export (they must deploy after this one). A pipeline construct depends on it; resources rendered into a
/// <see cref="CfnFragment"/> of the same stack do once the fragment does (<c>fragment.Node.AddDependency(configuration)</c>).
/// </summary>
public sealed class InfrastructureConfiguration : ImageBuilderResource, IInfrastructureConfiguration
{
    private const string ReadAction = "imagebuilder:GetInfrastructureConfiguration";

    /// <summary>Creates the configuration (and, when neither an instance profile nor a role is given, a role and its instance profile).</summary>
    public InfrastructureConfiguration(Construct scope, string id, InfrastructureConfigurationProps? props = null)
        : base(scope, id, ReadAction)
    {
        props ??= new InfrastructureConfigurationProps();
        InfrastructureConfigurationName = props.InfrastructureConfigurationName ?? Naming.Generated(this);
        InstanceTypes = props.InstanceTypes;
        Validate(props);

        Role = props.InstanceProfile?.Role ?? props.Role;
        if (props.InstanceProfile is null && props.Role is null)
        {
            var role = new Role(this, "InstanceRole", new RoleProps
            {
                AssumedBy = new ServicePrincipal("ec2.amazonaws.com"),
                ManagedPolicies = BuildInfrastructure.InstanceManagedPolicies.Select(ManagedPolicy.FromAwsManagedPolicyName).ToArray(),
            });
            if (props.LogBucket is { } bucket)
            {
                bucket.GrantPut(role, props.LogKeyPrefix is null ? "*" : $"{props.LogKeyPrefix}/*");
            }

            Role = role;
            BuildInfrastructure.AcknowledgeManagedPolicies(role, "the role of build and test instances");
        }

        InstanceProfile = props.InstanceProfile ?? new InstanceProfile(this, "InstanceProfile", new InstanceProfileProps { Role = Role });

        // The L1 is the "Default" child: its logical id is the one a resource at this construct's own path gets, so a
        // composite that made the configuration as a raw resource before keeps its logical id (BuildInfrastructure).
        var resource = Cfn.Resource(this, "Default", "AWS::ImageBuilder::InfrastructureConfiguration", new Dictionary<string, object?>
        {
            ["Name"] = InfrastructureConfigurationName,
            ["Description"] = props.Description,
            ["InstanceProfileName"] = InstanceProfile.InstanceProfileName,
            ["InstanceTypes"] = props.InstanceTypes.Count == 0 ? null : props.InstanceTypes.ToArray(),
            ["SubnetId"] = props.Subnet?.SubnetId,
            ["SecurityGroupIds"] = props.SecurityGroups.Count == 0 ? null : props.SecurityGroups.Select(g => g.SecurityGroupId).ToArray(),
            ["KeyPair"] = props.KeyPair?.KeyPairName,
            ["Placement"] = props.Placement is not { } placement ? null : Cfn.Clean(new Dictionary<string, object?>
            {
                ["AvailabilityZone"] = placement.AvailabilityZone,
                ["Tenancy"] = placement.TenancyName,
                ["HostId"] = placement.HostId,
                ["HostResourceGroupArn"] = placement.HostResourceGroupArn,
            }),
            ["TerminateInstanceOnFailure"] = props.TerminateInstanceOnFailure,
            ["InstanceMetadataOptions"] = new Dictionary<string, object> { ["HttpTokens"] = "required", ["HttpPutResponseHopLimit"] = props.HttpPutResponseHopLimit },
            ["Logging"] = props.LogBucket is null ? null : new Dictionary<string, object>
            {
                ["S3Logs"] = Cfn.Clean(new Dictionary<string, object?> { ["S3BucketName"] = props.LogBucket.BucketName, ["S3KeyPrefix"] = props.LogKeyPrefix }),
            },
            ["SnsTopicArn"] = props.NotificationTopic?.TopicArn,
            ["ResourceTags"] = Cfn.TagMap(props.ResourceTags),
            ["Tags"] = Cfn.TagMap(props.Tags),
        });
        if (Role is not null && props.InstanceProfile is null && props.Role is null)
        {
            // The role's default policy (log writes) is in place before the first build.
            resource.Node.AddDependency(Role);
        }

        InfrastructureConfigurationArn = Naming.ImageBuilderArn("infrastructure-configuration", InfrastructureConfigurationName);
    }

    /// <inheritdoc />
    public string InfrastructureConfigurationArn { get; }

    /// <inheritdoc />
    public string InfrastructureConfigurationName { get; }

    /// <summary>The instance types of build and test instances, tried in order (none: Image Builder chooses).</summary>
    public IReadOnlyList<string> InstanceTypes { get; }

    /// <summary>The instance profile of build and test instances.</summary>
    public IInstanceProfile InstanceProfile { get; }

    /// <summary>The role of build and test instances, when known (given, created here, or the instance profile's).</summary>
    public IRole? Role { get; }

    /// <inheritdoc />
    protected override string GrantedArn => InfrastructureConfigurationArn;

    /// <summary>Imports a configuration by ARN.</summary>
    public static IInfrastructureConfiguration FromInfrastructureConfigurationArn(Construct scope, string id, string infrastructureConfigurationArn) =>
        new Imported(scope, id, infrastructureConfigurationArn, Naming.ResourceNameOf(scope, infrastructureConfigurationArn, "infrastructure-configuration"));

    /// <summary>Imports a configuration of this account and region by name.</summary>
    public static IInfrastructureConfiguration FromInfrastructureConfigurationName(Construct scope, string id, string infrastructureConfigurationName)
    {
        var arn = Naming.ImageBuilderArnOfName(scope, id, "infrastructure-configuration", infrastructureConfigurationName, "InfrastructureConfigurationName");
        return new Imported(scope, id, arn, infrastructureConfigurationName);
    }

    private void Validate(InfrastructureConfigurationProps props)
    {
        var where = Node.Path;
        Naming.CheckImageBuilderName(InfrastructureConfigurationName, () => $"{where}.InfrastructureConfigurationName");
        if (props.InstanceProfile is not null && props.Role is not null)
        {
            throw new ConstructValidationException($"{where}.Role", "a role and an instance profile", "one of them: the instance profile names its role");
        }

        CheckInstanceTypes(this, $"{where}.InstanceTypes", props.InstanceTypes);
        Checks.Require($"{where}.SecurityGroups", Lists.AtMost(props.SecurityGroups.Count, Builds.MaxSecurityGroups, "security groups", "EC2's limit per network interface"));
        Checks.Each($"{where}.SecurityGroups", props.SecurityGroups.Select(g => g.SecurityGroupId).ToList(), Identifiers.SecurityGroupId);
        if (props.SecurityGroups.Count > 0 && props.Subnet is null)
        {
            throw new ConstructValidationException($"{where}.Subnet", null, "a subnet whenever security groups are given");
        }

        if (props.Subnet is { } subnet)
        {
            Checks.Shape($"{where}.Subnet", subnet.SubnetId, Identifiers.SubnetId);
        }

        if (props.KeyPair is { } keyPair)
        {
            Checks.Shape($"{where}.KeyPair", keyPair.KeyPairName, Builds.KeyPairName);
        }

        Checks.Range($"{where}.HttpPutResponseHopLimit", props.HttpPutResponseHopLimit, Builds.MetadataHopLimit, "hops");
        if (props.Placement is { } placement)
        {
            var region = Stack.Of(this).Region;
            var zone = Checks.IsToken(placement.AvailabilityZone) || Checks.IsToken(region) ? null : placement.AvailabilityZone;
            Checks.Require(
                $"{where}.Placement",
                Builds.Placement(zone, placement.TenancyName, Checks.IsToken(placement.HostId) ? null : placement.HostId, Checks.IsToken(placement.HostResourceGroupArn) ? null : placement.HostResourceGroupArn, region),
                part => part switch
                {
                    Builds.PlacementParts.HostId => "HostId",
                    Builds.PlacementParts.HostResourceGroupArn => "HostResourceGroupArn",
                    Builds.PlacementParts.Tenancy => "Tenancy",
                    _ => "AvailabilityZone",
                });
        }
    }

    /// <summary>
    /// Instance types EC2 has (<see cref="AmiInfra.Rules.InstanceTypes.Exists"/>): a size its family does not come in is refused, a
    /// family the catalogue does not know is a warning on <paramref name="scope"/>. Tokens are skipped.
    /// </summary>
    internal static void CheckInstanceTypes(Construct scope, string where, IReadOnlyList<string> instanceTypes)
    {
        for (var i = 0; i < instanceTypes.Count; i++)
        {
            if (Checks.IsToken(instanceTypes[i]))
            {
                continue;
            }

            if (AmiInfra.Rules.InstanceTypes.Exists(instanceTypes[i], out var warning) is { } problem)
            {
                throw Checks.Exception(where, problem with { Index = i });
            }

            if (warning is not null)
            {
                Annotations.Of(scope).AddWarningV2("amiinfra:instance-type-unknown", $"{where}[{i}]: {warning}.");
            }
        }
    }

    /// <summary>A configuration imported as a construct.</summary>
    private sealed class Imported(Construct scope, string id, string arn, string name) : ImageBuilderResource(scope, id, ReadAction), IInfrastructureConfiguration
    {
        public string InfrastructureConfigurationArn { get; } = arn;

        public string InfrastructureConfigurationName { get; } = name;

        protected override string GrantedArn => InfrastructureConfigurationArn;
    }
}
