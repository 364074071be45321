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
/// Credentials, endpoint and retry settings shared by every AWS client of one run, and the clients
/// themselves (one per service and region). Retries: the SDK's standard mode, which backs off
/// exponentially with jitter on throttling (RequestLimitExceeded, Throttling) and 5xx errors.
/// </summary>
public sealed class AwsSession : IDisposable
{
    /// <summary>How many times one call is retried after a throttle or a transient error.</summary>
    public const int MaxRetries = 8;

    private readonly AwsSettings settings;
    private readonly CliEnvironment environment;
    private readonly Lazy<AWSCredentials> credentials;
    private readonly Dictionary<(Type, string), IDisposable> clients = [];
    private readonly Lock gate = new();
    private Task<string>? accountId;

    /// <summary>Creates the session; credentials are resolved on first use.</summary>
    public AwsSession(AwsSettings settings, CliEnvironment environment)
    {
        this.settings = settings;
        this.environment = environment;
        credentials = new Lazy<AWSCredentials>(ResolveCredentials);
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

    /// <summary>The EC2 client of a region.</summary>
    public IAmazonEC2 Ec2(string region) =>
        Client(region, () => new AmazonEC2Client(credentials.Value, Configure(new AmazonEC2Config(), region)));

    /// <summary>The KMS client of a region.</summary>
    public IAmazonKeyManagementService Kms(string region) =>
        Client(region, () => new AmazonKeyManagementServiceClient(credentials.Value, Configure(new AmazonKeyManagementServiceConfig(), region)));

    /// <summary>The SSM client of a region.</summary>
    public IAmazonSimpleSystemsManagement Ssm(string region) =>
        Client(region, () => new AmazonSimpleSystemsManagementClient(credentials.Value, Configure(new AmazonSimpleSystemsManagementConfig(), region)));

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
    }

    private async Task<string> AskAccountAsync(string region, CancellationToken cancellationToken)
    {
        var sts = Client(region, () => new AmazonSecurityTokenServiceClient(credentials.Value, Configure(new AmazonSecurityTokenServiceConfig(), region)));
        var identity = await sts.GetCallerIdentityAsync(new GetCallerIdentityRequest(), cancellationToken).ConfigureAwait(false);
        return identity.Account;
    }

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
        var endpoint = settings.EndpointUrl ?? environment.GetVariable("AWS_ENDPOINT_URL");
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
        config.MaxErrorRetry = MaxRetries;
        if (environment.HttpClientFactory is not null)
        {
            config.HttpClientFactory = environment.HttpClientFactory;
        }

        return config;
    }

    private AWSCredentials ResolveCredentials()
    {
        var accessKey = environment.GetVariable("AWS_ACCESS_KEY_ID");
        var secretKey = environment.GetVariable("AWS_SECRET_ACCESS_KEY");
        if (settings.Profile is null && !string.IsNullOrEmpty(accessKey) && !string.IsNullOrEmpty(secretKey))
        {
            var token = environment.GetVariable("AWS_SESSION_TOKEN");
            return string.IsNullOrEmpty(token)
                ? new BasicAWSCredentials(accessKey, secretKey)
                : new SessionAWSCredentials(accessKey, secretKey, token);
        }

        var profile = ProfileName;
        if (profile is not null)
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile)
                ? fromProfile
                : throw new OpsException(ExitCodes.Credentials, $"AWS profile '{profile}' was not found in ~/.aws/config or ~/.aws/credentials");
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
