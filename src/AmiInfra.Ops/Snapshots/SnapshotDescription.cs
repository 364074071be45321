using System.Text.RegularExpressions;

namespace AmiInfra.Ops.Snapshots;

/// <summary>
/// Reads the AMI a snapshot was made for: the <see cref="ImageTagKey"/> tag <c>amiinfra deregister</c> puts on
/// every snapshot of an AMI before it deregisters it (so that a rerun after a failure finds them all, whatever their
/// description), else the description EC2 gives it: "Created by CreateImage(i-...) for ami-..." (CreateImage, and
/// so Image Builder builds) or "Copied for DestinationAmi ami-..." (CopyImage, and so Image Builder distributions).
/// </summary>
public static partial class SnapshotDescription
{
    /// <summary>The tag that records, on a snapshot, the AMI it belonged to when that AMI was deregistered.</summary>
    public const string ImageTagKey = "amiinfra:snapshot-of";

    /// <summary>The AMI a snapshot belongs (or belonged) to: its <see cref="ImageTagKey"/> tag, else its description; or null.</summary>
    public static string? ImageOf(Amazon.EC2.Model.Snapshot snapshot) =>
        snapshot.Tags?.FirstOrDefault(t => t.Key == ImageTagKey)?.Value is { Length: > 0 } tagged ? tagged : ImageId(snapshot.Description);

    /// <summary>The AMI the description names, or null when it names none.</summary>
    public static string? ImageId(string? description)
    {
        if (string.IsNullOrEmpty(description))
        {
            return null;
        }

        var match = CreatedByCreateImage().Match(description);
        if (match.Success)
        {
            return match.Groups["ami"].Value;
        }

        match = CopiedForDestinationAmi().Match(description);
        return match.Success ? match.Groups["ami"].Value : null;
    }

    [GeneratedRegex(@"Created by CreateImage\(i-[0-9a-f]+\) for (?<ami>ami-[0-9a-f]+)", RegexOptions.CultureInvariant)]
    private static partial Regex CreatedByCreateImage();

    [GeneratedRegex(@"Copied for DestinationAmi (?<ami>ami-[0-9a-f]+)", RegexOptions.CultureInvariant)]
    private static partial Regex CopiedForDestinationAmi();
}
