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
            if (Offers(cluster, group.Gpu, group.GpuType))
            {
                continue;
            }

            var want = $"{group.Gpu}×{group.GpuType ?? "GPU"} per pod";
            return $"{unit.GroupLabel(g)} needs {want}; {PoolWords(cluster, group.GpuType)}";
        }

        return "passes";
    }

    private static bool Offers(PlanCluster cluster, int gpus, string? gpuType)
    {
        foreach (var pool in cluster.Pools)
        {
            if (pool.Gpus >= gpus && pool.OffersGpu(gpuType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What the cluster's pools offer a GPU type, in words (the part of <see cref="Explain"/> after the group's need). It
    /// depends on the pools and the type alone, so the cluster keeps it per type: an unplaced GPU workload's verdicts ask it
    /// for nearly every cluster, and units with the same GPU type ask the same words.
    /// </summary>
    private static string PoolWords(PlanCluster cluster, string? gpuType)
    {
        var words = cluster.GpuPoolWords();
        var key = gpuType ?? "\u0000";
        if (words.TryGetValue(key, out var known))
        {
            return known;
        }

        var sameType = new List<string>();
        var offered = new List<string>();
        foreach (var p in cluster.Pools)
        {
            if (p.OffersGpu(gpuType))
            {
                sameType.Add($"{p.Describe()} has {p.Gpus} per node");
            }

            if (p.HasGpu)
            {
                offered.Add(p.Describe());
            }
        }

        var text = sameType.Count > 0
            ? string.Join(", ", sameType)
            : offered.Count == 0
                ? "no pool has GPUs"
                : $"no pool has {gpuType ?? "GPU"} GPUs ({string.Join(", ", offered)})";
        words[key] = text;
        return text;
    }
}
