using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests.Builders;

/// <summary>
/// Builds a <see cref="FleetPlan"/> for a spec. Clusters are active unless marked standby or absent; pools come from
/// the spec (at zero in standby); each placement lists its copies.
/// </summary>
public sealed class FleetPlanBuilder(FleetSpec spec)
{
    private readonly Dictionary<string, ClusterState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Cluster, string Pool), int> _desired = [];
    private readonly Dictionary<(string Workload, string Cluster), decimal> _copyCosts = [];

    /// <summary>Sets a pool's desired nodes on an active cluster (default: its min).</summary>
    public FleetPlanBuilder Desired(string cluster, string pool, int nodes)
    {
        _desired[(cluster, pool)] = nodes;
        return this;
    }

    /// <summary>Sets a copy's planned hourly cost (default 1).</summary>
    public FleetPlanBuilder CopyCost(string workload, string cluster, decimal hourlyUsd)
    {
        _copyCosts[(workload, cluster)] = hourlyUsd;
        return this;
    }
    private readonly Dictionary<string, (string? Policy, List<(string Cluster, int Workers)> Copies, string? Unplaced)> _placements = new(StringComparer.Ordinal);

    public FleetPlanBuilder Standby(string cluster) => State(cluster, ClusterState.Standby);

    public FleetPlanBuilder Absent(string cluster) => State(cluster, ClusterState.Absent);

    public FleetPlanBuilder State(string cluster, ClusterState state)
    {
        _states[cluster] = state;
        return this;
    }

    /// <summary>Places the whole workload on each cluster (Duplicate, or a single target).</summary>
    public FleetPlanBuilder Place(string workload, params string[] clusters) =>
        PlaceShares(workload, null, [.. clusters.Select(c => (c, spec.Workloads[workload].WorkerGroups[0].Replicas))]);

    /// <summary>Places copies with their own worker counts (Divide).</summary>
    public FleetPlanBuilder PlaceShares(string workload, string? policy, params (string Cluster, int Workers)[] copies)
    {
        _placements[workload] = (policy, [.. copies], null);
        return this;
    }

    public FleetPlanBuilder Unplaced(string workload, string reason)
    {
        _placements[workload] = (null, [], reason);
        return this;
    }

    public FleetPlan Build()
    {
        var placements = ImmutableSortedDictionary.CreateBuilder<string, WorkloadPlacement>(StringComparer.Ordinal);
        foreach (var (name, (policy, copies, unplaced)) in _placements)
        {
            var group = spec.Workloads[name].WorkerGroups[0].Name;
            var built = copies
                .OrderBy(c => c.Cluster, StringComparer.Ordinal)
                .Select(c => new WorkloadCopy(
                    name,
                    c.Cluster,
                    ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create(group, c.Workers)]),
                    ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal),
                    [],
                    LaunchTier.ScaleUp,
                    _copyCosts.GetValueOrDefault((name, c.Cluster), 1m)))
                .ToImmutableArray();
            var verdicts = copies
                .OrderBy(c => c.Cluster, StringComparer.Ordinal)
                .Select(c => new ClusterVerdict(c.Cluster, true, 1, $"fits on {c.Cluster}"))
                .ToImmutableArray();
            placements[name] = new WorkloadPlacement(name, policy, built, verdicts, unplaced);
        }

        var clusters = ImmutableSortedDictionary.CreateBuilder<string, ClusterPlan>(StringComparer.Ordinal);
        foreach (var cluster in spec.Clusters.Values)
        {
            var state = _states.GetValueOrDefault(cluster.Name, ClusterState.Active);
            var pools = state == ClusterState.Absent
                ? []
                : cluster.NodePools.Select(p => state == ClusterState.Standby
                    ? new NodePoolPlan(p.Name, p.InstanceType, 0, p.MaxNodes, 0, 0m)
                    : new NodePoolPlan(
                        p.Name, p.InstanceType, p.MinNodes, p.MaxNodes, _desired.GetValueOrDefault((cluster.Name, p.Name), p.MinNodes), p.MinNodes)).ToImmutableArray();
            var workloads = placements.Values
                .Where(p => p.Copies.Any(c => c.Cluster == cluster.Name))
                .Select(p => p.Workload)
                .Order(StringComparer.Ordinal)
                .ToImmutableArray();
            clusters[cluster.Name] = new ClusterPlan(
                cluster.Name, state, cluster.Labels, pools, workloads, pools.Sum(p => p.HourlyCost), $"{state} in test plan");
        }

        return new FleetPlan(spec.Stack, clusters.ToImmutable(), placements.ToImmutable(), []);
    }
}
