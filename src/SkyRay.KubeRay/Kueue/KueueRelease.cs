using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;

namespace SkyRay.KubeRay.Kueue;

/// <summary>
/// The Kueue Helm release of a cluster: the chart Kueue publishes as an OCI artifact (<see cref="Chart"/>, the location of Kueue's
/// installation guide), version <c>chartVersion</c> (default 0.19.2), in <c>kueue-system</c>, installed after the KubeRay operator
/// (<see cref="OperatorReleaseBuilder.Key"/>) so the <c>ray.io</c> CRDs exist when its Ray integrations start. SkyRay's values:
/// <list type="bullet">
/// <item><c>managerConfig.controllerManagerConfigYaml</c>: <see cref="KueueConfiguration"/> (the Ray integrations on, the others off).</item>
/// <item>When every node pool of the cluster is tainted, the controller tolerates the first pool's taints and selects it by its labels,
/// as the KubeRay operator does, so it can be scheduled at all.</item>
/// </list>
/// The chart's CRDs are templates (not a <c>crds/</c> folder), so Helm installs and upgrades them with the release; the published
/// chart pins its image to the release (<c>registry.k8s.io/kueue/kueue:v&lt;version&gt;</c>). The user's <c>values</c> merge over these
/// with Helm's rules.
/// </summary>
public static class KueueRelease
{
    /// <summary>Where Kueue publishes its chart.</summary>
    public const string Chart = "oci://registry.k8s.io/kueue/charts/kueue";

    /// <summary>The release name.</summary>
    public const string ReleaseName = "kueue";

    /// <summary>The release's key on its cluster: the Pulumi resource is <c>&lt;cluster&gt;-kueue</c>, the rendered files <c>kueue.yaml</c>.</summary>
    public const string Key = "kueue";

    /// <summary>Builds the release of a cluster that runs Kueue.</summary>
    /// <param name="cluster">The cluster (its <see cref="ClusterSpec.Kueue"/> settings).</param>
    /// <returns>The release.</returns>
    public static HelmRelease Build(ClusterSpec cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var settings = cluster.Kueue;
        var values = HelmValues.Merge(Defaults(cluster), settings.Values);
        return new HelmRelease(Key, ReleaseName, Chart, settings.ChartVersion, string.Empty, settings.Namespace, values)
        {
            After = [OperatorReleaseBuilder.Key],
        };
    }

    /// <summary>SkyRay's values for a cluster, before the user's.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <returns>A new values tree.</returns>
    public static JsonObject Defaults(ClusterSpec cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var values = new JsonObject
        {
            ["managerConfig"] = new JsonObject { ["controllerManagerConfigYaml"] = KueueConfiguration.Yaml(cluster.Kueue.Queueing) },
        };

        var pools = cluster.NodePools.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (pools.Count > 0 && pools.All(p => PoolPlacement.Taints(cluster, p).Any(t => t.Effect is "NoSchedule" or "NoExecute")))
        {
            var pool = pools[0];
            var manager = new JsonObject { ["tolerations"] = PoolPlacement.Tolerations(PoolPlacement.Taints(cluster, pool)) };
            if (PoolPlacement.NodeLabels(cluster, pool) is { Count: > 0 } labels)
            {
                manager["nodeSelector"] = PoolPlacement.Selector(labels);
            }

            values["controllerManager"] = manager;
        }

        return values;
    }
}
