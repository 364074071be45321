using AmiInfra.Constructs.Release;
using AmiInfra.Rules;

namespace AmiInfra.Constructs.TargetAccounts;

/// <summary>
/// What the release verification needs in a target account, as a part of the <see cref="TargetAccountStackSet"/>
/// template: the role <see cref="Releases.TargetRoleName"/> that the factory's state machines
/// (<see cref="Releases.StateMachineRoleName"/>, one per region) assume through Step Functions' task credentials, allowed
/// the same calls on the account's copies as the state machine's role on the factory's (<see cref="ReleaseVerification.CopyStatements"/>,
/// in every region) and the updates of the account's launch templates (for its own copies, or in a consumer account for
/// the factory's copies shared with it); the release instance profile; and, in each region of the stack instances, a rule that forwards the
/// account's "EC2 AMI State Change" events (available) to the factory account's default bus of the same region, where
/// the verification's rule starts it (cross-account event bus targets with a role:
/// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html).
/// </summary>
internal static class ReleaseTargetPart
{
    /// <summary>The target role's logical id in the template.</summary>
    public const string LogicalId = "ReleaseTargetRole";

    /// <summary>The output of the role's ARN.</summary>
    public const string Output = "ReleaseTargetRoleArn";

    /// <summary>The condition of the forwarding rule and its role: an account that receives copies (not the factory's), in a region where it does.</summary>
    public const string ForwardsCondition = "ForwardsNewAmis";

    /// <summary>The part of <see cref="ForwardsCondition"/> on the region (and not the factory account).</summary>
    public const string InForwardingRegionsCondition = "InForwardingRegions";

    /// <summary>
    /// Adds the target role and the instance profile (account-wide) and the forwarding rule and its role (regional, in
    /// <paramref name="regions"/> of every account but the factory's) to <paramref name="template"/>.
    /// </summary>
    /// <param name="template">The StackSet template.</param>
    /// <param name="factoryName">The factory.</param>
    /// <param name="regions">The regions the accounts receive copies in.</param>
    /// <param name="accounts">
    /// The accounts whose new AMIs are forwarded (those that receive copies): only they get the forwarding rule, so that
    /// no other account of the OUs forwards events the factory's bus would refuse (and EventBridge would retry for a day).
    /// Empty: none forwards.
    /// </param>
    public static void AddTo(TargetAccountTemplate template, string factoryName, IReadOnlyList<string> regions, IReadOnlyList<string> accounts)
    {
        template.Describe($"the release verification's role {Releases.TargetRoleName(factoryName)}, its instance profile and the rule that forwards new AMIs to the factory account");
        var factoryAccount = $"${{{TargetAccountTemplate.FactoryAccountParameter}}}";
        var ofFactory = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { [$"aws:ResourceTag/{AmiTagKeys.Factory}"] = factoryName } };
        var statements = ReleaseVerification.CopyStatements(factoryName, "${AWS::Partition}", "*", "${AWS::AccountId}", "arn:${AWS::Partition}:ec2:*::image/*", "arn:${AWS::Partition}:ec2:*:${AWS::AccountId}", ofFactory)
            .Append(new Dictionary<string, object>
            {
                // The launch templates the verification points at a verified copy: those of this account's own copies,
                // and, in a consumer account, those declared for the factory's copies shared with it.
                ["Effect"] = "Allow",
                ["Action"] = new[] { "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate" },
                ["Resource"] = new[] { "arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:launch-template/*" },
            })
            .Select(Substituted).ToArray();
        template.AddAccountWide(LogicalId, new Dictionary<string, object>
        {
            ["Type"] = "AWS::IAM::Role",
            ["Metadata"] = new Dictionary<string, object> { [NagMetadata.Key] = NagMetadata.Render([ReleaseVerification.CopyAcknowledgement]) },
            ["Properties"] = new Dictionary<string, object>
            {
                ["RoleName"] = Releases.TargetRoleName(factoryName),
                ["Description"] = $"Lets the release verification of the {factoryName} factory launch, check, tag and retire this account's copies of its AMIs",
                ["AssumeRolePolicyDocument"] = new Dictionary<string, object>
                {
                    ["Version"] = "2012-10-17",
                    ["Statement"] = new object[]
                    {
                        new Dictionary<string, object>
                        {
                            ["Effect"] = "Allow",
                            ["Principal"] = new Dictionary<string, object> { ["AWS"] = TargetAccountTemplate.Sub($"arn:${{AWS::Partition}}:iam::{factoryAccount}:root") },
                            ["Action"] = "sts:AssumeRole",
                            ["Condition"] = new Dictionary<string, object>
                            {
                                ["ArnLike"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = TargetAccountTemplate.Sub($"arn:${{AWS::Partition}}:iam::{factoryAccount}:role/{Releases.StateMachineRoleName(factoryName, "*")}") },
                            },
                        },
                    },
                },
                ["Policies"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["PolicyName"] = "VerifyCopies",
                        ["PolicyDocument"] = new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = statements },
                    },
                },
            },
        }, Output);

        var instanceRole = "ReleaseInstanceRole";
        template.AddAccountWide(instanceRole, new Dictionary<string, object>
        {
            ["Type"] = "AWS::IAM::Role",
            ["Metadata"] = new Dictionary<string, object> { [NagMetadata.Key] = NagMetadata.Render([ReleaseInstanceProfile.Acknowledgement]) },
            ["Properties"] = new Dictionary<string, object>
            {
                ["RoleName"] = Releases.InstanceProfileName(factoryName),
                ["Description"] = $"The instances the {factoryName} factory's release verification launches: the SSM agent only",
                ["AssumeRolePolicyDocument"] = ReleaseRoles.ServiceTrust("ec2.amazonaws.com"),
                ["ManagedPolicyArns"] = new object[] { TargetAccountTemplate.Sub($"arn:${{AWS::Partition}}:iam::aws:policy/{ReleaseVerification.SsmManagedPolicy}") },
            },
        });
        template.AddAccountWide("ReleaseInstanceProfile", new Dictionary<string, object>
        {
            ["Type"] = "AWS::IAM::InstanceProfile",
            ["Properties"] = new Dictionary<string, object>
            {
                ["InstanceProfileName"] = Releases.InstanceProfileName(factoryName),
                ["Roles"] = new object[] { new Dictionary<string, object> { ["Ref"] = instanceRole } },
            },
        });

        // Forwarding is regional and only from the accounts that are not the factory's (whose own rule starts the
        // verification). Each region has its own forwarding role, allowed to put events on that region's bus only, so
        // that no rule waits for a role made in another region (the stack instances' regions deploy in parallel).
        if (accounts.Count == 0)
        {
            return;
        }

        var inRegions = template.InRegions(InForwardingRegionsCondition, regions, template.NotFactoryAccount())!;
        var condition = template.InAccounts(ForwardsCondition, accounts, inRegions);
        template.AddPlaceholder();
        var forwarder = "ReleaseForwardRole";
        var factoryBus = $"arn:${{AWS::Partition}}:events:${{AWS::Region}}:{factoryAccount}:event-bus/default";
        template.AddRegional(forwarder, new Dictionary<string, object>
        {
            ["Type"] = "AWS::IAM::Role",
            ["Condition"] = condition,
            ["Properties"] = new Dictionary<string, object>
            {
                ["RoleName"] = TargetAccountTemplate.Sub(Releases.ForwardRoleName(factoryName, "${AWS::Region}")),
                ["Description"] = $"Lets EventBridge forward this region's new AMIs to the {factoryName} factory account's release verification",
                ["AssumeRolePolicyDocument"] = ReleaseRoles.ServiceTrust("events.amazonaws.com"),
                ["Policies"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["PolicyName"] = "ForwardNewAmis",
                        ["PolicyDocument"] = new Dictionary<string, object>
                        {
                            ["Version"] = "2012-10-17",
                            ["Statement"] = new object[]
                            {
                                new Dictionary<string, object> { ["Effect"] = "Allow", ["Action"] = "events:PutEvents", ["Resource"] = TargetAccountTemplate.Sub(factoryBus) },
                            },
                        },
                    },
                },
            },
        });
        template.AddRegional("ReleaseForwardRule", new Dictionary<string, object>
        {
            ["Type"] = "AWS::Events::Rule",
            ["Condition"] = condition,
            ["Properties"] = new Dictionary<string, object>
            {
                ["Description"] = $"Forwards this account's new AMIs to the {factoryName} factory's release verification",
                ["EventPattern"] = new Dictionary<string, object>
                {
                    ["source"] = new[] { "aws.ec2" },
                    ["detail-type"] = new[] { ReleaseVerification.AmiStateChange },
                    ["detail"] = new Dictionary<string, object> { ["State"] = new[] { "available" } },
                },
                ["Targets"] = new object[]
                {
                    new Dictionary<string, object>
                    {
                        ["Id"] = "FactoryBus",
                        ["Arn"] = TargetAccountTemplate.Sub(factoryBus),
                        ["RoleArn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { forwarder, "Arn" } },
                    },
                },
            },
        });
    }

    /// <summary>A statement whose resources carry ${...}: as Fn::Sub.</summary>
    private static Dictionary<string, object> Substituted(Dictionary<string, object> statement)
    {
        var copy = new Dictionary<string, object>(statement);
        copy["Resource"] = ((string[])statement["Resource"]).Select(r => r.Contains("${", StringComparison.Ordinal) ? (object)TargetAccountTemplate.Sub(r) : r).ToArray();
        return copy;
    }
}
