using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>
/// The tag rules of each place a factory's tags end up. A declared tag must satisfy every rule of
/// every place it lands: the factory's tags go on stacks (and every resource CloudFormation tags),
/// on Image Builder resources and on AMIs.
/// </summary>
public static partial class TagRules
{
    /// <summary>
    /// The prefix AWS reserves for its own tags, in any case: "Don't use aws:, AWS:, or any upper or lowercase
    /// combination of such as a prefix for either keys or values, as it is reserved for AWS use" (the tag restrictions
    /// many services repeat, e.g. AWS Batch, https://docs.aws.amazon.com/batch/latest/userguide/tag-restrictions.html,
    /// and Amazon ECS, https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Tag.html). Every service reserves
    /// it in keys. The pages disagree on values: those reserve it in values too; EC2 ("Tag your Amazon EC2 resources",
    /// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html) and Image Builder (TagMap) reserve only
    /// keys; Amazon Forecast (https://docs.aws.amazon.com/forecast/latest/dg/API_Tag.html) says values may have it.
    /// Followed: keys in any case everywhere; values only where a tag lands on every kind of resource (<see cref="Aws"/>,
    /// which the factory's tags pass, and the stack rules derived from it), since some of those services reserve it; a
    /// value that reaches only EC2, Image Builder or the Recycle Bin may start with it.
    /// </summary>
    public const string ReservedPrefix = "aws:";

    /// <summary>
    /// Tags that go on every kind of resource (the factory's tags, on stacks and so on every resource CloudFormation
    /// tags: KMS, S3, SNS, IAM, EC2, Image Builder): keys of 1 to 128 and values of up to 256 Unicode letters, digits,
    /// spaces and _ . : / = + - @, neither starting with aws: in any case (<see cref="ReservedPrefix"/>, whose comment
    /// cites the pages). Source: "Tag your Amazon EC2 resources" (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html)
    /// and the tag restrictions of the services the factory's tags reach.
    /// </summary>
    public static readonly TagRule Aws = new(
        "AWS resources",
        AwsKey(),
        "a tag key of 1 to 128 letters, digits, spaces and _ . : / = + - @, not starting with aws: in any case (AWS reserves aws:, AWS:, Aws: ...)",
        AwsValue(),
        "a tag value of up to 256 letters, digits, spaces and _ . : / = + - @, not starting with aws: in any case (the general tagging rule reserves it in values too)",
        50);

    /// <summary>
    /// EC2 resources (AMIs, snapshots, launch templates): "EC2 allows for any character in its tags" ("Tag
    /// your Amazon EC2 resources", tag restrictions): keys of 1 to 128 characters not starting with aws: (in any
    /// case, as the general rule says), values of up to 256 (EC2 reserves the prefix in keys only). (The EC2 API reference's Tag says 127 for a key; the user guide's 128 is followed.)
    /// </summary>
    public static readonly TagRule Ec2 = new(
        "EC2 resources (AMIs and snapshots)",
        AnyKey(),
        "a tag key of 1 to 128 characters, not starting with aws: in any case",
        AnyValue(),
        "a tag value of up to 256 characters",
        50);

    /// <summary>
    /// Image Builder's tag maps: the tags of its resources, the AMI tags of a distribution, and the
    /// tags of a lifecycle policy's selection and exclusions. Source: Image Builder API reference,
    /// TagMap in AmiDistributionConfiguration.amiTags (current edition): key
    /// <c>^(?!aws:)[a-zA-Z0-9\s_.:/=+\-@]*$</c>, 1 to 128 characters; value up to 256 characters.
    /// ASCII only: a key such as "Kostenstelle-Büro" passes CloudFormation and fails in Image Builder. The pattern's
    /// aws: is written in lower case; the prefix is refused in any case, as the general tagging rule says.
    /// (An earlier edition's pattern, [a-zA-Z+-=._:/], took no spaces and no @; the current one is followed.)
    /// </summary>
    public static readonly TagRule ImageBuilder = new(
        "Image Builder resources and the AMIs they distribute",
        ImageBuilderKey(),
        "a tag key of 1 to 128 characters: ASCII letters, digits, spaces and _ . : / = + - @, not starting with aws: in any case (Image Builder's rule: no letters outside A-Z)",
        AnyValue(),
        "a tag value of up to 256 characters",
        50);

    /// <summary>Image Builder lifecycle policies: a selection's or an exclusion rule's tags (the same TagMap).</summary>
    public static readonly TagRule Lifecycle = ImageBuilder with { Where = "a lifecycle policy's selection or exclusion" };

    /// <summary>
    /// CloudFormation stack tags (the factory's tags are on every stack): a value of 1 to 256
    /// characters (CloudFormation API reference, Tag: the value is at least 1 character).
    /// </summary>
    public static readonly TagRule Stack = Aws with { Where = "CloudFormation stacks", Value = StackValue(), ValueAccepted = "a tag value of 1 to 256 letters, digits, spaces and _ . : / = + - @, not starting with aws: in any case (CloudFormation stack tags cannot be empty, and they go on every resource of the stack)" };

    /// <summary>
    /// A StackSet's tags (AWS::CloudFormation::StackSet Tags, which carry the factory's tags when it
    /// deploys to target accounts): key <c>^(?!aws:.*)[a-zA-Z0-9\s\:\_\.\/\=\+\-]+$</c> and a value of 1 to 256 characters.
    /// </summary>
    public static readonly TagRule StackSet = new(
        "a CloudFormation StackSet",
        StackSetKey(),
        "a tag key of 1 to 128 characters: ASCII letters, digits, spaces and _ . : / = + -, not starting with aws: in any case (CloudFormation StackSets take no @ and no letters outside A-Z)",
        StackValue(),
        "a tag value of 1 to 256 characters",
        50);

    /// <summary>
    /// The Recycle Bin's resource tags, which select what a retention rule keeps (Recycle Bin API reference,
    /// ResourceTag: a key of 1 to 128 characters, a value of up to 256): the general characters, and the reserved prefix
    /// in keys only (the value is a selection criterion that matches an AMI's tag, which may start with aws:).
    /// </summary>
    public static readonly TagRule RecycleBin = Aws with { Where = "a Recycle Bin rule", Value = UnreservedValue(), ValueAccepted = "a tag value of up to 256 letters, digits, spaces and _ . : / = + - @" };

    // The reserved prefix is written [aA][wW][sS]: rather than with a case-insensitive flag, so that the JSON schema
    // (ECMA-262 patterns, which take no inline flags) can carry the same patterns.

    [GeneratedRegex("^(?![aA][wW][sS]:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}$")]
    private static partial Regex AwsKey();

    [GeneratedRegex("^(?![aA][wW][sS]:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}$")]
    private static partial Regex AwsValue();

    [GeneratedRegex("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}$")]
    private static partial Regex UnreservedValue();

    [GeneratedRegex("^(?![aA][wW][sS]:)[a-zA-Z0-9 _.:/=+\\-@]{1,128}$")]
    private static partial Regex ImageBuilderKey();

    [GeneratedRegex("^(?![aA][wW][sS]:)[a-zA-Z0-9 :_./=+\\-]{1,128}$")]
    private static partial Regex StackSetKey();

    [GeneratedRegex("^[\\s\\S]{0,256}$")]
    private static partial Regex AnyValue();

    [GeneratedRegex("^(?![aA][wW][sS]:)[\\s\\S]{1,128}$")]
    private static partial Regex AnyKey();

    [GeneratedRegex("^(?![aA][wW][sS]:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,256}$")]
    private static partial Regex StackValue();
}
