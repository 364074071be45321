using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AmiInfra.Rules;

namespace AmiInfra.Constructs.Release;

/// <summary>
/// The Amazon States Language definition of a <see cref="ReleaseVerification"/>, built here in C# (JSONPath, AWS SDK
/// integrations only: no function of ours). Input: <c>{"amiId": "ami-...", "account": "123456789012"}</c>. Every call on
/// the copy runs with <c>Credentials.RoleArn</c> (Step Functions' cross-account access:
/// https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html): the target role in a
/// target account, and the state machine's own role (which trusts itself) in the factory account, so one path serves both.
/// </summary>
/// <remarks>
/// The flow: find the copy (DescribeImages filtered on the factory's tag: an AMI of anyone else ends the execution),
/// pick the image's settings by its <c>amiinfra:image</c> tag, RunInstances (IMDSv2 required, the release instance
/// profile), wait for the status checks (DescribeInstanceStatus) and the agent (DescribeInstanceInformation), SendCommand
/// and wait for its invocation (GetCommandInvocation). Every wait counts its polls against the image's timeout. Any error
/// (Catch States.ALL, which includes States.Timeout of a task) goes to one cleanup path: TerminateInstances when an
/// instance was launched, the failed tags, the failure action (EnableImageDeprecation at the end of the current hour, or
/// DisableImage), an event on the region's default bus (<see cref="Releases.FailedDetailType"/>), and a failed execution. A pass terminates too, then tags, then shares and
/// promotes: ModifyImageAttribute (the image's launch permissions, factory-account copies: no one could launch the copy
/// before), PutParameter (the image's latest parameter, factory-account copies), CreateLaunchTemplateVersion and
/// ModifyLaunchTemplate for the templates of the copy's account. A copy that could not be shared is not promoted.
/// </remarks>
public static class ReleaseDefinition
{
    private const string Ec2 = "ec2";
    private const string Ssm = "ssm";

    /// <summary>The SDK integration ARN of a service action (e.g. ec2, runInstances).</summary>
    public static string SdkResource(string service, string action) => $"arn:aws:states:::aws-sdk:{service}:{action}";

    /// <summary>
    /// The IAM action a Task's resource calls: <c>arn:aws:states:::aws-sdk:ec2:runInstances</c> is ec2:RunInstances
    /// (the SDK integrations' actions are the services' API actions, in camel case: "Call other AWS services",
    /// https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html).
    /// </summary>
    public static string IamAction(string resource)
    {
        var parts = resource.Split(':');
        var service = parts[^2];
        var action = parts[^1];
        return $"{service}:{char.ToUpperInvariant(action[0])}{action[1..]}";
    }

    /// <summary>
    /// The definition, as text. <paramref name="account"/>, <paramref name="partition"/>, <paramref name="region"/> and <paramref name="stateMachineRoleArn"/>
    /// may be literal values or <c>${...}</c> definition substitutions.
    /// </summary>
    public static string Render(ReleaseVerificationProps props, string account, string partition, string region, string stateMachineRoleArn)
    {
        ArgumentNullException.ThrowIfNull(props);
        var states = new JsonObject();
        var factory = props.FactoryName;
        var targetRole = $"arn:{partition}:iam::{{}}:role/{Releases.TargetRoleName(factory)}";

        // Which role the calls on the copy run with.
        states["Start"] = new JsonObject
        {
            ["Type"] = "Choice",
            ["Comment"] = "The copy's account decides the role the calls on it run with",
            ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.account", ["StringEquals"] = account, ["Next"] = "OwnAccount" }),
            ["Default"] = "TargetAccount",
        };
        states["OwnAccount"] = new JsonObject
        {
            ["Type"] = "Pass",
            ["Parameters"] = new JsonObject { ["arn"] = stateMachineRoleArn },
            ["ResultPath"] = "$.role",
            ["Next"] = "FindCopy",
        };
        states["TargetAccount"] = new JsonObject
        {
            ["Type"] = "Pass",
            ["Parameters"] = new JsonObject { ["arn.$"] = $"States.Format('{targetRole}', $.account)" },
            ["ResultPath"] = "$.role",
            ["Next"] = "FindCopy",
        };
        states["FindCopy"] = Task(Ec2, "describeImages", new JsonObject
        {
            ["Filters"] = new JsonArray(
                new JsonObject { ["Name"] = "image-id", ["Values.$"] = "States.Array($.amiId)" },
                new JsonObject { ["Name"] = $"tag:{AmiTagKeys.Factory}", ["Values"] = new JsonArray(factory) }),
        }, "$.copy", "IsTheFactorys", new JsonObject { ["images.$"] = "$.Images" });
        states["FindCopy"]!["Catch"] = new JsonArray(new JsonObject { ["ErrorEquals"] = new JsonArray("States.ALL"), ["ResultPath"] = "$.error", ["Next"] = "NotFound" });
        states["NotFound"] = new JsonObject { ["Type"] = "Fail", ["Error"] = "AmiInfra.CopyNotReadable", ["Cause"] = "The copy could not be described in its account: nothing was launched" };
        states["IsTheFactorys"] = new JsonObject
        {
            ["Type"] = "Choice",
            ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.copy.images[0]", ["IsPresent"] = true, ["Next"] = "ReadCopy" }),
            ["Default"] = "NotTheFactorys",
        };
        states["NotTheFactorys"] = new JsonObject { ["Type"] = "Succeed", ["Comment"] = "Not an AMI of this factory: nothing to verify" };
        states["ReadCopy"] = new JsonObject
        {
            ["Type"] = "Pass",
            ["Parameters"] = new JsonObject { ["image.$"] = $"$.copy.images[0].Tags[?(@.Key == '{AmiTagKeys.Image}')].Value" },
            ["ResultPath"] = "$.copy",
            ["Next"] = "WhichImage",
        };

        var choices = new JsonArray();
        foreach (var image in props.Images)
        {
            var id = StateId(image.ImageName);
            choices.Add(new JsonObject
            {
                ["Variable"] = "$.copy.image[0]",
                ["StringEquals"] = image.ImageName,
                ["Next"] = $"Configure {id}",
            });
            states[$"Configure {id}"] = new JsonObject
            {
                ["Type"] = "Pass",
                ["Result"] = Configuration(image, props.PollSeconds, account),
                ["ResultPath"] = "$.config",
                ["Next"] = $"Launch {id}",
            };

            // A copy of an account with a consumer launch template here is launched with it, as its consumers will
            // launch it: the template's network, security groups, storage, user data and key pair apply; the copy, the
            // instance type, the instance profile, the metadata options and the tags are the verification's (explicit
            // RunInstances parameters override a launch template's: "Use launch templates to control launching instances").
            var withTemplate = image.LaunchWithTemplates
                ? image.LaunchTemplates.GroupBy(t => t.AccountId ?? account, StringComparer.Ordinal).Select(g => (Account: g.Key, Template: g.First().LaunchTemplateId)).ToList()
                : [];
            if (withTemplate.Count > 0)
            {
                states[$"Configure {id}"]!["Next"] = $"Template {id}";
                states[$"Template {id}"] = new JsonObject
                {
                    ["Type"] = "Choice",
                    ["Comment"] = "The consumer launch template of the copy's account, if one is declared in this region",
                    ["Choices"] = new JsonArray(withTemplate.Select(t => (JsonNode)new JsonObject
                    {
                        ["Variable"] = "$.account",
                        ["StringEquals"] = t.Account,
                        ["Next"] = $"Launch {id} with {t.Template}",
                    }).ToArray()),
                    ["Default"] = $"Launch {id}",
                };
            }

            var launch = new JsonObject
            {
                ["ImageId.$"] = "$.amiId",
                ["InstanceType"] = image.InstanceType,
                ["MinCount"] = 1,
                ["MaxCount"] = 1,
                ["IamInstanceProfile"] = new JsonObject { ["Name"] = Releases.InstanceProfileName(factory) },
                ["MetadataOptions"] = new JsonObject { ["HttpTokens"] = "required", ["HttpEndpoint"] = "enabled" },
                ["InstanceInitiatedShutdownBehavior"] = "terminate",
                ["TagSpecifications"] = new JsonArray(new JsonObject
                {
                    ["ResourceType"] = "instance",
                    ["Tags"] = new JsonArray(
                        new JsonObject { ["Key"] = "Name", ["Value"] = $"{factory}-release-verify {image.ImageName}" },
                        new JsonObject { ["Key"] = AmiTagKeys.Factory, ["Value"] = factory },
                        new JsonObject { ["Key"] = AmiTagKeys.Image, ["Value"] = image.ImageName },
                        new JsonObject { ["Key"] = AmiTagKeys.VerificationExecution, ["Value.$"] = "$$.Execution.Id" }),
                }),
            };
            if (image.SubnetId is { } subnet)
            {
                launch["SubnetId"] = subnet;
            }

            states[$"Launch {id}"] = Task(Ec2, "runInstances", launch, "$.instance", "StartPolls", new JsonObject { ["ids.$"] = "$.Instances[*].InstanceId" });
            Catch(states[$"Launch {id}"]!, "LaunchFailed");
            foreach (var (_, template) in withTemplate)
            {
                var fromTemplate = launch.DeepClone().AsObject();
                fromTemplate.Remove("SubnetId");
                fromTemplate["LaunchTemplate"] = new JsonObject { ["LaunchTemplateId"] = template, ["Version"] = "$Default" };
                states[$"Launch {id} with {template}"] = Task(Ec2, "runInstances", fromTemplate, "$.instance", "StartPolls", new JsonObject { ["ids.$"] = "$.Instances[*].InstanceId" });
                Catch(states[$"Launch {id} with {template}"]!, "LaunchFailed");
            }
        }

        states["WhichImage"] = new JsonObject
        {
            ["Type"] = "Choice",
            ["Choices"] = choices,
            ["Default"] = "NotVerified",
        };
        states["NotVerified"] = new JsonObject { ["Type"] = "Succeed", ["Comment"] = "An image of the factory whose release is not verified here" };
        states["LaunchFailed"] = Reason("launch failed", "Record");
        states["StartPolls"] = new JsonObject
        {
            ["Type"] = "Pass",
            ["Comment"] = "One count of polls for the whole timeout, from launch to the smoke test's end",
            ["Result"] = new JsonObject { ["count"] = 0 },
            ["ResultPath"] = "$.polls",
            ["Next"] = "WaitForStatus",
        };

        // Status checks.
        Loop(states, "Status", props.PollSeconds, Task(Ec2, "describeInstanceStatus", new JsonObject
        {
            ["InstanceIds.$"] = "$.instance.ids",
            ["IncludeAllInstances"] = true,
        }, "$.status", "StatusOk", new JsonObject { ["statuses.$"] = "$.InstanceStatuses" }));
        // A path that is not there fails a Choice rule that compares it: what may be missing is asked for first.
        const string Status = "$.status.statuses[0]";
        states["StatusOk"] = new JsonObject
        {
            ["Type"] = "Choice",
            ["Choices"] = new JsonArray(
                new JsonObject { ["Variable"] = $"{Status}.InstanceState.Name", ["IsPresent"] = false, ["Next"] = "WaitForStatus" },
                new JsonObject
                {
                    ["Or"] = new JsonArray(
                        new JsonObject { ["Variable"] = $"{Status}.InstanceState.Name", ["StringEquals"] = "shutting-down" },
                        new JsonObject { ["Variable"] = $"{Status}.InstanceState.Name", ["StringEquals"] = "terminated" },
                        new JsonObject { ["Variable"] = $"{Status}.InstanceState.Name", ["StringEquals"] = "stopping" },
                        new JsonObject { ["Variable"] = $"{Status}.InstanceState.Name", ["StringEquals"] = "stopped" }),
                    ["Next"] = "StatusFailed",
                },
                new JsonObject { ["Variable"] = $"{Status}.InstanceStatus.Status", ["IsPresent"] = false, ["Next"] = "WaitForStatus" },
                new JsonObject { ["Variable"] = $"{Status}.SystemStatus.Status", ["IsPresent"] = false, ["Next"] = "WaitForStatus" }),
            ["Default"] = "StatusChecks",
        };
        states["StatusChecks"] = new JsonObject
        {
            ["Type"] = "Choice",
            ["Choices"] = new JsonArray(
                new JsonObject
                {
                    ["And"] = new JsonArray(
                        new JsonObject { ["Variable"] = $"{Status}.InstanceState.Name", ["StringEquals"] = "running" },
                        new JsonObject { ["Variable"] = $"{Status}.InstanceStatus.Status", ["StringEquals"] = "ok" },
                        new JsonObject { ["Variable"] = $"{Status}.SystemStatus.Status", ["StringEquals"] = "ok" }),
                    ["Next"] = "WaitForAgent",
                },
                new JsonObject
                {
                    ["Or"] = new JsonArray(
                        new JsonObject { ["Variable"] = $"{Status}.InstanceStatus.Status", ["StringEquals"] = "impaired" },
                        new JsonObject { ["Variable"] = $"{Status}.SystemStatus.Status", ["StringEquals"] = "impaired" }),
                    ["Next"] = "StatusFailed",
                }),
            ["Default"] = "WaitForStatus",
        };
        states["StatusFailed"] = Reason("status checks failed", "Cleanup");

        // The SSM agent.
        Loop(states, "Agent", props.PollSeconds, Task(Ssm, "describeInstanceInformation", new JsonObject
        {
            ["Filters"] = new JsonArray(new JsonObject { ["Key"] = "InstanceIds", ["Values.$"] = "$.instance.ids" }),
        }, "$.agent", "AgentOnline", new JsonObject { ["online.$"] = "States.ArrayContains($.InstanceInformationList[*].PingStatus, 'Online')" }));
        states["AgentOnline"] = new JsonObject
        {
            ["Type"] = "Choice",
            ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.agent.online", ["BooleanEquals"] = true, ["Next"] = "SmokeTest" }),
            ["Default"] = "WaitForAgent",
        };

        // The smoke test.
        states["SmokeTest"] = Task(Ssm, "sendCommand", new JsonObject
        {
            ["DocumentName.$"] = "$.config.document",
            ["InstanceIds.$"] = "$.instance.ids",
            ["Comment"] = $"{factory} release verification smoke test",
            ["TimeoutSeconds"] = Releases.DeliveryTimeoutSeconds.Min * 20,
            ["Parameters"] = new JsonObject
            {
                ["commands.$"] = "$.config.commands",
                ["executionTimeout.$"] = "$.config.executionTimeout",
            },
        }, "$.command", "WaitForCommand", new JsonObject { ["id.$"] = "$.Command.CommandId" });
        Catch(states["SmokeTest"]!, "SmokeTestNotSent");
        states["SmokeTestNotSent"] = Reason("smoke test not sent", "Cleanup");
        Loop(states, "Command", props.PollSeconds, Task(Ssm, "getCommandInvocation", new JsonObject
        {
            ["CommandId.$"] = "$.command.id",
            ["InstanceId.$"] = "States.ArrayGetItem($.instance.ids, 0)",
        }, "$.invocation", "CommandDone", new JsonObject { ["status.$"] = "$.Status", ["code.$"] = "$.ResponseCode" }));
        states["CommandDone"] = new JsonObject
        {
            ["Type"] = "Choice",
            ["Choices"] = new JsonArray(
                new JsonObject { ["Variable"] = "$.invocation.status", ["StringEquals"] = "Success", ["Next"] = "Passed" },
                new JsonObject
                {
                    ["Or"] = new JsonArray(
                        new JsonObject { ["Variable"] = "$.invocation.status", ["StringEquals"] = "Pending" },
                        new JsonObject { ["Variable"] = "$.invocation.status", ["StringEquals"] = "InProgress" },
                        new JsonObject { ["Variable"] = "$.invocation.status", ["StringEquals"] = "Delayed" }),
                    ["Next"] = "WaitForCommand",
                }),
            ["Default"] = "SmokeTestFailed",
        };
        states["SmokeTestFailed"] = new JsonObject
        {
            ["Type"] = "Pass",
            ["Parameters"] = new JsonObject { ["reason.$"] = "States.Format('smoke test {} (exit code {})', $.invocation.status, $.invocation.code)" },
            ["ResultPath"] = "$.failure",
            ["Next"] = "Cleanup",
        };

        // A pass: terminate, record, share, promote.
        var shares = props.Images.Any(i => i.LaunchPermissions.Any);
        states["Passed"] = Terminate("RecordPass", "TerminateFailed");
        states["TerminateFailed"] = Reason("terminating the instance failed", "Cleanup");
        states["RecordPass"] = Task(Ec2, "createTags", new JsonObject
        {
            ["Resources.$"] = "States.Array($.amiId)",
            ["Tags"] = new JsonArray(
                new JsonObject { ["Key"] = AmiTagKeys.VerificationResult, ["Value"] = AmiTagKeys.VerificationPassed },
                new JsonObject { ["Key"] = AmiTagKeys.VerifiedAt, ["Value.$"] = "$$.State.EnteredTime" },
                new JsonObject { ["Key"] = AmiTagKeys.VerificationExecution, ["Value.$"] = "$$.Execution.Id" }),
        }, null, shares ? "ShareHere" : "PromoteHere");
        Catch(states["RecordPass"]!, "NotRecorded");
        states["NotRecorded"] = Reason("result not recorded", "Retire");

        // Consumers may launch a factory-account copy only now that it passed (the distribution did not share it).
        if (shares)
        {
            states["ShareHere"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Comment"] = "The launch permissions are the factory account's copies'",
                ["Choices"] = new JsonArray(new JsonObject
                {
                    ["And"] = new JsonArray(
                        new JsonObject { ["Variable"] = "$.account", ["StringEquals"] = account },
                        new JsonObject { ["Variable"] = "$.config.share", ["IsPresent"] = true }),
                    ["Next"] = "Share",
                }),
                ["Default"] = "PromoteHere",
            };
            states["Share"] = Task(Ec2, "modifyImageAttribute", new JsonObject
            {
                ["ImageId.$"] = "$.amiId",
                ["LaunchPermission"] = new JsonObject { ["Add.$"] = "$.config.share" },
            }, null, "PromoteHere");
            Catch(states["Share"]!, "NotShared");

            // A copy its consumers cannot launch is not promoted: the latest parameter would name an AMI they cannot use.
            states["NotShared"] = Reason("launch permissions not granted", "Notify");
        }

        states["PromoteHere"] = new JsonObject
        {
            ["Type"] = "Choice",
            ["Comment"] = "The latest parameter is the factory account's",
            ["Choices"] = new JsonArray(new JsonObject
            {
                ["And"] = new JsonArray(
                    new JsonObject { ["Variable"] = "$.account", ["StringEquals"] = account },
                    new JsonObject { ["Variable"] = "$.config.parameter", ["IsPresent"] = true }),
                ["Next"] = "Promote",
            }),
            ["Default"] = "LaunchTemplates",
        };
        states["Promote"] = Task(Ssm, "putParameter", new JsonObject
        {
            ["Name.$"] = "$.config.parameter",
            ["Value.$"] = "$.amiId",
            ["Type"] = "String",
            ["DataType"] = "aws:ec2:image",
            ["Overwrite"] = true,
        }, null, "LaunchTemplates");
        Catch(states["Promote"]!, "NotPromoted");
        states["NotPromoted"] = Reason("promotion failed", "Notify");
        states["LaunchTemplates"] = new JsonObject
        {
            ["Type"] = "Map",
            ["ItemsPath"] = "$.config.launchTemplates",
            ["ItemSelector"] = new JsonObject
            {
                ["template.$"] = "$$.Map.Item.Value",
                ["account.$"] = "$.account",
                ["amiId.$"] = "$.amiId",
                ["role.$"] = "$.role",
            },
            ["ItemProcessor"] = new JsonObject
            {
                ["ProcessorConfig"] = new JsonObject { ["Mode"] = "INLINE" },
                ["StartAt"] = "OfThisAccount",
                ["States"] = new JsonObject
                {
                    ["OfThisAccount"] = new JsonObject
                    {
                        ["Type"] = "Choice",
                        ["Comment"] = "A template of the copy's account; or, for a copy of the factory account (shared with consumers), a consumer's template, through the target role there",
                        ["Choices"] = new JsonArray(
                            new JsonObject { ["Variable"] = "$.template.account", ["StringEqualsPath"] = "$.account", ["Next"] = "NewVersion" },
                            new JsonObject { ["Variable"] = "$.account", ["StringEquals"] = account, ["Next"] = "ConsumerAccount" }),
                        ["Default"] = "OtherAccount",
                    },
                    ["OtherAccount"] = new JsonObject { ["Type"] = "Succeed", ["Comment"] = "A template of another account than the copy's, which is not the factory's copy" },
                    ["ConsumerAccount"] = new JsonObject
                    {
                        ["Type"] = "Pass",
                        ["Parameters"] = new JsonObject { ["arn.$"] = $"States.Format('{targetRole}', $.template.account)" },
                        ["ResultPath"] = "$.role",
                        ["Next"] = "NewVersion",
                    },
                    ["NewVersion"] = Task(Ec2, "createLaunchTemplateVersion", new JsonObject
                    {
                        ["LaunchTemplateId.$"] = "$.template.id",
                        ["SourceVersion"] = "$Default",
                        ["VersionDescription.$"] = "States.Format('{} verified by {}', $.amiId, $$.Execution.Name)",
                        ["LaunchTemplateData"] = new JsonObject { ["ImageId.$"] = "$.amiId" },
                    }, "$.version", "MakeDefault", new JsonObject { ["number.$"] = "States.Format('{}', $.LaunchTemplateVersion.VersionNumber)" }),
                    ["MakeDefault"] = new JsonObject
                    {
                        ["Type"] = "Choice",
                        ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.template.setDefault", ["BooleanEquals"] = true, ["Next"] = "SetDefault" }),
                        ["Default"] = "Kept",
                    },
                    ["Kept"] = new JsonObject { ["Type"] = "Succeed" },
                    ["SetDefault"] = Task(Ec2, "modifyLaunchTemplate", new JsonObject
                    {
                        ["LaunchTemplateId.$"] = "$.template.id",
                        ["DefaultVersion.$"] = "$.version.number",
                    }, null, null),
                },
            },
            ["ResultPath"] = JsonValue.Create((string?)null),
            ["Next"] = "Verified",
        };
        Catch(states["LaunchTemplates"]!, "TemplatesNotUpdated");
        states["TemplatesNotUpdated"] = Reason("launch templates not updated", "Notify");
        states["Verified"] = new JsonObject { ["Type"] = "Succeed" };

        // A failure: terminate whatever was launched, record, retire the copy, report.
        states["Cleanup"] = new JsonObject
        {
            ["Type"] = "Choice",
            ["Comment"] = "Always terminate what was launched",
            ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.instance.ids", ["IsPresent"] = true, ["Next"] = "Terminate" }),
            ["Default"] = "Record",
        };
        var terminate = Terminate("Record", null);
        terminate["Retry"] = new JsonArray(new JsonObject
        {
            ["ErrorEquals"] = new JsonArray("States.ALL"),
            ["IntervalSeconds"] = 5,
            ["MaxAttempts"] = 5,
            ["BackoffRate"] = 2,
        });
        terminate["Catch"] = new JsonArray(new JsonObject { ["ErrorEquals"] = new JsonArray("States.ALL"), ["ResultPath"] = "$.terminateError", ["Next"] = "Record" });
        states["Terminate"] = terminate;
        states["Record"] = Task(Ec2, "createTags", new JsonObject
        {
            ["Resources.$"] = "States.Array($.amiId)",
            ["Tags"] = new JsonArray(
                new JsonObject { ["Key"] = AmiTagKeys.VerificationResult, ["Value"] = AmiTagKeys.VerificationFailed },
                new JsonObject { ["Key"] = AmiTagKeys.VerifiedAt, ["Value.$"] = "$$.State.EnteredTime" },
                new JsonObject { ["Key"] = AmiTagKeys.VerificationExecution, ["Value.$"] = "$$.Execution.Id" },
                new JsonObject { ["Key"] = AmiTagKeys.VerificationReason, ["Value.$"] = "$.failure.reason" }),
        }, null, "Retire");
        Catch(states["Record"]!, "Retire", "$.recordError");
        states["Retire"] = new JsonObject
        {
            ["Type"] = "Choice",
            ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.config.onFailure", ["StringEquals"] = "disable", ["Next"] = "Disable" }),
            ["Default"] = "DeprecationTime",
        };

        // EnableImageDeprecation takes no time in the past, and JSONPath has no date arithmetic: the end of the current hour.
        states["DeprecationTime"] = new JsonObject
        {
            ["Type"] = "Pass",
            ["Parameters"] = new JsonObject { ["at.$"] = "States.Format('{}:59:00Z', States.ArrayGetItem(States.StringSplit($$.State.EnteredTime, ':'), 0))" },
            ["ResultPath"] = "$.deprecation",
            ["Next"] = "Deprecate",
        };
        states["Deprecate"] = Task(Ec2, "enableImageDeprecation", new JsonObject
        {
            ["ImageId.$"] = "$.amiId",
            ["DeprecateAt.$"] = "$.deprecation.at",
        }, null, "Notify");
        Catch(states["Deprecate"]!, "NextHour", "$.retireError");
        states["NextHour"] = new JsonObject { ["Type"] = "Wait", ["Seconds"] = 61, ["Comment"] = "The last minute of an hour: deprecate at the end of the next one", ["Next"] = "DeprecateOnce" };
        states["DeprecateOnce"] = new JsonObject
        {
            ["Type"] = "Pass",
            ["Parameters"] = new JsonObject { ["at.$"] = "States.Format('{}:59:00Z', States.ArrayGetItem(States.StringSplit($$.State.EnteredTime, ':'), 0))" },
            ["ResultPath"] = "$.deprecation",
            ["Next"] = "DeprecateAgain",
        };
        states["DeprecateAgain"] = Task(Ec2, "enableImageDeprecation", new JsonObject
        {
            ["ImageId.$"] = "$.amiId",
            ["DeprecateAt.$"] = "$.deprecation.at",
        }, null, "Notify");
        Catch(states["DeprecateAgain"]!, "Notify", "$.retireError");
        states["Disable"] = Task(Ec2, "disableImage", new JsonObject { ["ImageId.$"] = "$.amiId" }, null, "Notify");
        Catch(states["Disable"]!, "Notify", "$.retireError");

        // The failure is an event on the region's default bus (the factory account's: the state machine's own role):
        // the home region's rule tells the build topic, other regions forward it there (ReleaseVerification.FailuresForwardedTo).
        states["Notify"] = new JsonObject
        {
            ["Type"] = "Pass",
            ["Parameters"] = new JsonObject
            {
                ["factory"] = factory,
                ["image.$"] = "$.config.image",
                ["amiId.$"] = "$.amiId",
                ["account.$"] = "$.account",
                ["region"] = region,
                ["reason.$"] = "$.failure.reason",
                ["execution.$"] = "$$.Execution.Id",
            },
            ["ResultPath"] = "$.notice",
            ["Next"] = "PutFailureEvent",
        };
        states["PutFailureEvent"] = new JsonObject
        {
            ["Type"] = "Task",
            // EventBridge's optimized integration ("Send custom events to EventBridge with Step Functions",
            // https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html): Detail takes the object as it is.
            ["Resource"] = "arn:aws:states:::events:putEvents",
            ["Parameters"] = new JsonObject
            {
                ["Entries"] = new JsonArray(new JsonObject
                {
                    ["Source"] = Releases.EventSource,
                    ["DetailType"] = Releases.FailedDetailType,
                    ["Detail.$"] = "$.notice",
                }),
            },
            ["ResultPath"] = JsonValue.Create((string?)null),
            ["TimeoutSeconds"] = 60,
            ["Next"] = "Failed",
        };
        Catch(states["PutFailureEvent"]!, "Failed", "$.notifyError");

        states["Failed"] = new JsonObject { ["Type"] = "Fail", ["Error"] = "AmiInfra.VerificationFailed", ["Cause"] = "The copy failed its release verification: see amiinfra:verification-reason on the AMI" };

        var definition = new JsonObject
        {
            ["Comment"] = $"Verifies every copy of the {factory} factory's AMIs where it lands, and promotes it only after it passed",
            ["StartAt"] = "Start",
            ["States"] = states,
        };
        return definition.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>Every Task's IAM action in <paramref name="definition"/> (nested Map processors included), for the role's checks.</summary>
    public static IReadOnlyList<string> TaskActions(string definition)
    {
        var actions = new SortedSet<string>(StringComparer.Ordinal);
        void Walk(JsonNode? node)
        {
            if (node is JsonObject o)
            {
                if (o["Type"]?.GetValue<string>() == "Task" && o["Resource"]?.GetValue<string>() is { } resource)
                {
                    actions.Add(IamAction(resource));
                }

                foreach (var (_, child) in o)
                {
                    Walk(child);
                }
            }
            else if (node is JsonArray a)
            {
                foreach (var child in a)
                {
                    Walk(child);
                }
            }
        }

        Walk(JsonNode.Parse(definition));
        return actions.ToList();
    }

    /// <summary>The image's settings the execution carries ($.config).</summary>
    private static JsonObject Configuration(ReleaseImage image, int pollSeconds, string account)
    {
        var commands = image.Commands.Count > 0 ? image.Commands : [Releases.DefaultCommand(image.Windows)];
        var templates = new JsonArray();
        foreach (var t in image.LaunchTemplates)
        {
            templates.Add(new JsonObject { ["id"] = t.LaunchTemplateId, ["account"] = t.AccountId ?? account, ["setDefault"] = t.SetDefaultVersion });
        }

        var config = new JsonObject
        {
            ["image"] = image.ImageName,
            ["document"] = Releases.CommandDocument(image.Windows),
            ["commands"] = new JsonArray(commands.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
            ["executionTimeout"] = new JsonArray((image.TimeoutMinutes * 60).ToString(CultureInfo.InvariantCulture)),
            ["maxPolls"] = Math.Max(1, image.TimeoutMinutes * 60 / Math.Max(1, pollSeconds)),
            ["onFailure"] = image.OnFailure,
            ["launchTemplates"] = templates,
        };
        if (image.SsmParameterName is { } parameter)
        {
            config["parameter"] = parameter;
        }

        var share = new JsonArray();
        foreach (var id in image.LaunchPermissions.Accounts)
        {
            share.Add(new JsonObject { ["UserId"] = id });
        }

        foreach (var arn in image.LaunchPermissions.OrganizationArns)
        {
            share.Add(new JsonObject { ["OrganizationArn"] = arn });
        }

        foreach (var arn in image.LaunchPermissions.OrganizationalUnitArns)
        {
            share.Add(new JsonObject { ["OrganizationalUnitArn"] = arn });
        }

        if (image.LaunchPermissions.Public)
        {
            share.Add(new JsonObject { ["Group"] = "all" });
        }

        if (share.Count > 0)
        {
            config["share"] = share;
        }

        return config;
    }

    /// <summary>A state id from an image name (state names take up to 80 characters).</summary>
    private static string StateId(string imageName) => imageName;

    private static JsonObject Task(string service, string action, JsonObject parameters, string? resultPath, string? next, JsonObject? selector = null)
    {
        var task = new JsonObject
        {
            ["Type"] = "Task",
            ["Resource"] = SdkResource(service, action),
            ["Credentials"] = new JsonObject { ["RoleArn.$"] = "$.role.arn" },
            ["Parameters"] = parameters,
            ["TimeoutSeconds"] = 60,
        };
        if (selector is not null)
        {
            task["ResultSelector"] = selector;
        }

        task["ResultPath"] = resultPath is null ? JsonValue.Create((string?)null) : resultPath;
        if (next is null)
        {
            task["End"] = true;
        }
        else
        {
            task["Next"] = next;
        }

        return task;
    }

    private static void Catch(JsonNode task, string next, string resultPath = "$.error") =>
        task["Catch"] = new JsonArray(new JsonObject { ["ErrorEquals"] = new JsonArray("States.ALL"), ["ResultPath"] = resultPath, ["Next"] = next });

    private static JsonObject Reason(string reason, string next) => new()
    {
        ["Type"] = "Pass",
        ["Parameters"] = new JsonObject { ["reason.$"] = $"States.Format('{reason}: {{}}', $.error.Error)" },
        ["ResultPath"] = "$.failure",
        ["Next"] = next,
    };

    private static JsonObject Terminate(string next, string? onError)
    {
        var task = Task(Ec2, "terminateInstances", new JsonObject { ["InstanceIds.$"] = "$.instance.ids" }, "$.terminated", next, new JsonObject { ["state.$"] = "$.TerminatingInstances[0].CurrentState.Name" });
        if (onError is not null)
        {
            Catch(task, onError);
        }

        return task;
    }

    /// <summary>
    /// A poll: Wait, count the poll, give up past the image's polls (the timeout: its reason, then the cleanup), call
    /// <paramref name="check"/> (whose Next decides), and on the check's error clean up.
    /// </summary>
    private static void Loop(JsonObject states, string what, int pollSeconds, JsonObject check)
    {
        states[$"WaitFor{what}"] = new JsonObject { ["Type"] = "Wait", ["Seconds"] = pollSeconds, ["Next"] = $"Count{what}" };
        states[$"Count{what}"] = new JsonObject
        {
            ["Type"] = "Pass",
            ["Parameters"] = new JsonObject { ["count.$"] = "States.MathAdd($.polls.count, 1)" },
            ["ResultPath"] = "$.polls",
            ["Next"] = $"Within{what}",
        };
        states[$"Within{what}"] = new JsonObject
        {
            ["Type"] = "Choice",
            ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.polls.count", ["NumericGreaterThanPath"] = "$.config.maxPolls", ["Next"] = $"{what}TimedOut" }),
            ["Default"] = $"Check{what}",
        };
        states[$"{what}TimedOut"] = new JsonObject
        {
            ["Type"] = "Pass",
            ["Parameters"] = new JsonObject { ["reason"] = $"timed out waiting for the {what.ToLowerInvariant()} (States.Timeout)" },
            ["ResultPath"] = "$.failure",
            ["Next"] = "Cleanup",
        };
        Catch(check, $"{what}CheckFailed");
        states[$"Check{what}"] = check;
        states[$"{what}CheckFailed"] = Reason($"{what.ToLowerInvariant()} check failed", "Cleanup");
    }
}
