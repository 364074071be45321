using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmiInfra.Constructs.Lifecycle;
using AmiInfra.Constructs.Tests.Infrastructure;
using AmiInfra.Rules;

namespace AmiInfra.Constructs.Tests.Lifecycle;

/// <summary>
/// The retention marker's code, exactly as the template carries it inline, run with python3 and botocore (as in Lambda's
/// python3.12 runtime) against moto_server, through a <see cref="FaultProxy"/>, with the configuration
/// <see cref="RetentionMarker.Inputs"/> writes. One factory account and one target account, two regions, three runs:
/// the first marks what was seeded (scheduled), the second follows a newer AMI (an image state change), the third
/// meets refused calls. The scenario runs once; the tests read what each run left.
/// </summary>
public sealed class RetentionMarkerScenario : IDisposable
{
    public const string Factory = "210000000001";
    public const string Target = "210000000002";
    public const string Home = "us-east-1";
    public const string Other = "eu-west-1";

    private static readonly DateTime Day0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _folder = Directory.CreateTempSubdirectory("amiinfra-marker-").FullName;
    private readonly MotoServer _moto = MotoServer.Acquire();

    public RetentionMarkerScenario()
    {
        File.WriteAllText(Path.Combine(_folder, "index.py"), RetentionMarker.HandlerSource);
        var moto = _moto;
        Proxy = new FaultProxy(moto.Endpoint);
        Input = Assert.Single(RetentionMarker.Inputs(Props));

        // Run 1: what the distribution left, some of it tagged already, some of it wrongly.
        var seeded = Drive(
            Seed(Factory, Home, ("a0", Al2023(("amiinfra:retain-delete", "true"), ("amiinfra:retain-deprecate", "true"))), ("a1", Al2023(("amiinfra:retain-disable", "true"))), ("a2", Al2023()), ("a3", Al2023()), ("a4", Al2023(("amiinfra:retain-delete", "true"))), ("a5", Al2023())),
            Seed(Factory, Home, ("u1", Ubuntu()), ("u2", Ubuntu()), ("u3", Ubuntu())),
            Seed(Factory, Home, ("o1", new Dictionary<string, string> { [AmiTagKeys.Factory] = "other", [AmiTagKeys.Image] = "al2023", [AmiTagKeys.RetainDelete] = "true" })),
            Seed(Factory, Other, ("b1", Al2023()), ("b2", Al2023())),
            Seed(Target, Home, ("c1", Al2023()), ("c2", Al2023())),
            Seed(Target, Other, ("d1", Al2023())));
        Name(seeded, ["a0", "a1", "a2", "a3", "a4", "a5"], ["u1", "u2", "u3"], ["o1"], ["b1", "b2"], ["c1", "c2"], ["d1"]);
        Date(("a1", 1), ("a2", 2), ("a3", 3), ("a4", 4), ("a5", 5), ("a0", 9), ("u1", 1), ("u2", 2), ("u3", 2), ("o1", 8), ("b1", 1), ("b2", 2), ("c1", 1), ("c2", 2), ("d1", 1));
        Proxy.States[Ids["a0"]] = "disabled";
        (First, FirstState, FirstCalls) = MarkAndRead(Scheduled);

        // Run 2: a newer build of al2023 in the home region of both accounts, announced by its state change.
        Name(Drive(Seed(Factory, Home, ("a6", Al2023())), Seed(Target, Home, ("c3", Al2023()))), ["a6"], ["c3"]);
        Date(("a6", 6), ("c3", 3));
        (Second, SecondState, SecondCalls) = MarkAndRead(Built("arn:aws:imagebuilder:us-east-1:210000000001:image/golden-al2023/1.0.42/1"));

        // Run 3: newer builds everywhere, and EC2 refuses some calls: removals in the target account, one addition in eu-west-1.
        Name(Drive(Seed(Factory, Home, ("a7", Al2023())), Seed(Factory, Other, ("b3", Al2023())), Seed(Target, Home, ("c4", Al2023()))), ["a7"], ["b3"], ["c4"]);
        Date(("a7", 7), ("b3", 3), ("c4", 4));
        var targetAmis = new[] { "c1", "c2", "c3", "c4" }.Select(n => Ids[n]).ToHashSet(StringComparer.Ordinal);
        Proxy.Refuse = call =>
            (call.Action == "DeleteTags" && call.ResourceIds.Any(targetAmis.Contains))
            || (call.Action == "CreateTags" && call.Region == Other && call.ResourceIds.Contains(Ids["b3"]));
        (Third, ThirdState, ThirdCalls) = MarkAndRead(Scheduled);
    }

    /// <summary>al2023: deprecate and disable by age (window 1), delete all but the newest 3, copied into the target account; ubuntu: delete by age (window 1), home region only.</summary>
    public static RetentionMarkerProps Props { get; } = new()
    {
        FactoryName = "golden",
        Images =
        [
            new RetentionMarkerImage
            {
                ImageName = "al2023",
                RecipeName = "golden-al2023",
                Regions = [Home, Other],
                TargetAccounts = [Target],
                Deprecate = LifecycleRule.Age(30),
                Disable = LifecycleRule.Age(90),
                Delete = LifecycleRule.Count(3),
            },
            new RetentionMarkerImage { ImageName = "ubuntu", RecipeName = "golden-ubuntu", Regions = [Home], Delete = LifecycleRule.Age(365) },
        ],
    };

    public FaultProxy Proxy { get; }

    public string Input { get; }

    /// <summary>AMI ids by the names the scenario gives them.</summary>
    public Dictionary<string, string> Ids { get; } = new(StringComparer.Ordinal);

    public JsonNode First { get; }

    public JsonNode Second { get; }

    public JsonNode Third { get; }

    public JsonNode FirstState { get; }

    public JsonNode SecondState { get; }

    public JsonNode ThirdState { get; }

    public IReadOnlyList<ProxiedCall> FirstCalls { get; }

    public IReadOnlyList<ProxiedCall> SecondCalls { get; }

    public IReadOnlyList<ProxiedCall> ThirdCalls { get; }

    /// <summary>The image of an AMI, by its id.</summary>
    public string ImageOf(string id) => Ids.Single(i => i.Value == id).Key.StartsWith('u') ? "ubuntu" : Ids.Single(i => i.Value == id).Key.StartsWith('o') ? "other" : "al2023";

    /// <summary>The retention tags of one AMI, by its scenario name, after a run: "deprecate,disable,delete" in that order.</summary>
    public string Marks(JsonNode state, string name)
    {
        var id = Ids[name];
        foreach (var account in new[] { Factory, Target })
        {
            foreach (var region in new[] { Home, Other })
            {
                if (state[account]?[region]?[id] is JsonObject tags)
                {
                    return string.Join(",", Lifecycles.StepNames.Where(s => (string?)tags[AmiTagKeys.Retain(s)] == "true"));
                }
            }
        }

        throw new InvalidOperationException($"{name} ({id}) is in no state");
    }

    /// <summary>Every tag of every AMI after a run (to compare runs).</summary>
    public static string Everything(JsonNode state) => state.ToJsonString();

    public void Dispose()
    {
        Proxy.Dispose();
        MotoServer.Release();
        Directory.Delete(_folder, recursive: true);
    }

    private JsonObject Scheduled => JsonNode.Parse(RetentionMarker.ScheduledInput(Input))!.AsObject();

    private JsonObject Built(string imageArn) => JsonNode.Parse(RetentionMarker.EventInput(Input).Replace("<image>", imageArn, StringComparison.Ordinal))!.AsObject();

    private static Dictionary<string, string> Al2023(params (string Key, string Value)[] tags) => Tagged("al2023", tags);

    private static Dictionary<string, string> Ubuntu() => Tagged("ubuntu", []);

    private static Dictionary<string, string> Tagged(string image, (string Key, string Value)[] tags)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal) { [AmiTagKeys.Factory] = "golden", [AmiTagKeys.Image] = image };
        foreach (var (key, value) in tags)
        {
            all[key] = value;
        }

        return all;
    }

    private static object Seed(string account, string region, params (string Name, Dictionary<string, string> Tags)[] amis) =>
        new { seed = new { account, region, amis = amis.Select(a => new { name = $"golden-{a.Name}", tags = a.Tags }).ToArray() } };

    private void Name(JsonArray results, params string[][] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            var ids = results[i]!.AsArray();
            for (var n = 0; n < names[i].Length; n++)
            {
                Ids[names[i][n]] = (string)ids[n]!;
            }
        }
    }

    private void Date(params (string Name, int Day)[] amis)
    {
        foreach (var (name, day) in amis)
        {
            Proxy.CreationDates[Ids[name]] = Day0.AddDays(day).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }
    }

    private (JsonNode Result, JsonNode State, IReadOnlyList<ProxiedCall> Calls) MarkAndRead(JsonObject @event)
    {
        Proxy.Calls.Clear();
        var results = Drive(
            new { mark = new { account = Factory, region = Home, @event } },
            new { state = new { accounts = new[] { Factory, Target }, regions = new[] { Home, Other } } });
        return (results[0]!, results[1]!, [.. Proxy.Calls]);
    }

    private JsonArray Drive(params object[] steps)
    {
        var driver = Path.Combine(AppContext.BaseDirectory, "Lifecycle", "retention_marker_driver.py");
        var start = new ProcessStartInfo("python3", [driver])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var process = Process.Start(start)!;
        process.StandardInput.Write(JsonSerializer.Serialize(new { moto = _moto.Endpoint, proxy = Proxy.Endpoint, handler = _folder, steps }));
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the driver failed (python3 with boto3, which moto installs): {stderr.Result}");
        }

        return JsonNode.Parse(stdout)!.AsArray();
    }
}

public sealed class RetentionMarkerHandlerTests(RetentionMarkerScenario scenario) : IClassFixture<RetentionMarkerScenario>
{
    private string Marks(JsonNode state, string name) => scenario.Marks(state, name);

    [Fact]
    public void The_configuration_of_the_marker_fits_in_one_input_and_names_every_window()
    {
        var config = JsonNode.Parse(scenario.Input)!;
        Assert.Equal("golden", (string?)config["factory"]);
        Assert.Equal("golden-retention-marker-target", (string?)config["targetRole"]);
        var al2023 = config["images"]![0]!;
        Assert.Equal(["210000000002"], al2023["accounts"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("{\"delete\":3,\"deprecate\":1,\"disable\":1}", al2023["windows"]!.ToJsonString());
        Assert.Equal("{\"delete\":1}", config["images"]![1]!["windows"]!.ToJsonString());
    }

    /// <summary>Run 1: the newest available AMIs of each image, in each region and account, carry their windows' tags, and no other AMI of the image does.</summary>
    [Fact]
    public void Marks_the_newest_available_amis_of_each_image_in_every_region_and_account()
    {
        Assert.True((bool)scenario.First["ok"]!, (string?)scenario.First["error"]);
        var state = scenario.FirstState;
        Assert.Equal("deprecate,disable,delete", Marks(state, "a5"));
        Assert.Equal("delete", Marks(state, "a4"));
        Assert.Equal("delete", Marks(state, "a3"));
        Assert.Equal("", Marks(state, "a2"));
        Assert.Equal("", Marks(state, "a1"));
        Assert.Equal("deprecate,disable,delete", Marks(state, "b2"));
        Assert.Equal("delete", Marks(state, "b1"));
        Assert.Equal("deprecate,disable,delete", Marks(state, "c2"));
        Assert.Equal("delete", Marks(state, "c1"));
        Assert.Equal("deprecate,disable,delete", Marks(state, "d1"));
        Assert.Equal("", Marks(state, "u1"));
    }

    [Fact]
    public void A_disabled_ami_takes_no_place_in_a_window_and_loses_its_marks()
    {
        Assert.Equal("", Marks(scenario.FirstState, "a0"));
    }

    [Fact]
    public void Amis_created_at_the_same_time_are_ranked_by_id()
    {
        var (first, second) = string.CompareOrdinal(scenario.Ids["u2"], scenario.Ids["u3"]) < 0 ? ("u2", "u3") : ("u3", "u2");
        Assert.Equal("delete", Marks(scenario.FirstState, first));
        Assert.Equal("", Marks(scenario.FirstState, second));
    }

    [Fact]
    public void Another_factorys_amis_are_never_touched()
    {
        Assert.Equal("delete", Marks(scenario.FirstState, "o1"));
        Assert.DoesNotContain(scenario.FirstCalls.Concat(scenario.SecondCalls).Concat(scenario.ThirdCalls), c => c.ResourceIds.Contains(scenario.Ids["o1"]));
    }

    [Fact]
    public void Lists_own_amis_with_the_factory_and_image_tags_deprecated_and_disabled_included()
    {
        var describe = scenario.FirstCalls.First(c => c.Action == "DescribeImages");
        Assert.Equal("self", describe.Parameters["Owner.1"]);
        Assert.Equal("true", describe.Parameters["IncludeDeprecated"]);
        Assert.Equal("true", describe.Parameters["IncludeDisabled"]);
        Assert.Equal(("tag:amiinfra:factory", "golden"), (describe.Parameters["Filter.1.Name"], describe.Parameters["Filter.1.Value.1"]));
        Assert.Equal("tag:amiinfra:image", describe.Parameters["Filter.2.Name"]);
    }

    [Fact]
    public void Assumes_the_marker_role_of_the_target_account_once_per_run()
    {
        var assume = Assert.Single(scenario.FirstCalls, c => c.Action == "AssumeRole");
        Assert.Equal("arn:aws:iam::210000000002:role/golden-retention-marker-target", assume.Parameters["RoleArn"]);
    }

    [Fact]
    public void Changes_only_what_differs_and_logs_one_json_line_per_change()
    {
        var log = scenario.First["log"]!.AsArray();
        var changes = log.Where(l => l!["change"] is not null && (string?)l["change"] != "none").ToList();

        // a4 carried retain-delete already: no call adds it again.
        Assert.DoesNotContain(scenario.FirstCalls, c => c.Action == "CreateTags" && c.ResourceIds.Contains(scenario.Ids["a4"]) && c.Parameters["Tag.1.Key"] == AmiTagKeys.RetainDelete);
        Assert.Contains(changes, l => (string?)l!["change"] == "untagged" && (string?)l["ami"] == scenario.Ids["a0"] && (string?)l["key"] == AmiTagKeys.RetainDelete);
        Assert.Contains(changes, l => (string?)l!["change"] == "untagged" && (string?)l["ami"] == scenario.Ids["a1"] && (string?)l["key"] == AmiTagKeys.RetainDisable);
        Assert.Contains(changes, l => (string?)l!["change"] == "tagged" && (string?)l["ami"] == scenario.Ids["c2"] && (string?)l["account"] == RetentionMarkerScenario.Target && (string?)l["region"] == "us-east-1");
        var tagCalls = scenario.FirstCalls.Where(c => c.Action is "CreateTags" or "DeleteTags").Sum(c => c.ResourceIds.Count);
        Assert.Equal(tagCalls, changes.Count);
    }

    [Fact]
    public void Adds_every_mark_before_it_removes_any_in_a_region()
    {
        foreach (var run in new[] { scenario.FirstCalls, scenario.SecondCalls, scenario.ThirdCalls })
        {
            var tagging = run.Where(c => c.Action is "CreateTags" or "DeleteTags").ToList();
            Assert.NotEmpty(tagging);
            foreach (var image in tagging.GroupBy(c => (c.Region, c.AccessKey, Image: scenario.ImageOf(c.ResourceIds[0]))))
            {
                var actions = image.Select(c => c.Action).ToList();
                var firstDelete = actions.IndexOf("DeleteTags");
                Assert.True(firstDelete < 0 || actions.Skip(firstDelete).All(a => a == "DeleteTags"), string.Join(", ", actions));
            }
        }
    }

    /// <summary>Run 2: a newer build enters the windows, the oldest leave them, and nothing else changes.</summary>
    [Fact]
    public void A_newer_ami_moves_the_windows_and_nothing_else_changes()
    {
        Assert.True((bool)scenario.Second["ok"]!, (string?)scenario.Second["error"]);
        var state = scenario.SecondState;
        Assert.Equal("deprecate,disable,delete", Marks(state, "a6"));
        Assert.Equal("delete", Marks(state, "a5"));
        Assert.Equal("delete", Marks(state, "a4"));
        Assert.Equal("", Marks(state, "a3"));
        Assert.Equal("deprecate,disable,delete", Marks(state, "c3"));
        Assert.Equal("delete", Marks(state, "c2"));
        Assert.Equal("delete", Marks(state, "c1"));

        var before = scenario.FirstState.DeepClone();
        var after = scenario.SecondState.DeepClone();
        foreach (var name in new[] { "a3", "a4", "a5", "a6", "c1", "c2", "c3" })
        {
            foreach (var state2 in new[] { before, after })
            {
                foreach (var account in state2.AsObject())
                {
                    foreach (var region in account.Value!.AsObject())
                    {
                        region.Value!.AsObject().Remove(scenario.Ids[name]);
                    }
                }
            }
        }

        Assert.Equal(RetentionMarkerScenario.Everything(before), RetentionMarkerScenario.Everything(after));
    }

    [Fact]
    public void An_image_state_change_marks_only_the_image_it_names()
    {
        var describes = scenario.SecondCalls.Where(c => c.Action == "DescribeImages").ToList();
        Assert.NotEmpty(describes);
        Assert.All(describes, d =>
        {
            Assert.Equal("al2023", d.Parameters["Filter.2.Value.1"]);
            Assert.False(d.Parameters.ContainsKey("Filter.2.Value.2"));
        });
    }

    /// <summary>Run 3: refused removals leave the old marks (more kept, never less); a refused addition keeps the image's old marks; the rest goes on; the run fails.</summary>
    [Fact]
    public void A_refused_removal_keeps_the_old_marks_and_the_new_ones_are_added()
    {
        var state = scenario.ThirdState;
        Assert.Equal("deprecate,disable,delete", Marks(state, "c4"));
        Assert.Equal("deprecate,disable,delete", Marks(state, "c3"));
        Assert.Equal("delete", Marks(state, "c2"));
        Assert.Equal("delete", Marks(state, "c1"));
    }

    [Fact]
    public void A_refused_addition_removes_nothing_from_that_image()
    {
        var state = scenario.ThirdState;
        Assert.Equal("", Marks(state, "b3"));
        Assert.Equal("deprecate,disable,delete", Marks(state, "b2"));
        Assert.Equal("delete", Marks(state, "b1"));
        Assert.DoesNotContain(scenario.ThirdCalls, c => c.Action == "DeleteTags" && c.Region == RetentionMarkerScenario.Other);
        Assert.Contains(scenario.Third["log"]!.AsArray(), l => (string?)l!["change"] == "none" && (string?)l["region"] == RetentionMarkerScenario.Other);
    }

    [Fact]
    public void A_failure_elsewhere_does_not_stop_the_others()
    {
        var state = scenario.ThirdState;
        Assert.Equal("deprecate,disable,delete", Marks(state, "a7"));
        Assert.Equal("delete", Marks(state, "a6"));
        Assert.Equal("delete", Marks(state, "a5"));
        Assert.Equal("", Marks(state, "a4"));
        Assert.Equal("deprecate,disable,delete", Marks(state, "d1"));
    }

    [Fact]
    public void A_run_with_failures_fails_the_invocation_naming_each()
    {
        Assert.False((bool)scenario.Third["ok"]!);
        var error = (string)scenario.Third["error"]!;
        // Three removals in the target account (retain-deprecate and retain-disable from c3, retain-delete from c1), three additions to b3.
        Assert.StartsWith("RuntimeError: 6 retention marking(s) failed", error, StringComparison.Ordinal);
        Assert.Contains(scenario.Ids["b3"], error, StringComparison.Ordinal);
        Assert.Contains(scenario.Ids["c1"], error, StringComparison.Ordinal);
        Assert.Contains(scenario.Ids["c3"], error, StringComparison.Ordinal);
        Assert.Contains("UnauthorizedOperation", error, StringComparison.Ordinal);
        Assert.Equal(6, scenario.Third["log"]!.AsArray().Count(l => l!["failure"] is not null));
    }
}
