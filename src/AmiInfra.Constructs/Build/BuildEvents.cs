using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>One kind of event Image Builder sends EventBridge that a team acts on.</summary>
/// <param name="Id">A short name: the rule's construct id and the end of its name.</param>
/// <param name="DetailType">The event's detail-type.</param>
/// <param name="Detail">What the rule matches in the event's detail, or null for every such event.</param>
/// <param name="Paths">The event fields the readable message uses, by the name the message gives them.</param>
/// <param name="Message">The readable message, with the fields in angle brackets (an input transformer's template).</param>
/// <param name="ToTopic">Whether the build topic hears of it through the rule: false where Image Builder already tells the topic itself.</param>
/// <param name="Source">The event's source: Image Builder's, or the factory's own release verification's.</param>
public sealed record BuildEvent(string Id, string DetailType, IReadOnlyDictionary<string, object>? Detail, IReadOnlyDictionary<string, string> Paths, string Message, bool ToTopic, string Source = "aws.imagebuilder");

/// <summary>Properties of <see cref="BuildEvents"/>.</summary>
public sealed record BuildEventsProps
{
    /// <summary>The build infrastructure whose topic hears of the events (when no <see cref="EventBusArn"/> is given), and whose name prefix names the rules. No default.</summary>
    public required BuildInfrastructure Build { get; init; }

    /// <summary>
    /// An EventBridge event bus that receives the events as Image Builder sends them (all four kinds), instead of the
    /// build topic: in the stack's region, or in us-east-1, us-west-2 or eu-west-1; of this account or of another whose
    /// bus policy lets this account put events. Default: none (the build topic, with readable messages).
    /// </summary>
    public string? EventBusArn { get; init; }

    /// <summary>
    /// Deliver the failures of the factory's release verification too (<see cref="BuildEvents.ReleaseFailed"/>): those of the home
    /// region, and those the other regions forward to its default bus. Default: false.
    /// </summary>
    public bool ReleaseFailures { get; init; }
}

/// <summary>
/// The events of Image Builder a team acts on, delivered where it listens: a CVE found in a new image, a pipeline that
/// Image Builder disabled after consecutive failed scheduled runs, a workflow step that waits for an action, and (to an
/// event bus) images that became available or failed. Image Builder sends them to EventBridge
/// ("EC2 Image Builder events", https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-imagebuilder.html); one
/// rule per kind delivers them to the build topic with a readable message naming the image or pipeline and the region
/// (an input transformer), or, with <see cref="BuildEventsProps.EventBusArn"/>, to an event bus as they are. The build
/// topic does not get image state changes through a rule: Image Builder publishes every image that becomes AVAILABLE or
/// FAILED to it already (the infrastructure configuration's SnsTopicArn), and each is told once. The rules match every
/// Image Builder pipeline of the account and region: AWS does not document which resources each of these events names,
/// so filtering them on the factory's names could silently drop them.
/// </summary>
public sealed class BuildEvents : Construct
{
    /// <summary>The kinds of events, as AWS names them and as their messages read.</summary>
    public static readonly IReadOnlyList<BuildEvent> Kinds =
    [
        new(
            "cve-detected",
            "EC2 Image Builder CVE Detected",
            null,
            new Dictionary<string, string>
            {
                ["resource"] = "$.resources[0]",
                ["region"] = "$.region",
                ["critical"] = "$.detail.finding-severity-counts.critical",
                ["high"] = "$.detail.finding-severity-counts.high",
                ["all"] = "$.detail.finding-severity-counts.all",
            },
            "Image Builder's scan found vulnerabilities in <resource> (<region>): <critical> critical, <high> high, <all> in all. Review the findings before the image reaches its consumers.",
            true),
        new(
            "pipeline-disabled",
            "EC2 Image Builder Image Pipeline Automatically Disabled",
            null,
            new Dictionary<string, string> { ["resource"] = "$.resources[0]", ["region"] = "$.region" },
            "Image Builder disabled the pipeline <resource> in <region> after consecutive failed scheduled runs: it builds nothing until it is enabled again (aws imagebuilder update-image-pipeline ... --status ENABLED) once the cause is fixed.",
            true),
        new(
            "step-waiting",
            "EC2 Image Builder Workflow Step Waiting",
            null,
            new Dictionary<string, string>
            {
                ["resource"] = "$.resources[0]",
                ["region"] = "$.region",
                ["step"] = "$.detail.workflow-step-name",
                ["execution"] = "$.detail.workflow-step-execution-id",
            },
            "Image Builder waits for an action on <resource> in <region>: workflow step <step> (<execution>) resumes or stops on aws imagebuilder send-workflow-step-action.",
            true),
        new(
            "image-state",
            "EC2 Image Builder Image State Change",
            new Dictionary<string, object> { ["state"] = new Dictionary<string, object> { ["status"] = new[] { "AVAILABLE", "FAILED" } } },
            new Dictionary<string, string> { ["resource"] = "$.resources[0]", ["region"] = "$.region", ["status"] = "$.detail.state.status" },
            "Image Builder: <resource> is <status> in <region>.",
            false),
    ];

    /// <summary>
    /// A copy that failed its release verification (<see cref="Release.ReleaseVerification"/>), as the verification of
    /// each region reports it on the home region's default bus: the region, account, AMI, image and reason, which the
    /// verification also tags on the copy.
    /// </summary>
    public static BuildEvent ReleaseFailed(string factory) => new(
        "release-failed",
        Releases.FailedDetailType,
        new Dictionary<string, object> { ["factory"] = new[] { factory } },
        new Dictionary<string, string>
        {
            ["ami"] = "$.detail.amiId",
            ["image"] = "$.detail.image",
            ["account"] = "$.detail.account",
            ["region"] = "$.detail.region",
            ["reason"] = "$.detail.reason",
            ["execution"] = "$.detail.execution",
        },
        $"The {factory} factory's release verification failed for <ami> (image <image>) in account <account>, <region>: <reason>. The copy is not promoted; amiinfra release status <image> shows every copy. Execution: <execution>",
        true,
        Releases.EventSource);

    /// <summary>Creates the rules (and, for an event bus, the role EventBridge delivers with).</summary>
    public BuildEvents(Construct scope, string id, BuildEventsProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var stack = Stack.Of(this);
        var prefix = props.Build.NamePrefix;
        var partition = Checks.IsToken(stack.Region) ? stack.Partition : Partitions.NameOf(stack.Region);
        if (props.EventBusArn is { } busArn && !Checks.IsToken(busArn) && !Checks.IsToken(stack.Region) && Partitions.Of(stack.Region) is { } home)
        {
            Checks.Require($"{Node.Path}.EventBusArn", Notifications.EventBus(busArn, home, stack.Region));
        }

        Role? role = null;
        if (props.EventBusArn is { } bus)
        {
            // A rule delivers to an event bus with a role that may put events on it ("Sending and receiving events between
            // AWS accounts", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html).
            role = new Role(this, "DeliveryRole", new RoleProps
            {
                RoleName = $"{prefix}-image-builder-events",
                Description = $"Delivers the Image Builder events of the {prefix} AMI factory to {bus}",
                AssumedBy = new ServicePrincipal("events.amazonaws.com"),
            });
            role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps { Sid = "PutEventsOnTheBus", Actions = ["events:PutEvents"], Resources = [bus] }));
        }

        var kinds = Kinds.Where(k => role is not null || k.ToTopic).ToList();
        if (props.ReleaseFailures)
        {
            kinds.Add(ReleaseFailed(prefix));
        }

        var ruleArns = new List<string>();
        foreach (var kind in kinds)
        {
            var name = RuleName(prefix, kind);
            ruleArns.Add($"arn:{partition}:events:{stack.Region}:{stack.Account}:rule/{name}");
            var pattern = new Dictionary<string, object?>
            {
                ["source"] = new[] { kind.Source },
                ["detail-type"] = new[] { kind.DetailType },
                ["detail"] = kind.Detail,
            };
            Cfn.Resource(this, kind.Id, "AWS::Events::Rule", new Dictionary<string, object?>
            {
                ["Name"] = name,
                ["Description"] = $"{kind.DetailType}: to the {prefix} factory's {(role is null ? "build topic" : "event bus")}",
                ["State"] = "ENABLED",
                ["EventPattern"] = Cfn.Clean(pattern),
                ["Targets"] = new object[]
                {
                    role is null
                        ? new Dictionary<string, object>
                        {
                            ["Id"] = "BuildTopic",
                            ["Arn"] = props.Build.Topic.TopicArn,
                            ["InputTransformer"] = new Dictionary<string, object>
                            {
                                ["InputPathsMap"] = kind.Paths,
                                // A template that is plain text is written as a JSON string ("Transforming input": the
                                // template of a text message is quoted, https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
                                ["InputTemplate"] = $"\"{kind.Message}\"",
                            },
                        }
                        : new Dictionary<string, object> { ["Id"] = "EventBus", ["Arn"] = props.EventBusArn!, ["RoleArn"] = role.RoleArn },
                },
            });
        }

        if (role is null)
        {
            props.Build.AllowEventBridgeToPublish(ruleArns);
        }

        RuleNames = kinds.Select(k => RuleName(prefix, k)).ToList();
    }

    /// <summary>The names of the rules made, one per kind delivered.</summary>
    public IReadOnlyList<string> RuleNames { get; }

    /// <summary>The name of a kind's rule: the prefix, image-builder and the kind (at most 20 + 32 characters, within EventBridge's 64).</summary>
    public static string RuleName(string namePrefix, BuildEvent kind) => $"{namePrefix}-image-builder-{kind.Id}";
}
