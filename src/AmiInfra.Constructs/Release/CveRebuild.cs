using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.StepFunctions;
using AmiInfra.Rules;
using Constructs;
using CfnRule = Amazon.CDK.AWS.Events.CfnRule;
using CfnRuleProps = Amazon.CDK.AWS.Events.CfnRuleProps;

namespace AmiInfra.Constructs.Release;

/// <summary>Props of <see cref="CveRebuild"/>.</summary>
public sealed record CveRebuildProps
{
    /// <summary>The factory. No default.</summary>
    public required string FactoryName { get; init; }

    /// <summary>The image: names the state machine <see cref="Releases.CveRebuildStateMachineName"/>. No default.</summary>
    public required string ImageName { get; init; }

    /// <summary>The image's pipeline name (lower case, as its ARN writes it). No default.</summary>
    public required string PipelineName { get; init; }

    /// <summary>The image's recipe name: the images built from it are image/RECIPE/... No default.</summary>
    public required string RecipeName { get; init; }

    /// <summary>The least severity that starts a build: critical, high or medium (<see cref="Releases.CveSeverities"/>). Default: critical.</summary>
    public string MinimumSeverity { get; init; } = Releases.CveSeverities[0];
}

/// <summary>
/// Starts an image's pipeline when Image Builder reports a new CVE in one of its images at or above a severity: an
/// EventBridge rule on "EC2 Image Builder CVE Detected" (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-imagebuilder.html)
/// whose finding-severity-counts at that severity or above are more than 0, for the image's images or pipeline, targets a
/// one-state state machine that calls StartImagePipelineExecution (an SDK integration: EventBridge rules have no Image
/// Builder target). The new build is distributed and then verified like any other (<see cref="ReleaseVerification"/>).
/// </summary>
/// <remarks>
/// The event's fields are those of its schema, aws.imagebuilder@EC2ImageBuilderCVEDetected in the EventBridge schema
/// registry (as AWS's generated event patterns name them: https://docs.aws.amazon.com/cdk/api/v2/docs/@aws-cdk_mixins-preview.aws_imagebuilder.events.EC2ImageBuilderCVEDetected.html):
/// <c>resource-id</c> and <c>finding-severity-counts</c> with <c>critical</c>, <c>high</c>, <c>medium</c> and <c>all</c>,
/// the same severities as Image Builder's SeverityCounts (https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_SeverityCounts.html).
/// Which resource <c>resource-id</c> names (the image or the pipeline) is not documented: the rule takes either.
/// </remarks>
public sealed class CveRebuild : Construct
{
    /// <summary>The event Image Builder sends when Inspector finds a CVE in an image.</summary>
    public const string CveDetected = "EC2 Image Builder CVE Detected";

    /// <summary>Creates the rule, the state machine and their roles.</summary>
    public CveRebuild(Construct scope, string id, CveRebuildProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (Releases.CveSeverity(props.MinimumSeverity) is { } problem)
        {
            throw new ConstructValidationException($"{Node.Path}.MinimumSeverity", problem.Value, problem.Accepted);
        }

        var stack = Stack.Of(this);
        var pipeline = $"arn:{stack.Partition}:imagebuilder:{stack.Region}:{stack.Account}:image-pipeline/{props.PipelineName}";
        var images = $"arn:{stack.Partition}:imagebuilder:{stack.Region}:{stack.Account}:image/{props.RecipeName}/";
        Definition = new System.Text.Json.Nodes.JsonObject
        {
            ["Comment"] = $"Starts the pipeline of {props.ImageName} after a new CVE",
            ["StartAt"] = "StartPipeline",
            ["States"] = new System.Text.Json.Nodes.JsonObject
            {
                ["StartPipeline"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["Type"] = "Task",
                    ["Resource"] = ReleaseDefinition.SdkResource("imagebuilder", "startImagePipelineExecution"),
                    ["Parameters"] = new System.Text.Json.Nodes.JsonObject { ["ImagePipelineArn"] = "${Pipeline}", ["ClientToken.$"] = "States.UUID()" },
                    ["End"] = true,
                },
            },
        }.ToJsonString();

        var role = new CfnRole(this, "Role", new CfnRoleProps
        {
            Description = $"Starts the pipeline of {props.FactoryName}-{props.ImageName} after a new CVE",
            AssumeRolePolicyDocument = ReleaseRoles.ServiceTrust("states.amazonaws.com", stack.Account),
            Policies = new object[] { Policy("StartPipeline", "imagebuilder:StartImagePipelineExecution", pipeline) },
        });
        StateMachine = new CfnStateMachine(this, "Resource", new CfnStateMachineProps
        {
            StateMachineName = Releases.CveRebuildStateMachineName(props.FactoryName, props.ImageName),
            RoleArn = role.AttrArn,
            DefinitionString = Definition,
            DefinitionSubstitutions = new Dictionary<string, string> { ["Pipeline"] = pipeline },
        });
        NagMetadata.Add(StateMachine, [
            new Acknowledgement("AwsSolutions-SF1", "One call per execution, whose history Step Functions keeps 90 days; the build it starts logs to the image's log group"),
            new Acknowledgement("AwsSolutions-SF2", "One SDK call: X-Ray would trace nothing of ours"),
        ]);

        var eventsRole = new CfnRole(this, "TriggerRole", new CfnRoleProps
        {
            Description = $"Lets EventBridge start the CVE rebuild of {props.FactoryName}-{props.ImageName}",
            AssumeRolePolicyDocument = ReleaseRoles.ServiceTrust("events.amazonaws.com", stack.Account),
            Policies = new object[] { Policy("StartRebuild", "states:StartExecution", StateMachine.AttrArn) },
        });
        var severities = Releases.SeveritiesFrom(props.MinimumSeverity);
        Rule = new CfnRule(this, "Trigger", new CfnRuleProps
        {
            Name = $"{props.FactoryName}-{props.ImageName}-cve",
            Description = $"Rebuilds {props.ImageName} when Image Builder finds a CVE of severity {props.MinimumSeverity} or above in it",
            EventPattern = new Dictionary<string, object>
            {
                ["source"] = new[] { "aws.imagebuilder" },
                ["detail-type"] = new[] { CveDetected },
                ["detail"] = new Dictionary<string, object>
                {
                    ["resource-id"] = new object[] { new Dictionary<string, object> { ["prefix"] = images }, pipeline },
                    ["$or"] = severities.Select(s => (object)new Dictionary<string, object>
                    {
                        ["finding-severity-counts"] = new Dictionary<string, object> { [s] = new object[] { new Dictionary<string, object> { ["numeric"] = new object[] { ">", 0 } } } },
                    }).ToArray(),
                },
            },
            Targets = new object[] { new CfnRule.TargetProperty { Id = "Rebuild", Arn = StateMachine.AttrArn, RoleArn = eventsRole.AttrArn } },
        });
    }

    /// <summary>The state machine.</summary>
    public CfnStateMachine StateMachine { get; }

    /// <summary>The rule on new CVEs.</summary>
    public CfnRule Rule { get; }

    /// <summary>The definition (with the ${Pipeline} substitution).</summary>
    public string Definition { get; }

    private static CfnRole.PolicyProperty Policy(string name, string action, string resource) => new()
    {
        PolicyName = name,
        PolicyDocument = new Dictionary<string, object>
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new object[] { new Dictionary<string, object> { ["Effect"] = "Allow", ["Action"] = action, ["Resource"] = resource } },
        },
    };
}
