using System.Text;
using System.Text.Json;
using AmiInfra.Rules;

namespace AmiInfra.Declaration;

/// <summary>Reads one image (<c>images[]</c>): its parent, volume, schedule and tests; its components, distribution and lifecycle have readers of their own.</summary>
internal static class ImageReader
{
    /// <summary>The fields of an image (<c>images[]</c>).</summary>
    internal static readonly string[] Fields =
    [
        "name", "description", "platform", "parent", "components", "rootVolume", "workingDirectory", "removeSsmAgent",
        "userDataFile", "schedule", "enabled", "tests", "scanning", "enhancedMetadata", "instanceTypes", "placement", "distribution",
        "lifecycle", "tags", "workflows", "release",
    ];

    /// <summary>The fields of an image's <c>placement</c>.</summary>
    internal static readonly string[] PlacementFields = ["availabilityZone", "tenancy", "hostId", "hostResourceGroupArn"];

    /// <summary>The fields of an image's <c>parent</c> (exactly one is given).</summary>
    internal static readonly string[] ParentFields = ["ssmParameter", "amiId", "imageBuilder", "marketplace"];

    /// <summary>The fields of an image's <c>rootVolume</c>.</summary>
    internal static readonly string[] RootVolumeFields = ["deviceName", "sizeGiB", "type", "iops", "throughputMiBps"];

    /// <summary>The fields of an image's <c>schedule</c>.</summary>
    internal static readonly string[] ScheduleFields = ["cron", "startCondition", "timezone", "autoDisableAfterFailures"];

    /// <summary>The fields of an image's <c>tests</c>.</summary>
    internal static readonly string[] TestsFields = ["enabled", "timeoutMinutes"];

    private static IReadOnlyList<string> StartConditions => Builds.StartConditions;

    public static Image Read(JsonElement element, string path, FactoryContext factory, JsonFields? distributionDefaults, JsonElement? lifecycleDefaults)
    {
        var f = JsonFields.Open(element, path, Fields);
        var name = f.Checked("name", PhysicalNames.Image);
        var platformText = f.OptionalString("platform", "linux or windows") ?? "linux";
        var platform = platformText switch
        {
            "linux" => Platform.Linux,
            "windows" => Platform.Windows,
            _ => throw new DeclarationException(f.At("platform"), JsonFields.Quote(platformText), "linux or windows"),
        };

        var userData = f.OptionalString("userDataFile", "a path to a script, relative to the declaration");
        if (userData is not null)
        {
            FactoryLoader.RequireFile(f.At("userDataFile"), userData, factory.BaseDirectory, "a user data script");
            var script = File.ReadAllText(Path.Combine(factory.BaseDirectory, userData), Encoding.UTF8);
            JsonFields.Require(f.At("userDataFile"), Builds.UserData(script) is { } problem ? problem with { Value = $"{JsonFields.Quote(userData)} ({problem.Value})" } : null);
        }

        var workingDirectory = f.OptionalChecked("workingDirectory", Builds.WorkingDirectory);

        var description = f.OptionalString("description", "text") ?? "";
        JsonFields.Require(f.At("description"), Builds.Description(description));

        // An image's resources carry the factory's tags, the image's own and AmiInfra's amiinfra:factory and amiinfra:image.
        var tags = TagsReader.Read(f, "tags", TagRules.ImageBuilder);
        var resourceTags = factory.Tags.Keys.Union(tags.Keys).Count() + 2;
        JsonFields.Require(f.At("tags"), TagRules.ImageBuilder.Total(resourceTags, "the factory's tags, the image's and AmiInfra's 2"));

        var lifecycle = f.Element("lifecycle") ?? lifecycleDefaults;
        var distribution = DistributionReader.Read(f, factory, distributionDefaults, name, tags, retires: lifecycle is not null, platform);
        var lifecyclePath = f.Has("lifecycle") ? f.At("lifecycle") : "lifecycle";
        var parent = ReadParent(f);
        var rootVolume = ReadRootVolume(f, platform);
        var instanceTypes = BuildReader.InstanceTypes(f, "instanceTypes", factory.Warnings);
        CheckParent(f, factory, platform, parent, rootVolume, instanceTypes);
        var release = ReleaseReader.Read(f, factory, platform, parent, instanceTypes ?? factory.BuildInstanceTypes, distribution.Regions);
        var removeSsmAgent = f.OptionalBool("removeSsmAgent") ?? false;
        if (release.Enabled && removeSsmAgent)
        {
            // Image Builder removes only an agent it installed itself: a parent that has the agent keeps it, which synth cannot tell.
            factory.Warnings.Add($"{f.At("removeSsmAgent")}: the release verification waits for the SSM agent and runs its smoke test with Run Command: a copy without the agent fails it (set release.enabled to false, or keep the agent).");
        }

        return new Image
        {
            Name = name,
            Description = description,
            Platform = platform,
            Parent = parent,
            Components = ComponentsReader.Read(f, factory, platform),
            Workflows = WorkflowsReader.Read(f, factory),
            RootVolume = rootVolume,
            WorkingDirectory = workingDirectory,
            RemoveSsmAgent = removeSsmAgent,
            UserDataFile = userData,
            Schedule = ReadSchedule(f),
            Enabled = f.OptionalBool("enabled") ?? true,
            Tests = ReadTests(f),
            Scanning = f.OptionalBool("scanning") ?? true,
            EnhancedMetadata = f.OptionalBool("enhancedMetadata") ?? true,
            InstanceTypes = instanceTypes,
            Placement = ReadPlacement(f, factory),
            Distribution = distribution,
            Lifecycle = lifecycle is { } l ? LifecycleReader.Read(l, lifecyclePath, factory) : null,
            Tags = tags,
            Release = release,
        };
    }

    /// <summary>
    /// What the build needs of the parent: instance types of its architecture (of the image's own instanceTypes, or
    /// else the factory's build.instanceTypes), and a root volume at least as large as its root snapshot. What the
    /// parent's name does not tell is not refused: one warning says what the build then needs.
    /// </summary>
    private static void CheckParent(JsonFields f, FactoryContext factory, Platform platform, ParentImage parent, RootVolume rootVolume, IReadOnlyList<string>? own)
    {
        var named = parent.Kind is ParentImageKind.SsmParameter or ParentImageKind.ImageBuilder;
        var architecture = named ? InstanceTypes.ParentArchitecture(parent.Value) : null;
        var types = own ?? factory.BuildInstanceTypes;
        if (InstanceTypes.ForImage(types, platform == Platform.Windows, architecture, parent.Value, out var typesWarning) is { } problem)
        {
            if (own is not null)
            {
                throw new DeclarationException(JsonFields.Index(f.At("instanceTypes"), problem.Index!.Value), problem with { Index = null });
            }

            // The image takes the factory's instance types: the image's field is the one to give, and the message says where they came from.
            var from = factory.BuildInstanceTypesDeclared ? $"build.instanceTypes[{problem.Index}]" : "the default build.instanceTypes";
            throw new DeclarationException(f.At("instanceTypes"), $"none, so {problem.Value} of {from}", problem.Accepted + "; declare instanceTypes for this image, or change build.instanceTypes");
        }

        var sizeWarning = (string?)null;
        if (named)
        {
            JsonFields.Require(f.Has("rootVolume") ? JsonFields.Join(f.At("rootVolume"), Ebs.Parts.Size) : f.At("rootVolume"), ParentImages.RootVolume(rootVolume.SizeGiB, parent.Value, out sizeWarning));
        }
        else
        {
            ParentImages.RootVolume(rootVolume.SizeGiB, parent.Value, out sizeWarning);
        }

        string[] unknown = [.. new[] { typesWarning, sizeWarning }.OfType<string>()];
        if (unknown.Length > 0)
        {
            factory.Warnings.Add($"{f.At("parent")}: {string.Join("; ", unknown)}.");
        }
    }

    private static ParentImage ReadParent(JsonFields f)
    {
        var p = f.Object("parent", ParentFields);
        var given = ParentFields.Where(p.Has).ToList();
        if (given.Count != 1)
        {
            throw new DeclarationException(
                p.Path,
                given.Count == 0 ? "no parent image" : $"{given.Count} parent images ({string.Join(", ", given)})",
                "exactly one of ssmParameter, amiId, imageBuilder or marketplace");
        }

        return given[0] switch
        {
            "ssmParameter" => new ParentImage(ParentImageKind.SsmParameter, p.Checked("ssmParameter", Identifiers.ParentSsmParameter)),
            "amiId" => new ParentImage(ParentImageKind.AmiId, p.Checked("amiId", Identifiers.AmiId)),
            "imageBuilder" => new ParentImage(ParentImageKind.ImageBuilder, p.Checked("imageBuilder", Identifiers.ImageBuilderImage)),
            _ => new ParentImage(ParentImageKind.Marketplace, p.Checked("marketplace", Identifiers.MarketplaceProductId)),
        };
    }

    private static RootVolume ReadRootVolume(JsonFields f, Platform platform)
    {
        var r = f.OptionalObject("rootVolume", RootVolumeFields);
        var defaultDevice = platform == Platform.Windows ? "/dev/sda1" : "/dev/xvda";
        if (r is null)
        {
            return new RootVolume { DeviceName = defaultDevice, SizeGiB = platform == Platform.Windows ? 50 : 20 };
        }

        var type = r.OptionalString("type", Ebs.TypeAccepted) ?? "gp3";
        var limits = Ebs.TypeOf(type);
        JsonFields.Require(r.Path, limits is null ? new Problem(JsonFields.Quote(type), Ebs.TypeAccepted) { Part = Ebs.Parts.Type } : null);

        // Whole numbers first; the volume rule then checks them against the type's limits and ratios.
        var known = limits!;
        var size = r.OptionalWholeNumber(Ebs.Parts.Size, Ebs.SizeAccepted(known))
            ?? throw new DeclarationException(r.At(Ebs.Parts.Size), null, Ebs.SizeAccepted(known));
        var volume = new EbsVolume(type, size, r.OptionalWholeNumber(Ebs.Parts.Iops, Ebs.IopsAccepted(known)), r.OptionalWholeNumber(Ebs.Parts.Throughput, "a whole number of MiB/s"));
        JsonFields.Require(r.Path, Ebs.Volume(volume));

        var device = r.OptionalString("deviceName", "a device name such as /dev/xvda or /dev/sda1") ?? defaultDevice;
        if (!device.StartsWith("/dev/", StringComparison.Ordinal) && !device.StartsWith("xvd", StringComparison.Ordinal))
        {
            throw new DeclarationException(r.At("deviceName"), JsonFields.Quote(device), "a device name such as /dev/xvda or /dev/sda1");
        }

        return new RootVolume { DeviceName = device, SizeGiB = size, VolumeType = type, Iops = volume.Iops, ThroughputMiBps = volume.ThroughputMiBps };
    }

    private static Schedule? ReadSchedule(JsonFields f)
    {
        var s = f.OptionalObject("schedule", ScheduleFields);
        if (s is null)
        {
            return null;
        }

        var cron = s.Checked("cron", CronExpression.Check, CronExpression.Accepted);
        var condition = s.OptionalString("startCondition", string.Join(" or ", StartConditions));
        if (condition is not null && !StartConditions.Contains(condition))
        {
            throw new DeclarationException(s.At("startCondition"), JsonFields.Quote(condition), string.Join(" or ", StartConditions));
        }

        var timezone = s.OptionalString("timezone", "UTC") ?? "Etc/UTC";
        if (timezone is not ("UTC" or "Etc/UTC"))
        {
            throw new DeclarationException(s.At("timezone"), JsonFields.Quote(timezone), "UTC or Etc/UTC: CloudFormation's image pipeline schedule takes no time zone, so write the cron expression in UTC");
        }

        var autoDisable = s.OptionalInt("autoDisableAfterFailures", Builds.AutoDisableFailures, "consecutive failed scheduled runs") ?? Builds.DefaultAutoDisableFailures;
        return new Schedule(cron, condition ?? StartConditions[1], timezone, condition is not null) { AutoDisableAfterFailures = autoDisable };
    }

    /// <summary>
    /// Where the build instances run on the hardware (<see cref="Builds.Placement"/>): an Availability Zone of the home
    /// region, a tenancy, a Dedicated Host or host resource group with tenancy host. With a subnet, the subnet's zone is the
    /// instances': a different one fails at launch, which synth cannot tell (the subnet's zone is not in the declaration).
    /// </summary>
    private static PlacementSettings? ReadPlacement(JsonFields f, FactoryContext factory)
    {
        var p = f.OptionalObject("placement", PlacementFields);
        if (p is null)
        {
            return null;
        }

        var placement = new PlacementSettings(
            p.OptionalString(Builds.PlacementParts.AvailabilityZone, $"an Availability Zone of {factory.Region}, such as {factory.Region}a"),
            p.OptionalString(Builds.PlacementParts.Tenancy, "one of " + Text.OneOf(Builds.Tenancies)),
            p.OptionalString(Builds.PlacementParts.HostId, Builds.HostId.Accepted),
            p.OptionalString(Builds.PlacementParts.HostResourceGroupArn, Builds.HostResourceGroupArn.Accepted));
        if (Builds.Placement(placement.AvailabilityZone, placement.Tenancy, placement.HostId, placement.HostResourceGroupArn, factory.Region) is { } problem)
        {
            throw new DeclarationException(p.At(problem.Part!), problem with { Part = null });
        }

        if (placement.HostResourceGroupArn is { } group)
        {
            JsonFields.Require(p.At(Builds.PlacementParts.HostResourceGroupArn), Identifiers.ArnInPartition(group, factory.Partition));
        }

        if (placement.AvailabilityZone is not null && factory.BuildHasSubnet)
        {
            factory.Warnings.Add($"{p.At(Builds.PlacementParts.AvailabilityZone)}: the build instances run in the factory's subnet, whose Availability Zone is theirs: the build fails unless it is {placement.AvailabilityZone}.");
        }

        return placement;
    }

    private static ImageTests ReadTests(JsonFields f)
    {
        var t = f.OptionalObject("tests", TestsFields);
        return t is null
            ? new ImageTests(true, 90)
            : new ImageTests(t.OptionalBool("enabled") ?? true, t.OptionalInt("timeoutMinutes", Builds.TestTimeoutMinutes, "minutes") ?? 90);
    }
}
