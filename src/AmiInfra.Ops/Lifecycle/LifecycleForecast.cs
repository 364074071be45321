using System.Globalization;
using AmiInfra.Declaration;
using AmiInfra.Ops.Inventory;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Lifecycle;

/// <summary>
/// Simulates, from the declaration alone, what the factory's retirement does to each image's AMIs day after day:
/// builds on the pipeline's cron schedule (in its time zone), a content change every few days (a new recipe
/// version), an optional stall (no build succeeds), the retention marker after each build and once a day, Image
/// Builder's lifecycle policy once a day (<see cref="LifecycleEngine.Execute"/>), and the Recycle Bin.
/// <para>
/// Model, where AWS's pages leave the details open: a build's AMIs appear in every declared region at the
/// scheduled time (build and copy durations are not modelled); the policy runs at 12:00 UTC ("Image Builder manages
/// the exact execution time", https://docs.aws.amazon.com/imagebuilder/latest/userguide/lifecycle-policy-execution.html);
/// the marker runs at 00:00 UTC and right after each build; nobody launches the AMIs (launchedWithinDays never
/// excludes); with the start condition EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE a build happens at the first
/// scheduled time after each content change ("builds a new image only when ... there are pending updates",
/// https://docs.aws.amazon.com/imagebuilder/latest/userguide/cli-create-image-pipeline.html); an image without a
/// schedule, or whose pipeline is disabled, is built once on day 0. Each AMI has one snapshot (the root volume).
/// </para>
/// </summary>
public static class LifecycleForecast
{
    /// <summary>
    /// Days an AMI may outlive its rules before it counts as overdue: Image Builder acts on an image resource once a
    /// day and one step at a time, so deprecate, disable and delete take up to three executions after they fall due.
    /// </summary>
    public const int OverdueMarginDays = 7;

    /// <summary>When the lifecycle policy runs each day (UTC).</summary>
    public static readonly TimeSpan PolicyTime = TimeSpan.FromHours(12);

    /// <summary>Runs the simulation from <paramref name="start"/> (its day, 00:00 UTC, is day 0).</summary>
    public static Forecast Run(Factory factory, ForecastSettings settings, DateTimeOffset start)
    {
        var day0 = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero);
        var images = settings.Images.Count == 0 ? factory.Images : factory.Images.Where(i => settings.Images.Contains(i.Name, StringComparer.Ordinal)).ToList();
        return new Forecast(factory.Name, day0, settings, images.Select(i => new ImageSimulation(factory, i, settings, day0).Run()).ToList());
    }

    private sealed class Build(int number, DateTimeOffset created)
    {
        public int Number { get; } = number;

        public DateTimeOffset Created { get; } = created;

        public ImageStatus Status { get; set; } = ImageStatus.Available;

        public Dictionary<string, AmiRecord> Amis { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Binned(int Build, DateTimeOffset AmiUntil, DateTimeOffset SnapshotUntil);

    private sealed class RegionState(string region)
    {
        public string Region { get; } = region;

        public List<Binned> Bin { get; } = [];

        public int LeftSnapshots { get; set; }

        public List<ForecastDay> Days { get; } = [];

        public SortedSet<int> WithoutLaunchable { get; } = [];

        public Dictionary<int, (int First, int Last)> Overdue { get; } = [];

        public Dictionary<int, int> LastInWindow { get; } = [];

        public ForecastPeak Peak { get; set; } = new(0, 0, 0, 0, 0);

        /// <summary>The builds with an AMI registered here, oldest first.</summary>
        public List<Build> Alive { get; } = [];

        /// <summary>Whether the set of launchable AMIs changed since the marker last ran (only then can its tags change).</summary>
        public bool Dirty { get; set; }
    }

    private sealed class ImageSimulation
    {
        private readonly Factory factory;
        private readonly Image image;
        private readonly ImageLifecycle? rules;
        private readonly IReadOnlyList<PolicyStep> steps;
        private readonly ForecastSettings settings;
        private readonly DateTimeOffset start;
        private readonly List<Build> builds = [];
        private readonly List<RegionState> regions;
        private readonly List<ForecastEvent> events = [];
        private readonly HashSet<(int Build, string Step, string Reason)> skipsSeen = [];
        private readonly IReadOnlyDictionary<string, string> amiTags;
        private readonly bool onlyOnUpdates;
        private int version;
        private bool pending = true;
        private int day;

        public ImageSimulation(Factory factory, Image image, ForecastSettings settings, DateTimeOffset start)
        {
            this.factory = factory;
            this.image = image;
            this.settings = settings;
            this.start = start;
            rules = image.Lifecycle;
            steps = rules is null ? [] : LifecycleEngine.Steps(rules);
            regions = image.Distribution.Regions.Select(r => new RegionState(r)).ToList();
            onlyOnUpdates = image.Schedule is { StartCondition: "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE" };
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in factory.Tags.Concat(image.Tags).Concat(image.Distribution.AmiTags))
            {
                tags[key] = value;
            }

            tags[AmiTagKeys.Factory] = factory.Name;
            tags[AmiTagKeys.Image] = image.Name;
            amiTags = tags;
        }

        private bool Scheduled => image.Schedule is not null && image.Enabled;

        public ImageForecast Run()
        {
            var end = start.AddDays(settings.Days);
            var occurrences = Scheduled
                ? CronExpression.Occurrences(image.Schedule!.Cron, start, end, image.Schedule.Timezone).ToList()
                : [start];
            var next = 0;
            for (day = 0; day < settings.Days; day++)
            {
                var dayStart = start.AddDays(day);
                var dayEnd = dayStart.AddDays(1);
                Calendar(dayStart);
                var moments = new List<(DateTimeOffset At, int Order, Action<DateTimeOffset> Act)> { (dayStart, 0, _ => Mark()) };
                for (; next < occurrences.Count && occurrences[next] < dayEnd; next++)
                {
                    moments.Add((occurrences[next], 1, BuildAt));
                }

                moments.Add((dayStart + PolicyTime, 2, Execute));
                foreach (var (at, _, act) in moments.OrderBy(m => m.At).ThenBy(m => m.Order))
                {
                    act(at);
                    Sample(at);
                }

                EndOfDay(dayEnd);
            }

            return new ImageForecast(
                image,
                Scheduled ? $"{image.Schedule!.Cron} {image.Schedule.Timezone}, {image.Schedule.StartCondition}" : image.Schedule is null ? "no schedule" : $"{image.Schedule.Cron} (pipeline disabled)",
                builds.Count,
                regions.Select(r => new RegionForecast(r.Region, r.Days, r.Peak, r.WithoutLaunchable.ToList())).ToList(),
                events,
                Violations(),
                Notes());
        }

        private void Calendar(DateTimeOffset dayStart)
        {
            if (day > 0 && day % settings.ContentChangeDays == 0)
            {
                version++;
                pending = true;
                events.Add(new ForecastEvent(day, dayStart, "content-change", null, [], $"content changes: the next build makes recipe version {Number(version + 1)}"));
            }

            if (settings.StallFrom == day && settings.StallDays > 0)
            {
                events.Add(new ForecastEvent(day, dayStart, "stall", null, [], $"the pipeline stalls: no build succeeds for {Number(settings.StallDays)} days (until day {Number(day + settings.StallDays - 1)})"));
            }

            if (settings.StallFrom + settings.StallDays == day && settings.StallDays > 0)
            {
                events.Add(new ForecastEvent(day, dayStart, "stall-end", null, [], "the stall ends: scheduled builds succeed again"));
            }
        }

        private void BuildAt(DateTimeOffset at)
        {
            if (settings.Stalled(day) || (onlyOnUpdates && !pending))
            {
                return;
            }

            var build = new Build(builds.Count + 1, at);
            var tags = new Dictionary<string, string>(amiTags, StringComparer.Ordinal) { [AmiTagKeys.RecipeVersion] = $"1.0.{Number(version)}" };
            var distribution = image.Distribution;
            foreach (var region in regions)
            {
                build.Amis[region.Region] = new AmiRecord
                {
                    Region = region.Region,
                    ImageId = $"build-{build.Number:D4}",
                    Name = $"{factory.Name}-{image.Name}-{at.UtcDateTime:yyyy-MM-dd}",
                    Created = at,
                    State = LifecycleEngine.Available,
                    Public = distribution.Public,
                    SharedWith = distribution.LaunchAccounts.Concat(distribution.LaunchOrganizations).Concat(distribution.LaunchOrganizationalUnits).ToList(),
                    SnapshotIds = [$"snap-{build.Number:D4}"],
                    Encryption = EncryptionKind.CustomerManagedKey,
                    Tags = tags,
                };
            }

            builds.Add(build);
            foreach (var region in regions)
            {
                region.Alive.Add(build);
                region.Dirty = true;
            }

            pending = false;
            events.Add(new ForecastEvent(day, at, "build", build.Number, regions.Select(r => r.Region).ToList(), $"build {Number(build.Number)} (recipe version {Number(version + 1)})"));
            Mark();
        }

        /// <summary>
        /// The retention marker: the newest K available AMIs of each step carry its tag, no other AMI does
        /// (<see cref="LifecycleEngine.Marks"/>; the ranks come from the creation order of the builds, which is
        /// the engine's order since no two builds share a time).
        /// </summary>
        private void Mark()
        {
            if (rules is null || !settings.Marker)
            {
                return;
            }

            foreach (var region in regions.Where(r => r.Dirty))
            {
                region.Dirty = false;
                var rank = 0;
                for (var i = region.Alive.Count - 1; i >= 0; i--)
                {
                    var ami = region.Alive[i].Amis[region.Region];
                    int? ranked = LifecycleEngine.Launchable(ami) ? rank++ : null;
                    if (steps.All(s => LifecycleEngine.Marked(ami, s.TagKey) == LifecycleEngine.InWindow(s, ranked)))
                    {
                        continue;
                    }

                    var tags = ami.Tags.Where(t => !steps.Any(s => s.TagKey == t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
                    foreach (var step in steps.Where(s => LifecycleEngine.InWindow(s, ranked)))
                    {
                        tags[step.TagKey] = AmiTagKeys.RetainValue;
                    }

                    Replace(ami with { Tags = tags });
                }
            }
        }

        /// <summary>Image Builder's daily execution of the image's lifecycle policy, image resource by image resource.</summary>
        private void Execute(DateTimeOffset at)
        {
            if (rules is null)
            {
                return;
            }

            foreach (var build in builds)
            {
                // No rule can match an image younger than every age its status leaves to evaluate: skip it cheaply.
                if (build.Status == ImageStatus.Deleted || build.Amis.Count == 0 || at - build.Created <= YoungestDue(build.Status))
                {
                    continue;
                }

                var resource = new ImageResource($"build-{build.Number:D4}", build.Created, build.Status, regions.Where(r => build.Amis.ContainsKey(r.Region)).Select(r => build.Amis[r.Region]).ToList());
                var outcome = LifecycleEngine.Execute(rules, resource, (step, ami) => LifecycleEngine.PolicySkip(rules, step, ami, at), at);
                if (outcome.Step is not { } step)
                {
                    continue;
                }

                var done = outcome.Amis.Where(o => o.Done).ToList();
                foreach (var o in done)
                {
                    Apply(build, o.Ami, step.Action, at);
                }

                if (done.Count > 0)
                {
                    var age = (int)Math.Floor((at - build.Created).TotalDays);
                    events.Add(new ForecastEvent(day, at, step.Name, build.Number, done.Select(o => o.Ami.Region).ToList(), $"{step.Name} build {Number(build.Number)} ({Number(age)} days old)"));
                }

                foreach (var skipped in outcome.Amis.Where(o => o.SkippedBy is not null).GroupBy(o => o.SkippedBy!))
                {
                    if (skipsSeen.Add((build.Number, step.Name, skipped.Key)))
                    {
                        events.Add(new ForecastEvent(day, at, $"{step.Name}-skipped", build.Number, skipped.Select(o => o.Ami.Region).ToList(), $"{step.Name} skips build {Number(build.Number)}: {skipped.Key}"));
                    }
                }

                build.Status = outcome.Status;
            }
        }

        /// <summary>The least age at which a rule can match an image of this status (deprecate skips deprecated and disabled images, disable skips disabled ones).</summary>
        private TimeSpan YoungestDue(ImageStatus status)
        {
            var days = int.MaxValue;
            foreach (var step in steps)
            {
                var evaluated = step.Action switch
                {
                    LifecycleAction.Deprecate => status == ImageStatus.Available,
                    LifecycleAction.Disable => status != ImageStatus.Disabled,
                    _ => true,
                };
                days = evaluated ? Math.Min(days, step.AgeDays) : days;
            }

            return days == int.MaxValue ? TimeSpan.MaxValue : TimeSpan.FromDays(days);
        }

        private void Apply(Build build, AmiRecord ami, LifecycleAction action, DateTimeOffset at)
        {
            switch (action)
            {
                case LifecycleAction.Deprecate:
                    Replace(ami with { DeprecationTime = at });
                    break;
                case LifecycleAction.Disable:
                    Replace(ami with { State = "disabled" });
                    regions.First(r => r.Region == ami.Region).Dirty = true;
                    break;
                default:
                    build.Amis.Remove(ami.Region);
                    var region = regions.First(r => r.Region == ami.Region);
                    region.Alive.Remove(build);
                    region.Dirty = true;
                    var snapshotDays = rules!.DeleteSnapshots ? rules.SnapshotRecycleBinDays : 0;
                    if (!rules.DeleteSnapshots)
                    {
                        region.LeftSnapshots++;
                    }

                    if (rules.RecycleBinDays > 0 || snapshotDays > 0)
                    {
                        region.Bin.Add(new Binned(build.Number, at.AddDays(rules.RecycleBinDays), at.AddDays(snapshotDays)));
                    }

                    break;
            }
        }

        private static int BuildNumber(AmiRecord ami) => int.Parse(ami.ImageId["build-".Length..], CultureInfo.InvariantCulture);

        private void Replace(AmiRecord ami) => builds[BuildNumber(ami) - 1].Amis[ami.Region] = ami;

        private ForecastDay Count(RegionState region, DateTimeOffset at)
        {
            int launchable = 0, deprecated = 0, binnedAmis = 0, binnedSnapshots = 0;
            foreach (var build in region.Alive)
            {
                var ami = build.Amis[region.Region];
                if (LifecycleEngine.Launchable(ami))
                {
                    launchable++;
                    deprecated += ami.DeprecationTime is null ? 0 : 1;
                }
            }

            foreach (var binned in region.Bin)
            {
                binnedAmis += binned.AmiUntil > at ? 1 : 0;
                binnedSnapshots += binned.SnapshotUntil > at ? 1 : 0;
            }

            var registered = region.Alive.Count;
            return new ForecastDay(day, launchable, deprecated, registered - launchable, binnedAmis, registered + binnedSnapshots + region.LeftSnapshots);
        }

        private void Sample(DateTimeOffset at)
        {
            foreach (var region in regions)
            {
                var count = Count(region, at);
                var peak = region.Peak;
                region.Peak = new ForecastPeak(
                    Math.Max(peak.Amis, count.Registered),
                    Math.Max(peak.Launchable, count.Launchable),
                    Math.Max(peak.Snapshots, count.Snapshots),
                    Math.Max(peak.GiB, count.Snapshots * image.RootVolume.SizeGiB),
                    count.Snapshots > peak.Snapshots ? day : peak.Day);
                if (builds.Count > 0 && count.Launchable == 0)
                {
                    region.WithoutLaunchable.Add(day);
                }
            }
        }

        private void EndOfDay(DateTimeOffset dayEnd)
        {
            var expired = new List<(Binned Entry, string Region)>();
            foreach (var region in regions)
            {
                foreach (var gone in region.Bin.Where(b => b.AmiUntil <= dayEnd && b.SnapshotUntil <= dayEnd).ToList())
                {
                    region.Bin.Remove(gone);
                    expired.Add((gone, region.Region));
                }

                region.Days.Add(Count(region, dayEnd));
                CheckOverdue(region, dayEnd);
            }

            foreach (var gone in expired.GroupBy(e => e.Entry.Build))
            {
                var left = gone.Max(e => e.Entry.AmiUntil > e.Entry.SnapshotUntil ? e.Entry.AmiUntil : e.Entry.SnapshotUntil);
                events.Add(new ForecastEvent(day, left, "recycle-bin-expiry", gone.Key, gone.Select(e => e.Region).ToList(), $"build {Number(gone.Key)} leaves the Recycle Bin: no longer restorable, no longer billed"));
            }
        }

        /// <summary>
        /// An AMI is overdue when the rules would have deleted it long ago and it still exists: the image has a delete
        /// step, the AMI is older than the oldest step's age plus <see cref="OverdueMarginDays"/>, it left the widest
        /// retention window more than <see cref="OverdueMarginDays"/> ago, and no declared exclusion keeps it.
        /// Superseded versions that pile up show this way.
        /// </summary>
        private void CheckOverdue(RegionState region, DateTimeOffset at)
        {
            if (rules?.Delete is null)
            {
                return;
            }

            var oldest = steps.Max(s => s.AgeDays);
            var widest = steps.Max(s => s.Window);

            // Alive is in creation order (one build per scheduled time), so counting launchable AMIs from the newest
            // gives the engine's ranks without sorting.
            var rank = 0;
            for (var i = region.Alive.Count - 1; i >= 0; i--)
            {
                var ami = region.Alive[i].Amis[region.Region];
                var number = region.Alive[i].Number;
                var age = (int)Math.Floor((at - ami.Created!.Value).TotalDays);
                if (LifecycleEngine.Launchable(ami) && rank++ < widest)
                {
                    region.LastInWindow[number] = day;
                    continue;
                }

                var outside = day - region.LastInWindow.GetValueOrDefault(number, day);
                if (age > oldest + OverdueMarginDays && outside > OverdueMarginDays && LifecycleEngine.Exclusion(rules.Exclusions, ami, at) is null)
                {
                    region.Overdue[number] = region.Overdue.TryGetValue(number, out var seen) ? (seen.First, day) : (day, day);
                }
            }
        }

        private List<ForecastViolation> Violations()
        {
            var violations = new List<ForecastViolation>();
            foreach (var region in regions)
            {
                if (region.WithoutLaunchable.Count > 0)
                {
                    violations.Add(new ForecastViolation(
                        "no-launchable-ami", region.Region, region.WithoutLaunchable.Min, region.WithoutLaunchable.Max, $"no launchable AMI on day(s) {Ranges(region.WithoutLaunchable)}"));
                }

                if (region.Overdue.Count > 0)
                {
                    var first = region.Overdue.MinBy(o => o.Value.First);
                    var oldest = steps.Max(s => s.AgeDays);
                    violations.Add(new ForecastViolation(
                        "overdue-ami",
                        region.Region,
                        region.Overdue.Min(o => o.Value.First),
                        region.Overdue.Max(o => o.Value.Last),
                        $"{Number(region.Overdue.Count)} AMI(s) outlive the rules (older than {Number(oldest)} + {Number(OverdueMarginDays)} days, outside every retention window, no exclusion), first build {Number(first.Key)} on day {Number(first.Value.First)}"));
                }
            }

            return violations;
        }

        private List<string> Notes()
        {
            var notes = new List<string>();
            if (image.Schedule is null)
            {
                notes.Add("no schedule: one build on day 0, none after");
            }
            else if (!image.Enabled)
            {
                notes.Add("pipeline disabled: one build on day 0 (a manual run), none after");
            }
            else if (onlyOnUpdates)
            {
                notes.Add($"start condition EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE: a build at the first scheduled time after each content change (every {Number(settings.ContentChangeDays)} days)");
            }

            if (rules is null)
            {
                notes.Add("no retirement rules: every AMI is kept");
            }
            else if (rules.Delete is null)
            {
                notes.Add("no delete step: AMIs are never deleted");
            }

            if (rules?.Exclusions.LaunchedWithinDays is { } launched)
            {
                notes.Add($"launches are not simulated: an AMI launched within {Number(launched)} days is kept longer than shown");
            }

            if (image.Distribution.TargetAccounts.Count > 0)
            {
                notes.Add($"copies in target accounts ({string.Join(", ", image.Distribution.TargetAccounts)}) follow the same windows: the marker tags them per account and region, so they retire as shown here");
            }

            return notes;
        }
    }

    /// <summary>Days as ranges: 3-5, 9.</summary>
    public static string Ranges(IEnumerable<int> days)
    {
        var parts = new List<string>();
        int? from = null, to = null;
        foreach (var d in days.Order())
        {
            if (to is { } t && d == t + 1)
            {
                to = d;
                continue;
            }

            if (from is not null)
            {
                parts.Add(from == to ? Number(from.Value) : $"{Number(from.Value)}-{Number(to!.Value)}");
            }

            from = to = d;
        }

        if (from is not null)
        {
            parts.Add(from == to ? Number(from.Value) : $"{Number(from.Value)}-{Number(to!.Value)}");
        }

        return string.Join(", ", parts);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
