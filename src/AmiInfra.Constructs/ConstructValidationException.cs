namespace AmiInfra.Constructs;

/// <summary>
/// A construct was given props it cannot build a valid resource from. The message names the
/// construct and prop, the value received and what would be accepted.
/// </summary>
public sealed class ConstructValidationException : Exception
{
    /// <summary>Creates the exception from its parts.</summary>
    /// <param name="where">The construct (its id or path) and prop, e.g. "Recipe.BlockDevices[0].SizeGiB".</param>
    /// <param name="value">The value received, rendered for a person; null when missing.</param>
    /// <param name="accepted">What would be accepted.</param>
    public ConstructValidationException(string where, string? value, string accepted)
        : base(value is null ? $"{where}: missing; expected {accepted}" : $"{where}: got {value}; expected {accepted}")
    {
        Where = where;
        Value = value;
        Accepted = accepted;
    }

    /// <summary>The construct and prop.</summary>
    public string Where { get; }

    /// <summary>The value received.</summary>
    public string? Value { get; }

    /// <summary>What would be accepted.</summary>
    public string Accepted { get; }
}
