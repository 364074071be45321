namespace AmiInfra.Declaration.Tests;

/// <summary>images[].release: on by default with the image's build instance type; what is read, and what is refused with which field.</summary>
public sealed class ReleaseValidationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("amiinfra-release-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Declaration(string imageFields = "", string buildFields = "") => $$"""
        {
          "name": "golden",
          "account": "123456789012",
          "region": "us-east-1",
          {{buildFields}}
          "distribution": { "regions": ["us-east-1", "eu-west-1"] },
          "images": [
            {
              {{imageFields}}
              "name": "al2023",
              "parent": { "ssmParameter": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
              "components": [{ "managed": "update-linux" }]
            }
          ]
        }
        """;

    private Factory Parse(string json) => SchemaAgreement.Parse(json, _folder);

    [Fact]
    public void Every_image_is_verified_by_default_on_its_first_build_instance_type()
    {
        var release = Parse(Declaration(buildFields: """ "build": { "instanceTypes": ["c7i.large", "m7i.large"] },""")).Images[0].Release;
        Assert.True(release.Enabled);
        Assert.Equal("c7i.large", release.InstanceType);
        Assert.Equal(30, release.TimeoutMinutes);
        Assert.Equal("deprecate", release.OnFailure);
        Assert.Empty(release.Commands);
        Assert.Empty(release.Subnets);
        Assert.True(release.LaunchWithTemplate);
        Assert.Null(release.RebuildOnCveSeverity);
    }

    [Fact]
    public void Declared_fields_are_read()
    {
        var release = Parse(Declaration("""
            "release": {
              "instanceType": "t3.micro",
              "subnets": { "eu-west-1": "subnet-0123456789abcdef0" },
              "launchWithTemplate": false,
              "timeoutMinutes": 45,
              "smokeTest": { "commands": ["systemctl is-active amazon-ssm-agent"] },
              "onFailure": "disable",
              "rebuildOnCve": { "minimumSeverity": "high" }
            },
            """)).Images[0].Release;
        Assert.Equal("t3.micro", release.InstanceType);
        Assert.Equal("subnet-0123456789abcdef0", release.Subnets["eu-west-1"]);
        Assert.False(release.LaunchWithTemplate);
        Assert.Equal(45, release.TimeoutMinutes);
        Assert.Equal(["systemctl is-active amazon-ssm-agent"], release.Commands);
        Assert.Equal("disable", release.OnFailure);
        Assert.Equal("high", release.RebuildOnCveSeverity);
    }

    [Fact]
    public void Release_can_be_turned_off_and_a_rebuild_defaults_to_critical()
    {
        var release = Parse(Declaration(""" "release": { "enabled": false, "rebuildOnCve": {} },""")).Images[0].Release;
        Assert.False(release.Enabled);
        Assert.Equal("critical", release.RebuildOnCveSeverity);
    }

    [Theory]
    [InlineData(""" "release": { "timeoutMinutes": 4 },""", "images[0].release.timeoutMinutes")]
    [InlineData(""" "release": { "smokeTest": { "commands": [] } },""", "images[0].release.smokeTest.commands")]
    [InlineData(""" "release": { "subnets": { "eu-west-1": "sn-1" } },""", "images[0].release.subnets.eu-west-1")]
    [InlineData(""" "release": { "instanceType": "t3.nano.big" },""", "images[0].release.instanceType")]
    [InlineData(""" "release": { "onFailure": "deregister" },""", "images[0].release.onFailure")]
    [InlineData(""" "release": { "retries": 2 },""", "images[0].release.retries")]
    [InlineData(""" "release": { "launchWithTemplate": "yes" },""", "images[0].release.launchWithTemplate")]
    public void Bad_release_fields_are_refused_at_their_path(string fields, string path)
    {
        var error = Assert.Throws<DeclarationException>(() => Parse(Declaration(fields)));
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Removing_the_ssm_agent_while_verifying_is_warned_of()
    {
        var factory = Parse(Declaration(""" "removeSsmAgent": true,"""));
        Assert.Contains(factory.Warnings, w => w.StartsWith("images[0].removeSsmAgent: the release verification", StringComparison.Ordinal));
        Assert.DoesNotContain(Parse(Declaration(""" "removeSsmAgent": true, "release": { "enabled": false },""")).Warnings, w => w.Contains("release verification", StringComparison.Ordinal));
    }
}
