using Constructs;

namespace AmiInfra.Constructs.Build;

/// <summary>
/// A document too long for Image Builder to take inline (a component's or a workflow's <c>data</c>), staged as a CDK
/// file asset whose file is named after the document's content: the asset (and the template) change exactly when the
/// document does, and the resource refers to it by S3 <c>uri</c>. Deploying needs the asset bucket of <c>cdk bootstrap</c>.
/// </summary>
internal static class DocumentAsset
{
    /// <summary>Stages <paramref name="text"/> as the asset "Document" of <paramref name="scope"/>; returns its s3:// URL.</summary>
    /// <param name="scope">The resource the document belongs to.</param>
    /// <param name="kind">What the documents are (components, workflows): the folder's name.</param>
    /// <param name="text">The document.</param>
    /// <param name="fingerprint">A fingerprint of the text (the file's name).</param>
    public static string Upload(Construct scope, string kind, string text, string fingerprint)
    {
        // A folder of this user's alone; the file is written whole under another name, then moved.
        var folder = Path.Combine(Path.GetTempPath(), $"amiinfra-{kind}-{System.Environment.UserName}");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var file = Path.Combine(folder, $"{fingerprint}.yml");
        if (!File.Exists(file))
        {
            var partial = $"{file}.{Guid.NewGuid():N}";
            File.WriteAllText(partial, text, new System.Text.UTF8Encoding(false));
            File.Move(partial, file, overwrite: true);
        }

        return new Amazon.CDK.AWS.S3.Assets.Asset(scope, "Document", new Amazon.CDK.AWS.S3.Assets.AssetProps { Path = file }).S3ObjectUrl;
    }
}
