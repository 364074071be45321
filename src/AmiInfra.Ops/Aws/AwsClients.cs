using Amazon.EC2;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.SecurityToken;
using Amazon.SimpleSystemsManagement;

namespace AmiInfra.Ops.Aws;

/// <summary>
/// The SDK's standard retry mode (exponential backoff with jitter on throttling and transient errors, up to
/// <see cref="AwsSettings.MaxAttempts"/> attempts), except for a call that timed out: it is retried once, not
/// eight times. The SDKs retry timeouts like any transient error ("socket-level failures where no HTTP response
/// was received (connect timeouts, read timeouts ...)", https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html),
/// so with the SDK's own policy an endpoint that accepts connections and never answers would hold the tool for
/// nine times the call timeout plus the backoff. A throttled call, on the contrary, gets every retry. An API the
/// endpoint does not offer is not retried at all.
/// </summary>
internal sealed class BoundedTimeoutRetryPolicy(IClientConfig config, Action<string> timedOut) : StandardRetryPolicy(config)
{
    /// <summary>How many times a call that timed out is retried.</summary>
    public const int TimeoutRetries = 1;

    public override bool RetryForException(IExecutionContext executionContext, Exception exception) =>
        IsTimeout(exception) ? RetryTimeout(executionContext) : !IsNotOffered(exception) && base.RetryForException(executionContext, exception);

    public override async Task<bool> RetryForExceptionAsync(IExecutionContext executionContext, Exception exception) =>
        IsTimeout(exception) ? RetryTimeout(executionContext) : !IsNotOffered(exception) && await base.RetryForExceptionAsync(executionContext, exception).ConfigureAwait(false);

    /// <summary>An API the endpoint does not offer (an emulator's page for an unknown action) is absent, not transient: no retry.</summary>
    private static bool IsNotOffered(Exception exception) =>
        exception is AmazonServiceException service && AwsErrors.Classify(service) == AwsFailure.NotOffered;

    private bool RetryTimeout(IExecutionContext executionContext)
    {
        var request = executionContext.RequestContext;
        if (request.CancellationToken.IsCancellationRequested)
        {
            return false;
        }

        var retry = request.Retries < TimeoutRetries;
        if (!retry)
        {
            var name = request.RequestName?.EndsWith("Request", StringComparison.Ordinal) == true ? request.RequestName[..^"Request".Length] : request.RequestName;
            timedOut($"{name} to {request.Request?.Endpoint?.Host ?? "the endpoint"}");
        }

        return retry;
    }

    private static bool IsTimeout(Exception exception) =>
        exception is TimeoutException or TaskCanceledException || exception.InnerException is TimeoutException or TaskCanceledException;
}

/// <summary>The EC2 client with the run's retry policy.</summary>
internal sealed class Ec2Client(AWSCredentials credentials, AmazonEC2Config config, Action<string> timedOut) : AmazonEC2Client(credentials, config)
{
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(new BoundedTimeoutRetryPolicy(Config, timedOut)));
    }
}

/// <summary>The SSM client with the run's retry policy.</summary>
internal sealed class SsmClient(AWSCredentials credentials, AmazonSimpleSystemsManagementConfig config, Action<string> timedOut) : AmazonSimpleSystemsManagementClient(credentials, config)
{
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(new BoundedTimeoutRetryPolicy(Config, timedOut)));
    }
}

/// <summary>The STS client with the run's retry policy.</summary>
internal sealed class StsClient(AWSCredentials credentials, AmazonSecurityTokenServiceConfig config, Action<string> timedOut) : AmazonSecurityTokenServiceClient(credentials, config)
{
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(new BoundedTimeoutRetryPolicy(Config, timedOut)));
    }
}

/// <summary>The KMS client with the run's retry policy.</summary>
internal sealed class KmsClient(AWSCredentials credentials, AmazonKeyManagementServiceConfig config, Action<string> timedOut) : AmazonKeyManagementServiceClient(credentials, config)
{
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.ReplaceHandler<RetryHandler>(new RetryHandler(new BoundedTimeoutRetryPolicy(Config, timedOut)));
    }
}
