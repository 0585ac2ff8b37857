using System.Collections.Immutable;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Standby;

/// <summary>What the standby policy does with a cluster on this run.</summary>
public enum StandbyAction
{
    /// <summary>No standby configured (or an existing cluster): the planner's state stands.</summary>
    NotManaged,

    /// <summary>Work is placed on it and it was live before.</summary>
    Busy,

    /// <summary>Work is placed on it and it was in standby or absent before: it wakes now.</summary>
    Wakes,

    /// <summary>No work, but idle for less than <c>idleAfter</c>: kept active with its configured pools.</summary>
    Idle,

    /// <summary>No work for at least <c>idleAfter</c>: goes to standby now (suspend: pools to zero; delete: removed).</summary>
    GoesToStandby,

    /// <summary>No work and already in standby (or never created): stays there.</summary>
    StaysInStandby,
}

/// <summary>The standby decision for one cluster.</summary>
/// <param name="Cluster">Cluster name.</param>
/// <param name="Action">What happens now.</param>
/// <param name="State">The resulting state in the plan.</param>
/// <param name="IdleSince">Since when the cluster has had no work, or null while it has work.</param>
/// <param name="Reason">Plain words, e.g. "idle since 2026-01-01T10:00:00Z, goes to standby (suspend) at 10:30".</param>
public sealed record StandbyDecision(string Cluster, StandbyAction Action, ClusterState State, DateTimeOffset? IdleSince, string Reason);

/// <summary>The plan after standby decisions, with the decisions.</summary>
/// <param name="Plan">The plan with idle clusters kept active or sent to standby.</param>
/// <param name="Decisions">One decision per cluster, by name.</param>
public sealed record StandbyOutcome(FleetPlan Plan, ImmutableSortedDictionary<string, StandbyDecision> Decisions)
{
    /// <summary>The idle-since times to export, as ISO 8601 round-trip text, for clusters that are idle.</summary>
    public ImmutableSortedDictionary<string, string> IdleSinceText =>
        Decisions.Values
            .Where(d => d.IdleSince is not null)
            .ToImmutableSortedDictionary(d => d.Cluster, d => StandbyPolicy.FormatTime(d.IdleSince!.Value), StringComparer.Ordinal);
}
