using System.Diagnostics;
using System.Globalization;
using SkyRay.Benchmarks.Fleets;
using SkyRay.Fleet.Catalog;
using SkyRay.Orchestration.Simulation;

namespace SkyRay.Benchmarks.Simulation;

/// <summary>
/// <c>simulate</c>: a trace simulation at scale, the way <c>skyray simulate --trace</c> runs it (every run decided by
/// <c>RunPlanner.Plan</c>, outputs fed back through <c>StackOutputs</c>): by default a 30-day trace of 100,000 arrivals over
/// a synthetic fleet of 100 clusters. Prints wall and CPU time, runs per second, allocation, GC pauses and the peak
/// working set (the process does nothing else, so the peak is the simulation's), then the simulation's own figures.
/// </summary>
internal static class SimulateCommand
{
    public static int Run(string[] args)
    {
        // Anything else (a typo, --help) would otherwise run the whole default 30-day trace, minutes of work.
        string[] valued = ["--arrivals", "--clusters", "--days", "--templates", "--seed", "--tick"];
        for (var i = 0; i < args.Length; i++)
        {
            if (valued.Contains(args[i]) && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                i++;
            }
            else if (args[i] != "--progress")
            {
                Console.Error.WriteLine($"simulate: '{args[i]}' is not an option (or its value is not a whole number)");
                Console.Error.WriteLine("usage: simulate [--arrivals 100000] [--clusters 100] [--days 30] [--templates 600] [--seed 1] [--tick 5] [--progress]");
                Console.Error.WriteLine("       a simulated day of the default trace's rate: simulate --days 1 --arrivals 3333");
                return 2;
            }
        }

        var arrivals = Option(args, "--arrivals", 100_000);
        var clusters = Option(args, "--clusters", 100);
        var days = Option(args, "--days", 30);
        var templates = Option(args, "--templates", 600);
        var seed = Option(args, "--seed", 1);
        var tickMinutes = Option(args, "--tick", (int)SimulationOptions.DefaultTick.TotalMinutes);
        var progress = Array.IndexOf(args, "--progress") >= 0;

        var catalog = InstanceCatalogReader.BuiltIn();
        var fleet = SyntheticFleet.Generate(new FleetShape(clusters, templates, seed), catalog);
        var trace = SyntheticTrace.Generate(fleet, arrivals, TimeSpan.FromDays(days), seed);
        var options = new SimulationOptions
        {
            Tick = TimeSpan.FromMinutes(tickMinutes),
            Progress = progress ? (run, at) =>
            {
                if (run % 500 == 0)
                {
                    Console.Error.WriteLine($"  run {run} at {at:yyyy-MM-dd HH:mm}");
                }
            }
            : null,
        };

        Console.WriteLine($"Simulating {arrivals:N0} arrivals over {days} days on {clusters} clusters ({templates} workload templates, seed {seed}, tick {tickMinutes}m); {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pauseBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();

        var prepared = TraceSimulator.Prepare(fleet, trace, options);
        var prepareTime = watch.Elapsed;
        if (prepared.Value is not { } p)
        {
            foreach (var d in prepared.Diagnostics.Take(20))
            {
                Console.Error.WriteLine(d);
            }

            return 1;
        }

        var result = TraceSimulator.Run(fleet, p, options);
        watch.Stop();
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var pause = GC.GetTotalPauseDuration() - pauseBefore;
        var collections = string.Join("/", Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collectionsBefore[g]));

        Console.WriteLine();
        Console.WriteLine("| Arrivals | Clusters | Days | Runs | Wall time | CPU time | ms per run | Allocated | GC pauses (gen0/1/2) | Peak working set |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {arrivals:N0} | {clusters} | {days} | {result.Runs:N0} | {watch.Elapsed.TotalSeconds:0.0} s (check {prepareTime.TotalSeconds:0.0} s) | {cpu.TotalSeconds:0.0} s | {watch.Elapsed.TotalMilliseconds / Math.Max(1, result.Runs):0.00} | {allocated / (1024.0 * 1024 * 1024):0.0} GiB | {pause.TotalSeconds:0.0} s ({collections}) | {self.PeakWorkingSet64 / (1024.0 * 1024):N0} MiB |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Simulated: ${result.Usd:N0} (${result.UsdPerHour:N2}/h); {result.Started:N0} of {result.Arrivals:N0} started, {result.Unplaced:N0} never placed; wait p50 {result.Waits.P50:0.#} min, p95 {result.Waits.P95:0.#} min, max {result.Waits.Max:0.#} min; GPU-hours used {result.GpuHoursUsed:N0} of {result.GpuHoursPaid:N0} paid; {result.Moves:N0} moves, {result.Interrupted:N0} interruptions; {result.FailedRuns} failed runs."));
        return 0;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
