using System.Text.Json.Nodes;

namespace AmiInfra.Declaration.Tests;

/// <summary>
/// One declaration per rule the schema expresses, broken or at its edge: the loader and the schema
/// reject each broken one at the same field, and accept each edge case.
/// (<see cref="SchemaAgreement.Parse"/> checks the agreement.)
/// </summary>
public sealed class SchemaFaultTests
{
    // The parent is an AMI id, whose architecture and root snapshot are not known at synth: the edges of the volume
    // and instance-type rules below are the services' own, not a parent's.
    private const string Base = """
        {
          "name": "golden",
          "account": "123456789012",
          "region": "us-east-1",
          "images": [
            {
              "name": "al2023",
              "parent": { "amiId": "ami-0123456789abcdef0" },
              "components": [{ "managed": "update-linux" }]
            }
          ]
        }
        """;

    private const string Lifecycle = "\"delete\": { \"afterDays\": 365 }";

    /// <summary>The base declaration with the value at <paramref name="pointer"/> set to <paramref name="json"/>.</summary>
    private static string With(string pointer, string json)
    {
        var root = JsonNode.Parse(Base)!;
        var segments = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = root;
        foreach (var segment in segments[..^1])
        {
            parent = int.TryParse(segment, out var index) ? parent[index]! : parent[segment] ??= new JsonObject();
        }

        parent[segments[^1]] = JsonNode.Parse(json);
        return root.ToJsonString();
    }

    private static string List(int count, Func<int, string> item) => "[" + string.Join(", ", Enumerable.Range(0, count).Select(i => $"\"{item(i)}\"")) + "]";

    private static string Map(int count) => "{" + string.Join(", ", Enumerable.Range(0, count).Select(i => $"\"key{i}\": \"value\"")) + "}";

    public static TheoryData<string, string> Faults() => new()
    {
        { "/name", "\"golden-\"" },
        { "/name", "\"abcdefghijabcdefghijk\"" },
        { "/name", "42" },
        { "/description", "true" },
        { "/account", "\"12345678901\"" },
        { "/region", "\"eu-middle-1\"" },
        { "/organization", """{ "targetOrganizationalUnits": [] }""" },
        { "/organization", """{ "id": "o-a1b2" }""" },
        { "/organization", """{ "id": "o-a1b2c3d4e5", "targetOrganizationalUnits": ["ou-x"] }""" },
        { "/organization", "\"o-a1b2c3d4e5\"" },
        { "/allowPublicImages", "\"yes\"" },
        { "/build", """{ "instanceTypes": [] }""" },
        { "/build", """{ "instanceTypes": ["m7i-large"] }""" },
        { "/build", """{ "securityGroupIds": ["sg-0123456789abcdef0"] }""" },
        { "/build", $$"""{ "subnetId": "subnet-0123456789abcdef0", "securityGroupIds": {{List(17, i => $"sg-{i + 10000000}")}} }""" },
        { "/build", """{ "subnetId": "subnet-123" }""" },
        { "/build", """{ "keyPair": "" }""" },
        { "/build", $$"""{ "keyPair": "{{new string('k', 256)}}" }""" },
        { "/build", """{ "logRetentionDays": 0 }""" },
        { "/build", """{ "network": "vpc" }""" },
        { "/build", """{ "network": "subnet" }""" },
        { "/build", """{ "network": "factory-vpc", "subnetId": "subnet-0123456789abcdef0" }""" },
        { "/build", """{ "network": "default-vpc", "securityGroupIds": ["sg-0123456789abcdef0"] }""" },
        { "/organization", """{ "id": "o-a1b2c3d4e5", "stackSetsFrom": "SELF" }""" },
        { "/organization", """{ "id": "o-a1b2c3d4e5", "onAccountRemoval": "keep" }""" },
        { "/governance", """{ "ebsEncryptionByDefault": "aws/ebs", "targetAccountEbsKey": "factory-key" }""" },
        { "/governance", """{ "targetAccountEbsKey": "stackset-key" }""" },
        { "/governance", """{ "ebsEncryptionByDefault": "regional-key", "targetAccountEbsKey": "aws-managed", "targetAccounts": false }""" },
        { "/organization", """{ "id": "o-a1b2c3d4e5", "stackSetsFrom": "management-account" }""" },
        { "/organization", """{ "id": "o-a1b2c3d4e5", "managementAccount": "12345" }""" },
        { "/tags", """{ "aws:owner": "platform" }""" },
        { "/tags", """{ "amiinfra:image": "x" }""" },
        { "/tags", """{ "owner": "a|b" }""" },
        { "/tags", """{ "Équipe": "plateforme" }""" },
        { "/tags", """{ "empty": "" }""" },
        { "/tags", """{ "owner": 1 }""" },
        { "/tags", Map(41) },
        { "/images", "[]" },
        { "/images", "{}" },
        { "/images/0/name", "\"Al2023\"" },
        { "/images/0/name", "\"a\"" },
        { "/images/0/platform", "\"macos\"" },
        { "/images/0/parent", "{}" },
        { "/images/0/parent", """{ "imageBuilder": "amazon-linux-2023-x86" }""" },
        { "/images/0/parent", """{ "marketplace": "prod-x" }""" },
        { "/images/0/parent", """{ "ssmParameter": "aws/service/x" }""" },
        { "/images/0/components", "[]" },
        { "/images/0/components", "[" + string.Join(", ", Enumerable.Repeat("""{ "managed": "update-linux" }""", 21)) + "]" },
        { "/images/0/components", """[{ "managed": "update-linux", "file": "components/x.yml" }]""" },
        { "/images/0/components", "[{}]" },
        { "/images/0/components", """[{ "managed": "update-linux", "version": "latest" }]""" },
        { "/images/0/components", """[{ "managed": "Update Linux" }]""" },
        { "/images/0/components", """[{ "managed": "update-linux", "parameters": { "a": 1 } }]""" },
        { "/images/0/components", """[{ "file": "/etc/components/x.yml" }]""" },
        { "/images/0/rootVolume", """{ "type": "gp3" }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 0 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 16001 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 3, "type": "io1", "iops": 100 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 16001, "type": "io2", "iops": 100 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 20, "iops": 64001 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 20, "throughputMiBps": 1001 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 1025, "type": "standard" }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 20, "type": "io2" }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 20, "type": "io1", "iops": 64001 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 20, "type": "gp2", "iops": 3000 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 20, "iops": 2999 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 20, "type": "io1", "iops": 100, "throughputMiBps": 200 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 20, "throughputMiBps": 124 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 20, "deviceName": "sda1" }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 20, "type": "st1" }""" },
        { "/images/0/workingDirectory", "\"tmp\"" },
        { "/images/0/workingDirectory", "\"C:\"" },
        { "/images/0/removeSsmAgent", "1" },
        { "/images/0/schedule", """{ "startCondition": "EXPRESSION_MATCH_ONLY" }""" },
        { "/images/0/schedule", """{ "cron": "cron(0 4 ? * sun)" }""" },
        { "/images/0/schedule", """{ "cron": "0 4 ? * sun *" }""" },
        { "/images/0/schedule", """{ "cron": "cron(0 4 ? * sun *)", "startCondition": "ALWAYS" }""" },
        { "/images/0/schedule", """{ "cron": "cron(0 4 ? * sun *)", "timezone": "CET" }""" },
        { "/images/0/enabled", "\"true\"" },
        { "/images/0/tests", """{ "timeoutMinutes": 59 }""" },
        { "/images/0/tests", """{ "enabled": "no" }""" },
        { "/images/0/instanceTypes", """["t3.Large"]""" },
        { "/images/0/instanceTypes", "[]" },
        { "/images/0/distribution", """{ "regions": [] }""" },
        { "/images/0/distribution", $$"""{ "regions": {{List(51, i => "us-east-1")}} }""" },
        { "/images/0/distribution", """{ "launchPermissions": { "accounts": ["111122223333", "111122223333"] } }""" },
        { "/images/0/distribution", """{ "launchPermissions": { "organizationalUnits": ["arn:aws:organizations::999988887777:ou/o-a1b2c3d4e5/ou-1"] } }""" },
        { "/images/0/distribution", """{ "launchPermissions": { "public": "no" } }""" },
        { "/images/0/distribution", """{ "launchPermissions": { "everyone": true } }""" },
        { "/images/0/distribution", """{ "targetAccounts": ["1"] }""" },
        { "/images/0/distribution", $$"""{ "targetAccounts": {{List(1537, i => (100000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture))}} }""" },
        { "/images/0/distribution", """{ "amiName": "golden-al2023" }""" },
        { "/images/0/distribution", $$$"""{ "amiName": "{{{new string('a', 100)}}}-{{ imagebuilder:buildDate }}" }""" },
        { "/images/0/distribution", """{ "amiName": " golden {{ imagebuilder:buildDate }}" }""" },
        { "/images/0/distribution", """{ "amiTags": { "aws:team": "platform" } }""" },
        { "/images/0/distribution", """{ "ssmParameter": "/aws/golden/latest" }""" },
        { "/images/0/distribution", """{ "ssmParameter": "/awsome/latest" }""" },
        { "/images/0/distribution", """{ "ssmParameter": "/SSM/golden" }""" },
        { "/images/0/distribution", """{ "ssmParameter": "golden/latest" }""" },
        { "/images/0/distribution", """{ "ssmParameter": "/platform/ami/latest" }""" },
        { "/images/0/distribution", """{ "ssmParameter": "imagebuilder/golden/latest" }""" },
        { "/images/0/distribution", """{ "encryption": "kms" }""" },
        { "/images/0/distribution", """{ "launchTemplates": [{ "region": "us-east-1" }] }""" },
        { "/images/0/distribution", """{ "launchTemplates": [{ "id": "lt-0123456789abcdef0" }] }""" },
        { "/images/0/distribution", """{ "launchTemplates": [{ "region": "us-east-1", "id": "lt-0123456789abcdef0", "setDefaultVersion": "yes" }] }""" },
        { "/images/0/distribution", """{ "launchTemplates": [{ "region": "us-east-1", "id": "lt-0123456789abcdef0", "accountId": "x" }] }""" },
        { "/images/0/distribution", """{ "launchTemplates": [{ "region": "us-east-1", "id": "lt-0123456789ABCDEF0" }] }""" },
        { "/images/0/distribution", $$"""{ "launchTemplates": [{{string.Join(", ", Enumerable.Repeat("""{ "region": "us-east-1", "id": "lt-0123456789abcdef0" }""", 101))}}] }""" },
        { "/distribution", """{ "regions": ["us-east-1", "eu-middle-1"] }""" },
        { "/distribution", """{ "colour": "blue" }""" },
        { "/lifecycle", "{}" },
        { "/lifecycle", """{ "delete": {} }""" },
        { "/lifecycle", """{ "delete": { "afterDays": 10, "keepNewest": 5 } }""" },
        { "/lifecycle", """{ "delete": { "keepNewest": 0 } }""" },
        { "/lifecycle", """{ "deprecate": { "afterDays": 1002 } }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "keepAtLeast": 0 }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "deleteSnapshots": "no" }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "exclude": { "launchedWithinDays": 0 } }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "exclude": { "tags": { "Büro": "x" } } }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "exclude": { "tags": { "owner": "{{new string('v', 257)}}" } } }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "exclude": { "tags": {{Map(51)}} } }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "exclude": { "regions": ["mars-1"] } }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "exclude": { "sharedWithAccounts": ["x"] } }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "exclude": { "public": "yes" } }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "recycleBin": { "amiRetentionDays": -1 } }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "recycleBin": { "snapshotRetentionDays": 366 } }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "recycleBin": { "days": 7 } }""" },
        { "/images/0/lifecycle", """{ "keepAtLeast": 2 }""" },
        { "/images/0/tags", """{ "": "empty key" }""" },
        { "/images/0/tags", """{ "Kostenstelle-Büro": "4711" }""" },
        { "/images/0/components", """[{ "managed": "update-linux", "version": "1.x.2" }]""" },
        { "/images/0/components", """[{ "managed": "update-linux", "version": "1073741824.0.0" }]""" },
        { "/images/0/components", """[{ "managed": "update-linux", "name": "update" }]""" },
        { "/images/0/parent", """{ "imageBuilder": "amazon-linux-2023-x86/x.1.x" }""" },
        { "/images/0/distribution", """{ "amiName": "golden:{{ imagebuilder:buildDate }}" }""" },
        { "/images/0/distribution", """{ "amiName": "golden {stable} {{ imagebuilder:buildDate }}" }""" },
        { "/images/0/distribution", """{ "ssmParameter": "/a//b" }""" },
        { "/images/0/distribution", """{ "launchPermissions": { "organizations": [] } }""".Replace("[]", List(26, i => $"arn:aws:organizations::999988887777:organization/o-a1b2c3d4e{i:00}"), StringComparison.Ordinal) },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Both_reject_a_fault_the_schema_expresses_at_the_same_field(string pointer, string value)
    {
        Assert.Throws<DeclarationException>(() => SchemaAgreement.Parse(With(pointer, value), Path.GetTempPath()));
    }

    public static TheoryData<string, string> EdgeCases() => new()
    {
        { "/$schema", "\"./factory.schema.json\"" },
        { "/description", "\"\"" },
        { "/name", "\"abcdefghijabcdefghij\"" },
        { "/region", "\"cn-northwest-1\"" },
        { "/organization", """{ "id": "o-a1b2c3d4e5", "targetOrganizationalUnits": ["r-ab12", "ou-ab12-cdefgh34"] }""" },
        { "/build", """{ "securityGroupIds": [] }""" },
        { "/build", """{ "network": "factory-vpc", "securityGroupIds": [] }""" },
        { "/build", """{ "network": "subnet", "subnetId": "subnet-0123456789abcdef0" }""" },
        { "/build", """{ "network": "default-vpc" }""" },
        { "/organization", """{ "id": "o-a1b2c3d4e5", "managementAccount": "999988887777", "stackSetsFrom": "management-account" }""" },
        { "/organization", """{ "id": "o-a1b2c3d4e5", "stackSetsFrom": "delegated-administrator" }""" },
        { "/organization", """{ "id": "o-a1b2c3d4e5", "onAccountRemoval": "delete" }""" },
        { "/governance", """{ "ebsEncryptionByDefault": "regional-key", "targetAccountEbsKey": "stackset-key" }""" },
        { "/governance", """{ "ebsEncryptionByDefault": "off", "targetAccountEbsKey": "keep", "targetAccounts": false }""" },
        { "/build", """{ "subnetId": "subnet-01234567", "securityGroupIds": ["sg-01234567", "sg-0123456789abcdef0"], "keyPair": "k", "logRetentionDays": 3650 }""" },
        { "/build", """{ "instanceTypes": ["u-6tb1.metal", "c7gn.16xlarge", "m7i.metal-48xl", "t4g.nano", "c8i-flex.12xlarge", "r8g.metal-24xl", "p6e-gb200.36xlarge", "u7inh-32tb.480xlarge", "is4gen.medium", "x2iezn.metal"] }""" },
        { "/build", $$"""{ "subnetId": "subnet-0123456789abcdef0", "securityGroupIds": {{List(16, i => $"sg-{i + 10000000}")}}, "logRetentionDays": 7300 }""" },
        { "/tags", """{ "team": "Équipe plateforme", "a b_.:/=+-@": "ok" }""" },
        { "/images/0/tags", """{ "empty": "", "note": "any | character ü" }""" },
        { "/tags", Map(40) },
        { "/images", """[{ "name": "win2022", "platform": "windows", "parent": { "ssmParameter": "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base" }, "components": [{ "managed": "update-windows" }, { "managed": "aws-cli-version-2-windows" }] }]""" },
        { "/images/0/parent", """{ "imageBuilder": "amazon-linux-2023-x86/x.x.x" }""" },
        { "/images/0/parent", """{ "marketplace": "prod-abcdefgh12345" }""" },
        { "/images/0/parent", """{ "amiId": "ami-01234567" }""" },
        { "/images/0/components", """[{ "managed": "update-linux", "version": "1.0.0", "parameters": {} }, { "managed": "reboot-linux", "version": "x.x.x" }, { "managed": "stig-build-linux-high", "version": "1.x.x" }, { "managed": "python-3-linux", "version": "1073741823.0.x" }]""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 64, "type": "io2", "iops": 64000 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 16000, "type": "io2", "iops": 64000 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 1, "iops": 3000, "throughputMiBps": 750 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 4, "type": "io1", "iops": 100 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 16000, "iops": 64000, "throughputMiBps": 1000 }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 1024, "type": "standard", "deviceName": "xvda" }""" },
        { "/images/0/rootVolume", """{ "sizeGiB": 1, "type": "gp2", "deviceName": "/dev/sda1" }""" },
        { "/images/0/workingDirectory", "\"C:/Temp\"" },
        { "/images/0/workingDirectory", "\"/\"" },
        { "/images/0/schedule", """{ "cron": "cron(0  4 ? * sun *)", "timezone": "UTC" }""" },
        { "/images/0/schedule", """{ "cron": "cron(0/15 4 L * ? 2030)", "startCondition": "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE", "timezone": "UTC" }""" },
        { "/images/0/tests", """{ "enabled": false, "timeoutMinutes": 1440 }""" },
        { "/images/0/distribution", """{ "ssmParameter": "/imagebuilder/platform/ami/latest", "encryption": "regional-key", "launchTemplates": [{ "region": "us-east-1", "id": "lt-0123456789abcdef0", "accountId": "123456789012" }] }""" },
        { "/images/0/distribution", $$$"""{ "amiName": "{{{new string('a', 98)}}}-{{ imagebuilder:buildDate }}" }""" },
        { "/images/0/distribution", """{ "amiName": "{{ imagebuilder:buildDate }}" }""" },
        { "/images/0/distribution", """{ "amiName": "Golden AL2023 v1.2 {{ imagebuilder:buildDate }}" }""" },
        { "/images/0/distribution", """{ "ssmParameter": "/imagebuilder/golden-al2023-latest" }""" },
        { "/images/0/distribution", """{ "ssmParameter": "/imagebuilder/b/c/d/e/f/g/h/i/j/k/l/m/n/o" }""" },
        { "/images/0/distribution", """{ "launchPermissions": { "organizations": [] } }""".Replace("[]", List(25, i => $"arn:aws:organizations::999988887777:organization/o-a1b2c3d4e{i:00}"), StringComparison.Ordinal) },
        { "/images/0/distribution", """{ "launchPermissions": { "accounts": [], "organizations": [], "organizationalUnits": [], "public": false }, "targetAccounts": [] }""" },
        { "/lifecycle", $$"""{ {{Lifecycle}}, "recycleBin": { "amiRetentionDays": 0 }, "exclude": { "tags": { "amiinfra:recipe-version": "1.2.3", "keep me": "yes", "owner@team": "x|y" }, "regions": ["us-east-1", "us-east-1"] } }""" },
        { "/lifecycle", """{ "deprecate": { "keepNewest": 1 }, "disable": { "afterDays": 1 }, "delete": { "keepNewest": 1000 }, "keepAtLeast": 1 }""" },
    };

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Both_accept_a_value_at_the_edge_of_a_rule(string pointer, string value)
    {
        SchemaAgreement.Parse(With(pointer, value), Path.GetTempPath());
    }
}
