using System.Globalization;
using Amazon.EC2.Model;
using AmiInfra.Ops.Output;
using AmiInfra.Rules;

namespace AmiInfra.Ops.Release;

/// <summary>What a copy's verification tags say.</summary>
public enum Verification
{
    /// <summary>No verification result is recorded (or an unknown value: it counts as not verified).</summary>
    Unverified,

    /// <summary><c>amiinfra:verification</c> is <c>passed</c>.</summary>
    Passed,

    /// <summary><c>amiinfra:verification</c> is <c>failed</c>.</summary>
    Failed,
}

/// <summary>One copy of an image's version in a region: an AMI of the factory account, with its verification tags.</summary>
/// <param name="Region">The region.</param>
/// <param name="ImageId">The AMI.</param>
/// <param name="Version">Its recipe version (<c>amiinfra:recipe-version</c>), or "unknown".</param>
/// <param name="Built">When it was created.</param>
/// <param name="State">available, disabled, pending, ...</param>
/// <param name="Verification">What its verification recorded.</param>
/// <param name="VerifiedAt">When (<c>amiinfra:verified-at</c>).</param>
/// <param name="Execution">The execution that recorded it (<c>amiinfra:verification-execution</c>).</param>
/// <param name="Reason">Why it failed (<c>amiinfra:verification-reason</c>).</param>
/// <param name="Protected">Whether deregistration protection is on.</param>
public sealed record ReleaseCopy(
    string Region,
    string ImageId,
    string Version,
    DateTimeOffset? Built,
    string State,
    Verification Verification,
    DateTimeOffset? VerifiedAt,
    string? Execution,
    string? Reason,
    bool Protected)
{
    /// <summary>The version of an AMI without an <c>amiinfra:recipe-version</c> tag.</summary>
    public const string UnknownVersion = "unknown";

    /// <summary>True when the copy can be launched (state available).</summary>
    public bool Available => State == "available";

    /// <summary>The verification in a word: passed, failed, unverified.</summary>
    public string VerificationText => Verification.ToString().ToLowerInvariant();

    /// <summary>Reads a copy from DescribeImages.</summary>
    public static ReleaseCopy From(string region, Image image)
    {
        var tags = (image.Tags ?? []).GroupBy(t => t.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Value ?? "", StringComparer.Ordinal);
        return new ReleaseCopy(
            region,
            image.ImageId,
            tags.GetValueOrDefault(AmiTagKeys.RecipeVersion) is { Length: > 0 } version ? version : UnknownVersion,
            Formats.ParseTime(image.CreationDate),
            image.State?.Value ?? "unknown",
            VerificationOf(tags.GetValueOrDefault(AmiTagKeys.VerificationResult)),
            Formats.ParseTime(tags.GetValueOrDefault(AmiTagKeys.VerifiedAt)),
            tags.GetValueOrDefault(AmiTagKeys.VerificationExecution),
            tags.GetValueOrDefault(AmiTagKeys.VerificationReason),
            IsProtected(image.DeregistrationProtection));
    }

    /// <summary>The verification a tag value stands for: only "passed" passes.</summary>
    public static Verification VerificationOf(string? value) => value switch
    {
        "passed" => Verification.Passed,
        "failed" => Verification.Failed,
        _ => Verification.Unverified,
    };

    /// <summary>
    /// Whether DescribeImages' deregistrationProtection says the AMI cannot be deregistered: a value starting with
    /// "enabled" (with or without the 24-hour cooldown), or a "disabled-until" one (the cooldown after protection was
    /// turned off). The API reference's Image types it as a string without listing the values
    /// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html); the user guide describes the cooldown
    /// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ami-deregistration-protection.html).
    /// </summary>
    public static bool IsProtected(string? value) =>
        value is not null && (value.StartsWith("enabled", StringComparison.Ordinal) || value.StartsWith("disabled-until", StringComparison.Ordinal));
}

/// <summary>Orders recipe versions: numerically part by part (1.0.10 after 1.0.9), text parts by ordinal.</summary>
public sealed class ReleaseVersionComparer : IComparer<string>
{
    /// <summary>The comparer.</summary>
    public static readonly ReleaseVersionComparer Instance = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        var a = (x ?? "").Split('.', '/');
        var b = (y ?? "").Split('.', '/');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            if (i >= a.Length)
            {
                return -1;
            }

            if (i >= b.Length)
            {
                return 1;
            }

            var bothNumbers = long.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var m) & long.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n);
            var order = bothNumbers ? m.CompareTo(n) : string.CompareOrdinal(a[i], b[i]);
            if (order != 0)
            {
                return order;
            }
        }

        return 0;
    }
}
