using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using AmiInfra.Constructs;
using AmiInfra.Constructs.Build;
using AmiInfra.Constructs.Lifecycle;
using AmiInfra.Constructs.TargetAccounts;
using AmiInfra.Declaration;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>
/// The core stack of a factory, in its home region: what every image shares — the build key, the
/// build infrastructure, the components, the lifecycle role and the retention marker. The images themselves live in
/// <see cref="ImageStack"/>s, which refer to all of this by name, never by cross-stack export.
/// </summary>
public sealed partial class FactoryStack : Stack
{
    /// <summary>Creates the stack for <paramref name="factory"/>.</summary>
    public FactoryStack(Construct scope, Factory factory)
        : base(scope, $"{factory.Name}-factory", FactoryStackProps.For(factory, $"{factory.Name}-factory", $"shared build infrastructure. {factory.Description}".Trim()))
    {
        Factory = factory;
        BuildKey = CreateBuildKey(factory);

        // Where build instances run: the default VPC (no subnet), the declared subnet, or a VPC of the factory's.
        Network = factory.Build.Network == "factory-vpc" ? new BuildNetwork(this, "Network", new BuildNetworkProps { NamePrefix = factory.Name }) : null;
        Build = new BuildInfrastructure(this, "Build", new BuildInfrastructureProps
        {
            NamePrefix = factory.Name,
            Key = BuildKey,
            InstanceTypes = factory.Build.InstanceTypes,
            Subnet = Network?.Subnet ?? DeclaredSubnet(factory.Build.SubnetId),
            SecurityGroups = Network is null
                ? factory.Build.SecurityGroupIds.Select((id, i) => SecurityGroup.FromSecurityGroupId(this, $"SecurityGroup{i}", id, new SecurityGroupImportOptions { Mutable = false })).ToList()
                : [Network.SecurityGroup],
            KeyPair = factory.Build.KeyPair is { } keyPair ? KeyPair.FromKeyPairName(this, "KeyPair", keyPair) : null,
            LogRetentionDays = factory.Build.LogRetentionDays,
            Tags = new Dictionary<string, string>(factory.Tags) { [AmiTagKeys.Factory] = factory.Name },
        });

        // Target accounts copy the build output, which the build key encrypts: their distribution role reads it.
        TargetAccountStackSet.AllowCopiesFrom(BuildKey, factory.Images.SelectMany(i => i.Distribution.TargetAccounts).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());

        LifecycleRole = factory.Images.Any(i => i.Lifecycle is not null)
            ? new LifecycleExecutionRole(this, "LifecycleRole", new LifecycleExecutionRoleProps
            {
                RoleName = LifecycleRoleName(factory),
                Description = $"Retires the AMIs of the {factory.Name} factory (Image Builder lifecycle policies)",
            })
            : null;

        // The lifecycle policies retire by retention windows: the marker keeps the windows' tags on the AMIs.
        var retiring = factory.Images.Where(i => i.Lifecycle is not null).ToList();
        RetentionMarker = retiring.Count == 0 ? null : Marker(factory, retiring);

        Components = new ComponentCatalog(this, factory);
        Workflows = new WorkflowCatalog(this, factory);
        for (var i = 0; i < factory.Images.Count; i++)
        {
            var image = factory.Images[i];
            for (var c = 0; c < image.Components.Count; c++)
            {
                Components.For(image.Components[c], image);
            }

            foreach (var workflow in image.Workflows)
            {
                Workflows.For(workflow);
            }

            if (image.InstanceTypes is { } types)
            {
                Build.InfrastructureFor(types);
            }
        }
    }

    /// <summary>The declaration the stack was built from.</summary>
    public Factory Factory { get; }

    /// <summary>The key that encrypts build volumes, logs and notifications (BuildInfrastructure lets Image Builder encrypt notifications with it).</summary>
    public IKey BuildKey { get; }

    /// <summary>The VPC the factory created for its builds, or null (default VPC, or a subnet of the declaration).</summary>
    public BuildNetwork? Network { get; }

    /// <summary>The shared build infrastructure.</summary>
    public BuildInfrastructure Build { get; }

    /// <summary>The role the lifecycle policies run as, or null when no image retires AMIs.</summary>
    public LifecycleExecutionRole? LifecycleRole { get; }

    /// <summary>The function that keeps the retention windows' tags on the AMIs, or null when no image retires AMIs.</summary>
    public RetentionMarker? RetentionMarker { get; }

    /// <summary>The factory's components.</summary>
    public ComponentCatalog Components { get; }

    /// <summary>The factory's workflows (documents of the declaration's; AWS-managed ones by reference).</summary>
    public WorkflowCatalog Workflows { get; }

    /// <summary>The name of the lifecycle role.</summary>
    public static string LifecycleRoleName(Factory factory) => $"{factory.Name}-ami-lifecycle";

    /// <summary>The ARN of the lifecycle execution role, built from its name: image stacks need no export to use it.</summary>
    public static string LifecycleRoleArn(Factory factory) =>
        $"arn:{Partitions.NameOf(factory.Region)}:iam::{factory.Account}:role/{LifecycleRoleName(factory)}";

    /// <summary>The build key's alias ARN: how image stacks refer to the key without an export.</summary>
    public static string BuildKeyAliasArn(Factory factory) =>
        $"arn:{Partitions.NameOf(factory.Region)}:kms:{factory.Region}:{factory.Account}:{BuildKeyAlias(factory)}";

    /// <summary>The build key's alias.</summary>
    public static string BuildKeyAlias(Factory factory) => $"alias/{factory.Name}/build";

    /// <summary>The retention marker of the images that retire AMIs; a rejection of one image's entry names that image's field.</summary>
    private RetentionMarker Marker(Factory factory, List<Image> retiring)
    {
        try
        {
            return new RetentionMarker(this, "RetentionMarker", new RetentionMarkerProps
            {
                FactoryName = factory.Name,
                LogKey = BuildKey,

                // Every recipe of the factory starts with its name: the rule's pattern stays as it is when images come and go.
                RecipePrefix = $"{factory.Name}-",
                Images = retiring.Select(i => new RetentionMarkerImage
                {
                    ImageName = i.Name,
                    RecipeName = ImageBuild.RecipeName(factory, i),
                    Regions = i.Distribution.Regions,
                    TargetAccounts = i.Distribution.TargetAccounts,
                    Deprecate = ImageBuild.Rule(i.Lifecycle!.Deprecate),
                    Disable = ImageBuild.Rule(i.Lifecycle.Disable),
                    Delete = ImageBuild.Rule(i.Lifecycle.Delete),
                    KeepAtLeast = i.Lifecycle.KeepAtLeast,
                }).ToList(),
            });
        }
        catch (ConstructValidationException e) when (MarkedImage().Match(e.Where) is { Success: true } match)
        {
            // A rejection of one image's entry is reported by that image's field.
            var image = retiring[int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)];
            throw DeclaredAt.Translate(e, $"{Node.Path}/RetentionMarker.Images[{match.Groups[1].Value}]", $"images[{factory.Images.ToList().IndexOf(image)}]", MarkedImageFields);
        }
    }

    /// <summary>The declaration field each prop of a marked image comes from, relative to images[n].</summary>
    internal static readonly Dictionary<string, string> MarkedImageFields = new(StringComparer.Ordinal)
    {
        ["ImageName"] = "name", ["RecipeName"] = "name", ["Regions"] = "distribution.regions", ["TargetAccounts"] = "distribution.targetAccounts",
        ["Deprecate"] = "lifecycle.deprecate", ["Disable"] = "lifecycle.disable", ["Delete"] = "lifecycle.delete", ["KeepAtLeast"] = "lifecycle.keepAtLeast",
    };

    [System.Text.RegularExpressions.GeneratedRegex("/RetentionMarker\\.Images\\[([0-9]+)\\]")]
    private static partial System.Text.RegularExpressions.Regex MarkedImage();

    /// <summary>The declared subnet: only its id is used (the infrastructure configuration takes no route table).</summary>
    private ISubnet? DeclaredSubnet(string? subnetId)
    {
        if (subnetId is null)
        {
            return null;
        }

        var subnet = Subnet.FromSubnetId(this, "Subnet", subnetId);
        Annotations.Of(subnet).AcknowledgeWarning("@aws-cdk/aws-ec2:noSubnetRouteTableId", "the infrastructure configuration takes the subnet id only");
        return subnet;
    }

    private Key CreateBuildKey(Factory factory)
    {
        var key = new Key(this, "BuildKey", new KeyProps
        {
            Alias = BuildKeyAlias(factory),
            Description = factory.Images.Any(i => i.Lifecycle is not null)
                ? $"Encrypts build volumes, build logs, the retention marker's logs and notifications of the {factory.Name} AMI factory"
                : $"Encrypts build volumes, build logs and notifications of the {factory.Name} AMI factory",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        return key;
    }
}
