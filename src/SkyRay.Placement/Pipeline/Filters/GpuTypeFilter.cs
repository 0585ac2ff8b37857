using System.Globalization;
using System.Text;
using SkyRay.Placement.Model;

namespace SkyRay.Placement.Pipeline.Filters;

/// <summary>GPU pods need a pool whose instance has enough GPUs of the requested type on one node.</summary>
internal sealed class GpuTypeFilter : IUnitFilter
{
    public string Name => "gpu-type";

    public string? CacheKey(PlacementUnit unit) => unit.GpuGroups.Length == 0 ? null : unit.GpuNeedKey;

    public bool Passes(PlacementUnit unit, PlanCluster cluster)
    {
        foreach (var g in unit.GpuGroups)
        {
            var group = unit.Groups[g];
            var found = false;
            foreach (var pool in cluster.Pools)
            {
                if (pool.Gpus >= group.Gpu && pool.OffersGpu(group.GpuType))
                {
                    found = true;
                    break;
                }
            }

            if (!found)
            {
                return false;
            }
        }

        return true;
    }

    public string Explain(PlacementUnit unit, PlanCluster cluster)
    {
        foreach (var g in unit.GpuGroups)
        {
            var group = unit.Groups[g];
            if (cluster.Pools.Any(p => p.Gpus >= group.Gpu && p.OffersGpu(group.GpuType)))
            {
                continue;
            }

            var want = $"{group.Gpu}×{group.GpuType ?? "GPU"} per pod";
            var sameType = cluster.Pools.Where(p => p.OffersGpu(group.GpuType)).ToList();
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{unit.GroupLabel(g)} needs {want}; ");
            if (sameType.Count == 0)
            {
                var offered = cluster.Pools.Where(p => p.HasGpu).Select(p => p.Describe()).ToList();
                text.Append(offered.Count == 0
                    ? "no pool has GPUs"
                    : $"no pool has {group.GpuType ?? "GPU"} GPUs ({string.Join(", ", offered)})");
            }
            else
            {
                text.Append(string.Join(", ", sameType.Select(p => $"{p.Describe()} has {p.Gpus} per node")));
            }

            return text.ToString();
        }

        return "passes";
    }
}
