using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Failover;

/// <summary>Small edits of a plan shared by the decisions that keep running work where it is.</summary>
public static class PlanEdits
{
    /// <summary>Adds copies (from the previous plan) back to a plan; a cluster that carries one becomes active again with the pools it
    /// had when the copy was placed there (or its configured minimum).</summary>
    /// <param name="spec">The configured stack.</param>
    /// <param name="plan">The plan.</param>
    /// <param name="previousPlan">The previous plan, or null.</param>
    /// <param name="copies">The copies to keep.</param>
    /// <returns>The plan with the copies.</returns>
    public static FleetPlan AddCopies(FleetSpec spec, FleetPlan plan, FleetPlan? previousPlan, IReadOnlyCollection<WorkloadCopy> copies)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(copies);
        if (copies.Count == 0)
        {
            return plan;
        }

        var placements = plan.Placements.ToBuilder();
        var clusters = plan.Clusters.ToBuilder();
        foreach (var copy in copies)
        {
            var placement = placements.GetValueOrDefault(copy.Workload)
                ?? previousPlan?.Placements?.GetValueOrDefault(copy.Workload)
                ?? new WorkloadPlacement(copy.Workload, null, [], [], null);
            if (!placement.Copies.Any(c => c.Cluster == copy.Cluster))
            {
                placements[copy.Workload] = placement with
                {
                    Copies = [.. placement.Copies.Append(copy).OrderBy(c => c.Cluster, StringComparer.Ordinal)],
                    UnplacedReason = null,
                };
            }

            var current = clusters[copy.Cluster];
            if (current.State != ClusterState.Active)
            {
                var before = previousPlan?.Clusters?.GetValueOrDefault(copy.Cluster);
                current = before is { State: ClusterState.Active }
                    ? before with { Workloads = [], Reason = current.Reason }
                    : MinimumActive(spec, spec.Clusters[copy.Cluster], current.Reason);
            }

            clusters[copy.Cluster] = current with { Workloads = [.. current.Workloads.Append(copy.Workload).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] };
        }

        return plan with { Placements = placements.ToImmutable(), Clusters = clusters.ToImmutable() };
    }

    /// <summary>A cluster active at its configured minimum (at least one node per pool that has a maximum, so kept work can run).</summary>
    /// <param name="spec">The stack (its catalog prices the pools).</param>
    /// <param name="cluster">The cluster.</param>
    /// <param name="reason">Why.</param>
    /// <returns>Its plan.</returns>
    public static ClusterPlan MinimumActive(FleetSpec spec, ClusterSpec cluster, string reason)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(cluster);
        var provider = cluster.CatalogProvider ?? string.Empty;
        var pools = cluster.NodePools
            .Select(p => new NodePoolPlan(
                p.Name,
                p.InstanceType,
                p.MinNodes,
                p.MaxNodes,
                p.MinNodes,
                spec.Catalog.TryGet(provider, p.InstanceType, out var type) ? type.HourlyUsd * p.MinNodes : 0m))
            .ToImmutableArray();
        return new ClusterPlan(cluster.Name, ClusterState.Active, Labels(cluster), pools, [], pools.Sum(p => p.HourlyCost), reason);
    }

    /// <summary>A cluster that is not provisioned.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="before">Its previous plan (labels), or null.</param>
    /// <param name="reason">Why.</param>
    /// <returns>Its plan.</returns>
    public static ClusterPlan Absent(ClusterSpec cluster, ClusterPlan? before, string reason)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return new ClusterPlan(cluster.Name, ClusterState.Absent, before?.Labels ?? Labels(cluster), [], [], 0m, reason);
    }

    private static ImmutableSortedDictionary<string, string> Labels(ClusterSpec cluster) =>
        cluster.Labels
            .SetItem(WellKnownLabels.ClusterName, cluster.Name)
            .SetItem(WellKnownLabels.KubernetesVersion, cluster.KubernetesVersion);
}
