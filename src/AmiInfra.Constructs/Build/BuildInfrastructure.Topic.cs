using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using AmiInfra.Rules;

namespace AmiInfra.Constructs.Build;

/// <summary>The notification topic and what its key needs: the topic's requirements, made where the topic is.</summary>
public sealed partial class BuildInfrastructure
{
    /// <summary>The path and name of Image Builder's service-linked role, which publishes the notifications.</summary>
    public const string ImageBuilderServiceLinkedRole = "aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder";

    private TopicPolicy? _topicPolicy;

    /// <summary>
    /// The SSM parameter holding the build key's ARN: <c>/amiinfra/PREFIX/build-key-arn</c>. Other stacks of the factory
    /// that need the key itself, not its alias (CloudWatch Logs takes a key ARN only, "Encrypt log data in CloudWatch
    /// Logs using AWS KMS": https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html), read it
    /// with a dynamic reference (<see cref="KeyArnReference"/>) rather than a cross-stack export.
    /// </summary>
    public static string KeyArnParameterName(string namePrefix) => $"/amiinfra/{namePrefix}/build-key-arn";

    /// <summary>The build key's ARN as a CloudFormation dynamic reference to <see cref="KeyArnParameterName"/>, resolved at deploy time.</summary>
    public static string KeyArnReference(string namePrefix) => $"{{{{resolve:ssm:{KeyArnParameterName(namePrefix)}}}}}";

    /// <summary>
    /// Where the factory's log groups are: /aws/imagebuilder/PREFIX/..., under the path Image Builder writes without an
    /// execution role, and apart from the log groups Image Builder creates by default (/aws/imagebuilder/NAME), which a
    /// factory that ran before may already have.
    /// </summary>
    public static string LogGroupPath(string namePrefix) => $"{Builds.LogGroupPrefix}{namePrefix}/";

    /// <summary>
    /// Publishes the build key's ARN (<see cref="KeyArnParameterName"/>) and lets CloudWatch Logs encrypt the factory's
    /// log groups (<see cref="LogGroupPath"/>) with the key: the key policy statement the CloudWatch Logs user guide gives,
    /// limited by the encryption context to those log groups ("Step 2: Set permissions on the KMS key",
    /// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
    /// </summary>
    private void PublishKeyArn(BuildInfrastructureProps props, Stack stack)
    {
        _ = new Amazon.CDK.AWS.SSM.StringParameter(this, "KeyArn", new Amazon.CDK.AWS.SSM.StringParameterProps
        {
            ParameterName = KeyArnParameterName(props.NamePrefix),
            Description = $"The ARN of the build key of the {props.NamePrefix} AMI factory, for stacks that need the key rather than its alias",
            StringValue = props.Key.KeyArn,
        });

        var partition = Checks.IsToken(stack.Region) ? stack.Partition : Partitions.NameOf(stack.Region);
        var dnsSuffix = Partitions.Of(stack.Region)?.DnsSuffix ?? Aws.URL_SUFFIX;
        var added = props.Key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowCloudWatchLogsForTheFactorysLogGroups",
            Principals = [new ServicePrincipal($"logs.{stack.Region}.{dnsSuffix}")],
            Actions = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object>
                {
                    ["kms:EncryptionContext:aws:logs:arn"] = $"arn:{partition}:logs:{stack.Region}:{stack.Account}:log-group:{LogGroupPath(props.NamePrefix)}*",
                },
            },
        }));
        if (added.StatementAdded != true)
        {
            Annotations.Of(this).AddWarningV2(
                "amiinfra:build-key-logs",
                $"The key is not of this app, so its key policy was not changed: let logs.{stack.Region}.{dnsSuffix} use it for the log groups under {LogGroupPath(props.NamePrefix)}, or log groups encrypted with it cannot be created.");
        }
    }

    /// <summary>
    /// Lets EventBridge rules publish to the topic, encrypted with the build key: the topic policy lets
    /// events.amazonaws.com publish for these rules only (aws:SourceArn), and the key policy lets it use the key
    /// (kms:Decrypt, kms:GenerateDataKey*) as the SNS developer guide gives it for event sources of AWS services
    /// ("Enable compatibility between event sources from AWS services and encrypted topics":
    /// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services), without
    /// conditions: EventBridge's request to KMS carries no aws:SourceArn or aws:SourceAccount to condition on.
    /// </summary>
    /// <param name="ruleArns">The rules that publish.</param>
    internal void AllowEventBridgeToPublish(IReadOnlyList<string> ruleArns)
    {
        _topicPolicy!.Document.AddStatements(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowTheFactorysEventRulesToPublish",
            Principals = [new ServicePrincipal("events.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [Topic.TopicArn],
            Conditions = new Dictionary<string, object> { ["ArnEquals"] = new Dictionary<string, object> { ["aws:SourceArn"] = ruleArns.ToArray() } },
        }));
        var added = _props.Key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowEventBridgeToPublishToTheBuildTopic",
            Principals = [new ServicePrincipal("events.amazonaws.com")],
            Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resources = ["*"],
        }));
        if (added.StatementAdded != true)
        {
            Annotations.Of(this).AddWarningV2(
                "amiinfra:build-key-events",
                "The key is not of this app, so its key policy was not changed: let events.amazonaws.com use it (kms:Decrypt, kms:GenerateDataKey*), or EventBridge cannot publish to the encrypted topic.");
        }
    }

    private Topic CreateTopic(BuildInfrastructureProps props)
    {
        var topic = new Topic(this, "Notifications", new TopicProps
        {
            TopicName = $"{props.NamePrefix}-image-builder",
            DisplayName = $"{props.NamePrefix} image builds",
            MasterKey = props.Key,
        });

        // The topic policy only denies publishing without TLS (the statement TopicProps.EnforceSSL writes, which the
        // CDK adds only along with another statement). Image Builder publishes through its service-linked role, an
        // identity of this account whose own policy allows sns:Publish, so no Allow statement is needed, and no
        // service principal is let in.
        var policy = new TopicPolicy(topic, "Policy", new TopicPolicyProps { Topics = [topic] });
        _topicPolicy = policy;
        policy.Document.AddStatements(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowPublishThroughSSLOnly",
            Effect = Effect.DENY,
            Principals = [new StarPrincipal()],
            Actions = ["sns:Publish"],
            Resources = [topic.TopicArn],
            Conditions = new Dictionary<string, object> { ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" } },
        }));
        return topic;
    }

    /// <summary>
    /// Lets Image Builder encrypt what it publishes to the topic with <paramref name="key"/>. It publishes through its
    /// service-linked role, which may not exist yet when the key is created: the role is named by condition rather than
    /// as a principal ("Amazon SNS integration in Image Builder", Encrypted SNS topics:
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/integ-sns.html). A key imported into the app keeps the
    /// policy it has: a warning says what it needs.
    /// </summary>
    private void AllowImageBuilderToNotify(IKey key, Stack stack)
    {
        var partition = Checks.IsToken(stack.Region) ? stack.Partition : Partitions.NameOf(stack.Region);
        var dnsSuffix = Partitions.Of(stack.Region)?.DnsSuffix ?? Aws.URL_SUFFIX;
        var added = key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowImageBuilderToNotify",
            Principals = [new AnyPrincipal()],
            Actions = ["kms:GenerateDataKey*", "kms:Decrypt"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object>
                {
                    ["aws:PrincipalAccount"] = stack.Account,
                    ["kms:ViaService"] = $"sns.{stack.Region}.{dnsSuffix}",
                },
                ["ArnLike"] = new Dictionary<string, object>
                {
                    ["aws:PrincipalArn"] = $"arn:{partition}:iam::{stack.Account}:role/{ImageBuilderServiceLinkedRole}",
                },
            },
        }));
        if (added.StatementAdded != true)
        {
            Annotations.Of(this).AddWarningV2(
                "amiinfra:build-key-policy",
                "The key is not of this app, so its key policy was not changed: let Image Builder's service-linked role use it through SNS (kms:GenerateDataKey*, kms:Decrypt), or build-failure notices are dropped.");
        }
    }
}
