using AmiInfra.Rules;

namespace AmiInfra.Rules.Tests;

/// <summary>Lifecycle steps and build settings at their edges.</summary>
public sealed class LifecycleAndBuildTests
{
    private static Problem? Steps(int keepAtLeast, params LifecycleStepRule[] steps) => Lifecycles.Steps(steps, keepAtLeast);

    private static LifecycleStepRule R(string name, int? afterDays, int? keepNewest) => new(name, afterDays, keepNewest);

    [Fact]
    public void Takes_ages_and_counts_from_1_to_1000_and_retain_at_least_from_1_to_10()
    {
        var (min, max) = Lifecycles.FilterValue;
        Assert.Null(Steps(1, R("delete", min, null)));
        Assert.Null(Steps(10, R("delete", max, null)));
        Assert.Null(Steps(1, R("delete", null, max)));
        Assert.Equal("delete.afterDays", Steps(1, R("delete", Lifecycles.MaxAgeDays + 1, null))?.Part);
        Assert.Equal("delete.keepNewest", Steps(1, R("delete", null, 0))?.Part);
        Assert.Equal("deprecate.keepNewest", Steps(1, R("deprecate", null, min - 1))?.Part);
        Assert.Equal("keepAtLeast", Steps(Lifecycles.RetainAtLeast.Max + 1, R("delete", 30, null))?.Part);
        Assert.Equal("keepAtLeast", Steps(Lifecycles.RetainAtLeast.Min - 1, R("delete", 30, null))?.Part);
    }

    [Theory]
    [InlineData(1, 1, "DAYS")]
    [InlineData(1000, 1000, "DAYS")]
    [InlineData(1001, 143, "WEEKS")]
    [InlineData(1400, 200, "WEEKS")]
    [InlineData(7000, 1000, "WEEKS")]
    public void An_age_goes_in_days_up_to_1000_then_in_weeks_when_it_is_a_whole_number_of_them(int days, int value, string unit)
    {
        Assert.Equal((value, unit), Lifecycles.AgeFilter(days));
        Assert.Null(Lifecycles.AgeDays(days));
        Assert.Null(Steps(1, R("delete", days, null)));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(1002, "1002 (1002 days is more than 1000 days and not a whole number of weeks)")]
    [InlineData(7001, "7001")]
    [InlineData(7007, "7007")]
    public void An_age_no_unit_expresses_is_refused_saying_why(int days, string value)
    {
        Assert.Null(Lifecycles.AgeFilter(days));
        var problem = Lifecycles.AgeDays(days);
        Assert.NotNull(problem);
        Assert.Equal(value, problem.Value);
        Assert.StartsWith("an age Image Builder can express: 1 to 1000 days, or a whole number of weeks up to 1000 weeks (7000 days); it takes at most 1000 of a unit, and months and years are not whole numbers of days", problem.Accepted);
        Assert.Equal("delete.afterDays", Steps(1, R("delete", days, null))?.Part);
        if (days == 1002)
        {
            Assert.EndsWith(": 1001 or 1008 days, for example", problem.Accepted);
        }
    }

    [Theory]
    [InlineData(14, 14, true)]
    [InlineData(30, 14, true)]
    [InlineData(13, 14, false)]
    public void The_recycle_bin_keeps_snapshots_at_least_as_long_as_amis(int snapshotDays, int amiDays, bool accepted)
    {
        var problem = Lifecycles.SnapshotRetention(snapshotDays, amiDays, "amiRetentionDays");

        Assert.Equal(accepted, problem is null);
        if (problem is not null)
        {
            Assert.Equal("13", problem.Value);
            Assert.Equal("at least amiRetentionDays (14): a restored AMI needs its snapshots, so snapshots stay in the Recycle Bin at least as long", problem.Accepted);
        }
    }

    [Fact]
    public void Wants_later_steps_later_and_disabling_counts_to_keep_at_least_keep_at_least()
    {
        Assert.Equal("disable.afterDays", Steps(1, R("deprecate", 90, null), R("disable", 90, null))?.Part);
        Assert.Null(Steps(1, R("deprecate", 90, null), R("disable", 91, null)));
        Assert.Null(Steps(1, R("deprecate", null, 5), R("disable", 30, null)));
        Assert.Equal("delete.keepNewest", Steps(3, R("delete", null, 2))?.Part);
        Assert.Null(Steps(3, R("deprecate", null, 2), R("delete", null, 3)));
    }

    [Fact]
    public void A_window_holds_the_count_of_a_count_step_and_keep_at_least_for_an_age_step()
    {
        Assert.Equal(5, Lifecycles.WindowSize(R("delete", null, 5), 3));
        Assert.Equal(3, Lifecycles.WindowSize(R("delete", 365, null), 3));
        Assert.Equal(1, Lifecycles.WindowSize(R("deprecate", 30, null), 1));
        Assert.Equal(
            ["amiinfra:retain-deprecate", "amiinfra:retain-disable", "amiinfra:retain-delete"],
            Lifecycles.StepNames.Select(AmiTagKeys.Retain));
    }

    [Fact]
    public void With_windows_declared_exclusion_tags_leave_room_for_the_retention_tag_and_do_not_use_it()
    {
        var tags = Enumerable.Range(0, Lifecycles.MaxTags - 1).ToDictionary(i => $"k{i}", _ => "v");
        Assert.Null(Lifecycles.ExclusionTags(tags, retentionWindows: true));
        tags["one-more"] = "v";
        Assert.Equal("50 tags", Lifecycles.ExclusionTags(tags, retentionWindows: true)?.Value);
        Assert.Null(Lifecycles.ExclusionTags(tags, retentionWindows: false));
        Assert.Equal(AmiTagKeys.RetainDisable, Lifecycles.ExclusionTags(new Dictionary<string, string> { [AmiTagKeys.RetainDisable] = "true" }, retentionWindows: true)?.Part);
    }

    [Fact]
    public void Names_the_parts_in_the_callers_words()
    {
        var problem = Lifecycles.Steps([R("deprecate", 90, null), R("disable", 30, null)], 1, part => part.ToUpperInvariant());

        Assert.Equal("DISABLE.AFTERDAYS", problem?.Part);
        Assert.StartsWith("more than DEPRECATE.AFTERDAYS (90)", problem!.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Measures_user_data_in_bytes_of_utf8()
    {
        Assert.Null(Builds.UserData(new string('#', Builds.MaxUserDataBytes)));
        Assert.Equal("a script of 16,384 bytes", Builds.UserData(new string('#', Builds.MaxUserDataBytes + 1))?.Value);
        Assert.Equal("a script of 16,384 bytes", Builds.UserData(new string('é', 8192))?.Value);
        Assert.NotNull(Builds.UserData(""));
    }

    [Fact]
    public void Takes_descriptions_of_1024_characters_and_not_more()
    {
        Assert.Null(Builds.Description(new string('d', Builds.MaxDescriptionLength)));
        Assert.Equal("1025 characters", Builds.Description(new string('d', Builds.MaxDescriptionLength + 1))?.Value);
    }

    [Theory]
    [InlineData(0, "0 characters")]
    [InlineData(1, null)]
    [InlineData(1024, null)]
    [InlineData(1025, "1025 characters")]
    public void Takes_resource_and_ami_descriptions_of_1_to_1024_characters(int length, string? refused)
    {
        var problem = Builds.ResourceDescription(new string('d', length));

        Assert.Equal(refused, problem?.Value);
        Assert.Equal(refused is null ? null : "1 to 1024 characters", problem?.Accepted);
    }

    [Fact]
    public void Takes_each_cloudwatch_logs_retention_and_no_other()
    {
        Assert.All(Builds.LogGroupRetentionDays, days => Assert.Null(Builds.LogGroupRetention(days)));
        foreach (var days in Builds.LogGroupRetentionDays)
        {
            if (!Builds.LogGroupRetentionDays.Contains(days + 1))
            {
                Assert.Equal((days + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Builds.LogGroupRetention(days + 1)?.Value);
            }
        }

        Assert.NotNull(Builds.LogGroupRetention(0));
    }

    [Fact]
    public void Takes_a_metadata_hop_limit_from_1_to_64()
    {
        Assert.Equal((1, 64), Builds.MetadataHopLimit);
    }
}
