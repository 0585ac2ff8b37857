using Spectre.Console;

namespace SkyRay.Cli;

/// <summary>
/// A table of plain-text cells, written the way Spectre.Console writes its default table (square border, one space of
/// padding each side, headers then a rule then the rows) but straight to the console's writer when every row fits the
/// console's width on one line. Spectre measures each character of each cell through its Unicode width tables and lays
/// the whole table out before writing a line: for a 20,000-workload plan that was seconds of a run, and a user's
/// <c>skyray plan</c> or <c>validate</c> waited on it. A table that is wider than the console, has no rows, or has a
/// cell with a line break or another control character goes through Spectre, which wraps it; so does one with a
/// character Spectre counts as zero cells wide.
/// </summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    /// <summary>Starts a table with these column headers (plain words: no Spectre markup).</summary>
    /// <param name="headers">The column headers.</param>
    public TextTable(params string[] headers)
    {
        if (headers.Length == 0 || headers.Any(h => h.AsSpan().IndexOfAny('[', ']') >= 0))
        {
            throw new ArgumentException("a table needs at least one header, written without Spectre markup brackets", nameof(headers));
        }

        _headers = headers;
    }

    /// <summary>Adds a row (as many cells as headers; the text is shown as it is).</summary>
    /// <param name="cells">The cells.</param>
    /// <returns>This table.</returns>
    public TextTable AddRow(params string[] cells)
    {
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"a row of {cells.Length} cell(s) in a table of {_headers.Length} column(s)", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    /// <summary>Writes the table to the console.</summary>
    /// <param name="console">Where to write.</param>
    public void Write(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (!TryWriteDirect(console.Profile.Out.Writer, console.Profile.Width))
        {
            console.Write(ToSpectre());
        }
    }

    /// <summary>The same table as a Spectre.Console table.</summary>
    /// <returns>The table.</returns>
    public Table ToSpectre()
    {
        var table = new Table().AddColumns(_headers);
        foreach (var row in _rows)
        {
            table.AddRow(TableText.Cells(row));
        }

        return table;
    }

    /// <summary>
    /// Writes the table line by line when it can be laid out without Spectre (see the type's summary); returns false,
    /// having written nothing, when it cannot.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="width">The console's width in cells.</param>
    /// <returns>Whether the table was written.</returns>
    internal bool TryWriteDirect(TextWriter writer, int width)
    {
        if (_rows.Count == 0)
        {
            return false;
        }

        var widths = new int[_headers.Length];
        if (!Measure(_headers, widths))
        {
            return false;
        }

        foreach (var row in _rows)
        {
            if (!Measure(row, widths))
            {
                return false;
            }
        }

        // Borders: one per column plus the closing one; padding: a space each side of every cell.
        var total = widths.Sum() + (3 * widths.Length) + 1;
        if (total > width)
        {
            return false;
        }

        // Each line ends with the writer's own line break, like the command's other lines.
        var line = new System.Text.StringBuilder(total * 4);
        Rule(line, widths, '┌', '┬', '┐');
        writer.WriteLine(line);
        Row(line, _headers, widths);
        writer.WriteLine(line);
        Rule(line, widths, '├', '┼', '┤');
        writer.WriteLine(line);
        foreach (var row in _rows)
        {
            Row(line, row, widths);
            writer.WriteLine(line);
        }

        Rule(line, widths, '└', '┴', '┘');
        writer.WriteLine(line);
        return true;
    }

    private static bool Measure(string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            var width = CellWidth(cells[i]);
            if (width < 0)
            {
                return false;
            }

            widths[i] = Math.Max(widths[i], width);
        }

        return true;
    }

    /// <summary>How many console cells the text takes, as Spectre counts them; -1 when Spectre would not lay it out on one line.</summary>
    internal static int CellWidth(string text)
    {
        var ascii = true;
        foreach (var c in text)
        {
            if (c < ' ' || c == '\u007f')
            {
                return -1;
            }

            ascii &= c < '\u007f';
        }

        if (ascii)
        {
            return text.Length;
        }

        // Outside ASCII ask Spectre itself (wide East Asian characters take two cells); a character it counts as zero
        // cells wide (combining marks, zero-width joiners) is left to its layout.
        var cells = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            var one = rune.IsAscii ? 1 : new Spectre.Console.Rendering.Segment(rune.ToString()).CellCount();
            if (one <= 0 || System.Text.Rune.IsControl(rune))
            {
                return -1;
            }

            cells += one;
        }

        return cells;
    }

    private static void Rule(System.Text.StringBuilder line, int[] widths, char left, char middle, char right)
    {
        line.Clear().Append(left);
        for (var i = 0; i < widths.Length; i++)
        {
            line.Append('─', widths[i] + 2).Append(i == widths.Length - 1 ? right : middle);
        }
    }

    private static void Row(System.Text.StringBuilder line, string[] cells, int[] widths)
    {
        line.Clear().Append('│');
        for (var i = 0; i < cells.Length; i++)
        {
            var text = cells[i];
            line.Append(' ').Append(text).Append(' ', widths[i] - CellWidth(text) + 1).Append('│');
        }
    }
}
