using static AmiInfra.Constructs.Guardrails.CfnValues;
using static AmiInfra.Constructs.Guardrails.GuardrailRuleIds;

namespace AmiInfra.Constructs.Guardrails;

/// <summary>AMI-009 to AMI-014: key rotation, and buckets and topics that are private, encrypted and TLS-only.</summary>
internal static class StorageChecks
{
    private static readonly string[] PublicAccessFlags = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"];

    public static void Run(ResourceModel model, List<Finding> findings)
    {
        foreach (var key in model.OfType("AWS::KMS::Key"))
        {
            // KMS rotates only symmetric keys with key material it generated.
            var spec = Text(key["KeySpec"]);
            var origin = Text(key["Origin"]);
            var rotatable = (spec is null || spec == "SYMMETRIC_DEFAULT") && (origin is null || origin == "AWS_KMS");
            if (rotatable && !IsTrue(key["EnableKeyRotation"]))
            {
                findings.Add(new Finding(Guardrails.Rule(KeyRotationOff), key, "EnableKeyRotation is not true."));
            }
        }

        foreach (var stack in model.Stacks)
        {
            foreach (var bucket in stack.OfType("AWS::S3::Bucket"))
            {
                CheckBucket(stack, bucket, findings);
            }

            foreach (var topic in stack.OfType("AWS::SNS::Topic"))
            {
                if (topic["KmsMasterKeyId"] is null)
                {
                    findings.Add(new Finding(Guardrails.Rule(TopicNotEncrypted), topic, "the topic has no KmsMasterKeyId."));
                }

                var enforced = stack.OfType("AWS::SNS::TopicPolicy").Any(policy =>
                    List(policy["Topics"]).Any(t => ReferencedLogicalId(t) == topic.LogicalId)
                    && Statements(policy["PolicyDocument"]).Any(DeniesInsecureTransport));
                if (!enforced)
                {
                    findings.Add(new Finding(Guardrails.Rule(TopicWithoutTls), topic, "no topic policy of the stack denies requests without TLS (aws:SecureTransport false)."));
                }
            }
        }
    }

    private static void CheckBucket(CheckedStack stack, CheckedResource bucket, List<Finding> findings)
    {
        var block = bucket["PublicAccessBlockConfiguration"];
        var open = PublicAccessFlags.Where(flag => !IsTrue(Get(block, flag))).ToList();
        if (open.Count > 0)
        {
            findings.Add(new Finding(Guardrails.Rule(BucketPublicAccess), bucket, $"{string.Join(", ", open)} {(open.Count == 1 ? "is" : "are")} not true."));
        }

        var name = Text(bucket["BucketName"]);
        var enforced = stack.OfType("AWS::S3::BucketPolicy").Any(policy =>
            (ReferencedLogicalId(policy["Bucket"]) == bucket.LogicalId || (name is not null && Text(policy["Bucket"]) == name))
            && Statements(policy["PolicyDocument"]).Any(DeniesInsecureTransport));
        if (!enforced)
        {
            findings.Add(new Finding(Guardrails.Rule(BucketWithoutTls), bucket, "no bucket policy of the stack denies requests without TLS (aws:SecureTransport false)."));
        }

        var encryption = List(Get(bucket["BucketEncryption"], "ServerSideEncryptionConfiguration"));
        if (!encryption.Any(rule => Get(rule, "ServerSideEncryptionByDefault", "SSEAlgorithm") is not null))
        {
            findings.Add(new Finding(Guardrails.Rule(BucketNotEncrypted), bucket, "BucketEncryption declares no default encryption (SSEAlgorithm), so S3 falls back to SSE-S3 with a key no key policy controls."));
        }
    }
}
