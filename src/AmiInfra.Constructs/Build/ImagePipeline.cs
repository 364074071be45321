using Amazon.CDK;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>When Image Builder starts a scheduled run.</summary>
public enum StartCondition
{
    /// <summary>At every scheduled time.</summary>
    ExpressionMatchOnly,

    /// <summary>At a scheduled time only when a component or the parent image has a newer version (the service default).</summary>
    ExpressionMatchAndDependencyUpdatesAvailable,
}

/// <summary>Properties of an <see cref="ImagePipeline"/>.</summary>
public sealed record ImagePipelineProps
{
    /// <summary>The pipeline's physical name.</summary>
    public required string Name { get; init; }

    /// <summary>Description. Default: none.</summary>
    public string? Description { get; init; }

    /// <summary>The recipe's ARN.</summary>
    public required string ImageRecipeArn { get; init; }

    /// <summary>The infrastructure configuration's ARN.</summary>
    public required string InfrastructureConfigurationArn { get; init; }

    /// <summary>The distribution configuration's ARN. Default: none (the AMI stays in the home region).</summary>
    public string? DistributionConfigurationArn { get; init; }

    /// <summary>An Image Builder cron expression, e.g. cron(0 4 ? * sun *). Default: no schedule (manual runs).</summary>
    public string? Cron { get; init; }

    /// <summary>
    /// When a scheduled run starts. Default: the service's, which skips runs when nothing changed;
    /// leaving it unset adds a warning, since skipped runs also skip security patches that are not
    /// visible as a component or parent update.
    /// </summary>
    public StartCondition? StartCondition { get; init; }

    /// <summary>
    /// Time zone of the cron expression: UTC ("UTC" or "Etc/UTC") only, since CloudFormation's
    /// pipeline schedule has no time zone. Default: UTC.
    /// </summary>
    public string? Timezone { get; init; }

    /// <summary>Whether the pipeline runs. Default: true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Run image tests after the build. Default: true.</summary>
    public bool TestsEnabled { get; init; } = true;

    /// <summary>Minutes before image tests time out (60 to 1440). Default: 90.</summary>
    public int TestTimeoutMinutes { get; init; } = 90;

    /// <summary>Scan the image for vulnerabilities with Amazon Inspector. Default: true.</summary>
    public bool ScanningEnabled { get; init; } = true;

    /// <summary>Collect enhanced image metadata (installed packages). Default: true.</summary>
    public bool EnhancedMetadata { get; init; } = true;

    /// <summary>Tags. Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>An Image Builder image pipeline: recipe, infrastructure, distribution and schedule.</summary>
public sealed class ImagePipeline : Construct
{
    /// <summary>Creates the pipeline.</summary>
    public ImagePipeline(Construct scope, string id, ImagePipelineProps props)
        : base(scope, id)
    {
        var resource = Cfn.Resource(this, "Resource", RenderAt(props, () => Node.Path));
        if (props.Cron is not null && props.StartCondition is null)
        {
            Annotations.Of(this).AddWarningV2(
                "amiinfra:pipeline-start-condition",
                $"{props.Name}: no start condition chosen, so Image Builder's default applies and scheduled runs are skipped when no component or parent image changed. Set StartCondition (the declaration's schedule.startCondition) to choose.");
        }

        ImagePipelineArn = resource.Ref;
    }

    /// <summary>
    /// The pipeline as CloudFormation, without creating a construct (for a <see cref="CfnFragment"/>):
    /// the props are checked and the properties rendered as the construct does. The construct's
    /// warning about a missing start condition is left to the guardrails (AMI-019).
    /// </summary>
    /// <param name="props">The pipeline.</param>
    /// <param name="where">Where the pipeline is, for error messages (e.g. its construct path).</param>
    public static CfnDefinition Render(ImagePipelineProps props, string where) => RenderAt(props, () => where);

    /// <summary>As above; <paramref name="where"/> is asked for only when a prop is rejected (a construct path costs a jsii call).</summary>
    private static CfnDefinition RenderAt(ImagePipelineProps props, Func<string> where)
    {
        ArgumentNullException.ThrowIfNull(props);
        Naming.CheckImageBuilderName(props.Name, () => $"{where()}.Name");
        if (props.Cron is not null && !Checks.IsToken(props.Cron) && CronExpression.Check(props.Cron) is { } problem)
        {
            throw Checks.Exception($"{where()}.Cron", problem);
        }

        if (props.Timezone is not (null or "UTC" or "Etc/UTC"))
        {
            throw new ConstructValidationException($"{where()}.Timezone", $"\"{props.Timezone}\"", "UTC or Etc/UTC: AWS::ImageBuilder::ImagePipeline has no schedule time zone, so write the cron expression in UTC");
        }

        if (props.TestTimeoutMinutes < Rules.Builds.TestTimeoutMinutes.Min || props.TestTimeoutMinutes > Rules.Builds.TestTimeoutMinutes.Max)
        {
            Checks.Range($"{where()}.TestTimeoutMinutes", props.TestTimeoutMinutes, Rules.Builds.TestTimeoutMinutes, "minutes");
        }

        return CfnDefinition.Of("AWS::ImageBuilder::ImagePipeline", new Dictionary<string, object?>
        {
            ["Name"] = props.Name,
            ["Description"] = props.Description is null ? null : Naming.Truncate(props.Description, 1024),
            ["ImageRecipeArn"] = props.ImageRecipeArn,
            ["InfrastructureConfigurationArn"] = props.InfrastructureConfigurationArn,
            ["DistributionConfigurationArn"] = props.DistributionConfigurationArn,
            ["Status"] = props.Enabled ? "ENABLED" : "DISABLED",
            ["Schedule"] = props.Cron is null ? null : Cfn.Clean(new Dictionary<string, object?>
            {
                ["ScheduleExpression"] = props.Cron,
                ["PipelineExecutionStartCondition"] = (props.StartCondition ?? Build.StartCondition.ExpressionMatchAndDependencyUpdatesAvailable) switch
                {
                    Build.StartCondition.ExpressionMatchOnly => "EXPRESSION_MATCH_ONLY",
                    _ => "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE",
                },
            }),
            ["ImageTestsConfiguration"] = new Dictionary<string, object>
            {
                ["ImageTestsEnabled"] = props.TestsEnabled,
                ["TimeoutMinutes"] = props.TestTimeoutMinutes,
            },
            ["ImageScanningConfiguration"] = new Dictionary<string, object> { ["ImageScanningEnabled"] = props.ScanningEnabled },
            ["EnhancedImageMetadataEnabled"] = props.EnhancedMetadata,
            ["Tags"] = Cfn.TagMap(props.Tags),
        });
    }

    /// <summary>The pipeline's ARN.</summary>
    public string ImagePipelineArn { get; }
}
