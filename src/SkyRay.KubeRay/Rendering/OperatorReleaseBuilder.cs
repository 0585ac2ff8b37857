using System.Collections.Immutable;
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
/// <item>Namespaced (<see cref="OperatorScope.Namespaced"/>, the default): <c>singleNamespaceInstall: true</c> and
/// <c>watchNamespace</c> = the namespaces of the workloads placed on the cluster. The 1.7.0 chart then creates no
/// ClusterRole: a Role and RoleBinding per watched namespace (<c>crNamespacedRbacEnable</c>, default true) and starts
/// the operator with <c>--watch-namespace</c>; with no namespace to watch (a cluster in standby) it watches its own.
/// Those namespaces must exist before the release (the chart puts Roles in them). <see cref="OperatorScope.Cluster"/>:
/// <c>singleNamespaceInstall: false</c>, the chart's ClusterRole, every namespace.</item>
/// <item><c>resources</c>: requests 100m / 512Mi (the chart sets only limits, 100m / 512Mi, which throttles the
/// operator's CPU); limits 500m / 1Gi.</item>
/// <item><c>replicas: 1</c>, <c>leaderElectionEnabled: true</c> (safe when replicas are raised).</item>
/// <item><c>tolerations</c> / <c>nodeSelector</c> from <see cref="AddonPlacement"/>: the system pool on AKS; elsewhere,
/// when every node pool is tainted, the first pool (by name), so it can be scheduled at all.</item>
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

    /// <summary>Builds the release watching no workload namespace yet (a namespaced operator then watches its own namespace).</summary>
    /// <param name="settings">Operator settings from config.</param>
    /// <param name="cluster">The target cluster.</param>
    /// <returns>The release.</returns>
    public static HelmRelease Build(KubeRaySettings settings, ClusterSpec cluster) => Build(settings, cluster, []);

    /// <summary>Builds the release.</summary>
    /// <param name="settings">Operator settings from config.</param>
    /// <param name="cluster">The target cluster.</param>
    /// <param name="watchNamespaces">The namespaces of the workloads placed on the cluster (a namespaced operator watches them).</param>
    /// <returns>The release.</returns>
    public static HelmRelease Build(KubeRaySettings settings, ClusterSpec cluster, IReadOnlyCollection<string> watchNamespaces)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(watchNamespaces);
        var values = Merge(Defaults(cluster, settings.Scope, watchNamespaces), settings.Values);
        return new HelmRelease(Key, ChartName, ChartName, settings.ChartVersion, Repository, settings.Namespace, values)
        {
            Crds = CrdUrls(settings.ChartVersion),
        };
    }

    /// <summary>Where KubeRay publishes its sources; a chart version's CRDs are in <c>helm-chart/kuberay-operator/crds/</c> at tag <c>v&lt;version&gt;</c>.</summary>
    public const string SourceUrl = "https://raw.githubusercontent.com/ray-project/kuberay/";

    /// <summary>
    /// The CRD manifests of a chart version, from the chart's <c>crds/</c> folder at the release tag: RayCluster, RayJob and
    /// RayService, and RayCronJob from 1.6.0 on (the folder's contents at the v1.3.0 to v1.7.0 tags). A new chart version
    /// gives new URLs, so the CRDs are upgraded with the chart.
    /// </summary>
    /// <param name="chartVersion">The chart version (<c>1.7.0</c>).</param>
    /// <returns>The URLs, sorted.</returns>
    public static ImmutableArray<string> CrdUrls(string chartVersion)
    {
        ArgumentNullException.ThrowIfNull(chartVersion);
        var core = chartVersion.Split('-')[0].Split('.');
        var (major, minor) = (int.TryParse(core[0], System.Globalization.CultureInfo.InvariantCulture, out var a) ? a : 0,
            core.Length > 1 && int.TryParse(core[1], System.Globalization.CultureInfo.InvariantCulture, out var b) ? b : 0);
        var kinds = major > 1 || (major == 1 && minor >= 6)
            ? new[] { "rayclusters", "raycronjobs", "rayjobs", "rayservices" }
            : ["rayclusters", "rayjobs", "rayservices"];
        var baseUrl = $"{SourceUrl}v{chartVersion}/helm-chart/kuberay-operator/crds/";
        return [.. kinds.Select(k => $"{baseUrl}ray.io_{k}.yaml")];
    }

    /// <summary>SkyRay's default values for a cluster with a namespaced operator watching no workload namespace, before the user's values.</summary>
    /// <param name="cluster">The target cluster.</param>
    /// <returns>A new values tree.</returns>
    public static JsonObject Defaults(ClusterSpec cluster) => Defaults(cluster, OperatorScope.Namespaced, []);

    /// <summary>SkyRay's default values for a cluster, before the user's values.</summary>
    /// <param name="cluster">The target cluster.</param>
    /// <param name="scope">What the operator watches.</param>
    /// <param name="watchNamespaces">The workload namespaces on the cluster (used when namespaced), in any order.</param>
    /// <returns>A new values tree.</returns>
    public static JsonObject Defaults(ClusterSpec cluster, OperatorScope scope, IReadOnlyCollection<string> watchNamespaces)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(watchNamespaces);
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
            ["singleNamespaceInstall"] = scope == OperatorScope.Namespaced,
        };
        if (scope == OperatorScope.Namespaced && watchNamespaces.Count > 0)
        {
            values["watchNamespace"] = new JsonArray([.. watchNamespaces.Distinct().Order(StringComparer.Ordinal).Select(n => (JsonNode)JsonValue.Create(n))]);
        }

        foreach (var (key, value) in AddonPlacement.Values(cluster))
        {
            values[key] = value?.DeepClone();
        }

        return values;
    }

    /// <summary>Helm's merge: <paramref name="overlay"/> over <paramref name="baseValues"/>, both left unchanged.</summary>
    /// <param name="baseValues">Defaults.</param>
    /// <param name="overlay">User values.</param>
    /// <returns>A new merged tree.</returns>
    public static JsonObject Merge(JsonObject baseValues, JsonObject overlay) => HelmValues.Merge(baseValues, overlay);
}
