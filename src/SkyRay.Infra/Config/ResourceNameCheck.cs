using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Infra.Clusters;
using SkyRay.Orchestration.Namespaces;
using SkyRay.Placement.Planning;

namespace SkyRay.Infra.Config;

/// <summary>
/// Finds plans whose resources would share a Pulumi name. Per-cluster resources are named
/// <c>&lt;cluster&gt;-&lt;workload&gt;</c>, <c>&lt;cluster&gt;-ns-&lt;namespace&gt;</c> and <c>&lt;cluster&gt;-pool-&lt;pool&gt;</c>, all
/// under the same component type, and dashes may occur on both sides: cluster <c>east</c> with workload <c>west-llm</c>
/// and cluster <c>east-west</c> with workload <c>llm</c> both give <c>east-west-llm</c>. Pulumi refuses the second as a
/// duplicate URN only after part of the stack was registered; checking the plan first fails before anything is
/// declared, naming both owners.
/// </summary>
internal static class ResourceNameCheck
{
    /// <summary>Errors for every name two resources of one kind would share, sorted by name.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">The plan the program is about to declare.</param>
    /// <returns>One error per shared name (empty when all names are unique).</returns>
    public static IReadOnlyList<Diagnostic> Find(FleetSpec spec, FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        var claims = new List<Claim>();
        foreach (var cluster in plan.Clusters.Values.Where(c => c.State != ClusterState.Absent))
        {
            var provider = spec.Clusters[cluster.Cluster].Provider;
            if (provider != CloudProvider.Existing)
            {
                // Pools of one cloud share a resource type; pools of different clouds never collide.
                claims.AddRange(cluster.Pools.Select(p => new Claim(
                    NodePools.ProviderName(provider) + " node pool",
                    NodePools.ChildName(cluster.Cluster, "pool-" + p.Pool),
                    $"pool '{p.Pool}' of cluster '{cluster.Cluster}'",
                    $"skyray:clusters.{cluster.Cluster}.nodePools")));
            }
        }

        foreach (var (cluster, namespaces) in WorkloadNamespaces.For(spec, plan))
        {
            claims.AddRange(namespaces.Select(n => new Claim(
                "namespace",
                NodePools.ChildName(cluster, "ns-" + n.Name),
                $"namespace '{n.Name}' on cluster '{cluster}'",
                $"skyray:clusters.{cluster}")));
        }

        foreach (var placement in plan.Placements.Values)
        {
            claims.AddRange(placement.Copies.Select(c => new Claim(
                "workload",
                NodePools.ChildName(c.Cluster, placement.Workload),
                $"workload '{placement.Workload}' on cluster '{c.Cluster}'",
                $"skyray:workloads.{placement.Workload}")));
        }

        return [.. claims
            .GroupBy(c => (c.Kind, c.Name))
            .Select(g => g.DistinctBy(c => c.Owner).OrderBy(c => c.Owner, StringComparer.Ordinal).ToList())
            .Where(owners => owners.Count > 1)
            .OrderBy(owners => owners[0].Name, StringComparer.Ordinal)
            .Select(owners => new Diagnostic(
                Severity.Error,
                owners[^1].Path,
                $"the {owners[0].Kind} resource name '{owners[0].Name}' would be used by {string.Join(" and ", owners.Select(o => o.Owner))}; Pulumi needs unique names",
                "rename one of the clusters, or the workload, namespace or pool, so that '<cluster>-<name>' differs"))];
    }

    private sealed record Claim(string Kind, string Name, string Owner, string Path);
}
