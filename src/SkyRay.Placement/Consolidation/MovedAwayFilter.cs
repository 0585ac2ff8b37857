using SkyRay.Fleet.Policies;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline;

namespace SkyRay.Placement.Consolidation;

/// <summary>
/// In a trial of the consolidate pass, rules out the cluster a workload is moved away from (the workload gets a
/// scope of its own with this filter added after the policy's filters), so it goes to its next best cluster.
/// </summary>
/// <param name="cluster">The cluster the workload leaves.</param>
internal sealed class MovedAwayFilter(string cluster) : IClusterFilter
{
    /// <inheritdoc />
    public string Name => Consolidate.Name;

    /// <inheritdoc />
    public string? Reject(SchedulePolicy? policy, PlanCluster cluster1) =>
        string.Equals(cluster1.Name, cluster, StringComparison.Ordinal)
            ? "moved away to close nodes (a cheaper plan at the same or a faster launch tier)"
            : null;
}
