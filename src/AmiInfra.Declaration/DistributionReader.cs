using AmiInfra.Rules;
using FastLaunchRules = AmiInfra.Rules.FastLaunch;

namespace AmiInfra.Declaration;

/// <summary>
/// Reads an image's distribution: each field the image's own when given, else the factory's
/// <c>distribution</c>, else the default; errors name the block the field came from.
/// </summary>
internal static class DistributionReader
{
    /// <summary>The fields of a distribution block (the factory's or an image's).</summary>
    internal static readonly string[] Fields =
        ["regions", "launchPermissions", "targetAccounts", "amiName", "amiTags", "ssmParameter", "encryption", "launchTemplates", "fastLaunch", "licenseConfigurations"];

    /// <summary>The fields of a distribution's <c>launchPermissions</c>.</summary>
    internal static readonly string[] LaunchPermissionsFields = ["accounts", "organizations", "organizationalUnits", "public"];

    /// <summary>The fields of a distribution's <c>launchTemplates[]</c>.</summary>
    internal static readonly string[] LaunchTemplateFields = ["region", "id", "accountId", "setDefaultVersion"];

    /// <summary>The fields of a distribution's <c>fastLaunch[]</c>.</summary>
    internal static readonly string[] FastLaunchFields = ["region", "enabled", "maxParallelLaunches", "targetSnapshotCount", "launchTemplate"];

    /// <summary>The fields of a distribution's <c>fastLaunch[].launchTemplate</c>.</summary>
    internal static readonly string[] FastLaunchTemplateFields = ["id", "name", "version"];

    public static Distribution Read(JsonFields image, FactoryContext factory, JsonFields? defaults, string imageName, IReadOnlyDictionary<string, string> imageTags, bool retires, Platform platform)
    {
        var own = image.OptionalObject("distribution", Fields);

        // Each field: the image's own when given, else the factory's, else the default.
        JsonFields? Source(string field) => own is not null && own.Has(field) ? own : defaults is not null && defaults.Has(field) ? defaults : null;

        var regionsFrom = Source("regions");
        var regions = regionsFrom is null ? [factory.Region] : Regions(regionsFrom, "regions", factory);

        var permissionsFrom = Source("launchPermissions");
        var permissions = permissionsFrom?.OptionalObject("launchPermissions", LaunchPermissionsFields);
        var accounts = permissions is null ? [] : Accounts(permissions, "accounts", factory, "an account other than the factory's own (it can always launch its AMIs)");
        var organizations = permissions is null ? [] : Arns(permissions, "organizations", Identifiers.OrganizationArn, factory);
        var units = permissions is null ? [] : Arns(permissions, "organizationalUnits", Identifiers.OrganizationalUnitArn, factory);
        var isPublic = permissions?.OptionalBool("public") ?? false;
        if (permissions is not null)
        {
            CheckPermissions(permissions, factory, accounts, organizations, units, isPublic);
        }

        var targetsFrom = Source("targetAccounts");
        var targets = targetsFrom is null ? [] : Accounts(targetsFrom, "targetAccounts", factory, "an account other than the factory's own (the factory account already has the AMI)", Rules.Distributions.MaxTargetAccounts);
        if (targets.Count > 0 && (factory.Organization is null || factory.Organization.TargetOrganizationalUnits.Count == 0))
        {
            throw new DeclarationException("organization.targetOrganizationalUnits", null, "the OUs holding the target accounts, so the distribution role can be deployed to them (targetAccounts are declared)");
        }

        for (var i = 0; i < targets.Count; i++)
        {
            JsonFields.Require($"{targetsFrom!.At("targetAccounts")}[{i}]", StackSets.TargetAccount(targets[i], factory.Organization?.ManagementAccount));
        }

        var encryptionFrom = Source("encryption");
        var encryptionText = encryptionFrom?.OptionalString("encryption", "regional-key or aws/ebs") ?? "regional-key";
        var encryption = encryptionText switch
        {
            "regional-key" => AmiEncryption.RegionalKey,
            "aws/ebs" => AmiEncryption.AwsManagedKey,
            _ => throw new DeclarationException(encryptionFrom!.At("encryption"), JsonFields.Quote(encryptionText), "regional-key (the factory's key in each region) or aws/ebs"),
        };
        if (encryption == AmiEncryption.AwsManagedKey && accounts.Count + organizations.Count + units.Count + targets.Count > 0)
        {
            throw new DeclarationException(
                encryptionFrom!.At("encryption"),
                "\"aws/ebs\" with sharing or target accounts",
                "regional-key: AMIs encrypted with the AWS-managed aws/ebs key cannot be launched or copied by other accounts");
        }

        if (encryption == AmiEncryption.RegionalKey && isPublic)
        {
            throw new DeclarationException(
                permissionsFrom!.At("launchPermissions.public"),
                "true with encryption \"regional-key\"",
                "false, or encryption \"aws/ebs\" with an unencrypted image: EC2 cannot make an AMI with encrypted snapshots public");
        }

        var amiNameFrom = Source("amiName");
        var amiName = amiNameFrom?.Checked("amiName", Rules.Distributions.AmiName, Rules.Distributions.AmiNameTemplate.Accepted)
            ?? $"{factory.Name}-{imageName}-{Rules.Distributions.BuildDatePlaceholder}";

        var ssmFrom = Source("ssmParameter");
        var ssm = ssmFrom?.Checked("ssmParameter", OutputParameter, Rules.Distributions.OutputParameter.Accepted)
            ?? $"{Rules.Distributions.ServiceLinkedRoleParameterPrefix}{factory.Name}/{imageName}/latest";
        foreach (var region in regions)
        {
            JsonFields.Require(ssmFrom?.At("ssmParameter") ?? "distribution.ssmParameter", Rules.Distributions.OutputParameterLength(ssm, factory.Partition.Name, region, factory.Account));
        }

        var templatesFrom = Source("launchTemplates");
        var templates = templatesFrom is null ? [] : LaunchTemplates(templatesFrom, regions, factory);
        for (var i = 0; i < templates.Count; i++)
        {
            if (templates[i].AccountId is { } owner)
            {
                var canLaunch = targets.Contains(owner) || accounts.Contains(owner) || organizations.Count + units.Count > 0 || isPublic;
                var roleDeployed = factory.Organization is { TargetOrganizationalUnits.Count: > 0 };
                JsonFields.Require($"{templatesFrom!.At("launchTemplates")}[{i}].accountId", Rules.Distributions.LaunchTemplateAccount(owner, roleDeployed, canLaunch, factory.Organization?.ManagementAccount));
            }
        }

        var fastLaunchFrom = Source("fastLaunch");
        var fastLaunch = fastLaunchFrom is null ? [] : FastLaunch(fastLaunchFrom, regions, factory, platform, image.Path);

        var licensesFrom = Source("licenseConfigurations");
        var licenses = licensesFrom is null ? [] : Licenses(licensesFrom, regions, factory);

        var amiTagsFrom = Source("amiTags");
        var amiTags = amiTagsFrom is null ? new SortedDictionary<string, string>() : TagsReader.Read(amiTagsFrom, "amiTags", TagRules.ImageBuilder);

        // Every AMI carries the factory's tags, the image's, its amiTags and AmiInfra's three, and when the image retires its
        // AMIs, room for the retention marker's three (CreateTags: "Each resource can have a maximum of 50 tags",
        // https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTags.html).
        var marks = retires ? Lifecycles.StepNames.Count : 0;
        var amiTagCount = factory.Tags.Keys.Union(imageTags.Keys).Union(amiTags.Keys).Count() + AmiTagKeys.OnEveryAmi.Count + marks;
        JsonFields.Require(amiTagsFrom?.At("amiTags") ?? image.At("tags"), TagRules.Ec2.Total(amiTagCount, retires ? "the factory's tags, the image's, amiTags, AmiInfra's 3 and the retention marker's 3" : "the factory's tags, the image's, amiTags and AmiInfra's 3"));

        return new Distribution
        {
            Regions = regions,
            LaunchAccounts = accounts,
            LaunchOrganizations = organizations,
            LaunchOrganizationalUnits = units,
            Public = isPublic,
            TargetAccounts = targets,
            AmiName = amiName,
            AmiTags = amiTags,
            SsmParameterName = ssm,
            Encryption = encryption,
            LaunchTemplates = templates,
            FastLaunch = fastLaunch,
            LicenseConfigurations = licenses,
        };
    }

    private static void CheckPermissions(JsonFields permissions, FactoryContext factory, IReadOnlyList<string> accounts, IReadOnlyList<string> organizations, IReadOnlyList<string> units, bool isPublic)
    {
        var declaredOrganizations = organizations.Select(Identifiers.OrganizationOf).ToHashSet(StringComparer.Ordinal);
        if (factory.Organization is not null)
        {
            declaredOrganizations.Add(factory.Organization.Id);
        }

        for (var i = 0; i < units.Count; i++)
        {
            var organization = Identifiers.OrganizationOf(units[i]);
            if (!declaredOrganizations.Contains(organization))
            {
                throw new DeclarationException(
                    $"{permissions.At("organizationalUnits")}[{i}]",
                    $"{JsonFields.Quote(units[i])} (in organization {organization})",
                    declaredOrganizations.Count == 0
                        ? "an OU of the declared organization (declare organization.id first)"
                        : $"an OU of the declared organization{(declaredOrganizations.Count > 1 ? "s" : "")} {string.Join(", ", declaredOrganizations.Order(StringComparer.Ordinal))}");
            }
        }

        if (Rules.Distributions.Principals(accounts.Count, organizations.Count, units.Count) is { } problem)
        {
            throw new DeclarationException(problem.Part is null ? permissions.Path : permissions.At(problem.Part), problem with { Part = null });
        }

        if (isPublic && !factory.AllowPublic)
        {
            throw new DeclarationException(permissions.At("public"), "true", "false, unless the factory sets \"allowPublicImages\": true to opt in to public AMIs explicitly");
        }

        // Governance blocks public access for AMIs: both fields are named, the public one by its path.
        JsonFields.Require(permissions.At("public"), Governance.PublicImageUnderBlock(factory.ImageBlockPublicAccess, isPublic));
    }

    /// <summary>An output parameter name Parameter Store takes, under the path Image Builder's service-linked role may write.</summary>
    private static Problem? OutputParameter(string name) =>
        Rules.Distributions.OutputParameter.Check(name) ?? Rules.Distributions.ServiceLinkedRoleParameter.Check(name);

    private static IReadOnlyList<string> Arns(JsonFields f, string field, Shape shape, FactoryContext factory)
    {
        var list = f.CheckedList(field, shape, distinct: true) ?? [];
        JsonFields.Require(f.At(field), Lists.Check(list, arn => Identifiers.InPartition(arn, factory.Partition)));
        return list;
    }

    private static IReadOnlyList<LaunchTemplateUpdate> LaunchTemplates(JsonFields f, IReadOnlyList<string> regions, FactoryContext factory)
    {
        var items = f.Array("launchTemplates", Rules.Distributions.MaxLaunchTemplates);
        var result = new List<LaunchTemplateUpdate>();
        for (var i = 0; i < items.Count; i++)
        {
            var t = JsonFields.Open(items[i], $"{f.At("launchTemplates")}[{i}]", LaunchTemplateFields);
            var region = factory.RegionAt(t.RequiredString("region", Partitions.RegionAccepted), t.At("region"));
            if (!regions.Contains(region))
            {
                throw new DeclarationException(t.At("region"), JsonFields.Quote(region), $"one of the distribution regions ({string.Join(", ", regions)})");
            }

            var account = t.OptionalChecked("accountId", Identifiers.AccountId);
            var id = t.Checked("id", Identifiers.LaunchTemplateId);
            result.Add(new LaunchTemplateUpdate(region, id, account == factory.Account ? null : account, t.OptionalBool("setDefaultVersion") ?? true));
        }

        return result;
    }

    /// <summary>
    /// Fast Launch, one entry per distribution region, for the factory account's copy of a Windows image. Declared in the
    /// factory's distribution block, it reaches every image that does not declare its own; a Linux image it reaches is
    /// refused there, naming the image, so it is never dropped silently.
    /// </summary>
    private static IReadOnlyList<FastLaunchSetting> FastLaunch(JsonFields f, IReadOnlyList<string> regions, FactoryContext factory, Platform platform, string imagePath)
    {
        var field = f.At("fastLaunch");
        if (FastLaunchRules.ForImage(platform == Platform.Windows) is { } linux)
        {
            throw new DeclarationException(field, linux with { Value = $"{linux.Value} ({imagePath})" });
        }

        var items = f.Array("fastLaunch", Rules.Distributions.MaxRegions);
        var result = new List<FastLaunchSetting>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var at = $"{field}[{i}]";
            var e = JsonFields.Open(items[i], at, FastLaunchFields);
            var region = factory.RegionAt(e.RequiredString("region", Partitions.RegionAccepted), e.At("region"));
            if (!regions.Contains(region))
            {
                throw new DeclarationException(e.At("region"), JsonFields.Quote(region), $"one of the distribution regions ({string.Join(", ", regions)})");
            }

            if (!seen.TryAdd(region, i))
            {
                throw new DeclarationException(e.At("region"), JsonFields.Quote(region), $"a region without Fast Launch settings already ({field}[{seen[region]}])");
            }

            var parallel = e.OptionalWholeNumber("maxParallelLaunches", $"a whole number, at least {FastLaunchRules.MinParallelLaunches}");
            if (parallel is { } p)
            {
                JsonFields.Require(e.At("maxParallelLaunches"), FastLaunchRules.MaxParallelLaunches(p, out var warning));
                // Declared on the factory, the setting is read once per image: warn once.
                if (warning is not null && !factory.Warnings.Contains($"{e.At("maxParallelLaunches")}: {warning}."))
                {
                    factory.Warnings.Add($"{e.At("maxParallelLaunches")}: {warning}.");
                }
            }

            var snapshots = e.OptionalWholeNumber("targetSnapshotCount", $"a whole number from {FastLaunchRules.MinTargetSnapshots} to {FastLaunchRules.MaxTargetSnapshots}");
            if (snapshots is { } s)
            {
                JsonFields.Require(e.At("targetSnapshotCount"), FastLaunchRules.TargetSnapshotCount(s));
            }

            FastLaunchTemplateReference? template = null;
            if (e.OptionalObject("launchTemplate", FastLaunchTemplateFields) is { } t)
            {
                var id = t.OptionalString("id", Identifiers.LaunchTemplateId.Accepted);
                var name = t.OptionalString("name", FastLaunchRules.LaunchTemplateName.Accepted);
                var version = t.OptionalString("version", FastLaunchRules.LaunchTemplateVersion.Accepted);
                if (FastLaunchRules.LaunchTemplate(id, name, version) is { } problem)
                {
                    throw new DeclarationException(t.At(problem.Part!), problem with { Part = null });
                }

                template = new FastLaunchTemplateReference(id, name, version!);
            }

            result.Add(new FastLaunchSetting(region, e.OptionalBool("enabled") ?? true, parallel, snapshots, template));
        }

        return result;
    }

    /// <summary>License Manager configuration ARNs of the factory's partition, each of a distribution region.</summary>
    private static IReadOnlyList<string> Licenses(JsonFields f, IReadOnlyList<string> regions, FactoryContext factory)
    {
        var list = f.OptionalStrings("licenseConfigurations", LicenseConfigurations.Arn.Accepted) ?? [];
        JsonFields.Require(f.At("licenseConfigurations"), Lists.Check(list, arn => LicenseConfigurations.Check(arn, factory.Partition) ?? LicenseConfigurations.InRegions(arn, regions)));
        foreach (var region in regions)
        {
            var count = list.Count(arn => LicenseConfigurations.RegionOf(arn) == region);
            JsonFields.Require(f.At("licenseConfigurations"), Lists.AtMost(count, LicenseConfigurations.MaxPerRegion, $"license configurations of {region}", "per region, the Image Builder limit"));
        }

        return list;
    }

    private static IReadOnlyList<string> Regions(JsonFields f, string field, FactoryContext factory)
    {
        var list = f.OptionalStrings(field, Partitions.RegionAccepted, Rules.Distributions.MaxRegions) ?? [];
        if (list.Count == 0)
        {
            throw new DeclarationException(f.At(field), "an empty list", "at least one region");
        }

        JsonFields.Require(f.At(field), Lists.Check(list, region => Partitions.RegionIn(region, factory.Partition)));
        return list;
    }

    private static IReadOnlyList<string> Accounts(JsonFields f, string field, FactoryContext factory, string ownMeaning, int maxItems = int.MaxValue)
    {
        var list = f.CheckedList(field, Identifiers.AccountId, maxItems, distinct: true) ?? [];
        var own = list.ToList().IndexOf(factory.Account);
        if (own >= 0)
        {
            throw new DeclarationException($"{f.At(field)}[{own}]", JsonFields.Quote(factory.Account), ownMeaning);
        }

        return list;
    }
}
