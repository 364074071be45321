using AmiInfra.Rules;

namespace AmiInfra.Constructs.Distribution;

/// <summary>
/// The key policy of a <see cref="RegionalKey"/>, rendered as a plain object (one jsii call for the whole
/// policy). Who may use the key, and how:
/// <list type="bullet">
/// <item>the owning account administers it through IAM;</item>
/// <item>consumers (launch accounts, organizations, OUs, target accounts) use it only through EC2
/// (<c>kms:ViaService</c>), to launch, copy and create volumes, and create grants only for AWS resources;</item>
/// <item>consumers may also create, for their own EC2 Auto Scaling service-linked role, the one grant Auto Scaling
/// needs to launch instances from the AMI ("Required AWS KMS key policy for use with encrypted volumes", Example 2:
/// https://docs.aws.amazon.com/autoscaling/ec2/userguide/key-policy-requirements-EBS-encryption.html), limited by
/// <c>kms:GranteePrincipal</c> and <c>kms:GrantOperations</c>; that call is made by a person or pipeline of the
/// consumer account, not through EC2, so it has no <c>kms:ViaService</c>;</item>
/// <item>the <see cref="RegionalKey.DistributionRoleName"/> of target accounts re-encrypts their copies with it.</item>
/// </list>
/// </summary>
internal static class RegionalKeyPolicy
{
    private static readonly string[] LaunchActions = ["kms:Decrypt", "kms:DescribeKey", "kms:GenerateDataKey*", "kms:ReEncrypt*"];
    private static readonly string[] CopyActions = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"];

    public static Dictionary<string, object> Render(RegionalKeyProps props, string where)
    {
        var statements = new List<object>
        {
            new Dictionary<string, object>
            {
                ["Sid"] = "AdministerWithIamInOwningAccount",
                ["Effect"] = "Allow",
                ["Principal"] = new Dictionary<string, object> { ["AWS"] = Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root") },
                ["Action"] = "kms:*",
                ["Resource"] = "*",
            },
        };

        if (props.LaunchAccounts.Count > 0)
        {
            var principals = AccountRoots(props.LaunchAccounts);
            statements.Add(Statement("LaunchByAccounts", principals, LaunchActions, ViaEc2()));
            statements.Add(Statement("GrantsForAwsResourcesByAccounts", principals, ["kms:CreateGrant"], ViaEc2(GrantForAwsResource())));
            statements.Add(Statement("AutoScalingGrantByAccounts", principals, ["kms:CreateGrant"], AutoScalingGrant(props.LaunchAccounts)));
        }

        if (props.LaunchOrganizationArns.Count > 0)
        {
            var organizationIds = props.LaunchOrganizationArns
                .Select(a => Checks.IsToken(a) ? throw new ConstructValidationException($"{where}.LaunchOrganizationArns", "an unresolved token", "organization ARNs known at synth (the key policy needs their organization ids)") : Identifiers.OrganizationOf(a))
                .ToArray();
            var inOrganization = new Dictionary<string, object> { ["StringEquals"] = new Dictionary<string, object> { ["aws:PrincipalOrgID"] = organizationIds } };
            statements.Add(Statement("LaunchByOrganizations", "*", LaunchActions, ViaEc2(inOrganization)));
            statements.Add(Statement("GrantsForAwsResourcesByOrganizations", "*", ["kms:CreateGrant"], ViaEc2(Merge(inOrganization, GrantForAwsResource()))));
            statements.Add(Statement("AutoScalingGrantByOrganizations", "*", ["kms:CreateGrant"], Merge(inOrganization, AutoScalingGrant(null))));
        }

        if (props.LaunchOrganizationalUnitArns.Count > 0)
        {
            // aws:PrincipalOrgPaths holds o-id/r-id/ou-id/.../; an OU ARN does not name the root or the parent OUs.
            var paths = props.LaunchOrganizationalUnitArns
                .Select(a =>
                {
                    if (Checks.IsToken(a))
                    {
                        throw new ConstructValidationException($"{where}.LaunchOrganizationalUnitArns", "an unresolved token", "OU ARNs known at synth (the key policy needs their organization paths)");
                    }

                    var match = Identifiers.OrganizationalUnitArn.Pattern.Match(a);
                    return $"{match.Groups["organization"].Value}/*/{match.Groups["unit"].Value}/*";
                })
                .ToArray();
            var inUnits = new Dictionary<string, object> { ["ForAnyValue:StringLike"] = new Dictionary<string, object> { ["aws:PrincipalOrgPaths"] = paths } };
            statements.Add(Statement("LaunchByOrganizationalUnits", "*", LaunchActions, ViaEc2(inUnits)));
            statements.Add(Statement("GrantsForAwsResourcesByOrganizationalUnits", "*", ["kms:CreateGrant"], ViaEc2(Merge(inUnits, GrantForAwsResource()))));
            statements.Add(Statement("AutoScalingGrantByOrganizationalUnits", "*", ["kms:CreateGrant"], Merge(inUnits, AutoScalingGrant(null))));
        }

        if (props.TargetAccounts.Count > 0)
        {
            // The principal is the account, narrowed to the role by aws:PrincipalArn: KMS rejects a key policy naming a
            // role that does not exist yet, and the role arrives later, through the StackSet.
            var principals = AccountRoots(props.TargetAccounts);
            var roles = props.TargetAccounts.Select(a => Sub($"arn:${{AWS::Partition}}:iam::{a}:role/{RegionalKey.DistributionRoleName}")).ToArray();
            var byRole = new Dictionary<string, object> { ["ArnEquals"] = new Dictionary<string, object> { ["aws:PrincipalArn"] = roles } };
            statements.Add(Statement("CopyByDistributionRole", principals, CopyActions, ViaEc2(byRole)));
            statements.Add(Statement("GrantsForAwsResourcesByDistributionRole", principals, ["kms:CreateGrant"], ViaEc2(Merge(byRole, GrantForAwsResource()))));
            statements.Add(Statement("LaunchCopiesByTargetAccounts", principals, LaunchActions, ViaEc2()));
            statements.Add(Statement("GrantsForAwsResourcesByTargetAccounts", principals, ["kms:CreateGrant"], ViaEc2(GrantForAwsResource())));
            statements.Add(Statement("AutoScalingGrantByTargetAccounts", principals, ["kms:CreateGrant"], AutoScalingGrant(props.TargetAccounts)));
        }

        return new Dictionary<string, object> { ["Version"] = "2012-10-17", ["Statement"] = statements.ToArray() };
    }

    private static object AccountRoots(IReadOnlyList<string> accounts)
    {
        var roots = accounts.Select(a => (object)Sub($"arn:${{AWS::Partition}}:iam::{a}:root")).ToArray();
        return new Dictionary<string, object> { ["AWS"] = roots.Length == 1 ? roots[0] : roots };
    }

    /// <summary>
    /// Only through EC2, in any region of the partition (a consumer may copy the AMI elsewhere): AWS KMS condition
    /// keys, kms:ViaService (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
    /// </summary>
    private static Dictionary<string, object> ViaEc2(Dictionary<string, object>? condition = null)
    {
        var result = condition is null ? new Dictionary<string, object>() : new Dictionary<string, object>(condition);
        return Merge(result, new Dictionary<string, object>
        {
            ["StringLike"] = new Dictionary<string, object> { ["kms:ViaService"] = Sub(Kms.ViaEc2("${AWS::URLSuffix}")) },
        });
    }

    /// <summary>
    /// The grant a consumer gives its EC2 Auto Scaling service-linked role: that grantee (in the given accounts, or in
    /// any account of the organization or OU, which the caller's condition narrows), those operations only
    /// (AWS KMS condition keys, kms:GranteePrincipal and kms:GrantOperations).
    /// </summary>
    private static Dictionary<string, object> AutoScalingGrant(IReadOnlyList<string>? accounts)
    {
        var grantees = (accounts ?? ["*"]).Select(a => (object)Sub($"arn:${{AWS::Partition}}:iam::{a}:{Kms.AutoScalingServiceLinkedRole}*")).ToArray();
        return new Dictionary<string, object>
        {
            ["StringLike"] = new Dictionary<string, object> { ["kms:GranteePrincipal"] = grantees.Length == 1 ? grantees[0] : grantees },
            ["ForAllValues:StringEquals"] = new Dictionary<string, object> { ["kms:GrantOperations"] = Kms.AutoScalingGrantOperations.ToArray() },
        };
    }

    private static Dictionary<string, object> GrantForAwsResource() =>
        new() { ["Bool"] = new Dictionary<string, object> { ["kms:GrantIsForAWSResource"] = "true" } };

    /// <summary>Two condition blocks in one; operators both name are merged key by key.</summary>
    private static Dictionary<string, object> Merge(Dictionary<string, object> a, Dictionary<string, object> b)
    {
        var result = new Dictionary<string, object>(a);
        foreach (var (op, keys) in b)
        {
            result[op] = result.TryGetValue(op, out var existing)
                ? new Dictionary<string, object>((Dictionary<string, object>)existing).Concat((Dictionary<string, object>)keys).ToDictionary(k => k.Key, k => k.Value)
                : keys;
        }

        return result;
    }

    private static Dictionary<string, object> Statement(string sid, object principal, string[] actions, Dictionary<string, object>? condition)
    {
        var statement = new Dictionary<string, object>
        {
            ["Sid"] = sid,
            ["Effect"] = "Allow",
            ["Principal"] = principal is string s ? new Dictionary<string, object> { ["AWS"] = s } : principal,
            ["Action"] = actions.Length == 1 ? actions[0] : actions,
            ["Resource"] = "*",
        };
        if (condition is not null)
        {
            statement["Condition"] = condition;
        }

        return statement;
    }

    private static Dictionary<string, object> Sub(string text) => new() { ["Fn::Sub"] = text };
}
