using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Namespaces;

/// <summary>
/// The namespaces SkyRay creates for workloads: per active cluster, one <c>v1 Namespace</c> per distinct namespace a
/// placed copy lives in. Without them, applying to a fresh cluster fails for every namespace but <c>default</c>.
/// </summary>
/// <remarks>
/// Skipped: namespaces every cluster has (<c>default</c>, <c>kube-system</c>, <c>kube-public</c>, <c>kube-node-lease</c>)
/// and the operator's namespace, which the kuberay-operator Helm release creates (<c>--create-namespace</c>);
/// declaring those too would make two owners fight over one object.
/// </remarks>
public static class WorkloadNamespaces
{
    /// <summary>Namespaces that exist on every Kubernetes cluster.</summary>
    public static ImmutableSortedSet<string> BuiltIn { get; } =
        ImmutableSortedSet.Create(StringComparer.Ordinal, "default", "kube-node-lease", "kube-public", "kube-system");

    /// <summary>Namespace objects per active cluster, for every cluster that needs at least one.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">Its plan.</param>
    /// <returns>By cluster name; each cluster's namespaces sorted by name.</returns>
    public static ImmutableSortedDictionary<string, ImmutableArray<KubeObject>> For(FleetSpec spec, FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        var byCluster = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<KubeObject>>(StringComparer.Ordinal);
        foreach (var cluster in plan.Clusters.Values.Where(c => c.State == ClusterState.Active))
        {
            var names = Names(spec, plan, cluster.Cluster, spec.KubeRay.Namespace);
            if (names.Count > 0)
            {
                byCluster[cluster.Cluster] = [.. names.Select(Manifest)];
            }
        }

        return byCluster.ToImmutable();
    }

    /// <summary>The namespaces to create on one cluster: those of the workloads with a copy there, minus the skipped ones.</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="cluster">The cluster.</param>
    /// <param name="operatorNamespace">The namespace of the cluster's operator release.</param>
    /// <returns>Sorted, distinct names; empty for a cluster that is not active.</returns>
    public static ImmutableSortedSet<string> Names(FleetSpec spec, FleetPlan plan, string cluster, string operatorNamespace)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.Clusters.TryGetValue(cluster, out var clusterPlan) || clusterPlan.State != ClusterState.Active)
        {
            return ImmutableSortedSet.Create<string>(StringComparer.Ordinal);
        }

        return plan.Placements.Values
            .Where(p => p.Copies.Any(c => string.Equals(c.Cluster, cluster, StringComparison.Ordinal)))
            .Select(p => spec.Workloads[p.Workload].Namespace)
            .Where(ns => IsCreated(ns, operatorNamespace))
            .ToImmutableSortedSet(StringComparer.Ordinal);
    }

    /// <summary>True when SkyRay creates the namespace (it is neither built in nor the operator's).</summary>
    /// <param name="name">Namespace name.</param>
    /// <param name="operatorNamespace">The operator release's namespace.</param>
    /// <returns>Whether a Namespace object is declared for it.</returns>
    public static bool IsCreated(string name, string operatorNamespace) =>
        !BuiltIn.Contains(name) && !string.Equals(name, operatorNamespace, StringComparison.Ordinal);

    /// <summary>The <c>v1 Namespace</c> object for a name, labelled as managed by SkyRay.</summary>
    /// <param name="name">Namespace name.</param>
    /// <returns>The object; its <see cref="KubeObject.Namespace"/> is empty (namespaces are cluster-scoped).</returns>
    public static KubeObject Manifest(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var manifest = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject
            {
                ["labels"] = new JsonObject { [RenderLabels.ManagedBy] = RenderLabels.ManagedByValue },
                ["name"] = name,
            },
        };
        return new KubeObject("v1", "Namespace", name, string.Empty, manifest);
    }
}
