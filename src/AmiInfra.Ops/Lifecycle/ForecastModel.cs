using AmiInfra.Declaration;

namespace AmiInfra.Ops.Lifecycle;

/// <summary>What <c>lifecycle forecast</c> simulates.</summary>
public sealed record ForecastSettings
{
    /// <summary>Days simulated (day 0 is the first). Default: 730.</summary>
    public int Days { get; init; } = 730;

    /// <summary>Every this many days the image's content changes (a new recipe version). Default: 30.</summary>
    public int ContentChangeDays { get; init; } = 30;

    /// <summary>The first day no build succeeds, or null for no stall.</summary>
    public int? StallFrom { get; init; }

    /// <summary>How many days no build succeeds from <see cref="StallFrom"/>.</summary>
    public int StallDays { get; init; }

    /// <summary>The images simulated; empty: every image of the declaration.</summary>
    public IReadOnlyList<string> Images { get; init; } = [];

    /// <summary>
    /// Whether the retention marker runs. Default: true. Off, the simulation shows what the retention tags prevent
    /// (the tests use it; the command always simulates the marker).
    /// </summary>
    internal bool Marker { get; init; } = true;

    /// <summary>Whether no build succeeds on <paramref name="day"/>.</summary>
    public bool Stalled(int day) => StallFrom is { } from && day >= from && day < from + StallDays;
}

/// <summary>The state of one image in one region at the end of a day.</summary>
/// <param name="Day">The day.</param>
/// <param name="Launchable">Available AMIs (deprecated ones included: they launch).</param>
/// <param name="Deprecated">Of those, the deprecated ones.</param>
/// <param name="Disabled">Disabled AMIs: registered, not launchable, their snapshots billed.</param>
/// <param name="RecycleBin">Deregistered AMIs still in the Recycle Bin.</param>
/// <param name="Snapshots">Snapshots billed: of registered AMIs, in the Recycle Bin, or left behind (deleteSnapshots false).</param>
public sealed record ForecastDay(int Day, int Launchable, int Deprecated, int Disabled, int RecycleBin, int Snapshots)
{
    /// <summary>AMIs that exist: launchable and disabled.</summary>
    public int Registered => Launchable + Disabled;

    /// <summary>Retired but still billed: disabled, or in the Recycle Bin.</summary>
    public int Retired => Disabled + RecycleBin;
}

/// <summary>The highest counts of one image in one region, at any moment of the simulation.</summary>
/// <param name="Amis">Most AMIs registered at once.</param>
/// <param name="Launchable">Most launchable AMIs at once.</param>
/// <param name="Snapshots">Most snapshots billed at once.</param>
/// <param name="GiB">Most GiB of snapshots billed at once (root volume size x snapshots: an upper bound, EBS bills the blocks written).</param>
/// <param name="Day">The first day the snapshots peaked.</param>
public sealed record ForecastPeak(int Amis, int Launchable, int Snapshots, int GiB, int Day);

/// <summary>One image in one region over the simulation.</summary>
/// <param name="Region">The region.</param>
/// <param name="Days">The state at the end of each day.</param>
/// <param name="Peak">The highest counts.</param>
/// <param name="DaysWithoutLaunchable">Days after the first build with a moment without any launchable AMI.</param>
public sealed record RegionForecast(string Region, IReadOnlyList<ForecastDay> Days, ForecastPeak Peak, IReadOnlyList<int> DaysWithoutLaunchable);

/// <summary>Something that happened in the simulation.</summary>
/// <param name="Day">The day.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Kind">build, content-change, stall, stall-end, deprecate, disable, delete, deprecate-skipped, disable-skipped, delete-skipped (a policy rule matched, an exclusion skipped the AMIs; the first time per build and reason), recycle-bin-expiry.</param>
/// <param name="Build">The build it concerns (1 for the first), or null.</param>
/// <param name="Regions">The regions it happened in.</param>
/// <param name="Detail">What, in words.</param>
public sealed record ForecastEvent(int Day, DateTimeOffset At, string Kind, int? Build, IReadOnlyList<string> Regions, string Detail);

/// <summary>A broken invariant.</summary>
/// <param name="Kind">no-launchable-ami (a day after the first build without a launchable AMI) or overdue-ami (an AMI the rules retire that outlives them).</param>
/// <param name="Region">Where.</param>
/// <param name="FirstDay">The first day it was seen.</param>
/// <param name="LastDay">The last day it was seen.</param>
/// <param name="Detail">What, in words.</param>
public sealed record ForecastViolation(string Kind, string Region, int FirstDay, int LastDay, string Detail);

/// <summary>One image over the simulation.</summary>
/// <param name="Image">The image as declared.</param>
/// <param name="Schedule">When it builds, in words.</param>
/// <param name="Builds">How many builds succeeded.</param>
/// <param name="Regions">Each declared region.</param>
/// <param name="Events">Everything that happened, in order.</param>
/// <param name="Violations">The broken invariants.</param>
/// <param name="Notes">What the reader should know about this image's simulation.</param>
public sealed record ImageForecast(Image Image, string Schedule, int Builds, IReadOnlyList<RegionForecast> Regions, IReadOnlyList<ForecastEvent> Events, IReadOnlyList<ForecastViolation> Violations, IReadOnlyList<string> Notes);

/// <summary>The whole simulation.</summary>
/// <param name="Factory">The factory name.</param>
/// <param name="Start">Day 0, 00:00 UTC.</param>
/// <param name="Settings">What was simulated.</param>
/// <param name="Images">Each image simulated.</param>
public sealed record Forecast(string Factory, DateTimeOffset Start, ForecastSettings Settings, IReadOnlyList<ImageForecast> Images)
{
    /// <summary>True when no invariant broke.</summary>
    public bool Clean => Images.All(i => i.Violations.Count == 0);
}
