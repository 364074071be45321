namespace AmiInfra.Ops.Output;

/// <summary>What a command prints: a table for people, or a JSON document.</summary>
public interface IReport
{
    /// <summary>The object serialized for <c>--output json</c>.</summary>
    object JsonDocument { get; }

    /// <summary>Writes the report for <c>--output table</c>.</summary>
    void WriteTable(TextWriter output);
}
