using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Releases;

/// <summary>
/// The Helm releases SkyRay installs on a live cluster, every setting decided here: today the KubeRay operator
/// (<see cref="OperatorReleaseBuilder"/>). Add-ons a cluster needs (a GPU device plugin, a queue controller) are added
/// here, each with the keys of the releases it comes after, so the Pulumi program and <c>skyray render</c> get the same list.
/// </summary>
public static class ClusterReleases
{
    /// <summary>The releases of one live cluster, in install order.</summary>
    /// <param name="spec">The stack as declared.</param>
    /// <param name="cluster">The cluster.</param>
    /// <param name="plan">Its plan (state and node counts decide whether a run waits for the releases).</param>
    /// <returns>The releases; keys are unique.</returns>
    public static ImmutableArray<HelmRelease> For(FleetSpec spec, ClusterSpec cluster, ClusterPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(plan);
        var wait = CanSchedule(cluster, plan);
        return [OperatorReleaseBuilder.Build(spec.KubeRay, cluster) with { Wait = wait }];
    }

    /// <summary>
    /// True when the cluster has a node to run a release's pods on this run: an existing cluster (its nodes are its owner's),
    /// or an active cluster with at least one planned node. A cluster in standby, or an idle one whose pools are all at
    /// zero, has none: a run that waited for its pods would wait until it timed out.
    /// </summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="plan">Its plan.</param>
    /// <returns>Whether to wait for releases on it.</returns>
    public static bool CanSchedule(ClusterSpec cluster, ClusterPlan plan)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(plan);
        return cluster.Provider == CloudProvider.Existing
            ? plan.State != ClusterState.Absent
            : plan.State == ClusterState.Active && plan.Pools.Any(p => p.DesiredNodes > 0);
    }
}
