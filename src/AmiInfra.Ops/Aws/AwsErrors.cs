using Amazon.Runtime;
using AmiInfra.Ops.Cli;

namespace AmiInfra.Ops.Aws;

/// <summary>Classifies AWS errors: what counts as already done, and what the user is told.</summary>
public static class AwsErrors
{
    private static readonly HashSet<string> CredentialCodes = new(StringComparer.Ordinal)
    {
        "AuthFailure", "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
        "ExpiredToken", "ExpiredTokenException", "InvalidAccessKeyId", "IncompleteSignature",
    };

    private static readonly HashSet<string> AccessDeniedCodes = new(StringComparer.Ordinal)
    {
        "UnauthorizedOperation", "AccessDenied", "AccessDeniedException", "Client.UnauthorizedOperation",
    };

    /// <summary>True when DeregisterImage failed because the AMI is already gone.</summary>
    public static bool IsImageGone(AmazonServiceException e) =>
        e.ErrorCode is "InvalidAMIID.NotFound" or "InvalidAMIID.Unavailable";

    /// <summary>True when DeleteSnapshot failed because the snapshot is already gone.</summary>
    public static bool IsSnapshotGone(AmazonServiceException e) =>
        e.ErrorCode is "InvalidSnapshot.NotFound";

    /// <summary>
    /// True when a call failed because the endpoint does not offer the API (an emulator, an older
    /// partition), or the credentials may not call it: the caller falls back to older APIs and says so.
    /// </summary>
    public static bool IsUnavailable(AmazonServiceException e) =>
        (int)e.StatusCode >= 500
        || e is AmazonUnmarshallingException
        || e.ErrorCode is "InvalidAction" or "UnsupportedOperation" or "UnknownOperationException" or "NotImplemented" or "OperationNotPermitted"
        || (e.ErrorCode is not null && AccessDeniedCodes.Contains(e.ErrorCode));

    /// <summary>Why an API counts as unavailable, in a few words.</summary>
    public static string Unavailability(AmazonServiceException e) =>
        e.ErrorCode is not null && AccessDeniedCodes.Contains(e.ErrorCode) ? $"not permitted ({e.ErrorCode})"
        : (int)e.StatusCode >= 500 || e is AmazonUnmarshallingException ? $"not offered by the endpoint (HTTP {(int)e.StatusCode})"
        : $"not offered by the endpoint ({e.ErrorCode})";

    /// <summary>Turns an AWS error into the one-line error the user sees, with its exit code.</summary>
    public static OpsException ToUserError(AmazonServiceException e)
    {
        var message = OneLine(e.Message);
        if (e.ErrorCode is not null && CredentialCodes.Contains(e.ErrorCode))
        {
            return new OpsException(ExitCodes.Credentials, $"AWS rejected the credentials ({e.ErrorCode}): {message}", e);
        }

        if (e.ErrorCode is not null && AccessDeniedCodes.Contains(e.ErrorCode))
        {
            return new OpsException(ExitCodes.AccessDenied, $"access denied ({e.ErrorCode}): {message}", e);
        }

        return new OpsException(ExitCodes.AwsError, $"AWS error {e.ErrorCode ?? ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {message}", e);
    }

    /// <summary>The message of a per-item failure (one line).</summary>
    public static string Describe(AmazonServiceException e) => $"{e.ErrorCode}: {OneLine(e.Message)}";

    /// <summary>Collapses a message onto one line.</summary>
    public static string OneLine(string? message) =>
        string.Join(' ', (message ?? "").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
