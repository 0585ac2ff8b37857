using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using SkyRay.Benchmarks.Fleets;
using SkyRay.Benchmarks.Optimality;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Benchmarks;

/// <summary>
/// <c>--dry</c>: checks the benchmark's own parts: the generator is deterministic and
/// produces feasible fleets at every benchmark size, the CP-SAT model finds a known optimum and solutions that an
/// independent check accepts, and the <c>e2e</c> stack files load, pass the stack checks and plan without errors.
/// </summary>
internal static class DryRun
{
    /// <param name="args">Empty for every check; <c>e2e</c> for the stack files only (what CI runs).</param>
    public static int Run(string[] args)
    {
        var catalog = InstanceCatalogReader.BuiltIn();
        if (args is ["e2e", ..])
        {
            var problems = CheckStackFiles(catalog);
            Console.WriteLine(problems == 0 ? "dry run (e2e stack files) ok" : $"dry run (e2e stack files): {problems} problem(s)");
            return problems == 0 ? 0 : 1;
        }

        var failures = 0;

        Console.WriteLine("generator:");
        foreach (var (workloads, clusters) in new[] { (1_000, 10), (10_000, 100), (100_000, 1_000) })
        {
            var watch = Stopwatch.StartNew();
            var spec = SyntheticFleet.Generate(new FleetShape(clusters, workloads, Seed: 1), catalog);
            watch.Stop();
            var again = SyntheticFleet.Generate(new FleetShape(clusters, workloads, Seed: 1), catalog);
            var problems = GeneratorProblems(spec).ToList();
            if (Fingerprint(spec) != Fingerprint(again))
            {
                problems.Add("two runs with the same seed differ");
            }

            failures += problems.Count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {workloads,7:N0} workloads × {clusters,5:N0} clusters: generated in {watch.Elapsed.TotalMilliseconds:0} ms; {Mix(spec)}"));
            foreach (var p in problems.Take(5))
            {
                Console.WriteLine("    problem: " + p);
            }
        }

        Console.WriteLine("CP-SAT model (node level), hand-made instances with a known optimum:");
        foreach (var known in KnownInstances(catalog))
        {
            var fleet = ModelFleet.From(known.Spec);
            var optimum = MinimumCostModel.Solve(fleet, TimeSpan.FromSeconds(10));
            var problems = SolutionCheck.Problems(fleet, optimum.Solution).ToList();
            if (!optimum.Proven || optimum.HourlyCost != known.Expected)
            {
                problems.Add($"{optimum.Status} {optimum.HourlyCost:0.######} $/h, expected {known.Expected:0.######} $/h proven");
            }

            problems.AddRange(known.Where.Where(kv => optimum.Solution?.GroupPools.GetValueOrDefault(kv.Key) != kv.Value)
                .Select(kv => $"{kv.Key} on {optimum.Solution?.GroupPools.GetValueOrDefault(kv.Key) ?? "nothing"}, expected {kv.Value}"));
            failures += problems.Count;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {known.Name}: {optimum.HourlyCost:0.######} $/h ({known.Why}): {(problems.Count == 0 ? "ok" : "WRONG: " + string.Join("; ", problems))}"));
        }

        failures += CheckStackFiles(catalog);

        Console.WriteLine("CP-SAT model on seeded instances, solutions re-checked by plain arithmetic:");
        foreach (var family in OptimalityCommand.Families)
        {
            for (var seed = 1; seed <= 3; seed++)
            {
                var spec = SyntheticFleet.Generate(family.Shape(seed), catalog);
                var fleet = ModelFleet.From(spec);
                var optimum = MinimumCostModel.Solve(fleet, TimeSpan.FromSeconds(10));
                var problems = SolutionCheck.Problems(fleet, optimum.Solution);
                var recomputed = optimum.Solution?.Cost(fleet);
                var costOk = recomputed is { } r && Math.Abs(r - optimum.HourlyCost!.Value) < 0.0001m;
                if (optimum.Solution is null && family.Id == "c")
                {
                    // The large family is judged by the solver's bound under a time limit; finding no solution in the
                    // dry run's 10 s says nothing about the model.
                    Console.WriteLine(string.Create(
                        CultureInfo.InvariantCulture,
                        $"  {family.Id} seed {seed}: {spec.Clusters.Count} clusters, {spec.Workloads.Count} workloads → {optimum.Status} in {optimum.Elapsed.TotalSeconds:0.0} s: no solution to check within the dry run's limit"));
                    continue;
                }

                failures += problems.Count + (costOk ? 0 : 1);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  {family.Id} seed {seed}: {spec.Clusters.Count} clusters, {spec.Workloads.Count} workloads → {optimum.Status} {optimum.HourlyCost:0.00} $/h (bound {optimum.LowerBound:0.00}) in {optimum.Elapsed.TotalSeconds:0.0} s; check: {(problems.Count == 0 && costOk ? "ok" : string.Join("; ", problems.Take(3)) + (costOk ? "" : $" cost recomputed {recomputed}"))}"));
            }
        }

        Console.WriteLine(failures == 0 ? "dry run ok" : $"dry run: {failures} problem(s)");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// The e2e benchmark's stack files must load, pass the stack checks and plan without errors, and every command the
    /// <c>cli</c> benchmark times must exit 0 on them, or the timings measure an error path (a change of the config rules once broke every size unseen). <c>--dry e2e</c> runs this part alone (CI does).
    /// </summary>
    /// <returns>The number of problems.</returns>
    private static int CheckStackFiles(InstanceCatalog catalog)
    {
        var failures = 0;
        Console.WriteLine("e2e stack files (written, read, checked and run as `e2e` does, and through every command `cli` times):");
        foreach (var (clusters, workloads) in new[] { (5, 50), (20, 500) })
        {
            var path = Path.Combine(Path.GetTempPath(), $"skyray-dry-{Environment.ProcessId}-{clusters}x{workloads}.yaml");
            try
            {
                File.WriteAllText(path, EndToEnd.StackFileWriter.Write(SyntheticFleet.Generate(new FleetShape(clusters, workloads, Seed: 1), catalog)));
                var errors = StackFileErrors(path).Concat(EndToEnd.CliCommand.CommandProblems(path)).ToList();
                failures += errors.Count;
                Console.WriteLine($"  {clusters} x {workloads}: {(errors.Count == 0 ? "ok" : string.Join("; ", errors.Take(3)))}");
            }
            finally
            {
                File.Delete(path);
            }
        }

        return failures;
    }

    private static IEnumerable<string> StackFileErrors(string path)
    {
        var loaded = SkyRay.Fleet.Config.StackLoader.LoadFile(path);
        if (!loaded.Ok)
        {
            return Errors(loaded.Diagnostics);
        }

        var complete = Orchestration.FleetLoading.Complete(loaded);
        if (!complete.Ok)
        {
            return Errors(complete.Diagnostics);
        }

        var run = Orchestration.Runs.RunPlanner.Plan(new Orchestration.Runs.RunRequest(complete.Value!, Orchestration.Outputs.PreviousRun.None, new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));
        return run.Ok ? [] : Errors(run.Diagnostics);

        static IEnumerable<string> Errors(IEnumerable<SkyRay.Fleet.Diagnostics.Diagnostic> diagnostics) =>
            diagnostics.Where(d => d.Severity == SkyRay.Fleet.Diagnostics.Severity.Error).Select(d => d.ToString()).DefaultIfEmpty("not ok, without an error");
    }

    private static IEnumerable<string> GeneratorProblems(FleetSpec spec)
    {
        var offered = new List<(string Cluster, InstanceType Type)>();
        foreach (var cluster in spec.Clusters.Values)
        {
            foreach (var pool in cluster.NodePools)
            {
                if (!spec.Catalog.TryGet(cluster.CatalogProvider!, pool.InstanceType, out var type))
                {
                    yield return $"{cluster.Name}/{pool.Name}: {pool.InstanceType} not in the catalog";
                    continue;
                }

                offered.Add((cluster.Name, type));
            }
        }

        foreach (var workload in spec.Workloads.Values)
        {
            if (workload.Policy is not null && !spec.Policies.ContainsKey(workload.Policy))
            {
                yield return $"{workload.Name}: policy {workload.Policy} undefined";
            }

            foreach (var group in workload.Demand.Groups)
            {
                var fits = offered.Any(o =>
                    group.Pod.CpuMillis <= SystemReserve.AllocatableCpuMillis(o.Type) &&
                    group.Pod.MemoryBytes <= SystemReserve.AllocatableMemoryBytes(o.Type) &&
                    group.Pod.Gpus <= o.Type.Gpus &&
                    (group.Pod.Gpus == 0 || GpuTypes.Satisfies(group.Pod.GpuType, o.Type.GpuType)));
                if (!fits)
                {
                    yield return $"{workload.Name}/{group.Group}: no node of the fleet can hold one pod";
                }
            }
        }
    }

    private static string Mix(FleetSpec spec)
    {
        var statics = spec.Clusters.Values.Count(c => c.Lifecycle == ClusterLifecycle.Static);
        var gpuPools = spec.Clusters.Values.Sum(c => c.NodePools.Count(p => p.Name == "gpu"));
        var gpuWorkloads = spec.Workloads.Values.Count(w => w.Demand.TotalGpus > 0);
        var kinds = string.Join("/", Enum.GetValues<RayKind>().Select(k => spec.Workloads.Values.Count(w => w.Kind == k)));
        var withPolicy = spec.Workloads.Values.Count(w => w.Policy is not null);
        return $"{statics} static + {spec.Clusters.Count - statics} dynamic clusters, {gpuPools} GPU pools; {gpuWorkloads} GPU workloads, kinds {kinds}, {withPolicy} with a policy";
    }

    private static string Fingerprint(FleetSpec spec)
    {
        var text = new StringBuilder();
        foreach (var c in spec.Clusters.Values)
        {
            text.Append(c.Name).Append(c.Lifecycle).AppendJoin(',', c.NodePools.Select(p => $"{p.Name}:{p.InstanceType}:{p.MinNodes}-{p.MaxNodes}")).Append(';');
        }

        foreach (var w in spec.Workloads.Values)
        {
            text.Append(w.Name).Append(w.Kind).Append(w.Policy).AppendJoin(',', w.Demand.Groups.Select(g => $"{g.Pod}x{g.Count}")).Append(';');
        }

        return text.ToString();
    }

    /// <summary>A hand-made fleet, its optimum in $/h worked out by hand from catalog prices, and where groups must land.</summary>
    private sealed record Known(string Name, string Why, FleetSpec Spec, decimal Expected, IReadOnlyDictionary<string, string> Where);

    private static IEnumerable<Known> KnownInstances(InstanceCatalog catalog)
    {
        decimal Price(string provider, string type) => catalog.TryGet(provider, type, out var t) ? t.HourlyUsd : throw new InvalidOperationException(type);
        var none = new Dictionary<string, string>(StringComparer.Ordinal);

        // 3 pods of 1 CPU: m6i.large and e2-standard-2 keep 1.5 vCPU after the reserve, so one pod per node (3 nodes);
        // one m6i.xlarge (3.5 vCPU) holds all three. A per-pool count would have said 2 × e2-standard-2.
        yield return new Known(
            "node-packing",
            "1 × m6i.xlarge beats 3 × e2-standard-2; per pool it would be 2 × e2-standard-2",
            Fleet(
                catalog,
                [
                    ("aws-big", CloudProvider.Aws, false, [("cpu", "m6i.xlarge", 0, 10)]),
                    ("aws-small", CloudProvider.Aws, false, [("cpu", "m6i.large", 0, 10)]),
                    ("gcp-small", CloudProvider.Gcp, false, [("cpu", "e2-standard-2", 0, 10)]),
                ],
                [("job", [("head", 1000, 2, 0, null, 1), ("workers", 1000, 2, 0, null, 2)])]),
            Math.Min(Price("aws", "m6i.xlarge"), 3 * Math.Min(Price("aws", "m6i.large"), Price("gcp", "e2-standard-2"))),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["job/head"] = "aws-big/cpu" });

        // 5 pods of 3 CPU on 7.5 allocatable vCPU: 2 per node, so 3 nodes (15 CPU would fit 2 nodes per pool).
        yield return new Known(
            "bin-packing",
            "3 × m6i.2xlarge for 5 pods of 3 CPU",
            Fleet(
                catalog,
                [("aws-static", CloudProvider.Aws, true, [("cpu", "m6i.2xlarge", 0, 10)])],
                [("job", [("head", 3000, 4, 0, null, 1), ("workers", 3000, 4, 0, null, 4)])]),
            3 * Price("aws", "m6i.2xlarge"),
            none);

        // A static cluster always pays its running GPU node; its spare CPU must not take CPU pods while a CPU pool
        // can (the planner's CPU-pools-first rule); a dynamic cluster's MinNodes are paid only when it is used.
        yield return new Known(
            "min-nodes-and-cpu-pools-first",
            "g5.2xlarge (static MinNodes) + 1 × m6i.2xlarge; the idle dynamic cluster's 3 MinNodes cost nothing",
            Fleet(
                catalog,
                [
                    ("aws-static", CloudProvider.Aws, true, [("cpu", "m6i.2xlarge", 0, 5), ("gpu", "g5.2xlarge", 1, 2)]),
                    ("gcp-dyn", CloudProvider.Gcp, false, [("cpu", "e2-standard-8", 2, 5)]),
                    ("gcp-idle", CloudProvider.Gcp, false, [("cpu", "e2-standard-2", 3, 5)]),
                ],
                [("job", [("head", 2000, 4, 0, null, 1), ("workers", 2000, 4, 0, null, 1)])]),
            Price("aws", "g5.2xlarge") + Price("aws", "m6i.2xlarge"),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["job/head"] = "aws-static/cpu", ["job/workers"] = "aws-static/cpu" });

        // A100 workers: the cheap L4 pool does not qualify; 2 × a2-highgpu-1g beat one 8-GPU p4d.24xlarge.
        yield return new Known(
            "gpu-type",
            "e2-standard-2 + 2 × a2-highgpu-1g; L4 nodes do not satisfy A100",
            Fleet(
                catalog,
                [
                    ("aws-gpu", CloudProvider.Aws, false, [("cpu", "m6i.large", 0, 5), ("l4", "g6.xlarge", 0, 5), ("a100", "p4d.24xlarge", 0, 2)]),
                    ("gcp-gpu", CloudProvider.Gcp, false, [("cpu", "e2-standard-2", 0, 5), ("a100", "a2-highgpu-1g", 0, 4)]),
                ],
                [("train", [("head", 1000, 2, 0, null, 1), ("gpu-workers", 4000, 16, 1, "A100", 2)])]),
            Math.Min(
                Price("gcp", "e2-standard-2") + (2 * Price("gcp", "a2-highgpu-1g")),
                Price("aws", "m6i.large") + Price("aws", "p4d.24xlarge")),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["train/gpu-workers"] = "gcp-gpu/a100" });
    }

    private static FleetSpec Fleet(
        InstanceCatalog catalog,
        (string Name, CloudProvider Provider, bool Static, (string Name, string Type, int Min, int Max)[] Pools)[] clusters,
        (string Name, (string Name, long CpuMillis, int MemoryGi, int Gpus, string? GpuType, int Count)[] Groups)[] workloads)
    {
        var empty = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
        var clusterSpecs = clusters.Select(c => new ClusterSpec(
            c.Name,
            c.Provider,
            "r",
            "1.31",
            c.Static ? ClusterLifecycle.Static : ClusterLifecycle.Dynamic,
            null,
            empty,
            [.. c.Pools.Select(p => new NodePoolSpec(p.Name, p.Type, p.Min, p.Max, false, empty, []))]));
        var workloadSpecs = workloads.Select(w => new WorkloadSpec(
            w.Name, RayKind.RayJob, "default", empty, null, "2.52.0", "rayproject/ray:2.52.0", null, [], null, null, null,
            new WorkloadDemand([.. w.Groups.Select(g => new PodGroupDemand(g.Name, new PodShape(g.CpuMillis, (long)g.MemoryGi << 30, g.Gpus, g.GpuType), g.Count, g.Count, g.Count))])));
        return new FleetSpec(
            "known",
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, clusterSpecs.Select(c => KeyValuePair.Create(c.Name, c))),
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, workloadSpecs.Select(w => KeyValuePair.Create(w.Name, w))),
            ImmutableSortedDictionary.Create<string, SkyRay.Fleet.Policies.SchedulePolicy>(StringComparer.Ordinal),
            KubeRaySettings.Default,
            catalog);
    }
}
