using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;

namespace SkyRay.Orchestration.Simulation.Traces;

/// <summary>
/// A CSV trace, read row by row from disk on every enumeration (a month of arrivals never sits in memory). The first line
/// that is not a comment (<c>#</c>) names the columns: <c>at</c> and <c>workload</c> are required, <c>duration</c>,
/// <c>name</c>, <c>replicas</c> (<c>8</c> or <c>gpu-workers=8;cpu=2</c>) and <c>demand</c> (<c>2h=8;5h=2</c>: replicas
/// for every worker group from that long after the arrival) are optional. Rows are in time order. Workloads are the
/// stack's (a CSV trace defines none).
/// </summary>
public sealed class CsvTrace : TraceSource
{
    private static readonly ImmutableArray<string> Columns = ["at", "demand", "duration", "name", "replicas", "workload"];

    private readonly string _path;
    private readonly string _source;
    private readonly Dictionary<string, int> _columns;
    private readonly int _headerLine;

    private CsvTrace(string path, string source, TraceHeader header, Dictionary<string, int> columns, int headerLine)
    {
        _path = path;
        _source = source;
        Header = header;
        _columns = columns;
        _headerLine = headerLine;
    }

    /// <inheritdoc />
    public override TraceHeader Header { get; }

    /// <summary>Opens a CSV trace: reads its column line (and its first row, for a trace written in absolute times).</summary>
    /// <param name="path">The file.</param>
    /// <param name="source">Its name in messages.</param>
    /// <param name="start">The start offsets count from (<c>--start</c>); null: the first row's time when rows give times,
    /// else <see cref="TraceHeader.DefaultStart"/>.</param>
    /// <param name="bag">Where problems go.</param>
    /// <returns>The trace, or null when its columns cannot be used.</returns>
    public static CsvTrace? Open(string path, string source, DateTimeOffset? start, DiagnosticBag bag)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(bag);
        Dictionary<string, int>? columns = null;
        var headerLine = 0;
        DateTimeOffset? firstTime = null;
        var line = 0;
        using (var reader = File.OpenText(path))
        {
            while (reader.ReadLine() is { } text)
            {
                line++;
                if (IsBlankOrComment(text))
                {
                    continue;
                }

                var cells = Split(text);
                if (columns is null)
                {
                    columns = ReadColumns(cells, $"{source}:{line}", bag);
                    headerLine = line;
                    continue;
                }

                if (cells.Count > columns["at"] && TraceValues.TryParseTime(cells[columns["at"]], out var time))
                {
                    firstTime = time;
                }

                break;
            }
        }

        if (columns is null)
        {
            bag.Error(source, "the file has no column line", "start it with: at,workload,duration");
            return null;
        }

        if (bag.HasErrors)
        {
            return null;
        }

        var header = new TraceHeader(
            Path.GetFileNameWithoutExtension(source),
            start ?? firstTime ?? TraceHeader.DefaultStart,
            null,
            null,
            ImmutableSortedDictionary.Create<string, TimeSpan>(StringComparer.Ordinal),
            new System.Text.Json.Nodes.JsonObject(),
            $"{source}:workloads");
        return new CsvTrace(path, source, header, columns, headerLine);
    }

    /// <inheritdoc />
    public override IEnumerable<TraceArrival> Arrivals(DiagnosticBag problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        using var reader = File.OpenText(_path);
        var line = 0;
        var number = 0;
        var last = TimeSpan.Zero;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (line <= _headerLine || IsBlankOrComment(text))
            {
                continue;
            }

            var arrival = ReadRow(Split(text), $"{_source}:{line}", number + 1, problems);
            if (arrival is null)
            {
                continue;
            }

            if (arrival.At < last)
            {
                problems.Error(arrival.Path, $"arrives at {TraceValues.Format(arrival.At)}, before the row above it ({TraceValues.Format(last)})", "sort the rows by their 'at' column");
                continue;
            }

            last = arrival.At;
            number++;
            yield return arrival;
        }
    }

    private TraceArrival? ReadRow(List<string> cells, string path, int number, DiagnosticBag bag)
    {
        string? Cell(string column) =>
            _columns.TryGetValue(column, out var i) && i < cells.Count && cells[i].Trim().Length > 0 ? cells[i].Trim() : null;

        var errors = bag.Items.Count;
        TimeSpan? at = null;
        if (Cell("at") is not { } atText)
        {
            bag.Error($"{path}.at", "no arrival time", "e.g. 9h30m (from the start) or 2026-01-05T09:30:00Z");
        }
        else if (TraceValues.TryParseTime(atText, out var time))
        {
            at = time - Header.Start;
            if (at < TimeSpan.Zero)
            {
                bag.Error($"{path}.at", $"{atText} is before the trace start {Header.Start:O}", "give --start at or before the first arrival");
                at = null;
            }
        }
        else if (TraceValues.TryParseDuration(atText, allowZero: true, out var offset, out var problem))
        {
            at = offset;
        }
        else
        {
            bag.Error($"{path}.at", problem!, "a duration from the start (9h30m) or an ISO 8601 time");
        }

        var workload = Cell("workload");
        if (workload is null)
        {
            bag.Error($"{path}.workload", "no workload", "name a workload of the stack");
        }

        TimeSpan? duration = null;
        if (Cell("duration") is { } durationText)
        {
            if (TraceValues.TryParseDuration(durationText, allowZero: false, out var d, out var problem))
            {
                duration = d;
            }
            else
            {
                bag.Error($"{path}.duration", problem!, "e.g. 2h30m");
            }
        }

        var demand = ImmutableArray.CreateBuilder<DemandStep>();
        if (Cell("replicas") is { } replicasText)
        {
            if (TraceValues.TryParseReplicas(replicasText, out var all, out var groups, out var problem))
            {
                demand.Add(new DemandStep(TimeSpan.Zero, all, groups));
            }
            else
            {
                bag.Error($"{path}.replicas", problem!, "e.g. 8, or gpu-workers=8;cpu-workers=2");
            }
        }

        if (Cell("demand") is { } demandText)
        {
            foreach (var step in demandText.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = step.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0
                    && TraceValues.TryParseDuration(step[..eq], allowZero: true, out var after, out _)
                    && int.TryParse(step[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var replicas)
                    && replicas <= TraceValues.MaxReplicas)
                {
                    demand.Add(new DemandStep(after, replicas, ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal)));
                }
                else
                {
                    bag.Error($"{path}.demand", $"'{KubernetesNames.Shorten(step)}' is not AFTER=REPLICAS", "e.g. 2h=8;5h=2 (8 replicas from 2h after the arrival, 2 from 5h)");
                }
            }
        }

        if (bag.Items.Count > errors || at is null || workload is null)
        {
            return null;
        }

        return new TraceArrival(number, workload, Cell("name"), at.Value, duration, [.. demand.OrderBy(s => s.After)], path);
    }

    private static Dictionary<string, int> ReadColumns(List<string> cells, string path, DiagnosticBag bag)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < cells.Count; i++)
        {
            var name = cells[i].Trim();
            if (!Columns.Contains(name, StringComparer.Ordinal))
            {
                bag.Error($"{path}.{KubernetesNames.Shorten(name)}", $"unknown column '{KubernetesNames.Shorten(name)}'", Suggestions.Hint(name, [.. Columns], "columns"));
            }
            else if (!columns.TryAdd(name, i))
            {
                bag.Error($"{path}.{name}", $"column '{name}' appears twice", "keep one");
            }
        }

        foreach (var required in new[] { "at", "workload" })
        {
            if (!columns.ContainsKey(required))
            {
                bag.Error(path, $"no '{required}' column", "the column line needs at least: at,workload");
            }
        }

        return columns;
    }

    private static bool IsBlankOrComment(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        return trimmed.IsEmpty || trimmed[0] == '#';
    }

    /// <summary>Splits one CSV line (RFC 4180 quoting: <c>"a,b"</c>, <c>""</c> for a quote).</summary>
    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }
}
