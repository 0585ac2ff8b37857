using Spectre.Console;

namespace SkyRay.Cli.Tests;

/// <summary>
/// <see cref="TextTable"/> writes tables itself when they fit the console: the expected text is Spectre.Console's own
/// rendering of the same table on a console of the same width (the look every command had before).
/// </summary>
public sealed class TextTableTests
{
    private const int Width = 160;

    private static string Spectre(TextTable table, int width = Width)
    {
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = width;
        console.Write(table.ToSpectre());
        return text.ToString();
    }

    private static (bool Direct, string Text) Direct(TextTable table, int width = Width)
    {
        var text = new StringWriter();
        var direct = table.TryWriteDirect(text, width);
        return (direct, text.ToString());
    }

    [Fact]
    public void A_plan_like_table_is_written_directly_and_reads_as_Spectre_writes_it()
    {
        var table = new TextTable("workload", "policy", "cluster", "workers", "node pools", "launch tier", "cost/h")
            .AddRow("w00000", "-", "gcp-116", "workers×4", "head→cpu, workers→cpu", "create cluster", "0.30")
            .AddRow("w00093", "split-first-two", "UNPLACED", "-", "-", "-", "-")
            .AddRow("w00007", "prefer-gcp", "azure-010", "gpu-workers×1", "gpu-workers→gpu, head→cpu, submitter→cpu", "create cluster", "3.82");

        var (direct, text) = Direct(table);

        Assert.True(direct);
        Assert.Equal(Spectre(table), text);
        // By hand: the first column is as wide as its widest cell ("workload", 8) plus a space each side.
        Assert.StartsWith("┌──────────┬", text, StringComparison.Ordinal);
        Assert.Contains("│ w00093   │ split-first-two │ UNPLACED  │", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_tables_read_the_same_as_Spectre_writes_them_whichever_way_they_go()
    {
        // Words with characters one cell wide, two cells wide (CJK, emoji), zero wide (a combining accent), markup
        // brackets, empty cells, and line breaks; widths around the console's so both sides of the fit are met.
        string[] words = ["a", "ab", "w00001", "aws-us-east-1", "×", "→", "héllo", "日本", "🙂", "[bold]x[/]", "", " ", new string('x', 40)];
        string[] rare = ["e\u0301", "two\nlines", "tab\there", new string('y', 75)];
        var random = new Random(20261205);
        var direct = 0;
        var throughSpectre = 0;
        for (var trial = 0; trial < 3000; trial++)
        {
            var columns = random.Next(1, 8);
            var table = new TextTable([.. Enumerable.Range(0, columns).Select(i => "col" + new string('h', random.Next(0, 12)) + i)]);
            var rows = random.Next(0, 6);
            for (var r = 0; r < rows; r++)
            {
                table.AddRow([.. Enumerable.Range(0, columns).Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(60) == 0 ? rare[random.Next(rare.Length)] : words[random.Next(words.Length)])))]);
            }

            var width = random.Next(40, 200);
            var (wrote, text) = Direct(table, width);
            if (wrote)
            {
                direct++;
                Assert.Equal(Spectre(table, width), text);
            }
            else
            {
                throughSpectre++;
                Assert.Equal(string.Empty, text);
            }
        }

        // Both paths are met often enough to mean something.
        Assert.True(direct > 500, $"{direct} tables written directly");
        Assert.True(throughSpectre > 500, $"{throughSpectre} tables left to Spectre");
    }

    [Theory]
    [InlineData(158, true)]
    [InlineData(159, true)]
    [InlineData(160, true)]
    [InlineData(161, false)]
    public void A_table_as_wide_as_the_console_is_written_directly_and_a_wider_one_is_left_to_Spectre(int tableWidth, bool direct)
    {
        // One column: its border and padding take 4 cells ("│ " + text + " │"), so the text is tableWidth - 4 long.
        var table = new TextTable("h").AddRow(new string('x', tableWidth - 4));

        var (wrote, text) = Direct(table);

        Assert.Equal(direct, wrote);
        if (wrote)
        {
            Assert.Equal(Spectre(table), text);
            Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Equal(tableWidth, line.Length));
        }
    }

    [Fact]
    public void Cells_with_line_breaks_and_tables_without_rows_are_left_to_Spectre()
    {
        Assert.False(Direct(new TextTable("a", "b").AddRow("x", "two\nlines")).Direct);
        Assert.False(Direct(new TextTable("a", "b")).Direct);
    }

    [Fact]
    public void Headers_with_markup_brackets_and_rows_of_the_wrong_length_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new TextTable("a [b]"));
        Assert.Throws<ArgumentException>(() => new TextTable("a", "b").AddRow("only one"));
    }
}
