using System.Text.RegularExpressions;
using Amazon.CDK;

namespace AmiInfra.Constructs;

/// <summary>Physical-name rules and pseudo parameters shared by the constructs.</summary>
internal static partial class Naming
{
    private static string? _partition;
    private static string? _region;
    private static string? _account;

    /// <summary>The AWS::Partition pseudo parameter (one jsii call, then cached).</summary>
    public static string Partition => _partition ??= Aws.PARTITION;

    /// <summary>The AWS::Region pseudo parameter.</summary>
    public static string Region => _region ??= Aws.REGION;

    /// <summary>The AWS::AccountId pseudo parameter.</summary>
    public static string Account => _account ??= Aws.ACCOUNT_ID;

    /// <summary>Image Builder resource names: 1 to 126 of letters, digits, '-', '_'.</summary>
    public static void CheckImageBuilderName(string name, string where)
    {
        if (!ImageBuilderName().IsMatch(name))
        {
            throw new ConstructValidationException(where, $"\"{name}\"", "1 to 126 characters: letters, digits, '-' and '_', starting with a letter or digit");
        }
    }

    /// <summary>As above; <paramref name="where"/> (e.g. a construct path, a jsii call) is only asked for on failure.</summary>
    public static void CheckImageBuilderName(string name, Func<string> where)
    {
        if (!ImageBuilderName().IsMatch(name))
        {
            CheckImageBuilderName(name, where());
        }
    }

    /// <summary>Whether a string holds a CDK token, told from its text alone (no jsii call).</summary>
    public static bool IsToken(string? text) => text is not null && text.Contains("${Token[", StringComparison.Ordinal);

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 3)] + "...";

    [GeneratedRegex("^[A-Za-z0-9][-_A-Za-z0-9]{0,125}$")]
    private static partial Regex ImageBuilderName();
}
