using System.Diagnostics;
using AmiInfra.Declaration;
using AmiInfra.Ops.Lifecycle;
using AmiInfra.Ops.Tests.Infrastructure;

namespace AmiInfra.Ops.Tests.Unit;

/// <summary>
/// The day-two invariants over the repository's own declarations (factory/ and every examples/*/factory.json), with
/// and without a long stall: every declared region keeps a launchable AMI every day after the first build, and the
/// number of AMIs stays bounded.
/// </summary>
public sealed class ForecastInvariantTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, bool> Declarations()
    {
        var data = new TheoryData<string, bool>();
        var root = CliRun.RepositoryRoot;
        var files = Directory.GetDirectories(Path.Combine(root, "examples"))
            .Select(d => Path.Combine(d, FactoryLoader.DefaultFileName))
            .Where(File.Exists)
            .Select(f => Path.GetRelativePath(root, f))
            .Order(StringComparer.Ordinal)
            .Prepend(Path.Combine("factory", FactoryLoader.DefaultFileName));
        foreach (var file in files)
        {
            data.Add(file, false);
            data.Add(file, true);
        }

        return data;
    }

    [Fact]
    public void The_repository_has_examples_to_check()
    {
        Assert.True(Declarations().Count >= 8, "expected factory/ and at least three examples");
    }

    [Theory]
    [MemberData(nameof(Declarations))]
    public void Every_declared_region_keeps_a_launchable_ami_and_the_ami_count_stays_bounded(string file, bool stall)
    {
        var factory = FactoryLoader.Load(Path.Combine(CliRun.RepositoryRoot, file));
        var settings = stall ? new ForecastSettings { StallFrom = 100, StallDays = 500 } : new ForecastSettings();

        var clock = Stopwatch.StartNew();
        var forecast = LifecycleForecast.Run(factory, settings, Start);
        clock.Stop();

        Assert.True(forecast.Clean, string.Join("; ", forecast.Images.SelectMany(i => i.Violations.Select(v => $"{i.Image.Name} {v.Region}: {v.Detail}"))));
        foreach (var image in forecast.Images)
        {
            var firstBuild = image.Events.First(e => e.Kind == "build").Day;
            Assert.Equal(image.Image.Distribution.Regions, image.Regions.Select(r => r.Region));
            foreach (var region in image.Regions)
            {
                Assert.All(region.Days.Skip(firstBuild), d => Assert.True(d.Launchable >= 1, $"{image.Image.Name} in {region.Region}: no launchable AMI on day {d.Day}"));
                Assert.True(region.Peak.Amis <= Bound(image), $"{image.Image.Name} in {region.Region}: {region.Peak.Amis} AMIs at once, more than {Bound(image)}");
            }
        }

        Assert.True(clock.ElapsedMilliseconds < 2000, $"the simulation took {clock.ElapsedMilliseconds} ms");
    }

    /// <summary>
    /// The most AMIs that can exist at once: the widest retention window, plus every build of a span as long as the
    /// oldest step's age and the overdue margin (and a day for the policy's time of day). Without a delete step
    /// nothing bounds them but the number of builds.
    /// </summary>
    private static int Bound(ImageForecast image)
    {
        if (image.Image.Lifecycle is not { Delete: not null } rules)
        {
            return image.Builds;
        }

        var steps = LifecycleEngine.Steps(rules);
        var span = steps.Max(s => s.AgeDays) + LifecycleForecast.OverdueMarginDays + 1;
        var builds = image.Events.Where(e => e.Kind == "build").Select(e => e.Day).ToList();
        var busiest = builds.Max(first => builds.Count(d => d >= first && d < first + span));
        return steps.Max(s => s.Window) + busiest;
    }
}
