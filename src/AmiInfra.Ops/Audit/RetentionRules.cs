using System.Globalization;
using AmiInfra.Declaration;
using AmiInfra.Ops.Inventory;
using AmiInfra.Ops.Lifecycle;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Audit;

/// <summary>
/// The day-two checks of the audit: a pipeline that stopped producing AMIs, and retention tags that disagree with the
/// windows the retirement rules define (<see cref="LifecycleEngine"/>), which the retention marker keeps.
/// </summary>
public static class RetentionRules
{
    /// <summary>
    /// How long the retention marker has to bring the tags in line: it runs after every build and once a day, so tags
    /// are stale only when the newest AMI of the image in the region is older than this.
    /// </summary>
    public static readonly TimeSpan MarkerDelay = TimeSpan.FromDays(1);

    /// <summary>The stalled pipelines and the stale retention tags, image by image and region by region.</summary>
    /// <param name="factory">The declaration.</param>
    /// <param name="amis">The factory's AMIs in <paramref name="regions"/>.</param>
    /// <param name="regions">The regions that were read.</param>
    /// <param name="now">Now.</param>
    public static IEnumerable<Violation> Check(Factory factory, IReadOnlyList<AmiRecord> amis, IReadOnlyList<string> regions, DateTimeOffset now)
    {
        foreach (var image in factory.Images)
        {
            var period = image is { Enabled: true, Schedule: { } schedule } ? CronExpression.Period(schedule.Cron, schedule.Timezone, now) : null;
            foreach (var region in image.Distribution.Regions.Where(r => regions.Contains(r, StringComparer.Ordinal)))
            {
                var mine = amis.Where(a => a.ImageName == image.Name && a.Region == region).ToList();
                if (period is { } p && Stalled(image, region, mine, p, now) is { } stalled)
                {
                    yield return stalled;
                }

                if (image.Lifecycle is { } rules)
                {
                    foreach (var stale in StaleMarks(image.Name, rules, mine, now))
                    {
                        yield return stale;
                    }
                }
            }
        }
    }

    /// <summary>
    /// An image with a schedule whose newest available AMI in the region is older than two of the schedule's periods
    /// (<see cref="CronExpression.Period"/>) plus a day. An image without schedule, or whose pipeline is disabled, never stalls.
    /// </summary>
    private static Violation? Stalled(Image image, string region, List<AmiRecord> amis, TimeSpan period, DateTimeOffset now)
    {
        var newest = amis.Where(LifecycleEngine.Launchable).Where(a => a.Created is not null).MaxBy(a => a.Created);
        if (newest?.Created is not { } created || now - created <= (2 * period) + TimeSpan.FromDays(1))
        {
            return null;
        }

        var schedule = image.Schedule!;
        var updatesOnly = schedule.StartCondition == "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE"
            ? " (its start condition builds only when the parent image or components changed: a quiet upstream looks the same)"
            : "";
        return new Violation(
            ViolationKind.StalledPipeline,
            region,
            newest.ImageId,
            image.Name,
            $"no new AMI for {Number(newest.AgeDays(now))} days: the newest available one is from {created.UtcDateTime:yyyy-MM-dd}, while {schedule.Cron} runs at least every {period.TotalDays.ToString("0.#", CultureInfo.InvariantCulture)} days{updatesOnly}");
    }

    /// <summary>
    /// Available AMIs whose retention tags disagree with the windows of the declared steps (a tag missing within a
    /// window, or present outside it), once the marker had <see cref="MarkerDelay"/> to set them.
    /// </summary>
    private static IEnumerable<Violation> StaleMarks(string image, ImageLifecycle rules, List<AmiRecord> amis, DateTimeOffset now)
    {
        var newest = amis.Where(a => a.Created is not null).Select(a => a.Created!.Value).DefaultIfEmpty(now).Max();
        if (now - newest <= MarkerDelay)
        {
            yield break;
        }

        var marks = LifecycleEngine.Marks(rules, amis);
        var steps = LifecycleEngine.Steps(rules);
        foreach (var ami in amis.Where(LifecycleEngine.Launchable))
        {
            var wrong = steps
                .Where(s => LifecycleEngine.Marked(ami, s.TagKey) != marks[ami.ImageId].Contains(s.TagKey))
                .Select(s => LifecycleEngine.Marked(ami, s.TagKey)
                    ? $"{s.TagKey} is set, but the AMI is not among the newest {Number(s.Window)} available ({s.WindowSource})"
                    : $"{s.TagKey} is missing, but the AMI is among the newest {Number(s.Window)} available ({s.WindowSource})")
                .ToList();
            if (wrong.Count > 0)
            {
                yield return new Violation(ViolationKind.RetentionMarksStale, ami.Region, ami.ImageId, image, $"{string.Join("; ", wrong)}: the retention marker has not run, or failed");
            }
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
