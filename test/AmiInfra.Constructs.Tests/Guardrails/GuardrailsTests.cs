using AmiInfra.Constructs.Guardrails;
using GuardrailPack = AmiInfra.Constructs.Guardrails.Guardrails;

namespace AmiInfra.Constructs.Tests.Guardrails;

[Collection(CdkCollection.Name)]
public sealed class GuardrailsTests(GuardrailsFixture fixture) : IClassFixture<GuardrailsFixture>
{
    public static TheoryData<string, string, string> FaultyStacks => new()
    {
        // stack, rule, a word of the detail that shows the rule found this fault
        { "AMI-001", GuardrailRuleIds.PublicWithoutOptIn, "UserGroups \"all\"" },
        { "AMI-003-NoKey", GuardrailRuleIds.SharedWithoutCustomerKey, "without a KmsKeyId" },
        { "AMI-003-AwsEbs", GuardrailRuleIds.SharedWithoutCustomerKey, "alias/aws/ebs" },
        { "AMI-004", GuardrailRuleIds.KeyDoesNotGrantConsumers, "launch account 333333333333" },
        { "AMI-005", GuardrailRuleIds.ImdsV2NotRequired, "\"optional\"" },
        { "AMI-006", GuardrailRuleIds.NotTerminatedOnFailure, "TerminateInstanceOnFailure is false" },
        { "AMI-007", GuardrailRuleIds.UndeclaredKeyPair, "key pair debug" },
        { "AMI-008", GuardrailRuleIds.RecipeVolumeNotEncrypted, "/dev/xvdb is not encrypted" },
        { "AMI-009", GuardrailRuleIds.KeyRotationOff, "EnableKeyRotation" },
        { "AMI-010", GuardrailRuleIds.BucketPublicAccess, "BlockPublicPolicy is not true" },
        { "AMI-011", GuardrailRuleIds.BucketWithoutTls, "aws:SecureTransport" },
        { "AMI-012", GuardrailRuleIds.BucketNotEncrypted, "SSEAlgorithm" },
        { "AMI-013", GuardrailRuleIds.TopicNotEncrypted, "KmsMasterKeyId" },
        { "AMI-014", GuardrailRuleIds.TopicWithoutTls, "aws:SecureTransport" },
        { "AMI-015", GuardrailRuleIds.WildcardAction, "\"s3:*\"" },
        { "AMI-016", GuardrailRuleIds.WildcardResource, "s3:GetObject on every resource" },
        { "AMI-017", GuardrailRuleIds.ManagedPolicyNotAllowed, "AdministratorAccess" },
        { "AMI-018", GuardrailRuleIds.DeleteWithoutRecycleBin, "AMIs (EC2_IMAGE) in ca-central-1" },
        { "AMI-019", GuardrailRuleIds.ScheduleMaySkipRuns, "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE" },
    };

    [Fact]
    public void Compliant_factory_passes_every_rule()
    {
        foreach (var stack in GuardrailsFixture.CompliantStacks)
        {
            Assert.Empty(fixture.Findings(stack));
        }
    }

    [Fact]
    public void Fault_injected_through_a_real_construct_is_found()
    {
        // The compliant factory's infrastructure configuration with one prop changed: proves the rules
        // read the resources the real constructs render (an empty result above could not prove it).
        var finding = Assert.Single(fixture.Findings("RealKeyPair"));
        Assert.Equal("/RealKeyPair/Build/Resource/Default", finding.Path);
        Assert.StartsWith($"{GuardrailRuleIds.UndeclaredKeyPair} ", finding.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(FaultyStacks))]
    public void Stack_with_one_fault_fails_with_that_rule_and_says_how_to_fix_it(string stack, string ruleId, string detail)
    {
        var rule = GuardrailPack.Rule(ruleId);
        var finding = Assert.Single(fixture.Findings(stack));
        Assert.Equal(rule.Severity == GuardrailSeverity.Error ? "ERROR" : "WARNING", finding.Level);
        Assert.StartsWith($"{ruleId} {rule.Title}: ", finding.Text, StringComparison.Ordinal);
        Assert.Contains(detail, finding.Text, StringComparison.Ordinal);
        Assert.EndsWith($"Fix: {rule.Fix}", finding.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_rule_has_a_faulty_stack()
    {
        var covered = FaultyStacks.Select(row => (string)row[1]).Append(GuardrailRuleIds.PublicImage).Append(GuardrailRuleIds.PublicSharingUnderBlock).ToHashSet();
        Assert.Equal(GuardrailPack.Rules.Select(r => r.Id).Order(), covered.Order());
    }

    [Fact]
    public void Public_sharing_where_the_app_blocks_public_access_for_amis_is_an_error_there_only()
    {
        var rule = GuardrailPack.Rule(GuardrailRuleIds.PublicSharingUnderBlock);
        var finding = Assert.Single(fixture.Findings("AMI-020"), f => f.Text.StartsWith(rule.Id, StringComparison.Ordinal));
        Assert.Equal("ERROR", finding.Level);
        Assert.Contains("made public in us-east-1, where the app blocks public access for AMIs in account 210987654321", finding.Text, StringComparison.Ordinal);
        Assert.EndsWith($"Fix: {rule.Fix}", finding.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Findings("AMI-020-OtherRegion"), f => f.Text.StartsWith(rule.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void Public_image_with_opt_in_is_a_warning_and_a_declared_key_pair_passes()
    {
        var finding = Assert.Single(fixture.Findings("OptedIn"));
        Assert.Equal("WARNING", finding.Level);
        Assert.StartsWith($"{GuardrailRuleIds.PublicImage} public AMI: ", finding.Text, StringComparison.Ordinal);
        Assert.EndsWith($"Fix: {GuardrailPack.Rule(GuardrailRuleIds.PublicImage).Fix}", finding.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Finding_is_reported_on_the_faulty_resource()
    {
        Assert.Equal("/AMI-009/Key/Resource", Assert.Single(fixture.Findings("AMI-009")).Path);
        Assert.Equal("/AMI-004/Distribution/Resource", Assert.Single(fixture.Findings("AMI-004")).Path);
    }

    [Fact]
    public void Resources_of_a_fragment_are_checked_and_acknowledged_one_by_one()
    {
        var findings = fixture.Findings("Fragment");
        var error = Assert.Single(findings, m => m.Level == "ERROR");
        Assert.Equal("/Fragment/Images/Template/PublicOne", error.Path);
        Assert.StartsWith(GuardrailRuleIds.PublicWithoutOptIn, error.Text, StringComparison.Ordinal);
        var infos = findings.Where(m => m.Level == "INFO").OrderBy(m => m.Path, StringComparer.Ordinal).ToList();
        Assert.Equal(["/Fragment/Images/Template/PublicThree", "/Fragment/Images/Template/PublicTwo"], infos.Select(i => i.Path));
        Assert.All(infos, info => Assert.Contains(GuardrailsFixture.AcknowledgementReason, info.Text, StringComparison.Ordinal));
        Assert.Equal(3, findings.Count);
    }

    [Fact]
    public void An_acknowledgement_is_cdk_nag_metadata_for_guardrails_and_cdk_nag_rules_alike()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(fixture.AcknowledgedKeyMetadata);
        Assert.Equal(
            "{\"rules_to_suppress\":[" +
            $"{{\"id\":\"AMI-009\",\"reason\":\"{GuardrailsFixture.AcknowledgementReason}\"}}," +
            $"{{\"id\":\"AwsSolutions-KMS5\",\"reason\":\"{GuardrailsFixture.AcknowledgementReason}\",\"applies_to\":[{{\"regex\":\"/^Rotation::.*$/\"}}]}}]}}",
            json);
    }

    [Theory]
    [InlineData("AwsSolutions-IAM5[Resource::*]")]
    [InlineData("IAM5")]
    public void An_acknowledgement_of_a_malformed_rule_id_is_rejected(string ruleId)
    {
        var e = Assert.Throws<ConstructValidationException>(() => GuardrailPack.Acknowledge(TestEnv.NewStack("Malformed"), ruleId, "a reason long enough"));
        Assert.EndsWith(".RuleId", e.Where, StringComparison.Ordinal);
    }

    [Fact]
    public void Unscopable_actions_on_every_resource_pass()
    {
        // The AMI-016 stack also allows ec2:DescribeImages on "*", which supports no resource scoping.
        Assert.DoesNotContain(fixture.Findings("AMI-016"), m => m.Text.Contains("ec2:DescribeImages", StringComparison.Ordinal));
    }

    [Fact]
    public void Acknowledged_finding_becomes_info_with_the_reason()
    {
        var messages = fixture.Findings("Acknowledged").Where(m => m.Path == fixture.AcknowledgedKeyPath).ToList();
        var info = Assert.Single(messages);
        Assert.Equal("INFO", info.Level);
        Assert.StartsWith(GuardrailRuleIds.KeyRotationOff, info.Text, StringComparison.Ordinal);
        Assert.Contains(GuardrailsFixture.AcknowledgementReason, info.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_fault_on_another_resource_still_fails()
    {
        var error = Assert.Single(fixture.Findings("Acknowledged"), m => m.Path == fixture.UnacknowledgedKeyPath);
        Assert.Equal("ERROR", error.Level);
        Assert.StartsWith(GuardrailRuleIds.KeyRotationOff, error.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Acknowledgement_without_a_reason_is_rejected(string? reason)
    {
        var e = Assert.Throws<ConstructValidationException>(() => GuardrailPack.Acknowledge(fixture.AlreadyGuarded, GuardrailRuleIds.KeyRotationOff, reason!));
        Assert.Contains("reason", e.Where, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Acknowledgement_of_an_unknown_rule_is_rejected()
    {
        var e = Assert.Throws<ConstructValidationException>(() => GuardrailPack.Acknowledge(fixture.AlreadyGuarded, "AMI-999", "no such rule"));
        Assert.Equal("\"AMI-999\"", e.Value);
    }

    [Fact]
    public void Acknowledgement_needs_one_resource()
    {
        // The app has no CloudFormation resource as its default child: acknowledging it would cover everything.
        var e = Assert.Throws<ConstructValidationException>(() => GuardrailPack.Acknowledge(fixture.AlreadyGuarded, GuardrailRuleIds.KeyRotationOff, "everything"));
        Assert.Contains("one resource", e.Accepted, StringComparison.Ordinal);
    }

    [Fact]
    public void Guardrails_applied_to_a_stack_check_that_stack_only()
    {
        var finding = Assert.Single(fixture.Findings("StackScoped"));
        Assert.StartsWith($"{GuardrailRuleIds.KeyRotationOff} ", finding.Text, StringComparison.Ordinal);
        Assert.Empty(fixture.Findings("Sibling"));
    }

    [Fact]
    public void Guardrails_are_applied_once_per_scope()
    {
        Assert.Throws<ConstructValidationException>(() => GuardrailPack.Apply(fixture.AlreadyGuarded));
    }
}
