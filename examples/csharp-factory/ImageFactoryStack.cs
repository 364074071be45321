using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using AmiInfra.Constructs.Build;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Constructs.Lifecycle;
using Constructs;

namespace CSharpFactory;

/// <summary>
/// The factory in its home region: the build key and infrastructure, one component of ours and one AWS manages,
/// and per image a recipe, a distribution to every region (re-encrypted with that region's key, and shared with the
/// accounts and OUs of the settings by each region's release verification once a copy passed), a weekly pipeline and a lifecycle policy that retires by retention windows,
/// whose tags the factory's retention marker keeps on the newest AMIs of each image in every region.
/// </summary>
public sealed class ImageFactoryStack : Stack
{
    /// <summary>The retirement of every image: its lifecycle policy and its retention windows.</summary>
    private static readonly AmiLifecyclePolicyProps Retirement = new()
    {
        Deprecate = LifecycleRule.Age(90),
        Disable = LifecycleRule.Age(180),
        Delete = LifecycleRule.Age(365),
        KeepAtLeast = 2,
        RetentionWindows = true,
    };

    /// <summary>Creates the stack.</summary>
    public ImageFactoryStack(Construct scope, FactorySettings settings)
        : base(scope, $"{settings.Name}-factory", settings.StackProps($"{settings.Name}-factory", settings.HomeRegion, $"C# example factory {settings.Name}: build, distribution and retirement of its images"))
    {
        var buildKey = new Key(this, "BuildKey", new KeyProps
        {
            Alias = $"alias/{settings.Name}/build",
            Description = $"Encrypts the build volumes, logs and notifications of the {settings.Name} factory",
            EnableKeyRotation = true,
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        // Role, instance profile, log bucket, notification topic (and the key policy statement it needs), and an
        // infrastructure configuration with IMDSv2 required.
        var build = new BuildInfrastructure(this, "Build", new BuildInfrastructureProps { NamePrefix = settings.Name, Key = buildKey });
        var baseline = new Component(this, "Baseline", new ComponentProps
        {
            ComponentName = $"{settings.Name}-baseline",
            Document = ComponentDocument.FromFile(Path.Combine(AppContext.BaseDirectory, "components", "baseline.yml")),
            Platform = ComponentPlatform.Linux,
        });

        // The build topic hears of what a team acts on: new CVEs, disabled pipelines, waiting workflow steps, and the
        // copies that failed their release verification in any region.
        _ = new BuildEvents(this, "Events", new BuildEventsProps { Build = build, ReleaseFailures = true });

        // One role runs every lifecycle policy of the factory (a policy makes its own when given none).
        var lifecycleRole = new LifecycleExecutionRole(this, "LifecycleRole");

        // Who may start the pipelines by hand: the operators of the factory account.
        var operators = new Role(this, "Operators", new RoleProps
        {
            AssumedBy = new AccountRootPrincipal(),
            Description = $"Starts the pipelines of the {settings.Name} factory",
        });

        var keys = settings.Regions.ToDictionary(region => region, region => RegionalKey.FromAlias(this, $"AmiKey-{region}", region, settings.KeyAlias));
        Images =
        [
            Image(settings, "al2023", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "/dev/xvda", build, buildKey, keys, baseline, lifecycleRole, operators),
            Image(settings, "ubuntu2404", "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id", "/dev/sda1", build, buildKey, keys, baseline, lifecycleRole, operators),
        ];

        // The lifecycle policies keep the newest AMIs that carry the retention tags: the marker puts them there.
        _ = new RetentionMarker(this, "RetentionMarker", new RetentionMarkerProps
        {
            FactoryName = settings.Name,
            LogKey = buildKey,
            Images = FactorySettings.ImageNames.Select(image => new RetentionMarkerImage
            {
                ImageName = image,
                RecipeName = $"{settings.Name}-{image}",
                Regions = settings.Regions,
                Deprecate = Retirement.Deprecate,
                Disable = Retirement.Disable,
                Delete = Retirement.Delete,
                KeepAtLeast = Retirement.KeepAtLeast,
            }).ToList(),
        });
    }


    /// <summary>The pipelines of the images.</summary>
    public IReadOnlyList<IImagePipeline> Images { get; }

    private IImagePipeline Image(
        FactorySettings settings,
        string image,
        string parameter,
        string rootDevice,
        BuildInfrastructure build,
        IKey buildKey,
        Dictionary<string, IKey> keys,
        IComponent baseline,
        LifecycleExecutionRole lifecycleRole,
        IRole operators)
    {
        var scope = new Construct(this, image);
        var name = $"{settings.Name}-{image}";
        var recipe = new ImageRecipe(scope, "Recipe", new ImageRecipeProps
        {
            ImageRecipeName = name,
            Description = $"{image}, patched, with the factory baseline",
            ParentImage = ParentImage.FromSsmParameterName(parameter),
            Components = [new RecipeComponent(Component.FromManaged("update-linux")), new RecipeComponent(baseline)],
            BlockDevices = [new BlockDevice { DeviceName = rootDevice, SizeGiB = 20, KmsKey = buildKey }],
            Tags = new Dictionary<string, string> { ["amiinfra:image"] = image },
        });

        var distribution = new DistributionConfiguration(scope, "Distribution", new DistributionConfigurationProps
        {
            DistributionConfigurationName = name,
            Origin = new AmiOrigin(settings.Name, image, recipe.ImageRecipeVersion),
            Regions = settings.Regions.Select(region => new RegionDistribution
            {
                Region = region,
                KmsKey = keys[region],
                AmiName = $"{name}-{{{{ imagebuilder:buildDate }}}}",
                LaunchAccounts = settings.LaunchAccounts,
                LaunchOrganizationalUnitArns = settings.LaunchOrganizationalUnitArns,

                // Each region's release verification shares a copy once it passed: no consumer launches it before.
                LaunchPermissionsAfterVerification = true,
            }).ToList(),
        });

        var pipeline = new ImagePipeline(scope, "Pipeline", new ImagePipelineProps
        {
            ImagePipelineName = name,
            Recipe = recipe,
            InfrastructureConfiguration = build.DefaultInfrastructure,
            DistributionConfiguration = distribution,
            Cron = "cron(0 4 ? * sun *)",
            StartCondition = StartCondition.ExpressionMatchOnly,
        });
        pipeline.GrantStartExecution(operators);

        _ = new AmiLifecyclePolicy(scope, "Lifecycle", Retirement with
        {
            LifecyclePolicyName = name,
            ExecutionRole = lifecycleRole.Role,
            Recipes = [RecipeSelection.Of(recipe)],
        });
        return pipeline;
    }
}
