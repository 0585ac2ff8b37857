using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;

namespace SkyRay.KubeRay.Rendering;

/// <summary>
/// Builds the kuberay-operator Helm release for a cluster: chart <c>kuberay-operator</c> from the KubeRay Helm
/// repository, SkyRay's defaults, then the user's <c>skyray:kuberay.values</c> deep-merged over them.
/// <para>Defaults (keys of the chart's values.yaml, 1.7.0):</para>
/// <list type="bullet">
/// <item>CRDs: the chart ships them in its <c>crds/</c> folder, which Helm installs on first install; no value
/// needed. Helm never upgrades CRDs, so a chart upgrade must apply the new CRDs first (see docs/kuberay.md).</item>
/// <item><c>singleNamespaceInstall: false</c>: one operator per cluster watches every namespace, because
/// workloads of several namespaces may land on one cluster. Users who need a namespaced install set
/// <c>singleNamespaceInstall: true</c> and <c>watchNamespace: [...]</c> in their values.</item>
/// <item><c>resources</c>: requests 100m / 512Mi (the chart sets only limits, 100m / 512Mi, which throttles the
/// operator's CPU); limits 500m / 1Gi.</item>
/// <item><c>replicas: 1</c>, <c>leaderElectionEnabled: true</c> (safe when replicas are raised).</item>
/// <item>When every node pool of the cluster is tainted, the operator tolerates the taints of the first pool
/// (by name) and selects it by its labels, so it can be scheduled at all.</item>
/// <item><c>labels</c>: <c>skyray.io/cluster</c> on the operator's Deployment.</item>
/// </list>
/// Merge rules are Helm's: mappings merge key by key, everything else (lists, scalars) is replaced, and a user
/// value of <c>null</c> removes the key.
/// </summary>
public static class OperatorReleaseBuilder
{
    /// <summary>The chart repository.</summary>
    public const string Repository = "https://ray-project.github.io/kuberay-helm/";

    /// <summary>The chart name, also the release name.</summary>
    public const string ChartName = "kuberay-operator";

    /// <summary>The release's key on its cluster (<see cref="HelmRelease.Key"/>): the Pulumi resource is <c>&lt;cluster&gt;-kuberay</c>.</summary>
    public const string Key = "kuberay";

    /// <summary>Builds the release.</summary>
    /// <param name="settings">Operator settings from config.</param>
    /// <param name="cluster">The target cluster.</param>
    /// <returns>The release.</returns>
    public static HelmRelease Build(KubeRaySettings settings, ClusterSpec cluster)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(cluster);
        var values = Merge(Defaults(cluster), settings.Values);
        return new HelmRelease(Key, ChartName, ChartName, settings.ChartVersion, Repository, settings.Namespace, values);
    }

    /// <summary>SkyRay's default values for a cluster, before the user's values.</summary>
    /// <param name="cluster">The target cluster.</param>
    /// <returns>A new values tree.</returns>
    public static JsonObject Defaults(ClusterSpec cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var values = new JsonObject
        {
            ["labels"] = new JsonObject { [RenderLabels.Cluster] = cluster.Name },
            ["leaderElectionEnabled"] = true,
            ["replicas"] = 1,
            ["resources"] = new JsonObject
            {
                ["limits"] = new JsonObject { ["cpu"] = "500m", ["memory"] = "1Gi" },
                ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "512Mi" },
            },
            ["singleNamespaceInstall"] = false,
        };

        var pools = cluster.NodePools.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (pools.Count > 0 && pools.All(p => PoolPlacement.Taints(cluster, p).Any(t => t.Effect is "NoSchedule" or "NoExecute")))
        {
            var pool = pools[0];
            values["tolerations"] = PoolPlacement.Tolerations(PoolPlacement.Taints(cluster, pool));
            if (PoolPlacement.NodeLabels(cluster, pool) is { Count: > 0 } labels)
            {
                values["nodeSelector"] = PoolPlacement.Selector(labels);
            }
        }

        return values;
    }

    /// <summary>Helm's merge: <paramref name="overlay"/> over <paramref name="baseValues"/>, both left unchanged.</summary>
    /// <param name="baseValues">Defaults.</param>
    /// <param name="overlay">User values.</param>
    /// <returns>A new merged tree.</returns>
    public static JsonObject Merge(JsonObject baseValues, JsonObject overlay) => HelmValues.Merge(baseValues, overlay);
}
