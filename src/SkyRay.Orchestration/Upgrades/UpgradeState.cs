using System.Collections.Immutable;

namespace SkyRay.Orchestration.Upgrades;

/// <summary>Where a clone-and-swap upgrade of one cluster stands. One step per run (<c>pulumi up</c>).</summary>
public enum UpgradePhase
{
    /// <summary>The old cluster is labelled for upgrade; nothing else changed yet.</summary>
    Labelled,

    /// <summary>The clone exists at the new version with the same labels, serving workloads duplicated onto it.</summary>
    Cloned,

    /// <summary>The traffic record points at the clone; the old cluster still runs as a fallback.</summary>
    Swapped,

    /// <summary>The old cluster and its workloads are removed. Done.</summary>
    Retired,
}

/// <summary>The state of one clone-and-swap upgrade: plain data, carried between runs.</summary>
/// <param name="Cluster">The cluster being upgraded.</param>
/// <param name="CloneCluster">The clone's name.</param>
/// <param name="FromVersion">The old cluster's Kubernetes version.</param>
/// <param name="ToVersion">The clone's Kubernetes version.</param>
/// <param name="Phase">The phase reached.</param>
/// <param name="ServingWorkloads">The RayServices on the old cluster, duplicated onto the clone, sorted.</param>
/// <param name="TrafficTargets">Clusters the traffic record points at, sorted.</param>
public sealed record UpgradeState(
    string Cluster,
    string CloneCluster,
    string FromVersion,
    string ToVersion,
    UpgradePhase Phase,
    ImmutableArray<string> ServingWorkloads,
    ImmutableArray<string> TrafficTargets)
{
    /// <summary>When the traffic record was switched to the clone (the swap step), or null before it (or when an older SkyRay swapped
    /// without recording it); the retire step waits the record's TTL plus <c>skyray:operations.retireMargin</c> from here.</summary>
    public DateTimeOffset? SwappedAt { get; init; }

    /// <summary>The clusters that exist in this phase, sorted: the old one until retired, the clone from cloned on.</summary>
    public ImmutableArray<string> LiveClusters => Phase switch
    {
        UpgradePhase.Labelled => [Cluster],
        UpgradePhase.Retired => [CloneCluster],
        _ => [.. new[] { Cluster, CloneCluster }.Order(StringComparer.Ordinal)],
    };
}

/// <summary>Which serving workloads report Ready (RayService condition Ready) on which cluster.</summary>
/// <param name="ReadyByCluster">Per cluster, the names of Ready RayServices.</param>
public sealed record ServingStatus(ImmutableSortedDictionary<string, ImmutableSortedSet<string>> ReadyByCluster)
{
    /// <summary>True when every one of <paramref name="workloads"/> is Ready on <paramref name="cluster"/>.</summary>
    /// <param name="cluster">Cluster name.</param>
    /// <param name="workloads">Serving workloads.</param>
    /// <returns>True when all are Ready there.</returns>
    public bool AllReady(string cluster, IEnumerable<string> workloads) =>
        workloads.All(w => ReadyByCluster.TryGetValue(cluster, out var ready) && ready.Contains(w));
}

/// <summary>How an attempted step ended.</summary>
public enum UpgradeOutcome
{
    /// <summary>The upgrade moved one phase on.</summary>
    Advanced,

    /// <summary>The next step's precondition is not met yet (the clone is not Ready); try again next run.</summary>
    Waiting,

    /// <summary>The step would leave no Ready serving cluster behind the traffic record; state unchanged.</summary>
    Refused,

    /// <summary>The upgrade is complete; nothing to do.</summary>
    Done,
}

/// <summary>The result of one step.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="State">The state after the step (unchanged unless advanced).</param>
/// <param name="Reason">Plain words for the explanation.</param>
public sealed record UpgradeStep(UpgradeOutcome Outcome, UpgradeState State, string Reason);
