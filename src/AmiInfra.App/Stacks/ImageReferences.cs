using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using AmiInfra.Constructs.Build;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Declaration;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>
/// What the images of a factory refer to, as the typed references the constructs' render methods take: the keys, the
/// lifecycle role and the infrastructure configurations by name or alias ARN, imported once per factory and shared by
/// every image stack; launch templates once per image that has them (SSM output parameters go by name, which costs no
/// construct). The imports live under the core stack's construct "ImageReferences", which holds no resource; their
/// ARNs are plain text built from the declaration (no token of any stack), so an image stack that uses them gets the
/// text, never an export or a cross-stack reference.
/// </summary>
public sealed class ImageReferences
{
    private readonly Construct _scope;
    private readonly Factory _factory;
    private readonly FactoryStack _core;
    private readonly Dictionary<string, IKey> _regionalKeys = new(StringComparer.Ordinal);
    private IKey? _buildKey;
    private IRole? _lifecycleRole;

    /// <summary>Creates the (empty) references of the images of <paramref name="factory"/>.</summary>
    public ImageReferences(FactoryStack core, Factory factory)
    {
        _scope = new Construct(core, "ImageReferences");
        _factory = factory;
        _core = core;
    }

    /// <summary>The build key, by its alias ARN.</summary>
    public IKey BuildKey => _buildKey ??= Key.FromKeyArn(_scope, "BuildKey", FactoryStack.BuildKeyAliasArn(_factory));

    /// <summary>The lifecycle execution role, by the ARN built from its name.</summary>
    public IRole LifecycleRole => _lifecycleRole ??= Role.FromRoleArn(_scope, "LifecycleRole", FactoryStack.LifecycleRoleArn(_factory), new FromRoleArnOptions { Mutable = false });

    /// <summary>The regional key of <paramref name="region"/>, by its alias ARN.</summary>
    public IKey RegionalKey(string region)
    {
        if (!_regionalKeys.TryGetValue(region, out var key))
        {
            key = Constructs.Distribution.RegionalKey.FromAlias(_scope, $"AmiKey-{region}", region, RegionalStack.KeyAliasName(_factory), _factory.Account);
            _regionalKeys[region] = key;
        }

        return key;
    }

    /// <summary>The infrastructure configuration for these instance types and placement (none: shared hardware), made in the core stack.</summary>
    public IInfrastructureConfiguration Infrastructure(IReadOnlyList<string> instanceTypes, PlacementSettings? placement = null) =>
        _core.Build.InfrastructureFor(instanceTypes, placement is null ? null : new BuildPlacement
        {
            AvailabilityZone = placement.AvailabilityZone,
            Tenancy = placement.Tenancy switch
            {
                null => null,
                "default" => InstanceTenancy.Default,
                "dedicated" => InstanceTenancy.Dedicated,
                _ => InstanceTenancy.Host,
            },
            HostId = placement.HostId,
            HostResourceGroupArn = placement.HostResourceGroupArn,
        });

    /// <summary>A launch template an image's distribution updates, by id.</summary>
    public ILaunchTemplate LaunchTemplate(Image image, int index, string launchTemplateId) =>
        Amazon.CDK.AWS.EC2.LaunchTemplate.FromLaunchTemplateAttributes(_scope, $"{image.Name}-LaunchTemplate-{index}", new LaunchTemplateAttributes { LaunchTemplateId = launchTemplateId });
}
