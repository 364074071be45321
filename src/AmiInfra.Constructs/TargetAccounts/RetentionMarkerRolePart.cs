using AmiInfra.Constructs.Lifecycle;

namespace AmiInfra.Constructs.TargetAccounts;

/// <summary>
/// The role through which the factory's <see cref="RetentionMarker"/> marks the retention windows of the AMI copies an
/// account owns, as a part of the <see cref="TargetAccountStackSet"/> template: named after the factory
/// (<see cref="RetentionMarker.TargetRoleName"/>), trusted only by the marker's role in the factory account (the account
/// is the principal, narrowed by aws:PrincipalArn, since a role ARN as principal must exist when the policy is written:
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn),
/// and allowed only to list images and to add or remove the retention tags on the factory's images.
/// </summary>
internal static class RetentionMarkerRolePart
{
    /// <summary>The role's logical id in the template.</summary>
    public const string LogicalId = "RetentionMarkerRole";

    /// <summary>The output of the role's ARN.</summary>
    public const string Output = "RetentionMarkerRoleArn";

    /// <summary>Adds the role (account-wide) to <paramref name="template"/>.</summary>
    /// <param name="template">The StackSet template.</param>
    /// <param name="factoryName">The factory whose marker assumes the role.</param>
    public static void AddTo(TargetAccountTemplate template, string factoryName)
    {
        template.Describe($"the retention marker's role {RetentionMarker.TargetRoleName(factoryName)} (the factory's retention marker tags the newest copies the lifecycle policies must keep)");
        var marker = TargetAccountTemplate.Sub($"arn:${{AWS::Partition}}:iam::${{{TargetAccountTemplate.FactoryAccountParameter}}}:role/{RetentionMarker.RoleName(factoryName)}");
        template.AddAccountWide(LogicalId, new Dictionary<string, object>
        {
            ["Type"] = "AWS::IAM::Role",
            ["Metadata"] = new Dictionary<string, object> { [NagMetadata.Key] = NagMetadata.Render(RetentionMarker.MarkingAcknowledgements(factoryName, assumesTargetRoles: false, "<AWS::Partition>")) },
            ["Properties"] = new Dictionary<string, object>
            {
                ["RoleName"] = RetentionMarker.TargetRoleName(factoryName),
                ["Description"] = $"Lets the retention marker of the {factoryName} factory list this account's copies of its AMIs and set their retention tags",
                ["AssumeRolePolicyDocument"] = new Dictionary<string, object>
                {
                    ["Version"] = "2012-10-17",
                    ["Statement"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["Effect"] = "Allow",
                            ["Principal"] = new Dictionary<string, object> { ["AWS"] = TargetAccountTemplate.Sub($"arn:${{AWS::Partition}}:iam::${{{TargetAccountTemplate.FactoryAccountParameter}}}:root") },
                            ["Action"] = "sts:AssumeRole",
                            ["Condition"] = new Dictionary<string, object> { ["ArnEquals"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = marker } },
                        },
                    },
                },
                ["Policies"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["PolicyName"] = "MarkRetentionWindows",
                        ["PolicyDocument"] = new Dictionary<string, object>
                        {
                            ["Version"] = "2012-10-17",
                            ["Statement"] = RetentionMarker.MarkingStatements(factoryName, text => TargetAccountTemplate.Sub(text)).ToArray(),
                        },
                    },
                },
            },
        }, Output);
    }
}
