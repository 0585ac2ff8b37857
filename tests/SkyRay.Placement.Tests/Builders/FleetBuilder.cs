using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;
using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Tests.Builders;

/// <summary>Builds a <see cref="FleetSpec"/> from builders and plans it.</summary>
internal sealed class FleetBuilder
{
    private readonly Dictionary<string, ClusterSpec> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkloadSpec> _workloads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SchedulePolicy> _policies = new(StringComparer.Ordinal);

    public FleetBuilder Cluster(string name, Func<ClusterBuilder, ClusterBuilder> build)
    {
        _clusters[name] = build(new ClusterBuilder(name)).Build();
        return this;
    }

    public FleetBuilder Workload(string name, Func<WorkloadBuilder, WorkloadBuilder> build)
    {
        _workloads[name] = build(new WorkloadBuilder(name)).Build();
        return this;
    }

    public FleetBuilder Workload(WorkloadSpec workload)
    {
        _workloads[workload.Name] = workload;
        return this;
    }

    public FleetBuilder Policy(string name, Func<PolicyBuilder, PolicyBuilder> build)
    {
        _policies[name] = build(new PolicyBuilder(name)).Build();
        return this;
    }

    public FleetBuilder Without(string workload)
    {
        _workloads.Remove(workload);
        return this;
    }

    public FleetSpec Build() => new(
        "test",
        _clusters.ToImmutableSortedDictionary(StringComparer.Ordinal),
        _workloads.ToImmutableSortedDictionary(StringComparer.Ordinal),
        _policies.ToImmutableSortedDictionary(StringComparer.Ordinal),
        KubeRaySettings.Default,
        TestCatalog.Instance);

    public FleetPlan Plan(FleetPlan? previous = null, bool explain = false) =>
        FleetPlanner.Plan(Build(), previous, new PlanOptions(explain));
}

/// <summary>Short questions tests ask of a plan.</summary>
internal static class PlanAsserts
{
    public static string ClusterOf(this FleetPlan plan, string workload)
    {
        var p = plan.Placements[workload];
        Assert.True(p.IsPlaced, $"{workload} is unplaced: {p.UnplacedReason}");
        return Assert.Single(p.Copies).Cluster;
    }

    public static string[] ClustersOf(this FleetPlan plan, string workload) =>
        [.. plan.Placements[workload].Copies.Select(c => c.Cluster)];

    public static WorkloadCopy CopyOn(this FleetPlan plan, string workload, string cluster) =>
        plan.Placements[workload].Copies.Single(c => c.Cluster == cluster);
}
