using SkyRay.Fleet.Policies;
using SkyRay.Placement.Labels;
using SkyRay.Placement.Model;

namespace SkyRay.Placement.Pipeline.Filters;

/// <summary><c>orderedClusterSelector</c>: only clusters it matches are candidates; their order is scored by <see cref="Scoring.PriorityScorer"/>.</summary>
internal sealed class OrderedClusterSelectorFilter : IClusterFilter
{
    public string Name => "ordered-cluster-selector";

    public string? Reject(SchedulePolicy? policy, PlanCluster cluster)
    {
        if (policy?.OrderedClusterSelector is null)
        {
            return null;
        }

        var mismatch = SelectorMatch.FirstMismatch(policy.OrderedClusterSelector, cluster.Labels);
        return mismatch is null ? null : $"not in the orderedClusterSelector of policy '{policy.Name}' ({mismatch})";
    }

    public bool Passes(SchedulePolicy? policy, PlanCluster cluster) =>
        policy?.OrderedClusterSelector is not { } selector || SelectorMatch.Matches(selector, cluster.Labels);
}
