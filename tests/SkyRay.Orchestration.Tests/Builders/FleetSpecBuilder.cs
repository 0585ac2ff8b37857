using System.Collections.Immutable;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Orchestration.Tests.Builders;

/// <summary>Builds a <see cref="FleetSpec"/> from clusters and workloads; default operator settings, a catalog of only the types added.</summary>
public sealed class FleetSpecBuilder
{
    private readonly List<ClusterSpec> _clusters = [];
    private readonly List<WorkloadSpec> _workloads = [];
    private readonly List<InstanceType> _types = [];
    private readonly List<TrafficSpec> _traffic = [];

    /// <summary>Adds a traffic record (Route 53 unless told) pointing <c>NAME.example.com</c> at a RayService.</summary>
    public FleetSpecBuilder Traffic(string name, string workload, DnsProvider provider = DnsProvider.Route53)
    {
        _traffic.Add(new TrafficSpec(name, workload, new DnsRecordSpec(provider, "zone", name + ".example.com", 60, provider == DnsProvider.AzureDns ? "dns-rg" : null)));
        return this;
    }

    /// <summary>Adds a catalog entry (a CPU type unless it has GPUs).</summary>
    public FleetSpecBuilder InstanceType(string name, string provider, decimal hourlyUsd, int gpus = 0)
    {
        _types.Add(new InstanceType(name, provider, 8, 32, gpus, gpus > 0 ? "A10G" : null, hourlyUsd));
        return this;
    }

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
        new InstanceCatalog(_types))
    {
        Traffic = _traffic.ToImmutableSortedDictionary(t => t.Name, t => t, StringComparer.Ordinal),
    };
}
