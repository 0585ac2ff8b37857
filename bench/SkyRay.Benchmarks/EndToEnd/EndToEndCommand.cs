using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using SkyRay.Benchmarks.Fleets;
using SkyRay.Benchmarks.Scale;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration;
using SkyRay.Orchestration.Outputs;
using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Runs;

namespace SkyRay.Benchmarks.EndToEnd;

/// <summary>
/// <c>e2e</c>: the whole path of a run from a stack file, as a user meets it: read and validate the file
/// (<see cref="StackLoader"/>), the stack checks (<see cref="FleetLoading.Complete"/>: raw specs, resource names), the run
/// (<see cref="RunPlanner.Plan"/>: placement, standby, upgrade, outputs — the one entry point every consumer calls) and
/// the orchestrator's walk through the recording adapter (<see cref="RecordingPorts.Record"/>: the calls the Pulumi
/// adapter gets). Stack files are generated first (not timed); each size and run is a fresh child process reading its
/// file, so the peak working set is that run's alone.
/// </summary>
internal static class EndToEndCommand
{
    /// <summary>The sizes <c>e2e</c> and <c>walk</c> run without <c>--sizes</c>.</summary>
    internal static readonly (int Clusters, int Workloads)[] DefaultSizes =
        [(5, 50), (20, 500), (50, 2_000), (100, 5_000), (200, 20_000), (800, 20_000), (1_000, 10_000)];

    private static readonly string[] Phases = ["read + validate", "stack checks", "run (plan, standby, upgrade, outputs)", "orchestrator walk"];

    public static int Run(string[] args)
    {
        if (args.Length >= 2 && args[0] == "--hash")
        {
            return Hash(args[1]);
        }

        if (args.Length >= 3 && args[0] == "--one")
        {
            // Untimed runs first, so the figures are the run's own and not the JIT compiling the code. Tiered compilation
            // runs a method's first, unoptimized code until it has been called 30 times (and starts counting only once the
            // JIT has been quiet for a moment), then optimizes it in the background. So a small stack runs WarmUps times
            // (its paths reach optimized code even when the timed stack is small) and then the timed stack itself runs
            // SelfWarmUps times, each followed by a pause for the background compiler: with the small stack alone, a third
            // to a half of a 200 x 20,000 run's samples were still in unoptimized code (its paths only a large stack
            // takes often enough) and the compiler optimized ~1,500 methods during the timed run.
            if (args[2].Length > 0)
            {
                for (var i = 0; i < WarmUps; i++)
                {
                    RunOne(args[2], quiet: true);
                }

                Thread.Sleep(TimeSpan.FromMilliseconds(300));
                for (var i = 0; i < SelfWarmUps; i++)
                {
                    RunOne(args[1], quiet: true);
                    Thread.Sleep(TimeSpan.FromMilliseconds(300));
                }

                // The timed run's memory is its own: the warm-ups' garbage collected, and the process's peak resident set
                // (what PeakWorkingSet64 reads on Linux) reset to the current one.
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                ResetPeakWorkingSet();
            }

            return RunOne(args[1], quiet: false, sample: args.Contains("--alloc"));
        }

        var sizes = Sizes(args, DefaultSizes);
        var runs = Runs(args);
        // --keep DIR: write the stack files there and keep them (to profile one: e2e --one DIR/Pulumi.c200w20000.yaml "").
        var keep = args.Contains("--keep") ? args[Array.IndexOf(args, "--keep") + 1] : null;
        // --before PATH: another build of this benchmark (e.g. of the base commit) run alternately on the same stack files,
        // so before and after share the machine's load; each row says which build it is.
        var before = args.Contains("--before") ? args[Array.IndexOf(args, "--before") + 1] : null;
        (string? Exe, string Label)[] builds = before is null ? [(null, "")] : [(before, "before "), (null, "after ")];
        var dir = keep ?? Directory.CreateTempSubdirectory("skyray-e2e-").FullName;
        Directory.CreateDirectory(dir);
        Console.WriteLine($"End to end from generated stack files (seed 1; {runs} fresh processes per size, median by total wall time; {(args.Contains("--cold") ? "cold: the JIT compiles during the timed run" : $"each process first runs a 5 x 50 stack {WarmUps} times and the timed stack {SelfWarmUps} times untimed, pausing 300 ms after each stack (JIT warm-up to optimized code), then collects garbage and resets the peak working set; --cold times a first run")}); {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {ScaleCommand.LoadAverage()}.");
        Console.WriteLine();
        Console.WriteLine("| Clusters | Workloads | Stack file | Declared resources | " + string.Join(" | ", Phases) + " | Total wall (runs) | Total CPU | Peak working set | µs per resource (total) | µs per resource (walk) |");
        Console.WriteLine("|---:|---:|---:|---:|" + string.Concat(Phases.Select(_ => "---:|")) + "---:|---:|---:|---:|---:|");
        var catalog = InstanceCatalogReader.BuiltIn();
        var cold = args.Contains("--cold");
        // --warnings: every workload's image is on the moving tag 'latest', so the read reports 20,000 warnings at
        // 200 x 20,000; a reader that looks through every diagnostic so far once per workload is quadratic there.
        var warnings = args.Contains("--warnings");
        var walkRows = new List<string>();
        var warmup = Path.Combine(dir, "Pulumi.warmup.yaml");
        File.WriteAllText(warmup, StackFileWriter.Write(SyntheticFleet.Generate(new FleetShape(5, 50, Seed: 2), catalog)));
        try
        {
            foreach (var (clusters, workloads) in sizes)
            {
                var spec = SyntheticFleet.Generate(new FleetShape(clusters, workloads, Seed: 1), catalog);
                var path = Path.Combine(dir, $"Pulumi.c{clusters}w{workloads}{(warnings ? "-warnings" : "")}.yaml");
                File.WriteAllText(path, StackFileWriter.Write(spec, warnings));
                var size = new FileInfo(path).Length;
                var byBuild = builds.Select(_ => new List<string[]>()).ToArray();
                for (var r = 0; r < runs; r++)
                {
                    for (var b = 0; b < builds.Length; b++)
                    {
                        var line = Child(path, cold ? "" : warmup, builds[b].Exe);
                        if (line is null || !line.StartsWith("ok ", StringComparison.Ordinal))
                        {
                            Console.WriteLine($"| {builds[b].Label}{clusters:N0} | {workloads:N0} | {size / 1048576.0:0.0} MB | error: {line} |");
                            continue;
                        }

                        byBuild[b].Add(line.Split(' '));
                    }
                }

                for (var b = 0; b < builds.Length; b++)
                {
                    Row(clusters, workloads, size, builds[b].Label, byBuild[b]);
                    WalkRow(clusters, workloads, builds[b].Label, byBuild[b], walkRows);
                }
            }
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        Console.WriteLine();
        Console.WriteLine("The orchestrator walk alone, repeated in the same process after the timed run (about 400,000 resources walked in all per size, at least 5 walks; a forced collection, untimed, before each):");
        Console.WriteLine();
        Console.WriteLine("| Clusters | Workloads | Declared resources | Ray objects | Walks | µs per resource (median walk) | µs per resource (fastest walk) | of which GC pauses (median walk) | µs per resource without GC pauses | Collections during the median walk (gen0/1/2) | Allocated per gen0 collection |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        walkRows.ForEach(Console.WriteLine);
        if (!args.Contains("--no-interleaved"))
        {
            // The per-process walks above are minutes apart, and this machine's speed drifts between them; the same sizes
            // walked in one process, interleaved, share the drift (see WalkCommand).
            Console.WriteLine();
            Console.WriteLine(Interleaved(sizes));
        }

        Console.WriteLine();
        Console.WriteLine($"Garbage collector: {GcBudgetNote()}");
        Console.WriteLine();
        Console.WriteLine("Each phase: wall time (the process's peak working set at its end). Declared resources: the calls the orchestrator makes on the recording adapter (the Pulumi adapter gets the same), outputs export excluded.");
        if (warnings)
        {
            Console.WriteLine("--warnings: every workload's image is on the tag 'latest', one warning per workload; the read should cost about what it costs without (a reader that rescans the diagnostics per workload made it quadratic).");
        }

        Console.WriteLine("800 x 20,000 has the workloads of 200 x 20,000 on four times the clusters: a step quadratic in clusters x workloads would make its time per resource about four times as large, a linear run keeps it about equal.");
        return 0;
    }

    private static void Row(int clusters, int workloads, long size, string label, List<string[]> results)
    {
        if (results.Count == 0)
        {
            return;
        }

        // ok <resources> <wall0> <cpu0> <peak0> ... per phase, seconds and bytes, then the bytes each phase allocated.
        var median = results.OrderBy(TotalWall).ElementAt((results.Count - 1) / 2);
        var resources = long.Parse(median[1], CultureInfo.InvariantCulture);
        var cells = new List<string>();
        double totalCpu = 0;
        long peak = 0;
        for (var p = 0; p < Phases.Length; p++)
        {
            var wall = D(median[2 + (3 * p)]);
            totalCpu += D(median[3 + (3 * p)]);
            var phasePeak = long.Parse(median[4 + (3 * p)], CultureInfo.InvariantCulture);
            peak = Math.Max(peak, phasePeak);
            cells.Add(string.Create(CultureInfo.InvariantCulture, $"{Time(wall)} ({phasePeak / 1048576.0:N0} MiB)"));
        }

        var total = TotalWall(median);
        var walk = D(median[2 + (3 * (Phases.Length - 1))]);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {label}{clusters:N0} | {workloads:N0} | {size / 1048576.0:0.00} MB | {resources:N0} | {string.Join(" | ", cells)} | {Time(total)} ({string.Join(" / ", results.Select(x => Time(TotalWall(x))))}) | {Time(totalCpu)} | {peak / 1048576.0:N0} MiB | {total * 1e6 / resources:0.0} | {walk * 1e6 / resources:0.0} |"));
    }

    private static void WalkRow(int clusters, int workloads, string label, List<string[]> results, List<string> rows)
    {
        if (results.Count == 0)
        {
            return;
        }

        // After the per-phase fields and the four allocation counts (the walk's last): the RepeatedWalks fields.
        var median = results.OrderBy(TotalWall).ElementAt((results.Count - 1) / 2);
        var resources = double.Parse(median[1], CultureInfo.InvariantCulture);
        var at = 2 + (3 * Phases.Length) + Phases.Length;
        if (median.Length < at + 8)
        {
            // A --before build from before the walk table: it does not repeat the walk.
            rows.Add($"| {label}{clusters:N0} | {workloads:N0} | {median[1]} | this build does not repeat the walk |");
            return;
        }

        double Us(int i) => D(median[at + i]) * 1e6 / resources;
        var gen0 = int.Parse(median[at + 3], CultureInfo.InvariantCulture);
        var rayObjects = int.Parse(median[at + 7], CultureInfo.InvariantCulture);
        var perGen0 = gen0 == 0 ? "no collection" : (D(median[at - 1]) / 1048576.0 / gen0).ToString("0.0", CultureInfo.InvariantCulture) + " MB";
        rows.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"| {label}{clusters:N0} | {workloads:N0} | {resources:N0} | {rayObjects:N0} | {median[at + 6]} | {Us(0):0.0} | {Us(1):0.0} | {Us(2):0.0} | {Us(0) - Us(2):0.0} | {gen0}/{median[at + 4]}/{median[at + 5]} | {perGen0} |"));
    }

    /// <summary>
    /// The collector, the first generation's largest budget, and whether the machine shows its CPU cache sizes, which the
    /// runtime sizes the first generation's budget from (Linux: the sysfs cache entries; the walk table's last column shows
    /// how often it collects).
    /// </summary>
    private static string GcBudgetNote()
    {
        var variables = GC.GetConfigurationVariables();
        var max = variables.TryGetValue("GCGen0MaxBudget", out var m) ? Convert.ToInt64(m, CultureInfo.InvariantCulture) / 1048576.0 : double.NaN;
        var server = GCSettings.IsServerGC ? "server" : "workstation";
        var cache = Directory.Exists("/sys/devices/system/cpu/cpu0/cache") ? "shows its CPU cache sizes" : "does not show its CPU cache sizes (no /sys/devices/system/cpu/cpu0/cache), so the runtime cannot size the first generation's budget from the cache (the last column shows how often it collects here)";
        return string.Create(CultureInfo.InvariantCulture, $"{server}, first-generation budget at most {max:0} MiB; this machine {cache}.");
    }

    private static double TotalWall(string[] fields) => Enumerable.Range(0, Phases.Length).Sum(p => D(fields[2 + (3 * p)]));

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>How many times a process runs the warm-up stack before the timed run (see <c>--one</c>).</summary>
    private const int WarmUps = 20;

    /// <summary>How many times a process then runs the timed stack itself, untimed, before the timed run (see <c>--one</c>).</summary>
    private const int SelfWarmUps = 2;

    /// <summary>
    /// Resets the process's peak resident set size (Linux: writing 5 to /proc/self/clear_refs resets VmHWM, which is what
    /// <see cref="Process.PeakWorkingSet64"/> reads), so the peak after the timed run is the timed run's. Elsewhere the peak
    /// keeps the warm-ups' (the table says so).
    /// </summary>
    private static void ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("the peak working set includes the warm-up runs: /proc/self/clear_refs cannot be written here");
        }
    }

    private static int RunOne(string path, bool quiet, bool sample = false)
    {
        using var self = Process.GetCurrentProcess();
        var fields = new List<string>();
        var watch = new Stopwatch();
        var allocated = new List<string>();
        TimeSpan cpu = default;
        long bytes = 0;
        void Start()
        {
            self.Refresh();
            cpu = self.TotalProcessorTime;
            bytes = GC.GetTotalAllocatedBytes(precise: true);
            watch.Restart();
        }

        void Stop()
        {
            watch.Stop();
            allocated.Add((GC.GetTotalAllocatedBytes(precise: true) - bytes).ToString(CultureInfo.InvariantCulture));
            self.Refresh();
            fields.Add(watch.Elapsed.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
            fields.Add((self.TotalProcessorTime - cpu).TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
            fields.Add(self.PeakWorkingSet64.ToString(CultureInfo.InvariantCulture));
        }

        // --alloc: which types the phases allocate (the runtime's allocation ticks, one per ~100 KB), printed to stderr.
        using var sampler = sample ? new AllocationSampler() : null;
        sampler?.Phase = "read";
        Start();
        var loaded = StackLoader.LoadFile(path);
        Stop();
        if (!loaded.Ok)
        {
            Console.WriteLine("error " + string.Join("; ", loaded.Diagnostics.Where(d => d.Severity == Fleet.Diagnostics.Severity.Error).Take(3)));
            return 1;
        }

        sampler?.Phase = "checks";
        Start();
        var checkedSpec = FleetLoading.Complete(loaded);
        Stop();
        if (!checkedSpec.Ok)
        {
            Console.WriteLine("error " + string.Join("; ", checkedSpec.Diagnostics.Where(d => d.Severity == Fleet.Diagnostics.Severity.Error).Take(3)));
            return 1;
        }

        sampler?.Phase = "run";
        Start();
        var run = RunPlanner.Plan(new RunRequest(checkedSpec.Value!, PreviousRun.None, RunAt));
        Stop();
        if (!run.Ok)
        {
            Console.WriteLine("error " + string.Join("; ", run.Diagnostics.Where(d => d.Severity == Fleet.Diagnostics.Severity.Error).Take(3)));
            return 1;
        }

        sampler?.Phase = "walk";
        Start();
        var recorder = RecordingPorts.Record(run);
        Stop();
        sampler?.Print();
        var resources = recorder.Calls.Count(c => c.Kind != RecordedKind.Outputs);
        if (quiet)
        {
            return 0;
        }

        Console.WriteLine("ok " + resources.ToString(CultureInfo.InvariantCulture) + " " + string.Join(' ', fields) + " " + string.Join(' ', allocated) + " " + RepeatedWalks(run, resources) + " " + recorder.Calls.Count(c => c.Kind == RecordedKind.Workload).ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    /// <summary>
    /// The walk alone, again and again on the same run: about <see cref="WalkedResources"/> resources in all, at least
    /// <see cref="MinWalks"/> walks. A 5 x 50 walk takes about 2 ms, where one timing is mostly the timer's and the scheduler's
    /// noise and whether a collection of the earlier phases' garbage falls in it; a forced collection before each walk
    /// (untimed) gives every walk the same start. Returns, in seconds: the median and the minimum walk, the median walk's
    /// GC pauses, then the collections of generations 0, 1 and 2 during that walk, and how many walks there were.
    /// </summary>
    private static string RepeatedWalks(RunPlan run, int resources)
    {
        var count = Math.Clamp(WalkedResources / Math.Max(1, resources), MinWalks, MaxWalks);
        var walks = new (double Wall, double Pause, int Gen0, int Gen1, int Gen2)[count];
        var watch = new Stopwatch();
        for (var i = 0; i < count; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true);
            var pause = GC.GetTotalPauseDuration();
            var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            watch.Restart();
            _ = RecordingPorts.Record(run);
            watch.Stop();
            walks[i] = (watch.Elapsed.TotalSeconds, (GC.GetTotalPauseDuration() - pause).TotalSeconds,
                GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2);
        }

        Array.Sort(walks);
        var median = walks[count / 2];
        return string.Create(CultureInfo.InvariantCulture, $"{median.Wall:R} {walks[0].Wall:R} {median.Pause:R} {median.Gen0} {median.Gen1} {median.Gen2} {count}");
    }

    /// <summary>Resources walked in all by <see cref="RepeatedWalks"/> (so each size walks about as many).</summary>
    private const int WalkedResources = 400_000;

    /// <summary>The time every run of the e2e and walk benchmarks is decided at (fixed, so the runs repeat).</summary>
    internal static readonly DateTimeOffset RunAt = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A stack file read, checked and run at <see cref="RunAt"/>, untimed; null, with the first errors, when a step fails.
    /// </summary>
    internal static RunPlan? RunOf(string path, out string? error)
    {
        static string Errors(IEnumerable<Fleet.Diagnostics.Diagnostic> diagnostics) =>
            string.Join("; ", diagnostics.Where(d => d.Severity == Fleet.Diagnostics.Severity.Error).Take(3));

        var loaded = FleetLoading.Complete(StackLoader.LoadFile(path));
        if (!loaded.Ok)
        {
            error = Errors(loaded.Diagnostics);
            return null;
        }

        var run = RunPlanner.Plan(new RunRequest(loaded.Value!, PreviousRun.None, RunAt));
        error = run.Ok ? null : Errors(run.Diagnostics);
        return run.Ok ? run : null;
    }

    private const int MinWalks = 5;

    private const int MaxWalks = 500;

    /// <summary>
    /// <c>e2e --hash FILE</c>: a SHA-256 over everything the walk of a stack file declares (the preview lines with their
    /// dependencies, every release's values, every namespace, object and Ray object as JSON, the outputs), so a change
    /// meant to be speed-only can show it declares the same bytes before and after (run both builds on the same file).
    /// </summary>
    private static int Hash(string path)
    {
        if (RunOf(path, out var error) is not { } run)
        {
            Console.WriteLine("error " + error);
            return 1;
        }

        var recorder = new RecordingPorts();
        var walked = FleetOrchestrator.Run(run, recorder.Ports);
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        void Add(string text)
        {
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes(text));
            sha.AppendData("\n"u8);
        }

        foreach (var line in recorder.PreviewLines())
        {
            Add(line);
        }

        foreach (var call in recorder.Calls)
        {
            Add(string.Join(' ', [call.Kind.ToString(), call.Id, call.Cluster, call.Name, call.Detail, .. call.DependsOn]));
        }

        foreach (var cluster in walked.Clusters.Values)
        {
            foreach (var release in cluster.Releases)
            {
                Add(release.Release.Key + " " + release.Release.Values.ToJsonString() + " " + string.Join(' ', release.Release.Crds));
            }
        }

        foreach (var rendered in walked.Namespaces.Select(n => n.Rendered).Concat(walked.Objects.Select(o => o.Rendered)).Concat(walked.Workloads.Select(w => w.Rendered)))
        {
            Add(rendered.Manifest.ToJsonString());
        }

        Add(StackOutputs.Write(walked.Outputs).ToJsonString());
        Console.WriteLine($"{Convert.ToHexStringLower(sha.GetHashAndReset())} {recorder.Calls.Count} calls {Path.GetFileName(path)}");
        return 0;
    }

    private static string? Child(string path, string warmup, string? exe)
    {
        var (finished, _, output, error) = RunChild(exe ?? Environment.ProcessPath!, ["e2e", "--one", path, warmup], TimeSpan.FromMinutes(10));
        return !finished ? null
            : output.Split('\n').LastOrDefault(l => l.StartsWith("ok ", StringComparison.Ordinal) || l.StartsWith("error", StringComparison.Ordinal))
            ?? "error " + error.Split('\n').FirstOrDefault();
    }

    /// <summary>The output of <c>walk</c> on these sizes, from a child process of this build (the e2e processes' memory is not in it).</summary>
    private static string Interleaved((int Clusters, int Workloads)[] sizes)
    {
        var (finished, exitCode, output, error) = RunChild(
            Environment.ProcessPath!,
            ["walk", "--sizes", string.Join(',', sizes.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Clusters}x{s.Workloads}")))],
            TimeSpan.FromMinutes(20));
        return !finished ? "The interleaved walk did not finish in 20 minutes."
            : exitCode == 0 ? output.TrimEnd() : "The interleaved walk failed: " + output.TrimEnd() + error.TrimEnd();
    }

    /// <summary>Runs a child process to its end (killed after <paramref name="timeout"/>: not finished), its output and errors read whole.</summary>
    private static (bool Finished, int ExitCode, string Output, string Error) RunChild(string exe, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEndAsync();
        var error = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(timeout))
        {
            child.Kill(entireProcessTree: true);
            return (false, -1, string.Empty, string.Empty);
        }

        return (true, child.ExitCode, output.Result, error.Result);
    }

    /// <summary><c>--sizes 200x20000,5x50</c>: clusters × workloads per stack file; <paramref name="defaults"/> without it.</summary>
    internal static (int Clusters, int Workloads)[] Sizes(string[] args, (int Clusters, int Workloads)[] defaults) =>
        args.Contains("--sizes")
            ? [.. args[Array.IndexOf(args, "--sizes") + 1].Split(',').Select(s => s.Split('x')).Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture)))]
            : defaults;

    /// <summary><c>--runs N</c>: fresh processes per size (3 without it).</summary>
    internal static int Runs(string[] args) => args.Contains("--runs") ? int.Parse(args[Array.IndexOf(args, "--runs") + 1], CultureInfo.InvariantCulture) : 3;

    /// <summary>Seconds as the tables show them: <c>1.91 s</c>, or <c>394 ms</c> under a second.</summary>
    internal static string Time(double seconds) =>
        seconds >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{seconds:0.00} s") : string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:0} ms");
}
