using System.Text.Json;

namespace AmiInfra.Declaration;

/// <summary>Reads and checks retirement rules (the <c>lifecycle</c> block of a factory or image).</summary>
internal static partial class RetirementReader
{
    /// <summary>Image Builder lifecycle filters take ages and counts from 1 to 1000.</summary>
    public const int MaxFilterValue = 1000;

    /// <summary>Image Builder lifecycle exclusions take at most 1536 shared accounts.</summary>
    public const int MaxSharedAccounts = 1536;

    /// <summary>Image Builder lifecycle exclusions take at most 50 tags.</summary>
    public const int MaxExclusionTags = 50;

    private static readonly string[] Steps = ["deprecate", "disable", "delete"];

    // The fields each object of a lifecycle block accepts (factory/factory.schema.json declares the same).

    /// <summary>The fields of a lifecycle block (the factory's or an image's).</summary>
    internal static readonly string[] LifecycleFields = ["deprecate", "disable", "delete", "keepAtLeast", "deleteSnapshots", "exclude", "recycleBin"];

    /// <summary>The fields of a retirement step (<c>deprecate</c>, <c>disable</c>, <c>delete</c>).</summary>
    internal static readonly string[] StepFields = ["afterDays", "keepNewest"];

    /// <summary>The fields of <c>exclude</c>.</summary>
    internal static readonly string[] ExclusionFields = ["launchedWithinDays", "tags", "public", "regions", "sharedWithAccounts"];

    /// <summary>The fields of <c>recycleBin</c>.</summary>
    internal static readonly string[] RecycleBinFields = ["amiRetentionDays", "snapshotRetentionDays"];

    private const string ExclusionTagKeyAccepted =
        "a tag key of 1 to 128 characters: letters a-z and A-Z, digits and _ . : / = + - (what Image Builder lifecycle exclusions accept), not starting with aws:";

    public static Retirement Read(JsonElement element, string path)
    {
        var f = JsonFields.Open(element, path, LifecycleFields);
        var steps = Steps.Select(s => ReadStep(f, s)).ToArray();
        if (steps.All(s => s is null))
        {
            throw new DeclarationException(path, "no retirement step", "at least one of deprecate, disable or delete (or no lifecycle block at all)");
        }

        var keepAtLeast = f.OptionalInt("keepAtLeast", 1, 10, "AMIs (Image Builder's retain-at-least)") ?? 1;
        CheckOrder(f, steps);
        CheckKeepAtLeast(f, steps, keepAtLeast);

        var exclusions = ReadExclusions(f);
        var bin = f.OptionalObject("recycleBin", RecycleBinFields);
        var amiDays = bin?.OptionalInt("amiRetentionDays", 0, 365, "days (0 turns the Recycle Bin rule off)") ?? 14;
        var snapshotDays = bin?.OptionalInt("snapshotRetentionDays", 0, 365, "days") ?? amiDays;
        if (snapshotDays < amiDays)
        {
            throw new DeclarationException(
                bin!.At("snapshotRetentionDays"),
                snapshotDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"at least amiRetentionDays ({amiDays}): a restored AMI needs its snapshots, so snapshots stay in the Recycle Bin at least as long");
        }

        return new Retirement
        {
            Deprecate = steps[0],
            Disable = steps[1],
            Delete = steps[2],
            KeepAtLeast = keepAtLeast,
            DeleteSnapshots = f.OptionalBool("deleteSnapshots") ?? true,
            Exclusions = exclusions,
            RecycleBinDays = amiDays,
            SnapshotRecycleBinDays = snapshotDays,
        };
    }

    private static RetirementStep? ReadStep(JsonFields f, string name)
    {
        var s = f.OptionalObject(name, StepFields);
        if (s is null)
        {
            return null;
        }

        if (s.Has("afterDays") && s.Has("keepNewest"))
        {
            throw new DeclarationException(s.Path, "both afterDays and keepNewest", $"one rule per action: either afterDays (by age) or keepNewest (by count) for {name}");
        }

        if (!s.Has("afterDays") && !s.Has("keepNewest"))
        {
            throw new DeclarationException(s.Path, "neither afterDays nor keepNewest", $"afterDays (by age) or keepNewest (by count) for {name}");
        }

        if (name == "delete" && s.Element("keepNewest") is { ValueKind: JsonValueKind.Number } k && k.TryGetInt32(out var keep) && keep == 0)
        {
            throw new DeclarationException(s.At("keepNewest"), "0", "at least 1: a delete rule that keeps no AMI would leave the image with none");
        }

        return new RetirementStep(
            s.OptionalInt("afterDays", 1, MaxFilterValue, "days"),
            s.OptionalInt("keepNewest", 1, MaxFilterValue, "AMIs"));
    }

    private static void CheckOrder(JsonFields f, RetirementStep?[] steps)
    {
        for (var later = 1; later < steps.Length; later++)
        {
            for (var earlier = 0; earlier < later; earlier++)
            {
                var a = steps[earlier];
                var b = steps[later];
                if (a is null || b is null || a.ByAge != b.ByAge)
                {
                    continue;
                }

                var (aValue, bValue, unit) = a.ByAge ? (a.AfterDays!.Value, b.AfterDays!.Value, "afterDays") : (a.KeepNewest!.Value, b.KeepNewest!.Value, "keepNewest");
                if (bValue <= aValue)
                {
                    throw new DeclarationException(
                        $"{f.At(Steps[later])}.{unit}",
                        bValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        $"more than {Steps[earlier]}.{unit} ({aValue}): AMIs are deprecated, then disabled, then deleted, in that order");
                }
            }
        }
    }

    /// <summary>
    /// keepAtLeast holds in any case: a count rule that disables or deletes all but fewer AMIs
    /// would take more AMIs out of use than keepAtLeast allows. (Deprecated AMIs stay launchable.)
    /// </summary>
    private static void CheckKeepAtLeast(JsonFields f, RetirementStep?[] steps, int keepAtLeast)
    {
        for (var i = 1; i < steps.Length; i++)
        {
            if (steps[i] is { KeepNewest: { } keep } && keep < keepAtLeast)
            {
                throw new DeclarationException(
                    $"{f.At(Steps[i])}.keepNewest",
                    keep.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"at least keepAtLeast ({keepAtLeast}): {Steps[i]} would leave fewer usable AMIs than keepAtLeast promises");
            }
        }
    }

    private static IReadOnlyDictionary<string, string> ReadExclusionTags(JsonFields e)
    {
        var tags = e.OptionalMap("tags", "a tag value: up to 256 letters, digits, spaces and _ . : / = + - @") ?? new SortedDictionary<string, string>();
        if (tags.Count > MaxExclusionTags)
        {
            throw new DeclarationException(e.At("tags"), $"{tags.Count} tags", $"at most {MaxExclusionTags} tags (the Image Builder limit for lifecycle exclusions)");
        }

        foreach (var (key, value) in tags)
        {
            if (!LifecycleTagKey().IsMatch(key))
            {
                throw new DeclarationException($"{e.At("tags")}.{key}", $"the tag key {JsonFields.Quote(key)}", ExclusionTagKeyAccepted);
            }

            if (!Rules.TagValue().IsMatch(value))
            {
                throw new DeclarationException($"{e.At("tags")}.{key}", JsonFields.Quote(value), "a tag value of up to 256 letters, digits, spaces and _ . : / = + - @");
            }
        }

        return tags;
    }

    private static RetirementExclusions ReadExclusions(JsonFields f)
    {
        var e = f.OptionalObject("exclude", ExclusionFields);
        if (e is null)
        {
            return new RetirementExclusions();
        }

        var regions = e.OptionalStrings("regions", "an AWS region code", 50) ?? [];
        for (var i = 0; i < regions.Count; i++)
        {
            FactoryLoader.Region(regions[i], $"{e.At("regions")}[{i}]");
        }

        return new RetirementExclusions
        {
            LaunchedWithinDays = e.OptionalInt("launchedWithinDays", 1, 365, "days"),
            Tags = ReadExclusionTags(e),
            Public = e.OptionalBool("public") ?? false,
            Regions = regions,
            SharedWithAccounts = FactoryLoader.MatchingList(e, "sharedWithAccounts", Rules.AccountId(), "a 12-digit AWS account id", MaxSharedAccounts) ?? [],
        };
    }

    /// <summary>
    /// A tag key Image Builder accepts in lifecycle exclusions: the documented patterns are
    /// narrower than EC2's (no spaces, no @, no non-ASCII letters), so only their common part is accepted.
    /// </summary>
    [System.Text.RegularExpressions.GeneratedRegex("^(?!aws:)[a-zA-Z0-9_.:/=+\\-]{1,128}$")]
    private static partial System.Text.RegularExpressions.Regex LifecycleTagKey();
}
