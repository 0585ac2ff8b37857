using System.Collections.Immutable;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Orchestration.Tests.Builders;

/// <summary>Builds a <see cref="FleetSpec"/> from clusters and workloads; default operator settings, empty catalog.</summary>
public sealed class FleetSpecBuilder
{
    private readonly List<ClusterSpec> _clusters = [];
    private readonly List<WorkloadSpec> _workloads = [];

    public FleetSpecBuilder Cluster(ClusterBuilder cluster)
    {
        _clusters.Add(cluster.Build());
        return this;
    }

    public FleetSpecBuilder Workload(WorkloadBuilder workload)
    {
        _workloads.Add(workload.Build());
        return this;
    }

    public FleetSpec Build() => new(
        "test",
        _clusters.ToImmutableSortedDictionary(c => c.Name, c => c, StringComparer.Ordinal),
        _workloads.ToImmutableSortedDictionary(w => w.Name, w => w, StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, SchedulePolicy>(StringComparer.Ordinal),
        KubeRaySettings.Default,
        new InstanceCatalog([]));
}
