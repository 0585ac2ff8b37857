using System.Collections.Immutable;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Placement.Labels;
using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Model;

/// <summary>The fleet resolved once per plan: clusters in name order with labels, pools and start states.</summary>
internal sealed class PlanModel
{
    private PlanModel(PlanCluster[] clusters, PlanPool[] pools, long smallestPodCpu, long smallestPodMem)
    {
        Clusters = clusters;
        Pools = pools;
        SmallestPodCpu = smallestPodCpu;
        SmallestPodMem = smallestPodMem;
        ByName = clusters.ToDictionary(c => c.Name, c => c.Index, StringComparer.Ordinal);
    }

    /// <summary>Clusters sorted by name; a cluster's index is its position.</summary>
    public PlanCluster[] Clusters { get; }

    /// <summary>All pools of all clusters, by global index.</summary>
    public PlanPool[] Pools { get; }

    public Dictionary<string, int> ByName { get; }

    /// <summary>The least CPU (millicores) any pod of the fleet requests: a node with less free takes no pod.</summary>
    public long SmallestPodCpu { get; }

    /// <summary>The least memory (bytes) any pod of the fleet requests: a node with less free takes no pod.</summary>
    public long SmallestPodMem { get; }

    /// <param name="spec">The fleet.</param>
    /// <param name="previous">The previous plan, or null.</param>
    /// <param name="diagnostics">Where warnings go.</param>
    /// <param name="caps">Pool caps (a consolidate trial's), or null.</param>
    /// <param name="labels">The clusters' labels (<see cref="ClusterLabels.For"/>) when the caller keeps them across models
    /// of the same spec; null: built here.</param>
    /// <param name="poolsInOrder">A cluster's pools in ordinal name order (<see cref="PoolsInOrder"/>), likewise.</param>
    /// <param name="uncapped">A model of the same spec and previous plan built without caps, or null: a cluster none of whose
    /// pools is capped is taken from it as it is (clusters and pools hold nothing that depends on another cluster's caps),
    /// with the same warnings in the same place; only capped clusters are built.</param>
    public static PlanModel Build(FleetSpec spec, FleetPlan? previous, DiagnosticBag diagnostics, IReadOnlyDictionary<(string Cluster, string Pool), int>? caps = null, Func<ClusterSpec, ImmutableSortedDictionary<string, string>>? labels = null, Func<ClusterSpec, NodePoolSpec[]>? poolsInOrder = null, PlanModel? uncapped = null)
    {
        var clusters = new List<PlanCluster>(spec.Clusters.Count);
        var pools = new List<PlanPool>();
        HashSet<string>? capped = null;
        if (uncapped is not null && caps is not null)
        {
            capped = new HashSet<string>(StringComparer.Ordinal);
            foreach (var ((name, _), _) in caps)
            {
                capped.Add(name);
            }
        }

        foreach (var cluster in spec.Clusters.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            var index = clusters.Count;
            if (uncapped is not null && (capped is null || !capped.Contains(cluster.Name)) && index < uncapped.Clusters.Length &&
                ReferenceEquals(uncapped.Clusters[index].Spec, cluster))
            {
                var same = uncapped.Clusters[index];
                foreach (var pool in same.Pools)
                {
                    if (pool.Type is null)
                    {
                        UnknownType(diagnostics, cluster, pool.Spec);
                    }

                    pools.Add(pool);
                }

                clusters.Add(same);
                continue;
            }

            var prior = previous is not null && previous.Clusters.TryGetValue(cluster.Name, out var p) ? p : null;
            var startState = StartState(cluster, prior);
            var specPools = poolsInOrder is null ? PoolsInOrder(cluster) : poolsInOrder(cluster);
            var own = new PlanPool[specPools.Length];
            var running = new int[specPools.Length];
            for (var i = 0; i < specPools.Length; i++)
            {
                var type = Resolve(spec.Catalog, cluster, specPools[i]);
                if (type is null)
                {
                    UnknownType(diagnostics, cluster, specPools[i]);
                }

                var cap = caps is not null && caps.TryGetValue((cluster.Name, specPools[i].Name), out var c) ? c : (int?)null;
                var pool = new PlanPool(pools.Count, index, i, specPools[i], type, cluster.Provider, cap);
                own[i] = pool;
                pools.Add(pool);
                if (startState == ClusterState.Active)
                {
                    // Nodes the previous plan ran are still up, so work fitting on them starts at once.
                    var before = prior?.Pools.FirstOrDefault(x => string.Equals(x.Pool, pool.Name, StringComparison.Ordinal));
                    var previousNodes = before is not null && string.Equals(before.InstanceType, pool.Spec.InstanceType, StringComparison.Ordinal)
                        ? before.DesiredNodes
                        : 0;
                    running[i] = Math.Min(pool.Max, Math.Max(pool.Min, previousNodes));
                }
            }

            clusters.Add(new PlanCluster(index, cluster, labels is null ? ClusterLabels.For(cluster) : labels(cluster), own, startState, running));
        }

        if (uncapped is not null)
        {
            // The same workloads: the same smallest pod.
            return new PlanModel([.. clusters], [.. pools], uncapped.SmallestPodCpu, uncapped.SmallestPodMem);
        }

        long smallestCpu = long.MaxValue, smallestMem = long.MaxValue;
        foreach (var workload in spec.Workloads.Values)
        {
            foreach (var group in workload.Demand.Groups)
            {
                smallestCpu = Math.Min(smallestCpu, group.Pod.CpuMillis);
                smallestMem = Math.Min(smallestMem, group.Pod.MemoryBytes);
            }
        }

        return new PlanModel([.. clusters], [.. pools], Math.Max(0, smallestCpu), Math.Max(0, smallestMem));
    }

    private static void UnknownType(DiagnosticBag diagnostics, ClusterSpec cluster, NodePoolSpec pool) =>
        diagnostics.Warning(
            $"skyray:clusters.{cluster.Name}.nodePools.{pool.Name}.instanceType",
            $"instance type '{pool.InstanceType}' is not in the instance catalog, so placement counts no capacity for this pool",
            "use a type of the built-in catalog or describe it under skyray:instanceTypes");

    /// <summary>The cluster's pools by name, ordinal (a stable sort: pools of equal names keep their order).</summary>
    public static NodePoolSpec[] PoolsInOrder(ClusterSpec cluster) => cluster.NodePools.OrderBy(x => x.Name, StringComparer.Ordinal).ToArray();

    /// <summary>
    /// Looks a pool's type up under the cluster's catalog provider (the cloud, or the cloud an existing cluster
    /// runs on). An existing cluster that names no cloud may run anywhere, so its type is looked up by name across
    /// providers (aws, azure, gcp order).
    /// </summary>
    public static InstanceType? Resolve(InstanceCatalog catalog, ClusterSpec cluster, NodePoolSpec pool)
    {
        if (cluster.CatalogProvider is { } provider)
        {
            return catalog.TryGet(provider, pool.InstanceType, out var t) ? t : null;
        }

        var any = catalog.FindByName(pool.InstanceType);
        return any.IsDefaultOrEmpty ? null : any[0];
    }

    /// <summary>
    /// Where a cluster stands before this plan. Without a previous plan: static clusters run unless they have
    /// standby (suspend: standby, delete: absent); dynamic clusters are absent. With one: what it said.
    /// </summary>
    private static ClusterState StartState(ClusterSpec cluster, ClusterPlan? prior)
    {
        if (cluster.Lifecycle == ClusterLifecycle.Static && cluster.Standby is null)
        {
            return ClusterState.Active;
        }

        if (prior is not null)
        {
            return prior.State;
        }

        if (cluster.Lifecycle == ClusterLifecycle.Static)
        {
            return cluster.Standby!.Mode == StandbyMode.Suspend ? ClusterState.Standby : ClusterState.Absent;
        }

        return ClusterState.Absent;
    }
}
