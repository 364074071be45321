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
