using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Kueue;
using SkyRay.KubeRay.Rendering;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Releases;

/// <summary>
/// The Helm releases SkyRay installs on a live cluster, every setting decided here: the KubeRay operator
/// (<see cref="OperatorReleaseBuilder"/>), on EKS and AKS clusters with GPU pools NVIDIA's device plugin (<see cref="NvidiaDevicePlugin"/>),
/// then Kueue where the cluster runs it (<see cref="KueueRelease"/>, after the operator).
/// Add-ons a cluster needs are added here, each with the keys of the releases it comes after, so the Pulumi program and
/// <c>skyray render</c> get the same list.
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
        var releases = ImmutableArray.CreateBuilder<HelmRelease>();
        releases.Add(OperatorReleaseBuilder.Build(spec.KubeRay, cluster, WatchNamespaces(spec, plan)) with { Wait = wait });
        if (NvidiaDevicePlugin.For(cluster, spec.Catalog) is { } plugin)
        {
            releases.Add(plugin with { Wait = wait });
        }

        if (cluster.Kueue.Enabled)
        {
            // Kueue's admission webhooks fail closed: the run waits for its controller wherever a node can run it, so the queue
            // objects and Ray objects declared after it reach a webhook that answers.
            releases.Add(KueueRelease.Build(cluster) with { Wait = wait });
        }

        return releases.ToImmutable();
    }


    /// <summary>
    /// The namespaces a namespaced KubeRay operator watches on a cluster: those of the workloads the plan puts there, sorted
    /// (none on a cluster in standby: the chart then watches the operator's own namespace).
    /// </summary>
    /// <param name="spec">The stack as declared.</param>
    /// <param name="plan">The cluster's plan.</param>
    /// <returns>Sorted, distinct namespaces.</returns>
    public static ImmutableArray<string> WatchNamespaces(FleetSpec spec, ClusterPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        // One hash lookup per workload (a cluster can hold thousands, and a walk asks this for every cluster), not a search of
        // the sorted map, whose cost grew with the stack.
        var namespaces = new SortedSet<string>(StringComparer.Ordinal);
        if (ReferenceEquals(spec.Workloads.KeyComparer, StringComparer.Ordinal))
        {
            var byName = NamespaceByName(spec.Workloads);
            foreach (var name in plan.Workloads)
            {
                if (byName.TryGetValue(name, out var workloadNamespace))
                {
                    namespaces.Add(workloadNamespace);
                }
            }
        }
        else
        {
            foreach (var name in plan.Workloads)
            {
                if (spec.Workloads.TryGetValue(name, out var workload))
                {
                    namespaces.Add(workload.Namespace);
                }
            }
        }

        return [.. namespaces];
    }

    // Each declared workload's namespace by name (ordinal), made once per workload map (the map is immutable, so it never goes
    // stale) and dropped with it.
    private static readonly ConditionalWeakTable<ImmutableSortedDictionary<string, Fleet.Workloads.WorkloadSpec>, Dictionary<string, string>> Namespaces = [];

    private static Dictionary<string, string> NamespaceByName(ImmutableSortedDictionary<string, Fleet.Workloads.WorkloadSpec> workloads) =>
        Namespaces.GetValue(workloads, static map =>
        {
            var byName = new Dictionary<string, string>(map.Count, StringComparer.Ordinal);
            foreach (var (name, workload) in map)
            {
                byName[name] = workload.Namespace;
            }

            return byName;
        });

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
