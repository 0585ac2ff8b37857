using SkyRay.Fleet.Policies;
using SkyRay.Placement.Model;

namespace SkyRay.Placement.Pipeline;

/// <summary>
/// A filter that depends only on the policy and the cluster (labels, topology, pools), so it runs once per
/// policy and cluster, not once per workload. Adding a rule of this kind is adding one class to <see cref="PlacementPipeline"/>.
/// </summary>
internal interface IClusterFilter
{
    /// <summary>Name shown in explanations (<c>cluster-selector</c>).</summary>
    string Name { get; }

    /// <summary>Why the cluster is ruled out for the policy, or null when it passes.</summary>
    /// <param name="policy">The policy, or null for the default policy (available capacity).</param>
    /// <param name="cluster">The cluster.</param>
    /// <returns>Plain words, or null.</returns>
    string? Reject(SchedulePolicy? policy, PlanCluster cluster);

    /// <summary>
    /// True exactly when <see cref="Reject"/> gives null, without writing the reason (a policy scope writes the reasons
    /// only when a verdict reads them).
    /// </summary>
    bool Passes(SchedulePolicy? policy, PlanCluster cluster) => Reject(policy, cluster) is null;
}

/// <summary>A filter that depends on what a placement unit needs; runs per unit and candidate cluster.</summary>
internal interface IUnitFilter
{
    /// <summary>Name shown in explanations.</summary>
    string Name { get; }

    /// <summary>Why the unit cannot go to the cluster, or null when it passes. Cheap: runs in the hot loop.</summary>
    /// <param name="unit">The unit.</param>
    /// <param name="cluster">The cluster.</param>
    /// <returns>True when the unit may go there.</returns>
    bool Passes(PlacementUnit unit, PlanCluster cluster);

    /// <summary>Units with the same key get the same answer from <see cref="Passes"/> on every cluster; null when the filter has nothing to check for the unit.</summary>
    /// <param name="unit">The unit.</param>
    /// <returns>The key, or null.</returns>
    string? CacheKey(PlacementUnit unit);

    /// <summary>Plain words for a cluster <see cref="Passes"/> rejected.</summary>
    /// <param name="unit">The unit.</param>
    /// <param name="cluster">The cluster.</param>
    /// <returns>The reason.</returns>
    string Explain(PlacementUnit unit, PlanCluster cluster);
}
