using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;

namespace SkyRay.KubeRay.Rendering;

/// <summary>
/// NVIDIA's Kubernetes device plugin, which makes GPU nodes advertise <c>nvidia.com/gpu</c>: without it GPU Ray pods stay
/// Pending. Installed where the cloud does not run one itself: EKS (the AL2023 NVIDIA AMI ships the driver, not the
/// plugin) and AKS (GPU pools install the driver only, unless the preview "managed GPU" profile is on). GKE runs its own
/// plugin and installs the driver through the accelerator config; existing clusters are their owner's.
/// <para>Values decided here: the pinned chart, tolerations of every taint the GPU pools carry, and node affinity to the
/// GPU pools by the cloud's pool-name label. The chart's default affinity wants Node Feature Discovery labels
/// (<c>feature.node.kubernetes.io/pci-10de.present</c>) that neither EKS nor AKS nodes have, so it is replaced.</para>
/// </summary>
public static class NvidiaDevicePlugin
{
    /// <summary>The release's key on its cluster.</summary>
    public const string Key = "nvidia-device-plugin";

    /// <summary>The chart and release name.</summary>
    public const string ChartName = "nvidia-device-plugin";

    /// <summary>NVIDIA's chart repository.</summary>
    public const string Repository = "https://nvidia.github.io/k8s-device-plugin";

    /// <summary>The pinned chart version: the newest release tag of NVIDIA/k8s-device-plugin when this was written.</summary>
    public const string ChartVersion = "0.20.0";

    /// <summary>Where it runs: beside the other node agents.</summary>
    public const string Namespace = "kube-system";

    /// <summary>The release for a cluster, or null when the cluster needs none (no GPU pool, GKE, an existing cluster).</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="catalog">The instance catalog (which pools have GPUs).</param>
    /// <returns>The release or null.</returns>
    public static HelmRelease? For(ClusterSpec cluster, InstanceCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(catalog);
        if (cluster.Provider is not (CloudProvider.Aws or CloudProvider.Azure) || PoolPlacement.PoolNameLabel(cluster.Provider) is not { } poolLabel)
        {
            return null;
        }

        var provider = ProviderNames.Of(cluster.Provider);
        var gpuPools = cluster.NodePools
            .Where(p => catalog.TryGet(provider, p.InstanceType, out var type) && type.HasGpu)
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        if (gpuPools.Count == 0)
        {
            return null;
        }

        var taints = gpuPools
            .SelectMany(p => PoolTaints.Effective(cluster.Provider, p, gpu: true))
            .Where(PoolTaints.Repels)
            .Distinct()
            .ToList();
        var values = new JsonObject
        {
            ["affinity"] = new JsonObject
            {
                ["nodeAffinity"] = new JsonObject
                {
                    ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
                    {
                        ["nodeSelectorTerms"] = new JsonArray
                        {
                            new JsonObject
                            {
                                ["matchExpressions"] = new JsonArray
                                {
                                    new JsonObject
                                    {
                                        ["key"] = poolLabel,
                                        ["operator"] = "In",
                                        ["values"] = new JsonArray([.. gpuPools.Select(p => (JsonNode)JsonValue.Create(p.Name))]),
                                    },
                                },
                            },
                        },
                    },
                },
            },
            ["tolerations"] = PoolPlacement.Tolerations(taints),
        };
        return new HelmRelease(Key, ChartName, ChartName, ChartVersion, Repository, Namespace, values);
    }

    /// <summary>The GPU pools of a cluster the plugin runs on, sorted (empty when it gets no plugin).</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="catalog">The instance catalog.</param>
    /// <returns>Pool names.</returns>
    public static ImmutableArray<string> Pools(ClusterSpec cluster, InstanceCatalog catalog) =>
        For(cluster, catalog)?.Values["affinity"]?["nodeAffinity"]?["requiredDuringSchedulingIgnoredDuringExecution"]?["nodeSelectorTerms"]?[0]?["matchExpressions"]?[0]?["values"]?.AsArray()
            .Select(v => v!.GetValue<string>()).ToImmutableArray() ?? [];
}
