using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Namespaces;

/// <summary>
/// The namespaces SkyRay creates for workloads: per active cluster, one <c>v1 Namespace</c> per distinct namespace a
/// placed copy lives in. Without them, applying to a fresh cluster fails for every namespace but <c>default</c>.
/// Each carries the Pod Security admission label <c>pod-security.kubernetes.io/enforce</c>: <c>restricted</c>, or the
/// least strict level a workload with a copy in it on that cluster asks for (<c>security.podSecurity</c>).
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
        var levels = Levels(spec, plan);
        foreach (var cluster in plan.Clusters.Values.Where(c => c.State == ClusterState.Active))
        {
            var names = Names(spec, plan, cluster.Cluster, spec.KubeRay.Namespace);
            if (names.Count > 0)
            {
                byCluster[cluster.Cluster] = [.. names.Select(n => Manifest(n, levels.GetValueOrDefault((cluster.Cluster, n), PodSecurityLevel.Restricted)))];
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

    /// <summary>The Pod Security admission label that rejects pods below a level (kubernetes.io/docs/concepts/security/pod-security-admission).</summary>
    public const string EnforceLabel = "pod-security.kubernetes.io/enforce";

    /// <summary>
    /// The level a namespace enforces on a cluster: the least strict <c>security.podSecurity</c> of the workloads with a
    /// copy in it there (a relaxed workload would otherwise be rejected), <c>restricted</c> when none relaxes it.
    /// </summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="cluster">The cluster.</param>
    /// <param name="name">The namespace.</param>
    /// <returns>The level.</returns>
    public static PodSecurityLevel Level(FleetSpec spec, FleetPlan plan, string cluster, string name) =>
        Levels(spec, plan).GetValueOrDefault((cluster, name), PodSecurityLevel.Restricted);

    /// <summary>
    /// <see cref="Level"/> of every (cluster, namespace) with a copy, in one pass over the placements (a walk asks once per
    /// cluster and namespace; asking <see cref="Level"/> each time would scan every placement each time).
    /// </summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">Its plan.</param>
    /// <returns>The level by (cluster, namespace); a pair without copies is absent (restricted).</returns>
    public static IReadOnlyDictionary<(string Cluster, string Namespace), PodSecurityLevel> Levels(FleetSpec spec, FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        return Levels(plan.Placements.Values.Select(p => (p, spec.Workloads[p.Workload])));
    }

    /// <summary>
    /// <see cref="Levels(FleetSpec, FleetPlan)"/> of placements already paired with their workloads (the orchestrator's walk
    /// pairs them once, side by side, instead of looking each workload up by name again).
    /// </summary>
    /// <param name="placed">Each placement with the workload it places.</param>
    /// <returns>The level by (cluster, namespace); a pair without copies is absent (restricted).</returns>
    internal static Dictionary<(string Cluster, string Namespace), PodSecurityLevel> Levels(IEnumerable<(WorkloadPlacement Placement, WorkloadSpec Workload)> placed)
    {
        var levels = new Dictionary<(string Cluster, string Namespace), PodSecurityLevel>();
        foreach (var (placement, workload) in placed)
        {
            foreach (var copy in placement.Copies)
            {
                var key = (copy.Cluster, workload.Namespace);
                var level = levels.TryGetValue(key, out var seen) ? seen : PodSecurityLevel.Restricted;
                levels[key] = workload.Security.PodSecurity > level ? workload.Security.PodSecurity : level;
            }
        }

        return levels;
    }

    /// <summary>The <c>v1 Namespace</c> object for a name, labelled as managed by SkyRay and enforcing the restricted level.</summary>
    /// <param name="name">Namespace name.</param>
    /// <returns>The object; its <see cref="KubeObject.Namespace"/> is empty (namespaces are cluster-scoped).</returns>
    public static KubeObject Manifest(string name) => Manifest(name, PodSecurityLevel.Restricted);

    /// <summary>The <c>v1 Namespace</c> object for a name, labelled as managed by SkyRay and enforcing <paramref name="level"/>.</summary>
    /// <param name="name">Namespace name.</param>
    /// <param name="level">The Pod Security Standards level the namespace enforces.</param>
    /// <returns>The object; its <see cref="KubeObject.Namespace"/> is empty (namespaces are cluster-scoped).</returns>
    public static KubeObject Manifest(string name, PodSecurityLevel level)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var manifest = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject
            {
                ["labels"] = new JsonObject
                {
                    [RenderLabels.ManagedBy] = RenderLabels.ManagedByValue,
                    [EnforceLabel] = LevelName(level),
                },
                ["name"] = name,
            },
        };
        return new KubeObject("v1", "Namespace", name, string.Empty, manifest);
    }

    /// <summary>The label value of a level: <c>restricted</c>, <c>baseline</c> or <c>privileged</c>.</summary>
    /// <param name="level">The level.</param>
    /// <returns>Its name.</returns>
    public static string LevelName(PodSecurityLevel level) => level switch
    {
        PodSecurityLevel.Baseline => "baseline",
        PodSecurityLevel.Privileged => "privileged",
        _ => "restricted",
    };

    /// <summary>
    /// Warns about workloads in a namespace SkyRay does not create (<c>default</c>, a <c>kube-*</c> one, the operator's):
    /// SkyRay cannot put the Pod Security admission label on it, so nothing rejects a pod below the workload's level there.
    /// </summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="diagnostics">Where the warnings go, at <c>skyray:workloads.&lt;name&gt;.namespace</c>.</param>
    public static void CheckEnforced(FleetSpec spec, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(diagnostics);
        foreach (var (name, workload) in spec.Workloads)
        {
            if (!IsCreated(workload.Namespace, spec.KubeRay.Namespace))
            {
                diagnostics.Warning(
                    $"skyray:workloads.{name}.namespace",
                    $"SkyRay does not create namespace '{workload.Namespace}', so it carries no {EnforceLabel} label and Pod Security admission checks nothing there",
                    $"give the workload a namespace of its own (e.g. namespace: ray), or label it: kubectl label namespace {workload.Namespace} {EnforceLabel}={LevelName(workload.Security.PodSecurity)}");
            }
        }
    }
}
