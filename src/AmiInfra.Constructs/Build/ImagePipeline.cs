using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>An EC2 Image Builder image pipeline.</summary>
public interface IImagePipeline : IResource
{
    /// <summary>The pipeline's ARN.</summary>
    string ImagePipelineArn { get; }

    /// <summary>The pipeline's name.</summary>
    string ImagePipelineName { get; }

    /// <summary>Lets <paramref name="grantee"/> perform <paramref name="actions"/> on the pipeline.</summary>
    Grant Grant(IGrantable grantee, params string[] actions);

    /// <summary>Lets <paramref name="grantee"/> read the pipeline (imagebuilder:GetImagePipeline).</summary>
    Grant GrantRead(IGrantable grantee);

    /// <summary>Lets <paramref name="grantee"/> start a run of the pipeline (imagebuilder:StartImagePipelineExecution).</summary>
    Grant GrantStartExecution(IGrantable grantee);
}

/// <summary>An Image Builder image pipeline: recipe, infrastructure, distribution and schedule.</summary>
public sealed partial class ImagePipeline : ImageBuilderResource, IImagePipeline
{
    private const string ReadAction = "imagebuilder:GetImagePipeline";
    private const string StartAction = "imagebuilder:StartImagePipelineExecution";

    /// <summary>Creates the pipeline (and an infrastructure configuration with its defaults when none is given).</summary>
    public ImagePipeline(Construct scope, string id, ImagePipelineProps props)
        : base(scope, id, ReadAction)
    {
        ArgumentNullException.ThrowIfNull(props);
        ImagePipelineName = props.ImagePipelineName ?? Naming.Generated(this);
        var infrastructure = props.InfrastructureConfiguration ?? new InfrastructureConfiguration(this, "InfrastructureConfiguration");
        var executionRole = props.ExecutionRole ?? WorkflowExecutionRoleFor(props);
        var resource = Cfn.Resource(this, "Resource", RenderAt(props with { ImagePipelineName = ImagePipelineName, InfrastructureConfiguration = infrastructure, ExecutionRole = executionRole }, () => Node.Path, inFragment: false));

        // An infrastructure configuration is named by the ARN built from its name, which orders nothing: the pipeline
        // waits for one of the app (in its stack, or in a stack that then deploys first). Recipes and distributions of
        // the app are named by Ref or Fn::GetAtt, which order the creation already.
        if (infrastructure is InfrastructureConfiguration made)
        {
            resource.Node.AddDependency(made);
        }

        if (props.Cron is not null && props.StartCondition is null)
        {
            Annotations.Of(this).AddWarningV2(
                "amiinfra:pipeline-start-condition",
                $"{ImagePipelineName}: no start condition chosen, so Image Builder's default applies and scheduled runs are skipped when no component or parent image changed. Set StartCondition (the declaration's schedule.startCondition) to choose.");
        }

        ImagePipelineArn = resource.Ref;
    }

    /// <inheritdoc />
    public string ImagePipelineArn { get; }

    /// <inheritdoc />
    public string ImagePipelineName { get; }

    /// <inheritdoc />
    protected override string GrantedArn => ImagePipelineArn;

    /// <inheritdoc />
    public Grant GrantStartExecution(IGrantable grantee) => Grant(grantee, StartAction);

    /// <summary>Imports a pipeline by ARN.</summary>
    public static IImagePipeline FromImagePipelineArn(Construct scope, string id, string imagePipelineArn) =>
        new Imported(scope, id, imagePipelineArn, Naming.ResourceNameOf(scope, imagePipelineArn, "image-pipeline"));

    /// <summary>Imports a pipeline of this account and region by name.</summary>
    public static IImagePipeline FromImagePipelineName(Construct scope, string id, string imagePipelineName)
    {
        var arn = Naming.ImageBuilderArnOfName(scope, id, "image-pipeline", imagePipelineName, "ImagePipelineName");
        return new Imported(scope, id, arn, imagePipelineName);
    }

    /// <summary>
    /// The pipeline as CloudFormation, without creating a construct (for a <see cref="CfnFragment"/>):
    /// the props are checked and the properties rendered as the construct does; a recipe or distribution of the same
    /// fragment is referred to by Ref or Fn::GetAtt. The construct's warning about a missing start condition is left
    /// to the guardrails (AMI-019).
    /// </summary>
    /// <param name="props">The pipeline; its name and infrastructure configuration are required here.</param>
    /// <param name="where">Where the pipeline is, for error messages (e.g. its construct path).</param>
    public static CfnDefinition Render(ImagePipelineProps props, string where) => RenderAt(props, () => where, inFragment: true);

    /// <summary>As above; <paramref name="where"/> is asked for only when a prop is rejected (a construct path costs a jsii call).</summary>
    private static CfnDefinition RenderAt(ImagePipelineProps props, Func<string> where, bool inFragment)
    {
        ArgumentNullException.ThrowIfNull(props);
        var name = props.ImagePipelineName ?? throw new ConstructValidationException($"{where()}.ImagePipelineName", null, "a pipeline name (ImagePipeline.Render has no construct path to generate one from)");
        var infrastructure = props.InfrastructureConfiguration ?? throw new ConstructValidationException($"{where()}.InfrastructureConfiguration", null, "an infrastructure configuration (ImagePipeline.Render makes none)");
        ArgumentNullException.ThrowIfNull(props.Recipe);
        Naming.CheckImageBuilderName(name, () => $"{where()}.ImagePipelineName");
        if (props.Cron is not null && !Checks.IsToken(props.Cron) && CronExpression.Check(props.Cron) is { } problem)
        {
            throw Checks.Exception($"{where()}.Cron", problem);
        }

        if (props.Timezone is not (null or "UTC" or "Etc/UTC"))
        {
            throw new ConstructValidationException($"{where()}.Timezone", $"\"{props.Timezone}\"", "UTC or Etc/UTC: AWS::ImageBuilder::ImagePipeline has no schedule time zone, so write the cron expression in UTC");
        }

        if (props.TestTimeoutMinutes < Builds.TestTimeoutMinutes.Min || props.TestTimeoutMinutes > Builds.TestTimeoutMinutes.Max)
        {
            Checks.Range($"{where()}.TestTimeoutMinutes", props.TestTimeoutMinutes, Builds.TestTimeoutMinutes, "minutes");
        }

        CheckWorkflows(props, where);
        if (Builds.AutoDisable(props.AutoDisableAfterFailures) is { } autoDisable)
        {
            throw Checks.Exception($"{where()}.AutoDisableAfterFailures", autoDisable);
        }

        foreach (var (prop, logGroup) in new[] { ("ImageLogGroupName", props.ImageLogGroupName), ("PipelineLogGroupName", props.PipelineLogGroupName) })
        {
            if (logGroup is not null && !Checks.IsToken(logGroup) && Builds.PipelineLogGroup(logGroup, props.ExecutionRole is not null) is { } badLogGroup)
            {
                throw Checks.Exception($"{where()}.{prop}", badLogGroup);
            }
        }

        // The build instance is launched from the parent: where its name tells its architecture, every instance type
        // must run it (an arm64 parent on an x86 type, a Windows parent on a Graviton type, fail at build time).
        if (props.Recipe is IRecipeWithParent { ParentImage: { Kind: "ssm" or "imagebuilder" } parent } && !Checks.IsToken(parent.Value)
            && infrastructure is InfrastructureConfiguration { InstanceTypes: { Count: > 0 } types }
            && InstanceTypes.ParentArchitecture(parent.Value) is { } architecture
            && InstanceTypes.ForImage(types, windows: false, architecture, parent.Value, out _) is { } mismatch)
        {
            throw Checks.Exception($"{where()}.InfrastructureConfiguration.InstanceTypes", mismatch);
        }

        Checks.Description($"{where()}.Description", props.Description);
        var distribution = props.DistributionConfiguration;
        return CfnDefinition.Of("AWS::ImageBuilder::ImagePipeline", new Dictionary<string, object?>
        {
            ["Name"] = name,
            ["Description"] = props.Description,
            ["ImageRecipeArn"] = ImageBuilderGrants.ArnValue(props.Recipe, props.Recipe.ImageRecipeArn, inFragment),
            ["InfrastructureConfigurationArn"] = infrastructure.InfrastructureConfigurationArn,
            ["DistributionConfigurationArn"] = distribution is null ? null : ImageBuilderGrants.ArnValue(distribution, distribution.DistributionConfigurationArn, inFragment),
            ["ExecutionRole"] = props.ExecutionRole is null ? null : ImageBuilderGrants.ArnValue(props.ExecutionRole, Attributes.RoleArn(props.ExecutionRole), inFragment),
            ["Workflows"] = PipelineWorkflowsRender.Render(props.Workflows),
            ["Status"] = props.Enabled ? "ENABLED" : "DISABLED",
            ["Schedule"] = props.Cron is null ? null : Cfn.Clean(new Dictionary<string, object?>
            {
                ["ScheduleExpression"] = props.Cron,
                ["PipelineExecutionStartCondition"] = (props.StartCondition ?? Build.StartCondition.ExpressionMatchAndDependencyUpdatesAvailable) switch
                {
                    Build.StartCondition.ExpressionMatchOnly => "EXPRESSION_MATCH_ONLY",
                    _ => "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE",
                },
                ["AutoDisablePolicy"] = new Dictionary<string, object> { ["FailureCount"] = props.AutoDisableAfterFailures },
            }),
            ["LoggingConfiguration"] = props.ImageLogGroupName is null && props.PipelineLogGroupName is null ? null : Cfn.Clean(new Dictionary<string, object?>
            {
                ["ImageLogGroupName"] = props.ImageLogGroupName,
                ["PipelineLogGroupName"] = props.PipelineLogGroupName,
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

    /// <summary>A pipeline imported as a construct.</summary>
    private sealed class Imported(Construct scope, string id, string arn, string name) : ImageBuilderResource(scope, id, ReadAction), IImagePipeline
    {
        public string ImagePipelineArn { get; } = arn;

        public string ImagePipelineName { get; } = name;

        protected override string GrantedArn => ImagePipelineArn;

        public Grant GrantStartExecution(IGrantable grantee) => Grant(grantee, StartAction);
    }
}
