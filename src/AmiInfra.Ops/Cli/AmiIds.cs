using AmiInfra.Ops.Core;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Cli;

/// <summary>
/// The one place where the ops tool checks AMI ids, with the rule the declaration uses
/// (<see cref="Identifiers.AmiId"/>), so every command answers a malformed id alike.
/// </summary>
public static class AmiIds
{
    /// <summary>What an AMI id looks like, for messages.</summary>
    public const string Expected = "an AMI id: ami- followed by 8 or 17 hexadecimal digits, such as ami-0123456789abcdef0";

    /// <summary>True when <paramref name="value"/> has the shape of an AMI id.</summary>
    public static bool IsValid(string value) => Identifiers.AmiId.IsMatch(value);

    /// <summary>Checks every id of an argument and returns them without duplicates, in order; a malformed one is a usage error.</summary>
    public static IReadOnlyList<string> Validate(IEnumerable<string>? values, string argument = "ami-id")
    {
        var ids = (values ?? []).ToList();
        var bad = ids.FirstOrDefault(v => !IsValid(v));
        return bad is not null
            ? throw new OpsException(ExitCodes.Usage, $"argument {argument}: got '{bad}'; expected {Expected}")
            : ids.Distinct(StringComparer.Ordinal).ToList();
    }
}
