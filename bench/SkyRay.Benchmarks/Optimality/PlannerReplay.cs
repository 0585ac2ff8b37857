using SkyRay.Fleet.Workloads;
using SkyRay.Placement.Planning;

namespace SkyRay.Benchmarks.Optimality;

/// <summary>A plan rebuilt at node level, and where it does not fit the exact model's rules.</summary>
/// <param name="Solution">The plan's placement with the pods on nodes as the planner packs them.</param>
/// <param name="Mismatches">Pools whose rebuilt node count differs from the plan's DesiredNodes (the replay is wrong).</param>
/// <param name="OutsideModel">Choices the model does not allow (a CPU group spilled onto a GPU pool, an unplaced workload).</param>
/// <param name="SlowStarts">Copies the plan starts at tier WakeStandby or CreateCluster.</param>
internal sealed record Replayed(NodeSolution Solution, IReadOnlyList<string> Mismatches, IReadOnlyList<string> OutsideModel, int SlowStarts);

/// <summary>
/// Rebuilds the node-level packing of a plan (which only records pools and node counts): the planner's order
/// (GPU-heavy workloads first, then CPU, then memory, then name; within a workload its hardest groups first),
/// MinNodes opened when a cluster comes up, pods first-fit onto open nodes, then onto new ones. A replay that
/// reproduces every DesiredNodes confirms the model counts capacity the way the planner does, and gives the
/// solver the planner's plan as a complete starting point.
/// </summary>
internal static class PlannerReplay
{
    public static Replayed Replay(ModelFleet fleet, FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(plan);
        var outside = new List<string>();
        var open = fleet.Pools.Select(_ => new List<(long Cpu, long Mem, int Gpu)>()).ToArray();
        var up = fleet.Clusters.Select(c => c.AlwaysUp).ToArray();
        foreach (var c in fleet.Clusters.Where(c => c.AlwaysUp))
        {
            foreach (var p in c.Pools)
            {
                OpenTo(open[p.Index], p, p.Min);
            }
        }

        var assignment = new Dictionary<string, string>(StringComparer.Ordinal);
        var groupPools = new Dictionary<string, string>(StringComparer.Ordinal);
        var loads = new List<NodeLoad>();
        var slow = 0;
        foreach (var w in fleet.Workloads.OrderBy(w => w, Comparer<ModelWorkload>.Create(PlannerOrder)))
        {
            if (plan.Placements.GetValueOrDefault(w.Name)?.Copies is not { Length: 1 } copies)
            {
                outside.Add($"{w.Name}: {plan.Placements.GetValueOrDefault(w.Name)?.Copies.Length ?? 0} copies (the model places each workload once)");
                continue;
            }

            var copy = copies[0];
            slow += copy.Tier >= LaunchTier.WakeStandby ? 1 : 0;
            var cluster = fleet.Clusters.First(c => c.Name == copy.Cluster);
            assignment[w.Name] = cluster.Name;
            if (!w.Options.TryGetValue(cluster.Index, out var options))
            {
                outside.Add($"{w.Name}: on {cluster.Name}, which the model does not allow");
                continue;
            }

            if (!up[cluster.Index])
            {
                up[cluster.Index] = true;
                foreach (var p in cluster.Pools)
                {
                    OpenTo(open[p.Index], p, p.Min);
                }
            }

            foreach (var option in options.OrderBy(o => o, Comparer<GroupOption>.Create(Harder)))
            {
                var group = option.Group;
                var key = $"{w.Name}/{group.Group}";
                var pool = cluster.Pools.First(p => p.Name == copy.GroupPools[group.Group]);
                groupPools[key] = pool.Key;
                if (!option.Pools.Contains(pool))
                {
                    outside.Add($"{key}: on pool {pool.Key}, which the model does not allow for it (a CPU group on a GPU pool while a CPU pool could hold it)");
                }

                var remaining = group.Count;
                var nodes = open[pool.Index];
                for (var j = 0; remaining > 0; j++)
                {
                    if (j == nodes.Count)
                    {
                        OpenTo(nodes, pool, j + 1);
                    }

                    var n = nodes[j];
                    var k = (int)Math.Min(remaining, Fit(n, group.Pod));
                    if (k > 0)
                    {
                        nodes[j] = (n.Cpu - (group.Pod.CpuMillis * k), n.Mem - (group.Pod.MemoryBytes * k), n.Gpu - (group.Pod.Gpus * k));
                        loads.Add(new NodeLoad(pool.Key, j, key, k));
                        remaining -= k;
                    }
                }
            }
        }

        var counts = fleet.Pools.ToDictionary(p => p.Key, p => open[p.Index].Count, StringComparer.Ordinal);
        var mismatches = new List<string>();
        foreach (var p in fleet.Pools)
        {
            var desired = plan.Clusters[fleet.Clusters[p.Cluster].Name].Pools.First(x => x.Pool == p.Name).DesiredNodes;
            if (desired != counts[p.Key])
            {
                mismatches.Add($"{p.Key}: replay runs {counts[p.Key]} nodes, the plan {desired}");
            }
        }

        return new Replayed(new NodeSolution(assignment, groupPools, counts, loads), mismatches, outside, slow);
    }

    private static void OpenTo(List<(long Cpu, long Mem, int Gpu)> nodes, ModelPool pool, int target)
    {
        while (nodes.Count < target)
        {
            nodes.Add((pool.Cpu, pool.Mem, pool.Gpus));
        }
    }

    private static long Fit((long Cpu, long Mem, int Gpu) n, PodShape pod)
    {
        if (n.Cpu < pod.CpuMillis || n.Mem < pod.MemoryBytes || n.Gpu < pod.Gpus)
        {
            return 0;
        }

        var k = long.MaxValue;
        k = pod.CpuMillis > 0 ? Math.Min(k, n.Cpu / pod.CpuMillis) : k;
        k = pod.MemoryBytes > 0 ? Math.Min(k, n.Mem / pod.MemoryBytes) : k;
        return pod.Gpus > 0 ? Math.Min(k, n.Gpu / pod.Gpus) : k;
    }

    /// <summary>PlanRun's unit order: more GPUs, then more CPU, then more memory, then name.</summary>
    private static int PlannerOrder(ModelWorkload? a, ModelWorkload? b)
    {
        static (long Cpu, long Mem, long Gpu) Totals(WorkloadDemand d) =>
            (d.Groups.Sum(g => g.Pod.CpuMillis * g.Count), d.Groups.Sum(g => g.Pod.MemoryBytes * g.Count), d.Groups.Sum(g => (long)g.Pod.Gpus * g.Count));
        var (ac, am, ag) = Totals(a!.Demand);
        var (bc, bm, bg) = Totals(b!.Demand);
        var c = bg.CompareTo(ag);
        c = c != 0 ? c : bc.CompareTo(ac);
        c = c != 0 ? c : bm.CompareTo(am);
        return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
    }

    /// <summary>PlacementUnit's pack order: more GPUs per pod, then CPU, then memory, then declaration order (OrderBy is stable).</summary>
    private static int Harder(GroupOption? a, GroupOption? b)
    {
        var c = b!.Group.Pod.Gpus.CompareTo(a!.Group.Pod.Gpus);
        c = c != 0 ? c : b.Group.Pod.CpuMillis.CompareTo(a.Group.Pod.CpuMillis);
        return c != 0 ? c : b.Group.Pod.MemoryBytes.CompareTo(a.Group.Pod.MemoryBytes);
    }
}
