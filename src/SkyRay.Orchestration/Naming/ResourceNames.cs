using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Namespaces;

namespace SkyRay.Orchestration.Naming;

/// <summary>
/// The Pulumi names of per-cluster resources, and the check that no two of them coincide. Per-cluster resources are
/// named <c>&lt;cluster&gt;-&lt;workload&gt;</c>, <c>&lt;cluster&gt;-ns-&lt;namespace&gt;</c> and <c>&lt;cluster&gt;-pool-&lt;pool&gt;</c>,
/// all under the same component type, and dashes may occur on both sides: cluster <c>east</c> with workload
/// <c>west-llm</c> and cluster <c>east-west</c> with workload <c>llm</c> both give <c>east-west-llm</c>. Pulumi refuses
/// the second as a duplicate URN only after part of the stack was registered.
/// </summary>
/// <remarks>
/// Decided on the spec, not on a plan, so <c>skyray validate</c> reports it like every other entry point: placement may
/// move any workload to any cluster on a later run (a policy change, a cluster filling up), so every cluster ×
/// workload pair and every cluster × workload namespace pair must give a distinct name, not only today's.
/// </remarks>
public static class ResourceNames
{
    /// <summary>The name of a cluster's child resource: the cluster name, a dash, then what the resource is.</summary>
    /// <param name="cluster">Cluster name.</param>
    /// <param name="part">What the resource is (<c>pool-cpu</c>, <c>ns-ml</c>, a workload name, ...).</param>
    /// <returns><c>&lt;cluster&gt;-&lt;part&gt;</c>.</returns>
    public static string Child(string cluster, string part) => $"{cluster}-{part}";

    /// <summary>Adds the shared-name errors of a spec to a bag (<see cref="FleetLoading"/> runs it on every load).</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="diagnostics">Where errors go.</param>
    public static void Check(FleetSpec spec, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        diagnostics.AddRange(Find(spec));
    }

    /// <summary>One error per name two resources of one kind could share, sorted by name.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <returns>Empty when all names are unique. Each error is located at one owner and names both.</returns>
    public static IReadOnlyList<Diagnostic> Find(FleetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var claims = new List<Claim>();
        foreach (var cluster in spec.Clusters.Values)
        {
            if (cluster.Provider != CloudProvider.Existing)
            {
                // Pools of one cloud share a resource type; pools of different clouds never collide.
                claims.AddRange(cluster.NodePools.Select(p => new Claim(
                    ProviderNames.Of(cluster.Provider) + " node pool",
                    Child(cluster.Name, "pool-" + p.Name),
                    $"pool '{p.Name}' of cluster '{cluster.Name}'",
                    $"skyray:clusters.{cluster.Name}.nodePools")));
            }

            claims.AddRange(spec.Workloads.Values
                .Select(w => w.Namespace)
                .Where(ns => WorkloadNamespaces.IsCreated(ns, spec.KubeRay.Namespace))
                .Distinct(StringComparer.Ordinal)
                .Select(ns => new Claim(
                    "namespace",
                    Child(cluster.Name, "ns-" + ns),
                    $"namespace '{ns}' on cluster '{cluster.Name}'",
                    $"skyray:clusters.{cluster.Name}")));

            claims.AddRange(spec.Workloads.Values.Select(w => new Claim(
                "workload",
                Child(cluster.Name, w.Name),
                $"workload '{w.Name}' on cluster '{cluster.Name}'",
                $"skyray:workloads.{w.Name}")));
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
                "rename one of the clusters, or the workload, namespace or pool, so that '<cluster>-<name>' differs (placement may put any workload on any cluster, so every pair counts)"))];
    }

    private sealed record Claim(string Kind, string Name, string Owner, string Path);
}
