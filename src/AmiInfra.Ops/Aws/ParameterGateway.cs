using Amazon.SimpleSystemsManagement.Model;
using AmiInfra.Ops.Cli;

namespace AmiInfra.Ops.Aws;

/// <summary>SSM parameters, such as the public ones that hold the newest AMI ids (/aws/service/...).</summary>
public static class ParameterGateway
{
    /// <summary>The value of a parameter in a region, or null when it does not exist.</summary>
    public static async Task<string?> TryValueAsync(AwsSession session, string region, string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await session.Ssm(region).GetParameterAsync(new GetParameterRequest { Name = name }, cancellationToken).ConfigureAwait(false);
            return response.Parameter.Value;
        }
        catch (ParameterNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The value of a parameter in a region.</summary>
    public static async Task<string> ValueAsync(AwsSession session, string region, string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await session.Ssm(region).GetParameterAsync(new GetParameterRequest { Name = name }, cancellationToken).ConfigureAwait(false);
            return response.Parameter.Value;
        }
        catch (ParameterNotFoundException)
        {
            throw new OpsException(ExitCodes.AwsError, $"SSM parameter '{name}' does not exist in {region}");
        }
    }
}
