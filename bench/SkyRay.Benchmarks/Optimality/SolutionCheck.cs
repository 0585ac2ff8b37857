using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;

namespace SkyRay.Benchmarks.Optimality;

/// <summary>
/// Re-checks a CP-SAT solution with plain arithmetic, independent of the model's constraints: every workload
/// placed once, every group on a pool of its cluster, capacity per pool, node bounds, and the cost.
/// </summary>
internal static class SolutionCheck
{
    public static IReadOnlyList<string> Problems(FleetSpec spec, Optimum optimum)
    {
        var problems = new List<string>();
        if (optimum.HourlyCost is null)
        {
            return ["no solution"];
        }

        var used = new Dictionary<string, (long Cpu, long Mem, long Gpu)>(StringComparer.Ordinal);
        foreach (var workload in spec.Workloads.Values)
        {
            if (!optimum.Assignment.TryGetValue(workload.Name, out var cluster))
            {
                problems.Add($"{workload.Name}: not placed");
                continue;
            }

            foreach (var group in workload.Demand.Groups)
            {
                if (!optimum.GroupPools.TryGetValue($"{workload.Name}/{group.Group}", out var pool) || !pool.StartsWith(cluster + "/", StringComparison.Ordinal))
                {
                    problems.Add($"{workload.Name}/{group.Group}: not on a pool of {cluster}");
                    continue;
                }

                var u = used.GetValueOrDefault(pool);
                used[pool] = (u.Cpu + (group.Pod.CpuMillis * group.Count), u.Mem + (group.Pod.MemoryBytes * group.Count), u.Gpu + ((long)group.Pod.Gpus * group.Count));
            }
        }

        var cost = 0m;
        var activeClusters = optimum.Assignment.Values.ToHashSet(StringComparer.Ordinal);
        foreach (var cluster in spec.Clusters.Values)
        {
            var active = cluster.Lifecycle == ClusterLifecycle.Static || activeClusters.Contains(cluster.Name);
            foreach (var pool in cluster.NodePools)
            {
                var key = $"{cluster.Name}/{pool.Name}";
                var nodes = optimum.Nodes[key];
                spec.Catalog.TryGet(cluster.CatalogProvider!, pool.InstanceType, out var type);
                cost += nodes * type.HourlyUsd;
                if (nodes > pool.MaxNodes || (active && nodes < pool.MinNodes) || (!active && nodes > 0))
                {
                    problems.Add($"{key}: {nodes} nodes outside [{pool.MinNodes}, {pool.MaxNodes}] (cluster {(active ? "up" : "down")})");
                }

                var u = used.GetValueOrDefault(key);
                if (u.Cpu > nodes * SystemReserve.AllocatableCpuMillis(type) ||
                    u.Mem > nodes * SystemReserve.AllocatableMemoryBytes(type) ||
                    u.Gpu > (long)nodes * type.Gpus)
                {
                    problems.Add($"{key}: load {u} exceeds {nodes} × {type.Name}");
                }
            }
        }

        if (Math.Abs(cost - optimum.HourlyCost.Value) > 0.01m)
        {
            problems.Add($"cost recomputed {cost:0.####} ≠ model {optimum.HourlyCost:0.####}");
        }

        return problems;
    }
}
