using System.Globalization;
using System.Text;
using SkyRay.Placement.Capacity;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline;

namespace SkyRay.Placement.Explain;

/// <summary>Builds the plain-words reasons of verdicts. Only called when a reason is shown or kept, never in the hot loop.</summary>
internal static class VerdictText
{
    /// <summary>
    /// Why a unit does not fit a cluster's capacity: the group that failed, what one pod needs, and per pool
    /// what one node offers after the system reserve or how much room is left.
    /// </summary>
    public static string CapacityFailure(UnitPacker packer, PlacementUnit unit, ReadOnlySpan<int> counts, PlanCluster cluster)
    {
        var state = packer.State;
        Span<int> chosen = stackalloc int[unit.Groups.Length];
        var fit = packer.Evaluate(unit, counts, cluster, keep: false, chosen);
        if (fit.Ok)
        {
            return "fits";
        }

        var g = fit.FailedGroup;
        var group = unit.Groups[g];
        var savepoint = state.Savepoint;
        packer.PackBefore(unit, counts, cluster, g);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{unit.GroupLabel(g)} needs {counts[g]} pod(s) of {Quantities.Pod(group.Cpu, group.Mem, group.Gpu, group.GpuType)}; ");
        var pools = cluster.Pools.Where(p => UnitPacker.Eligible(p, group, false) || UnitPacker.Eligible(p, group, true)).ToList();
        if (pools.Count == 0)
        {
            text.Append("no pool can run these pods");
        }
        else
        {
            var parts = new List<string>(pools.Count);
            foreach (var pool in pools)
            {
                if (pool.PodsPerNode(group.Cpu, group.Mem, group.Gpu) == 0)
                {
                    parts.Add($"{pool.Describe()} offers {Quantities.Pod(pool.AllocCpu, pool.AllocMem, pool.Gpus, pool.GpuType)} per node after the system reserve, too small for one pod");
                }
                else
                {
                    var room = state.Room(pool, group.Cpu, group.Mem, group.Gpu);
                    var max = pool.Max == pool.DeclaredMax ? $"max {pool.Max} node(s)" : $"max {pool.DeclaredMax} node(s), capped at {pool.Max} by consolidate";
                    parts.Add($"{pool.Describe()} has room for {room} more ({max}, {state.Opened(pool)} open)");
                }
            }

            text.AppendJoin("; ", parts);
        }

        state.Rollback(savepoint);
        return text.ToString();
    }
}
