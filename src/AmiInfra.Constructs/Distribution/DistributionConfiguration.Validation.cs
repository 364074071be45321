using AmiInfra.Rules;

namespace AmiInfra.Constructs.Distribution;

/// <summary>The checks of a distribution's props, each a rule of <c>AmiInfra.Rules</c> applied at its prop.</summary>
public sealed partial class DistributionConfiguration
{
    private static void Validate(DistributionConfigurationProps props, string where, string? ownAccount)
    {
        ArgumentNullException.ThrowIfNull(props);
        Naming.CheckImageBuilderName(props.DistributionConfigurationName!, () => $"{where}.DistributionConfigurationName");
        Checks.Description($"{where}.Description", props.Description);

        if (props.Regions.Count == 0)
        {
            throw new ConstructValidationException($"{where}.Regions", "an empty list", "at least one region");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < props.Regions.Count; i++)
        {
            var region = props.Regions[i].Region;
            if (!Checks.IsToken(region))
            {
                Checks.Require($"{where}.Regions[{i}].Region", Partitions.Region(region));
                if (!seen.TryAdd(region, i))
                {
                    throw new ConstructValidationException($"{where}.Regions[{i}].Region", Text.Quote(region), $"a region not already listed (Regions[{seen[region]}])");
                }
            }

            CheckRegion(props.Regions[i], $"{where}.Regions[{i}]", props);
            CheckFastLaunch(props.Regions[i], $"{where}.Regions[{i}]", ownAccount);
            CheckLicenses(props.Regions[i], $"{where}.Regions[{i}]");
        }

        if (ownAccount is not null && !Checks.IsToken(ownAccount))
        {
            RejectOwnAccount(where, props, ownAccount);
        }
    }

    private static void CheckRegion(RegionDistribution r, string at, DistributionConfigurationProps props)
    {
        if (!Checks.IsToken(r.AmiName))
        {
            Checks.Require($"{at}.AmiName", Distributions.AmiName(r.AmiName));
        }

        Checks.Description($"{at}.AmiDescription", r.AmiDescription);

        CheckTags(r, at, props.Origin);

        Checks.List($"{at}.LaunchAccounts", r.LaunchAccounts, Identifiers.AccountId);
        Checks.List($"{at}.LaunchOrganizationArns", r.LaunchOrganizationArns, Identifiers.OrganizationArn);
        Checks.List($"{at}.LaunchOrganizationalUnitArns", r.LaunchOrganizationalUnitArns, Identifiers.OrganizationalUnitArn);
        Checks.List($"{at}.TargetAccounts", r.TargetAccounts, Identifiers.AccountId);
        Checks.Require(at, Distributions.Principals(r.LaunchAccounts.Count, r.LaunchOrganizationArns.Count, r.LaunchOrganizationalUnitArns.Count), part => part switch
        {
            "organizations" => "LaunchOrganizationArns",
            _ => "LaunchOrganizationalUnitArns",
        });
        Checks.Require($"{at}.TargetAccounts", Lists.AtMost(r.TargetAccounts.Count, Distributions.MaxTargetAccounts, "target accounts", "the Image Builder limit"));

        CheckKey(r, at);

        if (r.Public && !props.AllowPublic)
        {
            throw new ConstructValidationException($"{at}.Public", "true", "false, unless ImageDistributionProps.AllowPublic is true (public AMIs are an explicit opt-in)");
        }

        if (r.SsmParameter is not null && r.SsmParameterName is not null)
        {
            throw new ConstructValidationException($"{at}.SsmParameterName", Text.Quote(r.SsmParameterName), "SsmParameter or SsmParameterName, not both");
        }

        var parameterField = r.SsmParameterName is null ? "SsmParameter" : "SsmParameterName";
        if (OutputParameterName(r) is { } parameter)
        {
            Checks.Shape($"{at}.{parameterField}", parameter, Distributions.OutputParameter);
            if (!props.OutputParametersByExecutionRole)
            {
                Checks.Shape($"{at}.{parameterField}", parameter, Distributions.ServiceLinkedRoleParameter);
            }
        }

        CheckLaunchTemplates(r, at);
    }

    // The output parameter's name, given by name or by the parameter.
    private static string? OutputParameterName(RegionDistribution r) =>
        r.SsmParameterName ?? (r.SsmParameter is null ? null : Attributes.ParameterName(r.SsmParameter));

    private static void CheckTags(RegionDistribution r, string at, AmiOrigin? origin)
    {
        var count = r.AmiTags.Count + (origin is null ? 0 : AmiTagKeys.OnEveryAmi.Count);
        Checks.Require($"{at}.AmiTags", count > TagRules.Ec2.MaxTags ? new Problem($"{count} tags (origin tags included)", $"at most {TagRules.Ec2.MaxTags} tags per AMI") : null);
        Checks.Tags($"{at}.AmiTags", r.AmiTags, TagRules.ImageBuilder);
        Checks.Tags($"{at}.AmiTags", r.AmiTags, TagRules.Ec2);
        if (origin is not null && r.AmiTags.Keys.FirstOrDefault(AmiTagKeys.OnEveryAmi.Contains) is { } reserved)
        {
            throw new ConstructValidationException($"{at}.AmiTags", $"the key {Text.Quote(reserved)}", "keys other than the origin tags, which the construct sets from Origin");
        }
    }

    private static void CheckKey(RegionDistribution r, string at)
    {
        var sharedWith = new List<string>();
        if (r.LaunchAccounts.Count > 0)
        {
            sharedWith.Add("LaunchAccounts");
        }

        if (r.LaunchOrganizationArns.Count > 0)
        {
            sharedWith.Add("LaunchOrganizationArns");
        }

        if (r.LaunchOrganizationalUnitArns.Count > 0)
        {
            sharedWith.Add("LaunchOrganizationalUnitArns");
        }

        if (r.TargetAccounts.Count > 0)
        {
            sharedWith.Add("TargetAccounts");
        }

        var key = r.KmsKey is null ? null : Attributes.KeyArn(r.KmsKey);
        if (key is not null)
        {
            // arn:partition:kms:region:account:key/id or alias/name; the partition (or account) may be a token.
            var parts = key.Split(':', 6);
            var shaped = parts.Length == 6 && parts[0] == "arn" && parts[2] == "kms"
                && (parts[5].StartsWith("key/", StringComparison.Ordinal) || parts[5].StartsWith("alias/", StringComparison.Ordinal));
            if (!shaped && !Checks.IsToken(key))
            {
                throw new ConstructValidationException($"{at}.KmsKey", Text.Quote(key), "a KMS key ARN or alias ARN (arn:aws:kms:region:account:key/... or .../alias/...)");
            }

            if (shaped && parts[5].StartsWith("alias/aws/", StringComparison.Ordinal))
            {
                if (sharedWith.Count > 0)
                {
                    throw new ConstructValidationException($"{at}.KmsKey", Text.Quote(key), $"a customer-managed key of {r.Region}: the AMI is shared ({string.Join(", ", sharedWith)}), and no other account can use an AWS-managed key, so consumers could never launch or copy it");
                }

                throw new ConstructValidationException($"{at}.KmsKey", Text.Quote(key), "a customer-managed key, or null for the default encryption (an AWS-managed key is never named)");
            }

            if (shaped && !Checks.IsToken(parts[3]) && !Checks.IsToken(r.Region) && parts[3] != r.Region)
            {
                throw new ConstructValidationException($"{at}.KmsKey", Text.Quote(key), $"a key of {r.Region} (KMS keys are regional; the AMI copy in {r.Region} is encrypted there)");
            }

            if (r.Public)
            {
                throw new ConstructValidationException($"{at}.Public", "true with a KMS key", "a public region without KmsKey: EC2 cannot make an AMI with encrypted snapshots public");
            }
        }
        else if (sharedWith.Count > 0)
        {
            throw new ConstructValidationException($"{at}.KmsKey", null, $"a customer-managed key of {r.Region} whose policy lets the consumers use it: the AMI is shared ({string.Join(", ", sharedWith)}), and without it encrypted snapshots use the AWS-managed aws/ebs key, so consumers could never launch or copy it");
        }
    }

    private static void CheckLaunchTemplates(RegionDistribution r, string at)
    {
        Checks.Require($"{at}.LaunchTemplates", Lists.AtMost(r.LaunchTemplates.Count, Distributions.MaxLaunchTemplates, "launch templates", "per region"));
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < r.LaunchTemplates.Count; i++)
        {
            var t = r.LaunchTemplates[i];
            var where = $"{at}.LaunchTemplates[{i}]";
            var id = Attributes.LaunchTemplateId(t.LaunchTemplate);
            if (id is null)
            {
                throw new ConstructValidationException($"{where}.LaunchTemplate", "a launch template without an id (imported by name)", "a launch template with its id: Image Builder takes launch template ids only");
            }

            Checks.Shape($"{where}.LaunchTemplate", id, Identifiers.LaunchTemplateId);
            if (t.AccountId is { } account)
            {
                Checks.Shape($"{where}.AccountId", account, Identifiers.AccountId);
            }

            var key = $"{t.AccountId}/{id}";
            if (!Checks.IsToken(id) && !seen.TryAdd(key, i))
            {
                throw new ConstructValidationException($"{where}.LaunchTemplate", Text.Quote(id), $"a launch template not already listed (LaunchTemplates[{seen[key]}])");
            }
        }
    }

    private static void CheckFastLaunch(RegionDistribution r, string at, string? ownAccount)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < r.FastLaunch.Count; i++)
        {
            var f = r.FastLaunch[i];
            var where = $"{at}.FastLaunch[{i}]";
            if (f.AccountId is { } account && !Checks.IsToken(account))
            {
                Checks.Require($"{where}.AccountId", ownAccount is null || Checks.IsToken(ownAccount)
                    ? Identifiers.AccountId.Check(account)
                    : Rules.FastLaunch.Account(account, ownAccount, r.TargetAccounts));
            }

            if (f.MaxParallelLaunches is { } parallel)
            {
                Checks.Require($"{where}.MaxParallelLaunches", Rules.FastLaunch.MaxParallelLaunches(parallel, out _));
            }

            if (f.TargetSnapshotCount is { } count)
            {
                Checks.Require($"{where}.TargetSnapshotCount", Rules.FastLaunch.TargetSnapshotCount(count));
            }

            if (f.LaunchTemplate is { } t && !Checks.IsToken(t.LaunchTemplateId) && !Checks.IsToken(t.LaunchTemplateName) && !Checks.IsToken(t.Version))
            {
                Checks.Require($"{where}.LaunchTemplate", Rules.FastLaunch.LaunchTemplate(t.LaunchTemplateId, t.LaunchTemplateName, t.Version), part => part switch
                {
                    "id" => "LaunchTemplateId",
                    "name" => "LaunchTemplateName",
                    _ => "Version",
                });
            }

            var key = f.AccountId ?? ownAccount ?? "";
            if (!Checks.IsToken(key) && !seen.TryAdd(key, i))
            {
                throw new ConstructValidationException($"{where}.AccountId", f.AccountId is null ? "null (the stack's account)" : Text.Quote(f.AccountId), $"an account without Fast Launch settings in this region already (FastLaunch[{seen[key]}])");
            }
        }
    }

    private static void CheckLicenses(RegionDistribution r, string at)
    {
        var where = $"{at}.LicenseConfigurationArns";
        Checks.Require(where, Lists.AtMost(r.LicenseConfigurationArns.Count, LicenseConfigurations.MaxPerRegion, "license configurations", "per region, the Image Builder limit"));
        Checks.List(where, r.LicenseConfigurationArns, LicenseConfigurations.Arn);
        if (!Checks.IsToken(r.Region))
        {
            Checks.Require(where, Lists.Check(r.LicenseConfigurationArns, arn => LicenseConfigurations.InRegions(arn, [r.Region]), Checks.IsToken));
        }
    }

    private static void RejectOwnAccount(string where, DistributionConfigurationProps props, string ownAccount)
    {
        for (var i = 0; i < props.Regions.Count; i++)
        {
            var r = props.Regions[i];
            var at = $"{where}.Regions[{i}]";
            var target = r.TargetAccounts.ToList().IndexOf(ownAccount);
            if (target >= 0)
            {
                throw new ConstructValidationException($"{at}.TargetAccounts[{target}]", Text.Quote(ownAccount), "an account other than the stack's own (the factory account already has the AMI)");
            }

            var launch = r.LaunchAccounts.ToList().IndexOf(ownAccount);
            if (launch >= 0)
            {
                throw new ConstructValidationException($"{at}.LaunchAccounts[{launch}]", Text.Quote(ownAccount), "an account other than the stack's own (the owner can always launch its AMIs)");
            }
        }
    }
}
