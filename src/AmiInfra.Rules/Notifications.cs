using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>Where the events of a factory's builds may be delivered.</summary>
public static partial class Notifications
{
    /// <summary>An EventBridge event bus ARN (PutTargets Target.Arn; an event bus's name: 1 to 256 letters, digits and . - _ /).</summary>
    public static readonly Shape EventBusArn = new(EventBusArnPattern(), "an EventBridge event bus ARN such as arn:aws:events:us-east-1:123456789012:event-bus/platform");

    /// <summary>
    /// The regions whose event buses a rule of another region may target: "You can use an event bus in the US East
    /// (N. Virginia) us-east-1, US West (Oregon) us-west-2, or Europe (Ireland) eu-west-1 Regions as a target for a
    /// rule" (EventBridge API reference, PutTargets: https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutTargets.html).
    /// </summary>
    public static readonly IReadOnlyList<string> CrossRegionBusRegions = ["us-east-1", "us-west-2", "eu-west-1"];

    /// <summary>
    /// An event bus the factory's rules (in <paramref name="region"/>, the home region) can deliver to: of the factory's
    /// partition, in the home region or in a region PutTargets takes across regions. A bus of another account is
    /// delivered to through a role (its resource policy must let the factory account put events).
    /// </summary>
    public static Problem? EventBus(string arn, Partition partition, string region)
    {
        var match = EventBusArnPattern().Match(arn);
        if (!match.Success)
        {
            return new Problem(Text.Quote(arn), EventBusArn.Accepted);
        }

        if (match.Groups["partition"].Value != partition.Name)
        {
            return new Problem(Text.Quote(arn), $"an event bus of the factory's partition, arn:{partition.Name}:... ({partition.Title})");
        }

        var busRegion = match.Groups["region"].Value;
        return busRegion == region || (partition.Name == "aws" && CrossRegionBusRegions.Contains(busRegion))
            ? null
            : new Problem(Text.Quote(arn), $"an event bus in {region} (the home region, where the rules are), or in {Text.OneOf(CrossRegionBusRegions)} (the regions EventBridge delivers to from another region)");
    }

    [GeneratedRegex("^arn:(?<partition>aws|aws-cn|aws-us-gov):events:(?<region>[a-z]{2}(?:-[a-z]+)+-[0-9]+):(?<account>[0-9]{12}):event-bus/(?<name>[/.\\-_A-Za-z0-9]{1,256})$")]
    private static partial Regex EventBusArnPattern();
}
