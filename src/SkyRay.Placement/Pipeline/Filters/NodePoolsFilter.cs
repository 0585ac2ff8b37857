using SkyRay.Fleet.Policies;
using SkyRay.Placement.Model;

namespace SkyRay.Placement.Pipeline.Filters;

/// <summary>A cluster none of whose pools has a catalog instance type offers no capacity at all.</summary>
internal sealed class NodePoolsFilter : IClusterFilter
{
    public string Name => "node-pools";

    public string? Reject(SchedulePolicy? policy, PlanCluster cluster)
    {
        if (cluster.Pools.Length == 0)
        {
            return "has no node pools";
        }

        return cluster.Pools.Any(p => p.Type is not null && p.Max > 0)
            ? null
            : "no node pool has a catalog instance type and MaxNodes above 0";
    }
}
