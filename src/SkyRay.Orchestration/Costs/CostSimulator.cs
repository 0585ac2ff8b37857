using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Costs;

/// <summary>
/// Prices a plan over a period and compares it with the always-on baseline: what just-in-time clusters and standby save.
/// Pure arithmetic over the plan, the spec and the instance catalog; no clock, no cloud.
/// </summary>
/// <remarks>
/// <para>Plan, per cluster: <b>absent</b> costs nothing; <b>standby</b> costs its control-plane fee only (pools at zero);
/// <b>active</b> costs its control-plane fee plus every pool at its planned desired nodes.</para>
/// <para>Baseline: every cluster of the spec provisioned all period, static and dynamic, no standby, every pool at
/// max(planned desired, configured min) nodes, plus its control-plane fee.</para>
/// <para>Utilization <c>u</c> (below 1) says the placed work does not run all period. RayServices run all the time, and so do
/// RayClusters and RayJobs that keep their Ray cluster. RayJobs with <c>shutdownAfterJobFinishes</c> ("elastic" jobs) only run
/// <c>u</c> of the period; in between, their nodes scale down:</para>
/// <list type="bullet">
/// <item>on an active cluster that only holds elastic jobs and may rest (dynamic, or with a standby setting), the whole
/// cluster is active <c>u</c> of the period and rests the rest of it: in standby (control-plane fee) with
/// <c>standby.mode: suspend</c>, else absent (nothing) — the just-in-time case;</item>
/// <item>on any other active cluster, the control plane and the pools' min nodes run all period; the nodes above min
/// are shared between the cluster's copies in proportion to each copy's planned hourly cost, and the elastic jobs' share
/// runs <c>u</c> of the period.</item>
/// </list>
/// <para>Prices are the catalog's on-demand prices (spot pools are priced on demand, an upper bound); an instance type the
/// catalog does not know is counted as free and listed in <see cref="CostSimulation.Unpriced"/>. Idle time before a
/// cluster goes to standby (<c>idleAfter</c>) and start-up time are not counted.</para>
/// </remarks>
public static class CostSimulator
{
    /// <summary>Prices a plan over a period.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="period">Length and utilization.</param>
    /// <returns>Per cluster and total: plan, baseline, savings.</returns>
    /// <exception cref="ArgumentOutOfRangeException">Hours are negative or utilization is outside 0..1.</exception>
    /// <exception cref="ArgumentException">The plan does not belong to the spec (a spec cluster has no plan entry).</exception>
    public static CostSimulation Simulate(FleetSpec spec, FleetPlan plan, CostPeriod period)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(period);
        ArgumentOutOfRangeException.ThrowIfNegative(period.Hours);
        if (period.Utilization is < 0m or > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period.Utilization, "Utilization is a fraction from 0 to 1.");
        }

        var unpriced = ImmutableArray.CreateBuilder<string>();
        var clusters = ImmutableArray.CreateBuilder<ClusterCost>();
        foreach (var cluster in spec.Clusters.Values.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            if (!plan.Clusters.TryGetValue(cluster.Name, out var clusterPlan))
            {
                throw new ArgumentException($"The plan has no entry for cluster '{cluster.Name}'; plan and spec come from different stacks.", nameof(plan));
            }

            var pools = Pools(spec, cluster, clusterPlan, unpriced);
            clusters.Add(Cluster(spec, plan, cluster, clusterPlan, pools, period));
        }

        return new CostSimulation(spec.Stack, period, clusters.ToImmutable(), unpriced.ToImmutable());
    }

    /// <summary>True for a RayJob that deletes its Ray cluster when it finishes, so its nodes can scale down between runs.</summary>
    /// <param name="workload">The workload.</param>
    /// <returns>Whether its nodes run only while it runs.</returns>
    public static bool IsElastic(WorkloadSpec workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (workload.Kind != RayKind.RayJob)
        {
            return false;
        }

        if (workload.Job is { } job)
        {
            return job.ShutdownAfterJobFinishes;
        }

        // Raw form: KubeRay's default for shutdownAfterJobFinishes is false.
        return workload.RawSpec?["shutdownAfterJobFinishes"] is JsonValue value && value.TryGetValue<bool>(out var shutdown) && shutdown;
    }

    private static ImmutableArray<PoolCost> Pools(FleetSpec spec, ClusterSpec cluster, ClusterPlan clusterPlan, ImmutableArray<string>.Builder unpriced)
    {
        var pools = ImmutableArray.CreateBuilder<PoolCost>(cluster.NodePools.Length);
        foreach (var pool in cluster.NodePools.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var price = 0m;
            var priced = false;
            if (cluster.CatalogProvider is { } provider && spec.Catalog.TryGet(provider, pool.InstanceType, out var type))
            {
                priced = true;
                price = type.HourlyUsd;
            }
            else
            {
                unpriced.Add($"{cluster.Name}/{pool.Name}: {pool.InstanceType}");
            }

            var planned = clusterPlan.State == ClusterState.Active
                ? clusterPlan.Pools.FirstOrDefault(p => string.Equals(p.Pool, pool.Name, StringComparison.Ordinal))?.DesiredNodes ?? pool.MinNodes
                : 0;
            pools.Add(new PoolCost(pool.Name, pool.InstanceType, price, priced, pool.MinNodes, planned, Math.Max(planned, pool.MinNodes)));
        }

        return pools.MoveToImmutable();
    }

    private static ClusterCost Cluster(
        FleetSpec spec, FleetPlan plan, ClusterSpec cluster, ClusterPlan clusterPlan, ImmutableArray<PoolCost> pools, CostPeriod period)
    {
        var fee = ControlPlaneFees.HourlyUsd(cluster.Provider);
        var hours = period.Hours;
        var baseline = hours * (fee + pools.Sum(p => p.NodeHourlyUsd * p.BaselineNodes));

        ClusterCost Result(decimal activeHours, decimal planUsd, string basis) =>
            new(cluster.Name, cluster.Provider, cluster.Lifecycle, clusterPlan.State, fee, pools, activeHours, planUsd, baseline, basis);

        switch (clusterPlan.State)
        {
            case ClusterState.Absent:
                return Result(0m, 0m, "absent");
            case ClusterState.Standby:
                return Result(0m, hours * fee, "standby: control plane only");
        }

        var floor = fee + pools.Sum(p => p.NodeHourlyUsd * Math.Min(p.MinNodes, p.PlannedNodes));
        var above = pools.Sum(p => p.NodeHourlyUsd * Math.Max(0, p.PlannedNodes - p.MinNodes));
        var copies = plan.Placements.Values
            .SelectMany(p => p.Copies)
            .Where(c => string.Equals(c.Cluster, cluster.Name, StringComparison.Ordinal))
            .ToList();
        var elastic = copies.Where(c => IsElastic(spec.Workloads[c.Workload])).ToList();
        var u = period.Utilization;
        if (u == 1m || elastic.Count == 0)
        {
            return Result(hours, hours * (floor + above), "active all period");
        }

        var mayRest = cluster.Lifecycle == ClusterLifecycle.Dynamic || cluster.Standby is not null;
        if (elastic.Count == copies.Count && mayRest)
        {
            var suspend = cluster.Standby?.Mode == StandbyMode.Suspend;
            var activeHours = hours * u;
            var rest = suspend ? fee : 0m;
            var basis = string.Create(
                CultureInfo.InvariantCulture,
                $"active {u * 100m:0.##}% (jobs only), else {(suspend ? "standby" : "absent")}");
            return Result(activeHours, (activeHours * (floor + above)) + ((hours - activeHours) * rest), basis);
        }

        var totalShare = copies.Sum(c => c.HourlyCost);
        var elasticShare = totalShare == 0m ? 0m : elastic.Sum(c => c.HourlyCost) / totalShare;
        var aboveHourly = above * (1m - (elasticShare * (1m - u)));
        var mixed = string.Create(
            CultureInfo.InvariantCulture,
            $"active; jobs' {elasticShare * 100m:0.#}% of nodes above min run {u * 100m:0.##}%");
        return Result(hours, hours * (floor + aboveHourly), mixed);
    }
}
