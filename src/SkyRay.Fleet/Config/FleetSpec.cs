using System.Collections.Immutable;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Fleet.Config;

/// <summary>
/// A validated stack config: what the planner, the renderer and the Pulumi program work from.
/// Every collection is sorted by name so everything computed from it is deterministic.
/// </summary>
/// <param name="Stack">Stack name (<c>dev</c>).</param>
/// <param name="Clusters">Clusters by name.</param>
/// <param name="Workloads">Workloads by name.</param>
/// <param name="Policies">Placement policies by name (from <c>skyray:policies</c> and <c>skyray:policyFiles</c>).</param>
/// <param name="KubeRay">Operator settings.</param>
/// <param name="Catalog">Instance catalog, built in plus <c>skyray:instanceTypes</c>.</param>
public sealed record FleetSpec(
    string Stack,
    ImmutableSortedDictionary<string, ClusterSpec> Clusters,
    ImmutableSortedDictionary<string, WorkloadSpec> Workloads,
    ImmutableSortedDictionary<string, SchedulePolicy> Policies,
    KubeRaySettings KubeRay,
    InstanceCatalog Catalog)
{
    /// <summary>Traffic records (<c>skyray:traffic</c>) by name; empty when none are declared.</summary>
    public ImmutableSortedDictionary<string, TrafficSpec> Traffic { get; init; } = ImmutableSortedDictionary.Create<string, TrafficSpec>(StringComparer.Ordinal);

    /// <summary>The fleet's Kueue default (<c>skyray:kueue</c>) as a cluster without a <c>kueue</c> block of its own gets it; each
    /// cluster's resolved settings are <see cref="ClusterSpec.Kueue"/>.</summary>
    public KueueSettings Kueue { get; init; } = KueueSettings.Disabled;
    /// <summary>How SkyRay runs the live fleet (<c>skyray:operations</c>): evictions, failover, the retire margin.</summary>
    public OperationsSpec Operations { get; init; } = OperationsSpec.Default;
}
