namespace AmiInfra.Declaration;

/// <summary>
/// A declaration the factory cannot be built from. The message names the field (as a path such as
/// <c>images[2].distribution.regions[1]</c>), the value received and what would be accepted.
/// </summary>
public sealed class DeclarationException : Exception
{
    /// <summary>Creates the exception from its three parts.</summary>
    public DeclarationException(string path, string? value, string accepted)
        : base(Format(path, value, accepted))
    {
        Path = path;
        Value = value;
        Accepted = accepted;
    }

    /// <summary>The field, as a path from the top of the declaration (or a file name).</summary>
    public string Path { get; }

    /// <summary>The value received, rendered for a person; null when the field was missing.</summary>
    public string? Value { get; }

    /// <summary>What would have been accepted.</summary>
    public string Accepted { get; }

    private static string Format(string path, string? value, string accepted) =>
        value is null ? $"{path}: missing; expected {accepted}" : $"{path}: got {value}; expected {accepted}";
}
