using Amazon.EC2;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Amazon.SimpleSystemsManagement;

namespace AmiInfra.Ops.Tests.Infrastructure;

/// <summary>
/// An AWS account of its own in the shared moto_server (moto keeps state per account): credentials
/// from STS AssumeRole into that account, clients to seed and inspect it, and the environment
/// variables a user of the CLI would set.
/// </summary>
public sealed class MotoAccount
{
    /// <summary>Assumes a role in <paramref name="accountId"/>.</summary>
    public MotoAccount(string accountId)
    {
        Server = MotoServer.Instance;
        AccountId = accountId;
        using var sts = new AmazonSecurityTokenServiceClient(new BasicAWSCredentials("seed", "seed"), Config(new AmazonSecurityTokenServiceConfig(), "us-east-1"));
        var assumed = sts.AssumeRoleAsync(new AssumeRoleRequest { RoleArn = $"arn:aws:iam::{accountId}:role/ops-tests", RoleSessionName = "ops-tests" }).GetAwaiter().GetResult();
        Credentials = assumed.Credentials;
    }

    /// <summary>The server.</summary>
    public MotoServer Server { get; }

    /// <summary>The account id.</summary>
    public string AccountId { get; }

    /// <summary>The session credentials of the account.</summary>
    public Amazon.SecurityToken.Model.Credentials Credentials { get; }

    /// <summary>The environment a user of the CLI would have: credentials, endpoint and region.</summary>
    public Dictionary<string, string> Environment(string region = "us-east-1") => new()
    {
        ["AWS_ACCESS_KEY_ID"] = Credentials.AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = Credentials.SecretAccessKey,
        ["AWS_SESSION_TOKEN"] = Credentials.SessionToken,
        ["AWS_ENDPOINT_URL"] = Server.Endpoint,
        ["AWS_REGION"] = region,
    };

    /// <summary>An EC2 client of the account in a region.</summary>
    public IAmazonEC2 Ec2(string region) => new AmazonEC2Client(SessionCredentials, Config(new AmazonEC2Config(), region));

    /// <summary>A KMS client of the account in a region.</summary>
    public IAmazonKeyManagementService Kms(string region) => new AmazonKeyManagementServiceClient(SessionCredentials, Config(new AmazonKeyManagementServiceConfig(), region));

    /// <summary>An SSM client of the account in a region.</summary>
    public IAmazonSimpleSystemsManagement Ssm(string region) => new AmazonSimpleSystemsManagementClient(SessionCredentials, Config(new AmazonSimpleSystemsManagementConfig(), region));

    private SessionAWSCredentials SessionCredentials => new(Credentials.AccessKeyId, Credentials.SecretAccessKey, Credentials.SessionToken);

    private T Config<T>(T config, string region)
        where T : ClientConfig
    {
        config.ServiceURL = Server.Endpoint;
        config.AuthenticationRegion = region;
        return config;
    }
}
