using System.Diagnostics;
using System.Globalization;
using SkyRay.Benchmarks.Fleets;
using SkyRay.Fleet.Catalog;
using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Runs;

namespace SkyRay.Benchmarks.EndToEnd;

/// <summary>
/// <c>walk</c>: the orchestrator walk's time per declared resource at every size, measured in one process with the sizes
/// interleaved. The <c>e2e</c> table times each size in its own process, minutes apart, and this machine's speed drifts by
/// up to a third within an hour, so a size can look slower only because its process ran at a slow minute. Here every stack
/// file is read, checked and run once, then each round walks every size in turn (the order rotates from round to round),
/// each size about <see cref="PerRound"/> resources (whole walks, at least one); the collections the walks cause are in
/// the time, as they are in a user's run (a forced collection, untimed, before each size's turn gives each the same start).
/// A size's figure is its median round; the drift of the machine hits every size alike.
/// </summary>
internal static class WalkCommand
{
    /// <summary>Resources walked per size and round (a 5 x 50 stack walks about 250 times per round, 200 x 20,000 once or twice).</summary>
    private const int PerRound = 40_000;

    /// <summary>The share by which the slowest size's median may exceed the fastest's and still count as flat.</summary>
    private const double Flat = 0.20;

    public static int Run(string[] args)
    {
        var sizes = EndToEndCommand.Sizes(args, EndToEndCommand.DefaultSizes);
        var rounds = args.Contains("--rounds") ? int.Parse(args[Array.IndexOf(args, "--rounds") + 1], CultureInfo.InvariantCulture) : 15;
        var catalog = InstanceCatalogReader.BuiltIn();
        var dir = Directory.CreateTempSubdirectory("skyray-walk-").FullName;
        var stacks = new List<(int Clusters, int Workloads, RunPlan Run, int Resources, int RayObjects)>();
        try
        {
            foreach (var (clusters, workloads) in sizes)
            {
                var path = Path.Combine(dir, $"Pulumi.c{clusters}w{workloads}.yaml");
                File.WriteAllText(path, StackFileWriter.Write(SyntheticFleet.Generate(new FleetShape(clusters, workloads, Seed: 1), catalog)));
                if (EndToEndCommand.RunOf(path, out _) is not { } run)
                {
                    Console.WriteLine($"{clusters} x {workloads}: the stack does not load or run");
                    return 1;
                }

                var calls = RecordingPorts.Record(run).Calls;
                stacks.Add((clusters, workloads, run, calls.Count(c => c.Kind != RecordedKind.Outputs), calls.Count(c => c.Kind == RecordedKind.Workload)));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }

        // Warm-up: two rounds' worth of every size, untimed, so every walk runs optimized code (see e2e --one).
        for (var w = 0; w < 2; w++)
        {
            foreach (var stack in stacks)
            {
                Walk(stack.Run, WalksPerRound(stack.Resources));
                Thread.Sleep(200);
            }
        }

        var perResource = stacks.Select(_ => new List<(double Wall, double Pause, int Gen0, int Gen1, int Gen2)>()).ToArray();
        var watch = new Stopwatch();
        for (var r = 0; r < rounds; r++)
        {
            for (var k = 0; k < stacks.Count; k++)
            {
                var i = (k + r) % stacks.Count;
                var walks = WalksPerRound(stacks[i].Resources);
                GC.Collect(2, GCCollectionMode.Forced, blocking: true);
                var pause = GC.GetTotalPauseDuration();
                var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                watch.Restart();
                Walk(stacks[i].Run, walks);
                watch.Stop();
                var per = 1e6 / ((double)walks * stacks[i].Resources);
                perResource[i].Add((watch.Elapsed.TotalSeconds * per, (GC.GetTotalPauseDuration() - pause).TotalSeconds * per,
                    GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2));
            }
        }

        Console.WriteLine($"The orchestrator walk, all sizes in one process, interleaved ({rounds} rounds; each round walks every size in turn, about {PerRound:N0} resources each, the order rotating; collections included, a forced one untimed before each turn); {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {Scale.ScaleCommand.LoadAverage()}.");
        Console.WriteLine();
        Console.WriteLine("| Clusters | Workloads | Declared resources | Ray objects | Walks per round | µs per resource (median round) | fastest / slowest round | of which GC pauses (median round) | Collections per round (gen0/1/2, median round) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var medians = new double[stacks.Count];
        for (var i = 0; i < stacks.Count; i++)
        {
            var sorted = perResource[i].Order().ToArray();
            var median = sorted[sorted.Length / 2];
            medians[i] = median.Wall;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {stacks[i].Clusters:N0} | {stacks[i].Workloads:N0} | {stacks[i].Resources:N0} | {stacks[i].RayObjects:N0} | {WalksPerRound(stacks[i].Resources)} | {median.Wall:0.00} | {sorted[0].Wall:0.00} / {sorted[^1].Wall:0.00} | {median.Pause:0.00} | {median.Gen0}/{median.Gen1}/{median.Gen2} |"));
        }

        var (low, high) = (medians.Min(), medians.Max());
        Console.WriteLine();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Spread of the medians: {low:0.00}–{high:0.00} µs per resource, the slowest {(high / low) - 1:P0} above the fastest: {(high / low - 1 <= Flat ? "flat" : "not flat")} within {Flat:P0}."));
        return 0;
    }

    private static int WalksPerRound(int resources) => Math.Max(1, (int)Math.Round(PerRound / (double)Math.Max(1, resources)));

    private static void Walk(RunPlan run, int times)
    {
        for (var i = 0; i < times; i++)
        {
            _ = RecordingPorts.Record(run);
        }
    }
}
