using Amazon.Runtime;
using AmiInfra.Ops.Cli;

namespace AmiInfra.Ops.Aws;

/// <summary>What kind of failure an AWS error is, as far as the commands act on it.</summary>
public enum AwsFailure
{
    /// <summary>Throttled, still after the SDK's retries: never a reason to use another API.</summary>
    Throttled,

    /// <summary>The credentials may not make the call (a missing IAM permission, an SCP, a permissions boundary).</summary>
    Denied,

    /// <summary>The endpoint does not offer the API (an emulator, a partition without it).</summary>
    NotOffered,

    /// <summary>The region is not enabled for the account (opt-in), or EC2 there refused credentials STS accepted.</summary>
    RegionNotEnabled,

    /// <summary>The credentials are missing, invalid or expired.</summary>
    Credentials,

    /// <summary>Anything else: a service error, a bad request.</summary>
    Other,
}

/// <summary>Classifies AWS errors: what counts as already done, what is throttling, and what the user is told.</summary>
public static class AwsErrors
{
    private static readonly HashSet<string> CredentialCodes = new(StringComparer.Ordinal)
    {
        "AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
        "ExpiredToken", "ExpiredTokenException", "InvalidAccessKeyId", "IncompleteSignature",
    };

    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.Ordinal)
    {
        "UnauthorizedOperation", "AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation", "ForbiddenException",
    };

    private static readonly HashSet<string> NotOfferedCodes = new(StringComparer.Ordinal)
    {
        "InvalidAction", "UnsupportedOperation", "UnknownOperationException", "NotImplemented", "UnknownOperation",
    };

    /// <summary>
    /// The throttling codes: the SDK's standard retry policy's own list (RequestLimitExceeded, Throttling, ...,
    /// https://docs.aws.amazon.com/AWSEC2/latest/devguide/ec2-api-throttling.html: "If you exceed an API
    /// throttling limit, you get the RequestLimitExceeded error code"), and Image Builder's
    /// CallRateLimitExceededException (https://docs.aws.amazon.com/imagebuilder/latest/APIReference/CommonErrors.html).
    /// </summary>
    public static readonly IReadOnlySet<string> ThrottlingCodes = new HashSet<string>(
        new Amazon.Runtime.Internal.StandardRetryPolicy(new Amazon.EC2.AmazonEC2Config()).ThrottlingErrorCodes.Append("CallRateLimitExceededException"),
        StringComparer.Ordinal);

    /// <summary>True when DeregisterImage failed because the AMI is already gone.</summary>
    public static bool IsImageGone(AmazonServiceException e) =>
        e.ErrorCode is "InvalidAMIID.NotFound" or "InvalidAMIID.Unavailable";

    /// <summary>True when DeleteSnapshot failed because the snapshot is already gone.</summary>
    public static bool IsSnapshotGone(AmazonServiceException e) =>
        e.ErrorCode is "InvalidSnapshot.NotFound";

    /// <summary>
    /// The kind of failure. A throttle is a throttle whatever its HTTP status (EC2 answers RequestLimitExceeded with
    /// 503), never "not offered". "Not offered" is an API the endpoint does not know: an InvalidAction-style code,
    /// or an answer that is not an AWS error at all (an emulator's HTML page for a 500 or a 404).
    /// </summary>
    public static AwsFailure Classify(AmazonServiceException e)
    {
        var code = e.ErrorCode;
        if (code is not null && ThrottlingCodes.Contains(code))
        {
            return AwsFailure.Throttled;
        }

        if (code is not null && AccessDeniedCodes.Contains(code))
        {
            return AwsFailure.Denied;
        }

        if (code is "OptInRequired")
        {
            return AwsFailure.RegionNotEnabled;
        }

        if (code is not null && CredentialCodes.Contains(code))
        {
            return AwsFailure.Credentials;
        }

        if ((code is not null && NotOfferedCodes.Contains(code))
            || (e is AmazonUnmarshallingException && (int)e.StatusCode >= 500)
            || (string.IsNullOrEmpty(code) && (e.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.NotImplemented || (int)e.StatusCode >= 500)))
        {
            return AwsFailure.NotOffered;
        }

        return AwsFailure.Other;
    }

    /// <summary>True when the failure is one of <paramref name="kinds"/>.</summary>
    public static bool Is(AmazonServiceException e, params AwsFailure[] kinds) => kinds.Contains(Classify(e));

    /// <summary>Why a call could not be made, in a few words: "denied (UnauthorizedOperation)", "throttled (RequestLimitExceeded) after 9 attempts", ...</summary>
    public static string Why(AmazonServiceException e) => Classify(e) switch
    {
        AwsFailure.Throttled => $"throttled ({e.ErrorCode}), still after every retry with backoff",
        AwsFailure.Denied => $"denied ({e.ErrorCode})",
        AwsFailure.NotOffered => $"not offered by the endpoint ({e.ErrorCode ?? $"HTTP {(int)e.StatusCode}"})",
        AwsFailure.RegionNotEnabled => $"the region is not enabled for the account ({e.ErrorCode})",
        AwsFailure.Credentials => $"credentials refused ({e.ErrorCode})",
        _ => $"failed ({e.ErrorCode ?? $"HTTP {(int)e.StatusCode}"}: {OneLine(e.Message)})",
    };

    /// <summary>Turns an AWS error into the one-line error the user sees, with its exit code; <paramref name="attempts"/> is how many times a call is tried.</summary>
    public static OpsException ToUserError(AmazonServiceException e, int attempts = AwsSettings.DefaultMaxAttempts)
    {
        var message = OneLine(e.Message);
        return Classify(e) switch
        {
            AwsFailure.Credentials => new OpsException(ExitCodes.Credentials, $"AWS rejected the credentials ({e.ErrorCode}): {message}", e),
            AwsFailure.Denied => new OpsException(ExitCodes.AccessDenied, $"access denied ({e.ErrorCode}): {message}", e),
            AwsFailure.Throttled => new OpsException(ExitCodes.AwsError, $"AWS throttled the calls ({e.ErrorCode}) still after {attempts} attempts with backoff: try again later, with fewer regions, or with more attempts (AWS_MAX_ATTEMPTS)", e),
            AwsFailure.RegionNotEnabled => new OpsException(ExitCodes.AwsError, $"the region is not enabled for the account ({e.ErrorCode}): {message}", e),
            _ => new OpsException(ExitCodes.AwsError, $"AWS error {e.ErrorCode ?? ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {message}", e),
        };
    }

    /// <summary>The message of a per-item failure (one line).</summary>
    public static string Describe(AmazonServiceException e) => $"{e.ErrorCode}: {OneLine(e.Message)}";

    /// <summary>Collapses a message onto one line.</summary>
    public static string OneLine(string? message) =>
        string.Join(' ', (message ?? "").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
