using AmiInfra.Rules;

namespace AmiInfra.Declaration;

/// <summary>Reads the <c>organization</c> and <c>build</c> blocks.</summary>
internal static class BuildReader
{
    /// <summary>The fields of <c>organization</c>.</summary>
    internal static readonly string[] OrganizationFields = ["id", "managementAccount", "targetOrganizationalUnits", "stackSetsFrom", "onAccountRemoval"];

    /// <summary>The fields of <c>build</c>.</summary>
    internal static readonly string[] BuildFields = ["instanceTypes", "network", "subnetId", "securityGroupIds", "keyPair", "logRetentionDays", "logGroupRetentionDays", "eventBus"];

    public static OrganizationSettings? ReadOrganization(JsonFields f, string factoryAccount)
    {
        var o = f.OptionalObject("organization", OrganizationFields);
        if (o is null)
        {
            return null;
        }

        var id = o.Checked("id", Identifiers.OrganizationId);
        var management = o.OptionalChecked("managementAccount", Identifiers.AccountId);
        var units = o.CheckedList("targetOrganizationalUnits", Identifiers.OrganizationalUnitOrRootId) ?? [];
        var fromText = o.OptionalString("stackSetsFrom", Text.OneOf(StackSets.DeploymentNames)) ?? StackSets.DelegatedAdministrator.Name;
        var from = StackSets.Named(fromText)
            ?? throw new DeclarationException(o.At("stackSetsFrom"), JsonFields.Quote(fromText), Text.OneOf(StackSets.DeploymentNames));
        var removal = o.OptionalString("onAccountRemoval", Text.OneOf(StackSets.AccountRemovals)) ?? StackSets.AccountRemovals[0];
        if (!StackSets.AccountRemovals.Contains(removal, StringComparer.Ordinal))
        {
            throw new DeclarationException(o.At("onAccountRemoval"), JsonFields.Quote(removal), Text.OneOf(StackSets.AccountRemovals) + ": what happens to an account's stack of the target-account StackSet when the account leaves the target OUs");
        }

        var organization = new OrganizationSettings(id, units) { StackSetsFrom = from, ManagementAccount = management, OnAccountRemoval = removal };

        // The StackSet of the distribution role is created from this account, with the CallAs that works there.
        if (StackSets.DeployedFrom(from, from == StackSets.ManagementAccount ? management ?? factoryAccount : factoryAccount, management) is { } problem)
        {
            throw new DeclarationException(problem.Value is null ? o.At("managementAccount") : o.At("stackSetsFrom"), problem);
        }

        return organization;
    }

    public static BuildSettings ReadBuild(JsonFields f, string baseDirectory, string region, List<string> warnings)
    {
        var b = f.OptionalObject("build", BuildFields);
        if (b is null)
        {
            return new BuildSettings();
        }

        var subnet = b.OptionalChecked("subnetId", Identifiers.SubnetId);
        var groups = b.CheckedList("securityGroupIds", Identifiers.SecurityGroupId, Builds.MaxSecurityGroups) ?? [];
        var declaredNetwork = b.OptionalString("network", "one of " + Text.OneOf(Builds.NetworkNames));
        if (groups.Count > 0 && subnet is null && declaredNetwork is null or "subnet")
        {
            throw new DeclarationException(b.At("subnetId"), null, "a subnet id whenever securityGroupIds are given (security groups belong to the subnet's VPC)");
        }

        // Where build instances run: the default VPC, a subnet of yours, or a VPC the factory creates.
        var network = declaredNetwork ?? (subnet is null ? "default-vpc" : "subnet");
        if (Builds.Network(network, subnet is not null, groups.Count > 0) is { } networkProblem)
        {
            throw new DeclarationException(b.At(networkProblem.Part!), networkProblem with { Part = null });
        }

        var keyPair = b.OptionalChecked("keyPair", Builds.KeyPairName);
        var logGroupRetention = b.OptionalWholeNumber("logGroupRetentionDays", "one of the retentions CloudWatch Logs takes, in days");
        if (logGroupRetention is { } days)
        {
            JsonFields.Require(b.At("logGroupRetentionDays"), Builds.LogGroupRetention(days));
        }

        var eventBus = b.OptionalString("eventBus", Notifications.EventBusArn.Accepted);
        if (eventBus is not null)
        {
            JsonFields.Require(b.At("eventBus"), Notifications.EventBus(eventBus, Partitions.Of(region)!, region));
        }

        return new BuildSettings
        {
            InstanceTypes = InstanceTypes(b, "instanceTypes", warnings) ?? new BuildSettings().InstanceTypes,
            Network = network,
            SubnetId = subnet,
            SecurityGroupIds = groups,
            KeyPair = keyPair,
            LogRetentionDays = LogRetentionDays(b),
            LogGroupRetentionDays = logGroupRetention ?? new BuildSettings().LogGroupRetentionDays,
            EventBusArn = eventBus,
        };
    }

    /// <summary>Days the log bucket keeps build logs: an S3 lifecycle expiration, a positive number of days.</summary>
    private static int LogRetentionDays(JsonFields b)
    {
        const string accepted = "a whole number of days, at least 1 (an S3 lifecycle expiration)";
        var days = b.OptionalWholeNumber("logRetentionDays", accepted) ?? 90;
        return days >= 1 ? days : throw new DeclarationException(b.At("logRetentionDays"), Text.Number(days), accepted);
    }

    /// <summary>
    /// An optional list of instance types (at least one when given), each one EC2 has (<see cref="Rules.InstanceTypes.Exists"/>):
    /// a family the catalogue does not know adds a warning to <paramref name="warnings"/>.
    /// </summary>
    public static IReadOnlyList<string>? InstanceTypes(JsonFields f, string name, List<string> warnings)
    {
        var types = f.CheckedList(name, Identifiers.InstanceType);
        if (types is { Count: 0 })
        {
            throw new DeclarationException(f.At(name), "an empty list", "at least one EC2 instance type such as m7i.large");
        }

        for (var i = 0; i < (types?.Count ?? 0); i++)
        {
            JsonFields.Require(JsonFields.Index(f.At(name), i), Rules.InstanceTypes.Exists(types![i], out var warning));
            if (warning is not null)
            {
                warnings.Add($"{JsonFields.Index(f.At(name), i)}: {warning}.");
            }
        }

        return types;
    }
}

/// <summary>Reads a map of tags, checked against the rules of every place the tags end up.</summary>
internal static class TagsReader
{
    /// <summary>Most tags a declaration may give one resource: AWS allows 50, and AmiInfra adds its own.</summary>
    public const int MaxDeclaredTags = 40;

    /// <summary>
    /// Reads <paramref name="field"/> as tags. Declared tags go on stacks (and so on every resource
    /// CloudFormation tags), on Image Builder resources and on AMIs: each tag must be one that every
    /// one of <paramref name="rules"/> accepts (default: AWS's general rule and Image Builder's).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Read(JsonFields f, string field, params TagRule[] rules)
    {
        var tags = f.OptionalMap(field, TagRules.Aws.ValueAccepted) ?? new SortedDictionary<string, string>();
        if (tags.Count > MaxDeclaredTags)
        {
            throw new DeclarationException(f.At(field), $"{tags.Count} tags", $"at most {MaxDeclaredTags} tags (AWS allows 50 per resource; AmiInfra adds its own)");
        }

        foreach (var key in tags.Keys)
        {
            if (key.StartsWith(AmiTagKeys.Prefix, StringComparison.Ordinal))
            {
                throw new DeclarationException($"{f.At(field)}.{key}", $"the tag key {JsonFields.Quote(key)}", $"a tag key not starting with {AmiTagKeys.Prefix} (AmiInfra's own tags)");
            }
        }

        Check(f, field, tags, rules.Length == 0 ? [TagRules.Aws, TagRules.ImageBuilder] : rules);
        return tags;
    }

    /// <summary>Reads <paramref name="field"/> as at most <paramref name="max"/> tags that every one of <paramref name="rules"/> accepts.</summary>
    public static IReadOnlyDictionary<string, string> ReadWithin(JsonFields f, string field, int max, params TagRule[] rules)
    {
        var tags = f.OptionalMap(field, TagRules.Aws.ValueAccepted) ?? new SortedDictionary<string, string>();
        JsonFields.Require(f.At(field), Lists.AtMost(tags.Count, max, "tags", "the Image Builder limit"));
        Check(f, field, tags, rules);
        return tags;
    }

    private static void Check(JsonFields f, string field, IReadOnlyDictionary<string, string> tags, TagRule[] rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Check(tags) is { } problem)
            {
                throw new DeclarationException(problem.Part is null ? f.At(field) : $"{f.At(field)}.{problem.Part}", problem.Value, problem.Accepted);
            }
        }
    }
}
