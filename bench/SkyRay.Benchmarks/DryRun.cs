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
/// <c>--dry</c>: checks the benchmark's own parts without the planner: the generator is deterministic and
/// produces feasible fleets at every benchmark size, and the CP-SAT model finds a known optimum and solutions
/// that an independent check accepts.
/// </summary>
internal static class DryRun
{
    public static int Run()
    {
        var catalog = InstanceCatalogReader.BuiltIn();
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

        Console.WriteLine("CP-SAT model:");
        var known = KnownInstance(catalog);
        var knownOptimum = MinimumCostModel.Solve(known, TimeSpan.FromSeconds(10));
        catalog.TryGet("gcp", "e2-standard-2", out var e2);
        var expected = 2 * e2.HourlyUsd;
        var knownOk = knownOptimum.Proven && knownOptimum.HourlyCost == expected && knownOptimum.Assignment.GetValueOrDefault("job") == "gcp-cheap";
        failures += knownOk ? 0 : 1;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  known instance: {knownOptimum.Status}, {knownOptimum.HourlyCost:0.######} $/h on {knownOptimum.Assignment.GetValueOrDefault("job")} (expected {expected} on gcp-cheap): {(knownOk ? "ok" : "WRONG")}"));

        for (var seed = 1; seed <= 5; seed++)
        {
            var spec = SyntheticFleet.Generate(OptimalityCommand.Shape(seed), catalog);
            var optimum = MinimumCostModel.Solve(spec, TimeSpan.FromSeconds(10));
            var problems = SolutionCheck.Problems(spec, optimum);
            failures += problems.Count;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  seed {seed}: {spec.Clusters.Count} clusters, {spec.Workloads.Count} workloads → {optimum.Status} {optimum.HourlyCost:0.00} $/h (bound {optimum.LowerBound:0.00}) in {optimum.Elapsed.TotalSeconds:0.00} s; independent check: {(problems.Count == 0 ? "ok" : string.Join("; ", problems.Take(3)))}"));
        }

        Console.WriteLine(failures == 0 ? "dry run ok" : $"dry run: {failures} problem(s)");
        return failures == 0 ? 0 : 1;
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

    /// <summary>One job (3 × 1 CPU) and two dynamic clusters: the optimum is 2 gcp e2-standard-2 nodes (1.5 vCPU allocatable each).</summary>
    private static FleetSpec KnownInstance(InstanceCatalog catalog)
    {
        var empty = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
        ClusterSpec Cluster(string name, CloudProvider provider, string type) => new(
            name, provider, "r", "1.31", ClusterLifecycle.Dynamic, null, empty,
            [new NodePoolSpec("cpu", type, 0, 10, false, empty, [])]);
        var pod = new PodShape(1000, 2L << 30, 0, null);
        var job = new WorkloadSpec(
            "job", RayKind.RayJob, "default", empty, null, "2.52.0", "rayproject/ray:2.52.0", null, [], null, null, null,
            new WorkloadDemand([new PodGroupDemand("head", pod, 1, 1, 1), new PodGroupDemand("workers", pod, 2, 2, 2)]));
        return new FleetSpec(
            "known",
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new[]
            {
                KeyValuePair.Create("aws-dear", Cluster("aws-dear", CloudProvider.Aws, "m6i.large")),
                KeyValuePair.Create("gcp-cheap", Cluster("gcp-cheap", CloudProvider.Gcp, "e2-standard-2")),
            }),
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new[] { KeyValuePair.Create("job", job) }),
            ImmutableSortedDictionary.Create<string, SkyRay.Fleet.Policies.SchedulePolicy>(StringComparer.Ordinal),
            KubeRaySettings.Default,
            catalog);
    }
}
