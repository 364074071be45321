using Amazon.CDK;
using Constructs;
using static AmiInfra.Constructs.Guardrails.GuardrailRuleIds;

namespace AmiInfra.Constructs.Guardrails;

/// <summary>What the guardrails accept as declared; everything else is a finding.</summary>
public sealed record GuardrailOptions
{
    /// <summary>The factory opted in to public AMIs: public launch permissions are warnings, not errors. Default: false.</summary>
    public bool AllowPublicImages { get; init; }

    /// <summary>EC2 key pair names build instances may use. Default: none (build instances are reached with Session Manager).</summary>
    public IReadOnlyList<string> DeclaredKeyPairs { get; init; } = [];
}

/// <summary>
/// AmiInfra's own rule pack for EC2 Image Builder factories, as a CDK aspect: <see cref="Apply"/> checks
/// every CloudFormation resource under a scope at synth, and reports each finding as an error annotation
/// (the CDK CLI then refuses the app) or a warning annotation, starting with the rule id and saying how
/// to fix it. A finding can be acknowledged for one resource, with a written reason
/// (<see cref="Acknowledge"/>, the resource's <c>cdk_nag</c> metadata, which cdk-nag reads too); it then becomes an
/// info annotation carrying the reason. There is no switch that turns a rule off.
/// </summary>
/// <remarks>
/// The rules read the resources' CloudFormation properties (typed L1s, raw <see cref="CfnResource"/>s
/// and the L1s inside L2s alike), resolved as the template will have them. Property overrides
/// (<see cref="CfnResource.AddPropertyOverride"/>) are not seen. Apply the pack to the app, so that the
/// rules that look across stacks (a distribution and the regional keys it names by alias, a lifecycle
/// policy and the Recycle Bin rules of its regions) see every stack.
/// </remarks>
public static class Guardrails
{
    /// <summary>
    /// The AWS-managed policies our roles may carry: those the EC2 Image Builder documentation names for
    /// build instances, container builds, lifecycle policies, cross-account distribution and workflow execution roles.
    /// </summary>
    public static readonly IReadOnlyList<string> AllowedManagedPolicies =
    [
        "AmazonSSMManagedInstanceCore",
        "EC2InstanceProfileForImageBuilder",
        "EC2InstanceProfileForImageBuilderECRContainerBuilds",
        "service-role/EC2ImageBuilderLifecycleExecutionPolicy",
        "Ec2ImageBuilderCrossAccountDistributionAccess",
        "EC2ImageBuilderExecutionPolicy",
    ];

    /// <summary>Every rule, by id.</summary>
    public static readonly IReadOnlyList<GuardrailRule> Rules =
    [
        new(PublicWithoutOptIn, GuardrailSeverity.Error, "public AMI without opt-in",
            "A distribution gives every AWS account launch permission (UserGroups \"all\") although the factory did not opt in to public images.",
            "remove the public launch permission (RegionDistribution.Public = false), or, if the image is meant for everyone, opt in with GuardrailOptions.AllowPublicImages (the declaration's allowPublicImages)."),
        new(PublicImage, GuardrailSeverity.Warning, "public AMI",
            "A distribution makes its AMIs public, with the factory's opt-in: every AWS account can launch them and read their snapshots.",
            "make sure nothing secret is baked into the image, then acknowledge this finding on the distribution with the reason the image is public."),
        new(SharedWithoutCustomerKey, GuardrailSeverity.Error, "shared AMI without a customer-managed key",
            "A distribution region shares the AMI (launch permissions) or copies it into target accounts without a customer-managed KMS key, or with the AWS-managed aws/ebs key, which no other account can use.",
            "set the region's KmsKeyId (RegionDistribution.KmsKeyArn) to a customer-managed key of that region whose policy grants the consumers, e.g. RegionalKey.AliasArnFor(...)."),
        new(KeyDoesNotGrantConsumers, GuardrailSeverity.Error, "key does not grant the consumers",
            "The customer-managed key of a sharing or copying distribution region (found in the app by its alias or reference) has no key policy statement that lets the launch principals or target accounts use it.",
            "grant the missing principals in the key policy (RegionalKeyProps.LaunchAccounts, LaunchOrganizationArns, LaunchOrganizationalUnitArns, TargetAccounts)."),
        new(ImdsV2NotRequired, GuardrailSeverity.Error, "IMDSv2 not required",
            "Build and test instances accept IMDSv1 requests, which a server-side request forgery can use to steal the instance role's credentials.",
            "set the infrastructure configuration's InstanceMetadataOptions.HttpTokens to \"required\"."),
        new(NotTerminatedOnFailure, GuardrailSeverity.Error, "build instances kept on failure",
            "Failed builds leave their instances running, billed and reachable (TerminateInstanceOnFailure is not true; the service keeps them by default).",
            "set the infrastructure configuration's TerminateInstanceOnFailure to true, and debug failed builds from their logs."),
        new(UndeclaredKeyPair, GuardrailSeverity.Error, "undeclared SSH key pair",
            "Build instances get an EC2 key pair the factory did not declare, opening SSH access nobody reviewed.",
            "remove KeyPair (reach build instances with Session Manager), or declare the key pair in GuardrailOptions.DeclaredKeyPairs (the declaration's build.keyPair)."),
        new(RecipeVolumeNotEncrypted, GuardrailSeverity.Error, "recipe volume not encrypted with a customer-managed key",
            "An image recipe volume is unencrypted, uses the AWS-managed aws/ebs key, or is not declared (then it keeps the parent image's encryption), so the AMI's snapshots can be neither protected nor shared.",
            "give every EBS block device mapping of the recipe, the root volume included, Encrypted: true and the KmsKeyId of a customer-managed key (BlockDevice.KmsKeyArn)."),
        new(KeyRotationOff, GuardrailSeverity.Error, "KMS key without rotation",
            "A symmetric customer-managed KMS key does not rotate its key material.",
            "set EnableKeyRotation to true (KeyProps.EnableKeyRotation)."),
        new(BucketPublicAccess, GuardrailSeverity.Error, "bucket without public access block",
            "A bucket does not block all public access (the four PublicAccessBlockConfiguration flags).",
            "set BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets to true (BucketProps.BlockPublicAccess = BlockPublicAccess.BLOCK_ALL)."),
        new(BucketWithoutTls, GuardrailSeverity.Error, "bucket without TLS enforcement",
            "No bucket policy denies requests to the bucket that are not sent over TLS.",
            "add a bucket policy statement that denies s3:* when aws:SecureTransport is false (BucketProps.EnforceSSL = true)."),
        new(BucketNotEncrypted, GuardrailSeverity.Error, "bucket without default encryption",
            "A bucket declares no default encryption, so what encrypts its objects is left to S3's fallback (SSE-S3, with a key no key policy controls) instead of being reviewed in the template.",
            "set BucketEncryption with a default encryption (BucketProps.Encryption, preferably BucketEncryption.KMS with a customer-managed key)."),
        new(TopicNotEncrypted, GuardrailSeverity.Error, "unencrypted topic",
            "An SNS topic stores its messages unencrypted (no KmsMasterKeyId).",
            "set KmsMasterKeyId to a KMS key (TopicProps.MasterKey) whose policy lets the publishers use it."),
        new(TopicWithoutTls, GuardrailSeverity.Error, "topic without TLS enforcement",
            "No topic policy denies publishing to the topic without TLS.",
            "add a topic policy statement that denies sns:Publish when aws:SecureTransport is false (TopicProps.EnforceSSL = true)."),
        new(WildcardAction, GuardrailSeverity.Error, "wildcard IAM action",
            "One of our IAM policies allows every action (\"*\"), every action of a service (\"s3:*\"), or everything but some actions (NotAction).",
            "list the actions the principal needs."),
        new(WildcardResource, GuardrailSeverity.Error, "wildcard IAM resource",
            "One of our IAM policies allows, on every resource (\"*\" or NotResource), actions that support resource-level permissions.",
            "name the resources (ARNs, with wildcards inside the ARN where needed); keep \"*\" only for actions that cannot be scoped (Describe and List actions, for example), in a statement of their own."),
        new(ManagedPolicyNotAllowed, GuardrailSeverity.Error, "AWS-managed policy outside the allow-list",
            "A role, user or group carries an AWS-managed policy that the Image Builder documentation does not name; AWS-managed policies are broad and change without notice.",
            "attach only " + string.Join(", ", AllowedManagedPolicies) + ", and write a customer-managed or inline policy with the actions needed beyond them."),
        new(DeleteWithoutRecycleBin, GuardrailSeverity.Warning, "delete without Recycle Bin",
            "A lifecycle policy deregisters AMIs (and deletes snapshots) in a region where no Recycle Bin retention rule keeps them restorable, so a wrong rule loses them for good.",
            "add Recycle Bin retention rules for EC2_IMAGE (and EBS_SNAPSHOT when snapshots are deleted) in every region the AMIs are in (RecycleBinRetention), in the app the guardrails are applied to."),
        new(ScheduleMaySkipRuns, GuardrailSeverity.Warning, "schedule may skip runs",
            "A scheduled pipeline runs only when a component or the parent image has a new version (EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE, the service default), so operating-system patches that change neither are silently skipped.",
            "set the schedule's PipelineExecutionStartCondition to EXPRESSION_MATCH_ONLY (ImagePipelineProps.StartCondition = StartCondition.ExpressionMatchOnly), or acknowledge with the reason skipped runs are acceptable."),
        new(PublicSharingUnderBlock, GuardrailSeverity.Error, "public sharing under block public access",
            "A distribution makes its AMIs public in a region where the app also blocks public access for AMIs in the same account (AccountControls.ImageBlockPublicAccess), so EC2 refuses the public launch permission and the distribution fails.",
            "remove the public launch permission (RegionDistribution.Public = false), or stop blocking public access for AMIs in that account and region (the declaration's governance.imageBlockPublicAccess)."),
    ];

    private static readonly Dictionary<string, GuardrailRule> ById = Rules.ToDictionary(r => r.Id, StringComparer.Ordinal);

    /// <summary>The rule with this id.</summary>
    /// <exception cref="KeyNotFoundException">No rule has this id.</exception>
    public static GuardrailRule Rule(string id) => ById[id];

    /// <summary>
    /// Checks every resource under <paramref name="scope"/> (usually the app) against every rule when the
    /// app is synthesized. Apply once per scope.
    /// </summary>
    /// <param name="scope">The app, a stage or a stack.</param>
    /// <param name="options">What the factory declared. Default: no public images, no key pairs.</param>
    public static void Apply(IConstruct scope, GuardrailOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var aspects = Aspects.Of(scope);
        if (aspects.All.Any(a => a is GuardrailsAspect))
        {
            throw new ConstructValidationException($"{scope.Node.Path}: Guardrails.Apply", "a second call", "one call per scope (the guardrails already check this scope)");
        }

        aspects.Add(new GuardrailsAspect(scope, options ?? new GuardrailOptions()));
    }

    /// <summary>
    /// Runs every rule over <paramref name="scope"/> now, as the aspect would at synth, adding the
    /// same annotations. For large apps call this just before <c>Synth()</c> instead of
    /// <see cref="Apply"/>: an aspect is called back from the jsii runtime for every construct, and
    /// the runtime's call stack grows with every call made during a callback, so reading thousands
    /// of resources from inside one exhausts it (and the callbacks alone cost milliseconds each).
    /// </summary>
    public static void Check(IConstruct scope, GuardrailOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scope);
        new GuardrailsAspect(scope, options ?? new GuardrailOptions()).Visit(scope);
    }

    /// <summary>
    /// Acknowledges the findings of one rule on one resource, with the reason, as the resource's <c>cdk_nag</c>
    /// metadata (<c>rules_to_suppress</c>): one mechanism for the guardrails and cdk-nag alike. An acknowledged guardrail
    /// finding is reported as an info annotation carrying <paramref name="reason"/> instead of an error or warning;
    /// cdk-nag 2.x skips the findings of an acknowledged cdk-nag rule. The same fault on any other resource is still
    /// reported.
    /// </summary>
    /// <param name="resource">The CloudFormation resource, or a construct whose default child is one (an L2 such as a Bucket).</param>
    /// <param name="ruleId">A guardrail (e.g. <see cref="GuardrailRuleIds.PublicImage"/>) or a cdk-nag rule (e.g. AwsSolutions-IAM4).</param>
    /// <param name="reason">Why the finding is acceptable here, for the reviewer: at least 10 characters.</param>
    /// <param name="appliesTo">For a cdk-nag rule with findings of its own (IAM4, IAM5): the findings acknowledged, e.g. <c>Resource::*</c>. Default: every finding of the rule.</param>
    public static void Acknowledge(IConstruct resource, string ruleId, string reason, params string[] appliesTo)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (ruleId is not null && ruleId.StartsWith("AMI-", StringComparison.Ordinal) && !ById.ContainsKey(ruleId))
        {
            throw new ConstructValidationException($"{resource.Node.Path}: Guardrails.Acknowledge(ruleId)", $"\"{ruleId}\"", $"a rule id from AMI-001 to AMI-{Rules.Count:000}, or a cdk-nag rule id such as AwsSolutions-IAM5");
        }

        var acknowledgement = new Acknowledgement(ruleId!, reason, appliesTo is { Length: > 0 } ? appliesTo : null).Checked($"{resource.Node.Path}: Guardrails.Acknowledge({ruleId})");
        if (acknowledgement.AppliesTo is not null && ruleId!.StartsWith("AMI-", StringComparison.Ordinal))
        {
            throw new ConstructValidationException($"{resource.Node.Path}: Guardrails.Acknowledge({ruleId}).appliesTo", string.Join(", ", appliesTo), "nothing: a guardrail is acknowledged for the whole resource");
        }

        var target = resource as CfnResource ?? resource.Node.DefaultChild as CfnResource
            ?? throw new ConstructValidationException($"{resource.Node.Path}: Guardrails.Acknowledge({ruleId}).resource", "a construct without a CloudFormation resource as its default child", "a CfnResource, or a construct whose default child is one (an acknowledgement covers one resource)");
        NagMetadata.Add(target, [acknowledgement]);
    }
}
