using System.Runtime.CompilerServices;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Capacity;

/// <summary>The outcome of packing a unit onto one cluster.</summary>
/// <param name="Ok">True when every pod found a node.</param>
/// <param name="Tier">How quickly the copy can start.</param>
/// <param name="Cost">Catalog cost per hour of the nodes it adds (including MinNodes of a cluster it brings up).</param>
/// <param name="FailedGroup">The group that did not fit, or -1.</param>
internal readonly record struct Fit(bool Ok, LaunchTier Tier, decimal Cost, int FailedGroup);

/// <summary>
/// Packs a unit's pod groups onto one cluster: each group goes whole to one pool (so rendering can pin it with a
/// nodeSelector), groups hardest first, pods first-fit onto open nodes, then onto new nodes up to MaxNodes.
/// CPU-only pods use CPU pools and only fall back to GPU pools when no CPU pool can take them.
/// </summary>
internal sealed class UnitPacker(CapacityState state)
{
    public CapacityState State => state;

    /// <summary>Pools closed by a trial of the consolidate pass, or null (every pool open).</summary>
    public Consolidation.PoolClosures? Closures { get; set; }

    /// <summary>Packs the unit; keeps the result when <paramref name="keep"/>, else rolls it back.</summary>
    /// <param name="unit">The unit.</param>
    /// <param name="counts">Pods per group.</param>
    /// <param name="cluster">The cluster.</param>
    /// <param name="keep">Keep the capacity taken.</param>
    /// <param name="chosen">Receives the global pool index per group.</param>
    /// <returns>The fit.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Fit Evaluate(PlacementUnit unit, ReadOnlySpan<int> counts, PlanCluster cluster, bool keep, Span<int> chosen)
    {
        var savepoint = state.Savepoint;
        var cost = state.Activate(cluster);
        var scaled = false;
        foreach (var g in unit.PackOrder)
        {
            var preferred = unit.IsSticky ? unit.PreviousPool(g, cluster.Name) : null;
            if (!PlaceGroup(cluster, unit.Groups[g], counts[g], preferred, out var pool, out var groupScaled, out var paid))
            {
                state.Rollback(savepoint);
                return new Fit(false, cluster.StartTier, 0m, g);
            }

            chosen[g] = pool!.GlobalIndex;
            scaled |= groupScaled;
            cost += pool.Price * paid;
        }

        var tier = cluster.ActiveAtStart ? (scaled ? LaunchTier.ScaleUp : LaunchTier.RunningNodes) : cluster.StartTier;
        if (!keep)
        {
            state.Rollback(savepoint);
        }

        return new Fit(true, tier, cost, -1);
    }

    /// <summary>Packs the groups before <paramref name="failed"/> (in packing order) and leaves them in place, to explain why it did not fit.</summary>
    public void PackBefore(PlacementUnit unit, ReadOnlySpan<int> counts, PlanCluster cluster, int failed)
    {
        state.Activate(cluster);
        foreach (var g in unit.PackOrder)
        {
            if (g == failed)
            {
                return;
            }

            PlaceGroup(cluster, unit.Groups[g], counts[g], null, out _, out _, out _);
        }
    }

    /// <summary>
    /// True when the pool may run pods of the group in the given pass (CPU pools first for CPU pods, GPU pools for GPU
    /// pods), and the group tolerates the pool's taints (GPU pools carry the GPU taint, so CPU pods use them only when
    /// their workload tolerates it).
    /// </summary>
    public static bool Eligible(PlanPool pool, in UnitGroup group, bool gpuPass)
    {
        if (pool.Type is null || pool.Max == 0 || !group.Tolerance.Allows(pool))
        {
            return false;
        }

        if (group.Gpu > 0)
        {
            return gpuPass && pool.Gpus >= group.Gpu && pool.OffersGpu(group.GpuType);
        }

        return pool.HasGpu == gpuPass;
    }

    /// <summary>True when a CPU pool of the cluster capped below its declared MaxNodes (a consolidate trial) could hold a pod of the group.</summary>
    private static bool CappedCpuPoolCouldHold(PlanCluster cluster, in UnitGroup group)
    {
        foreach (var pool in cluster.Pools)
        {
            if (pool.Max < pool.DeclaredMax && pool.Type is not null && !pool.HasGpu && pool.PodsPerNode(group.Cpu, group.Mem, group.Gpu) > 0)
            {
                return true;
            }
        }

        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool PlaceGroup(PlanCluster cluster, in UnitGroup group, int count, string? preferred, out PlanPool? chosen, out bool scaled, out int paid)
    {
        chosen = null;
        scaled = false;
        paid = 0;
        var firstPass = group.Gpu == 0 ? false : true;
        if (count == 0)
        {
            // No pods to count, but rendering still needs the pool these pods would run on when they scale up.
            for (var pass = 0; pass < 2; pass++)
            {
                var gpuPass = pass == 0 ? firstPass : true;
                foreach (var pool in cluster.Pools)
                {
                    if (Eligible(pool, group, gpuPass) && pool.PodsPerNode(group.Cpu, group.Mem, group.Gpu) > 0)
                    {
                        chosen = pool;
                        return true;
                    }
                }
            }

            return false;
        }

        if (preferred is not null)
        {
            foreach (var pool in cluster.Pools)
            {
                if (string.Equals(pool.Name, preferred, StringComparison.Ordinal) &&
                    (Eligible(pool, group, false) || Eligible(pool, group, true)))
                {
                    var sp = state.Savepoint;
                    if (state.Pack(pool, group.Cpu, group.Mem, group.Gpu, count, out scaled, out paid))
                    {
                        chosen = pool;
                        return true;
                    }

                    state.Rollback(sp);
                }
            }
        }

        for (var pass = 0; pass < (group.Gpu == 0 ? 2 : 1); pass++)
        {
            var gpuPass = pass == 0 ? firstPass : true;
            if (gpuPass && group.Gpu == 0 && CappedCpuPoolCouldHold(cluster, group))
            {
                // A consolidate trial capped a CPU pool to move its overflow elsewhere, not onto a GPU pool.
                continue;
            }

            PlanPool? only = null;
            var eligible = 0;
            foreach (var pool in cluster.Pools)
            {
                if ((Eligible(pool, group, gpuPass) && Closures?.Blocks(cluster, pool, group, gpuPass) != true))
                {
                    only = pool;
                    eligible++;
                }
            }

            if (eligible == 0)
            {
                continue;
            }

            if (eligible == 1)
            {
                // One pool to choose from: pack straight into it, no trial.
                var sp = state.Savepoint;
                if (state.Pack(only!, group.Cpu, group.Mem, group.Gpu, count, out scaled, out paid))
                {
                    chosen = only;
                    return true;
                }

                state.Rollback(sp);
                continue;
            }

            PlanPool? best = null;
            bool bestScaled = false;
            var bestCost = 0m;
            foreach (var pool in cluster.Pools)
            {
                if (!(Eligible(pool, group, gpuPass) && Closures?.Blocks(cluster, pool, group, gpuPass) != true))
                {
                    continue;
                }

                var sp = state.Savepoint;
                var ok = state.Pack(pool, group.Cpu, group.Mem, group.Gpu, count, out var s, out var p);
                if (ok && !s && p == 0)
                {
                    // Running nodes and nothing added: no later pool (by name) can do better; keep it.
                    chosen = pool;
                    scaled = false;
                    paid = 0;
                    return true;
                }

                state.Rollback(sp);
                var c = pool.Price * p;
                if (ok && (best is null || (bestScaled && !s) || (bestScaled == s && c < bestCost)))
                {
                    best = pool;
                    bestScaled = s;
                    bestCost = c;
                }
            }

            if (best is not null)
            {
                state.Pack(best, group.Cpu, group.Mem, group.Gpu, count, out scaled, out paid);
                chosen = best;
                return true;
            }
        }

        return false;
    }
}
