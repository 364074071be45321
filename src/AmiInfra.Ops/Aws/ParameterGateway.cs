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

    /// <summary>The values of the parameters that exist among <paramref name="names"/> (GetParameters, 10 names a call).</summary>
    public static async Task<Dictionary<string, string>> ValuesAsync(AwsSession session, string region, IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in names.Distinct(StringComparer.Ordinal).Chunk(10))
        {
            var response = await session.Ssm(region).GetParametersAsync(new GetParametersRequest { Names = [.. chunk] }, cancellationToken).ConfigureAwait(false);
            foreach (var parameter in response.Parameters ?? [])
            {
                values[parameter.Name] = parameter.Value;
            }
        }

        return values;
    }

    /// <summary>
    /// The parameters of data type aws:ec2:image of the account in a region, with their values: DescribeParameters
    /// (every page; the data type is filtered here, since not every endpoint takes the DataType filter), then
    /// GetParameters (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ParameterStringFilter.html).
    /// </summary>
    public static async Task<Dictionary<string, string>> ImageParametersAsync(AwsSession session, string region, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        await foreach (var page in session.Ssm(region).Paginators.DescribeParameters(new DescribeParametersRequest { MaxResults = 50 }).Responses.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            names.AddRange((page.Parameters ?? []).Where(p => p.DataType == "aws:ec2:image").Select(p => p.Name));
        }

        return await ValuesAsync(session, region, names, cancellationToken).ConfigureAwait(false);
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
