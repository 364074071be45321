using AmiInfra.Rules;

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

    /// <summary>
    /// The exception for a <paramref name="problem"/> a rule found in the value at <paramref name="path"/>:
    /// the problem's list index and part are added to the path (<c>regions[2]</c>, <c>rootVolume.iops</c>).
    /// </summary>
    public DeclarationException(string path, Problem problem)
        : this(At(path, problem), problem.Value, problem.AcceptedAt(path))
    {
    }

    /// <summary>The path of the value a problem is about: the checked value's path, its index and part.</summary>
    public static string At(string path, Problem problem)
    {
        var at = problem.Index is { } index ? $"{path}[{index}]" : path;
        return problem.Part is { } part ? (at.Length == 0 ? part : $"{at}.{part}") : at;
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
