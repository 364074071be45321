namespace AmiInfra.Rules.Workflows;

/// <summary>The stage of the image build a workflow runs in: its type (CreateWorkflow <c>type</c>).</summary>
public enum WorkflowStage
{
    /// <summary>BUILD: launches the build instance, runs the build components, creates the image.</summary>
    Build,

    /// <summary>TEST: launches a test instance from the new image and runs the test components.</summary>
    Test,

    /// <summary>DISTRIBUTION: copies the image to its regions and accounts and applies its settings.</summary>
    Distribution,
}

/// <summary>The names Image Builder gives the stages, and what reads them.</summary>
public static class WorkflowStages
{
    /// <summary>The types as AWS::ImageBuilder::Workflow writes them, in the order the stages run.</summary>
    public static readonly IReadOnlyList<string> Names = ["BUILD", "TEST", "DISTRIBUTION"];

    /// <summary>What a type must be, in words.</summary>
    public const string Accepted = "BUILD, TEST or DISTRIBUTION";

    /// <summary>
    /// The type as CloudFormation and the API write it: "Type ... Allowed values: BUILD | TEST | DISTRIBUTION"
    /// (AWS::ImageBuilder::Workflow, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-imagebuilder-workflow.html).
    /// DISTRIBUTION is new: an older third-party page says it "results in an error"; AmiInfra follows the
    /// CloudFormation and API references and the user guide's distribution stage, which all accept it.
    /// </summary>
    public static string Name(WorkflowStage stage) => Names[(int)stage];

    /// <summary>The stage of a type name (exactly as written: BUILD, TEST or DISTRIBUTION), or null.</summary>
    public static WorkflowStage? Parse(string name)
    {
        var index = Names.ToList().IndexOf(name);
        return index < 0 ? null : (WorkflowStage)index;
    }

    /// <summary>The stage as the ARN writes it (arn:...:workflow/build/name/version).</summary>
    public static string ArnSegment(WorkflowStage stage) => Name(stage).ToLowerInvariant();
}

/// <summary>A step action of a workflow document: where it may run, its timeouts and its inputs.</summary>
/// <param name="Name">The action, as a step's <c>action</c> writes it.</param>
/// <param name="Stages">The stages it may run in.</param>
/// <param name="DefaultTimeoutSeconds">Its timeout when the step sets none.</param>
/// <param name="MaxTimeoutSeconds">The longest timeoutSeconds it takes.</param>
/// <param name="Required">Inputs it needs (a key written with the <c>.$</c> suffix counts).</param>
/// <param name="Known">Every input AWS documents for it (required ones included).</param>
public sealed record WorkflowAction(string Name, IReadOnlyList<WorkflowStage> Stages, int DefaultTimeoutSeconds, int MaxTimeoutSeconds, IReadOnlyList<string> Required, IReadOnlyList<string> Known)
{
    /// <summary>A note on where it may run, when AWS's pages disagree on it. Default: none.</summary>
    public string? StageNote { get; init; }
}

/// <summary>
/// The step actions of workflow documents, as "Supported step actions for your workflow document" lists
/// them (https://docs.aws.amazon.com/imagebuilder/latest/userguide/wfdoc-step-actions.html): its stage table,
/// each action's default and maximum timeout, and its inputs. "Image Builder restricts a few actions to specific
/// stages: ExecuteComponents to the build and test stages, CollectImageScanFindings to the test stage, and
/// DistributeImage, ModifyImageAttributes, ApplyImageConfigurations, and DistributeContainerImage to the
/// distribution stage. You can use every other action in any stage."
/// </summary>
public static class WorkflowActions
{
    private const int Minute = 60;
    private const int Hour = 60 * Minute;
    private const int Day = 24 * Hour;

    private static readonly WorkflowStage[] Any = [WorkflowStage.Build, WorkflowStage.Test, WorkflowStage.Distribution];
    private static readonly WorkflowStage[] BuildAndTest = [WorkflowStage.Build, WorkflowStage.Test];
    private static readonly WorkflowStage[] TestOnly = [WorkflowStage.Test];
    private static readonly WorkflowStage[] DistributionOnly = [WorkflowStage.Distribution];
    private static readonly string[] Instance = ["instanceId"];

    /// <summary>The actions, by name (case-sensitive, as AWS writes them).</summary>
    public static readonly IReadOnlyList<WorkflowAction> All =
    [
        new("ApplyImageConfigurations", DistributionOnly, 360 * Minute, 720 * Minute, ["distributedImages"], ["distributedImages", "configurations"]),
        new("BootstrapInstanceForContainer", Any, 60 * Minute, 720 * Minute, Instance, Instance),

        // The stage table marks CollectImageMetadata for every stage; the action's own section says "This step action
        // is only valid for build workflows". The table is followed (never stricter), with a warning outside BUILD.
        new("CollectImageMetadata", Any, 30 * Minute, 720 * Minute, Instance, Instance) { StageNote = "its section of \"Supported step actions\" says \"This step action is only valid for build workflows\" (the stage table allows every stage)" },
        new("CollectImageScanFindings", TestOnly, 120 * Minute, 720 * Minute, Instance, Instance),
        new("CreateImage", Any, 720 * Minute, 3 * Day, Instance, Instance),
        new("CreateImageFromIso", Any, 720 * Minute, 720 * Minute, Instance, Instance),
        new("DistributeContainerImage", DistributionOnly, 120 * Minute, 720 * Minute, Instance, Instance),
        new("DistributeImage", DistributionOnly, 360 * Minute, 720 * Minute, [], ["distributions"]),
        new("ExecuteComponents", BuildAndTest, 720 * Minute, 1 * Day, Instance, Instance),
        new("ExecuteStateMachine", Any, 6 * Hour, 24 * Hour, ["stateMachineArn"], ["stateMachineArn", "input"]),
        new("LaunchInstance", Any, 75 * Minute, 720 * Minute, ["waitFor"], ["imageIdOverride", "instanceTypesOverride", "waitFor", "healthCheck"]),
        new("ModifyImageAttributes", DistributionOnly, 120 * Minute, 180 * Minute, ["distributedImages"], ["distributedImages", "attributes"]),
        new("RegisterImage", Any, 540 * Minute, 720 * Minute, [], [
            "architecture", "blockDeviceMapping", "bootMode", "description", "enaSupport", "imageLocation", "imdsSupport", "includeSnapshotTags",
            "kernelId", "ramdiskId", "rootDeviceName", "sriovNetSupport", "tpmSupport", "uefiData", "virtualizationType",
        ]),
        new("RunCommand", Any, 720 * Minute, 720 * Minute, ["instanceId", "documentName"], ["instanceId", "documentName", "parameters", "documentVersion"]),
        new("RunSysPrep", Any, 60 * Minute, 720 * Minute, Instance, Instance),
        new("SanitizeInstance", Any, 60 * Minute, 720 * Minute, Instance, Instance),
        new("TerminateInstance", Any, 30 * Minute, 720 * Minute, Instance, ["instanceId", "waitForTermination"]),
        new("WaitForAction", Any, 3 * Day, 7 * Day, [], ["snsTopicArn", "lambdaFunctionName", "payload"]),
        new("WaitForSSMAgent", Any, 60 * Minute, 180 * Minute, Instance, Instance),
    ];

    /// <summary>
    /// Actions that distribute AMIs: "A workflow that includes DistributeContainerImage cannot also include
    /// DistributeImage, ModifyImageAttributes, or ApplyImageConfigurations" (same page).
    /// </summary>
    public static readonly IReadOnlyList<string> AmiDistributionActions = ["DistributeImage", "ModifyImageAttributes", "ApplyImageConfigurations"];

    /// <summary>Largest JSON text ExecuteStateMachine's <c>input</c> and WaitForAction's <c>payload</c> take: "maximum length: 16 KiB".</summary>
    public const int MaxPayloadBytes = 16 * 1024;

    /// <summary>The action of that exact name, or null.</summary>
    public static WorkflowAction? Find(string name) => All.FirstOrDefault(a => a.Name == name);

    /// <summary>Whether the action may run in <paramref name="stage"/>.</summary>
    public static bool RunsIn(WorkflowAction action, WorkflowStage stage) => action.Stages.Contains(stage);
}
