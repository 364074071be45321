using System.Text.Json;
using AmiInfra.Rules;

namespace AmiInfra.Declaration;

/// <summary>Reads and checks retirement rules (the <c>lifecycle</c> block of a factory or image).</summary>
internal static class LifecycleReader
{
    // The fields each object of a lifecycle block accepts (factory/factory.schema.json declares the same).

    /// <summary>The fields of a lifecycle block (the factory's or an image's).</summary>
    internal static readonly string[] LifecycleFields = ["deprecate", "disable", "delete", "keepAtLeast", "deleteSnapshots", "exclude", "recycleBin"];

    /// <summary>The fields of a retirement step (<c>deprecate</c>, <c>disable</c>, <c>delete</c>).</summary>
    internal static readonly string[] StepFields = ["afterDays", "keepNewest"];

    /// <summary>The fields of <c>exclude</c>.</summary>
    internal static readonly string[] ExclusionFields = ["launchedWithinDays", "tags", "public", "regions", "sharedWithAccounts"];

    /// <summary>The fields of <c>recycleBin</c>.</summary>
    internal static readonly string[] RecycleBinFields = ["amiRetentionDays", "snapshotRetentionDays"];

    public static ImageLifecycle Read(JsonElement element, string path, FactoryContext factory)
    {
        var f = JsonFields.Open(element, path, LifecycleFields);
        var steps = Lifecycles.StepNames.Select(s => ReadStep(f, s)).ToArray();
        var keepAtLeast = f.OptionalWholeNumber("keepAtLeast", $"a whole number from {Lifecycles.RetainAtLeast.Min} to {Lifecycles.RetainAtLeast.Max} AMIs (the newest AMIs retirement by age keeps)") ?? 1;
        var declared = steps.OfType<LifecycleStepRule>().ToList();
        if (declared.Count == 0)
        {
            throw new DeclarationException(path, "no retirement step", "at least one of deprecate, disable or delete (or no lifecycle block at all)");
        }

        if (Lifecycles.Steps(declared, keepAtLeast) is { } problem)
        {
            throw new DeclarationException(path, problem);
        }

        var exclusions = ReadExclusions(f, factory);
        var bin = f.OptionalObject("recycleBin", RecycleBinFields);
        var amiDays = bin?.OptionalInt("amiRetentionDays", 0, Lifecycles.RecycleBinDays.Max, "days (0 turns the Recycle Bin rule off)") ?? 14;
        var snapshotDays = bin?.OptionalInt("snapshotRetentionDays", 0, Lifecycles.RecycleBinDays.Max, "days") ?? amiDays;
        if (Lifecycles.SnapshotRetention(snapshotDays, amiDays, "amiRetentionDays") is { } retention)
        {
            throw new DeclarationException(bin!.At("snapshotRetentionDays"), retention);
        }

        return new ImageLifecycle
        {
            Deprecate = Step(steps[0]),
            Disable = Step(steps[1]),
            Delete = Step(steps[2]),
            KeepAtLeast = keepAtLeast,
            DeleteSnapshots = f.OptionalBool("deleteSnapshots") ?? true,
            Exclusions = exclusions,
            RecycleBinDays = amiDays,
            SnapshotRecycleBinDays = snapshotDays,
        };
    }

    private static ImageLifecycleStep? Step(LifecycleStepRule? rule) => rule is null ? null : new ImageLifecycleStep(rule.AfterDays, rule.KeepNewest);

    /// <summary>A step as declared: whole numbers (their ranges and order are the rules' to check).</summary>
    private static LifecycleStepRule? ReadStep(JsonFields f, string name)
    {
        var s = f.OptionalObject(name, StepFields);
        return s is null
            ? null
            : new LifecycleStepRule(
                name,
                s.OptionalWholeNumber("afterDays", $"a whole number of days: {Lifecycles.FilterValue.Min} to {Lifecycles.FilterValue.Max}, or a multiple of 7 up to {Lifecycles.MaxAgeDays}"),
                s.OptionalWholeNumber("keepNewest", $"a whole number from {Lifecycles.FilterValue.Min} to {Lifecycles.FilterValue.Max} AMIs"));
    }

    private static ImageLifecycleExclusions ReadExclusions(JsonFields f, FactoryContext factory)
    {
        var e = f.OptionalObject("exclude", ExclusionFields);
        if (e is null)
        {
            return new ImageLifecycleExclusions();
        }

        var regions = e.OptionalStrings("regions", Partitions.RegionAccepted, Rules.Distributions.MaxRegions) ?? [];
        for (var i = 0; i < regions.Count; i++)
        {
            factory.RegionAt(regions[i], $"{e.At("regions")}[{i}]");
        }
        // Each step also excludes its retention tag (the factory's policies retire by retention windows): one place fewer.
        if (e.OptionalMap("tags", TagRules.Aws.ValueAccepted) is { } declared)
        {
            JsonFields.Require(e.At("tags"), Lifecycles.ExclusionTags(declared, retentionWindows: true));
        }

        var tags = TagsReader.ReadWithin(e, "tags", Lifecycles.MaxTags, TagRules.Lifecycle);
        return new ImageLifecycleExclusions
        {
            LaunchedWithinDays = e.OptionalInt("launchedWithinDays", Lifecycles.LastLaunchedDays, "days"),
            Tags = tags,
            Public = e.OptionalBool("public") ?? false,
            Regions = regions,
            SharedWithAccounts = e.CheckedList("sharedWithAccounts", Identifiers.AccountId, Lifecycles.MaxSharedAccounts) ?? [],
        };
    }
}
