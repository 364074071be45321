namespace AmiInfra.Rules.Awstoe;

/// <summary>The operating systems AWSTOE runs a component on.</summary>
[Flags]
public enum ToePlatforms
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>Linux.</summary>
    Linux = 1,

    /// <summary>Windows.</summary>
    Windows = 2,

    /// <summary>Every platform.</summary>
    All = Linux | Windows,
}

/// <summary>How an action module takes its inputs.</summary>
public enum InputShape
{
    /// <summary>A mapping of input names to values.</summary>
    Object,

    /// <summary>A list of mappings, one operation each.</summary>
    List,

    /// <summary>A comparison or logical operator expression (Assert).</summary>
    Expression,
}

/// <summary>The type AWSTOE reads an input as.</summary>
public enum InputType
{
    /// <summary>Text; a plain YAML number or boolean is read as its text, as AWS's own examples write them.</summary>
    Text,

    /// <summary>A YAML boolean.</summary>
    Boolean,

    /// <summary>A YAML integer.</summary>
    Integer,

    /// <summary>A list of text values.</summary>
    TextList,

    /// <summary>A mapping of names to text values.</summary>
    TextMap,

    /// <summary>Text, a number or a list (SetRegistry's value).</summary>
    Any,

    /// <summary>A list of {name, value} mappings (ExecuteDocument's parameters).</summary>
    NameValueList,
}

/// <summary>One input of an action module.</summary>
/// <param name="Name">The input's name, as the document writes it.</param>
/// <param name="Type">What AWSTOE reads it as.</param>
/// <param name="Required">Whether the module needs it.</param>
/// <param name="Platforms">Where the input may be used (e.g. owner and permissions not on Windows).</param>
/// <param name="Values">The values it accepts, when the module names them; null for any.</param>
public sealed record ModuleInput(string Name, InputType Type, bool Required = false, ToePlatforms Platforms = ToePlatforms.All, IReadOnlyList<string>? Values = null);

/// <summary>An AWSTOE action module.</summary>
/// <param name="Name">The action name, exactly as a step's <c>action</c> writes it.</param>
/// <param name="Platforms">The platforms it runs on.</param>
/// <param name="Shape">How it takes its inputs.</param>
/// <param name="Inputs">Its inputs (for a list module, those of each item).</param>
/// <param name="Outputs">What a later step can chain to (<c>{{ phase.step.outputs.name }}</c>).</param>
/// <param name="InputsOptional">Whether a step may leave out <c>inputs</c> (every input is optional).</param>
/// <param name="OneOf">Inputs of which exactly one must be given (ExecutePowerShell: commands or file).</param>
public sealed record ActionModule(
    string Name, ToePlatforms Platforms, InputShape Shape, IReadOnlyList<ModuleInput> Inputs, IReadOnlyList<string> Outputs, bool InputsOptional = false, IReadOnlyList<string>? OneOf = null);

/// <summary>
/// The AWSTOE action modules and their inputs. Source: "Action modules supported by AWSTOE"
/// (https://docs.aws.amazon.com/imagebuilder/latest/userguide/toe-action-modules.html), and the
/// Assert module on the same page. Which modules run on which platform: the same page ("This module
/// supports Linux", "applies only to Windows", "Not supported on Windows") and "Get started with
/// AWSTOE": AWSTOE validates a document for the operating system it runs on, so a Linux-only module
/// fails a Windows component.
/// </summary>
public static class ActionModules
{
    private static readonly string[] Encodings =
    [
        "utf8", "utf-8", "utf16", "utf-16", "utf16-LE", "utf-16-LE", "utf16-BE", "utf-16-BE",
        "utf32", "utf-32", "utf32-LE", "utf-32-LE", "utf32-BE", "utf-32-BE",
    ];

    private static readonly ModuleInput Path = new("path", InputType.Text, Required: true);
    private static readonly ModuleInput Source = new("source", InputType.Text, Required: true);
    private static readonly ModuleInput Destination = new("destination", InputType.Text, Required: true);
    private static readonly ModuleInput Overwrite = new("overwrite", InputType.Boolean);
    private static readonly ModuleInput Encoding = new("encoding", InputType.Text, Values: Encodings);
    private static readonly ModuleInput ExpectedBucketOwner = new("expectedBucketOwner", InputType.Text);

    private static readonly ModuleInput[] MsiInputs =
    [
        Path,
        new("reboot", InputType.Text, Values: ["Allow", "Force", "Skip"]),
        new("logOptions", InputType.Text),
        new("logFile", InputType.Text),
        new("properties", InputType.TextMap),
        new("ignoreAuthenticodeSignatureErrors", InputType.Boolean),
        new("allowUnsignedInstaller", InputType.Boolean),
    ];

    private static readonly string[] Stdout = ["stdout"];

    /// <summary>Every action module, by name.</summary>
    public static readonly IReadOnlyDictionary<string, ActionModule> All = new[]
    {
        new ActionModule("Assert", ToePlatforms.All, InputShape.Expression, [], []),
        new ActionModule("ExecuteBash", ToePlatforms.Linux, InputShape.Object, [new("commands", InputType.TextList, Required: true)], Stdout),
        new ActionModule("ExecuteBinary", ToePlatforms.All, InputShape.Object, [Path, new("arguments", InputType.TextList)], Stdout),
        new ActionModule("ExecuteDocument", ToePlatforms.All, InputShape.Object,
            [new("document", InputType.Text, Required: true), new("document-s3-bucket-owner", InputType.Text), new("phases", InputType.Text), new("parameters", InputType.NameValueList)],
            ["executedStepCount", "executionId", "failedStepCount", "failureMessage", "ignoredFailedStepCount", "logUrl", "status"]),
        new ActionModule("ExecutePowerShell", ToePlatforms.Windows, InputShape.Object, [new("commands", InputType.TextList), new("file", InputType.Text)], Stdout, OneOf: ["commands", "file"]),
        new ActionModule("S3Download", ToePlatforms.All, InputShape.List, [Source, Destination, ExpectedBucketOwner, Overwrite], []),
        // S3Upload's recurse: the table types it String with default false, its example writes
        // recurse: true. Read as a boolean, which takes both the example's true and the quoted
        // strings "true" and "false" (see YamlValues.Boolean).
        new ActionModule("S3Upload", ToePlatforms.All, InputShape.List, [Source, Destination, new("recurse", InputType.Boolean), ExpectedBucketOwner], []),
        new ActionModule("WebDownload", ToePlatforms.All, InputShape.List,
            [Source, Destination, Overwrite, new("checksum", InputType.Text), new("algorithm", InputType.Text, Values: ["MD5", "SHA1", "SHA256", "SHA512"]), new("ignoreCertificateErrors", InputType.Boolean)],
            ["destination"]),
        new ActionModule("AppendFile", ToePlatforms.All, InputShape.List, [Path, new("content", InputType.Text), Encoding], []),
        new ActionModule("CopyFile", ToePlatforms.All, InputShape.List, [Source, Destination, Overwrite], []),
        new ActionModule("CopyFolder", ToePlatforms.All, InputShape.List, [Source, Destination, Overwrite], []),
        new ActionModule("CreateFile", ToePlatforms.All, InputShape.List,
            [Path, new("content", InputType.Text), Encoding, new("owner", InputType.Text, Platforms: ToePlatforms.Linux), new("group", InputType.Text, Platforms: ToePlatforms.Linux), new("permissions", InputType.Text, Platforms: ToePlatforms.Linux), Overwrite],
            []),
        new ActionModule("CreateFolder", ToePlatforms.All, InputShape.List,
            [Path, new("owner", InputType.Text, Platforms: ToePlatforms.Linux), new("group", InputType.Text, Platforms: ToePlatforms.Linux), new("permissions", InputType.Text, Platforms: ToePlatforms.Linux), Overwrite],
            []),
        new ActionModule("CreateSymlink", ToePlatforms.Linux, InputShape.List, [Path, new("target", InputType.Text, Required: true), new("force", InputType.Boolean)], []),
        new ActionModule("DeleteFile", ToePlatforms.All, InputShape.List, [Path], []),
        new ActionModule("DeleteFolder", ToePlatforms.All, InputShape.List, [Path, new("force", InputType.Boolean)], []),
        new ActionModule("ListFiles", ToePlatforms.All, InputShape.List, [Path, new("fileNamePattern", InputType.Text), new("recursive", InputType.Boolean)], ["files"]),
        new ActionModule("MoveFile", ToePlatforms.All, InputShape.List, [Source, Destination, Overwrite], []),
        new ActionModule("MoveFolder", ToePlatforms.All, InputShape.List, [Source, Destination, Overwrite], []),
        new ActionModule("ReadFile", ToePlatforms.All, InputShape.List, [Path, Encoding, new("printFileContent", InputType.Boolean)], ["content"]),
        new ActionModule("SetFileEncoding", ToePlatforms.All, InputShape.List, [Path, Encoding], []),
        new ActionModule("SetFileOwner", ToePlatforms.Linux, InputShape.List, [Path, new("owner", InputType.Text, Required: true), new("group", InputType.Text)], []),
        new ActionModule("SetFolderOwner", ToePlatforms.Linux, InputShape.List, [Path, new("owner", InputType.Text, Required: true), new("group", InputType.Text), new("recursive", InputType.Boolean)], []),
        new ActionModule("SetFilePermissions", ToePlatforms.Linux, InputShape.List, [Path, new("permissions", InputType.Text, Required: true)], []),
        new ActionModule("SetFolderPermissions", ToePlatforms.Linux, InputShape.List, [Path, new("permissions", InputType.Text, Required: true), new("recursive", InputType.Boolean)], []),
        new ActionModule("InstallMSI", ToePlatforms.Windows, InputShape.Object, MsiInputs, ["logFile", "msiExitCode", "stdout"]),
        new ActionModule("UninstallMSI", ToePlatforms.Windows, InputShape.Object, MsiInputs, ["logFile", "msiExitCode", "stdout"]),
        new ActionModule("Reboot", ToePlatforms.All, InputShape.Object, [new("delaySeconds", InputType.Integer)], [], InputsOptional: true),
        new ActionModule("SetRegistry", ToePlatforms.Windows, InputShape.List,
            [Path, new("name", InputType.Text, Required: true), new("value", InputType.Any, Required: true), new("type", InputType.Text, Required: true, Values: ["BINARY", "DWORD", "QWORD", "SZ", "EXPAND_SZ", "MULTI_SZ"])],
            []),
        new ActionModule("UpdateOS", ToePlatforms.All, InputShape.Object, [new("include", InputType.TextList), new("exclude", InputType.TextList)], [], InputsOptional: true),
    }.ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>The platforms in words: "Linux", "Windows", "Linux and Windows".</summary>
    public static string Describe(ToePlatforms platforms) => platforms switch
    {
        ToePlatforms.Linux => "Linux",
        ToePlatforms.Windows => "Windows",
        _ => "Linux and Windows",
    };
}
