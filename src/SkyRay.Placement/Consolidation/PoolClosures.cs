using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline;

namespace SkyRay.Placement.Consolidation;

/// <summary>
/// Pools a trial plan of the <c>consolidate</c> pass keeps closed to new placements: the packer skips them when it
/// chooses a pool for a group (a sticky group's previous pool is still honoured), so their work goes elsewhere.
/// </summary>
internal sealed class PoolClosures
{
    private readonly bool[] _closed;

    private PoolClosures(bool[] closed) => _closed = closed;

    /// <summary>Resolves (cluster, pool) names to the pools of this run's model.</summary>
    public static PoolClosures For(PlanModel model, IReadOnlyCollection<(string Cluster, string Pool)> closed)
    {
        var flags = new bool[model.Pools.Length];
        foreach (var pool in model.Pools)
        {
            flags[pool.GlobalIndex] = closed.Contains((model.Clusters[pool.Cluster].Name, pool.Name));
        }

        return new PoolClosures(flags);
    }

    /// <summary>
    /// True when the packer must not use the pool for the group in this trial: the pool is closed, or it is a GPU pool
    /// offered to CPU pods (second pass) while a closed CPU pool of the cluster could hold them. Closing a pool moves
    /// work; it never turns the CPU-pools-first rule around.
    /// </summary>
    public bool Blocks(PlanCluster cluster, PlanPool pool, in UnitGroup group, bool gpuPass)
    {
        if (_closed[pool.GlobalIndex])
        {
            return true;
        }

        if (group.Gpu > 0 || !gpuPass)
        {
            return false;
        }

        foreach (var other in cluster.Pools)
        {
            if (_closed[other.GlobalIndex] && Capacity.UnitPacker.Eligible(other, group, gpuPass: false) &&
                other.PodsPerNode(group.Cpu, group.Mem, group.Gpu) > 0)
            {
                return true;
            }
        }

        return false;
    }
}
