using System.Globalization;
using System.Text;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Capacity;
using SkyRay.Placement.Model;

namespace SkyRay.Placement.Pipeline.Filters;

/// <summary>
/// Taints, the Kubernetes way: every pod group needs a pool of the cluster whose NoSchedule / NoExecute taints it
/// tolerates (workload <c>tolerations</c>, its template's own, the GPU toleration of GPU pods). GPU pools carry the GPU
/// taint, so a cluster with only GPU pools is no place for a CPU-only group unless its workload tolerates that taint.
/// </summary>
internal sealed class TaintFilter : IUnitFilter
{
    public string Name => "taints";

    public string? CacheKey(PlacementUnit unit) => unit.ToleranceKey;

    public bool Passes(PlacementUnit unit, PlanCluster cluster)
    {
        foreach (var group in unit.Groups)
        {
            if (!HasPool(group, cluster))
            {
                return false;
            }
        }

        return true;
    }

    public string Explain(PlacementUnit unit, PlanCluster cluster)
    {
        for (var g = 0; g < unit.Groups.Length; g++)
        {
            var group = unit.Groups[g];
            if (HasPool(group, cluster))
            {
                continue;
            }

            // The pools the group could use but for their taints, each with the first taint it does not tolerate.
            var blocked = cluster.Pools
                .Where(p => p.Type is not null && p.Max > 0 && (group.Gpu == 0 || (p.Gpus >= group.Gpu && p.OffersGpu(group.GpuType))))
                .Select(p => (Pool: p, Taint: group.Tolerance.Blocking(p)))
                .Where(x => x.Taint is not null)
                .ToList();
            if (blocked.Count == 0)
            {
                return $"{unit.GroupLabel(g)} has no pool it may run on";
            }

            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{unit.GroupLabel(g)} ({(group.Gpu > 0 ? "GPU" : "no GPU")}) tolerates no pool here: ");
            text.AppendJoin(", ", blocked.Select(x => $"{x.Pool.Describe()} is tainted {PoolTaints.Describe(x.Taint!)}"));
            text.Append(group.Gpu > 0
                ? "; give the workload tolerations for these taints"
                : "; add a pool without these taints (a CPU pool) or give the workload tolerations for them");
            return text.ToString();
        }

        return "passes";
    }

    private static bool HasPool(in UnitGroup group, PlanCluster cluster)
    {
        foreach (var pool in cluster.Pools)
        {
            if (UnitPacker.Eligible(pool, group, gpuPass: false) || UnitPacker.Eligible(pool, group, gpuPass: true))
            {
                return true;
            }
        }

        return false;
    }
}
