using System.Globalization;
using System.Text;
using AmiInfra.Declaration;
using AmiInfra.Ops.Output;

namespace AmiInfra.Ops.Lifecycle;

/// <summary>The report of <c>lifecycle forecast</c>: per image and region a chart, the peaks, the violations; the timeline per image.</summary>
public sealed class LifecycleForecastReport : IReport
{
    /// <summary>Most columns of a chart (the chart and its labels fit 120 columns).</summary>
    public const int ChartColumns = 96;

    /// <summary>Rows of a chart.</summary>
    public const int ChartRows = 6;

    private const string Indent = "    ";
    private static readonly char[] Sparks = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

    private readonly Forecast forecast;

    /// <summary>Creates the report.</summary>
    public LifecycleForecastReport(Forecast forecast)
    {
        this.forecast = forecast;
    }

    /// <inheritdoc />
    public object JsonDocument => new
    {
        factory = forecast.Factory,
        start = forecast.Start,
        days = forecast.Settings.Days,
        contentChangeDays = forecast.Settings.ContentChangeDays,
        stall = forecast.Settings.StallFrom is { } from ? new { from, days = forecast.Settings.StallDays } : null,
        clean = forecast.Clean,
        violations = forecast.Images.SelectMany(i => i.Violations.Select(v => new { kind = v.Kind, image = i.Image.Name, region = v.Region, firstDay = v.FirstDay, lastDay = v.LastDay, detail = v.Detail })),
        images = forecast.Images.Select(i => new
        {
            image = i.Image.Name,
            schedule = i.Schedule,
            rules = Rules(i.Image.Lifecycle),
            rootVolumeGiB = i.Image.RootVolume.SizeGiB,
            builds = i.Builds,
            notes = i.Notes,
            regions = i.Regions.Select(r => new
            {
                region = r.Region,
                peak = new { amis = r.Peak.Amis, launchable = r.Peak.Launchable, snapshots = r.Peak.Snapshots, gib = r.Peak.GiB, day = r.Peak.Day },
                daysWithoutLaunchable = r.DaysWithoutLaunchable,
                series = r.Days.Select(d => new
                {
                    day = d.Day,
                    date = Date(d.Day),
                    launchable = d.Launchable,
                    deprecated = d.Deprecated,
                    disabled = d.Disabled,
                    recycleBin = d.RecycleBin,
                    snapshots = d.Snapshots,
                    gib = d.Snapshots * i.Image.RootVolume.SizeGiB,
                }),
            }),
            events = i.Events.Select(e => new { day = e.Day, at = e.At, kind = e.Kind, build = e.Build, regions = e.Regions, detail = e.Detail }),
        }),
    };

    /// <inheritdoc />
    public void WriteTable(TextWriter output)
    {
        var settings = forecast.Settings;
        var stall = settings.StallFrom is { } from ? $"a stall from day {N(from)} for {N(settings.StallDays)} days" : "no stall";
        Wrap(output, "", $"Forecast of '{forecast.Factory}' over {N(settings.Days)} days from {Date(0)} (day 0), from the declaration alone: builds on each image's schedule, content changes every {N(settings.ContentChangeDays)} days, {stall}. Each day: Image Builder's lifecycle policy (12:00 UTC), the retention marker (after each build and at 00:00), the Recycle Bin.");
        foreach (var image in forecast.Images)
        {
            output.WriteLine();
            WriteImage(output, image);
        }

        output.WriteLine();
        var violations = forecast.Images.SelectMany(i => i.Violations.Select(v => (i.Image.Name, v))).ToList();
        if (violations.Count == 0)
        {
            Wrap(output, "", "Invariants hold: every image kept a launchable AMI in every declared region every day after its first build, and no AMI outlived its rules.");
            return;
        }

        var table = new Table("VIOLATION", "IMAGE", "REGION", "DAYS", "DETAIL");
        foreach (var (name, v) in violations)
        {
            table.Add(v.Kind, name, v.Region, v.FirstDay == v.LastDay ? N(v.FirstDay) : $"{N(v.FirstDay)}-{N(v.LastDay)}", v.Detail);
        }

        table.Write(output, "");
        output.WriteLine($"{N(violations.Count)} violation(s) of the invariants.");
    }

    private void WriteImage(TextWriter output, ImageForecast image)
    {
        var size = image.Image.RootVolume.SizeGiB;
        Wrap(output, "", $"{image.Image.Name}: {image.Schedule}; {N(image.Builds)} build(s); {N(size)} GiB root volume");
        Wrap(output, "  ", $"rules: {Rules(image.Image.Lifecycle)}");
        foreach (var group in image.Regions.GroupBy(r => Signature(r)))
        {
            var regions = group.ToList();
            var first = regions[0];
            output.WriteLine(regions.Count > 1 ? $"  {string.Join(", ", regions.Select(r => r.Region))} (the same in each region):" : $"  {first.Region}:");
            WriteChart(output, first);
            var peak = first.Peak;
            Wrap(output, Indent, $"peak: {N(peak.Amis)} AMIs registered ({N(peak.Launchable)} launchable at most), {N(peak.Snapshots)} snapshots billed = {N(peak.GiB)} GiB (day {N(peak.Day)})");
            output.WriteLine(first.DaysWithoutLaunchable.Count == 0
                ? $"{Indent}a launchable AMI every day after the first build"
                : $"{Indent}NO launchable AMI on day(s) {LifecycleForecast.Ranges(first.DaysWithoutLaunchable)}");
        }

        output.WriteLine("  timeline (the first of each, and the first after a stall):");
        foreach (var e in Timeline(image))
        {
            var regions = e.Regions.Count == 0 || e.Regions.Count == image.Regions.Count ? "" : $" [{string.Join(", ", e.Regions)}]";
            output.WriteLine($"{Indent}day {N(e.Day),4}  {Date(e.Day)}  {e.Detail}{regions}");
        }

        var counts = new[] { ("deprecate", "deprecated"), ("disable", "disabled"), ("delete", "deleted"), ("recycle-bin-expiry", "out of the Recycle Bin") }
            .Select(k => (Label: k.Item2, Count: image.Events.Where(e => e.Kind == k.Item1).Sum(e => e.Regions.Count)))
            .Select(x => $"{x.Label} {N(x.Count)}");
        Wrap(output, Indent, $"in all: {N(image.Builds)} builds; AMIs (all regions) {string.Join(", ", counts)}");
        foreach (var note in image.Notes)
        {
            Wrap(output, "  ", $"note: {note}");
        }
    }

    /// <summary>The events worth reading: the first of each kind, and after a stall the first of each kind again.</summary>
    private IEnumerable<ForecastEvent> Timeline(ImageForecast image)
    {
        var picked = new List<ForecastEvent>();
        picked.AddRange(image.Events.GroupBy(e => e.Kind).Select(g => g.First()));
        if (forecast.Settings.StallFrom is { } from)
        {
            var end = from + forecast.Settings.StallDays;
            picked.AddRange(image.Events.Where(e => e.Day >= end).GroupBy(e => e.Kind).Where(g => g.Key != "content-change").Select(g => g.First()));
        }

        var order = image.Events.Select((e, i) => (e, i)).ToDictionary(x => (object)x.e, x => x.i, ReferenceEqualityComparer.Instance);
        return picked.Distinct(ReferenceEqualityComparer.Instance).Cast<ForecastEvent>().OrderBy(e => e.At).ThenBy(e => order[e]);
    }

    private static void WriteChart(TextWriter output, RegionForecast region)
    {
        var days = region.Days;
        if (days.Count == 0)
        {
            return;
        }

        var span = (days.Count + ChartColumns - 1) / ChartColumns;
        var columns = (days.Count + span - 1) / span;
        var buckets = Enumerable.Range(0, columns).Select(c => days.Skip(c * span).Take(span).ToList()).ToList();
        var bars = buckets.Select(b => b.MaxBy(d => d.Launchable + d.Retired)!).ToList();
        var top = Math.Max(1, bars.Max(d => d.Launchable + d.Retired));
        for (var row = ChartRows; row >= 1; row--)
        {
            var line = new StringBuilder();
            line.Append(Indent).Append((row == ChartRows ? "AMIs" : "").PadRight(10)).Append((row == ChartRows ? N(top) : "").PadLeft(5)).Append(" │");
            foreach (var d in bars)
            {
                var launchable = Height(d.Launchable, top);
                var total = Height(d.Launchable + d.Retired, top);
                line.Append(row <= launchable ? '█' : row <= total ? '▒' : ' ');
            }

            output.WriteLine(line.ToString().TrimEnd());
        }

        output.WriteLine($"{Indent}{"",10}{"0",5} └{new string('─', columns)}");
        if (region.DaysWithoutLaunchable.Count > 0)
        {
            var without = region.DaysWithoutLaunchable.ToHashSet();
            var marks = buckets.Select(b => b.Any(d => without.Contains(d.Day)) ? '!' : ' ');
            output.WriteLine($"{Indent}{"none",-10}{"",5}  {new string(marks.ToArray()).TrimEnd()}");
        }

        var snapshots = buckets.Select(b => b.Max(d => d.Snapshots)).ToList();
        var most = Math.Max(1, snapshots.Max());
        var spark = snapshots.Select(s => s == 0 ? ' ' : Sparks[Math.Min(Sparks.Length - 1, (int)Math.Ceiling(s * Sparks.Length / (double)most) - 1)]);
        output.WriteLine($"{Indent}{"snapshots",-10}{N(most),5}  {new string(spark.ToArray()).TrimEnd()}");
        output.WriteLine($"{Indent}{"",10}{"day",5}  {Axis(columns, span, days.Count)}");
        output.WriteLine($"{Indent}█ launchable  ▒ retired but billed (disabled, or in the Recycle Bin); a column: {N(span)} day(s), at its busiest");
    }

    private static int Height(int value, int top) =>
        value == 0 ? 0 : Math.Max(1, (int)Math.Round(value * ChartRows / (double)top, MidpointRounding.AwayFromZero));

    /// <summary>Day numbers under the columns: 0, then one every 20 columns or so.</summary>
    private static string Axis(int columns, int span, int days)
    {
        var axis = new char[columns + 8];
        Array.Fill(axis, ' ');
        for (var column = 0; column < columns; column += 20)
        {
            var label = N(column * span);
            label.CopyTo(0, axis, column, Math.Min(label.Length, axis.Length - column));
        }

        var last = N(days - 1);
        if (columns - 1 - ((columns - 1) / 20 * 20) >= last.Length + 1 || columns < 20)
        {
            last.CopyTo(0, axis, Math.Max(0, columns - last.Length), last.Length);
        }

        return new string(axis).TrimEnd();
    }

    /// <summary>Regions whose series are the same are shown once.</summary>
    private static string Signature(RegionForecast region) =>
        string.Join(";", region.Days.Select(d => $"{d.Launchable},{d.Deprecated},{d.Disabled},{d.RecycleBin},{d.Snapshots}")) + "|" + string.Join(",", region.DaysWithoutLaunchable);

    /// <summary>The declared rules in words.</summary>
    public static string Rules(ImageLifecycle? rules)
    {
        if (rules is null)
        {
            return "none (AMIs are kept)";
        }

        var steps = LifecycleEngine.Steps(rules).Select(s => s.Declared.ByAge
            ? $"{s.Name} after {N(s.AgeDays)} days (the newest {N(s.Window)} kept)"
            : $"{s.Name} all but the newest {N(s.Window)} (after 1 day)");
        var bin = rules.RecycleBinDays == 0 && rules.SnapshotRecycleBinDays == 0
            ? "no Recycle Bin"
            : $"Recycle Bin {N(rules.RecycleBinDays)} days (snapshots {N(rules.SnapshotRecycleBinDays)})";
        return $"{string.Join(", ", steps)}; {bin}{(rules.DeleteSnapshots ? "" : "; snapshots kept when AMIs are deleted")}";
    }

    /// <summary>Writes prose within 120 columns, continuation lines indented two more.</summary>
    private static void Wrap(TextWriter output, string indent, string text)
    {
        var line = new StringBuilder(indent);
        foreach (var word in text.Split(' '))
        {
            if (line.Length > indent.Length && line.Length + 1 + word.Length > TableStyle.DefaultWidth)
            {
                output.WriteLine(line.ToString());
                line.Clear().Append(indent).Append("  ");
            }

            if (line.Length > indent.Length && line[^1] != ' ')
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        output.WriteLine(line.ToString());
    }

    private string Date(int day) => forecast.Start.AddDays(day).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
