using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Model;
using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Capacity;

/// <summary>What one node pool offers to pods at its largest planned size, counted the way the planner counts it.</summary>
/// <param name="Pool">Pool name.</param>
/// <param name="InstanceType">Instance type.</param>
/// <param name="MaxNodes">The pool's largest size in the plan (its autoscaling limit).</param>
/// <param name="CpuMillisPerNode">Millicores one node offers to pods, after the system reserve.</param>
/// <param name="MemoryBytesPerNode">Bytes one node offers to pods, after the system reserve.</param>
/// <param name="GpusPerNode">GPUs of one node.</param>
/// <param name="GpuType">GPU model, or null.</param>
/// <param name="InCatalog">False when the instance type is not in the catalog: the planner then counts no capacity for the pool
/// (and every figure above is 0).</param>
public sealed record PoolCapacity(
    string Pool,
    string InstanceType,
    int MaxNodes,
    long CpuMillisPerNode,
    long MemoryBytesPerNode,
    int GpusPerNode,
    string? GpuType,
    bool InCatalog)
{
    /// <summary>Millicores of the whole pool at <see cref="MaxNodes"/>.</summary>
    public long CpuMillis => CpuMillisPerNode * MaxNodes;

    /// <summary>Bytes of the whole pool at <see cref="MaxNodes"/>.</summary>
    public long MemoryBytes => MemoryBytesPerNode * MaxNodes;

    /// <summary>GPUs of the whole pool at <see cref="MaxNodes"/>.</summary>
    public long Gpus => (long)GpusPerNode * MaxNodes;
}

/// <summary>
/// The capacity the planner places work into, for consumers outside the planner that must agree with it (Kueue's ClusterQueue
/// quotas). Built from the planner's own pool model (<see cref="PlanPool"/>: catalog lookup, then the per-node
/// <see cref="Fleet.Catalog.SystemReserve"/>), so the two can never count differently.
/// </summary>
public static class ClusterCapacity
{
    /// <summary>Every pool of a cluster at its largest size in the plan, sorted by pool name.</summary>
    /// <param name="spec">The stack (instance catalog).</param>
    /// <param name="cluster">The cluster.</param>
    /// <param name="plan">The cluster's plan: its pools' <see cref="NodePoolPlan.MaxNodes"/> (the configured limit, also in standby).</param>
    /// <returns>One entry per pool of the cluster.</returns>
    public static ImmutableArray<PoolCapacity> AtMaximum(FleetSpec spec, ClusterSpec cluster, ClusterPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(plan);
        var result = ImmutableArray.CreateBuilder<PoolCapacity>(cluster.NodePools.Length);
        var index = 0;
        foreach (var pool in cluster.NodePools.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var planned = plan.Pools.FirstOrDefault(p => string.Equals(p.Pool, pool.Name, StringComparison.Ordinal));
            var sized = planned is null ? pool : pool with { MaxNodes = planned.MaxNodes };
            var type = PlanModel.Resolve(spec.Catalog, cluster, sized);
            var model = new PlanPool(index, 0, index, sized, type);
            index++;
            result.Add(type is null
                ? new PoolCapacity(pool.Name, pool.InstanceType, model.Max, 0, 0, 0, null, InCatalog: false)
                : new PoolCapacity(pool.Name, pool.InstanceType, model.Max, model.AllocCpu, model.AllocMem, model.Gpus, model.GpuType, InCatalog: true));
        }

        return result.MoveToImmutable();
    }
}
