using AmiInfra.Rules;

namespace AmiInfra.Constructs.Build;

/// <summary>Properties of an image's log group (<see cref="ImageLogGroup.Render"/>).</summary>
public sealed record ImageLogGroupProps
{
    /// <summary>The log group's name: 1 to 512 letters, digits and - _ / . (see <see cref="ImageLogGroup.NameFor"/>). No default.</summary>
    public required string LogGroupName { get; init; }

    /// <summary>Days the log group keeps its events: one of the values CloudWatch Logs takes (1, 3, 5, 7, 14, 30, 60, 90, ...). No default.</summary>
    public required int RetentionDays { get; init; }

    /// <summary>
    /// The ARN of the KMS key that encrypts the events (a key ARN: CloudWatch Logs takes no alias), or a dynamic
    /// reference to it (<see cref="BuildInfrastructure.KeyArnReference"/>). The key policy must let CloudWatch Logs use
    /// it for this log group (<see cref="BuildInfrastructure"/>'s key does, under <see cref="BuildInfrastructure.LogGroupPath"/>). No default.
    /// </summary>
    public required string KmsKeyArn { get; init; }

    /// <summary>
    /// Tags of the log group (its initial tags: <c>Tags.Of</c> adds to them): CloudWatch Logs takes letters, digits,
    /// spaces and _ . : / = + - @ in keys and values (TagResource, https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_TagResource.html),
    /// fewer than Image Builder, so <see cref="TagRules.Aws"/> checks them. Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// The CloudWatch Logs log group of one image, for its build logs and its pipeline's execution logs: a pipeline names it
/// in <see cref="ImagePipelineProps.ImageLogGroupName"/> and <see cref="ImagePipelineProps.PipelineLogGroupName"/>, with a
/// retention and a customer-managed key, where Image Builder would otherwise create one that keeps its events forever,
/// encrypted with a key of AWS's ("Monitor Image Builder logs with Amazon CloudWatch Logs":
/// https://docs.aws.amazon.com/imagebuilder/latest/userguide/monitor-cwlogs.html). One group serves both: the build
/// logs' streams are named VERSION/BUILD and the pipeline's by date (YYYY/MM/DD), so they never share a stream.
/// </summary>
public static class ImageLogGroup
{
    /// <summary>The log group of an image of a factory: /aws/imagebuilder/PREFIX/IMAGE (<see cref="BuildInfrastructure.LogGroupPath"/>).</summary>
    public static string NameFor(string namePrefix, string imageName) => BuildInfrastructure.LogGroupPath(namePrefix) + imageName;

    /// <summary>The log group as CloudFormation (AWS::Logs::LogGroup), for a <see cref="CfnFragment"/>, after checking the props.</summary>
    /// <param name="props">The log group.</param>
    /// <param name="where">Where the log group is, for error messages.</param>
    public static CfnDefinition Render(ImageLogGroupProps props, string where)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (!Checks.IsToken(props.LogGroupName))
        {
            Checks.Require($"{where}.LogGroupName", Builds.LogGroupName.Check(props.LogGroupName));
        }

        Checks.Require($"{where}.RetentionDays", Builds.LogGroupRetention(props.RetentionDays));
        Checks.Tags($"{where}.Tags", props.Tags, TagRules.Aws);
        return CfnDefinition.Of("AWS::Logs::LogGroup", new Dictionary<string, object?>
        {
            ["LogGroupName"] = props.LogGroupName,
            ["RetentionInDays"] = props.RetentionDays,
            ["KmsKeyId"] = props.KmsKeyArn,
            ["Tags"] = Cfn.TagList(props.Tags),
        });
    }
}
