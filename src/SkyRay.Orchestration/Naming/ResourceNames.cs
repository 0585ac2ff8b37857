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
    /// <remarks>
    /// Two names <c>A-x</c> and <c>B-y</c> of different clusters can be equal only when one cluster name is the other
    /// plus a dash and more (<c>B = A-s</c>, then <c>x = s-y</c>; equal-length cluster names differ before the dash).
    /// So the check looks only at such cluster pairs (found by cutting each cluster name at its dashes) and, per
    /// pair, only at the parts that start with <c>s-</c> (a range of the sorted part names): about linear in the
    /// numbers of clusters and workloads instead of their product, with the same findings as comparing every pair.
    /// </remarks>
    public static IReadOnlyList<Diagnostic> Find(FleetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var clusters = spec.Clusters.Values.ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < clusters.Length; i++)
        {
            index[clusters[i].Name] = i;
        }

        string[] workloads = [.. spec.Workloads.Keys.Order(StringComparer.Ordinal)];
        var workloadSet = workloads.ToHashSet(StringComparer.Ordinal);
        string[] namespaceParts = [.. spec.Workloads.Values
            .Select(w => w.Namespace)
            .Where(ns => WorkloadNamespaces.IsCreated(ns, spec.KubeRay.Namespace))
            .Distinct(StringComparer.Ordinal)
            .Select(ns => "ns-" + ns)
            .Order(StringComparer.Ordinal)];
        var namespacePartSet = namespaceParts.ToHashSet(StringComparer.Ordinal);
        var groups = new Dictionary<(string Kind, string Name), Group>();

        for (var b = 0; b < clusters.Length; b++)
        {
            var longer = clusters[b];
            for (var dash = longer.Name.IndexOf('-', StringComparison.Ordinal); dash > 0; dash = longer.Name.IndexOf('-', dash + 1))
            {
                if (!index.TryGetValue(longer.Name[..dash], out var a))
                {
                    continue;
                }

                var shorter = clusters[a];
                var prefix = longer.Name[(dash + 1)..] + "-";

                // shorter-x = longer-y exactly when x = prefix + y.
                foreach (var x in StartingWith(workloads, prefix))
                {
                    var y = x[prefix.Length..];
                    if (workloadSet.Contains(y))
                    {
                        Add(groups, WorkloadClaim(shorter, a, x), WorkloadClaim(longer, b, y));
                    }
                }

                foreach (var x in StartingWith(namespaceParts, prefix))
                {
                    var y = x[prefix.Length..];
                    if (namespacePartSet.Contains(y))
                    {
                        Add(groups, NamespaceClaim(shorter, a, x), NamespaceClaim(longer, b, y));
                    }
                }

                if (shorter.Provider == CloudProvider.Existing || longer.Provider == CloudProvider.Existing ||
                    !string.Equals(ProviderNames.Of(shorter.Provider), ProviderNames.Of(longer.Provider), StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var p in shorter.NodePools)
                {
                    var x = "pool-" + p.Name;
                    if (!x.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    foreach (var q in longer.NodePools)
                    {
                        if (string.Equals("pool-" + q.Name, x[prefix.Length..], StringComparison.Ordinal))
                        {
                            Add(groups, PoolClaim(shorter, a, p), PoolClaim(longer, b, q));
                        }
                    }
                }
            }
        }

        // Sorted by name; one name of two kinds in the order the kinds were first met (cluster, then pools,
        // namespaces, workloads), as a check over every pair in that order would list them.
        return [.. groups.Values
            .Select(g => (g.First, Owners: g.Owners.OrderBy(o => o.Key, StringComparer.Ordinal).ToList(), g.Kind, g.Name))
            .Where(g => g.Owners.Count > 1)
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .ThenBy(g => g.First)
            .Select(g => new Diagnostic(
                Severity.Error,
                g.Owners[^1].Value,
                $"the {g.Kind} resource name '{g.Name}' would be used by {string.Join(" and ", g.Owners.Select(o => o.Key))}; Pulumi needs unique names",
                "rename one of the clusters, or the workload, namespace or pool, so that '<cluster>-<name>' differs (placement may put any workload on any cluster, so every pair counts)"))];
    }

    /// <summary>The names in a sorted array that start with <paramref name="prefix"/>: one binary search, then a walk.</summary>
    private static IEnumerable<string> StartingWith(string[] sorted, string prefix)
    {
        var lo = 0;
        var hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (string.CompareOrdinal(sorted[mid], prefix) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        for (var i = lo; i < sorted.Length && sorted[i].StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            yield return sorted[i];
        }
    }

    private static Claim PoolClaim(ClusterSpec cluster, int order, NodePoolSpec pool) => new(
        ProviderNames.Of(cluster.Provider) + " node pool",
        Child(cluster.Name, "pool-" + pool.Name),
        $"pool '{pool.Name}' of cluster '{cluster.Name}'",
        $"skyray:clusters.{cluster.Name}.nodePools",
        (order, 0));

    private static Claim NamespaceClaim(ClusterSpec cluster, int order, string part) => new(
        "namespace",
        Child(cluster.Name, part),
        $"namespace '{part["ns-".Length..]}' on cluster '{cluster.Name}'",
        $"skyray:clusters.{cluster.Name}",
        (order, 1));

    private static Claim WorkloadClaim(ClusterSpec cluster, int order, string workload) => new(
        "workload",
        Child(cluster.Name, workload),
        $"workload '{workload}' on cluster '{cluster.Name}'",
        $"skyray:workloads.{workload}",
        (order, 2));

    private static void Add(Dictionary<(string Kind, string Name), Group> groups, Claim one, Claim other)
    {
        foreach (var claim in new[] { one, other })
        {
            if (!groups.TryGetValue((claim.Kind, claim.Name), out var group))
            {
                group = new Group(claim.Kind, claim.Name);
                groups[(claim.Kind, claim.Name)] = group;
            }

            group.Owners.TryAdd(claim.Owner, claim.Path);
            group.First = claim.Order.CompareTo(group.First) < 0 ? claim.Order : group.First;
        }
    }

    /// <summary>Owners (with their config paths) of one name of one kind; <c>First</c> is where a full scan would meet it first.</summary>
    private sealed class Group(string kind, string name)
    {
        public string Kind { get; } = kind;

        public string Name { get; } = name;

        public Dictionary<string, string> Owners { get; } = new(StringComparer.Ordinal);

        public (int Cluster, int Kind) First { get; set; } = (int.MaxValue, int.MaxValue);
    }

    private sealed record Claim(string Kind, string Name, string Owner, string Path, (int Cluster, int Kind) Order);
}
