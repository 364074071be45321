using Amazon.CDK;
using AmiInfra.Rules;

namespace AmiInfra.Constructs;

/// <summary>Physical-name rules and pseudo parameters shared by the constructs.</summary>
internal static class Naming
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

    /// <summary>An Image Builder resource name (tokens skipped); <paramref name="where"/> (e.g. a construct path, a jsii call) is only asked for on failure.</summary>
    public static void CheckImageBuilderName(string name, Func<string> where)
    {
        if (!Checks.IsToken(name) && PhysicalNames.ImageBuilderResource.Check(name) is { } problem)
        {
            throw Checks.Exception(where(), problem);
        }
    }

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 3)] + "...";
}
