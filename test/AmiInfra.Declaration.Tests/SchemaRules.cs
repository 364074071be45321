using System.Text.Json.Nodes;
using AmiInfra.Rules;
using AmiInfra.Rules.Workflows;

namespace AmiInfra.Declaration.Tests;

/// <summary>One value of factory/factory.schema.json and where it comes from.</summary>
/// <param name="Pointer">Where the value is in the schema (a JSON pointer).</param>
/// <param name="Value">The value; null when the schema must not have one there.</param>
/// <param name="From">The rule it comes from, or why it is the product's own.</param>
internal sealed record SchemaValue(string Pointer, JsonNode? Value, string From);

/// <summary>
/// Every constraint of the schema, taken from the rules (<c>AmiInfra.Rules</c>) that the loader
/// applies: patterns, limits, enumerations and the per-type limits of root volumes. The schema is
/// written from this table (AMIINFRA_UPDATE_SCHEMA=1) and a test fails when the two differ, so the
/// schema and the loader apply one rule. <see cref="ProductConstraints"/> are the schema's
/// constraints that are AmiInfra's own (no AWS rule behind them).
/// </summary>
internal static class SchemaRules
{
    public const string UpdateVariable = "AMIINFRA_UPDATE_SCHEMA";

    private const string Image = "/$defs/image/properties";
    private const string Distribution = "/$defs/distribution/properties";
    private const string Lifecycle = "/$defs/lifecycle/properties";
    private const string RootVolume = Image + "/rootVolume";
    private const string Governance = "/properties/governance/properties";
    private const string AllowedImages = Governance + "/allowedImages/properties";

    public static IReadOnlyList<SchemaValue> Values { get; } = Build();

    /// <summary>Constraints that are the product's, by pointer, with the reason.</summary>
    public static IReadOnlyDictionary<string, string> ProductConstraints { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/properties/delivery/properties/repository/pattern"] = "a repository host's owner/name, not an AWS value",
        ["/properties/delivery/properties/branch/pattern"] = "a git branch name, not an AWS value",
        ["/properties/delivery/properties/protectedStages/items/enum"] = "AmiInfra's own stages",
        ["/properties/images/minItems"] = "a factory builds at least one image",
        [Governance + "/ebsEncryptionByDefault/enum"] = "AmiInfra's choices of default key (regional-key, aws/ebs) and off",
        [Governance + "/targetAccountEbsKey/enum"] = "AmiInfra's choices of the target accounts' default EBS key (keep, aws-managed, stackset-key)",
        ["/properties/governance/allOf/0/if/properties/targetAccounts/const"] = "without the controls in the target accounts (targetAccounts false) ...",
        ["/properties/governance/allOf/0/then/properties/targetAccountEbsKey/const"] = "... the target accounts' default EBS key can only be kept",
        ["/properties/governance/allOf/1/if/not/properties/ebsEncryptionByDefault/enum"] = "without encryption by default declared (regional-key or aws/ebs) ...",
        ["/properties/governance/allOf/1/then/properties/targetAccountEbsKey/const"] = "... the target accounts' default EBS key can only be kept",
        ["/properties/build/if/properties/securityGroupIds/minItems"] = "the condition under which subnetId is required",
        ["/$defs/instanceTypes/minItems"] = "an empty list would leave no instance type (omit the field for the default)",
        [Distribution + "/regions/minItems"] = "an empty list would distribute nowhere (omit the field for the default)",
        [Distribution + "/regions/maxItems"] = "more than every region of a partition cannot be listed without a duplicate",
        [Distribution + "/encryption/enum"] = "AmiInfra's two ways of encrypting",
        [Image + "/platform/enum"] = "AmiInfra's platforms",
        [Image + "/components/minItems"] = "Image Builder: a recipe has at least one component",
        [Image + "/components/items/properties/file/pattern"] = "a path relative to the declaration",
        [Image + "/userDataFile/pattern"] = "a path relative to the declaration",
        [Image + "/components/items/properties/name/pattern"] = "AmiInfra's component names (they follow the factory name in the physical name)",
        [Image + "/workflows/minItems"] = "an empty list would run no workflow (omit the field for Image Builder's own build and test)",
        [Image + "/workflows/items/properties/file/pattern"] = "a path relative to the declaration",
        [Image + "/workflows/items/properties/name/pattern"] = "AmiInfra's workflow names (they follow the factory name in the physical name)",
        [RootVolume + "/properties/deviceName/pattern"] = "a device name as EC2 writes it",
        [Image + "/schedule/properties/cron/pattern"] = "the shape of a cron expression; the loader checks its fields (CronExpression)",
        [Image + "/schedule/properties/timezone/enum"] = "CloudFormation's pipeline schedule has no time zone: UTC only",
        ["/$defs/tags/maxProperties"] = "AWS allows 50 tags per resource; AmiInfra adds its own",
        ["/$defs/imageTags/maxProperties"] = "AWS allows 50 tags per resource; AmiInfra adds its own",
        [Lifecycle + "/exclude/properties/regions/maxItems"] = "more than every region cannot be listed without a duplicate",
        [Lifecycle + "/recycleBin/properties/amiRetentionDays/minimum"] = "0 turns the Recycle Bin rule off",
        [Lifecycle + "/recycleBin/properties/snapshotRetentionDays/minimum"] = "0 turns the Recycle Bin rule off",
    };

    private static List<SchemaValue> Build()
    {
        var values = new List<SchemaValue>();
        void Set(string pointer, JsonNode? value, string from) => values.Add(new SchemaValue(pointer, value, from));
        JsonArray Strings(IEnumerable<string> items) => new(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray());

        Set("/properties/name/pattern", PhysicalNames.Factory.Regex, "PhysicalNames.Factory");
        Set("/properties/organization/properties/id/pattern", Identifiers.OrganizationId.Regex, "Identifiers.OrganizationId");
        Set("/properties/organization/properties/targetOrganizationalUnits/items/pattern", Identifiers.OrganizationalUnitOrRootId.Regex, "Identifiers.OrganizationalUnitOrRootId");
        Set("/properties/organization/properties/stackSetsFrom/enum", Strings(StackSets.DeploymentNames), "StackSets.Deployments");
        Set("/properties/organization/properties/onAccountRemoval/enum", Strings(StackSets.AccountRemovals), "StackSets.AccountRemovals");
        Set("/properties/organization/if/properties/stackSetsFrom/const", StackSets.ManagementAccount.Name, "StackSets.DeployedFrom: CallAs SELF works only in the management account, which must be named");
        Set("/properties/build/properties/network/enum", Strings(Builds.NetworkNames), "Builds.Networks");
        Set("/properties/build/allOf", new JsonArray(
            new JsonObject
            {
                ["if"] = new JsonObject { ["properties"] = new JsonObject { ["network"] = new JsonObject { ["const"] = "subnet" } }, ["required"] = new JsonArray("network") },
                ["then"] = new JsonObject { ["required"] = new JsonArray("subnetId") },
            },
            new JsonObject
            {
                ["if"] = new JsonObject { ["properties"] = new JsonObject { ["network"] = new JsonObject { ["enum"] = Strings(Builds.NetworkNames.Where(n => n != "subnet")) } }, ["required"] = new JsonArray("network") },
                ["then"] = new JsonObject { ["properties"] = new JsonObject { ["subnetId"] = false, ["securityGroupIds"] = new JsonObject { ["maxItems"] = 0 } } },
            }), "Builds.Network: a subnet (and security groups) only with network \"subnet\", where it is required");
        Set("/properties/build/properties/subnetId/pattern", Identifiers.SubnetId.Regex, "Identifiers.SubnetId");
        Set("/properties/build/properties/securityGroupIds/items/pattern", Identifiers.SecurityGroupId.Regex, "Identifiers.SecurityGroupId");
        Set("/properties/build/properties/securityGroupIds/maxItems", Builds.MaxSecurityGroups, "Builds.MaxSecurityGroups");
        Set("/properties/build/properties/keyPair/pattern", Builds.KeyPairName.Regex, "Builds.KeyPairName");
        Set("/properties/build/properties/keyPair/minLength", null, "Builds.KeyPairName (its pattern)");
        Set("/properties/build/properties/keyPair/maxLength", null, "Builds.KeyPairName (its pattern)");
        Set("/properties/build/properties/logRetentionDays/minimum", 1, "S3 lifecycle expiration: a positive number of days");
        Set("/properties/build/properties/logGroupRetentionDays/enum", new JsonArray(Builds.LogGroupRetentionDays.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()), "Builds.LogGroupRetentionDays");
        Set("/properties/build/properties/eventBus/pattern", Notifications.EventBusArn.Regex, "Notifications.EventBusArn");
        Set("/properties/delivery/properties/connectionArn/pattern", Identifiers.ConnectionArn.Regex, "Identifiers.ConnectionArn");
        Set("/$defs/region/enum", Strings(Partitions.Regions.Order(StringComparer.Ordinal)), "Partitions");
        Set("/$defs/accountId/pattern", Identifiers.AccountId.Regex, "Identifiers.AccountId");

        // The factory's tags are on every stack and resource: Image Builder's keys, CloudFormation's stack values.
        var declaredKey = "^(?!" + AmiTagKeys.Prefix + ")" + TagRules.ImageBuilder.Key.ToString()[1..];
        Set("/$defs/tags/propertyNames/pattern", declaredKey, "TagRules.ImageBuilder keys, without AmiTagKeys.Prefix");
        Set("/$defs/tags/additionalProperties/pattern", TagRules.Stack.Value.ToString(), "TagRules.Stack values");
        Set("/$defs/imageTags/propertyNames/pattern", declaredKey, "TagRules.ImageBuilder keys, without AmiTagKeys.Prefix");
        Set("/$defs/imageTags/additionalProperties/pattern", TagRules.ImageBuilder.Value.ToString(), "TagRules.ImageBuilder values");
        Set("/$defs/instanceTypes/items/pattern", Identifiers.InstanceType.Regex, "Identifiers.InstanceType");
        Set("/$defs/instanceTypes/maxItems", null, "Image Builder's instanceTypes has no limit");

        Set(Distribution + "/launchPermissions/properties/accounts/maxItems", Distributions.MaxSharingEntities, "Distributions.MaxSharingEntities");
        Set(Distribution + "/launchPermissions/properties/organizations/items/pattern", Identifiers.OrganizationArn.Regex, "Identifiers.OrganizationArn");
        Set(Distribution + "/launchPermissions/properties/organizations/maxItems", Distributions.MaxOrganizations, "Distributions.MaxOrganizations");
        Set(Distribution + "/launchPermissions/properties/organizationalUnits/items/pattern", Identifiers.OrganizationalUnitArn.Regex, "Identifiers.OrganizationalUnitArn");
        Set(Distribution + "/launchPermissions/properties/organizationalUnits/maxItems", Distributions.MaxOrganizationalUnits, "Distributions.MaxOrganizationalUnits");
        Set(Distribution + "/targetAccounts/maxItems", Distributions.MaxTargetAccounts, "Distributions.MaxTargetAccounts");
        Set(Distribution + "/regions/maxItems", Distributions.MaxRegions, "Distributions.MaxRegions");
        Set(Distribution + "/amiName/maxLength", Distributions.MaxAmiNameLength, "Distributions.MaxAmiNameLength");
        Set(Distribution + "/amiName/allOf", new JsonArray(
            new JsonObject { ["pattern"] = Distributions.AmiNameTemplatePattern },
            new JsonObject { ["pattern"] = Distributions.AmiNameCharactersPattern },
            new JsonObject { ["pattern"] = Distributions.BuildDatePattern }), "Distributions.AmiName");
        Set(Distribution + "/ssmParameter/pattern", null, "Distributions.OutputParameter and Distributions.ServiceLinkedRoleParameter (allOf)");
        Set(Distribution + "/ssmParameter/allOf", new JsonArray(
            new JsonObject { ["pattern"] = Distributions.OutputParameter.Regex },
            new JsonObject { ["pattern"] = Distributions.ServiceLinkedRoleParameter.Regex }), "Distributions.OutputParameter and Distributions.ServiceLinkedRoleParameter");
        Set(Distribution + "/launchTemplates/items/properties/id/pattern", Identifiers.LaunchTemplateId.Regex, "Identifiers.LaunchTemplateId");
        Set(Distribution + "/launchTemplates/maxItems", Distributions.MaxLaunchTemplates, "Distributions.MaxLaunchTemplates");
        Set(Distribution + "/fastLaunch/maxItems", Distributions.MaxRegions, "Distributions.MaxRegions (one entry per distribution region)");
        Set(Distribution + "/fastLaunch/items/properties/maxParallelLaunches/minimum", FastLaunch.MinParallelLaunches, "FastLaunch.MaxParallelLaunches");
        Set(Distribution + "/fastLaunch/items/properties/targetSnapshotCount/minimum", FastLaunch.MinTargetSnapshots, "FastLaunch.TargetSnapshotCount");
        Set(Distribution + "/fastLaunch/items/properties/targetSnapshotCount/maximum", FastLaunch.MaxTargetSnapshots, "FastLaunch.TargetSnapshotCount");
        Set(Distribution + "/fastLaunch/items/properties/launchTemplate/properties/id/pattern", Identifiers.LaunchTemplateId.Regex, "FastLaunch.LaunchTemplate (Identifiers.LaunchTemplateId)");
        Set(Distribution + "/fastLaunch/items/properties/launchTemplate/properties/name/pattern", FastLaunch.LaunchTemplateName.Regex, "FastLaunch.LaunchTemplateName");
        Set(Distribution + "/fastLaunch/items/properties/launchTemplate/properties/version/pattern", FastLaunch.LaunchTemplateVersion.Regex, "FastLaunch.LaunchTemplateVersion");
        Set(Distribution + "/licenseConfigurations/items/pattern", LicenseConfigurations.Arn.Regex, "LicenseConfigurations.Arn");

        Set("/$defs/step/properties/keepNewest/minimum", Lifecycles.FilterValue.Min, "Lifecycles.FilterValue");
        Set("/$defs/step/properties/keepNewest/maximum", Lifecycles.FilterValue.Max, "Lifecycles.FilterValue");
        Set("/$defs/step/properties/afterDays/minimum", Lifecycles.FilterValue.Min, "Lifecycles.AgeDays");
        Set("/$defs/step/properties/afterDays/maximum", Lifecycles.MaxAgeDays, "Lifecycles.AgeDays");
        Set("/$defs/step/properties/afterDays/anyOf", new JsonArray(
            new JsonObject { ["maximum"] = Lifecycles.FilterValue.Max },
            new JsonObject { ["multipleOf"] = 7 }), "Lifecycles.AgeDays: days up to 1000, else whole weeks");

        Set(Lifecycle + "/keepAtLeast/minimum", Lifecycles.RetainAtLeast.Min, "Lifecycles.RetainAtLeast");
        Set(Lifecycle + "/keepAtLeast/maximum", Lifecycles.RetainAtLeast.Max, "Lifecycles.RetainAtLeast");
        Set(Lifecycle + "/exclude/properties/launchedWithinDays/minimum", Lifecycles.LastLaunchedDays.Min, "Lifecycles.LastLaunchedDays");
        Set(Lifecycle + "/exclude/properties/launchedWithinDays/maximum", Lifecycles.LastLaunchedDays.Max, "Lifecycles.LastLaunchedDays");
        Set(Lifecycle + "/exclude/properties/tags/propertyNames/pattern", TagRules.Lifecycle.Key.ToString(), "TagRules.Lifecycle keys");
        Set(Lifecycle + "/exclude/properties/tags/additionalProperties/pattern", TagRules.Lifecycle.Value.ToString(), "TagRules.Lifecycle values");
        Set(Lifecycle + "/exclude/properties/tags/maxProperties", Lifecycles.MaxTags - 1, "Lifecycles.ExclusionTags: Lifecycles.MaxTags, one of them each step's retention tag");
        Set(Lifecycle + "/exclude/properties/tags/propertyNames/not/enum", Strings(Lifecycles.StepNames.Select(AmiTagKeys.Retain)), "Lifecycles.ExclusionTags: the retention tags are the marker's");
        Set(Lifecycle + "/exclude/properties/sharedWithAccounts/maxItems", Lifecycles.MaxSharedAccounts, "Lifecycles.MaxSharedAccounts");
        Set(Lifecycle + "/recycleBin/properties/amiRetentionDays/maximum", Lifecycles.RecycleBinDays.Max, "Lifecycles.RecycleBinDays");
        Set(Lifecycle + "/recycleBin/properties/snapshotRetentionDays/maximum", Lifecycles.RecycleBinDays.Max, "Lifecycles.RecycleBinDays");

        Set(Image + "/name/pattern", PhysicalNames.Image.Regex, "PhysicalNames.Image");
        Set(Image + "/description/maxLength", Builds.MaxDescriptionLength, "Builds.MaxDescriptionLength");
        Set(Image + "/parent/properties/ssmParameter/pattern", Identifiers.ParentSsmParameter.Regex, "Identifiers.ParentSsmParameter");
        Set(Image + "/parent/properties/amiId/pattern", Identifiers.AmiId.Regex, "Identifiers.AmiId");
        Set(Image + "/parent/properties/imageBuilder/pattern", Identifiers.ImageBuilderImage.Regex, "Identifiers.ImageBuilderImage");
        Set(Image + "/parent/properties/marketplace/pattern", Identifiers.MarketplaceProductId.Regex, "Identifiers.MarketplaceProductId");
        Set(Image + "/components/items/properties/managed/pattern", Identifiers.ManagedComponentName.Regex, "Identifiers.ManagedComponentName");
        Set(Image + "/components/items/properties/version/pattern", Identifiers.VersionFilter.Regex, "Identifiers.VersionFilter");
        Set(Image + "/components/items/properties/name/pattern", ComponentsReader.ComponentName.Regex, "the loader's component names");
        Set(Image + "/components/maxItems", Builds.MaxComponents, "Builds.MaxComponents");
        Workflows(Set, Strings);
        Release(Set, Strings);
        Set(Image + "/workingDirectory/pattern", Builds.WorkingDirectory.Regex, "Builds.WorkingDirectory");
        Set(Image + "/schedule/properties/startCondition/enum", Strings(Builds.StartConditions), "Builds.StartConditions");
        Set(Image + "/schedule/properties/autoDisableAfterFailures/minimum", Builds.AutoDisableFailures.Min, "Builds.AutoDisableFailures");
        Set(Image + "/schedule/properties/autoDisableAfterFailures/maximum", Builds.AutoDisableFailures.Max, "Builds.AutoDisableFailures");
        Set(Image + "/placement/properties/tenancy/enum", Strings(Builds.Tenancies), "Builds.Tenancies");
        Set(Image + "/placement/properties/hostId/pattern", Builds.HostId.Regex, "Builds.HostId");
        Set(Image + "/placement/properties/hostResourceGroupArn/pattern", Builds.HostResourceGroupArn.Regex, "Builds.HostResourceGroupArn");
        Set(Image + "/placement/allOf", new JsonArray(
            new JsonObject
            {
                ["if"] = new JsonObject { ["anyOf"] = new JsonArray(new JsonObject { ["required"] = new JsonArray("hostId") }, new JsonObject { ["required"] = new JsonArray("hostResourceGroupArn") }) },
                ["then"] = new JsonObject { ["properties"] = new JsonObject { ["tenancy"] = new JsonObject { ["const"] = "host" } }, ["required"] = new JsonArray("tenancy") },
            },
            new JsonObject { ["not"] = new JsonObject { ["required"] = new JsonArray("hostId", "hostResourceGroupArn") } }), "Builds.Placement: a host or host resource group only with tenancy host, and not both");
        Set(Image + "/tests/properties/timeoutMinutes/minimum", Builds.TestTimeoutMinutes.Min, "Builds.TestTimeoutMinutes");
        Set(Image + "/tests/properties/timeoutMinutes/maximum", Builds.TestTimeoutMinutes.Max, "Builds.TestTimeoutMinutes");
        Set(Governance + "/snapshotBlockPublicAccess/enum", Strings([.. AmiInfra.Rules.Governance.SnapshotBlockPublicAccessStates, "off"]), "Governance.SnapshotBlockPublicAccessStates, and off");
        Set(AllowedImages + "/mode/enum", Strings(AmiInfra.Rules.Governance.AllowedImagesModes), "Governance.AllowedImagesModes");
        Set(AllowedImages + "/mode/default", AmiInfra.Rules.Governance.DefaultAllowedImagesMode, "Governance.DefaultAllowedImagesMode");
        Set(AllowedImages + "/providers/items/pattern", AmiInfra.Rules.Governance.ProviderRegex, "Governance.Provider");
        Set(AllowedImages + "/providers/maxItems", AmiInfra.Rules.Governance.MaxProviders, "Governance.MaxProviders");
        Set(AllowedImages + "/providers/if", new JsonObject { ["contains"] = new JsonObject { ["const"] = "none" } }, "Governance.Providers: none alone");
        Set(AllowedImages + "/providers/then", new JsonObject { ["maxItems"] = 1 }, "Governance.Providers: none alone");
        Set(AllowedImages + "/names/items/allOf", new JsonArray(
            new JsonObject { ["pattern"] = AmiInfra.Rules.Governance.NameRegex },
            new JsonObject { ["pattern"] = AmiInfra.Rules.Governance.QuestionMarkLengthRegex }), "Governance.Name");
        Set(AllowedImages + "/names/maxItems", AmiInfra.Rules.Governance.MaxNames, "Governance.MaxNames");
        foreach (var days in new[] { "maxAgeDays", "maxDaysSinceDeprecated" })
        {
            Set($"{AllowedImages}/{days}/minimum", AmiInfra.Rules.Governance.DaysCondition.Min, "Governance.DaysCondition");
            Set($"{AllowedImages}/{days}/maximum", AmiInfra.Rules.Governance.DaysCondition.Max, "Governance.DaysCondition");
        }

        RootVolumes(Set, Strings);
        return values;
    }

    /// <summary>An image's release verification: its instance type, subnets, timeout, smoke test, failure action and CVE severity (Releases).</summary>
    private static void Release(Action<string, JsonNode?, string> set, Func<IEnumerable<string>, JsonArray> strings)
    {
        const string Release = Image + "/release/properties";
        set(Release + "/instanceType/pattern", Identifiers.InstanceType.Regex, "Identifiers.InstanceType");
        set(Release + "/subnets/additionalProperties/pattern", Identifiers.SubnetId.Regex, "Identifiers.SubnetId");
        set(Release + "/timeoutMinutes/minimum", Releases.TimeoutMinutes.Min, "Releases.TimeoutMinutes");
        set(Release + "/timeoutMinutes/maximum", Releases.TimeoutMinutes.Max, "Releases.TimeoutMinutes");
        set(Release + "/smokeTest/properties/commands/minItems", 1, "Releases.Commands: at least one command");
        set(Release + "/smokeTest/properties/commands/items/pattern", "\\S", "Releases.Commands: no blank command");
        set(Release + "/onFailure/enum", strings(Releases.FailureActions), "Releases.FailureActions");
        set(Release + "/rebuildOnCve/properties/minimumSeverity/enum", strings(Releases.CveSeverities), "Releases.CveSeverities");
    }

    /// <summary>An image's workflows: the pipeline's limits and the values Image Builder takes (PipelineWorkflows).</summary>
    private static void Workflows(Action<string, JsonNode?, string> set, Func<IEnumerable<string>, JsonArray> strings)
    {
        const string Workflow = Image + "/workflows/items/properties";
        set(Image + "/workflows/maxItems", PipelineWorkflows.MaxWorkflows, "PipelineWorkflows.MaxWorkflows (the loader also counts the workflows it adds)");
        set(Workflow + "/managed/pattern", PipelineWorkflows.ManagedName.Regex, "PipelineWorkflows.ManagedName");
        set(Workflow + "/version/pattern", Identifiers.VersionFilter.Regex, "Identifiers.VersionFilter");
        set(Workflow + "/name/pattern", WorkflowsReader.WorkflowName.Regex, "the loader's workflow names");
        set(Workflow + "/type/enum", strings(WorkflowStages.Names), "WorkflowStages.Names");
        set(Workflow + "/onFailure/enum", strings(PipelineWorkflows.OnFailureValues), "PipelineWorkflows.OnFailureValues");
        set(Workflow + "/parallelGroup/pattern", PipelineWorkflows.ParallelGroup.Regex, "PipelineWorkflows.ParallelGroup");
        set(Workflow + "/parameters/propertyNames/maxLength", PipelineWorkflows.MaxParameterNameLength, "PipelineWorkflows.MaxParameterNameLength");
        set(Workflow + "/parameters/propertyNames/minLength", 1, "PipelineWorkflows.MaxParameterNameLength (names of 1 or more characters)");
        set(Workflow + "/parameters/additionalProperties", new JsonObject
        {
            ["anyOf"] = new JsonArray(
                new JsonObject { ["type"] = "string", ["maxLength"] = PipelineWorkflows.MaxParameterValueLength },
                new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["maxLength"] = PipelineWorkflows.MaxParameterValueLength } }),
        }, "PipelineWorkflows.MaxParameterValueLength: a text, or a list of texts, each of at most 1,024 characters");
    }

    /// <summary>The root volume's limits: the widest over all types, then each type's own (from the Ebs table).</summary>
    private static void RootVolumes(Action<string, JsonNode?, string> set, Func<IEnumerable<string>, JsonArray> strings)
    {
        var types = Ebs.Types;
        set(RootVolume + "/properties/type/enum", strings(types.Select(t => t.Type)), "Ebs.Types");
        set(RootVolume + "/properties/sizeGiB/minimum", types.Min(t => t.MinGiB), "Ebs.Types");
        set(RootVolume + "/properties/sizeGiB/maximum", types.Max(t => t.MaxGiB), "Ebs.Types");
        set(RootVolume + "/properties/iops/minimum", types.Where(t => t.Iops is not null).Min(t => t.Iops!.Value.Min), "Ebs.Types");
        set(RootVolume + "/properties/iops/maximum", types.Where(t => t.Iops is not null).Max(t => t.Iops!.Value.Max), "Ebs.Types");
        set(RootVolume + "/properties/throughputMiBps/minimum", types.Where(t => t.Throughput is not null).Min(t => t.Throughput!.Value.Min), "Ebs.Types");
        set(RootVolume + "/properties/throughputMiBps/maximum", types.Where(t => t.Throughput is not null).Max(t => t.Throughput!.Value.Max), "Ebs.Types");

        var perType = new JsonArray();
        foreach (var t in types)
        {
            var properties = new JsonObject { ["sizeGiB"] = new JsonObject { ["minimum"] = t.MinGiB, ["maximum"] = t.MaxGiB } };
            properties["iops"] = t.Iops is { } iops ? new JsonObject { ["minimum"] = iops.Min, ["maximum"] = iops.Max } : false;
            properties["throughputMiBps"] = t.Throughput is { } throughput ? new JsonObject { ["minimum"] = throughput.Min, ["maximum"] = throughput.Max } : false;
            var then = new JsonObject { ["properties"] = properties };
            if (t.IopsRequired)
            {
                then["required"] = new JsonArray("iops");
            }

            // gp3 is the default type: its limits hold when type is absent too.
            var condition = new JsonObject { ["properties"] = new JsonObject { ["type"] = new JsonObject { ["const"] = t.Type } } };
            if (t.Type != "gp3")
            {
                condition["required"] = new JsonArray("type");
            }

            perType.Add(new JsonObject { ["if"] = condition, ["then"] = then });
        }

        set(RootVolume + "/allOf", perType, "Ebs.Types (the IOPS per GiB and throughput per IOPS ratios are the loader's)");
    }
}
