using AmiInfra.Declaration;

namespace AmiInfra.Declaration.Tests;

/// <summary>
/// Lifecycle rules are checked when the declaration is read: every case below must fail with one
/// message naming the field, the value and what would be accepted.
/// </summary>
public sealed class LifecycleValidationTests
{
    // Only managed components: the base directory needs no files. Every declaration is read by the
    // loader and checked against the schema (they must agree).
    private static readonly string BaseDirectory = Path.GetTempPath();

    private static string Declaration(string lifecycle, string imageLifecycle = "") => $$"""
        {
          "name": "golden",
          "account": "123456789012",
          "region": "us-east-1",
          {{(lifecycle.Length == 0 ? "" : $"\"lifecycle\": {lifecycle},")}}
          "images": [
            {
              "name": "al2023",
              "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
              {{(imageLifecycle.Length == 0 ? "" : $"\"lifecycle\": {imageLifecycle},")}}
              "components": [ { "managed": "update-linux" } ]
            },
            {
              "name": "ubuntu2404",
              "parent": { "ssmParameter": "/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id" },
              "components": [ { "managed": "update-linux" } ]
            }
          ]
        }
        """;

    private static ImageLifecycle Load(string lifecycle, int image = 0) =>
        SchemaAgreement.Parse(Declaration(lifecycle), BaseDirectory).Images[image].Lifecycle!;

    private static DeclarationException Rejected(string lifecycle, string imageLifecycle = "") =>
        Assert.Throws<DeclarationException>(() => SchemaAgreement.Parse(Declaration(lifecycle, imageLifecycle), BaseDirectory));

    [Fact]
    public void Reads_every_field_of_a_full_lifecycle_block()
    {
        var r = Load("""
            {
              "deprecate": { "afterDays": 30 },
              "disable": { "afterDays": 90 },
              "delete": { "keepNewest": 10 },
              "keepAtLeast": 3,
              "deleteSnapshots": false,
              "exclude": {
                "launchedWithinDays": 14,
                "tags": { "retain": "true", "amiinfra:recipe-version": "1.2.3" },
                "public": true,
                "regions": ["eu-west-1"],
                "sharedWithAccounts": ["210987654321"]
              },
              "recycleBin": { "amiRetentionDays": 7, "snapshotRetentionDays": 10 }
            }
            """);

        Assert.Equal(new ImageLifecycleStep(30, null), r.Deprecate);
        Assert.Equal(new ImageLifecycleStep(90, null), r.Disable);
        Assert.Equal(new ImageLifecycleStep(null, 10), r.Delete);
        Assert.Equal(3, r.KeepAtLeast);
        Assert.False(r.DeleteSnapshots);
        Assert.Equal(14, r.Exclusions.LaunchedWithinDays);
        Assert.Equal(new Dictionary<string, string> { ["amiinfra:recipe-version"] = "1.2.3", ["retain"] = "true" }, r.Exclusions.Tags);
        Assert.True(r.Exclusions.Public);
        Assert.Equal(["eu-west-1"], r.Exclusions.Regions);
        Assert.Equal(["210987654321"], r.Exclusions.SharedWithAccounts);
        Assert.Equal(7, r.RecycleBinDays);
        Assert.Equal(10, r.SnapshotRecycleBinDays);
    }

    [Fact]
    public void Defaults_keep_one_ami_delete_snapshots_and_keep_snapshots_in_the_bin_as_long_as_amis()
    {
        var r = Load("""{ "delete": { "afterDays": 365 }, "recycleBin": { "amiRetentionDays": 21 } }""");

        Assert.Null(r.Deprecate);
        Assert.Null(r.Disable);
        Assert.Equal(1, r.KeepAtLeast);
        Assert.True(r.DeleteSnapshots);
        Assert.Equal(21, r.RecycleBinDays);
        Assert.Equal(21, r.SnapshotRecycleBinDays);
    }

    [Fact]
    public void An_image_lifecycle_replaces_the_factory_one_for_that_image_only()
    {
        var factory = SchemaAgreement.Parse(
            Declaration("""{ "delete": { "afterDays": 365 } }""", """{ "delete": { "keepNewest": 5 } }"""),
            BaseDirectory);

        Assert.Equal(new ImageLifecycleStep(null, 5), factory.Images[0].Lifecycle!.Delete);
        Assert.Equal(new ImageLifecycleStep(365, null), factory.Images[1].Lifecycle!.Delete);
    }

    [Fact]
    public void Rejects_disable_before_deprecate()
    {
        var e = Rejected("""{ "deprecate": { "afterDays": 90 }, "disable": { "afterDays": 60 } }""");

        Assert.Equal("lifecycle.disable.afterDays", e.Path);
        Assert.Equal("60", e.Value);
        Assert.StartsWith("more than deprecate.afterDays (90)", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_delete_before_disable()
    {
        var e = Rejected("""{ "disable": { "keepNewest": 10 }, "delete": { "keepNewest": 10 } }""");

        Assert.Equal("lifecycle.delete.keepNewest", e.Path);
        Assert.Equal("10", e.Value);
        Assert.StartsWith("more than disable.keepNewest (10)", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_age_no_unit_of_image_builder_expresses_at_its_field()
    {
        // The rule's edges are Lifecycles.AgeDays's (Rules tests); here, that the loader names the field.
        var e = Rejected("""{ "delete": { "afterDays": 1002 } }""");

        Assert.Equal("lifecycle.delete.afterDays", e.Path);
        Assert.StartsWith("1002", e.Value);
        Assert.Equal(AmiInfra.Rules.Lifecycles.AgeDays(1002)!.Accepted, e.Accepted);
    }

    [Fact]
    public void Rejects_a_count_above_what_image_builder_accepts()
    {
        var e = Rejected("""{ "deprecate": { "keepNewest": 1001 } }""");

        Assert.Equal("lifecycle.deprecate.keepNewest", e.Path);
        Assert.Equal("1001", e.Value);
        Assert.Equal("a whole number from 1 to 1000 AMIs", e.Accepted);
    }

    [Fact]
    public void Rejects_keep_at_least_above_ten()
    {
        var e = Rejected("""{ "delete": { "afterDays": 365 }, "keepAtLeast": 11 }""");

        Assert.Equal("lifecycle.keepAtLeast", e.Path);
        Assert.Equal("11", e.Value);
        Assert.Equal("a whole number from 1 to 10 AMIs (the newest AMIs retirement by age keeps)", e.Accepted);
    }

    [Fact]
    public void Rejects_keep_at_least_zero()
    {
        var e = Rejected("""{ "delete": { "afterDays": 365 }, "keepAtLeast": 0 }""");

        Assert.Equal("lifecycle.keepAtLeast", e.Path);
        Assert.Equal("0", e.Value);
    }

    [Fact]
    public void Rejects_launched_within_days_above_what_image_builder_accepts()
    {
        var e = Rejected("""{ "delete": { "afterDays": 365 }, "exclude": { "launchedWithinDays": 366 } }""");

        Assert.Equal("lifecycle.exclude.launchedWithinDays", e.Path);
        Assert.Equal("366", e.Value);
        Assert.Equal("a whole number from 1 to 365 days", e.Accepted);
    }

    [Fact]
    public void Rejects_a_recycle_bin_retention_above_what_the_recycle_bin_accepts()
    {
        var e = Rejected("""{ "delete": { "afterDays": 365 }, "recycleBin": { "amiRetentionDays": 366 } }""");

        Assert.Equal("lifecycle.recycleBin.amiRetentionDays", e.Path);
        Assert.Equal("366", e.Value);
    }

    [Fact]
    public void Rejects_both_a_count_rule_and_an_age_rule_for_the_same_action()
    {
        var e = Rejected("""{ "delete": { "afterDays": 365, "keepNewest": 10 } }""");

        Assert.Equal("lifecycle.delete", e.Path);
        Assert.Equal("both afterDays and keepNewest", e.Value);
        Assert.Equal("one rule per action: either afterDays (by age) or keepNewest (by count) for delete", e.Accepted);
    }

    [Fact]
    public void Rejects_a_delete_rule_that_keeps_no_ami()
    {
        var e = Rejected("""{ "delete": { "keepNewest": 0 } }""");

        Assert.Equal("lifecycle.delete.keepNewest", e.Path);
        Assert.Equal("0", e.Value);
        Assert.Equal("at least 1: a delete rule that keeps no AMI would leave the image with none", e.Accepted);
    }

    [Fact]
    public void Rejects_a_count_rule_that_keeps_fewer_than_keep_at_least()
    {
        var e = Rejected("""{ "delete": { "keepNewest": 2 }, "keepAtLeast": 3 }""");

        Assert.Equal("lifecycle.delete.keepNewest", e.Path);
        Assert.Equal("2", e.Value);
        Assert.StartsWith("at least keepAtLeast (3)", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_snapshot_retention_shorter_than_the_ami_retention()
    {
        var e = Rejected("""{ "delete": { "afterDays": 365 }, "recycleBin": { "amiRetentionDays": 14, "snapshotRetentionDays": 7 } }""");

        Assert.Equal("lifecycle.recycleBin.snapshotRetentionDays", e.Path);
        Assert.Equal("7", e.Value);
        Assert.StartsWith("at least amiRetentionDays (14)", e.Accepted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("aws:cloudformation:stack-name")]
    [InlineData("Aufbewahrung-Büro")]
    [InlineData("keep|me")]
    public void Rejects_an_exclusion_tag_key_that_image_builder_does_not_accept(string key)
    {
        var e = Rejected($$"""{ "delete": { "afterDays": 365 }, "exclude": { "tags": { "{{key}}": "true" } } }""");

        Assert.Equal($"lifecycle.exclude.tags.{key}", e.Path);
        Assert.Equal($"the tag key \"{key}\"", e.Value);
        Assert.StartsWith("a tag key of 1 to 128 characters", e.Accepted, StringComparison.Ordinal);
    }

    /// <summary>Image Builder's current TagMap pattern, ^(?!aws:)[a-zA-Z0-9\s_.:/=+\-@]*$, takes spaces and @.</summary>
    [Theory]
    [InlineData("keep me")]
    [InlineData("owner@team")]
    public void Accepts_an_exclusion_tag_key_that_image_builder_accepts(string key)
    {
        var factory = SchemaAgreement.Parse(Declaration($$"""{ "delete": { "afterDays": 365 }, "exclude": { "tags": { "{{key}}": "true" } } }"""), Path.GetTempPath());

        Assert.Equal("true", factory.Images[0].Lifecycle!.Exclusions.Tags[key]);
    }

    [Fact]
    public void Rejects_an_excluded_region_that_is_not_a_region()
    {
        var e = Rejected("""{ "delete": { "afterDays": 365 }, "exclude": { "regions": ["eu-west-1", "europe"] } }""");

        Assert.Equal("lifecycle.exclude.regions[1]", e.Path);
        Assert.Equal("\"europe\"", e.Value);
    }

    [Fact]
    public void Rejects_a_lifecycle_without_any_step()
    {
        var e = Rejected("""{ "keepAtLeast": 2 }""");

        Assert.Equal("lifecycle", e.Path);
        Assert.Equal("no retirement step", e.Value);
    }

    [Fact]
    public void Rejects_a_factory_lifecycle_without_any_step_even_when_every_image_has_its_own()
    {
        const string json = """
            {
              "name": "golden",
              "account": "123456789012",
              "region": "us-east-1",
              "lifecycle": { "keepAtLeast": 2 },
              "images": [
                {
                  "name": "al2023",
                  "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
                  "components": [ { "managed": "update-linux" } ],
                  "lifecycle": { "delete": { "afterDays": 365 } }
                }
              ]
            }
            """;

        var e = Assert.Throws<DeclarationException>(() => SchemaAgreement.Parse(json, BaseDirectory));

        Assert.Equal("lifecycle", e.Path);
        Assert.Equal("no retirement step", e.Value);
    }

    [Fact]
    public void Names_the_image_when_its_own_lifecycle_is_wrong()
    {
        var e = Rejected("", """{ "deprecate": { "afterDays": 0 } }""");

        Assert.Equal("images[0].lifecycle.deprecate.afterDays", e.Path);
        Assert.Equal("0", e.Value);
    }

    [Fact]
    public void The_retirement_example_in_the_guide_loads_as_described()
    {
        var guide = File.ReadAllText(Path.Combine(DefaultFactoryTests.RepositoryRoot, "docs", "guide", "retiring-amis.md"));
        var doc = guide[guide.IndexOf("# Retiring AMIs", StringComparison.Ordinal)..];
        var start = doc.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        var json = doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)];

        var factory = FactoryLoader.Parse(json, BaseDirectory);

        var al2023 = factory.Images[0].Lifecycle!;
        Assert.Equal(new ImageLifecycleStep(30, null), al2023.Deprecate);
        Assert.Equal(new ImageLifecycleStep(90, null), al2023.Disable);
        Assert.Equal(new ImageLifecycleStep(180, null), al2023.Delete);
        Assert.Equal(3, al2023.KeepAtLeast);
        Assert.Equal(14, al2023.Exclusions.LaunchedWithinDays);
        var bastion = factory.Images[1].Lifecycle!;
        Assert.Equal(new ImageLifecycleStep(null, 5), bastion.Deprecate);
        Assert.Null(bastion.Disable);
        Assert.Equal(["eu-west-1"], bastion.Exclusions.Regions);
        Assert.Equal((7, 30), (bastion.RecycleBinDays, bastion.SnapshotRecycleBinDays));
    }
}
