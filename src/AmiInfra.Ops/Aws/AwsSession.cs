using Amazon;
using Amazon.EC2;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.Runtime.Credentials;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SimpleSystemsManagement;
using AmiInfra.Ops.Cli;

namespace AmiInfra.Ops.Aws;

/// <summary>
/// Credentials, endpoint, timeouts and retry settings shared by every AWS client of one run, and the clients
/// themselves (one per service and region). Retries: the SDK's standard mode, which backs off exponentially
/// with jitter on throttling (RequestLimitExceeded, Throttling) and transient errors, up to
/// <see cref="MaxRetries"/> times (AWS_MAX_ATTEMPTS); a call that times out (<see cref="AwsSettings.CallTimeout"/>) is retried once
/// (<see cref="BoundedTimeoutRetryPolicy"/>), so an endpoint that never answers ends the run in about twice the
/// call timeout.
/// </summary>
public sealed class AwsSession : IDisposable
{
    /// <summary>How many times one call is retried after a throttle or a transient error (AWS_MAX_ATTEMPTS less one).</summary>
    public int MaxRetries => settings.MaxAttempts - 1;

    /// <summary>How many per-resource calls (launch permissions, snapshot permissions, ...) are in flight at once, across regions.</summary>
    public const int PerResourceConcurrency = 16;

    private readonly AwsSettings settings;
    private readonly CliEnvironment environment;
    private readonly Lazy<AWSCredentials> credentials;
    private readonly Dictionary<(Type, string), IDisposable> clients = [];
    private readonly SemaphoreSlim perResource = new(PerResourceConcurrency);
    private readonly Lock gate = new();
    private Task<string>? accountId;
    private SignedRequests? signed;

    /// <summary>Creates the session; credentials are resolved on first use.</summary>
    public AwsSession(AwsSettings settings, CliEnvironment environment)
    {
        this.settings = settings;
        this.environment = environment;
        credentials = new Lazy<AWSCredentials>(ResolveCredentials);
    }

    private AwsSession(AwsSettings settings, CliEnvironment environment, AWSCredentials assumed)
    {
        this.settings = settings;
        this.environment = environment;
        credentials = new Lazy<AWSCredentials>(assumed);
    }

    /// <summary>
    /// A session in another account, with the credentials of <paramref name="roleArn"/> assumed from this session's
    /// (STS AssumeRole, one hour): how a command reads the target accounts.
    /// </summary>
    public async Task<AwsSession> AssumeRoleAsync(string roleArn, string region, CancellationToken cancellationToken)
    {
        var sts = Client(region, () => new StsClient(credentials.Value, Configure(new AmazonSecurityTokenServiceConfig(), region), TimedOut));
        var assumed = await sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = roleArn, RoleSessionName = "amiinfra", DurationSeconds = 3600 }, cancellationToken).ConfigureAwait(false);
        var c = assumed.Credentials;
        return new AwsSession(settings with { Profile = null }, environment, new SessionAWSCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken));
    }

    /// <summary>The region of the selected profile (or of the default profile), if it names one.</summary>
    public string? ProfileRegion
    {
        get
        {
            var name = ProfileName ?? "default";
            return new CredentialProfileStoreChain().TryGetProfile(name, out var profile)
                ? profile.Region?.SystemName
                : null;
        }
    }

    private string? ProfileName => settings.Profile ?? environment.GetVariable("AWS_PROFILE");

    /// <summary>
    /// APIs found not offered by the endpoint in a region during this run ((api, region) to the reason), so each
    /// is tried once. Only "not offered" goes here: a throttle or a denial is never remembered as an absent API.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<(string Api, string Region), string> NotOffered { get; } = new();

    /// <summary>The last call that did not answer within the call timeout, even after its retry ("DescribeImages to ec2.us-east-1.amazonaws.com").</summary>
    public string? LastTimedOut { get; private set; }

    /// <summary>The call timeout of this run.</summary>
    public TimeSpan CallTimeout => settings.CallTimeout;

    /// <summary>The EC2 client of a region.</summary>
    public IAmazonEC2 Ec2(string region) =>
        Client(region, () => new Ec2Client(credentials.Value, Configure(new AmazonEC2Config(), region), TimedOut));

    /// <summary>The signed-request client for the services without an SDK package here (Auto Scaling, Image Builder).</summary>
    public SignedRequests Signed
    {
        get
        {
            lock (gate)
            {
                return signed ??= new SignedRequests(
                    () => credentials.Value.GetCredentialsAsync(),
                    settings.EndpointUrl,
                    environment.HttpClientFactory?.CreateHttpClient(new AmazonEC2Config()),
                    settings.CallTimeout,
                    TimedOut,
                    MaxRetries);
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> for every item with at most <see cref="PerResourceConcurrency"/>
    /// calls in flight across the whole run (every region shares the bound), keeping the order of the items.
    /// </summary>
    public async Task<TResult[]> BoundedAsync<TItem, TResult>(IEnumerable<TItem> items, Func<TItem, Task<TResult>> call, CancellationToken cancellationToken)
    {
        return await Task.WhenAll(items.Select(async item =>
        {
            await perResource.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await call(item).ConfigureAwait(false);
            }
            finally
            {
                perResource.Release();
            }
        })).ConfigureAwait(false);
    }

    /// <summary>The KMS client of a region.</summary>
    public IAmazonKeyManagementService Kms(string region) =>
        Client(region, () => new KmsClient(credentials.Value, Configure(new AmazonKeyManagementServiceConfig(), region), TimedOut));

    /// <summary>The SSM client of a region.</summary>
    public IAmazonSimpleSystemsManagement Ssm(string region) =>
        Client(region, () => new SsmClient(credentials.Value, Configure(new AmazonSimpleSystemsManagementConfig(), region), TimedOut));

    /// <summary>The account the credentials belong to (STS GetCallerIdentity, asked once).</summary>
    public Task<string> AccountIdAsync(string region, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return accountId ??= AskAccountAsync(region, cancellationToken);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }

        clients.Clear();
        perResource.Dispose();
    }

    private async Task<string> AskAccountAsync(string region, CancellationToken cancellationToken)
    {
        var sts = Client(region, () => new StsClient(credentials.Value, Configure(new AmazonSecurityTokenServiceConfig(), region), TimedOut));
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
        return identity.Account;
    }

    private void TimedOut(string call) => LastTimedOut = call;

    private T Client<T>(string region, Func<T> create)
        where T : IDisposable
    {
        lock (gate)
        {
            if (!clients.TryGetValue((typeof(T), region), out var client))
            {
                client = create();
                clients[(typeof(T), region)] = client;
            }

            return (T)client;
        }
    }

    private T Configure<T>(T config, string region)
        where T : ClientConfig
    {
        var maxRetries = MaxRetries;
        var endpoint = settings.EndpointUrl;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }
        else
        {
            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region;
        }

        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = maxRetries;
        config.Timeout = settings.CallTimeout;
        if (environment.HttpClientFactory is not null)
        {
            config.HttpClientFactory = environment.HttpClientFactory;
        }

        return config;
    }

    /// <summary>
    /// What the SDK does not do itself: --profile wins over the environment's keys, and the keys are read
    /// from the run's environment (the process's, or a test's). Everything else is the SDK's own default
    /// chain (AWS_PROFILE, SSO, web identity, container and instance roles).
    /// </summary>
    private AWSCredentials ResolveCredentials()
    {
        if (settings.Profile is { } profile)
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile)
                ? fromProfile
                : throw new OpsException(ExitCodes.Credentials, $"AWS profile '{profile}' was not found in ~/.aws/config or ~/.aws/credentials");
        }

        var accessKey = environment.GetVariable("AWS_ACCESS_KEY_ID");
        var secretKey = environment.GetVariable("AWS_SECRET_ACCESS_KEY");
        if (!string.IsNullOrEmpty(accessKey) && !string.IsNullOrEmpty(secretKey))
        {
            var token = environment.GetVariable("AWS_SESSION_TOKEN");
            return string.IsNullOrEmpty(token)
                ? new BasicAWSCredentials(accessKey, secretKey)
                : new SessionAWSCredentials(accessKey, secretKey, token);
        }

        try
        {
            return DefaultAWSCredentialsIdentityResolver.GetCredentials(new AmazonEC2Config());
        }
        catch (AmazonClientException)
        {
            throw new OpsException(ExitCodes.Credentials, NoCredentialsMessage);
        }
    }

    /// <summary>The message shown when no credentials are found.</summary>
    public const string NoCredentialsMessage =
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile NAME, or configure a default profile (aws configure)";
}
