namespace SkyRay.Benchmarks.Optimality;

/// <summary>Pods of one group on one node.</summary>
/// <param name="Pool">"cluster/pool".</param>
/// <param name="Node">Node index in the pool (0 first).</param>
/// <param name="Group">"workload/group".</param>
/// <param name="Pods">How many of the group's pods run there.</param>
internal readonly record struct NodeLoad(string Pool, int Node, string Group, int Pods);

/// <summary>A placement at node level: what the exact model returns and what <see cref="PlannerReplay"/> rebuilds from a plan.</summary>
/// <param name="Assignment">Workload → cluster.</param>
/// <param name="GroupPools">"workload/group" → "cluster/pool".</param>
/// <param name="Nodes">"cluster/pool" → nodes running (including MinNodes of clusters that are up).</param>
/// <param name="Loads">Pods per node.</param>
internal sealed record NodeSolution(
    IReadOnlyDictionary<string, string> Assignment,
    IReadOnlyDictionary<string, string> GroupPools,
    IReadOnlyDictionary<string, int> Nodes,
    IReadOnlyList<NodeLoad> Loads)
{
    /// <summary>Σ nodes × catalog price.</summary>
    public decimal Cost(ModelFleet fleet) => fleet.Pools.Sum(p => Nodes.GetValueOrDefault(p.Key) * p.Price);

    /// <summary>Workloads on clusters that are not up when the plan starts: they wait for a wake-up or a creation.</summary>
    public int SlowStarts(ModelFleet fleet)
    {
        var up = fleet.Clusters.Where(c => c.ActiveAtStart).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        return Assignment.Values.Count(c => !up.Contains(c));
    }
}
