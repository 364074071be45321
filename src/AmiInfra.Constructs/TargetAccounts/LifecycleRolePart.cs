using AmiInfra.Constructs.Lifecycle;

namespace AmiInfra.Constructs.TargetAccounts;

/// <summary>
/// <see cref="CrossAccountLifecycleRole"/> as a part of the <see cref="TargetAccountStackSet"/> template: the role name
/// Image Builder looks up, trusted by imagebuilder.amazonaws.com on behalf of the factory account (aws:SourceAccount)
/// for Image Builder images only (aws:SourceArn), with the AWS-managed lifecycle execution policy ("Create an IAM role
/// for Image Builder cross-account lifecycle management",
/// https://docs.aws.amazon.com/imagebuilder/latest/userguide/image-lifecycle-prerequisites.html).
/// </summary>
internal static class LifecycleRolePart
{
    /// <summary>The role's logical id in the template.</summary>
    public const string LogicalId = "LifecycleRole";

    /// <summary>The output of the role's ARN.</summary>
    public const string Output = "LifecycleRoleArn";

    /// <summary>Adds the role (account-wide) to <paramref name="template"/>.</summary>
    public static void AddTo(TargetAccountTemplate template)
    {
        template.Describe($"the lifecycle role {CrossAccountLifecycleRole.Name} (the factory's lifecycle policies retire the account's copies)");
        template.AddAccountWide(LogicalId, new Dictionary<string, object>
        {
            ["Type"] = "AWS::IAM::Role",
            ["Metadata"] = new Dictionary<string, object> { [NagMetadata.Key] = NagMetadata.Render([LifecycleExecutionRole.ManagedPolicyAcknowledgement]) },
            ["Properties"] = new Dictionary<string, object>
            {
                ["RoleName"] = CrossAccountLifecycleRole.Name,
                ["Description"] = "Lets the EC2 Image Builder lifecycle policies of the factory account retire the AMI copies this account owns",
                ["AssumeRolePolicyDocument"] = new Dictionary<string, object>
                {
                    ["Version"] = "2012-10-17",
                    ["Statement"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["Effect"] = "Allow",
                            ["Principal"] = new Dictionary<string, object> { ["Service"] = LifecycleExecutionRole.ServicePrincipalName },
                            ["Action"] = "sts:AssumeRole",
                            ["Condition"] = CrossAccountLifecycleRole.TrustConditions(TargetAccountTemplate.FactoryAccount),
                        },
                    },
                },
                ["ManagedPolicyArns"] = new object[] { TargetAccountTemplate.Sub($"arn:${{AWS::Partition}}:iam::aws:policy/{LifecycleExecutionRole.ManagedPolicyName}") },
            },
        }, Output);
    }
}
