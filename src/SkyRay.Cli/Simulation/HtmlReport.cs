using System.Globalization;
using System.Net;
using System.Text;
using SkyRay.Orchestration.Simulation;

namespace SkyRay.Cli.Simulation;

/// <summary>
/// <c>skyray simulate --trace FILE --html report.html</c>: one self-contained file (inline CSS and SVG, no script, no
/// network) with the comparison table, each result's cost-per-hour timeline, and the first result's cluster states over
/// time. Written as well-formed XHTML, so it also reads as XML.
/// </summary>
internal static class HtmlReport
{
    private const int Width = 800;
    private const int Height = 160;

    private static readonly Dictionary<ClusterPhase, string> Colors = new()
    {
        [ClusterPhase.Absent] = "#eeeeee",
        [ClusterPhase.Creating] = "#f4c542",
        [ClusterPhase.Active] = "#3b8e4f",
        [ClusterPhase.Idle] = "#9cc7a4",
        [ClusterPhase.Waking] = "#f4a742",
        [ClusterPhase.Standby] = "#8aa9d6",
        [ClusterPhase.Deleting] = "#d65f5f",
    };

    /// <summary>The report.</summary>
    /// <param name="results">The results, the stack's first.</param>
    /// <returns>The whole file.</returns>
    public static string Write(IReadOnlyList<SimulationResult> results)
    {
        var first = results[0];
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>");
        html.Append(CultureInfo.InvariantCulture, $"<title>skyray simulate: {E(first.Trace)}</title>");
        html.Append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}svg{border:1px solid #ddd;margin:4px 0}.legend span{display:inline-block;padding:2px 6px;margin-right:4px}</style></head><body>");
        html.Append(CultureInfo.InvariantCulture, $"<h1>Trace {E(first.Trace)}</h1><p>{first.Start:yyyy-MM-dd HH:mm} to {first.End:yyyy-MM-dd HH:mm} UTC, {first.Arrivals} arrival(s), a run every {first.Tick.TotalMinutes:0.#} min; catalog list prices in USD, approximate.</p>");

        html.Append("<h2>Comparison</h2><table id=\"comparison\"><tr><th>policy</th><th>cost $</th><th>$/h</th><th>wait p50 min</th><th>wait p95 min</th><th>wait max min</th><th>GPU-h used</th><th>GPU-h paid</th><th>started</th><th>unplaced</th></tr>");
        foreach (var r in results)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr data-label=\"{E(r.Label)}\"><td>{E(r.Label)}</td><td>{r.Usd:0.00}</td><td>{r.UsdPerHour:0.00}</td><td>{r.Waits.P50:0.##}</td><td>{r.Waits.P95:0.##}</td><td>{r.Waits.Max:0.##}</td><td>{r.GpuHoursUsed:0.##}</td><td>{r.GpuHoursPaid:0.##}</td><td>{r.Started}</td><td>{r.Unplaced}</td></tr>");
        }

        html.Append("</table><h2>Cost per hour over time</h2>");
        var max = Math.Max(1e-9, results.SelectMany(r => r.Timeline.UsdPerHour).DefaultIfEmpty(0).Max());
        foreach (var r in results)
        {
            var values = r.Timeline.UsdPerHour;
            var points = string.Join(' ', values.Select((v, i) => string.Create(
                CultureInfo.InvariantCulture,
                $"{(values.Length == 1 ? 0 : i * (double)Width / (values.Length - 1)):0.#},{Height - (v / max * (Height - 10)):0.#}")));
            html.Append(CultureInfo.InvariantCulture, $"<h3>{E(r.Label)}: ${r.Usd:0.00}</h3><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" data-series=\"usdPerHour\" data-label=\"{E(r.Label)}\" data-points=\"{values.Length}\" data-max=\"{max:0.####}\">");
            html.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"#3366cc\" stroke-width=\"1.5\" points=\"{points}\"/></svg>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>Cluster states under {E(first.Label)}</h2><p class=\"legend\">");
        foreach (var (phase, color) in Colors)
        {
            html.Append(CultureInfo.InvariantCulture, $"<span style=\"background:{color}\">{phase.ToString().ToLowerInvariant()}</span>");
        }

        html.Append("</p>");
        var total = Math.Max(1e-9, (first.End - first.Start).TotalMinutes);
        foreach (var c in first.Clusters)
        {
            html.Append(CultureInfo.InvariantCulture, $"<div>{E(c.Cluster)} (${c.Usd:0.00})</div><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"18\" data-cluster=\"{E(c.Cluster)}\">");
            foreach (var b in c.Bands)
            {
                var x = b.From.TotalMinutes / total * Width;
                var w = Math.Max(0.5, (b.To - b.From).TotalMinutes / total * Width);
                html.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.##}\" y=\"0\" width=\"{w:0.##}\" height=\"18\" fill=\"{Colors[b.Phase]}\" data-phase=\"{b.Phase.ToString().ToLowerInvariant()}\" data-from=\"{b.From.TotalMinutes:0.##}\" data-to=\"{b.To.TotalMinutes:0.##}\"/>");
            }

            html.Append("</svg>");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
