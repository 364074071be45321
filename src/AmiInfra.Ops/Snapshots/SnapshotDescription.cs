using System.Text.RegularExpressions;

namespace AmiInfra.Ops.Snapshots;

/// <summary>
/// Reads the AMI a snapshot was made for from the description EC2 gives it: "Created by
/// CreateImage(i-...) for ami-..." (CreateImage, and so Image Builder builds) or "Copied for
/// DestinationAmi ami-..." (CopyImage, and so Image Builder distributions).
/// </summary>
public static partial class SnapshotDescription
{
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
