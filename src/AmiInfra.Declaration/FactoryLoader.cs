using System.Text;
using System.Text.Json;

namespace AmiInfra.Declaration;

/// <summary>
/// Reads a factory declaration (JSON) and validates it completely: the result is a typed
/// <see cref="Factory"/>, or a <see cref="DeclarationException"/> naming the first bad field.
/// </summary>
public static class FactoryLoader
{
    /// <summary>The declaration file looked for when a folder is given.</summary>
    public const string DefaultFileName = "factory.json";

    private const string NameAccepted = "2 to 32 characters: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen";
    private const string FactoryNameAccepted = "2 to 20 characters: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen";
    private const string AccountAccepted = "a 12-digit AWS account id";
    private const string RegionAccepted = "an AWS region code such as us-east-1 or eu-west-1";

    // The fields each object of the declaration accepts, in the order error messages list them.
    // factory/factory.schema.json declares the same fields (a test compares them).

    /// <summary>The fields of the declaration's top-level object (besides <c>$schema</c>).</summary>
    internal static readonly string[] FactoryFields =
        ["name", "description", "account", "region", "organization", "allowPublicImages", "build", "delivery", "distribution", "lifecycle", "tags", "images"];

    /// <summary>The fields of <c>organization</c>.</summary>
    internal static readonly string[] OrganizationFields = ["id", "targetOrganizationalUnits"];

    /// <summary>The fields of <c>build</c>.</summary>
    internal static readonly string[] BuildFields = ["instanceTypes", "subnetId", "securityGroupIds", "keyPair", "logRetentionDays"];

    /// <summary>The fields of an image's <c>parent</c> (exactly one is given).</summary>
    internal static readonly string[] ParentFields = ["ssmParameter", "amiId", "imageBuilder", "marketplace"];

    /// <summary>The fields of an image's <c>components[]</c>.</summary>
    internal static readonly string[] ComponentFields = ["managed", "version", "file", "parameters"];

    /// <summary>The fields of an image's <c>rootVolume</c>.</summary>
    internal static readonly string[] RootVolumeFields = ["deviceName", "sizeGiB", "type", "iops", "throughputMiBps"];

    /// <summary>The fields of an image's <c>schedule</c>.</summary>
    internal static readonly string[] ScheduleFields = ["cron", "startCondition", "timezone"];

    /// <summary>The fields of an image's <c>tests</c>.</summary>
    internal static readonly string[] TestsFields = ["enabled", "timeoutMinutes"];

    /// <summary>The fields of a distribution's <c>launchPermissions</c>.</summary>
    internal static readonly string[] LaunchPermissionsFields = ["accounts", "organizations", "organizationalUnits", "public"];

    /// <summary>The fields of a distribution's <c>launchTemplates[]</c>.</summary>
    internal static readonly string[] LaunchTemplateFields = ["region", "id", "accountId", "setDefaultVersion"];

    /// <summary>Loads a declaration from a file, or from <c>factory.json</c> in a folder.</summary>
    public static Factory Load(string path)
    {
        var file = Directory.Exists(path) ? System.IO.Path.Combine(path, DefaultFileName) : path;
        if (!File.Exists(file))
        {
            throw new DeclarationException(file, "a file that does not exist", $"a factory declaration file (a folder holding {DefaultFileName}, or a .json file)");
        }

        var text = File.ReadAllText(file, Encoding.UTF8);
        return Parse(text, System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(file))!, file);
    }

    /// <summary>Parses a declaration from its text; component files are looked up under <paramref name="baseDirectory"/>.</summary>
    public static Factory Parse(string json, string baseDirectory, string source = "declaration")
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new DeclarationException(source, "an empty file", "a JSON object describing the factory");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = false });
        }
        catch (JsonException e) when (e.BytePositionInLine is null || e.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
        {
            throw new DeclarationException(source, "a file with no JSON in it", "a JSON object describing the factory");
        }
        catch (JsonException e)
        {
            throw new DeclarationException(
                $"{source} (line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1})",
                "text that is not valid JSON",
                "a JSON object describing the factory");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new DeclarationException(source, JsonFields.Render(document.RootElement), "a JSON object describing the factory");
            }

            return ReadFactory(document.RootElement, baseDirectory);
        }
    }

    private static Factory ReadFactory(JsonElement root, string baseDirectory)
    {
        var f = JsonFields.Open(root, "", FactoryFields);
        var name = Matching(f, "name", Rules.Name(), FactoryNameAccepted);
        if (name.Length > 20)
        {
            throw new DeclarationException("name", JsonFields.Quote(name), FactoryNameAccepted);
        }

        var account = Matching(f, "account", Rules.AccountId(), AccountAccepted);
        var region = Region(f.RequiredString("region", RegionAccepted), "region");
        var organization = ReadOrganization(f);
        var allowPublic = f.OptionalBool("allowPublicImages") ?? false;
        var build = ReadBuild(f);
        var tags = Tags(f, "tags");

        var context = new FactoryContext(name, account, region, organization, allowPublic);
        var distributionDefaults = f.OptionalObject("distribution", DistributionFields);
        var lifecycleDefaults = f.Element("lifecycle");
        if (lifecycleDefaults is { } factoryLifecycle)
        {
            // Checked whole even when every image has its own: a bad block is never left lying in wait.
            RetirementReader.Read(factoryLifecycle, "lifecycle");
        }

        var images = f.Array("images");
        if (images.Count == 0)
        {
            throw new DeclarationException("images", f.Has("images") ? "an empty list" : null, "a list of at least one image");
        }

        var result = new List<Image>(images.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < images.Count; i++)
        {
            var image = ReadImage(images[i], $"images[{i}]", context, distributionDefaults, lifecycleDefaults, baseDirectory);
            if (seen.TryGetValue(image.Name, out var first))
            {
                throw new DeclarationException($"images[{i}].name", JsonFields.Quote(image.Name), $"a name not already used by images[{first}]");
            }

            seen[image.Name] = i;
            result.Add(image);
        }

        return new Factory
        {
            Name = name,
            Description = f.OptionalString("description", "text") ?? "",
            Account = account,
            Region = region,
            Organization = organization,
            AllowPublicImages = allowPublic,
            Build = build,
            Delivery = DeliveryReader.Read(f),
            Tags = tags,
            Images = result,
            BaseDirectory = baseDirectory,
        };
    }

    private sealed record FactoryContext(string Name, string Account, string Region, OrganizationSettings? Organization, bool AllowPublic);

    private static OrganizationSettings? ReadOrganization(JsonFields f)
    {
        var o = f.OptionalObject("organization", OrganizationFields);
        if (o is null)
        {
            return null;
        }

        var id = Matching(o, "id", Rules.OrganizationId(), "an organization id such as o-a1b2c3d4e5");
        var units = o.OptionalStrings("targetOrganizationalUnits", "an OU id (ou-...) or root id (r-...)") ?? [];
        for (var i = 0; i < units.Count; i++)
        {
            if (!Rules.OrganizationalUnitOrRootId().IsMatch(units[i]))
            {
                throw new DeclarationException($"{o.At("targetOrganizationalUnits")}[{i}]", JsonFields.Quote(units[i]), "an OU id such as ou-ab12-cdefgh34 or a root id such as r-ab12");
            }
        }

        return new OrganizationSettings(id, units);
    }

    private static BuildSettings ReadBuild(JsonFields f)
    {
        var b = f.OptionalObject("build", BuildFields);
        if (b is null)
        {
            return new BuildSettings();
        }

        var subnet = OptionalMatching(b, "subnetId", Rules.SubnetId(), "a subnet id such as subnet-0123456789abcdef0");
        var groups = MatchingList(b, "securityGroupIds", Rules.SecurityGroupId(), "a security group id such as sg-0123456789abcdef0", 5) ?? [];
        if (groups.Count > 0 && subnet is null)
        {
            throw new DeclarationException(b.At("subnetId"), null, "a subnet id whenever securityGroupIds are given (security groups belong to the subnet's VPC)");
        }

        var keyPair = b.OptionalString("keyPair", "the name of an EC2 key pair");
        if (keyPair is not null && (keyPair.Length is 0 or > 255))
        {
            throw new DeclarationException(b.At("keyPair"), JsonFields.Quote(keyPair), "the name of an EC2 key pair (1 to 255 characters)");
        }

        return new BuildSettings
        {
            InstanceTypes = InstanceTypes(b, "instanceTypes") ?? ["m7i.large"],
            SubnetId = subnet,
            SecurityGroupIds = groups,
            KeyPair = keyPair,
            LogRetentionDays = b.OptionalInt("logRetentionDays", 1, 3650, "days") ?? 90,
        };
    }

    private static IReadOnlyList<string>? InstanceTypes(JsonFields f, string name)
    {
        var types = MatchingList(f, name, Rules.InstanceType(), "an EC2 instance type such as m7i.large or c7g.xlarge", 10);
        if (types is { Count: 0 })
        {
            throw new DeclarationException(f.At(name), "an empty list", "at least one EC2 instance type such as m7i.large");
        }

        return types;
    }

    /// <summary>The fields of an image (<c>images[]</c>).</summary>
    internal static readonly string[] ImageFields =
    [
        "name", "description", "platform", "parent", "components", "rootVolume", "workingDirectory", "removeSsmAgent",
        "userDataFile", "schedule", "enabled", "tests", "scanning", "enhancedMetadata", "instanceTypes", "distribution",
        "lifecycle", "tags",
    ];

    private static Image ReadImage(
        JsonElement element, string path, FactoryContext factory, JsonFields? distributionDefaults, JsonElement? lifecycleDefaults, string baseDirectory)
    {
        var f = JsonFields.Open(element, path, ImageFields);
        var name = Matching(f, "name", Rules.Name(), NameAccepted);
        var platformText = f.OptionalString("platform", "linux or windows") ?? "linux";
        var platform = platformText switch
        {
            "linux" => Platform.Linux,
            "windows" => Platform.Windows,
            _ => throw new DeclarationException(f.At("platform"), JsonFields.Quote(platformText), "linux or windows"),
        };

        var userData = f.OptionalString("userDataFile", "a path to a script, relative to the declaration");
        if (userData is not null)
        {
            RequireFile(f.At("userDataFile"), userData, baseDirectory, "a user data script");
            var size = new FileInfo(System.IO.Path.Combine(baseDirectory, userData)).Length;
            if (size > 16 * 1024 * 3 / 4)
            {
                throw new DeclarationException(f.At("userDataFile"), $"a file of {size} bytes", "a user data script of at most 12,288 bytes (16 KB once base64-encoded)");
            }
        }

        var workingDirectory = f.OptionalString("workingDirectory", "an absolute path on the build instance");
        if (workingDirectory is not null && !(workingDirectory.StartsWith('/') || (workingDirectory.Length > 2 && workingDirectory[1] == ':')))
        {
            throw new DeclarationException(f.At("workingDirectory"), JsonFields.Quote(workingDirectory), "an absolute path such as /tmp or C:/Temp");
        }

        var distribution = ReadDistribution(f, path, factory, distributionDefaults, name);
        var lifecycle = f.Element("lifecycle") ?? lifecycleDefaults;
        var lifecyclePath = f.Has("lifecycle") ? f.At("lifecycle") : "lifecycle";

        return new Image
        {
            Name = name,
            Description = f.OptionalString("description", "text") ?? "",
            Platform = platform,
            Parent = ReadParent(f),
            Components = ReadComponents(f, baseDirectory),
            RootVolume = ReadRootVolume(f, platform),
            WorkingDirectory = workingDirectory,
            RemoveSsmAgent = f.OptionalBool("removeSsmAgent") ?? false,
            UserDataFile = userData,
            Schedule = ReadSchedule(f),
            Enabled = f.OptionalBool("enabled") ?? true,
            Tests = ReadTests(f),
            Scanning = f.OptionalBool("scanning") ?? true,
            EnhancedMetadata = f.OptionalBool("enhancedMetadata") ?? true,
            InstanceTypes = InstanceTypes(f, "instanceTypes"),
            Distribution = distribution,
            Retirement = lifecycle is { } l ? RetirementReader.Read(l, lifecyclePath) : null,
            Tags = Tags(f, "tags"),
        };
    }

    private static ParentImage ReadParent(JsonFields f)
    {
        var p = f.Object("parent", ParentFields);
        var given = ParentFields.Where(p.Has).ToList();
        if (given.Count != 1)
        {
            throw new DeclarationException(
                p.Path,
                given.Count == 0 ? "no parent image" : $"{given.Count} parent images ({string.Join(", ", given)})",
                "exactly one of ssmParameter, amiId, imageBuilder or marketplace");
        }

        return given[0] switch
        {
            "ssmParameter" => new ParentImage(ParentImageKind.SsmParameter, Matching(p, "ssmParameter", Rules.SsmParameterName(), "an SSM parameter name such as /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")),
            "amiId" => new ParentImage(ParentImageKind.AmiId, Matching(p, "amiId", Rules.AmiId(), "an AMI id such as ami-0123456789abcdef0")),
            "imageBuilder" => new ParentImage(ParentImageKind.ImageBuilder, Matching(p, "imageBuilder", Rules.ImageBuilderImage(), "an Image Builder managed image such as amazon-linux-2023-x86/x.x.x")),
            _ => new ParentImage(ParentImageKind.Marketplace, Matching(p, "marketplace", Rules.MarketplaceProductId(), "an AWS Marketplace product id such as prod-abcdefgh12345")),
        };
    }

    private static IReadOnlyList<ComponentReference> ReadComponents(JsonFields f, string baseDirectory)
    {
        var items = f.Array("components", 20);
        if (items.Count == 0)
        {
            throw new DeclarationException(f.At("components"), f.Has("components") ? "an empty list" : null, "a list of 1 to 20 components, each { \"managed\": \"update-linux\" } or { \"file\": \"components/x.yml\" }");
        }

        var result = new List<ComponentReference>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var c = JsonFields.Open(items[i], $"{f.At("components")}[{i}]", ComponentFields);
            if (c.Has("managed") == c.Has("file"))
            {
                throw new DeclarationException(c.Path, c.Has("managed") ? "both managed and file" : "neither managed nor file", "exactly one of managed (an AWS-managed component name) or file (a component document)");
            }

            var managed = c.Has("managed") ? Matching(c, "managed", Rules.ManagedComponentName(), "an AWS-managed component name such as update-linux") : null;
            var file = c.OptionalString("file", "a path to a component document, relative to the declaration");
            if (file is not null)
            {
                RequireFile(c.At("file"), file, baseDirectory, "a component document (YAML)");
            }

            if (file is not null && c.Has("version"))
            {
                throw new DeclarationException(c.At("version"), "a version on a component document", "no version: a document's version follows its content");
            }

            var version = c.Has("version") ? Matching(c, "version", Rules.ComponentVersion(), "a version such as 1.0.0 or x.x.x") : "x.x.x";
            var parameters = c.OptionalMap("parameters", "a text value (Image Builder passes parameters as text)") ?? new SortedDictionary<string, string>();
            result.Add(new ComponentReference(managed, file, version, parameters));
        }

        return result;
    }

    private static readonly IReadOnlyDictionary<string, (int Min, int Max)> VolumeSizes = new Dictionary<string, (int, int)>
    {
        ["gp3"] = (1, 16384), ["gp2"] = (1, 16384), ["io1"] = (4, 16384), ["io2"] = (4, 65536), ["standard"] = (1, 1024),
    };

    private static RootVolume ReadRootVolume(JsonFields f, Platform platform)
    {
        var r = f.OptionalObject("rootVolume", RootVolumeFields);
        var defaultDevice = platform == Platform.Windows ? "/dev/sda1" : "/dev/xvda";
        if (r is null)
        {
            return new RootVolume { DeviceName = defaultDevice, SizeGiB = platform == Platform.Windows ? 50 : 20 };
        }

        var type = r.OptionalString("type", "gp3, gp2, io1, io2 or standard") ?? "gp3";
        if (!VolumeSizes.TryGetValue(type, out var sizes))
        {
            throw new DeclarationException(r.At("type"), JsonFields.Quote(type), "a bootable EBS volume type: gp3, gp2, io1, io2 or standard");
        }

        var size = r.OptionalInt("sizeGiB", sizes.Min, sizes.Max, $"GiB (EBS limits for {type})")
            ?? throw new DeclarationException(r.At("sizeGiB"), null, $"a size in GiB from {sizes.Min} to {sizes.Max}");
        int? iops = null;
        if (r.Has("iops"))
        {
            var (min, max) = type switch { "gp3" => (3000, 80000), "io1" => (100, 64000), "io2" => (100, 256000), _ => (0, -1) };
            if (max < 0)
            {
                throw new DeclarationException(r.At("iops"), JsonFields.Render(r.Element("iops")!.Value), $"no iops: {type} volumes do not take provisioned IOPS (gp3, io1 and io2 do)");
            }

            iops = r.OptionalInt("iops", min, max, $"IOPS for {type}");
        }
        else if (type is "io1" or "io2")
        {
            throw new DeclarationException(r.At("iops"), null, $"provisioned IOPS for an {type} volume (100 to {(type == "io1" ? 64000 : 256000)})");
        }

        int? throughput = null;
        if (r.Has("throughputMiBps"))
        {
            if (type != "gp3")
            {
                throw new DeclarationException(r.At("throughputMiBps"), JsonFields.Render(r.Element("throughputMiBps")!.Value), "no throughput: only gp3 volumes take a throughput");
            }

            throughput = r.OptionalInt("throughputMiBps", 125, 2000, "MiB/s");
        }

        var device = r.OptionalString("deviceName", "a device name such as /dev/xvda or /dev/sda1") ?? defaultDevice;
        if (!device.StartsWith("/dev/", StringComparison.Ordinal) && !device.StartsWith("xvd", StringComparison.Ordinal))
        {
            throw new DeclarationException(r.At("deviceName"), JsonFields.Quote(device), "a device name such as /dev/xvda or /dev/sda1");
        }

        return new RootVolume { DeviceName = device, SizeGiB = size, VolumeType = type, Iops = iops, ThroughputMiBps = throughput };
    }

    private static readonly string[] StartConditions = ["EXPRESSION_MATCH_ONLY", "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE"];

    private static Schedule? ReadSchedule(JsonFields f)
    {
        var s = f.OptionalObject("schedule", ScheduleFields);
        if (s is null)
        {
            return null;
        }

        var cron = s.RequiredString("cron", CronExpression.Accepted);
        if (CronExpression.Problem(cron) is { } problem)
        {
            throw new DeclarationException(s.At("cron"), $"{JsonFields.Quote(cron)} ({problem})", CronExpression.Accepted);
        }

        var condition = s.OptionalString("startCondition", string.Join(" or ", StartConditions));
        if (condition is not null && Array.IndexOf(StartConditions, condition) < 0)
        {
            throw new DeclarationException(s.At("startCondition"), JsonFields.Quote(condition), string.Join(" or ", StartConditions));
        }

        var timezone = s.OptionalString("timezone", "UTC") ?? "Etc/UTC";
        if (timezone is not ("UTC" or "Etc/UTC"))
        {
            throw new DeclarationException(s.At("timezone"), JsonFields.Quote(timezone), "UTC or Etc/UTC: CloudFormation's image pipeline schedule takes no time zone, so write the cron expression in UTC");
        }

        return new Schedule(cron, condition ?? StartConditions[1], timezone, condition is not null);
    }

    private static ImageTests ReadTests(JsonFields f)
    {
        var t = f.OptionalObject("tests", TestsFields);
        return t is null
            ? new ImageTests(true, 90)
            : new ImageTests(t.OptionalBool("enabled") ?? true, t.OptionalInt("timeoutMinutes", 60, 1440, "minutes") ?? 90);
    }

    /// <summary>The fields of a distribution block (the factory's or an image's).</summary>
    internal static readonly string[] DistributionFields =
        ["regions", "launchPermissions", "targetAccounts", "amiName", "amiTags", "ssmParameter", "encryption", "launchTemplates"];

    private static Distribution ReadDistribution(JsonFields image, string imagePath, FactoryContext factory, JsonFields? defaults, string imageName)
    {
        var own = image.OptionalObject("distribution", DistributionFields);

        // Each field: the image's own when given, else the factory's, else the default.
        JsonFields? Source(string field) => own is not null && own.Has(field) ? own : defaults is not null && defaults.Has(field) ? defaults : null;

        var regionsFrom = Source("regions");
        var regions = regionsFrom is null ? [factory.Region] : Regions(regionsFrom, "regions");

        var permissionsFrom = Source("launchPermissions");
        var permissions = permissionsFrom?.OptionalObject("launchPermissions", LaunchPermissionsFields);
        var accounts = permissions is null ? [] : Accounts(permissions, "accounts", factory.Account, allowOwn: false);
        var organizations = permissions is null ? [] : Distinct(permissions, "organizations", MatchingList(permissions, "organizations", Rules.OrganizationArn(), "an organization ARN such as arn:aws:organizations::123456789012:organization/o-a1b2c3d4e5") ?? []);
        var units = permissions is null ? [] : Distinct(permissions, "organizationalUnits", MatchingList(permissions, "organizationalUnits", Rules.OrganizationalUnitArn(), "an OU ARN such as arn:aws:organizations::123456789012:ou/o-a1b2c3d4e5/ou-ab12-cdefgh34") ?? []);
        var isPublic = permissions?.OptionalBool("public") ?? false;

        if (permissions is not null)
        {
            var declaredOrganizations = organizations.Select(o => Rules.OrganizationArn().Match(o).Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            if (factory.Organization is not null)
            {
                declaredOrganizations.Add(factory.Organization.Id);
            }

            for (var i = 0; i < units.Count; i++)
            {
                var organization = Rules.OrganizationalUnitArn().Match(units[i]).Groups[1].Value;
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

            if (units.Count > MaxOrganizationalUnits)
            {
                throw new DeclarationException(permissions.At("organizationalUnits"), $"{units.Count} OUs", $"at most {MaxOrganizationalUnits} OUs (the Image Builder limit per region); share with a parent OU or the organization instead");
            }

            var principals = accounts.Count + organizations.Count + units.Count;
            if (principals > MaxSharingEntities)
            {
                throw new DeclarationException(permissions.Path, $"{principals} launch-permission principals", $"at most {MaxSharingEntities} accounts, organizations and OUs together (the EC2 AMI sharing quota per region); share with an organization or OU instead");
            }

            if (isPublic && !factory.AllowPublic)
            {
                throw new DeclarationException(permissions.At("public"), "true", "false, unless the factory sets \"allowPublicImages\": true to opt in to public AMIs explicitly");
            }
        }

        var targetsFrom = Source("targetAccounts");
        var targets = targetsFrom is null ? [] : Accounts(targetsFrom, "targetAccounts", factory.Account, allowOwn: false, maxItems: Rules.MaxTargetAccounts, ownMeaning: "an account other than the factory's own (the factory account already has the AMI)");
        if (targets.Count > 0 && (factory.Organization is null || factory.Organization.TargetOrganizationalUnits.Count == 0))
        {
            throw new DeclarationException("organization.targetOrganizationalUnits", null, "the OUs holding the target accounts, so the distribution role can be deployed to them (targetAccounts are declared)");
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
        var amiName = amiNameFrom?.RequiredString("amiName", "an AMI name template") ?? $"{factory.Name}-{imageName}-{{{{ imagebuilder:buildDate }}}}";
        // Image Builder's own rule for the name template (EC2's for the expanded name is looser).
        if (amiName.Length > 127 || !System.Text.RegularExpressions.Regex.IsMatch(amiName, "^[-_A-Za-z0-9{][-_A-Za-z0-9\\s:{}.]+[-_A-Za-z0-9}]$"))
        {
            throw new DeclarationException(amiNameFrom!.At("amiName"), JsonFields.Quote(amiName), "up to 127 characters: letters, digits, spaces and - _ . : (Image Builder's rule), with {{ imagebuilder:buildDate }} where the build date goes");
        }

        if (!amiName.Contains("{{ imagebuilder:buildDate }}", StringComparison.Ordinal))
        {
            throw new DeclarationException(amiNameFrom!.At("amiName"), JsonFields.Quote(amiName), "a name containing {{ imagebuilder:buildDate }}, so that every build gets a unique AMI name");
        }

        var ssmFrom = Source("ssmParameter");
        var ssm = ssmFrom is null ? $"/amiinfra/{factory.Name}/{imageName}/latest" : Matching(ssmFrom, "ssmParameter", Rules.SsmParameterName(), "an SSM parameter name such as /amiinfra/golden/al2023/latest");
        if (ssm.StartsWith("/aws", StringComparison.OrdinalIgnoreCase) || ssm.StartsWith("/ssm", StringComparison.OrdinalIgnoreCase))
        {
            throw new DeclarationException(ssmFrom!.At("ssmParameter"), JsonFields.Quote(ssm), "a parameter name not starting with /aws or /ssm (reserved by AWS)");
        }

        var templatesFrom = Source("launchTemplates");
        var templates = templatesFrom is null ? [] : LaunchTemplates(templatesFrom, regions, factory.Account);

        var amiTagsFrom = Source("amiTags");
        return new Distribution
        {
            Regions = regions,
            LaunchAccounts = accounts,
            LaunchOrganizations = organizations,
            LaunchOrganizationalUnits = units,
            Public = isPublic,
            TargetAccounts = targets,
            AmiName = amiName,
            AmiTags = amiTagsFrom is null ? new SortedDictionary<string, string>() : Tags(amiTagsFrom, "amiTags"),
            SsmParameterName = ssm,
            Encryption = encryption,
            LaunchTemplates = templates,
        };
    }

    /// <summary>Most OUs in one launch permission (Image Builder's LaunchPermissionConfiguration.organizationalUnitArns).</summary>
    private const int MaxOrganizationalUnits = 25;

    /// <summary>Most accounts, organizations and OUs an AMI is shared with in a region: the default EC2 "AMI sharing" quota.</summary>
    private const int MaxSharingEntities = 1000;

    private static IReadOnlyList<string> Distinct(JsonFields f, string field, IReadOnlyList<string> list)
    {
        for (var i = 0; i < list.Count; i++)
        {
            var first = IndexOf(list, list[i]);
            if (first < i)
            {
                throw new DeclarationException($"{f.At(field)}[{i}]", JsonFields.Quote(list[i]), $"a value not already listed ({f.At(field)}[{first}])");
            }
        }

        return list;
    }

    private static IReadOnlyList<LaunchTemplateUpdate> LaunchTemplates(JsonFields f, IReadOnlyList<string> regions, string factoryAccount)
    {
        var items = f.Array("launchTemplates", 100);
        var result = new List<LaunchTemplateUpdate>();
        for (var i = 0; i < items.Count; i++)
        {
            var t = JsonFields.Open(items[i], $"{f.At("launchTemplates")}[{i}]", LaunchTemplateFields);
            var region = Region(t.RequiredString("region", RegionAccepted), t.At("region"));
            if (!regions.Contains(region))
            {
                throw new DeclarationException(t.At("region"), JsonFields.Quote(region), $"one of the distribution regions ({string.Join(", ", regions)})");
            }

            var account = t.Has("accountId") ? Matching(t, "accountId", Rules.AccountId(), AccountAccepted) : null;
            var id = Matching(t, "id", Rules.LaunchTemplateId(), "a launch template id such as lt-0123456789abcdef0");
            if (id.Length != 20)
            {
                throw new DeclarationException(t.At("id"), JsonFields.Quote(id), "a launch template id of 17 hexadecimal digits after lt-, such as lt-0123456789abcdef0 (Image Builder takes no other form)");
            }

            result.Add(new LaunchTemplateUpdate(region, id, account == factoryAccount ? null : account, t.OptionalBool("setDefaultVersion") ?? true));
        }

        return result;
    }

    private static IReadOnlyList<string> Regions(JsonFields f, string field)
    {
        var list = f.OptionalStrings(field, RegionAccepted, 50) ?? [];
        if (list.Count == 0)
        {
            throw new DeclarationException(f.At(field), "an empty list", "at least one region");
        }

        for (var i = 0; i < list.Count; i++)
        {
            Region(list[i], $"{f.At(field)}[{i}]");
            var first = IndexOf(list, list[i]);
            if (first < i)
            {
                throw new DeclarationException($"{f.At(field)}[{i}]", JsonFields.Quote(list[i]), $"a region not already listed ({f.At(field)}[{first}])");
            }
        }

        return list;
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    internal static string Region(string value, string path) =>
        Rules.Regions.Contains(value) ? value : throw new DeclarationException(path, JsonFields.Quote(value), RegionAccepted);

    private static IReadOnlyList<string> Accounts(JsonFields f, string field, string factoryAccount, bool allowOwn, int maxItems = int.MaxValue, string? ownMeaning = null)
    {
        var list = MatchingList(f, field, Rules.AccountId(), AccountAccepted, maxItems) ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            if (!allowOwn && list[i] == factoryAccount)
            {
                throw new DeclarationException($"{f.At(field)}[{i}]", JsonFields.Quote(list[i]), ownMeaning ?? "an account other than the factory's own (it can always launch its AMIs)");
            }

            var first = IndexOf(list, list[i]);
            if (first < i)
            {
                throw new DeclarationException($"{f.At(field)}[{i}]", JsonFields.Quote(list[i]), $"an account not already listed ({f.At(field)}[{first}])");
            }
        }

        return list;
    }

    internal static IReadOnlyDictionary<string, string> Tags(JsonFields f, string field)
    {
        var tags = f.OptionalMap(field, "a tag value: up to 256 letters, digits, spaces and _ . : / = + - @") ?? new SortedDictionary<string, string>();
        if (tags.Count > 40)
        {
            throw new DeclarationException(f.At(field), $"{tags.Count} tags", "at most 40 tags (AWS allows 50 per resource; AmiInfra adds its own)");
        }

        foreach (var (key, value) in tags)
        {
            if (!Rules.TagKey().IsMatch(key) || key.StartsWith("amiinfra:", StringComparison.Ordinal))
            {
                throw new DeclarationException($"{f.At(field)}.{key}", $"the tag key {JsonFields.Quote(key)}", "a tag key of 1 to 128 letters, digits, spaces and _ . : / = + - @, not starting with aws: or amiinfra:");
            }

            if (!Rules.TagValue().IsMatch(value))
            {
                throw new DeclarationException($"{f.At(field)}.{key}", JsonFields.Quote(value), "a tag value of up to 256 letters, digits, spaces and _ . : / = + - @");
            }
        }

        return tags;
    }

    internal static string Matching(JsonFields f, string field, System.Text.RegularExpressions.Regex shape, string accepted)
    {
        var value = f.RequiredString(field, accepted);
        return shape.IsMatch(value) ? value : throw new DeclarationException(f.At(field), JsonFields.Quote(value), accepted);
    }

    private static string? OptionalMatching(JsonFields f, string field, System.Text.RegularExpressions.Regex shape, string accepted) =>
        f.Has(field) ? Matching(f, field, shape, accepted) : null;

    internal static IReadOnlyList<string>? MatchingList(JsonFields f, string field, System.Text.RegularExpressions.Regex shape, string accepted, int maxItems = int.MaxValue)
    {
        var list = f.OptionalStrings(field, accepted, maxItems);
        if (list is null)
        {
            return null;
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (!shape.IsMatch(list[i]))
            {
                throw new DeclarationException($"{f.At(field)}[{i}]", JsonFields.Quote(list[i]), accepted);
            }
        }

        return list;
    }

    private static void RequireFile(string path, string relative, string baseDirectory, string what)
    {
        if (System.IO.Path.IsPathRooted(relative))
        {
            throw new DeclarationException(path, JsonFields.Quote(relative), $"a path to {what}, relative to the declaration");
        }

        if (!File.Exists(System.IO.Path.Combine(baseDirectory, relative)))
        {
            throw new DeclarationException(path, $"{JsonFields.Quote(relative)}, which does not exist next to the declaration", $"a path to {what}, relative to the declaration");
        }
    }
}
