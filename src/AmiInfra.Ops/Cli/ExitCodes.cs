namespace AmiInfra.Ops.Cli;

/// <summary>The exit codes of <c>amiinfra</c>; documented in the README (The amiinfra command-line tool).</summary>
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

    /// <summary><c>audit</c> found at least one violation.</summary>
    public const int Violations = 10;

    /// <summary>A destructive command finished some actions and failed others; rerun it to finish.</summary>
    public const int PartialFailure = 11;

    /// <summary>A guard refused an action (AMI in use, shared, public, or not the factory's) and no --force said why.</summary>
    public const int Refused = 12;
}
