using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using AmiInfra.Constructs.Release;

namespace AmiInfra.Constructs.Tests.Release;

/// <summary>An image rebuilt on a high or critical CVE; synthesized once.</summary>
public sealed class CveRebuildFixture
{
    public CveRebuildFixture()
    {
        var stack = TestEnv.NewStack("Cve");
        Rebuild = new CveRebuild(stack, "Cve", new CveRebuildProps { FactoryName = "golden", ImageName = "al2023", PipelineName = "golden-al2023", RecipeName = "golden-al2023", MinimumSeverity = "high" });
        Json = JsonNode.Parse(JsonSerializer.Serialize(Template.FromStack(stack).ToJSON()))!.AsObject();
    }

    public CveRebuild Rebuild { get; }

    public JsonObject Json { get; }

    public JsonObject Single(string type) => Json["Resources"]!.AsObject().Select(r => r.Value!.AsObject()).Single(r => r["Type"]!.GetValue<string>() == type);
}

[Collection(CdkCollection.Name)]
public sealed class CveRebuildTests(CveRebuildFixture fixture) : IClassFixture<CveRebuildFixture>
{
    [Fact]
    public void A_cve_at_or_above_the_severity_in_the_images_builds_starts_its_pipeline()
    {
        var pattern = fixture.Single("AWS::Events::Rule")["Properties"]!["EventPattern"]!;
        Assert.Equal("EC2 Image Builder CVE Detected", pattern["detail-type"]![0]!.GetValue<string>());
        var severities = pattern["detail"]!["$or"]!.AsArray().Select(o => o!["finding-severity-counts"]!.AsObject().Single().Key);
        Assert.Equal(["critical", "high"], severities);
        Assert.Contains(":image/golden-al2023/", pattern["detail"]!["resource-id"]!.ToJsonString(), StringComparison.Ordinal);

        var state = JsonNode.Parse(fixture.Rebuild.Definition)!["States"]!["StartPipeline"]!;
        Assert.Equal("arn:aws:states:::aws-sdk:imagebuilder:startImagePipelineExecution", state["Resource"]!.GetValue<string>());
        Assert.Equal("States.UUID()", state["Parameters"]!["ClientToken.$"]!.GetValue<string>());
    }

    [Fact]
    public void The_state_machine_may_start_only_this_pipeline()
    {
        var machine = fixture.Single("AWS::StepFunctions::StateMachine");
        Assert.Equal("golden-al2023-cve-rebuild", machine["Properties"]!["StateMachineName"]!.GetValue<string>());
        var roles = fixture.Json["Resources"]!.AsObject().Select(r => r.Value!).Where(r => r["Type"]!.GetValue<string>() == "AWS::IAM::Role").ToList();
        var statement = roles.SelectMany(r => r!["Properties"]!["Policies"]!.AsArray()).Select(p => p!["PolicyDocument"]!["Statement"]![0]!)
            .Single(s => s["Action"]!.GetValue<string>() == "imagebuilder:StartImagePipelineExecution");
        Assert.Contains(":image-pipeline/golden-al2023\"", statement["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(ReleaseDefinition.TaskActions(fixture.Rebuild.Definition), ["imagebuilder:StartImagePipelineExecution"]);
    }

    [Fact]
    public void A_severity_image_builder_does_not_count_is_refused()
    {
        var error = Assert.Throws<ConstructValidationException>(() => new CveRebuild(TestEnv.NewStack("Bad"), "Cve", new CveRebuildProps { FactoryName = "golden", ImageName = "al2023", PipelineName = "golden-al2023", RecipeName = "golden-al2023", MinimumSeverity = "low" }));
        Assert.Contains("critical, high or medium", error.Message, StringComparison.Ordinal);
    }
}
