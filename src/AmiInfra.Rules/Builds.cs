using System.Text;
using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>What Image Builder accepts in recipes, infrastructure configurations and pipelines.</summary>
public static partial class Builds
{
    /// <summary>
    /// Most components in one recipe: "Recipes require a minimum of one build component, and can have a
    /// maximum of 20 build and test components in any combination" (Image Builder API reference, ImageRecipe.components).
    /// </summary>
    public const int MaxComponents = 20;

    /// <summary>
    /// Longest description of an Image Builder resource and of an AMI distribution (Image Builder API
    /// reference: NonEmptyString, 1 to 1024 characters).
    /// </summary>
    public const int MaxDescriptionLength = 1024;

    /// <summary>
    /// The description of an Image Builder resource (component, recipe, pipeline, workflow, distribution configuration,
    /// lifecycle policy) or of a distributed AMI: 1 to 1024 characters (the API reference's NonEmptyString for each
    /// Create* call's description). Refused beyond, never cut: a cut description says less than what was written.
    /// </summary>
    public static Problem? ResourceDescription(string description) =>
        description.Length is > 0 and <= MaxDescriptionLength
            ? null
            : new Problem($"{description.Length} characters", $"1 to {MaxDescriptionLength} characters");

    /// <summary>An image's description: it becomes the description of its recipe, pipeline and AMIs.</summary>
    public static Problem? Description(string description) =>
        description.Length <= MaxDescriptionLength
            ? null
            : new Problem($"{description.Length} characters", $"a description of at most {MaxDescriptionLength} characters (Image Builder's limit for the recipe, pipeline and AMI descriptions)");

    /// <summary>When a scheduled pipeline starts (ImagePipeline Schedule.PipelineExecutionStartCondition).</summary>
    public static readonly IReadOnlyList<string> StartConditions = ["EXPRESSION_MATCH_ONLY", "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE"];

    /// <summary>Image tests' timeout (ImagePipeline ImageTestsConfiguration.TimeoutMinutes).</summary>
    public static readonly (int Min, int Max) TestTimeoutMinutes = (60, 1440);

    /// <summary>
    /// Largest user data script, in bytes of UTF-8 before base64 encoding: Image Builder's
    /// AdditionalInstanceConfiguration.userDataOverride takes at most 21,847 base64 characters,
    /// which encode 16,383 bytes.
    /// </summary>
    public const int MaxUserDataBytes = 16383;

    /// <summary>A user data script Image Builder accepts, measured in bytes of UTF-8.</summary>
    public static Problem? UserData(string script)
    {
        var bytes = Encoding.UTF8.GetByteCount(script);
        if (bytes == 0)
        {
            return new Problem("an empty script", "a user data script of 1 to 16,383 bytes");
        }

        return bytes > MaxUserDataBytes
            ? new Problem($"a script of {bytes:N0} bytes", $"a user data script of at most {MaxUserDataBytes:N0} bytes (Image Builder takes at most 21,847 characters once base64-encoded)")
            : null;
    }

    /// <summary>An absolute working directory on the build instance (Linux /path, or Windows C:/path or C:\path).</summary>
    public static readonly Shape WorkingDirectory = new(WorkingDirectoryPattern(), "an absolute path such as /tmp or C:/Temp");

    /// <summary>
    /// Most security groups on a build instance: EC2's limit per network interface ("Amazon VPC
    /// quotas", security groups per network interface: 5 by default, adjustable up to 16).
    /// </summary>
    public const int MaxSecurityGroups = 16;

    /// <summary>
    /// Where build and test instances run: the network choices of the declaration's build.network.
    /// An infrastructure configuration without a subnet launches into the default VPC
    /// (InfrastructureConfiguration.subnetId: "The subnet ID in which to place the instance used to
    /// customize your Amazon EC2 AMI"; without it Image Builder uses a default-VPC subnet:
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/create-infra-config.html).
    /// A build instance needs Systems Manager (ssm, ssmmessages, ec2messages), Amazon S3 (AWSTOE,
    /// components, logs) and the package mirrors its components use, through the internet or VPC endpoints
    /// ("Image Builder and interface VPC endpoints":
    /// https://docs.aws.amazon.com/imagebuilder/latest/userguide/vpc-interface-endpoints.html).
    /// </summary>
    public static readonly IReadOnlyList<BuildNetworkChoice> Networks =
    [
        new("default-vpc", "the account's default VPC in the home region (landing-zone accounts often have none)"),
        new("subnet", "a subnet of yours (subnetId, optional securityGroupIds) with a route to Systems Manager, S3 and the package mirrors"),
        new("factory-vpc", "a small VPC the factory creates: one public and one private subnet, a NAT gateway for egress (Systems Manager, package mirrors), an S3 gateway endpoint, a security group with outbound HTTP and HTTPS only"),
    ];

    /// <summary>The names of <see cref="Networks"/>, for messages and the schema.</summary>
    public static IReadOnlyList<string> NetworkNames => Networks.Select(n => n.Name).ToList();

    /// <summary>
    /// A network choice with the settings that go with it: a subnet only with "subnet", where it is
    /// required; security groups only with a subnet.
    /// </summary>
    public static Problem? Network(string network, bool hasSubnet, bool hasSecurityGroups) => network switch
    {
        "subnet" when !hasSubnet => new Problem(null, "a subnetId with build.network \"subnet\"") { Part = "subnetId" },
        "default-vpc" or "factory-vpc" when hasSubnet => new Problem($"a subnetId with build.network \"{network}\"", "no subnetId, or build.network \"subnet\" (the subnet is yours)") { Part = "subnetId" },
        "default-vpc" or "factory-vpc" when hasSecurityGroups => new Problem($"securityGroupIds with build.network \"{network}\"", "no securityGroupIds, or build.network \"subnet\" (security groups belong to your subnet's VPC)") { Part = "securityGroupIds" },
        "default-vpc" or "subnet" or "factory-vpc" => null,
        _ => new Problem(Text.Quote(network), "one of " + Text.OneOf(NetworkNames)) { Part = "network" },
    };

    /// <summary>
    /// Hops an instance metadata response may travel from build and test instances (Image Builder API reference,
    /// InstanceMetadataOptions.httpPutResponseHopLimit: 1 to 64).
    /// </summary>
    public static readonly (int Min, int Max) MetadataHopLimit = (1, 64);

    /// <summary>
    /// Days a CloudWatch Logs log group keeps its events (CloudWatch Logs API reference, PutRetentionPolicy.retentionInDays:
    /// one of these values).
    /// </summary>
    public static readonly IReadOnlyList<int> LogGroupRetentionDays = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    /// <summary>A retention CloudWatch Logs accepts (<see cref="LogGroupRetentionDays"/>).</summary>
    public static Problem? LogGroupRetention(int days) =>
        LogGroupRetentionDays.Contains(days) ? null : new Problem(Text.Number(days), "one of the retentions CloudWatch Logs takes, in days: " + string.Join(", ", LogGroupRetentionDays));

    /// <summary>
    /// Consecutive failed scheduled runs after which Image Builder disables a pipeline (ImagePipeline
    /// Schedule.AutoDisablePolicy.FailureCount: 1 to 10, https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_AutoDisablePolicy.html).
    /// </summary>
    public static readonly (int Min, int Max) AutoDisableFailures = (1, 10);

    /// <summary>
    /// AmiInfra's default for <see cref="AutoDisableFailures"/>, always rendered: 5. AWS's pages disagree on what
    /// Image Builder does without a policy: some editions of the API reference's AutoDisablePolicy (and the AWS SDK
    /// for Ruby's documentation, generated from the same model) say it "disables the pipeline after 5 consecutive
    /// failed scheduled builds"; the English edition says nothing, and the CDK's Image Builder module documents that
    /// without a policy the pipeline is never disabled. Rendering 5 keeps what the first say and makes it visible.
    /// </summary>
    public const int DefaultAutoDisableFailures = 5;

    /// <summary>A number of failures within <see cref="AutoDisableFailures"/>.</summary>
    public static Problem? AutoDisable(int failures) =>
        failures < AutoDisableFailures.Min || failures > AutoDisableFailures.Max
            ? new Problem(Text.Number(failures), $"{AutoDisableFailures.Min} to {AutoDisableFailures.Max} consecutive failed scheduled runs (Image Builder's AutoDisablePolicy)")
            : null;

    /// <summary>
    /// Where Image Builder may write build and pipeline logs on its own: "Log group names not starting with
    /// /aws/imagebuilder/ require an executionRole with CloudWatch Logs write permissions" (PipelineLoggingConfiguration,
    /// https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_PipelineLoggingConfiguration.html; the
    /// service-linked role and EC2InstanceProfileForImageBuilder may write only there).
    /// </summary>
    public const string LogGroupPrefix = "/aws/imagebuilder/";

    /// <summary>A log group name as PipelineLoggingConfiguration takes it: 1 to 512 letters, digits and - _ / . .</summary>
    public static readonly Shape LogGroupName = new(LogGroupNamePattern(), "a log group name of 1 to 512 letters, digits and - _ / .");

    /// <summary>
    /// A pipeline's log group: of <see cref="LogGroupName"/>'s shape and, unless the pipeline runs with an execution
    /// role that may write it, under <see cref="LogGroupPrefix"/>.
    /// </summary>
    public static Problem? PipelineLogGroup(string name, bool executionRole) =>
        LogGroupName.Check(name) ?? (executionRole || name.StartsWith(LogGroupPrefix, StringComparison.Ordinal)
            ? null
            : new Problem(Text.Quote(name), $"a log group under {LogGroupPrefix}, where Image Builder's service-linked role writes, or an execution role allowed to write it"));

    /// <summary>The tenancies of build instances (Placement.tenancy: https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_Placement.html).</summary>
    public static readonly IReadOnlyList<string> Tenancies = ["default", "dedicated", "host"];

    /// <summary>A Dedicated Host id (EC2 AllocateHosts: h- and 17 hexadecimal digits).</summary>
    public static readonly Shape HostId = new(HostIdPattern(), "a Dedicated Host id such as h-0123456789abcdef0");

    /// <summary>A host resource group ARN (AWS Resource Groups: arn:partition:resource-groups:region:account:group/name).</summary>
    public static readonly Shape HostResourceGroupArn = new(HostResourceGroupArnPattern(), "a host resource group ARN such as arn:aws:resource-groups:us-east-1:123456789012:group/mac-hosts");

    /// <summary>The parts of a placement a problem can name.</summary>
    public static class PlacementParts
    {
        /// <summary>The Availability Zone.</summary>
        public const string AvailabilityZone = "availabilityZone";

        /// <summary>The tenancy.</summary>
        public const string Tenancy = "tenancy";

        /// <summary>The Dedicated Host.</summary>
        public const string HostId = "hostId";

        /// <summary>The host resource group.</summary>
        public const string HostResourceGroupArn = "hostResourceGroupArn";
    }

    /// <summary>
    /// Where build instances run on the hardware (Image Builder's Placement,
    /// https://docs.aws.amazon.com/imagebuilder/latest/APIReference/API_Placement.html): a tenancy of default,
    /// dedicated or host; a Dedicated Host id or a host resource group ARN only with tenancy host ("This only applies
    /// if tenancy is host"), and not both ("If you specify both, Image Builder returns an error"); an Availability Zone
    /// of the region the instances are launched in (an AZ name is its region's name and a letter, or a Local Zone's).
    /// </summary>
    public static Problem? Placement(string? availabilityZone, string? tenancy, string? hostId, string? hostResourceGroupArn, string region)
    {
        if (tenancy is not null && !Tenancies.Contains(tenancy))
        {
            return new Problem(Text.Quote(tenancy), "one of " + Text.OneOf(Tenancies)) { Part = PlacementParts.Tenancy };
        }

        if (hostId is not null && HostId.Check(hostId) is { } badHost)
        {
            return badHost with { Part = PlacementParts.HostId };
        }

        if (hostResourceGroupArn is not null && HostResourceGroupArn.Check(hostResourceGroupArn) is { } badGroup)
        {
            return badGroup with { Part = PlacementParts.HostResourceGroupArn };
        }

        if (hostId is not null && hostResourceGroupArn is not null)
        {
            return new Problem($"both a hostId and a hostResourceGroupArn", "one of them: a Dedicated Host, or a host resource group to choose from") { Part = PlacementParts.HostResourceGroupArn };
        }

        if ((hostId ?? hostResourceGroupArn) is not null && tenancy != "host")
        {
            return new Problem(
                $"{(hostId is null ? "a hostResourceGroupArn" : "a hostId")} with tenancy {(tenancy is null ? "unset (shared hardware)" : Text.Quote(tenancy))}",
                "tenancy \"host\": a Dedicated Host or host resource group applies only to instances on Dedicated Hosts") { Part = PlacementParts.Tenancy };
        }

        if (availabilityZone is not null && !AvailabilityZoneIn(availabilityZone, region))
        {
            return new Problem(Text.Quote(availabilityZone), $"an Availability Zone of {region}, such as {region}a") { Part = PlacementParts.AvailabilityZone };
        }

        return null;
    }

    private static bool AvailabilityZoneIn(string zone, string region) =>
        zone.StartsWith(region, StringComparison.Ordinal) && ZoneSuffix().IsMatch(zone[region.Length..]);

    /// <summary>An EC2 key pair name (CreateKeyPair.KeyName: up to 255 ASCII characters).</summary>
    public static readonly Shape KeyPairName = new(KeyPairNamePattern(), "the name of an EC2 key pair (1 to 255 characters)");

    [GeneratedRegex("^(?:/|[A-Za-z]:[/\\\\])")]
    private static partial Regex WorkingDirectoryPattern();

    [GeneratedRegex("^[a-zA-Z0-9\\-_/\\.]{1,512}$")]
    private static partial Regex LogGroupNamePattern();

    [GeneratedRegex("^h-[0-9a-f]{17}$")]
    private static partial Regex HostIdPattern();

    [GeneratedRegex("^arn:(?:aws|aws-cn|aws-us-gov):resource-groups:[a-z0-9-]+:[0-9]{12}:group/[a-zA-Z0-9_.-]{1,300}$")]
    private static partial Regex HostResourceGroupArnPattern();

    [GeneratedRegex("^(?:[a-z]|-[a-z]+-[0-9]+[a-z])$")]
    private static partial Regex ZoneSuffix();

    [GeneratedRegex("^[\\x20-\\x7E]{1,255}$")]
    private static partial Regex KeyPairNamePattern();
}

/// <summary>One choice of network for build instances.</summary>
/// <param name="Name">The name the declaration uses.</param>
/// <param name="Needs">What it is and what it needs, in words.</param>
public sealed record BuildNetworkChoice(string Name, string Needs);
