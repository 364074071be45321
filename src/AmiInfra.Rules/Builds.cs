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

    /// <summary>An EC2 key pair name (CreateKeyPair.KeyName: up to 255 ASCII characters).</summary>
    public static readonly Shape KeyPairName = new(KeyPairNamePattern(), "the name of an EC2 key pair (1 to 255 characters)");

    [GeneratedRegex("^(?:/|[A-Za-z]:[/\\\\])")]
    private static partial Regex WorkingDirectoryPattern();

    [GeneratedRegex("^[\\x20-\\x7E]{1,255}$")]
    private static partial Regex KeyPairNamePattern();
}
