using System.Text.Json.Nodes;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Redistribution;

namespace AmiInfra.Ops.Tests.Unit;

public sealed class RedistributionPlanTests
{
    private const string Owner = "111111111111";
    private const string Source = "arn:aws:imagebuilder:us-east-1:111111111111:image/f-app/1.0.9/1";

    private static JsonArray Deployed() => JsonNode.Parse("""
        [
          { "region": "us-east-1", "amiDistributionConfiguration": { "name": "a", "targetAccountIds": ["222222222222", "333333333333"] }, "ssmParameterConfigurations": [ { "parameterName": "/f/app" } ] },
          { "region": "eu-west-1", "amiDistributionConfiguration": { "name": "a", "targetAccountIds": ["222222222222", "333333333333"], "amiTags": { "team": "platform" } }, "ssmParameterConfigurations": [ { "parameterName": "/f/app" } ], "launchTemplateConfigurations": [ { "launchTemplateId": "lt-0123456789abcdef0" } ] },
          { "region": "ap-south-1", "containerDistributionConfiguration": { "targetRepository": { "service": "ECR", "repositoryName": "r" } } }
        ]
        """)!.AsArray();

    private static ImageBuild Build(string arn, string status = "AVAILABLE", Dictionary<string, string>? tags = null, params ImageOutput[] outputs) =>
        new(arn, status, null, outputs, tags ?? [], null);

    [Fact]
    public void Targets_are_each_regions_own_account_and_its_target_accounts_and_not_container_distributions()
    {
        var targets = RedistributionPlan.Targets(Deployed(), Owner);

        Assert.Equal(6, targets.Count);
        Assert.Equal(["us-east-1", "eu-west-1"], targets.Select(t => t.Region).Distinct());
        Assert.Equal([Owner, "222222222222", "333333333333"], targets.Where(t => t.Region == "eu-west-1").Select(t => t.Account));
    }

    [Fact]
    public void An_output_without_an_account_is_the_owners_and_a_running_redistribution_counts_only_for_its_own_targets()
    {
        var source = Build(Source, outputs: [new ImageOutput("us-east-1", null, "ami-1"), new ImageOutput("us-east-1", "222222222222", "ami-2")]);
        var running = Build(Source[..^1] + "2", "DISTRIBUTING", new() { [RedistributionPlan.RedistributesTag] = Source });
        var headed = new Dictionary<string, IReadOnlyList<DistributionTarget>> { [running.Arn] = [new DistributionTarget("eu-west-1", Owner)] };

        var status = RedistributionPlan.Status(RedistributionPlan.Targets(Deployed(), Owner), source, [running], headed, Owner);

        Assert.Equal(
            [TargetState.Present, TargetState.Present, TargetState.Missing, TargetState.Distributing, TargetState.Missing, TargetState.Missing],
            status.Select(s => s.State));
        Assert.Equal("ami-1", status[0].ImageId);
    }

    [Fact]
    public void The_one_off_configuration_holds_only_the_missing_targets_and_an_older_build_moves_no_pointer()
    {
        DistributionTarget[] missing = [new("eu-west-1", "333333333333")];

        var newest = RedistributionPlan.OneOffDistributions(Deployed(), missing, Owner, Source, newest: true);
        var older = RedistributionPlan.OneOffDistributions(Deployed(), missing, Owner, Source, newest: false);
        var ownerOnly = RedistributionPlan.OneOffDistributions(Deployed(), [new("us-east-1", Owner)], Owner, Source, newest: true);

        var distribution = Assert.Single(newest)!.AsObject();
        Assert.Equal("eu-west-1", distribution["region"]!.GetValue<string>());
        Assert.Equal(["333333333333"], distribution["amiDistributionConfiguration"]!["targetAccountIds"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("platform", distribution["amiDistributionConfiguration"]!["amiTags"]!["team"]!.GetValue<string>());
        Assert.Equal(Source, distribution["amiDistributionConfiguration"]!["amiTags"]![RedistributionPlan.RedistributedFromTag]!.GetValue<string>());
        Assert.NotNull(distribution["ssmParameterConfigurations"]);
        var old = Assert.Single(older)!.AsObject();
        Assert.Null(old["ssmParameterConfigurations"]);
        Assert.Null(old["launchTemplateConfigurations"]);
        Assert.Null(Assert.Single(ownerOnly)!["amiDistributionConfiguration"]!["targetAccountIds"]);
        // The deployed distributions are not changed.
        Assert.Equal(2, Deployed()[1]!["amiDistributionConfiguration"]!["targetAccountIds"]!.AsArray().Count);
    }

    [Fact]
    public void The_newest_build_is_by_version_number_not_text_and_never_a_redistribution_or_an_unavailable_build()
    {
        var builds = new[]
        {
            Build("arn:aws:imagebuilder:us-east-1:1:image/f-app/1.0.9/3"),
            Build("arn:aws:imagebuilder:us-east-1:1:image/f-app/1.0.10/1"),
            Build("arn:aws:imagebuilder:us-east-1:1:image/f-app/1.0.10/2", tags: new() { [RedistributionPlan.RedistributesTag] = "x" }),
            Build("arn:aws:imagebuilder:us-east-1:1:image/f-app/1.1.0/1", "FAILED"),
        };

        Assert.Equal("1.0.10/1", RedistributionPlan.Newest(builds)!.VersionAndBuild);
        Assert.Equal("1.0.9/3", RedistributionPlan.Source(builds, "1.0.9/3")!.VersionAndBuild);
        Assert.Null(RedistributionPlan.Source(builds, "1.0.10/2"));
        Assert.Equal("FAILED", RedistributionPlan.Source(builds, "1.1.0/1")!.Status);
    }
}
