using SkyRay.Benchmarks.Fleets;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Benchmarks.Optimality;

/// <summary>A node pool with its catalog facts resolved, as the planner's <c>PlanPool</c> sees it.</summary>
internal sealed record ModelPool(int Index, int Cluster, string Name, InstanceType Type, int Min, int Max)
{
    public string Key { get; init; } = "";

    /// <summary>Millicores one node offers to pods (after <see cref="SystemReserve"/>).</summary>
    public long Cpu { get; } = SystemReserve.AllocatableCpuMillis(Type);

    /// <summary>Bytes one node offers to pods.</summary>
    public long Mem { get; } = SystemReserve.AllocatableMemoryBytes(Type);

    public int Gpus => Type.Gpus;

    public bool HasGpu => Type.Gpus > 0;

    public decimal Price => Type.HourlyUsd;

    /// <summary>Pods of this shape one empty node holds.</summary>
    public long PodsPerNode(PodShape pod)
    {
        if (pod.CpuMillis > Cpu || pod.MemoryBytes > Mem || pod.Gpus > Gpus)
        {
            return 0;
        }

        var k = long.MaxValue;
        k = pod.CpuMillis > 0 ? Math.Min(k, Cpu / pod.CpuMillis) : k;
        k = pod.MemoryBytes > 0 ? Math.Min(k, Mem / pod.MemoryBytes) : k;
        k = pod.Gpus > 0 ? Math.Min(k, Gpus / pod.Gpus) : k;
        return k;
    }
}

/// <summary>A cluster of the model: when it is up and when its nodes start.</summary>
/// <param name="Index">Position in name order.</param>
/// <param name="Name">Cluster name.</param>
/// <param name="AlwaysUp">Static without standby: up (and paying its MinNodes) whether or not work lands on it.</param>
/// <param name="Pools">Its pools with a catalog type, by name.</param>
internal sealed record ModelCluster(int Index, string Name, bool AlwaysUp, IReadOnlyList<ModelPool> Pools)
{
    /// <summary>Work on a cluster that is not up when the plan starts waits for a wake-up or a creation (tier ≥ WakeStandby).</summary>
    public bool ActiveAtStart => AlwaysUp;
}

/// <summary>Where one pod group of a workload may go on one cluster.</summary>
internal sealed record GroupOption(PodGroupDemand Group, IReadOnlyList<ModelPool> Pools);

/// <summary>A workload and the clusters it may go to, each with the pools every group may use there.</summary>
internal sealed record ModelWorkload(string Name, WorkloadDemand Demand, IReadOnlyDictionary<int, IReadOnlyList<GroupOption>> Options);

/// <summary>
/// The placement rules of <c>src/SkyRay.Placement</c>, restated for the exact model and the checks, for fleets of
/// single-copy workloads (no policy, or a <c>clusterSelector</c>) planned from scratch (no previous plan):
/// <list type="bullet">
/// <item>cluster filters: the policy's clusterSelector over the cluster's labels (<c>ClusterSelectorFilter</c>);
/// a cluster must have a pool with a catalog type and MaxNodes above 0 (<c>NodePoolsFilter</c>);</item>
/// <item>a pod group goes whole to one pool of the workload's cluster (<c>UnitPacker</c>); a GPU group only to a
/// pool with at least its GPUs per node of a model that satisfies its gpuType (<c>GpuTypes.Satisfies</c>, as in
/// <c>GpuTypeFilter</c> and <c>UnitPacker.Eligible</c>); a CPU-only group to CPU pools, and to GPU pools only
/// when no CPU pool of the cluster can hold one of its pods (the planner's second pass);</item>
/// <item>one pod must fit an empty node after <see cref="SystemReserve"/>; capacity is per node;</item>
/// <item>start state: static clusters without standby are up from the start and always pay their MinNodes;
/// every other cluster is down until work lands on it, then pays its MinNodes too (<c>PlanModel.StartState</c>,
/// <c>PlanRun.ClusterPlanFor</c>).</item>
/// </list>
/// The planner's one state-dependent rule, a CPU group spilling to a GPU pool when the CPU pools are full, is not
/// in the model; <see cref="PlannerReplay"/> reports it when a plan does it.
/// </summary>
internal sealed class ModelFleet
{
    private ModelFleet(FleetSpec spec, List<ModelCluster> clusters, List<ModelPool> pools, List<ModelWorkload> workloads)
    {
        Spec = spec;
        Clusters = clusters;
        Pools = pools;
        Workloads = workloads;
    }

    public FleetSpec Spec { get; }

    public IReadOnlyList<ModelCluster> Clusters { get; }

    public IReadOnlyList<ModelPool> Pools { get; }

    public IReadOnlyList<ModelWorkload> Workloads { get; }

    /// <summary>Workloads with no cluster they may go to (the model is then infeasible).</summary>
    public IEnumerable<string> Unplaceable => Workloads.Where(w => w.Options.Count == 0).Select(w => w.Name);

    public static ModelFleet From(FleetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var clusters = new List<ModelCluster>();
        var pools = new List<ModelPool>();
        foreach (var cluster in spec.Clusters.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var own = new List<ModelPool>();
            foreach (var pool in cluster.NodePools.OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                var type = Resolve(spec.Catalog, cluster, pool);
                var min = Math.Max(0, pool.MinNodes);
                if (type is null)
                {
                    // The planner counts no capacity (and no cost) for a pool whose type is not in the catalog.
                    continue;
                }

                var p = new ModelPool(pools.Count, clusters.Count, pool.Name, type, min, Math.Max(min, pool.MaxNodes)) { Key = $"{cluster.Name}/{pool.Name}" };
                own.Add(p);
                pools.Add(p);
            }

            clusters.Add(new ModelCluster(clusters.Count, cluster.Name, cluster.Lifecycle == ClusterLifecycle.Static && cluster.Standby is null, own));
        }

        var workloads = new List<ModelWorkload>();
        foreach (var workload in spec.Workloads.Values)
        {
            var policy = workload.Policy is null ? null : spec.Policies[workload.Policy];
            if (policy is not null && (policy.OrderedClusterSelector is not null || policy.Spread is not null || policy.GroupByLabelKey is not null))
            {
                throw new NotSupportedException($"{workload.Name}: policy {policy.Name} is not single-copy; the exact model covers none and clusterSelector only");
            }

            var options = new SortedDictionary<int, IReadOnlyList<GroupOption>>();
            foreach (var cluster in clusters)
            {
                var clusterSpec = spec.Clusters[cluster.Name];
                if (!ClusterLabelSet.Matches(policy?.ClusterSelector, ClusterLabelSet.Of(clusterSpec)) || !cluster.Pools.Any(p => p.Max > 0))
                {
                    continue;
                }

                var groups = workload.Demand.Groups.Select(g => new GroupOption(g, EligiblePools(cluster, g.Pod))).ToList();
                if (groups.TrueForAll(g => g.Pools.Count > 0))
                {
                    options[cluster.Index] = groups;
                }
            }

            workloads.Add(new ModelWorkload(workload.Name, workload.Demand, options));
        }

        return new ModelFleet(spec, clusters, pools, workloads);
    }

    /// <summary>The pools of a cluster a group of this pod shape may use (see the class remarks).</summary>
    public static IReadOnlyList<ModelPool> EligiblePools(ModelCluster cluster, PodShape pod)
    {
        var usable = cluster.Pools.Where(p => p.Max > 0 && p.PodsPerNode(pod) > 0).ToList();
        if (pod.Gpus > 0)
        {
            return [.. usable.Where(p => p.HasGpu && GpuTypes.Satisfies(pod.GpuType, p.Type.GpuType))];
        }

        var cpuPools = usable.Where(p => !p.HasGpu).ToList();
        return cpuPools.Count > 0 ? cpuPools : [.. usable.Where(p => p.HasGpu)];
    }

    private static InstanceType? Resolve(InstanceCatalog catalog, ClusterSpec cluster, NodePoolSpec pool)
    {
        if (cluster.CatalogProvider is { } provider)
        {
            return catalog.TryGet(provider, pool.InstanceType, out var t) ? t : null;
        }

        var any = catalog.FindByName(pool.InstanceType);
        return any.IsDefaultOrEmpty ? null : any[0];
    }
}
