using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using CfnRule = Amazon.CDK.AWS.Events.CfnRule;
using CfnRuleProps = Amazon.CDK.AWS.Events.CfnRuleProps;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.StepFunctions;
using AmiInfra.Rules;
using Constructs;

namespace AmiInfra.Constructs.Release;

/// <summary>
/// Verifies every copy of a factory's AMIs in one region before it is promoted: a Step Functions state machine
/// (<see cref="Releases.VerifyStateMachineName"/>, the name <c>amiinfra release verify</c> starts it by) whose definition
/// (<see cref="ReleaseDefinition"/>) launches the copy, waits for its status checks and its SSM agent, runs the smoke test
/// with Run Command, tags the result on the copy, always terminates the instance, and then promotes a copy that passed
/// (the image's latest SSM parameter, launch templates) or deprecates/disables one that failed and reports it to the topic.
/// An EventBridge rule starts it for every AMI that becomes available in the region ("EC2 AMI State Change", state
/// available: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitor-ami-events.html) in the factory account and,
/// forwarded by the target-account StackSet, in the target accounts; the definition ends at once for an AMI that is not
/// the factory's. Its role (<see cref="Releases.StateMachineRoleName"/>) may do only what the definition's tasks call, on
/// the factory's tagged AMIs and instances, and assume itself and the target accounts' <see cref="Releases.TargetRoleName"/>.
/// </summary>
public sealed class ReleaseVerification : Construct
{
    /// <summary>The event EC2 sends when an AMI changes state.</summary>
    public const string AmiStateChange = "EC2 AMI State Change";

    /// <summary>The managed policy that lets the SSM agent register and run commands (Systems Manager user guide, "Configure instance permissions").</summary>
    public const string SsmManagedPolicy = "AmazonSSMManagedInstanceCore";

    /// <summary>Creates the state machine, its role and its trigger.</summary>
    public ReleaseVerification(Construct scope, string id, ReleaseVerificationProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var stack = Stack.Of(this);
        var factory = props.FactoryName;
        if (props.Images.Count == 0)
        {
            throw new ConstructValidationException($"{Node.Path}.Images", "no images", "at least one image whose copies are verified");
        }

        foreach (var image in props.Images)
        {
            if (Releases.Timeout(image.TimeoutMinutes) is { } timeout)
            {
                throw new ConstructValidationException($"{Node.Path}.Images[{image.ImageName}].TimeoutMinutes", timeout.Value, timeout.Accepted);
            }

            if (Releases.FailureAction(image.OnFailure) is { } action)
            {
                throw new ConstructValidationException($"{Node.Path}.Images[{image.ImageName}].OnFailure", action.Value, action.Accepted);
            }
        }

        if (props.FailuresForwardedTo is { } forwardedTo && !Checks.IsToken(forwardedTo))
        {
            Checks.Shape($"{Node.Path}.FailuresForwardedTo", forwardedTo, Notifications.EventBusArn);
            if (!Checks.IsToken(stack.Region) && forwardedTo.Split(':')[3] == stack.Region)
            {
                throw new ConstructValidationException($"{Node.Path}.FailuresForwardedTo", forwardedTo, $"an event bus of another region than {stack.Region} (the home region's): a rule forwarding to its own region's bus would receive again what it sends");
            }
        }

        var roleName = Releases.StateMachineRoleName(factory, Checks.IsToken(stack.Region) ? "region" : stack.Region);
        var roleArn = $"arn:{stack.Partition}:iam::{stack.Account}:role/{roleName}";
        Role = new CfnRole(this, "Role", new CfnRoleProps
        {
            RoleName = roleName,
            Description = $"Runs the release verification of the {factory} factory's AMI copies in this region",
            AssumeRolePolicyDocument = new Dictionary<string, object>
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["Effect"] = "Allow",
                        ["Principal"] = new Dictionary<string, object> { ["Service"] = "states.amazonaws.com" },
                        ["Action"] = "sts:AssumeRole",
                        ["Condition"] = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account } },
                    },

                    // The tasks on a copy of the factory account run with Credentials naming this role (one path for every account).
                    new Dictionary<string, object>
                    {
                        ["Effect"] = "Allow",
                        ["Principal"] = new Dictionary<string, object> { ["AWS"] = $"arn:{stack.Partition}:iam::{stack.Account}:root" },
                        ["Action"] = "sts:AssumeRole",
                        ["Condition"] = new Dictionary<string, object> { ["ArnEquals"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = roleArn } },
                    },
                },
            },
            Policies = new object[]
            {
                new CfnRole.PolicyProperty
                {
                    PolicyName = "VerifyAndPromote",
                    PolicyDocument = new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = Statements(props, stack.Partition, stack.Region, stack.Account, roleArn).ToArray() },
                },
            },
        });

        Definition = ReleaseDefinition.Render(props, "${FactoryAccount}", "${Partition}", "${Region}", "${RoleArn}");
        StateMachine = new CfnStateMachine(this, "Resource", new CfnStateMachineProps
        {
            StateMachineName = Releases.VerifyStateMachineName(factory),
            StateMachineType = "STANDARD",
            RoleArn = Role.AttrArn,
            DefinitionString = Definition,
            DefinitionSubstitutions = new Dictionary<string, string>
            {
                ["FactoryAccount"] = stack.Account,
                ["Partition"] = stack.Partition,
                ["Region"] = stack.Region,
                ["RoleArn"] = Role.AttrArn,
            },
        });
        NagMetadata.Add(Role, [
            CopyAcknowledgement,
        ]);
        NagMetadata.Add(StateMachine, [
            new Acknowledgement("AwsSolutions-SF1", "Each execution's history (every state, input and output) is kept by Step Functions for 90 days and its result is tagged on the AMI it verified; the verification logs nothing else worth a log group"),
            new Acknowledgement("AwsSolutions-SF2", "The state machine calls EC2 and SSM through SDK integrations only: X-Ray would trace nothing of ours"),
        ]);

        if (props.Trigger)
        {
            var accounts = props.TargetAccounts.Prepend(stack.Account).Distinct(StringComparer.Ordinal).ToArray();
            var eventsRole = new CfnRole(this, "TriggerRole", new CfnRoleProps
            {
                Description = $"Lets EventBridge start the {factory} factory's release verification",
                AssumeRolePolicyDocument = ReleaseRoles.ServiceTrust("events.amazonaws.com", stack.Account),
                Policies = new object[]
                {
                    new CfnRole.PolicyProperty
                    {
                        PolicyName = "StartVerification",
                        PolicyDocument = new Dictionary<string, object>
                        {
                            ["Version"] = "2012-10-17",
                            ["Statement"] = new object[] { Allow(["states:StartExecution"], [StateMachine.AttrArn]) },
                        },
                    },
                },
            });
            Trigger = new CfnRule(this, "Trigger", new CfnRuleProps
            {
                Name = $"{factory}-release-verify",
                Description = $"Starts the release verification of every AMI that becomes available in this region, in the {factory} factory's account and its target accounts",
                EventPattern = new Dictionary<string, object>
                {
                    ["source"] = new[] { "aws.ec2" },
                    ["detail-type"] = new[] { AmiStateChange },
                    ["account"] = accounts,
                    ["detail"] = new Dictionary<string, object> { ["State"] = new[] { "available" } },
                },
                Targets = new object[]
                {
                    new CfnRule.TargetProperty
                    {
                        Id = "Verify",
                        Arn = StateMachine.AttrArn,
                        RoleArn = eventsRole.AttrArn,
                        InputTransformer = new CfnRule.InputTransformerProperty
                        {
                            InputPathsMap = new Dictionary<string, string> { ["amiId"] = "$.detail.ImageId", ["account"] = "$.account" },
                            InputTemplate = "{\"amiId\": <amiId>, \"account\": <account>}",
                        },
                    },
                },
            });

            // The target accounts' rules forward their AMI events to this region's default bus.
            if (props.TargetAccounts.Count > 0)
            {
                _ = new CfnEventBusPolicy(this, "TargetEvents", new CfnEventBusPolicyProps
                {
                    StatementId = $"{factory}-release-target-events",
                    Statement = new Dictionary<string, object>
                    {
                        ["Effect"] = "Allow",
                        ["Principal"] = new Dictionary<string, object> { ["AWS"] = props.TargetAccounts.Select(a => $"arn:{stack.Partition}:iam::{a}:root").ToArray() },
                        ["Action"] = "events:PutEvents",
                        ["Resource"] = $"arn:{stack.Partition}:events:{stack.Region}:{stack.Account}:event-bus/default",
                    },
                });
            }
        }

        if (props.FailuresForwardedTo is { } bus)
        {
            // Same account, another region: the rule's role may put events on that bus, and no bus policy is needed.
            var forwardRole = new CfnRole(this, "FailuresRole", new CfnRoleProps
            {
                Description = $"Lets EventBridge forward the {factory} factory's release verification failures of this region to {bus}",
                AssumeRolePolicyDocument = ReleaseRoles.ServiceTrust("events.amazonaws.com"),
                Policies = new object[]
                {
                    new CfnRole.PolicyProperty
                    {
                        PolicyName = "ForwardFailures",
                        PolicyDocument = new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = new object[] { Allow(["events:PutEvents"], [bus]) } },
                    },
                },
            });
            FailuresForwarder = new CfnRule(this, "Failures", new CfnRuleProps
            {
                Name = $"{factory}-release-failures",
                Description = $"Forwards the {factory} factory's release verification failures of this region to the home region, where the build topic hears of them",
                EventPattern = FailurePattern(factory),
                Targets = new object[] { new CfnRule.TargetProperty { Id = "HomeRegion", Arn = bus, RoleArn = forwardRole.AttrArn } },
            });
        }
    }

    /// <summary>
    /// Why the statements on a copy (<see cref="CopyStatements"/>) name resources by wildcard (cdk-nag AwsSolutions-IAM5),
    /// in the factory account's role and in the target accounts' role, whose ARNs carry the partition, region (* in a
    /// target account: one role serves every region) and account as tokens or as values.
    /// </summary>
    internal static Acknowledgement CopyAcknowledgement { get; } = new(
        "AwsSolutions-IAM5",
        "Describe calls and ssm:GetCommandInvocation take no resource (Service Authorization Reference); RunInstances creates instances, volumes and network interfaces whose ids are not known before, in subnets and security groups of the account, with the consumers' launch templates and their key pairs; the factory's AMIs and instances are matched by their amiinfra:factory tag (aws:ResourceTag, ec2:CreateAction, ssm:resourceTag conditions), not by id; the Run Command documents are AWS's own, in whichever region the copy is",
        [
            "Resource::*",
            "/^Resource::arn:(<AWS::Partition>|[^:<]+):ec2:(\\*|[^:]+):(<AWS::AccountId>|[0-9]*):(image|instance|volume|network-interface|subnet|security-group|launch-template|key-pair)\\/\\*$/",
            "/^Resource::arn:(<AWS::Partition>|[^:<]+):ssm:(\\*|[^:]+)::document\\/AWS-Run(Shell|PowerShell)Script$/",
        ]);

    /// <summary>The state machine's role.</summary>
    public CfnRole Role { get; }

    /// <summary>The state machine.</summary>
    public CfnStateMachine StateMachine { get; }

    /// <summary>The rule that starts it for every AMI that becomes available, or null without <see cref="ReleaseVerificationProps.Trigger"/>.</summary>
    public CfnRule? Trigger { get; }

    /// <summary>The rule that forwards this region's failure events, or null without <see cref="ReleaseVerificationProps.FailuresForwardedTo"/>.</summary>
    public CfnRule? FailuresForwarder { get; }

    /// <summary>The event pattern of a factory's release verification failures (<see cref="Releases.FailedDetailType"/>).</summary>
    public static Dictionary<string, object> FailurePattern(string factory) => new()
    {
        ["source"] = new[] { Releases.EventSource },
        ["detail-type"] = new[] { Releases.FailedDetailType },
        ["detail"] = new Dictionary<string, object> { ["factory"] = new[] { factory } },
    };

    /// <summary>The definition, with its <c>${...}</c> substitutions (FactoryAccount, Partition, Region, RoleArn).</summary>
    public string Definition { get; }

    /// <summary>
    /// What the tasks need, each scoped: describe calls (no resource type in the Service Authorization Reference), the
    /// launch of the factory's AMIs with the release instance profile, tags and termination of what it launched, the
    /// commands on those instances, the failure actions on the factory's AMIs, sharing them, the latest parameters and
    /// launch templates of the images, the failure event on the region's default bus, and assuming itself and the target roles.
    /// </summary>
    public static IEnumerable<Dictionary<string, object>> Statements(ReleaseVerificationProps props, string partition, string region, string account, string roleArn)
    {
        ArgumentNullException.ThrowIfNull(props);
        var factory = props.FactoryName;
        var ec2 = $"arn:{partition}:ec2:{region}:{account}";
        var images = $"arn:{partition}:ec2:{region}::image/*";
        var ofFactory = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { [$"aws:ResourceTag/{AmiTagKeys.Factory}"] = factory } };
        yield return Allow(["sts:AssumeRole"], RoleAccounts(props, account).Select(a => $"arn:{partition}:iam::{a}:role/{Releases.TargetRoleName(factory)}").Prepend(roleArn).ToArray());
        foreach (var s in CopyStatements(factory, partition, region, account, images, ec2, ofFactory))
        {
            yield return s;
        }

        var parameters = props.Images.Select(i => i.SsmParameterName).OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(n => $"arn:{partition}:ssm:{region}:{account}:parameter/{n.TrimStart('/')}").ToArray();
        if (parameters.Length > 0)
        {
            yield return Allow(["ssm:PutParameter"], parameters);
        }

        if (props.Images.Any(i => i.LaunchPermissions.Any))
        {
            // Sharing a copy once it passed, only the factory's own AMIs (owned here: the images of this region).
            yield return Allow(["ec2:ModifyImageAttribute"], [images], ofFactory);
        }

        var templates = props.Images.SelectMany(i => i.LaunchTemplates).Where(t => t.AccountId is null || t.AccountId == account)
            .Select(t => $"{ec2}:launch-template/{t.LaunchTemplateId}").Distinct(StringComparer.Ordinal).ToArray();
        if (templates.Length > 0)
        {
            yield return Allow(["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"], templates);
        }

        // The failure event, on the region's default bus.
        yield return Allow(["events:PutEvents"], [$"arn:{partition}:events:{region}:{account}:event-bus/default"]);
    }

    /// <summary>
    /// The accounts whose <see cref="Releases.TargetRoleName"/> the state machine assumes: the target accounts (their
    /// copies) and the accounts of the launch templates it updates for the factory's copies (consumers the copies are
    /// shared with), but not the factory account itself.
    /// </summary>
    public static IReadOnlyList<string> RoleAccounts(ReleaseVerificationProps props, string factoryAccount)
    {
        ArgumentNullException.ThrowIfNull(props);
        return props.TargetAccounts
            .Concat(props.Images.SelectMany(i => i.LaunchTemplates).Select(t => t.AccountId).OfType<string>())
            .Where(a => a != factoryAccount)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The statements on a copy in its own account (the same in the state machine's role and in the target role):
    /// <paramref name="ec2"/> is arn:PARTITION:ec2:REGION:ACCOUNT, <paramref name="region"/> may be "*" (a target role serves every region).
    /// </summary>
    public static IEnumerable<Dictionary<string, object>> CopyStatements(string factory, string partition, string region, string account, string images, string ec2, Dictionary<string, object> ofFactory)
    {
        yield return Allow(["ec2:DescribeImages", "ec2:DescribeInstanceStatus", "ssm:DescribeInstanceInformation"], ["*"]);
        yield return Allow(["ssm:GetCommandInvocation"], ["*"]);
        yield return Allow(["ec2:RunInstances", "ec2:EnableImageDeprecation", "ec2:DisableImage"], [images], ofFactory);
        yield return Allow(["ec2:RunInstances"], [$"{ec2}:instance/*", $"{ec2}:volume/*", $"{ec2}:network-interface/*", $"{ec2}:subnet/*", $"{ec2}:security-group/*", $"{ec2}:launch-template/*", $"{ec2}:key-pair/*"]);
        yield return Allow(["ec2:CreateTags"], [$"{ec2}:instance/*", $"{ec2}:volume/*", $"{ec2}:network-interface/*"], new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["ec2:CreateAction"] = "RunInstances" } });
        yield return Allow(["ec2:CreateTags"], [images], ofFactory);
        yield return Allow(["ec2:TerminateInstances"], [$"{ec2}:instance/*"], ofFactory);
        yield return Allow(["ssm:SendCommand"], [$"arn:{partition}:ssm:{region}::document/{Releases.CommandDocument(false)}", $"arn:{partition}:ssm:{region}::document/{Releases.CommandDocument(true)}"]);
        yield return Allow(["ssm:SendCommand"], [$"{ec2}:instance/*"], new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { [$"ssm:resourceTag/{AmiTagKeys.Factory}"] = factory } });
        yield return Allow(["iam:PassRole"], [$"arn:{partition}:iam::{account}:role/{Releases.InstanceProfileName(factory)}"], new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["iam:PassedToService"] = "ec2.amazonaws.com" } });
    }

    private static Dictionary<string, object> Allow(string[] actions, string[] resources, Dictionary<string, object>? condition = null)
    {
        var statement = new Dictionary<string, object> { ["Effect"] = "Allow", ["Action"] = actions, ["Resource"] = resources };
        if (condition is not null)
        {
            statement["Condition"] = condition;
        }

        return statement;
    }
}
