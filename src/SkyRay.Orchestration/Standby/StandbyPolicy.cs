using System.Collections.Immutable;
using System.Globalization;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Observations;
using SkyRay.Orchestration.Ports;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Standby;

/// <summary>
/// The time dimension of standby: the planner says which clusters have placed work; this policy says, from the
/// previous run's outputs and <see cref="StandbySpec.IdleAfter"/>, which idle clusters stay up a while longer, which
/// go to standby now (suspend: pools to zero → <see cref="ClusterState.Standby"/>; delete: delete-recreate →
/// <see cref="ClusterState.Absent"/>) and which wake. Pure: the clock is a parameter.
/// </summary>
/// <remarks>
/// Only clusters with a <see cref="ClusterSpec.Standby"/> setting on a cloud provider are managed. A cluster that was
/// active on the previous run and lost its work stays active until it has been idle for <c>idleAfter</c>; a cluster
/// that was not active before (standby, absent or first run) and has no work goes straight to its standby state,
/// so a first deploy does not create a cluster just to idle it.
/// </remarks>
public static class StandbyPolicy
{
    /// <summary>Applies the time dimension to a plan.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">The planner's plan for this run.</param>
    /// <param name="previous">The outputs of the previous run, or null on the first run.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The adjusted plan and a decision per cluster.</returns>
    public static StandbyOutcome Decide(FleetSpec spec, FleetPlan plan, FleetOutputs? previous, DateTimeOffset now) =>
        Decide(spec, plan, previous, now, null);

    /// <summary>Applies the time dimension to a plan, with what is observed on each cluster.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">The planner's plan for this run.</param>
    /// <param name="previous">The outputs of the previous run, or null on the first run.</param>
    /// <param name="now">The current time.</param>
    /// <param name="observed">Per configured cluster what is observed there (work the plan does not place, what is unknown, the end of
    /// the last job), or null when nothing is observed.</param>
    /// <returns>The adjusted plan and a decision per cluster.</returns>
    public static StandbyOutcome Decide(FleetSpec spec, FleetPlan plan, FleetOutputs? previous, DateTimeOffset now, Func<string, ClusterView>? observed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);

        var clusters = plan.Clusters.ToBuilder();
        // A loop, not SelectMany: a run's plan has a placement per workload, and each copy list went through a boxed enumerator.
        var withWork = new HashSet<string>(StringComparer.Ordinal);
        foreach (var placement in plan.Placements.Values)
        {
            foreach (var copy in placement.Copies)
            {
                withWork.Add(copy.Cluster);
            }
        }

        var decisions = ImmutableSortedDictionary.CreateBuilder<string, StandbyDecision>(StringComparer.Ordinal);
        foreach (var cluster in spec.Clusters.Values)
        {
            if (!plan.Clusters.TryGetValue(cluster.Name, out var clusterPlan))
            {
                continue;
            }

            var before = previous?.Clusters.GetValueOrDefault(cluster.Name);
            var (decision, updated) = DecideOne(spec, cluster, clusterPlan, withWork.Contains(cluster.Name), before, now, observed?.Invoke(cluster.Name));
            decisions[cluster.Name] = decision;
            clusters[cluster.Name] = updated;
        }

        return new StandbyOutcome(plan with { Clusters = clusters.ToImmutable() }, decisions.ToImmutable());
    }

    /// <summary>Formats a time the way outputs carry it (ISO 8601 round-trip, UTC).</summary>
    /// <param name="time">The time.</param>
    /// <returns>e.g. <c>2026-01-01T10:00:00.0000000+00:00</c>.</returns>
    public static string FormatTime(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static (StandbyDecision, ClusterPlan) DecideOne(
        FleetSpec spec, ClusterSpec cluster, ClusterPlan clusterPlan, bool hasWork, ClusterOutput? before, DateTimeOffset now, ClusterView? seen)
    {
        var name = cluster.Name;
        if (cluster.Standby is not { } standby || cluster.Provider == CloudProvider.Existing)
        {
            return (new StandbyDecision(name, StandbyAction.NotManaged, clusterPlan.State, null, "no standby configured"), clusterPlan);
        }

        var wasActive = before?.State == "active";
        if (!hasWork && seen?.Work is { } work)
        {
            // Work the plan does not place (queued in Kueue, a Ray cluster still up) keeps the cluster awake, or wakes it.
            var action = wasActive || before is null ? StandbyAction.Busy : StandbyAction.Wakes;
            var reason = (action == StandbyAction.Wakes ? $"wakes from {before!.State}: " : "nothing placed, but ") + work;
            return (new StandbyDecision(name, action, ClusterState.Active, null, reason), KeepActive(spec, cluster, clusterPlan, reason));
        }

        if (!hasWork && wasActive && seen?.Unknown is { } unknown)
        {
            // Unknown is never idle: a cluster whose work cannot be seen is not sent to standby on a guess.
            var reason = $"nothing placed, but what runs there is unknown ({unknown}); kept up until it can be seen";
            return (new StandbyDecision(name, StandbyAction.Busy, ClusterState.Active, null, reason), KeepActive(spec, cluster, clusterPlan, reason));
        }

        if (hasWork)
        {
            var action = wasActive || before is null ? StandbyAction.Busy : StandbyAction.Wakes;
            var reason = action == StandbyAction.Wakes ? $"wakes from {before!.State}: work is placed on it" : "work is placed on it";
            return (new StandbyDecision(name, action, clusterPlan.State, null, reason), clusterPlan);
        }

        // The planner already knows where an idle cluster rests (a dynamic cluster never created stays absent even
        // with suspend); its answer wins, the mode only decides when the planner kept the cluster active.
        var idleTarget = clusterPlan.State != ClusterState.Active
            ? clusterPlan.State
            : standby.Mode == StandbyMode.Suspend ? ClusterState.Standby : ClusterState.Absent;
        var mode = standby.Mode == StandbyMode.Suspend ? "suspend" : "delete";
        if (!wasActive)
        {
            var since = ParseTime(before?.IdleSince) ?? now;
            var why = $"no work; in standby ({mode}) since {FormatTime(since)}";
            return (new StandbyDecision(name, StandbyAction.StaysInStandby, idleTarget, since, why), ToIdleState(clusterPlan, cluster, idleTarget, why));
        }

        // The idle clock starts when the last job there ended, when that is observed (and not later than now).
        var idleSince = ParseTime(before?.IdleSince) ?? (seen?.LastEnd is { } end && end <= now ? end : now);
        var until = idleSince + standby.IdleAfter;
        if (now >= until)
        {
            var why = $"idle since {FormatTime(idleSince)} for at least {standby.IdleAfter}; goes to standby ({mode})";
            return (new StandbyDecision(name, StandbyAction.GoesToStandby, idleTarget, idleSince, why), ToIdleState(clusterPlan, cluster, idleTarget, why));
        }

        var graceReason = $"idle since {FormatTime(idleSince)}; stays active until {FormatTime(until)}, then standby ({mode})";
        return (new StandbyDecision(name, StandbyAction.Idle, ClusterState.Active, idleSince, graceReason), KeepActive(spec, cluster, clusterPlan, graceReason));
    }

    private static ClusterPlan ToIdleState(ClusterPlan plan, ClusterSpec cluster, ClusterState target, string reason)
    {
        if (plan.State == target)
        {
            return plan;
        }

        var pools = target == ClusterState.Absent
            ? []
            : cluster.NodePools.Select(p => new NodePoolPlan(p.Name, p.InstanceType, 0, p.MaxNodes, 0, 0m)).ToImmutableArray();
        return plan with { State = target, Pools = pools, Workloads = [], HourlyCost = 0m, Reason = reason };
    }

    private static ClusterPlan KeepActive(FleetSpec spec, ClusterSpec cluster, ClusterPlan plan, string reason)
    {
        if (plan.State == ClusterState.Active)
        {
            return plan with { Reason = reason };
        }

        // The planner sent it to standby at once; during the grace period it keeps its configured minimum.
        var provider = Words.Of(cluster.Provider);
        var pools = cluster.NodePools
            .Select(p => new NodePoolPlan(
                p.Name,
                p.InstanceType,
                p.MinNodes,
                p.MaxNodes,
                p.MinNodes,
                spec.Catalog.TryGet(provider, p.InstanceType, out var type) ? type.HourlyUsd * p.MinNodes : 0m))
            .ToImmutableArray();
        return plan with { State = ClusterState.Active, Pools = pools, Workloads = [], HourlyCost = pools.Sum(p => p.HourlyCost), Reason = reason };
    }

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var time) ? time : null;
}
