using Amazon.CDK;
using AmiInfra.Constructs.Build;
using AmiInfra.Constructs.Guardrails;
using AmiInfra.Declaration;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.App.Stacks;

/// <summary>
/// Maps a factory declaration onto stacks: one regional stack per distribution region (keys and
/// Recycle Bin rules), the core factory stack in the home region, which depends on them, the image
/// stacks (each image in the one its name hashes to), and the distribution-targets stack when
/// images are copied into other accounts.
/// </summary>
public static class FactoryComposition
{
    /// <summary>The stacks of one factory.</summary>
    /// <param name="Regional">One stack per distribution region, home region first.</param>
    /// <param name="Factory">The core stack: what the images share, in the home region.</param>
    /// <param name="Images">The image stacks, by shard.</param>
    /// <param name="Targets">The distribution-targets stack, or null without target accounts.</param>
    /// <param name="Delivery">The deployment pipeline stack, or null when the factory is deployed with cdk deploy.</param>
    public sealed record Stacks(IReadOnlyList<RegionalStack> Regional, FactoryStack Factory, IReadOnlyList<ImageStack> Images, TargetsStack? Targets, DeliveryStack? Delivery)
    {
        /// <summary>Every stack.</summary>
        public IEnumerable<Stack> All =>
            Regional.Cast<Stack>().Append(Factory).Concat(Images).Concat(Targets is null ? [] : [Targets]).Concat(Delivery is null ? [] : [Delivery]);
    }

    /// <summary>
    /// Adds the factory's stacks to <paramref name="app"/>: as top-level stacks that
    /// <c>cdk deploy --all</c> deploys in dependency order, or, when the factory declares delivery,
    /// as stages of the deployment pipeline, which is then the only top-level stack.
    /// </summary>
    public static Stacks Compose(Amazon.CDK.App app, Factory factory, string declarationPath = "factory")
    {
        Tag(app, factory);
        var needsTargets = TargetsStack.IsNeeded(factory);
        if (factory.Delivery is null)
        {
            return Build(factory, _ => app, app, needsTargets ? app : null, dependOnRegions: true, delivery: null);
        }

        var delivery = new DeliveryStack(app, factory, declarationPath);
        var regionStages = factory.DistributionRegions.ToDictionary(r => r, r => Stage(app, factory, $"Region-{r}", r), StringComparer.Ordinal);
        var factoryStage = Stage(app, factory, "Factory", factory.Region);
        var targetsStage = needsTargets ? Stage(app, factory, "Targets", factory.Region, TargetsStack.AccountOf(factory)) : null;
        var stacks = Build(factory, r => regionStages[r], factoryStage, targetsStage, dependOnRegions: false, delivery);
        delivery.AddStages(regionStages.Values.ToList(), factoryStage, targetsStage);
        return stacks;
    }

    /// <summary>
    /// Runs the guardrails over the composed factory (before synthesis, outside any jsii callback),
    /// adding their findings as annotations: errors fail the synth.
    /// </summary>
    public static void Check(Amazon.CDK.App app, Factory factory) =>
        Guardrails.Check(app, new GuardrailOptions
        {
            AllowPublicImages = factory.AllowPublicImages,
            DeclaredKeyPairs = factory.Build.KeyPair is { } keyPair ? [keyPair] : [],
        });

    private static Stacks Build(Factory factory, Func<string, Construct> regionScope, Construct factoryScope, Construct? targetsScope, bool dependOnRegions, DeliveryStack? delivery)
    {
        // A construct's rejection of what the app derived from the declaration names the declaration's field (DeclaredAt).
        var regional = factory.DistributionRegions
            .Select(region => DeclaredAt.Run(RegionalStack.NameOf(factory, region), "", RegionalFields, () => new RegionalStack(regionScope(region), factory, region), fallback: "distribution"))
            .ToList();
        var core = DeclaredAt.Run($"{factory.Name}-factory", "", FactoryFields, () => new FactoryStack(factoryScope, factory), fallback: "build");
        if (dependOnRegions)
        {
            // In a pipeline the stages run in this order instead.
            foreach (var region in regional)
            {
                core.AddDependency(region, "AMIs are re-encrypted with the regional keys, referred to by alias");
            }
        }

        // The Image Builder events a team acts on, to the build topic or the declared event bus, in the core stack.
        DeclaredAt.Run($"{factory.Name}-factory/Events", "build", new Dictionary<string, string> { ["EventBusArn"] = "eventBus" }, () => new BuildEvents(core, "Events", new BuildEventsProps { Build = core.Build, EventBusArn = factory.Build.EventBusArn, ReleaseFailures = factory.Images.Any(i => i.Release.Enabled) }));
        var references = new ImageReferences(core, factory);
        var images = factory.Images
            .GroupBy(i => ImageStack.ShardOf(i.Name))
            .OrderBy(g => g.Key)
            .Select(g => new ImageStack(factoryScope, factory, g.Key, g.ToList(), core, references))
            .ToList();
        // What the declaration holds that is legal but likely not meant: warnings of the synth, on the core stack.
        for (var i = 0; i < factory.Warnings.Count; i++)
        {
            Annotations.Of(core).AddWarningV2($"amiinfra:declaration:{i}", factory.Warnings[i]);
        }

        var targets = targetsScope is null ? null : DeclaredAt.Run($"{factory.Name}-targets", "organization", new Dictionary<string, string>(), () => new TargetsStack(targetsScope, factory));
        return new Stacks(regional, core, images, targets, delivery);
    }

    internal static readonly Dictionary<string, string> FactoryFields = new(StringComparer.Ordinal)
    {
        ["Build"] = "build", ["Build.NamePrefix"] = "name", ["Build.InstanceTypes"] = "build.instanceTypes", ["Build.Subnet"] = "build.subnetId",
        ["Build.SecurityGroups"] = "build.securityGroupIds", ["Build.KeyPair"] = "build.keyPair", ["Build.LogRetentionDays"] = "build.logRetentionDays",
        ["Build.Tags"] = "tags", ["LifecycleRole"] = "lifecycle", ["Components"] = "images", ["RetentionMarker"] = "lifecycle",
        ["RetentionMarker.FactoryName"] = "name", ["RetentionMarker.Images"] = "images",
    };

    internal static readonly Dictionary<string, string> RegionalFields = new(StringComparer.Ordinal)
    {
        ["AmiKey"] = "distribution", ["RecycleBin"] = "lifecycle.recycleBin", ["AccountControls"] = "governance",
        ["AmiKey.LaunchAccounts"] = "distribution.launchPermissions.accounts",
        ["AmiKey.LaunchOrganizationArns"] = "distribution.launchPermissions.organizations",
        ["AmiKey.LaunchOrganizationalUnitArns"] = "distribution.launchPermissions.organizationalUnits",
        ["AmiKey.TargetAccounts"] = "distribution.targetAccounts",
    };

    private static Stage Stage(Amazon.CDK.App app, Factory factory, string id, string region, string? account = null)
    {
        var stage = new Stage(app, id, new StageProps { Env = new Amazon.CDK.Environment { Account = account ?? factory.Account, Region = region } });
        Tag(stage, factory);
        return stage;
    }

    /// <summary>
    /// The priority of the factory's tags: below the CDK's priority of a resource's own tags (50), so that a resource
    /// rendered with its image's tags keeps an image's own value for a key the factory tags too, and above none else
    /// (tags added with the default priority, 100, win over both).
    /// </summary>
    public const int FactoryTagPriority = 10;

    private static void Tag(Construct scope, Factory factory)
    {
        var props = new TagProps { Priority = FactoryTagPriority };
        foreach (var (key, value) in factory.Tags)
        {
            Tags.Of(scope).Add(key, value, props);
        }

        Tags.Of(scope).Add(AmiTagKeys.Factory, factory.Name, props);
    }
}
