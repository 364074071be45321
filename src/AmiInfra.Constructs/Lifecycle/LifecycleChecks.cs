using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.CDK;

namespace AmiInfra.Constructs.Lifecycle;

/// <summary>The limits the lifecycle constructs check their props against, before any CDK call.</summary>
internal static partial class LifecycleChecks
{
    /// <summary>
    /// True when a string is an unresolved CDK token. Strings without the token marker are never
    /// tokens, so the common case costs no jsii call.
    /// </summary>
    public static bool IsToken(string value) =>
        value.Contains("${Token[", StringComparison.Ordinal) && Token.IsUnresolved(value);

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Quote(string value) => $"\"{value}\"";

    public static void Range(string where, int value, int min, int max, string unit)
    {
        if (value < min || value > max)
        {
            throw new ConstructValidationException(where, Text(value), $"a whole number from {min} to {max} {unit}");
        }
    }

    public static void Match(string where, string value, Regex shape, string accepted)
    {
        if (!IsToken(value) && !shape.IsMatch(value))
        {
            throw new ConstructValidationException(where, Quote(value), accepted);
        }
    }

    /// <summary>A region code such as us-east-1, eu-west-1, us-gov-west-1 or cn-north-1.</summary>
    [GeneratedRegex("^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]{1,2}$")]
    public static partial Regex Region();

    /// <summary>A 12-digit account id.</summary>
    public static Regex Account() => AwsShapes.AccountId();

    /// <summary>
    /// A tag key Image Builder lifecycle policies accept (resource selection and exclusions): the
    /// common part of the documented patterns, which are narrower than EC2's.
    /// </summary>
    [GeneratedRegex("^(?!aws:)[a-zA-Z0-9_.:/=+\\-]{1,128}$")]
    public static partial Regex ImageBuilderTagKey();

    /// <summary>A tag value as EC2 and Image Builder accept it.</summary>
    [GeneratedRegex("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}$")]
    public static partial Regex TagValue();

    /// <summary>A tag key as EC2 and the Recycle Bin accept it.</summary>
    [GeneratedRegex("^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}$")]
    public static partial Regex TagKey();

    public const string ImageBuilderTagKeyAccepted =
        "a tag key of 1 to 128 characters: letters a-z and A-Z, digits and _ . : / = + - (what Image Builder lifecycle policies accept), not starting with aws:";

    public const string TagValueAccepted = "a tag value of up to 256 letters, digits, spaces and _ . : / = + - @";

    public const string TagKeyAccepted = "a tag key of 1 to 128 letters, digits, spaces and _ . : / = + - @, not starting with aws:";

    public static void Tags(string where, IReadOnlyDictionary<string, string> tags, Regex keyShape, string keyAccepted, int maxTags)
    {
        if (tags.Count > maxTags)
        {
            throw new ConstructValidationException(where, $"{tags.Count} tags", $"at most {maxTags} tags");
        }

        foreach (var (key, value) in tags)
        {
            Match($"{where}[{Quote(key)}]", key, keyShape, keyAccepted);
            Match($"{where}[{Quote(key)}]", value, TagValue(), TagValueAccepted);
        }
    }
}
