namespace AmiInfra.Rules.Tests;

/// <summary>The release verification's rules: names, the timeout's edges, the smoke test's commands, failure actions and CVE severities.</summary>
public sealed class ReleaseRulesTests
{
    [Fact]
    public void Names_derive_from_the_factory_and_fit_the_services_limits()
    {
        Assert.Equal("golden-release-verify", Releases.VerifyStateMachineName("golden"));
        Assert.Equal("golden-release-sfn-eu-west-1", Releases.StateMachineRoleName("golden", "eu-west-1"));
        Assert.Equal("golden-release-target", Releases.TargetRoleName("golden"));
        Assert.Equal("golden-release-instance", Releases.InstanceProfileName("golden"));
        Assert.Equal("golden-release-forward-eu-west-1", Releases.ForwardRoleName("golden", "eu-west-1"));
        var longest = new string('a', 20);
        Assert.True(Releases.VerifyStateMachineName(longest).Length <= 80);
        Assert.True(PhysicalNames.IamRole.IsMatch(Releases.StateMachineRoleName(longest, "ap-southeast-5")));
        Assert.True(PhysicalNames.IamRole.IsMatch(Releases.TargetRoleName(longest)));
        Assert.True(PhysicalNames.IamRole.IsMatch(Releases.InstanceProfileName(longest)));
        Assert.True(PhysicalNames.IamRole.IsMatch(Releases.ForwardRoleName(longest, "ap-southeast-5")));
        Assert.True(Releases.CveRebuildStateMachineName(longest, new string('b', 32)).Length <= 80);
    }

    [Fact]
    public void The_timeout_takes_its_edges_and_refuses_beyond_them()
    {
        Assert.Null(Releases.Timeout(Releases.TimeoutMinutes.Min));
        Assert.Null(Releases.Timeout(Releases.TimeoutMinutes.Max));
        Assert.Null(Releases.Timeout(Releases.DefaultTimeoutMinutes));
        Assert.Equal("4", Releases.Timeout(Releases.TimeoutMinutes.Min - 1)!.Value);
        Assert.Contains("48 hours", Releases.Timeout(Releases.TimeoutMinutes.Max + 1)!.Accepted, StringComparison.Ordinal);
        Assert.Equal(172_800, Releases.TimeoutMinutes.Max * 60);
    }

    [Fact]
    public void Commands_are_refused_when_none_or_blank()
    {
        Assert.Null(Releases.Commands(["systemctl is-active amazon-ssm-agent", "test -f /etc/os-release"]));
        Assert.NotNull(Releases.Commands([]));
        var blank = Releases.Commands(["true", "  "]);
        Assert.Equal(1, blank!.Index);
    }

    [Theory]
    [InlineData("deprecate", true)]
    [InlineData("disable", true)]
    [InlineData("delete", false)]
    [InlineData("Deprecate", false)]
    public void Failure_actions_are_deprecate_or_disable(string action, bool accepted) =>
        Assert.Equal(accepted, Releases.FailureAction(action) is null);

    [Fact]
    public void A_minimum_severity_matches_itself_and_every_more_severe_one()
    {
        Assert.Equal(["critical"], Releases.SeveritiesFrom("critical"));
        Assert.Equal(["critical", "high", "medium"], Releases.SeveritiesFrom("medium"));
        Assert.NotNull(Releases.CveSeverity("low"));
        Assert.Null(Releases.CveSeverity("high"));
    }

    [Fact]
    public void Each_platform_runs_its_own_document()
    {
        Assert.Equal("AWS-RunShellScript", Releases.CommandDocument(windows: false));
        Assert.Equal("AWS-RunPowerShellScript", Releases.CommandDocument(windows: true));
    }

    [Fact]
    public void The_verification_tags_are_amiinfra_tags_and_valid_ec2_tags()
    {
        string[] keys = [AmiTagKeys.VerificationResult, AmiTagKeys.VerifiedAt, AmiTagKeys.VerificationExecution, AmiTagKeys.VerificationReason];
        Assert.All(keys, k => Assert.StartsWith(AmiTagKeys.Prefix, k, StringComparison.Ordinal));
        Assert.Null(TagRules.Ec2.Check(keys.ToDictionary(k => k, _ => "passed")));
    }
}
