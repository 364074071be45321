using AmiInfra.Rules.Awstoe;

namespace AmiInfra.Rules.Tests.Awstoe;

/// <summary>What is accepted but probably not meant: warned of, with the line.</summary>
public sealed class WarningsTests
{
    private const string Step = "- name: Echo\n  action: ExecuteBash\n  inputs:\n    commands: [echo]";

    [Fact]
    public void A_clean_document_has_no_warnings() => Assert.Empty(Toe.Accepted(Toe.Build(Step)).Warnings);

    [Fact]
    public void A_phase_image_builder_never_runs()
    {
        var document = Toe.Accepted(Toe.Build(Step) + "  - name: teardown\n    steps:\n" + "      - name: Bye\n        action: ExecuteBash\n        inputs:\n          commands: [echo]\n");

        Assert.Equal("line 9: phase \"teardown\" never runs in Image Builder, which runs only build, validate, test, container-host-test", Assert.Single(document.Warnings));
        Assert.Equal(["build", "teardown"], document.Phases);
    }

    [Fact]
    public void A_phase_without_steps()
    {
        var document = Toe.Accepted(Toe.Build(Step) + "  - name: validate\n    steps: []\n");

        Assert.Equal("line 9: phase \"validate\" has no steps and does nothing", Assert.Single(document.Warnings));
    }

    [Fact]
    public void An_unknown_step_key()
    {
        var document = Toe.Accepted(Toe.Build("- name: Echo\n  description: says hello\n  action: ExecuteBash\n  inputs:\n    commands: [echo]"));

        Assert.StartsWith("line 6: the step key \"description\" in step \"Echo\" is not one AWSTOE documents", Assert.Single(document.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_input()
    {
        var document = Toe.Accepted(Toe.Build("- name: Echo\n  action: ExecuteBash\n  inputs:\n    commands: [echo]\n    workingDirectory: /tmp"));

        Assert.Equal("line 9: inputs of step \"Echo\" (ExecuteBash): the input \"workingDirectory\" is not one ExecuteBash documents (commands)", Assert.Single(document.Warnings));
    }

    [Fact]
    public void An_unknown_input_of_a_list_module_names_the_item()
    {
        var document = Toe.Accepted(Toe.Build("- name: Get\n  action: S3Download\n  inputs:\n    - source: s3://b/k\n      destination: /tmp/k\n    - source: s3://b/l\n      destination: /tmp/l\n      checksum: abc"));

        Assert.StartsWith("line 12: inputs[1] of step \"Get\" (S3Download): the input \"checksum\"", Assert.Single(document.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_top_level_key()
    {
        var document = Toe.Accepted("owner: platform-team\n" + Toe.Build(Step));

        Assert.StartsWith("line 1: the top-level key \"owner\" is not one AWSTOE documents", Assert.Single(document.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeout_on_a_reboot()
    {
        var document = Toe.Accepted(Toe.Build("- name: Restart\n  action: Reboot\n  timeoutSeconds: 600"));

        Assert.Equal("line 7: step \"Restart\": the Reboot action module does not support a step timeout", Assert.Single(document.Warnings));
    }

    [Fact]
    public void A_merge_key_is_applied_not_warned_of()
    {
        var document = Toe.Accepted(
            "x-common: &common\n  onFailure: Continue\n  maxAttempts: 2\n" + Toe.Build("- name: Echo\n  <<: *common\n  action: ExecuteBash\n  inputs:\n    commands: [echo]"));

        Assert.StartsWith("line 1: the top-level key \"x-common\"", Assert.Single(document.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_in_an_if()
    {
        var document = Toe.Accepted(Toe.Build("- name: Echo\n  action: ExecuteBash\n  if:\n    fileExists: /etc/os-release\n    then: Execute\n    otherwise: Skip\n  inputs:\n    commands: [echo]"));

        Assert.Equal("line 10: the if of step \"Echo\": the key \"otherwise\" is not one fileExists takes; AWSTOE may ignore or refuse it", Assert.Single(document.Warnings));
    }

    [Fact]
    public void An_unknown_key_in_an_assert_or_beside_a_logical_operator()
    {
        var document = Toe.Accepted(Toe.Build("- name: Check\n  action: Assert\n  inputs:\n    and:\n      - stringEquals: a\n        value: a\n        path: /tmp\n      - binaryExists: jq\n    value: b"));

        Assert.Equal(
            [
                "line 13: the Assert inputs of step \"Check\": the key \"value\" is not one and takes; AWSTOE may ignore or refuse it",
                "line 11: an operand of and of step \"Check\": the key \"path\" is not one stringEquals takes (stringEquals, value); AWSTOE may ignore or refuse it",
            ],
            document.Warnings);
    }
}
