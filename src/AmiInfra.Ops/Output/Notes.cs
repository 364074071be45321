namespace AmiInfra.Ops.Output;

/// <summary>Prose under a table.</summary>
public static class Notes
{
    /// <summary>Writes a line of prose, wrapped to the width tables fit when <paramref name="output"/> is the run's table writer.</summary>
    public static void Note(this TextWriter output, string text)
    {
        if (output is TableWriter writer)
        {
            writer.Note(text);
        }
        else
        {
            output.WriteLine(text);
        }
    }
}
