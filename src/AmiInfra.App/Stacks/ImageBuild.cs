using AmiInfra.Constructs;
using AmiInfra.Constructs.Build;
using AmiInfra.Constructs.Distribution;
using AmiInfra.Constructs.Lifecycle;
using BuildParent = AmiInfra.Constructs.Build.ParentImage;
using AmiInfra.Declaration;
using AmiInfra.Rules;

namespace AmiInfra.App.Stacks;

/// <summary>
/// One image of the factory as CloudFormation: its recipe, distribution, pipeline and lifecycle
/// policy, rendered in C# for its image stack's <see cref="CfnFragment"/> (no construct per image or
/// resource), with the logical ids they would have as constructs under a construct named after the
/// image.
/// </summary>
public sealed class ImageBuild
{
    /// <summary>Maps <paramref name="image"/> onto a recipe and a pipeline.</summary>
    public ImageBuild(ImageStack stack, Image image, Factory factory, FactoryStack core)
    {
        Image = image;
        var where = $"{ImageStack.NameOf(factory, stack.Shard)}/{image.Name}";
        var index = IndexOf(factory, image);
        var path = $"images[{index}]";
        var name = RecipeName(factory, image);
        var tags = Merge(factory.Tags, image.Tags);
        tags[AmiTagKeys.Factory] = factory.Name;
        tags[AmiTagKeys.Image] = image.Name;

        var recipeId = CfnFragment.LogicalIdFor(image.Name, "Recipe", "Resource");
        var distributionId = CfnFragment.LogicalIdFor(image.Name, "Distribution", "Resource");
        var references = stack.References;
        var recipe = DeclaredAt.Run($"{where}/Recipe", path, RecipeFields, () => ImageRecipe.Render(new ImageRecipeProps
        {
            ImageRecipeName = name,
            Description = string.IsNullOrEmpty(image.Description) ? null : image.Description,
            ParentImage = image.Parent.Kind switch
            {
                ParentImageKind.SsmParameter => BuildParent.FromSsmParameterName(image.Parent.Value),
                ParentImageKind.AmiId => BuildParent.FromAmiId(image.Parent.Value),
                ParentImageKind.ImageBuilder => BuildParent.FromImageBuilderImage(image.Parent.Value),
                _ => BuildParent.FromMarketplace(image.Parent.Value),
            },
            Components = image.Components
                .Select((c, i) => new RecipeComponent(core.Components.For(c, image), c.Parameters))
                .ToList(),
            BlockDevices =
            [
                new BlockDevice
                {
                    DeviceName = image.RootVolume.DeviceName,
                    SizeGiB = image.RootVolume.SizeGiB,
                    VolumeType = image.RootVolume.VolumeType,
                    Iops = image.RootVolume.Iops,
                    ThroughputMiBps = image.RootVolume.ThroughputMiBps,
                    KmsKey = references.BuildKey,
                },
            ],
            WorkingDirectory = image.WorkingDirectory,
            RemoveSsmAgent = image.RemoveSsmAgent,
            UserData = image.UserDataFile is null ? null : File.ReadAllText(Path.Combine(factory.BaseDirectory, image.UserDataFile)),
            Tags = tags,
        }, $"{where}/Recipe", stack));
        RecipeVersion = recipe.Version;
        var resources = new List<CfnFragmentResource> { new(recipeId, recipe.Resource) };

        var distribution = image.Distribution;
        var launchTemplates = distribution.LaunchTemplates.Select((t, i) => references.LaunchTemplate(image, i, t.LaunchTemplateId)).ToList();
        resources.Add(new(distributionId, DeclaredAt.Run($"{where}/Distribution", path, DistributionFields, () => DistributionConfiguration.Render(new DistributionConfigurationProps
        {
            DistributionConfigurationName = name,
            Description = $"Where the AMIs of {name} go and who may launch them",
            AllowPublic = factory.AllowPublicImages,
            Tags = tags,
            Origin = new AmiOrigin(factory.Name, image.Name, recipe.Version),
            Regions = distribution.Regions.Select(region => new RegionDistribution
            {
                Region = region,
                KmsKey = distribution.Encryption == AmiEncryption.RegionalKey ? references.RegionalKey(region) : null,
                AmiName = distribution.AmiName,
                AmiDescription = string.IsNullOrEmpty(image.Description) ? null : image.Description,
                AmiTags = Merge(factory.Tags, image.Tags, distribution.AmiTags),
                LaunchAccounts = distribution.LaunchAccounts,
                LaunchOrganizationArns = distribution.LaunchOrganizations,
                LaunchOrganizationalUnitArns = distribution.LaunchOrganizationalUnits,
                Public = distribution.Public,
                TargetAccounts = distribution.TargetAccounts,
                // With release verification on, the verification shares and promotes each copy after it passed: the
                // distribution neither grants the launch permissions, nor writes the latest parameter, nor updates
                // launch templates.
                LaunchPermissionsAfterVerification = image.Release.Enabled,
                SsmParameterName = image.Release.Enabled ? null : distribution.SsmParameterName,
                LaunchTemplates = image.Release.Enabled ? [] : distribution.LaunchTemplates
                    .Select((t, i) => (Template: t, Reference: launchTemplates[i]))
                    .Where(t => t.Template.Region == region)
                    .Select(t => new LaunchTemplateTarget { LaunchTemplate = t.Reference, AccountId = t.Template.AccountId, SetDefaultVersion = t.Template.SetDefaultVersion })
                    .ToList(),
                FastLaunch = FastLaunchIn(distribution, region, $"{where}/Distribution"),
                LicenseConfigurationArns = LicensesIn(distribution, region),
            }).ToList(),
        }, $"{where}/Distribution", factory.Account))));

        var workflows = ImageWorkflows.For(image, factory, core, references, where, path);
        if (workflows.Resource is { } role)
        {
            resources.Add(role);
        }
        // The image's build and pipeline logs go to a log group of its own, with the declared retention and the build key
        // (read from the factory stack's parameter: CloudWatch Logs takes no key alias). Removing the image removes it.
        // It carries AmiInfra's tags and, through Tags.Of, the factory's, not the image's own: CloudWatch Logs takes
        // fewer characters in tags than Image Builder, whose rule the image's tags pass.
        var logGroupName = ImageLogGroup.NameFor(factory.Name, image.Name);
        var logGroupId = CfnFragment.LogicalIdFor(image.Name, "Logs", "Resource");
        resources.Add(new(logGroupId, DeclaredAt.Run($"{where}/Logs", path, LogFields, () => ImageLogGroup.Render(new ImageLogGroupProps
        {
            LogGroupName = logGroupName,
            RetentionDays = factory.Build.LogGroupRetentionDays,
            KmsKeyArn = BuildInfrastructure.KeyArnReference(factory.Name),
            Tags = new Dictionary<string, string>(StringComparer.Ordinal) { [AmiTagKeys.Factory] = factory.Name, [AmiTagKeys.Image] = image.Name },
        }, $"{where}/Logs"))) { DeletionPolicy = Amazon.CDK.CfnDeletionPolicy.DELETE, UpdateReplacePolicy = Amazon.CDK.CfnDeletionPolicy.DELETE });

        resources.Add(new(CfnFragment.LogicalIdFor(image.Name, "Pipeline", "Resource"), DeclaredAt.Run($"{where}/Pipeline", path, PipelineFields, () => ImagePipeline.Render(new ImagePipelineProps
        {
            Workflows = workflows.Configurations,
            ExecutionRole = workflows.Role,
            ImagePipelineName = name,
            Description = string.IsNullOrEmpty(image.Description) ? null : image.Description,
            Recipe = recipe.InFragment(recipeId),
            DistributionConfiguration = DistributionConfiguration.FromFragment(distributionId, name),
            InfrastructureConfiguration = references.Infrastructure(image.InstanceTypes ?? factory.Build.InstanceTypes, image.Placement),
            AutoDisableAfterFailures = image.Schedule?.AutoDisableAfterFailures ?? Builds.DefaultAutoDisableFailures,
            ImageLogGroupName = logGroupName,
            PipelineLogGroupName = logGroupName,
            Cron = image.Schedule?.Cron,
            StartCondition = image.Schedule is { StartConditionDeclared: true } s
                ? s.StartCondition == "EXPRESSION_MATCH_ONLY" ? StartCondition.ExpressionMatchOnly : StartCondition.ExpressionMatchAndDependencyUpdatesAvailable
                : null,
            Timezone = image.Schedule?.Timezone,
            Enabled = image.Enabled,
            TestsEnabled = image.Tests.Enabled,
            TestTimeoutMinutes = image.Tests.TimeoutMinutes,
            ScanningEnabled = image.Scanning,
            EnhancedMetadata = image.EnhancedMetadata,
            Tags = tags,
        }, $"{where}/Pipeline"))) { DependsOn = [logGroupId] });

        if (image.Lifecycle is { } retirement)
        {
            resources.Add(new(CfnFragment.LogicalIdFor(image.Name, "Lifecycle", "Resource"), DeclaredAt.Run($"{where}/Lifecycle", path, LifecycleFields, () => AmiLifecyclePolicy.Render(new AmiLifecyclePolicyProps
            {
                LifecyclePolicyName = name,
                ExecutionRole = references.LifecycleRole,
                Recipes = [new RecipeSelection(name)],
                Deprecate = Rule(retirement.Deprecate),
                Disable = Rule(retirement.Disable),
                Delete = Rule(retirement.Delete),
                KeepAtLeast = retirement.KeepAtLeast,

                // Counted per image across recipe versions: the factory stack's RetentionMarker keeps the tags.
                RetentionWindows = true,
                Tags = tags,
                DeleteSnapshots = retirement.DeleteSnapshots,
                Exclusions = new LifecycleExclusions
                {
                    LaunchedWithinDays = retirement.Exclusions.LaunchedWithinDays,
                    Tags = retirement.Exclusions.Tags,
                    Public = retirement.Exclusions.Public,
                    Regions = retirement.Exclusions.Regions,
                    SharedWithAccounts = retirement.Exclusions.SharedWithAccounts,
                },
            }, $"{where}/Lifecycle"))));
        }

        Resources = resources;
    }

    /// <summary>The declared image.</summary>
    public Image Image { get; }

    /// <summary>The version of the image's recipe.</summary>
    public string RecipeVersion { get; }

    /// <summary>The recipe, distribution, pipeline and (when the image retires its AMIs) lifecycle policy.</summary>
    public IReadOnlyList<CfnFragmentResource> Resources { get; }

    // The Fast Launch of the factory account's copy in one region, as declared (none when not declared). One declared for a
    // region the AMI does not go to is rejected (the loader refuses it before), so none is dropped silently.
    private static IReadOnlyList<FastLaunchSettings> FastLaunchIn(AmiInfra.Declaration.Distribution distribution, string region, string where) =>
        distribution.FastLaunch.Count == 0
            ? []
            : distribution.FastLaunch.FirstOrDefault(f => !distribution.Regions.Contains(f.Region)) is { } stray
            ? throw new ConstructValidationException($"{where}.Regions.FastLaunch", $"\"{stray.Region}\"", $"one of the distribution regions ({string.Join(", ", distribution.Regions)})")
            : distribution.FastLaunch.Where(f => f.Region == region).Select(f => new FastLaunchSettings
            {
                Enabled = f.Enabled,
                MaxParallelLaunches = f.MaxParallelLaunches,
                TargetSnapshotCount = f.TargetSnapshotCount,
                LaunchTemplate = f.LaunchTemplate is { } t ? new FastLaunchTemplate { LaunchTemplateId = t.Id, LaunchTemplateName = t.Name, Version = t.Version } : null,
            }).ToList();

    // The license configurations of one region: those whose ARN names it. One that names no distribution region goes to
    // the first, whose distribution rejects it (the loader refuses it before), so none is dropped silently.
    private static IReadOnlyList<string> LicensesIn(AmiInfra.Declaration.Distribution distribution, string region) =>
        distribution.LicenseConfigurations.Count == 0
            ? []
            : distribution.LicenseConfigurations.Where(arn => LicenseConfigurations.RegionOf(arn) is var of && (of == region || (region == distribution.Regions[0] && !distribution.Regions.Contains(of)))).ToList();

    // The declaration field each construct prop comes from, relative to images[n] (see DeclaredAt).
    internal static readonly Dictionary<string, string> RecipeFields = new(StringComparer.Ordinal)
    {
        ["ImageRecipeName"] = "name", ["Description"] = "description", ["ParentImage"] = "parent", ["Components"] = "components",
        ["BlockDevices"] = "rootVolume", ["WorkingDirectory"] = "workingDirectory", ["UserData"] = "userDataFile", ["Tags"] = "tags",
    };

    internal static readonly Dictionary<string, string> DistributionFields = new(StringComparer.Ordinal)
    {
        ["DistributionConfigurationName"] = "name", ["Description"] = "description", ["Tags"] = "tags", ["Regions"] = "distribution",
        ["Regions.Region"] = "distribution.regions", ["Regions.AmiName"] = "distribution.amiName", ["Regions.AmiDescription"] = "description",
        ["Regions.AmiTags"] = "distribution.amiTags", ["Regions.LaunchAccounts"] = "distribution.launchPermissions.accounts",
        ["Regions.LaunchOrganizationArns"] = "distribution.launchPermissions.organizations",
        ["Regions.LaunchOrganizationalUnitArns"] = "distribution.launchPermissions.organizationalUnits",
        ["Regions.Public"] = "distribution.launchPermissions.public", ["Regions.TargetAccounts"] = "distribution.targetAccounts",
        ["Regions.SsmParameterName"] = "distribution.ssmParameter", ["Regions.KmsKey"] = "distribution.encryption",
        ["Regions.LaunchTemplates"] = "distribution.launchTemplates", ["Regions.FastLaunch"] = "distribution.fastLaunch",
        ["Regions.LicenseConfigurationArns"] = "distribution.licenseConfigurations",
    };

    internal static readonly Dictionary<string, string> PipelineFields = new(StringComparer.Ordinal)
    {
        ["ImagePipelineName"] = "name", ["Description"] = "description", ["Cron"] = "schedule.cron", ["Timezone"] = "schedule.timezone",
        ["TestTimeoutMinutes"] = "tests.timeoutMinutes", ["Tags"] = "tags", ["Workflows"] = "workflows", ["InfrastructureConfiguration"] = "instanceTypes",
        ["AutoDisableAfterFailures"] = "schedule.autoDisableAfterFailures",
    };

    internal static readonly Dictionary<string, string> LogFields = new(StringComparer.Ordinal)
    {
        ["LogGroupName"] = "name", ["RetentionDays"] = "build.logGroupRetentionDays",
    };

    internal static readonly Dictionary<string, string> LifecycleFields = new(StringComparer.Ordinal)
    {
        ["LifecyclePolicyName"] = "name", ["Description"] = "description", ["Tags"] = "tags", ["Recipes"] = "lifecycle",
        ["Deprecate"] = "lifecycle.deprecate", ["Disable"] = "lifecycle.disable", ["Delete"] = "lifecycle.delete",
        ["KeepAtLeast"] = "lifecycle.keepAtLeast", ["Exclusions"] = "lifecycle.exclude",
    };

    /// <summary>The name of the image's recipe, pipeline, distribution and lifecycle policy (and of the Image Builder images it builds).</summary>
    public static string RecipeName(Factory factory, Image image) => $"{factory.Name}-{image.Name}";

    /// <summary>A declared retirement step as the constructs take it.</summary>
    public static LifecycleRule? Rule(ImageLifecycleStep? step) => step switch
    {
        null => null,
        { AfterDays: { } days } => LifecycleRule.Age(days),
        _ => LifecycleRule.Count(step.KeepNewest!.Value),
    };

    private static SortedDictionary<string, string> Merge(params IReadOnlyDictionary<string, string>[] maps)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var map in maps)
        {
            foreach (var (key, value) in map)
            {
                result[key] = value;
            }
        }

        return result;
    }

    private static int IndexOf(Factory factory, Image image)
    {
        for (var i = 0; i < factory.Images.Count; i++)
        {
            if (ReferenceEquals(factory.Images[i], image))
            {
                return i;
            }
        }

        return -1;
    }
}
