using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration;
using SkyRay.Orchestration.Simulation;
using SkyRay.Orchestration.Simulation.Traces;
using Spectre.Console;
using static SkyRay.Cli.TableText;

namespace SkyRay.Cli.Simulation;

/// <summary>
/// <c>skyray simulate --trace FILE</c>: the trace replayed on the stack (every <c>pulumi up</c> run decided by the same core,
/// on a simulated clock; <see cref="TraceSimulator"/>), on the same clusters kept always on, and on each <c>--compare</c>
/// stack; one row per result, then the first result's clusters.
/// </summary>
internal static class TraceSimulation
{
    /// <summary>Runs the simulations and writes the results.</summary>
    /// <param name="context">Console and working folder.</param>
    /// <param name="stack">The validated stack.</param>
    /// <param name="tracePath">The trace file.</param>
    /// <param name="comparePaths">Other stack files to run on the same trace.</param>
    /// <param name="json">Write JSON instead of tables.</param>
    /// <param name="diagnostics">Where problems go; errors make the command exit 2.</param>
    /// <returns>The exit code.</returns>
    /// <param name="htmlPath">Where to write the HTML report, or null.</param>
    public static int Run(CliContext context, FleetSpec stack, string tracePath, IReadOnlyList<string> comparePaths, bool json, DiagnosticBag diagnostics, string? htmlPath = null)
    {
        var stacks = new List<(string Label, FleetSpec Spec)> { (stack.Stack, stack), ($"{stack.Stack} always on", TraceSimulator.AlwaysOn(stack)) };
        foreach (var path in comparePaths)
        {
            var full = context.ResolvePath(path);
            if (!File.Exists(full))
            {
                diagnostics.Error("--compare", $"no stack file {path}", "give the path of a Pulumi.<stack>.yaml to compare");
                continue;
            }

            var loaded = FleetLoading.LoadFile(full);
            diagnostics.AddRange(loaded.Diagnostics.Select(d => d with { Path = $"{Path.GetFileName(full)}: {d.Path}" }));
            if (loaded.Value is { } other)
            {
                stacks.Add((other.Stack, other));
            }
        }

        var results = new List<SimulationResult>();
        if (!diagnostics.HasErrors)
        {
            foreach (var (label, spec) in stacks)
            {
                // A trace source is read once per simulation: CSV traces stream from the file each time.
                var trace = TraceFiles.Open(context.ResolvePath(tracePath), null, diagnostics);
                if (trace is null)
                {
                    break;
                }

                var simulated = TraceSimulator.Simulate(spec, trace, new SimulationOptions { Label = label });
                diagnostics.AddRange(simulated.Diagnostics);
                if (simulated.Value is not { } result)
                {
                    break;
                }

                results.Add(result);
            }
        }

        if (diagnostics.HasErrors || results.Count != stacks.Count)
        {
            DiagnosticsOutput.WriteText(context.Error, diagnostics.Sorted());
            return ExitCodes.InvalidInput;
        }

        if (htmlPath is not null)
        {
            File.WriteAllText(context.ResolvePath(htmlPath), HtmlReport.Write(results), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }

        if (json)
        {
            DiagnosticsOutput.WriteJson(context.Out, ToJson(results, diagnostics.Sorted()));
        }
        else
        {
            DiagnosticsOutput.WriteText(context.Out, diagnostics.Sorted());
            WriteTables(context, results);
        }

        return ExitCodes.Ok;
    }

    /// <summary>The results as JSON: money in USD (cents), waits in minutes, GPU-hours, the timelines and each cluster's phases.</summary>
    /// <param name="results">The results, the stack's first.</param>
    /// <param name="diagnostics">Warnings to include.</param>
    /// <returns>The JSON object.</returns>
    internal static JsonObject ToJson(IReadOnlyList<SimulationResult> results, IReadOnlyList<Diagnostic> diagnostics)
    {
        var array = new JsonArray();
        foreach (var r in results)
        {
            var clusters = new JsonArray();
            foreach (var c in r.Clusters)
            {
                var hours = new JsonObject();
                foreach (var (phase, h) in c.Hours)
                {
                    hours[Lower(phase)] = Round(h);
                }

                clusters.Add(new JsonObject
                {
                    ["name"] = c.Cluster,
                    ["provider"] = ProviderNames.Of(c.Provider),
                    ["usd"] = Cents(c.Usd),
                    ["hours"] = hours,
                    ["creates"] = c.Creates,
                    ["wakes"] = c.Wakes,
                    ["suspends"] = c.Suspends,
                    ["deletes"] = c.Deletes,
                    ["bands"] = new JsonArray([.. c.Bands.Select(b => (JsonNode)new JsonObject
                    {
                        ["fromMinutes"] = Round(b.From.TotalMinutes),
                        ["toMinutes"] = Round(b.To.TotalMinutes),
                        ["phase"] = Lower(b.Phase),
                    })]),
                });
            }

            array.Add(new JsonObject
            {
                ["label"] = r.Label,
                ["stack"] = r.Stack,
                ["trace"] = r.Trace,
                ["start"] = r.Start.ToString("O", CultureInfo.InvariantCulture),
                ["end"] = r.End.ToString("O", CultureInfo.InvariantCulture),
                ["tickMinutes"] = r.Tick.TotalMinutes,
                ["runs"] = r.Runs,
                ["failedRuns"] = r.FailedRuns,
                ["usd"] = Cents(r.Usd),
                ["usdPerHour"] = Cents(r.UsdPerHour),
                ["arrivals"] = r.Arrivals,
                ["started"] = r.Started,
                ["unplaced"] = r.Unplaced,
                ["waitingAtEnd"] = r.WaitingAtEnd,
                ["runningAtEnd"] = r.RunningAtEnd,
                ["waitMinutes"] = Waits(r.Waits),
                ["gpuHoursUsed"] = Round(r.GpuHoursUsed),
                ["gpuHoursPaid"] = Round(r.GpuHoursPaid),
                ["moves"] = r.Moves,
                ["interrupted"] = r.Interrupted,
                ["timeline"] = new JsonObject
                {
                    ["stepMinutes"] = r.Timeline.Step.TotalMinutes,
                    ["usdPerHour"] = Series(r.Timeline.UsdPerHour),
                    ["gpusUsed"] = Series(r.Timeline.GpusUsed),
                    ["gpusPaid"] = Series(r.Timeline.GpusPaid),
                    ["running"] = Series(r.Timeline.Running),
                    ["waiting"] = Series(r.Timeline.Waiting),
                },
                ["clusters"] = clusters,
                ["notes"] = new JsonArray([.. r.Notes.Select(n => (JsonNode)JsonValue.Create(n))]),
            });
        }

        return new JsonObject
        {
            ["currency"] = "USD",
            ["results"] = array,
            ["diagnostics"] = DiagnosticsOutput.ToJson(diagnostics),
        };
    }

    private static void WriteTables(CliContext context, List<SimulationResult> results)
    {
        var console = context.Console();
        var first = results[0];
        console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Trace '{first.Trace}' from {first.Start:yyyy-MM-dd HH:mm} to {first.End:yyyy-MM-dd HH:mm} UTC ({first.Hours:0.#} h, a run every {first.Tick.TotalMinutes:0.#} min), {first.Arrivals} arrival(s); catalog list prices in USD, approximate."));
        var table = new TextTable("policy", "cost $", "$/h", "wait p50 min", "wait p95 min", "wait max min", "GPU-h used", "GPU-h paid", "started", "unplaced", "runs");
        foreach (var r in results)
        {
            table.AddRow(
                r.Label,
                Money(r.Usd),
                Money(r.UsdPerHour),
                Minutes(r.Waits.P50),
                Minutes(r.Waits.P95),
                Minutes(r.Waits.Max),
                Minutes(r.GpuHoursUsed),
                Minutes(r.GpuHoursPaid),
                $"{r.Started} of {r.Arrivals}",
                r.Unplaced.ToString(CultureInfo.InvariantCulture),
                r.Runs.ToString(CultureInfo.InvariantCulture));
        }

        table.Write(console);
        if (results.Count > 1 && results[1].Usd > 0)
        {
            var saved = results[1].Usd - first.Usd;
            console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Just in time saves ${Money(saved)} of ${Money(results[1].Usd)} ({saved / results[1].Usd * 100m:0.#}%) against the same clusters always on."));
        }

        var clusters = new TextTable("cluster", "provider", "cost $", "hours running", "hours in standby", "creates", "wakes", "suspends", "deletes");
        foreach (var c in first.Clusters)
        {
            clusters.AddRow(
                c.Cluster,
                ProviderNames.Of(c.Provider),
                Money(c.Usd),
                Minutes(c.Hours.Where(h => h.Key is not (ClusterPhase.Absent or ClusterPhase.Standby)).Sum(h => h.Value)),
                Minutes(c.Hours.GetValueOrDefault(ClusterPhase.Standby)),
                c.Creates.ToString(CultureInfo.InvariantCulture),
                c.Wakes.ToString(CultureInfo.InvariantCulture),
                c.Suspends.ToString(CultureInfo.InvariantCulture),
                c.Deletes.ToString(CultureInfo.InvariantCulture));
        }

        console.WriteLine($"Clusters under '{first.Label}':");
        clusters.Write(console);
    }

    private static JsonObject Waits(WaitSummary w) => new()
    {
        ["count"] = w.Count,
        ["p50"] = Round(w.P50),
        ["p95"] = Round(w.P95),
        ["max"] = Round(w.Max),
        ["mean"] = Round(w.Mean),
    };

    private static JsonArray Series(ImmutableArray<double> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(Round(v)))]);

    private static double Round(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    private static string Minutes(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
