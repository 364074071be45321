using AmiInfra.Rules;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace AmiInfra.Declaration.Tests;

/// <summary>
/// factory/factory.schema.json and the loader agree: they declare the same fields, and every
/// declaration in the repository is accepted by both or rejected by both, except for the faults
/// only the loader can find (<see cref="SchemaAgreement.LoaderOnly"/>) and the few shapes only the
/// schema rejects (<see cref="SchemaOnly"/>), both listed here with their reasons.
/// (The validation tests of this project read their declarations through <see cref="SchemaAgreement.Parse"/> too.)
/// </summary>
public sealed class SchemaAgreementTests
{
    private static readonly string Root = DefaultFactoryTests.RepositoryRoot;
    private static readonly string BadDeclarations = Path.Combine(Root, "test", "AmiInfra.App.Tests", "BadDeclarations");

    /// <summary>A one-image declaration with a managed component only; fields are inserted as given (each ending with a comma).</summary>
    private static string Declaration(string factoryFields = "", string imageFields = "", string moreImages = "", string components = """[{ "managed": "update-linux" }]""") => $$"""
        {
          "name": "golden",
          "account": "123456789012",
          "region": "us-east-1",
          {{factoryFields}}
          "images": [
            {
              {{imageFields}}
              "name": "al2023",
              "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
              "components": {{components}}
            }{{moreImages}}
          ]
        }
        """;

    [Fact]
    public void Schema_is_a_valid_draft_2020_12_schema()
    {
        var results = MetaSchemas.Draft202012.Evaluate(SchemaModel.Root, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(results.IsValid, string.Join("; ", results.Details.Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)SchemaModel.Root["$schema"]);
    }

    [Fact]
    public void Default_declaration_refers_to_the_schema()
    {
        var text = File.ReadAllText(Path.Combine(Root, "factory", "factory.json"));

        Assert.Equal("./factory.schema.json", (string?)JsonNode.Parse(text)!["$schema"]);
    }

    /// <summary>
    /// The declarations of the repository: the default factory, every examples/*/factory.json (the other examples, such
    /// as the C# app of examples/csharp-factory, are not declarations), and every
    /// whole declaration (a JSON block with images) that README.md or docs/*.md shows.
    /// </summary>
    public static TheoryData<string> RepositoryDeclarations()
    {
        var data = new TheoryData<string> { "factory/factory.json" };
        var examples = Path.Combine(Root, "examples");
        if (Directory.Exists(examples))
        {
            foreach (var file in Directory.GetDirectories(examples).Select(d => Path.Combine(d, "factory.json")).Where(File.Exists).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(Root, file).Replace('\\', '/'));
            }
        }

        var pages = new[] { Path.Combine(Root, "README.md") }.Where(File.Exists)
            .Concat(Directory.Exists(Path.Combine(Root, "docs")) ? Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Order(StringComparer.Ordinal) : []);
        foreach (var page in pages)
        {
            var blocks = JsonBlocks(page);
            for (var i = 0; i < blocks.Count; i++)
            {
                data.Add($"{Path.GetRelativePath(Root, page).Replace('\\', '/')}#{i}");
            }
        }

        return data;
    }

    /// <summary>The whole declarations a Markdown page shows.</summary>
    private static List<string> JsonBlocks(string page) =>
        Regex.Matches(File.ReadAllText(page), "```json\n(.*?)```", RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value)
            .Where(json => json.Contains("\"images\"", StringComparison.Ordinal))
            .ToList();

    /// <summary>Files load from their folder; Markdown examples from factory/, where the component documents they name are.</summary>
    [Theory]
    [MemberData(nameof(RepositoryDeclarations))]
    public void Declarations_in_the_repository_validate_against_both(string declaration)
    {
        var hash = declaration.IndexOf('#', StringComparison.Ordinal);
        if (hash < 0)
        {
            var file = Path.Combine(Root, declaration);
            SchemaAgreement.Parse(File.ReadAllText(file), Path.GetDirectoryName(file)!);
            return;
        }

        var json = JsonBlocks(Path.Combine(Root, declaration[..hash]))[int.Parse(declaration[(hash + 1)..], System.Globalization.CultureInfo.InvariantCulture)];
        SchemaAgreement.Parse(json, Path.Combine(Root, "factory"));
    }

    public static TheoryData<string> BadDeclarationFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(BadDeclarations, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    /// <summary>
    /// Each bad declaration is rejected by the loader with the message its <c>// expect:</c> line
    /// gives, and by the schema at the same field, or the fault is a loader-only one.
    /// </summary>
    [Theory]
    [MemberData(nameof(BadDeclarationFiles))]
    public void Bad_declarations_are_rejected_by_both_unless_only_the_loader_can_tell(string name)
    {
        var path = Path.Combine(BadDeclarations, name);
        var text = File.ReadAllText(path);
        var expected = text.Split('\n')[0]["// expect: ".Length..].Replace("{file}", path, StringComparison.Ordinal);
        var verdict = SchemaAgreement.Evaluate(text);

        var e = Assert.Throws<DeclarationException>(() => FactoryLoader.Load(path));
        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
        SchemaAgreement.AgreesOnRejection(verdict, e);
    }

    /// <summary>
    /// One example of each loader-only fault (files to create beside it: path and size in bytes; -1 is a
    /// valid build component document, -2 a valid test-only one, -3 a workflow document with a required parameter,
    /// -4 a workflow document for any stage, -5 one with an output, -6 one whose state machine is known at run time).
    /// </summary>
    private static readonly (string Fault, string Json, (string Path, int Bytes)[] Files)[] LoaderOnlyExamples =
    [
        ("an image name used twice", Declaration(moreImages: """
            , { "name": "al2023", "parent": { "amiId": "ami-0123456789abcdef0" }, "components": [{ "managed": "update-linux" }] }
            """), []),
        ("an OU outside the declared organizations", Declaration(
            """ "organization": { "id": "o-a1b2c3d4e5" },""",
            """ "distribution": { "launchPermissions": { "organizationalUnits": ["arn:aws:organizations::999988887777:ou/o-zzzzzzzzzz/ou-ab12-cdefgh34"] } },"""), []),
        ("more than 1000 launch-permission principals in all", Declaration(imageFields: $$"""
            "distribution": { "launchPermissions": {
              "accounts": [{{string.Join(", ", Enumerable.Range(0, 1000).Select(i => $"\"{100000000000L + i}\""))}}],
              "organizations": ["arn:aws:organizations::999988887777:organization/o-a1b2c3d4e5"] } },
            """), []),
        ("the factory's own account among the accounts shared with or targeted", Declaration(imageFields: """ "distribution": { "launchPermissions": { "accounts": ["123456789012"] } },"""), []),
        ("targetAccounts without organization.targetOrganizationalUnits", Declaration(imageFields: """ "distribution": { "targetAccounts": ["444455556666"] },"""), []),
        ("a public launch permission without allowPublicImages", Declaration(imageFields: """ "distribution": { "encryption": "aws/ebs", "launchPermissions": { "public": true } },"""), []),
        ("a public launch permission with encryption regional-key", Declaration(
            """ "allowPublicImages": true, "distribution": { "encryption": "regional-key" },""",
            """ "distribution": { "launchPermissions": { "public": true } },"""), []),
        ("encryption aws/ebs with sharing or target accounts", Declaration(
            """ "distribution": { "encryption": "aws/ebs" },""",
            """ "distribution": { "launchPermissions": { "accounts": ["111122223333"] } },"""), []),
        ("a launch template outside the distribution regions", Declaration(imageFields: """ "distribution": { "launchTemplates": [{ "region": "eu-west-1", "id": "lt-0123456789abcdef0" }] },"""), []),
        ("Fast Launch on a Linux image", Declaration(imageFields: """ "distribution": { "fastLaunch": [{ "region": "us-east-1" }] },"""), []),
        ("Fast Launch declared twice for one region", Declaration(imageFields: """ "platform": "windows", "distribution": { "fastLaunch": [{ "region": "us-east-1" }, { "region": "us-east-1", "enabled": false }] },""", components: """[{ "managed": "update-windows" }]"""), []),
        ("a license configuration of a region the AMI does not go to, or of another partition", Declaration(imageFields: """ "distribution": { "licenseConfigurations": ["arn:aws:license-manager:eu-west-1:123456789012:license-configuration:lic-0123456789abcdef0123456789abcdef"] },"""), []),
        ("more than 50 license configurations in one region", Declaration(imageFields: $$""" "distribution": { "licenseConfigurations": [{{string.Join(", ", Enumerable.Range(0, 51).Select(i => $"\"arn:aws:license-manager:us-east-1:123456789012:license-configuration:lic-{i:D32}\""))}}] },"""), []),
        ("a release subnet outside the image's distribution regions", Declaration(imageFields: """ "release": { "subnets": { "eu-west-1": "subnet-0123456789abcdef0" } },"""), []),
        ("retirement steps out of order", Declaration(imageFields: """ "lifecycle": { "deprecate": { "afterDays": 90 }, "disable": { "afterDays": 60 } },"""), []),
        ("a count rule keeping fewer AMIs than keepAtLeast", Declaration(imageFields: """ "lifecycle": { "delete": { "keepNewest": 2 }, "keepAtLeast": 3 },"""), []),
        ("a snapshot retention shorter than the AMI retention", Declaration(imageFields: """ "lifecycle": { "delete": { "afterDays": 365 }, "recycleBin": { "amiRetentionDays": 14, "snapshotRetentionDays": 7 } },"""), []),
        ("a cron expression with bad field values", Declaration(imageFields: """ "schedule": { "cron": "cron(0 4 * * sun *)" },"""), []),
        ("a component document or user data script that does not exist", Declaration(imageFields: """ "userDataFile": "scripts/user-data.sh","""), []),
        ("a user data script over 16,383 bytes", Declaration(imageFields: """ "userDataFile": "scripts/user-data.sh","""), [("scripts/user-data.sh", 16384)]),
        ("a component document AWSTOE would refuse", Declaration(components: """[{ "file": "components/x.yml" }]"""), [("components/x.yml", 10)]),
        ("component parameters the document does not declare, or a required one not given", Declaration(components: """[{ "file": "components/x.yml", "parameters": { "Port": "22" } }]"""), [("components/x.yml", -1)]),
        ("only test components in a recipe", Declaration(components: """[{ "file": "components/t.yml" }]"""), [("components/t.yml", -2)]),
        ("two component documents that would get one name", Declaration(components: """[{ "file": "components/a/x.yml", "name": "x" }, { "file": "components/b/x.yml", "name": "x" }]"""), [("components/a/x.yml", -1), ("components/b/x.yml", -1)]),
        ("an AWS-managed component of another platform", Declaration(imageFields: """ "platform": "windows","""), []),
        ("a region or ARN of another partition than the factory's", Declaration(imageFields: """ "distribution": { "regions": ["us-east-1", "cn-north-1"] },"""), []),
        ("an SSM parameter name too long for its ARN", Declaration(imageFields: $$""" "distribution": { "ssmParameter": "/imagebuilder/{{string.Join("/", Enumerable.Repeat(new string('p', 70), 14))}}" },"""), []),
        ("more IOPS or throughput than the volume's size allows", Declaration(imageFields: """ "rootVolume": { "sizeGiB": 20, "type": "io1", "iops": 1001 },"""), []),
        ("more tags on a resource than AWS allows, once the factory's, the image's and AmiInfra's are merged", Declaration(
            $$""" "tags": { {{string.Join(", ", Enumerable.Range(0, 30).Select(i => $"\"f{i}\": \"x\""))}} },""",
            $$""" "tags": { {{string.Join(", ", Enumerable.Range(0, 30).Select(i => $"\"i{i}\": \"x\""))}} },"""), []),
        ("a factory tag key a StackSet refuses, with targetAccounts", Declaration(
            """ "organization": { "id": "o-a1b2c3d4e5", "targetOrganizationalUnits": ["ou-ab12-cdefgh34"] }, "tags": { "owner@team": "platform" },""",
            """ "distribution": { "targetAccounts": ["444455556666"] },"""), []),
        ("a delegated administrator for StackSets that is the management account", Declaration(
            """ "organization": { "id": "o-a1b2c3d4e5", "managementAccount": "123456789012" },"""), []),
        ("the management account among the target accounts", Declaration(
            """ "organization": { "id": "o-a1b2c3d4e5", "managementAccount": "999988887777", "targetOrganizationalUnits": ["ou-ab12-cdefgh34"] },""",
            """ "distribution": { "targetAccounts": ["999988887777"] },"""), []),
        ("a launch template of another account without target OUs", Declaration(imageFields:
            """ "distribution": { "launchPermissions": { "accounts": ["111122223333"] }, "launchTemplates": [{ "region": "us-east-1", "id": "lt-0123456789abcdef0", "accountId": "111122223333" }] },"""), []),
        ("a launch template of an account the AMI does not reach", Declaration(
            """ "organization": { "id": "o-a1b2c3d4e5", "targetOrganizationalUnits": ["ou-ab12-cdefgh34"] },""",
            """ "distribution": { "launchTemplates": [{ "region": "us-east-1", "id": "lt-0123456789abcdef0", "accountId": "111122223333" }] },"""), []),
        ("a public launch permission while governance blocks public access for AMIs", Declaration(factoryFields: """ "allowPublicImages": true, "governance": { "imageBlockPublicAccess": true },""", imageFields: """ "distribution": { "encryption": "aws/ebs", "launchPermissions": { "public": true } },"""), []),
        ("a workflow document Image Builder would refuse", Declaration(imageFields: """ "workflows": [{ "file": "workflows/x.yml", "type": "BUILD" }],"""), [("workflows/x.yml", 10)]),
        ("workflow parameters the document does not declare, of another type, or a required one not given", Declaration(imageFields: """ "workflows": [{ "file": "workflows/approve.yml", "type": "DISTRIBUTION" }],"""), [("workflows/approve.yml", -3)]),
        ("onFailure or parallelGroup on a workflow that is not a TEST workflow", Declaration(imageFields: """ "workflows": [{ "managed": "build-image", "onFailure": "CONTINUE" }],"""), []),
        ("a second BUILD or DISTRIBUTION workflow", Declaration(imageFields: """ "workflows": [{ "managed": "build-image" }, { "managed": "express-build-image" }],"""), []),
        ("a TEST workflow while tests are disabled", Declaration(imageFields: """ "tests": { "enabled": false }, "workflows": [{ "managed": "test-image" }],"""), []),
        ("one workflow document with two types or names, or two documents with one name", Declaration(imageFields: """ "workflows": [{ "file": "workflows/a/gate.yml", "type": "DISTRIBUTION" }, { "file": "workflows/b/gate.yml", "type": "TEST" }],"""), [("workflows/a/gate.yml", -4), ("workflows/b/gate.yml", -4)]),
        ("an AWS-managed workflow AmiInfra does not know without its type, or with another type than its own", Declaration(imageFields: """ "workflows": [{ "managed": "scan-image" }],"""), []),
        ("more than ten workflows once AmiInfra adds build-image or test-image", Declaration(imageFields: $$""" "workflows": [{{string.Join(", ", Enumerable.Range(0, 10).Select(i => $"{{ \"managed\": \"test-image\", \"parallelGroup\": \"g{i}\" }}"))}}],"""), []),
        ("a workflow step that names its topic, function or state machine only at run time", Declaration(imageFields: """ "workflows": [{ "file": "workflows/late.yml", "type": "TEST" }],"""), [("workflows/late.yml", -6)]),
        ("an output name two workflows of one pipeline give", Declaration(imageFields: """ "workflows": [{ "file": "workflows/build.yml", "type": "BUILD" }, { "file": "workflows/test.yml", "type": "TEST" }],"""), [("workflows/build.yml", -5), ("workflows/test.yml", -5)]),
        ("an instance type EC2 does not have (a size its family does not come in)", Declaration(factoryFields: """ "build": { "instanceTypes": ["t3.4xlarge"] },"""), []),
        ("instance types of another architecture than the image's", Declaration(imageFields: """ "instanceTypes": ["m7g.large"],"""), []),
        ("a root volume smaller than the parent's root snapshot", Declaration(imageFields: """ "rootVolume": { "sizeGiB": 6 },"""), []),
        ("an Availability Zone of another region than the home region", Declaration(imageFields: """ "placement": { "availabilityZone": "eu-west-1a" },"""), []),
        ("an event bus of another partition, or of a region EventBridge does not deliver to from the home region", Declaration(""" "build": { "eventBus": "arn:aws:events:ap-south-1:123456789012:event-bus/platform" },"""), []),
        ("a whole number written with a fraction or an exponent, such as 20.0", Declaration(imageFields: """ "rootVolume": { "sizeGiB": 20.0 },"""), []),
    ];

    public static TheoryData<string> LoaderOnlyFaults()
    {
        var data = new TheoryData<string>();
        foreach (var fault in SchemaAgreement.LoaderOnly)
        {
            data.Add(fault.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LoaderOnlyFaults))]
    public void Loader_only_faults_pass_the_schema_and_fail_the_loader(string fault)
    {
        var example = Assert.Single(LoaderOnlyExamples, x => x.Fault == fault);
        var folder = Directory.CreateTempSubdirectory("amiinfra-schema-").FullName;
        foreach (var (file, bytes) in example.Files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, file))!);
            File.WriteAllText(Path.Combine(folder, file), bytes switch
            {
                -1 => "schemaVersion: 1.0\nphases:\n  - name: build\n    steps:\n      - name: Update\n        action: UpdateOS\n",
                -2 => "schemaVersion: 1.0\nphases:\n  - name: test\n    steps:\n      - name: Check\n        action: ExecuteBash\n        inputs:\n          commands: [\"true\"]\n",
                -3 => "schemaVersion: 1.0\nparameters:\n  - name: topic\nsteps:\n  - name: Approve\n    action: WaitForAction\n    inputs:\n      snsTopicArn.$: $.parameters.topic\n",
                -4 => "schemaVersion: 1.0\nsteps:\n  - name: Wait\n    action: WaitForAction\n",
                -6 => "schemaVersion: 1.0\nsteps:\n  - name: Check\n    action: ExecuteStateMachine\n    inputs:\n      stateMachineArn.$: $.workflowOutputs.Machine\n",
                -5 => "schemaVersion: 1.0\nsteps:\n  - name: Wait\n    action: WaitForAction\noutputs:\n  - name: Approved\n    value: $.stepOutputs.Wait.action\n",
                _ => new string('#', bytes),
            });
        }

        var verdict = SchemaAgreement.Evaluate(example.Json);
        var e = Assert.Throws<DeclarationException>(() => FactoryLoader.Parse(example.Json, folder));

        Assert.True(verdict.Valid, $"The schema rejects the example of '{fault}', so it is not loader-only: {verdict}");
        Assert.Equal([fault], SchemaAgreement.LoaderOnly.Where(f => f.Matches(e)).Select(f => f.Name));
    }

    [Fact]
    public void Every_loader_only_fault_has_one_example()
    {
        Assert.Equal(SchemaAgreement.LoaderOnly.Select(f => f.Name), LoaderOnlyExamples.Select(x => x.Fault));
    }

    /// <summary>Shapes the schema rejects and the loader lets through, each with the reason.</summary>
    public static TheoryData<string, string> SchemaOnly() => new()
    {
        {
            "null written for an optional field: the loader reads it as an absent field, the schema asks for the field's type",
            Declaration("\"description\": null,")
        },
        {
            "a $schema that is not text: the loader ignores $schema, the schema wants a reference to it",
            Declaration("\"$schema\": 2020,")
        },
        {
            "a fault in a field of the factory's distribution that every image replaces: the loader reads a factory field only for images without their own",
            Declaration("\"distribution\": { \"regions\": [\"eu-middle-1\"] },", "\"distribution\": { \"regions\": [\"us-east-1\"] },")
        },
    };

    [Theory]
    [MemberData(nameof(SchemaOnly))]
    public void Schema_only_faults_fail_the_schema_and_pass_the_loader(string reason, string json)
    {
        Assert.False(SchemaAgreement.Evaluate(json).Valid, reason);
        FactoryLoader.Parse(json, Path.GetTempPath());
    }

    /// <summary>The loader's field lists, by the path of the object they belong to.</summary>
    private static Dictionary<string, string[]> LoaderFields()
    {
        var fields = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [""] = FactoryLoader.FactoryFields,
            ["organization"] = BuildReader.OrganizationFields,
            ["build"] = BuildReader.BuildFields,
            ["delivery"] = DeliveryReader.Fields,
            ["governance"] = GovernanceReader.Fields,
            ["governance.allowedImages"] = GovernanceReader.AllowedImagesFields,
            ["images[]"] = ImageReader.Fields,
            ["images[].parent"] = ImageReader.ParentFields,
            ["images[].components[]"] = ComponentsReader.Fields,
            ["images[].workflows[]"] = WorkflowsReader.Fields,
            ["images[].rootVolume"] = ImageReader.RootVolumeFields,
            ["images[].schedule"] = ImageReader.ScheduleFields,
            ["images[].placement"] = ImageReader.PlacementFields,
            ["images[].tests"] = ImageReader.TestsFields,
            ["images[].release"] = ReleaseReader.Fields,
            ["images[].release.smokeTest"] = ReleaseReader.SmokeTestFields,
            ["images[].release.rebuildOnCve"] = ReleaseReader.RebuildFields,
        };
        foreach (var at in new[] { "", "images[]." })
        {
            fields[$"{at}distribution"] = DistributionReader.Fields;
            fields[$"{at}distribution.launchPermissions"] = DistributionReader.LaunchPermissionsFields;
            fields[$"{at}distribution.launchTemplates[]"] = DistributionReader.LaunchTemplateFields;
            fields[$"{at}distribution.fastLaunch[]"] = DistributionReader.FastLaunchFields;
            fields[$"{at}distribution.fastLaunch[].launchTemplate"] = DistributionReader.FastLaunchTemplateFields;
            fields[$"{at}lifecycle"] = LifecycleReader.LifecycleFields;
            fields[$"{at}lifecycle.exclude"] = LifecycleReader.ExclusionFields;
            fields[$"{at}lifecycle.recycleBin"] = LifecycleReader.RecycleBinFields;
            foreach (var step in new[] { "deprecate", "disable", "delete" })
            {
                fields[$"{at}lifecycle.{step}"] = LifecycleReader.StepFields;
            }
        }

        return fields;
    }

    [Fact]
    public void Schema_and_loader_declare_the_same_objects_with_the_same_fields()
    {
        var loader = LoaderFields();
        var schema = SchemaModel.Objects.ToDictionary(o => o.Path, o => o.Fields.Select(f => f.Name).Where(n => n != "$schema").ToArray(), StringComparer.Ordinal);

        Assert.Equal(loader.Keys.Order(StringComparer.Ordinal), schema.Keys.Order(StringComparer.Ordinal));
        Assert.All(loader, pair => Assert.Equal(pair.Value.Order(StringComparer.Ordinal), schema[pair.Key].Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Every_object_rejects_unknown_fields_like_the_loader()
    {
        Assert.All(SchemaModel.Objects, o => Assert.Equal(false, (bool?)o.Schema["additionalProperties"]));
    }

    [Fact]
    public void Every_field_has_a_description_that_states_its_default()
    {
        Assert.All(SchemaModel.Objects.SelectMany(o => o.Fields), field =>
        {
            Assert.False(string.IsNullOrWhiteSpace(field.Description), $"{field.Path} has no description");
            if ((field.Own["default"] ?? field.Resolved["default"]) is { } value)
            {
                var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString();
                Assert.Contains($"Default: {text}", field.Description, StringComparison.Ordinal);
            }
        });
    }
}
