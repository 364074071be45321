using System.Text;
using System.Text.RegularExpressions;

namespace AmiInfra.Ops.Output;

/// <summary>How tables are drawn: the width they must fit (null: as wide as their content) and whether to use colour.</summary>
/// <param name="MaxWidth">Columns the table must fit, or null for --wide.</param>
/// <param name="Colour">ANSI colour (only on a terminal, never with NO_COLOR).</param>
public sealed record TableStyle(int? MaxWidth, bool Colour)
{
    /// <summary>The width tables fit by default.</summary>
    public const int DefaultWidth = 120;

    /// <summary>No limit, no colour (what a plain TextWriter gets).</summary>
    public static readonly TableStyle Plain = new(null, false);
}

/// <summary>Standard output with the table style of the run.</summary>
public sealed class TableWriter(TextWriter inner, TableStyle style) : TextWriter
{
    /// <summary>The style tables written here use.</summary>
    public TableStyle Style { get; } = style;

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value) => inner.Write(value);

    /// <inheritdoc />
    public override void Write(string? value) => inner.Write(value);

    /// <inheritdoc />
    public override void WriteLine(string? value) => inner.WriteLine(value);

    /// <summary>Writes a line of prose under a table, wrapped at word boundaries to the width tables fit (as is with --wide).</summary>
    public void Note(string text)
    {
        foreach (var line in Formats.Wrap(text, Style.MaxWidth))
        {
            inner.WriteLine(line);
        }
    }
}

/// <summary>
/// A plain-text table with aligned columns. By default it fits 120 columns: long resource ids are
/// shortened in the middle (ami-0123…bcdef), then the widest column is cut with "…"; --wide shows
/// everything.
/// </summary>
public sealed partial class Table
{
    private const string Ellipsis = "…";
    private const int MinimumCut = 10;
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

        var style = output is TableWriter writer ? writer.Style : TableStyle.Plain;
        var cells = rows.Select(r => (string[])r.Clone()).ToList();
        var widths = Widths(cells);
        if (style.MaxWidth is { } max && Total(widths) > max)
        {
            cells = cells.Select(r => r.Select(ShortenId).ToArray()).ToList();
            widths = Widths(cells);
            var exhausted = new HashSet<int>();
            while (Total(widths) > max && exhausted.Count < widths.Length)
            {
                var widest = Enumerable.Range(0, widths.Length).Where(i => !exhausted.Contains(i)).MaxBy(i => widths[i]);
                var target = Math.Max(Math.Max(headers[widest].Length, MinimumCut), widths[widest] - (Total(widths) - max));
                exhausted.Add(widest);
                if (target >= widths[widest])
                {
                    continue;
                }

                foreach (var row in cells)
                {
                    row[widest] = row[widest].Length > target ? row[widest][..(target - 1)] + Ellipsis : row[widest];
                }

                widths = Widths(cells);
            }
        }

        output.WriteLine(Line(headers, widths, style.Colour ? "\u001b[1m" : null));
        foreach (var row in cells)
        {
            var failed = style.Colour && row.Any(c => c.StartsWith("failed", StringComparison.Ordinal) || c.StartsWith("refused", StringComparison.Ordinal));
            output.WriteLine(Line(row, widths, failed ? "\u001b[31m" : null));
        }
    }

    /// <summary>A long resource id shortened in the middle (ami-0123456789abcdef0 becomes ami-0123…bcdef0).</summary>
    public static string ShortenId(string cell) =>
        LongId().IsMatch(cell) ? cell[..(cell.IndexOf('-') + 5)] + Ellipsis + cell[^6..] : cell;

    private int[] Widths(List<string[]> cells) =>
        headers.Select((h, i) => Math.Max(h.Length, cells.Max(r => r[i].Length))).ToArray();

    private static int Total(int[] widths) => widths.Sum() + (2 * (widths.Length - 1));

    private static string Line(string[] cells, int[] widths, string? colour)
    {
        var text = string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
        return colour is null ? text : colour + text + "\u001b[0m";
    }

    [GeneratedRegex("^(?:ami|snap|i|lt|vol)-[0-9a-f]{17}$", RegexOptions.CultureInvariant)]
    private static partial Regex LongId();
}
