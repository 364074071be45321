using System.Text.RegularExpressions;

namespace AmiInfra.Rules;

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
