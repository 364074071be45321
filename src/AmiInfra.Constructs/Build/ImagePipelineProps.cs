using Amazon.CDK.AWS.IAM;
using AmiInfra.Constructs.Distribution;

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
    /// <summary>
    /// The pipeline's physical name (3 to 128 letters, digits, '-', '_' and inner spaces; a token is checked when
    /// CloudFormation resolves it). Default: a name generated from the construct path (required by <see cref="ImagePipeline.Render"/>).
    /// </summary>
    public string? ImagePipelineName { get; init; }

    /// <summary>Description. Default: none.</summary>
    public string? Description { get; init; }

    /// <summary>The recipe the pipeline builds: a recipe of the app, an imported one, or one of the same fragment (<see cref="RenderedRecipe.InFragment"/>). No default.</summary>
    public required IImageRecipe Recipe { get; init; }

    /// <summary>
    /// Where build and test instances run. Default: an <see cref="InfrastructureConfiguration"/> with its defaults, made
    /// by the construct (<see cref="ImagePipeline.Render"/> requires one).
    /// </summary>
    public IInfrastructureConfiguration? InfrastructureConfiguration { get; init; }

    /// <summary>Where the AMIs go and who may launch them. Default: none (the AMI stays in the home region, unshared).</summary>
    public IDistributionConfiguration? DistributionConfiguration { get; init; }

    /// <summary>
    /// The role Image Builder runs the pipeline's workflows with. Default: none (Image Builder's service-linked role,
    /// which may put SSM output parameters only under /imagebuilder/); with <see cref="Workflows"/>, a
    /// <see cref="WorkflowExecutionRole"/> made by the construct (<see cref="ImagePipeline.Render"/> requires one).
    /// </summary>
    public IRole? ExecutionRole { get; init; }

    /// <summary>
    /// The workflows the pipeline runs (at most 10: one BUILD, one DISTRIBUTION, the rest TEST). Given any, Image Builder
    /// runs only these: include a BUILD workflow (<c>Workflow.FromManaged("build-image")</c> does what a pipeline does
    /// without workflows) and, to test, a TEST workflow (<c>test-image</c>); without a DISTRIBUTION workflow the
    /// distribution configuration is run as before. Default: none (Image Builder's own build and test).
    /// </summary>
    public IReadOnlyList<WorkflowConfiguration> Workflows { get; init; } = [];

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

    /// <summary>
    /// Consecutive failed scheduled runs after which Image Builder disables the pipeline (1 to 10; with a schedule only).
    /// The build topic and bus hear of it (<see cref="BuildEvents"/>). Default: 5, rendered (AWS's pages disagree on
    /// what Image Builder does without a policy: see <see cref="AmiInfra.Rules.Builds.DefaultAutoDisableFailures"/>).
    /// </summary>
    public int AutoDisableAfterFailures { get; init; } = AmiInfra.Rules.Builds.DefaultAutoDisableFailures;

    /// <summary>
    /// The log group of the image's build logs (1 to 512 letters, digits and - _ / .; under /aws/imagebuilder/ unless
    /// <see cref="ExecutionRole"/> may write elsewhere). Default: Image Builder's, /aws/imagebuilder/RECIPE-NAME, which
    /// it creates without retention or customer-managed key.
    /// </summary>
    public string? ImageLogGroupName { get; init; }

    /// <summary>
    /// The log group of the pipeline's execution logs (as <see cref="ImageLogGroupName"/>). Default: Image Builder's,
    /// /aws/imagebuilder/pipeline/PIPELINE-NAME.
    /// </summary>
    public string? PipelineLogGroupName { get; init; }

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

    /// <summary>Tags of the pipeline (its initial tags: <c>Tags.Of</c> adds to them). Default: none.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
