using System.Collections.Immutable;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Fleet.Config;

/// <summary>
/// Checks that span sections: policy references, and that every pod of every workload fits on at least one
/// node pool of the fleet (after <see cref="SystemReserve"/>), so impossible workloads fail before planning.
/// </summary>
internal static class FleetChecks
{
    /// <summary>Runs the cross-section checks.</summary>
    /// <param name="clusters">Clusters read.</param>
    /// <param name="workloads">Workloads read.</param>
    /// <param name="policies">Policies read.</param>
    /// <param name="catalog">The instance catalog.</param>
    /// <param name="clustersClean">False when clusters had errors: capacity is then unknown, so the fit check is skipped rather than guessing.</param>
    /// <param name="d">Where problems are reported.</param>
    public static void Run(
        ImmutableSortedDictionary<string, ClusterSpec> clusters,
        ImmutableSortedDictionary<string, WorkloadSpec> workloads,
        ImmutableSortedDictionary<string, SchedulePolicy> policies,
        InstanceCatalog catalog,
        bool clustersClean,
        DiagnosticBag d)
    {
        foreach (var w in workloads.Values)
        {
            if (w.Policy is { } policy && !policies.ContainsKey(policy))
            {
                d.Error(
                    ConfigReader.Child(WorkloadPath(w), "policy"),
                    $"policy '{KubernetesNames.Shorten(policy)}' is not defined",
                    policies.Count == 0 ? "define it under skyray:policies or in a file of skyray:policyFiles" : Suggestions.Hint(policy, [.. policies.Keys], "policies"));
            }
        }

        if (!clustersClean || workloads.IsEmpty)
        {
            return;
        }

        if (clusters.IsEmpty)
        {
            d.Error("skyray:clusters", $"{workloads.Count} workload(s) are declared but no cluster to run them", "add a cluster under skyray:clusters");
            return;
        }

        var pools = Pools(clusters, catalog);
        foreach (var w in workloads.Values)
        {
            foreach (var group in w.Demand.Groups)
            {
                CheckFits(w, group, pools, catalog, d);
            }
        }
    }

    /// <summary>A node pool with its catalog type.</summary>
    private sealed record Candidate(string Cluster, string Pool, InstanceType Type, long Cpu, long Memory);

    private static List<Candidate> Pools(ImmutableSortedDictionary<string, ClusterSpec> clusters, InstanceCatalog catalog)
    {
        var result = new List<Candidate>();
        foreach (var c in clusters.Values)
        {
            if (c.CatalogProvider is not { } provider)
            {
                continue;
            }

            foreach (var p in c.NodePools)
            {
                if (catalog.TryGet(provider, p.InstanceType, out var type))
                {
                    result.Add(new Candidate(c.Name, p.Name, type, SystemReserve.AllocatableCpuMillis(type), SystemReserve.AllocatableMemoryBytes(type)));
                }
            }
        }

        return result;
    }

    private static void CheckFits(WorkloadSpec w, PodGroupDemand group, List<Candidate> pools, InstanceCatalog catalog, DiagnosticBag d)
    {
        var pod = group.Pod;
        var path = GroupPath(w, group.Group);
        if (pod.GpuType is { } gpuType && !pools.Any(p => GpuTypes.Satisfies(gpuType, p.Type.GpuType)))
        {
            var offered = catalog.All.Where(t => GpuTypes.Satisfies(gpuType, t.GpuType))
                .GroupBy(t => t.Provider, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => $"{g.Key} ({string.Join(", ", g.Select(t => t.Name).Order(StringComparer.Ordinal).Take(3))})");
            d.Error(
                ConfigReader.Child(path, "gpuType"),
                $"{GroupName(group)} needs {gpuType} GPUs but no node pool in the fleet has them",
                $"add a node pool with an instance type that has {gpuType}: the catalog offers it on {string.Join("; ", offered)}");
            return;
        }

        if (pools.Any(p => Fits(pod, p)))
        {
            return;
        }

        var largest = Largest(pod, pools);
        var need = $"{Quantities.FormatCpu(pod.CpuMillis)} CPU, {Quantities.FormatMemory(pod.MemoryBytes)} memory" +
            (pod.Gpus > 0 ? $", {pod.Gpus} × {pod.GpuType ?? "any"} GPU" : "");
        var candidate = largest is null
            ? "the fleet has no node pool with a catalog instance type"
            : $"the largest candidate is pool '{largest.Pool}' of cluster '{largest.Cluster}' ({largest.Type.Name}: " +
              $"{Quantities.FormatCpu(largest.Cpu)} CPU, {Quantities.FormatMemory(largest.Memory)} memory" +
              (largest.Type.Gpus > 0 ? $", {largest.Type.Gpus} × {largest.Type.GpuType} GPU" : ", no GPU") +
              " after the system reserve of 0.5 CPU and 1Gi per node)";
        d.Error(
            path,
            $"{GroupName(group)} needs pods of {need}, and no node pool anywhere can hold one; {candidate}",
            "make the pods smaller or add a node pool with a larger instance type");
    }

    private static bool Fits(PodShape pod, Candidate pool) =>
        pod.CpuMillis <= pool.Cpu &&
        pod.MemoryBytes <= pool.Memory &&
        pod.Gpus <= pool.Type.Gpus &&
        (pod.Gpus == 0 || GpuTypes.Satisfies(pod.GpuType, pool.Type.GpuType));

    private static Candidate? Largest(PodShape pod, List<Candidate> pools)
    {
        // The closest thing to what the pod needs: the right GPU type first, then most GPUs, CPU and memory.
        var relevant = pod.GpuType is { } t && pools.Any(p => GpuTypes.Satisfies(t, p.Type.GpuType))
            ? pools.Where(p => GpuTypes.Satisfies(t, p.Type.GpuType))
            : pod.Gpus > 0 && pools.Any(p => p.Type.Gpus > 0) ? pools.Where(p => p.Type.Gpus > 0) : pools;
        return relevant
            .OrderByDescending(p => pod.Gpus > 0 ? p.Type.Gpus : 0)
            .ThenByDescending(p => p.Cpu)
            .ThenByDescending(p => p.Memory)
            .ThenBy(p => p.Cluster, StringComparer.Ordinal)
            .ThenBy(p => p.Pool, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static string WorkloadPath(WorkloadSpec w) => ConfigReader.Child("skyray:workloads", w.Name);

    private static string GroupName(PodGroupDemand group) =>
        group.Group == "head" ? "the head group" : $"worker group '{group.Group}'";

    private static string GroupPath(WorkloadSpec w, string group)
    {
        var path = WorkloadPath(w);
        if (w.IsRaw)
        {
            return ConfigReader.Child(path, "spec");
        }

        if (group == "head")
        {
            return ConfigReader.Child(path, "head");
        }

        var index = w.WorkerGroups.Select(g => g.Name).ToList().IndexOf(group);
        return ConfigReader.Item(ConfigReader.Child(path, "workerGroups"), Math.Max(0, index));
    }
}
