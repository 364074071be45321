using AmiInfra.Rules.Workflows;

namespace AmiInfra.Rules.Tests.Workflows;

/// <summary>Small workflow documents for focused tests.</summary>
internal static class Flow
{
    /// <summary>A document with the given steps (YAML list items, unindented) and preamble (top-level YAML).</summary>
    public static string Of(string steps, string preamble = "") =>
        $"schemaVersion: 1.0\n{preamble}steps:\n{Indent(steps, 2)}";

    public static WorkflowDocument Accepted(string text, WorkflowStage? stage = WorkflowStage.Build)
    {
        var reading = WorkflowDocuments.Read(text, stage);
        Assert.True(reading.Problem is null, reading.Problem?.Describe() + "\n" + text);
        return reading.Document!;
    }

    public static Problem Refused(string text, WorkflowStage? stage = WorkflowStage.Build)
    {
        var reading = WorkflowDocuments.Read(text, stage);
        Assert.True(reading.Problem is not null, "accepted:\n" + text);
        return reading.Problem;
    }

    public static string Indent(string text, int spaces) =>
        string.Join('\n', text.Trim('\n').Split('\n').Select(l => l.Length == 0 ? l : new string(' ', spaces) + l)) + "\n";
}
