using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

/// <summary>Tag keys AmiInfra puts on what it makes; the ops tool finds AMIs by them.</summary>
public static class AmiTagKeys
{
    /// <summary>The prefix of every AmiInfra tag key; declared tags may not use it.</summary>
    public const string Prefix = "amiinfra:";

    /// <summary>The factory name: on every stack, resource and AMI of the factory.</summary>
    public const string Factory = "amiinfra:factory";

    /// <summary>The image name: on each image's resources and AMIs.</summary>
    public const string Image = "amiinfra:image";

    /// <summary>The recipe version that built the AMI.</summary>
    public const string RecipeVersion = "amiinfra:recipe-version";

    /// <summary>The tags AmiInfra sets on every AMI, which nothing else may set.</summary>
    public static readonly IReadOnlyList<string> OnEveryAmi = [Factory, Image, RecipeVersion];

    /// <summary>
    /// On the AMIs within the deprecate step's retention window (the newest K available AMIs of the image in
    /// their region and account): the step's lifecycle policy detail excludes AMIs carrying it.
    /// </summary>
    public const string RetainDeprecate = "amiinfra:retain-deprecate";

    /// <summary>On the AMIs within the disable step's retention window.</summary>
    public const string RetainDisable = "amiinfra:retain-disable";

    /// <summary>On the AMIs within the delete step's retention window.</summary>
    public const string RetainDelete = "amiinfra:retain-delete";

    /// <summary>The value of a retention tag.</summary>
    public const string RetainValue = "true";

    /// <summary>The retention tag of a step (deprecate, disable or delete, as <see cref="Lifecycles.StepNames"/>).</summary>
    public static string Retain(string step) => step switch
    {
        "deprecate" => RetainDeprecate,
        "disable" => RetainDisable,
        "delete" => RetainDelete,
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "expected deprecate, disable or delete"),
    };
}

/// <summary>What one service accepts as tags on a kind of resource.</summary>
/// <param name="Where">The resources, in words (e.g. "Image Builder resources").</param>
/// <param name="Key">What a key must look like.</param>
/// <param name="KeyAccepted">The key rule in words.</param>
/// <param name="Value">What a value must look like.</param>
/// <param name="ValueAccepted">The value rule in words.</param>
/// <param name="MaxTags">Most tags on one resource.</param>
public sealed record TagRule(string Where, Regex Key, string KeyAccepted, Regex Value, string ValueAccepted, int MaxTags)
{
    /// <summary>The part a problem names when a key is wrong.</summary>
    public const string KeyPart = "key";

    /// <summary>
    /// The number of tags a resource ends up with, where tags from several places are merged
    /// (<paramref name="sources"/> says which, for the message).
    /// </summary>
    public Problem? Total(int count, string sources) =>
        count <= MaxTags ? null : new Problem($"{count} tags in all ({sources})", $"at most {MaxTags} tags on {Where}");

    /// <summary>
    /// Every key and value, and the count. A problem names the key it is about in <see cref="Problem.Part"/>
    /// ("key" when the key itself is wrong, the key when its value is).
    /// </summary>
    public Problem? Check(IReadOnlyDictionary<string, string> tags, Func<string, bool>? skip = null)
    {
        if (tags.Count > MaxTags)
        {
            return new Problem($"{tags.Count} tags", $"at most {MaxTags} tags on {Where}");
        }

        foreach (var (key, value) in tags)
        {
            if (skip?.Invoke(key) == true)
            {
                continue;
            }

            if (!Key.IsMatch(key))
            {
                return new Problem($"the tag key {Text.Quote(key)}", KeyAccepted) { Part = key };
            }

            if (skip?.Invoke(value) != true && !Value.IsMatch(value))
            {
                return new Problem(Text.Quote(value), ValueAccepted) { Part = key };
            }
        }

        return null;
    }
}

/// <summary>
/// The tag rules of each place a factory's tags end up. A declared tag must satisfy every rule of
/// every place it lands: the factory's tags go on stacks (and every resource CloudFormation tags),
/// on Image Builder resources and on AMIs.
/// </summary>
public static partial class TagRules
{
    /// <summary>
    /// EC2 resources (AMIs, snapshots) and most services (CloudFormation, KMS, S3, SNS, IAM):
    /// keys of 1 to 128 and values of up to 256 Unicode letters, digits, spaces and _ . : / = + - @,
    /// keys not starting with aws:. Source: "Tag your Amazon EC2 resources"
    /// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html) and "Tagging best practices".
    /// </summary>
    public static readonly TagRule Aws = new(
        "AWS resources",
        AwsKey(),
        "a tag key of 1 to 128 letters, digits, spaces and _ . : / = + - @, not starting with aws:",
        AwsValue(),
        "a tag value of up to 256 letters, digits, spaces and _ . : / = + - @",
        50);

    /// <summary>
    /// EC2 resources (AMIs, snapshots, launch templates): "EC2 allows for any character in its tags" ("Tag
    /// your Amazon EC2 resources", tag restrictions): keys of 1 to 128 characters not starting with aws:,
    /// values of up to 256. (The EC2 API reference's Tag says 127 for a key; the user guide's 128 is followed.)
    /// </summary>
    public static readonly TagRule Ec2 = new(
        "EC2 resources (AMIs and snapshots)",
        AnyKey(),
        "a tag key of 1 to 128 characters, not starting with aws:",
        AnyValue(),
        "a tag value of up to 256 characters",
        50);

    /// <summary>
    /// Image Builder's tag maps: the tags of its resources, the AMI tags of a distribution, and the
    /// tags of a lifecycle policy's selection and exclusions. Source: Image Builder API reference,
    /// TagMap in AmiDistributionConfiguration.amiTags (current edition): key
    /// <c>^(?!aws:)[a-zA-Z0-9\s_.:/=+\-@]*$</c>, 1 to 128 characters; value up to 256 characters.
    /// ASCII only: a key such as "Kostenstelle-Büro" passes CloudFormation and fails in Image Builder.
    /// (An earlier edition's pattern, [a-zA-Z+-=._:/], took no spaces and no @; the current one is followed.)
    /// </summary>
    public static readonly TagRule ImageBuilder = new(
        "Image Builder resources and the AMIs they distribute",
        ImageBuilderKey(),
        "a tag key of 1 to 128 characters: ASCII letters, digits, spaces and _ . : / = + - @, not starting with aws: (Image Builder's rule: no letters outside A-Z)",
        AnyValue(),
        "a tag value of up to 256 characters",
        50);

    /// <summary>Image Builder lifecycle policies: a selection's or an exclusion rule's tags (the same TagMap).</summary>
    public static readonly TagRule Lifecycle = ImageBuilder with { Where = "a lifecycle policy's selection or exclusion" };

    /// <summary>
    /// CloudFormation stack tags (the factory's tags are on every stack): a value of 1 to 256
    /// characters (CloudFormation API reference, Tag: the value is at least 1 character).
    /// </summary>
    public static readonly TagRule Stack = Aws with { Where = "CloudFormation stacks", Value = StackValue(), ValueAccepted = "a tag value of 1 to 256 letters, digits, spaces and _ . : / = + - @ (CloudFormation stack tags cannot be empty)" };

    /// <summary>
    /// A StackSet's tags (AWS::CloudFormation::StackSet Tags, which carry the factory's tags when it
    /// deploys to target accounts): key <c>^(?!aws:.*)[a-zA-Z0-9\s\:\_\.\/\=\+\-]+$</c> and a value of 1 to 256 characters.
    /// </summary>
    public static readonly TagRule StackSet = new(
        "a CloudFormation StackSet",
        StackSetKey(),
        "a tag key of 1 to 128 characters: ASCII letters, digits, spaces and _ . : / = + -, not starting with aws: (CloudFormation StackSets take no @ and no letters outside A-Z)",
        StackValue(),
        "a tag value of 1 to 256 characters",
        50);

    /// <summary>The Recycle Bin's resource tags, which select what a retention rule keeps.</summary>
    public static readonly TagRule RecycleBin = Aws with { Where = "a Recycle Bin rule" };

    [GeneratedRegex("^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}$")]
    private static partial Regex AwsKey();

    [GeneratedRegex("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}$")]
    private static partial Regex AwsValue();

    [GeneratedRegex("^(?!aws:)[a-zA-Z0-9 _.:/=+\\-@]{1,128}$")]
    private static partial Regex ImageBuilderKey();

    [GeneratedRegex("^(?!aws:)[a-zA-Z0-9 :_./=+\\-]{1,128}$")]
    private static partial Regex StackSetKey();

    [GeneratedRegex("^[\\s\\S]{0,256}$")]
    private static partial Regex AnyValue();

    [GeneratedRegex("^(?!aws:)[\\s\\S]{1,128}$")]
    private static partial Regex AnyKey();

    [GeneratedRegex("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,256}$")]
    private static partial Regex StackValue();
}
