using AmiInfra.Constructs.Governance;
using AmiInfra.Constructs.Lifecycle;

namespace AmiInfra.Constructs.Distribution;

/// <summary>
/// What the StackSet of <see cref="DistributionTargets"/> puts into every target account besides the
/// distribution role: the lifecycle role that lets the factory's lifecycle policies retire the account's
/// copies (<see cref="CrossAccountLifecycleRole"/>), and the account controls for AMIs
/// (<see cref="AccountControls"/>) in every region the StackSet deploys to. IAM roles are global: when the
/// StackSet spans several regions, the roles are created in <see cref="DistributionTargetsProps.Region"/> only
/// (a template condition), and the account controls, which are regional, in every region.
/// </summary>
internal static class TargetAccountResources
{
    /// <summary>The condition that holds in the region where the StackSet creates the roles.</summary>
    public const string RolesRegionCondition = "InRolesRegion";

    /// <summary>
    /// The condition that holds in every account but the factory's: should the factory account be in a target OU,
    /// its regional stacks already set its controls (with the same function name), so the StackSet does not.
    /// </summary>
    public const string NotFactoryAccountCondition = "NotFactoryAccount";

    /// <summary>A resource every stack instance has, so that none is left without one (CloudFormation creates no empty stack).</summary>
    public const string PlaceholderId = "AmiInfraTargetAccount";

    /// <summary>The logical id of the lifecycle role in the StackSet template.</summary>
    public const string LifecycleRoleId = "LifecycleRole";

    /// <summary>The regions of the stack instances: the roles' region first, then the controls' regions.</summary>
    public static string[] Regions(DistributionTargetsProps props) =>
        props.AccountControls is null ? [props.Region] : [.. new[] { props.Region }.Concat(props.ControlRegions).Distinct(StringComparer.Ordinal)];

    /// <summary>Adds the lifecycle role, the account controls and, across several regions, the roles' condition to the template.</summary>
    /// <param name="template">The StackSet template.</param>
    /// <param name="props">The StackSet's props.</param>
    /// <param name="where">The construct path of the StackSet, for errors.</param>
    public static void AddTo(Dictionary<string, object> template, DistributionTargetsProps props, string where)
    {
        var resources = (Dictionary<string, object>)template["Resources"];
        if (!props.DistributionRole)
        {
            resources.Remove("DistributionRole");
            ((Dictionary<string, object>)template["Outputs"]).Remove("RoleArn");
        }

        if (props.RetiresCopies)
        {
            resources[LifecycleRoleId] = LifecycleRole();
            ((Dictionary<string, object>)template["Outputs"])["LifecycleRoleArn"] = new Dictionary<string, object>
            {
                ["Value"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { LifecycleRoleId, "Arn" } },
            };
        }

        var conditions = new Dictionary<string, object>();
        if (Regions(props).Length > 1)
        {
            conditions[RolesRegionCondition] = new Dictionary<string, object> { ["Fn::Equals"] = new object[] { new Dictionary<string, object> { ["Ref"] = "AWS::Region" }, props.Region } };
            template["Conditions"] = conditions;
            foreach (var role in resources.Values.Cast<Dictionary<string, object>>())
            {
                role["Condition"] = RolesRegionCondition;
            }

            foreach (var output in ((Dictionary<string, object>)template["Outputs"]).Values.Cast<Dictionary<string, object>>())
            {
                output["Condition"] = RolesRegionCondition;
            }
        }

        if (props.AccountControls is { } controls)
        {
            conditions[NotFactoryAccountCondition] = new Dictionary<string, object>
            {
                ["Fn::Not"] = new object[] { new Dictionary<string, object> { ["Fn::Equals"] = new object[] { new Dictionary<string, object> { ["Ref"] = "AWS::AccountId" }, new Dictionary<string, object> { ["Ref"] = DistributionTargets.FactoryAccountParameter } } } },
            };
            template["Conditions"] = conditions;
            resources[PlaceholderId] = new Dictionary<string, object> { ["Type"] = "AWS::CloudFormation::WaitConditionHandle" };
            foreach (var resource in AccountControls.Render(controls, $"{where}/AccountControls"))
            {
                var entry = new Dictionary<string, object> { ["Type"] = resource.Definition.Type, ["Condition"] = NotFactoryAccountCondition, ["Properties"] = resource.Definition.Properties };
                if (resource.Definition.Acknowledgements.Count > 0)
                {
                    entry["Metadata"] = new Dictionary<string, object> { [NagMetadata.Key] = NagMetadata.Render(resource.Definition.Acknowledgements) };
                }

                if (AccountControls.DeletedWithTheStack.Contains(resource.LogicalId))
                {
                    entry["DeletionPolicy"] = "Delete";
                    entry["UpdateReplacePolicy"] = "Delete";
                }

                resources[resource.LogicalId] = entry;
            }
        }

        if (((Dictionary<string, object>)template["Outputs"]).Count == 0)
        {
            template.Remove("Outputs");
        }
    }

    /// <summary>
    /// <see cref="CrossAccountLifecycleRole"/> as a StackSet template has it: the role name Image Builder looks up,
    /// trusted by imagebuilder.amazonaws.com on behalf of the factory account (aws:SourceAccount) for Image Builder
    /// images only (aws:SourceArn), with the AWS-managed lifecycle execution policy ("Create an IAM role for Image
    /// Builder cross-account lifecycle management", https://docs.aws.amazon.com/imagebuilder/latest/userguide/image-lifecycle-prerequisites.html).
    /// </summary>
    private static Dictionary<string, object> LifecycleRole() => new()
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
                        ["Condition"] = CrossAccountLifecycleRole.TrustConditions(new Dictionary<string, object> { ["Ref"] = DistributionTargets.FactoryAccountParameter }),
                    },
                },
            },
            ["ManagedPolicyArns"] = new object[] { new Dictionary<string, object> { ["Fn::Sub"] = $"arn:${{AWS::Partition}}:iam::aws:policy/{LifecycleExecutionRole.ManagedPolicyName}" } },
        },
    };
}
