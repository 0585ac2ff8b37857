using System.Diagnostics;
using System.Globalization;
using SkyRay.Benchmarks.Fleets;
using SkyRay.Fleet.Catalog;
using SkyRay.Placement.Planning;

namespace SkyRay.Benchmarks.Scale;

/// <summary>
/// <c>scale</c>: plans synthetic fleets of 1k/10k/100k workloads × 10/100/1,000 clusters and prints a Markdown
/// table of wall time, allocation and peak working set. Each size runs in its own child process so the peak
/// working set belongs to that size alone.
/// </summary>
internal static class ScaleCommand
{
    private static readonly int[] DefaultWorkloads = [1_000, 10_000, 100_000];
    private static readonly int[] DefaultClusters = [10, 100, 1_000];

    public static int Run(string[] args)
    {
        if (args.Length >= 3 && args[0] == "--one")
        {
            return RunOne(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture));
        }

        if (args.Length >= 2 && args[0] == "--hash")
        {
            // A hash of each size's whole plan: two builds that print the same hashes made the same plans.
            foreach (var (w, c) in Sizes(["--sizes", args[1]]))
            {
                var spec = SyntheticFleet.Generate(new FleetShape(c, w, Seed: 1), InstanceCatalogReader.BuiltIn());
                var plan = FleetPlanner.Plan(spec);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{w}x{c} plan {PlanHash.Of(plan)} replan {PlanHash.Of(FleetPlanner.Plan(spec, plan))}"));
            }

            return 0;
        }

        var timeout = TimeSpan.FromSeconds(Option(args, "--timeout", 600));
        var sizes = Sizes(args);
        var before = args.Contains("--before") ? args[Array.IndexOf(args, "--before") + 1] : null;
        Console.WriteLine($"Planning synthetic fleets (seed 1, one child process per size and run, timeout {timeout.TotalSeconds:0}s); {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {LoadAverage()}.");
        if (before is not null)
        {
            Console.WriteLine($"Build column: 'before' = {before} (another build of this benchmark, e.g. of the base commit), run alternately with this one.");
        }

        Console.WriteLine();
        Console.WriteLine((before is null ? "" : "| Build ") + "| Workloads | Clusters | Plan wall time | Plan CPU time | Allocated during plan | GC pauses (gen0/1/2 collections) | Peak working set | Placed | Plan cost $/h |");
        Console.WriteLine((before is null ? "" : "|---") + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var exit = 0;
        var runs = Math.Max(1, Option(args, "--runs", 1));
        foreach (var (workloads, clusters) in sizes)
        {
            // Each run in a fresh process; with several runs the row of the median wall time is shown, with every
            // run's time. With --before, the two builds alternate so both see the same machine load.
            var builds = before is null ? [(Label: "", Path: Environment.ProcessPath!)] : new[] { (Label: "before", Path: before), (Label: "after", Path: Environment.ProcessPath!) };
            var lines = builds.Select(_ => new List<string>()).ToArray();
            var failed = false;
            for (var r = 0; r < runs && !failed; r++)
            {
                for (var b = 0; b < builds.Length; b++)
                {
                    var line = Child(builds[b].Path, workloads, clusters, timeout);
                    if (line is null || line.Contains("error", StringComparison.Ordinal))
                    {
                        Console.WriteLine((before is null ? "" : $"| {builds[b].Label} ") + (line ?? $"| {workloads:N0} | {clusters:N0} | timeout (> {timeout.TotalSeconds:0} s) | | | | | | |"));
                        exit = 1;
                        failed = true;
                        break;
                    }

                    lines[b].Add(line);
                }
            }

            if (failed)
            {
                continue;
            }

            for (var b = 0; b < builds.Length; b++)
            {
                Console.WriteLine((before is null ? "" : $"| {builds[b].Label} ") + Median(lines[b]));
            }
        }

        return exit;
    }

    /// <summary>The row of the median wall time, its wall time cell listing every run's.</summary>
    private static string Median(List<string> lines)
    {
        var byTime = lines.OrderBy(WallSeconds).ToList();
        var median = byTime[(byTime.Count - 1) / 2];
        if (lines.Count > 1)
        {
            var cells = median.Split('|');
            cells[3] = $" {cells[3].Trim()} ({string.Join(" / ", lines.Select(l => l.Split('|')[3].Trim()))}) ";
            median = string.Join('|', cells);
        }

        return median;
    }

    /// <summary>The 1-minute load average (Linux), or "n/a".</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    private static double WallSeconds(string line)
    {
        var cell = line.Split('|')[3].Trim();
        var value = double.Parse(cell.Split(' ')[0], CultureInfo.InvariantCulture);
        return cell.EndsWith("ms", StringComparison.Ordinal) ? value / 1000 : value;
    }

    private static int RunOne(int workloads, int clusters)
    {
        var spec = SyntheticFleet.Generate(new FleetShape(clusters, workloads, Seed: 1), InstanceCatalogReader.BuiltIn());
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pauseBefore = GC.GetTotalPauseDuration();
        var collectionsBefore = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        FleetPlan plan;
        try
        {
            plan = FleetPlanner.Plan(spec);
        }
        catch (NotImplementedException ex)
        {
            Console.WriteLine($"| {workloads:N0} | {clusters:N0} | error: {ex.Message} | | | | | | |");
            return 1;
        }

        watch.Stop();
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var pause = GC.GetTotalPauseDuration() - pauseBefore;
        var collections = string.Join("/", Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collectionsBefore[g]));
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        var placed = plan.Placements.Values.Count(p => p.IsPlaced);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {workloads:N0} | {clusters:N0} | {Time(watch.Elapsed)} | {Time(cpu)} | {Bytes(allocated)} | {Time(pause)} ({collections}) | {Bytes(process.PeakWorkingSet64)} | {placed:N0} | {plan.HourlyCost:N2} |"));
        return 0;
    }

    private static string? Child(string executable, int workloads, int clusters, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "scale", "--one", workloads.ToString(CultureInfo.InvariantCulture), clusters.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }

        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(timeout))
        {
            child.Kill(entireProcessTree: true);
            return null;
        }

        var line = output.Result.Split('\n').LastOrDefault(l => l.StartsWith('|'));
        return line ?? $"| {workloads:N0} | {clusters:N0} | error: {error.Result.Split('\n').FirstOrDefault()} | | | | | | |";
    }

    private static List<(int Workloads, int Clusters)> Sizes(string[] args)
    {
        var i = Array.IndexOf(args, "--sizes");
        if (i >= 0 && i + 1 < args.Length)
        {
            // --sizes 1000x10,10000x100
            return [.. args[i + 1].Split(',').Select(s => s.Split('x')).Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture)))];
        }

        return [.. DefaultWorkloads.SelectMany(w => DefaultClusters.Select(c => (w, c)))];
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Time(TimeSpan t) =>
        t.TotalSeconds >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.00} s") : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0.0} ms");

    private static string Bytes(long b) => string.Create(CultureInfo.InvariantCulture, $"{b / (1024.0 * 1024.0):N0} MiB");
}
