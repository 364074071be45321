namespace AmiInfra.Ops.Core;

/// <summary>The exit codes of <c>amiinfra</c>; docs/reference/cli.md lists them from these comments.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked (for <c>audit</c>: no violation).</summary>
    public const int Success = 0;

    /// <summary>An unexpected error; the message says what failed.</summary>
    public const int UnexpectedError = 1;

    /// <summary>The command line is wrong: unknown option, bad value, unknown region.</summary>
    public const int Usage = 2;

    /// <summary>The factory declaration cannot be loaded or is invalid.</summary>
    public const int InvalidDeclaration = 3;

    /// <summary>No AWS credentials were found, or AWS rejected them.</summary>
    public const int Credentials = 4;

    /// <summary>AWS denied a call (missing IAM permission).</summary>
    public const int AccessDenied = 5;

    /// <summary>An AWS call failed for another reason (endpoint unreachable, service error).</summary>
    public const int AwsError = 6;

    /// <summary>The credentials belong to another account than the declaration's (see --account-mismatch-ok).</summary>
    public const int AccountMismatch = 7;

    /// <summary>An AMI named on the command line does not exist in the region (the message names the regions where it does).</summary>
    public const int NotFound = 8;

    /// <summary>
    /// Something could not be read or checked (a region that is not enabled, a denied or throttled read, a kind of AMI
    /// user the usage check could not look for): what was read is reported, and a destructive command changed nothing
    /// unless told to accept a partial usage check.
    /// </summary>
    public const int Incomplete = 9;

    /// <summary><c>audit</c> found at least one violation.</summary>
    public const int Violations = 10;

    /// <summary>A destructive command finished some actions and failed others; rerun it to finish.</summary>
    public const int PartialFailure = 11;

    /// <summary>A guard refused an action (AMI in use, shared, public, or not the factory's) and no --force said why.</summary>
    public const int Refused = 12;

    /// <summary>An AMI named on the command line belongs to another account: it was reported, not touched (not even with --force).</summary>
    public const int NotOwned = 13;

    /// <summary>The run did not finish within --timeout, or an endpoint did not answer a call within --call-timeout (twice).</summary>
    public const int TimedOut = 14;

    /// <summary>
    /// The code of a run that ends with several outcomes: the most serious wins, in the order partial failure (11),
    /// refused (12), not owned (13), incomplete (9), violations (10), success (0).
    /// </summary>
    public static int MostSerious(params int[] codes)
    {
        int[] order = [PartialFailure, Refused, NotOwned, Incomplete, Violations, Success];
        return order.FirstOrDefault(codes.Contains, codes.Length == 0 ? Success : codes.Max());
    }
}
