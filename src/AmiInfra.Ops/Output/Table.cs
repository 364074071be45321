namespace AmiInfra.Ops.Output;

/// <summary>A plain-text table with aligned columns.</summary>
public sealed class Table
{
    private readonly string[] headers;
    private readonly List<string[]> rows = [];

    /// <summary>Creates a table with these column headers.</summary>
    public Table(params string[] headers)
    {
        this.headers = headers;
    }

    /// <summary>Number of rows added.</summary>
    public int Count => rows.Count;

    /// <summary>Adds a row (one cell per header; null prints as "-").</summary>
    public void Add(params string?[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"expected {headers.Length} cells, got {cells.Length}", nameof(cells));
        }

        rows.Add(cells.Select(c => string.IsNullOrEmpty(c) ? "-" : c).ToArray());
    }

    /// <summary>Writes the table; an empty table writes <paramref name="whenEmpty"/> instead.</summary>
    public void Write(TextWriter output, string whenEmpty)
    {
        if (rows.Count == 0)
        {
            output.WriteLine(whenEmpty);
            return;
        }

        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Line(headers, widths));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
