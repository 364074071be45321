using Amazon.EC2.Model;
using AmiInfra.Ops.Aws;
using AmiInfra.Ops.Release;
using AmiInfra.Ops.Usage;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Tests.Unit;

public sealed class ReleasePlannerTests
{
    private const string Region = "eu-west-1";
    private const string Execution = "arn:aws:states:eu-west-1:111111111111:execution:f-release-verify:ami-1-20261206T120000";
    private static readonly DateTimeOffset Day = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static ReleaseCopy Copy(string id, string version, Verification verification, int day = 0, string state = "available", string region = Region, string? execution = null, string? reason = null) =>
        new(region, id, version, Day.AddDays(day), state, verification, verification == Verification.Unverified ? null : Day.AddDays(day + 1), execution, reason, false);

    [Fact]
    public void Versions_are_ordered_by_their_numbers_not_as_text()
    {
        var copies = new[] { Copy("ami-1", "1.0.9", Verification.Passed), Copy("ami-2", "1.0.10", Verification.Passed), Copy("ami-3", "1.2.0", Verification.Passed), Copy("ami-4", ReleaseCopy.UnknownVersion, Verification.Passed) };

        Assert.Equal(["1.0.9", "1.0.10", "1.2.0"], ReleasePlanner.Versions(copies));
    }

    [Fact]
    public void The_copy_of_a_version_is_its_newest_available_ami_in_the_region()
    {
        var copies = new[]
        {
            Copy("ami-old", "1.0.1", Verification.Passed, day: 1),
            Copy("ami-new", "1.0.1", Verification.Passed, day: 2),
            Copy("ami-disabled", "1.0.1", Verification.Passed, day: 3, state: "disabled"),
            Copy("ami-elsewhere", "1.0.1", Verification.Passed, day: 4, region: "us-east-1"),
        };

        Assert.Equal("ami-new", ReleasePlanner.CopyOf(copies, "1.0.1", Region)?.ImageId);
        Assert.Null(ReleasePlanner.CopyOf(copies, "1.0.2", Region));
    }

    [Fact]
    public void Only_a_passed_copy_may_be_promoted_and_the_refusal_says_why()
    {
        Assert.Null(ReleasePlanner.NotPromotable(Copy("ami-1", "1.0.1", Verification.Passed)));
        Assert.Equal("its verification failed (no SSM agent after 10 minutes)", ReleasePlanner.NotPromotable(Copy("ami-1", "1.0.1", Verification.Failed, reason: "no SSM agent after 10 minutes")));
        Assert.Contains("has not been verified", ReleasePlanner.NotPromotable(Copy("ami-1", "1.0.1", Verification.Unverified)));
    }

    [Fact]
    public void Rollback_takes_the_newest_older_version_that_passed_skipping_failed_and_unverified_ones()
    {
        var copies = new[]
        {
            Copy("ami-100", "1.0.0", Verification.Passed),
            Copy("ami-101", "1.0.1", Verification.Passed),
            Copy("ami-102", "1.0.2", Verification.Failed),
            Copy("ami-103", "1.0.3", Verification.Unverified),
            Copy("ami-104", "1.0.4", Verification.Passed),
            Copy("ami-105", "1.0.5", Verification.Passed),
        };

        Assert.Equal("ami-101", ReleasePlanner.PreviousPassed(copies, Region, "1.0.4")?.ImageId);
        Assert.Equal("ami-100", ReleasePlanner.PreviousPassed(copies, Region, "1.0.1")?.ImageId);
        Assert.Null(ReleasePlanner.PreviousPassed(copies, Region, "1.0.0"));
        Assert.Null(ReleasePlanner.PreviousPassed(copies, "us-east-1", "1.0.4"));
    }

    [Fact]
    public void Consumers_leave_the_ami_the_parameter_named_and_every_other_protected_copy()
    {
        var target = Copy("ami-104", "1.0.4", Verification.Passed) with { Protected = true };
        var copies = new[] { Copy("ami-100", "1.0.0", Verification.Passed) with { Protected = true }, Copy("ami-101", "1.0.1", Verification.Passed), Copy("ami-102", "1.0.2", Verification.Failed), target };

        Assert.Equal(["ami-101", "ami-100"], ReleasePlanner.Leaving(target, "ami-101", copies));
        Assert.Equal(["ami-100"], ReleasePlanner.Leaving(target, "ami-104", copies));
        Assert.Empty(ReleasePlanner.Leaving(target, null, copies.Where(c => c.ImageId != "ami-100")));
    }

    [Fact]
    public void The_users_of_the_ami_left_are_those_the_promotion_does_not_move()
    {
        var usage = new ImageUsage
        {
            ImageId = "ami-1",
            Instances = ["i-0123"],
            LaunchTemplates = ["lt-0aaaaaaaaaaaaaaaa (version 3)", "lt-0bbbbbbbbbbbbbbbb (versions 1, 2)"],
            SsmParameters = ["/imagebuilder/f/app/latest", "/team/pinned"],
        };

        var others = ReleasePlanner.OtherUsers(usage, "/imagebuilder/f/app/latest", ["lt-0aaaaaaaaaaaaaaaa"]);

        Assert.Equal([("instance", "i-0123"), ("launch-template", "lt-0bbbbbbbbbbbbbbbb (versions 1, 2)"), ("ssm-parameter", "/team/pinned")], others);
        Assert.Empty(ReleasePlanner.OtherUsers(usage with { Instances = [], LaunchTemplates = ["lt-0aaaaaaaaaaaaaaaa (version 3)"], SsmParameters = ["/imagebuilder/f/app/latest"] }, "/imagebuilder/f/app/latest", ["lt-0aaaaaaaaaaaaaaaa"]));
    }

    [Fact]
    public void A_verification_passes_only_when_its_execution_succeeded_and_recorded_passed_on_the_copy()
    {
        var succeeded = new StateMachineExecution(Execution, "SUCCEEDED", null, null);

        Assert.Equal("passed", ReleasePlanner.Outcome(succeeded, Copy("ami-1", "1.0.1", Verification.Passed, execution: Execution)).Result);

        var noResult = ReleasePlanner.Outcome(succeeded, Copy("ami-1", "1.0.1", Verification.Unverified));
        Assert.Equal("failed", noResult.Result);
        Assert.Contains("succeeded but recorded no result", noResult.Detail);

        var stale = ReleasePlanner.Outcome(succeeded, Copy("ami-1", "1.0.1", Verification.Passed, execution: Execution + "-earlier"));
        Assert.Equal("failed", stale.Result);
        Assert.Contains("the tags are from", stale.Detail);

        var failedTag = ReleasePlanner.Outcome(succeeded, Copy("ami-1", "1.0.1", Verification.Failed, execution: Execution, reason: "status checks failed"));
        Assert.Equal(("failed", "status checks failed"), (failedTag.Result, failedTag.Detail));

        var failedRun = ReleasePlanner.Outcome(new StateMachineExecution(Execution, "TIMED_OUT", "States.Timeout", "no SSM agent"), Copy("ami-1", "1.0.1", Verification.Unverified));
        Assert.Equal("failed", failedRun.Result);
        Assert.Contains("TIMED_OUT (States.Timeout: no SSM agent)", failedRun.Detail);

        Assert.Equal("running", ReleasePlanner.Outcome(new StateMachineExecution(Execution, "RUNNING", null, null), null).Result);
        Assert.Contains("AMI is gone", ReleasePlanner.Outcome(succeeded, null).Detail);
    }

    [Fact]
    public void A_copy_is_read_from_its_tags_and_only_the_value_passed_passes()
    {
        var image = new Image
        {
            ImageId = "ami-1",
            CreationDate = "2026-12-01T10:00:00.000Z",
            State = "available",
            DeregistrationProtection = "enabled-with-cooldown",
            Tags =
            [
                new Tag(AmiTagKeys.RecipeVersion, "1.0.3"),
                new Tag(AmiTagKeys.VerificationResult, "Passed"),
                new Tag(AmiTagKeys.VerifiedAt, "2026-12-01T11:00:00Z"),
                new Tag(AmiTagKeys.VerificationExecution, Execution),
            ],
        };

        var copy = ReleaseCopy.From(Region, image);

        Assert.Equal(("1.0.3", Verification.Unverified, Execution, true), (copy.Version, copy.Verification, copy.Execution, copy.Protected));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.Zero), copy.VerifiedAt);
        Assert.Equal(ReleaseCopy.UnknownVersion, ReleaseCopy.From(Region, new Image { ImageId = "ami-2", State = "available" }).Version);
        Assert.True(ReleaseCopy.IsProtected("disabled-until 2026-12-02T10:00:00Z"));
        Assert.False(ReleaseCopy.IsProtected("disabled"));
        Assert.False(ReleaseCopy.IsProtected(null));
    }
}
