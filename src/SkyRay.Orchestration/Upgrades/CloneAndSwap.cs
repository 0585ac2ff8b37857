using System.Collections.Immutable;
using SkyRay.Fleet.Config;

namespace SkyRay.Orchestration.Upgrades;

/// <summary>
/// Clone-and-swap upgrades as a pure state machine: label → clone (new cluster at the new version with the same
/// labels, serving workloads duplicated) → wait until the clone's RayServices are Ready → swap the traffic record →
/// retire the old cluster. One step per run. A step that would leave no Ready serving cluster behind the traffic
/// record is refused, whatever the phase.
/// </summary>
public static class CloneAndSwap
{
    /// <summary>The label the old cluster carries while it is being upgraded (value: the target version).</summary>
    public const string UpgradeLabel = "skyray.io/upgrade-to";

    /// <summary>Starts an upgrade: the old cluster is labelled, traffic stays on it.</summary>
    /// <param name="cluster">The cluster to upgrade.</param>
    /// <param name="toVersion">The new Kubernetes version.</param>
    /// <param name="servingWorkloads">The RayServices placed on it.</param>
    /// <returns>The state in phase <see cref="UpgradePhase.Labelled"/>.</returns>
    public static UpgradeState Start(ClusterSpec cluster, string toVersion, IEnumerable<string> servingWorkloads)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentException.ThrowIfNullOrEmpty(toVersion);
        ArgumentNullException.ThrowIfNull(servingWorkloads);
        return new UpgradeState(
            cluster.Name,
            CloneName(cluster.Name, cluster.KubernetesVersion, toVersion),
            cluster.KubernetesVersion,
            toVersion,
            UpgradePhase.Labelled,
            [.. servingWorkloads.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            [cluster.Name]);
    }

    /// <summary>
    /// The clone's name: the cluster's name with its version suffix replaced (<c>main-1-31</c> → <c>main-1-32</c>), or the
    /// new version appended (<c>main</c> → <c>main-1-32</c>).
    /// </summary>
    /// <param name="cluster">The old cluster's name.</param>
    /// <param name="fromVersion">Its version.</param>
    /// <param name="toVersion">The new version.</param>
    /// <returns>The clone's name.</returns>
    public static string CloneName(string cluster, string fromVersion, string toVersion)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(fromVersion);
        ArgumentNullException.ThrowIfNull(toVersion);
        var oldSuffix = "-" + fromVersion.Replace('.', '-');
        var stem = cluster.EndsWith(oldSuffix, StringComparison.Ordinal) ? cluster[..^oldSuffix.Length] : cluster;
        return stem + "-" + toVersion.Replace('.', '-');
    }

    /// <summary>The clone's spec: the old cluster at the new version, same labels, pools and settings, under the clone's name.</summary>
    /// <param name="cluster">The old cluster.</param>
    /// <param name="state">The upgrade.</param>
    /// <returns>The clone to provision.</returns>
    public static ClusterSpec CloneSpec(ClusterSpec cluster, UpgradeState state)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(state);
        return cluster with { Name = state.CloneCluster, KubernetesVersion = state.ToVersion };
    }

    /// <summary>Attempts the next step.</summary>
    /// <param name="state">Where the upgrade stands.</param>
    /// <param name="status">Which RayServices are Ready where, observed now.</param>
    /// <returns>The step's outcome and the resulting state.</returns>
    public static UpgradeStep Advance(UpgradeState state, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(status);
        return state.Phase switch
        {
            UpgradePhase.Labelled => new UpgradeStep(
                UpgradeOutcome.Advanced,
                state with { Phase = UpgradePhase.Cloned },
                $"cloned {state.Cluster} as {state.CloneCluster} at {state.ToVersion}; serving workloads duplicated: {List(state.ServingWorkloads)}"),
            UpgradePhase.Cloned => Swap(state, status),
            UpgradePhase.Swapped => Retire(state, status),
            _ => new UpgradeStep(UpgradeOutcome.Done, state, $"{state.Cluster} was replaced by {state.CloneCluster} at {state.ToVersion}"),
        };
    }

    private static UpgradeStep Swap(UpgradeState state, ServingStatus status)
    {
        if (!status.AllReady(state.CloneCluster, state.ServingWorkloads))
        {
            return new UpgradeStep(
                UpgradeOutcome.Waiting,
                state,
                $"waiting for {List(NotReady(state.CloneCluster, state.ServingWorkloads, status))} to be Ready on {state.CloneCluster}; traffic stays on {List(state.TrafficTargets)}");
        }

        return Guarded(
            state,
            state with { Phase = UpgradePhase.Swapped, TrafficTargets = [state.CloneCluster] },
            status,
            $"traffic record now points at {state.CloneCluster}; {state.Cluster} kept as fallback");
    }

    private static UpgradeStep Retire(UpgradeState state, ServingStatus status) =>
        Guarded(
            state,
            state with { Phase = UpgradePhase.Retired },
            status,
            $"retired {state.Cluster} and its workloads; {state.CloneCluster} serves alone");

    /// <summary>Takes the step only if some cluster behind the traffic record is still live and Ready afterwards.</summary>
    private static UpgradeStep Guarded(UpgradeState current, UpgradeState next, ServingStatus status, string reason)
    {
        var readyBehindTraffic = next.TrafficTargets
            .Where(t => next.LiveClusters.Contains(t) && status.AllReady(t, next.ServingWorkloads))
            .ToImmutableArray();
        if (readyBehindTraffic.IsEmpty)
        {
            return new UpgradeStep(
                UpgradeOutcome.Refused,
                current,
                $"refused: after this step no Ready serving cluster would be behind the traffic record ({List(next.TrafficTargets)}); " +
                $"not Ready: {List(next.TrafficTargets.SelectMany(t => NotReady(t, next.ServingWorkloads, status).Select(w => w + "@" + t)))}");
        }

        return new UpgradeStep(UpgradeOutcome.Advanced, next, reason);
    }

    private static IEnumerable<string> NotReady(string cluster, IEnumerable<string> workloads, ServingStatus status) =>
        workloads.Where(w => !status.AllReady(cluster, [w]));

    private static string List(IEnumerable<string> items)
    {
        var text = string.Join(", ", items);
        return text.Length == 0 ? "none" : text;
    }
}
