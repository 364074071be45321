namespace AmiInfra.Rules;

/// <summary>
/// The release verification of every distributed copy: what it is called, how long it may take, the smoke test it runs
/// with Run Command, and what it does with a copy that fails. The verification is a Step Functions state machine per
/// factory and distribution region (the <c>amiinfra release</c> command starts it by name), launching the copy where it
/// landed, waiting for the status checks and the SSM agent, running the smoke test, tagging the result on the copy,
/// always terminating the instance, and promoting the copy (the image's "latest" SSM parameter) only after a pass.
/// </summary>
public static class Releases
{
    /// <summary>What a failed copy becomes: deprecated (EnableImageDeprecation) or disabled (DisableImage).</summary>
    public static readonly IReadOnlyList<string> FailureActions = ["deprecate", "disable"];

    /// <summary>The failure action when none is declared.</summary>
    public const string DefaultFailureAction = "deprecate";

    /// <summary>Minutes the verification of one copy may take when none is declared.</summary>
    public const int DefaultTimeoutMinutes = 30;

    /// <summary>
    /// Minutes the verification of one copy may take, from launch to the smoke test's end: 5 to 2,880. The smoke test
    /// runs as the executionTimeout of AWS-RunShellScript / AWS-RunPowerShellScript, whose documents take at most
    /// 172,800 seconds (48 hours: "executionTimeout ... The maximum is 172800 (48 hours)", "Understanding command
    /// timeout values", https://docs.aws.amazon.com/systems-manager/latest/userguide/run-command.html#send-commands-timeout);
    /// below 5 minutes a new instance rarely passes its status checks (EC2 runs them every minute once it is running:
    /// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-system-instance-status-check.html).
    /// </summary>
    public static readonly (int Min, int Max) TimeoutMinutes = (5, 2880);

    /// <summary>
    /// SendCommand's TimeoutSeconds (the time to deliver the command): 30 to 2,592,000 seconds (SendCommand,
    /// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html).
    /// </summary>
    public static readonly (int Min, int Max) DeliveryTimeoutSeconds = (30, 2_592_000);

    /// <summary>SendCommand's Comment: at most 100 characters (SendCommand, Comment).</summary>
    public const int MaxCommentLength = 100;

    /// <summary>
    /// The source of the event a verification puts on its region's default bus when a copy fails (a custom source:
    /// EventBridge reserves aws. for AWS services, PutEventsRequestEntry.Source:
    /// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html).
    /// </summary>
    public const string EventSource = "amiinfra.release";

    /// <summary>The detail-type of that event; its detail names the factory, image, AMI, account, region, reason and execution.</summary>
    public const string FailedDetailType = "AmiInfra Release Verification Failed";

    /// <summary>The Run Command document a platform's smoke test runs with.</summary>
    public static string CommandDocument(bool windows) => windows ? "AWS-RunPowerShellScript" : "AWS-RunShellScript";

    /// <summary>The command run when none is declared: proves the agent runs commands (the check a launch needs).</summary>
    public static string DefaultCommand(bool windows) => windows ? "Write-Output amiinfra-release-smoke-test" : "echo amiinfra-release-smoke-test";

    /// <summary>
    /// The physical name of a factory's verification state machine in each distribution region (the ops command starts
    /// it by this name): <c>&lt;factory&gt;-release-verify</c>, within Step Functions' 1 to 80 characters
    /// (CreateStateMachine.name: https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html).
    /// </summary>
    public static string VerifyStateMachineName(string factory) => $"{factory}-release-verify";

    /// <summary>The state machine's execution role in one region: <c>&lt;factory&gt;-release-sfn-&lt;region&gt;</c> (at most 20 + 13 + a region's 15 characters, within IAM's 64). Regional, because IAM names are global and each region has its own state machine.</summary>
    public static string StateMachineRoleName(string factory, string region) => $"{factory}-release-sfn-{region}";

    /// <summary>The role the verification assumes in a target account (deployed there by the target-account StackSet): <c>&lt;factory&gt;-release-target</c>.</summary>
    public static string TargetRoleName(string factory) => $"{factory}-release-target";

    /// <summary>
    /// The role through which EventBridge forwards a target account's new AMIs to the factory account's default bus in one
    /// region: <c>&lt;factory&gt;-release-forward-&lt;region&gt;</c> (at most 20 + 17 + a region's 15 characters, within
    /// IAM's 64). Regional, as <see cref="StateMachineRoleName"/>: each region's rule has its own, allowed to put events on
    /// that region's bus only, so no region's rule waits for a role made in another region.
    /// </summary>
    public static string ForwardRoleName(string factory, string region) => $"{factory}-release-forward-{region}";

    /// <summary>The role and instance profile of the instances the verification launches: <c>&lt;factory&gt;-release-instance</c>.</summary>
    public static string InstanceProfileName(string factory) => $"{factory}-release-instance";

    /// <summary>The state machine that starts an image's pipeline on a new CVE: <c>&lt;factory&gt;-&lt;image&gt;-cve-rebuild</c>.</summary>
    public static string CveRebuildStateMachineName(string factory, string image) => $"{factory}-{image}-cve-rebuild";

    /// <summary>
    /// Severities of the Image Builder "EC2 Image Builder CVE Detected" event's finding-severity-counts, most severe
    /// first (EventBridge events reference for Image Builder: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-imagebuilder.html;
    /// Amazon Inspector's severities: https://docs.aws.amazon.com/imagebuilder/latest/userguide/image-security-findings.html).
    /// A rebuild triggered at one severity also triggers at every more severe one.
    /// </summary>
    public static readonly IReadOnlyList<string> CveSeverities = ["critical", "high", "medium"];

    /// <summary>The severities at or above <paramref name="minimum"/> (the counts a rebuild rule matches).</summary>
    public static IReadOnlyList<string> SeveritiesFrom(string minimum)
    {
        var index = CveSeverities.ToList().IndexOf(minimum);
        return index < 0 ? throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "expected " + Text.OneOf(CveSeverities)) : CveSeverities.Take(index + 1).ToList();
    }

    /// <summary>A failure action: deprecate or disable.</summary>
    public static Problem? FailureAction(string action) =>
        FailureActions.Contains(action, StringComparer.Ordinal) ? null : new Problem(Text.Quote(action), Text.OneOf(FailureActions) + ": what a copy that fails its verification becomes");

    /// <summary>A minimum CVE severity: critical, high or medium.</summary>
    public static Problem? CveSeverity(string severity) =>
        CveSeverities.Contains(severity, StringComparer.Ordinal) ? null : new Problem(Text.Quote(severity), Text.OneOf(CveSeverities) + " (the counts of Image Builder's CVE Detected event)");

    /// <summary>The verification's timeout: <see cref="TimeoutMinutes"/>.</summary>
    public static Problem? Timeout(int minutes) =>
        minutes >= TimeoutMinutes.Min && minutes <= TimeoutMinutes.Max
            ? null
            : new Problem(Text.Number(minutes), $"{TimeoutMinutes.Min} to {TimeoutMinutes.Max} minutes (the smoke test's executionTimeout is at most 48 hours)");

    /// <summary>
    /// The smoke test's commands, each a line of the document's <c>commands</c> list (a StringList): none empty or
    /// blank (a blank command is no test), and none listed twice is not required (a test may repeat a command). A list of
    /// none is refused: leave the field out to run the default command.
    /// </summary>
    public static Problem? Commands(IReadOnlyList<string> commands)
    {
        if (commands.Count == 0)
        {
            return new Problem("no commands", "at least 1 command (leave smokeTest.commands out for the default check)");
        }

        for (var i = 0; i < commands.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(commands[i]))
            {
                return new Problem(Text.Quote(commands[i]), "a command that is not blank") { Index = i };
            }
        }

        return null;
    }
}
