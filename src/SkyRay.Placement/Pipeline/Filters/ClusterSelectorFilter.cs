using SkyRay.Fleet.Policies;
using SkyRay.Placement.Labels;
using SkyRay.Placement.Model;

namespace SkyRay.Placement.Pipeline.Filters;

/// <summary><c>clusterSelector</c>: the specified cluster(s) by label.</summary>
internal sealed class ClusterSelectorFilter : IClusterFilter
{
    public string Name => "cluster-selector";

    public string? Reject(SchedulePolicy? policy, PlanCluster cluster)
    {
        if (policy?.ClusterSelector is null)
        {
            return null;
        }

        var mismatch = SelectorMatch.FirstMismatch(policy.ClusterSelector, cluster.Labels);
        return mismatch is null ? null : $"not selected by the clusterSelector of policy '{policy.Name}' ({mismatch})";
    }

    public bool Passes(SchedulePolicy? policy, PlanCluster cluster) =>
        policy?.ClusterSelector is not { } selector || SelectorMatch.Matches(selector, cluster.Labels);
}
