using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;

namespace SkyRay.KubeRay.Rendering;

/// <summary>
/// Pins a pod template to a node pool: nodeSelector from the pool's labels plus the label each cloud puts on a pool's
/// nodes (SkyRay's provisioners name pools as configured), and the tolerations the pods earned (<see cref="PodTolerations"/>):
/// the workload's <c>tolerations</c>, the GPU toleration for GPU pods, AKS's spot toleration on AKS spot pools. Placement
/// only chose a pool whose taints these tolerate; nothing else is added, so a taint keeps off the pods it is meant to.
/// </summary>
internal static class PoolPlacement
{
    /// <summary>AKS taints (and labels) spot pools with this key, value <c>spot</c>.</summary>
    public const string AksSpotKey = PoolTaints.AksSpotKey;

    /// <summary>The node label carrying the pool name, per provider; null for existing clusters (unknown).</summary>
    public static string? PoolNameLabel(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => "eks.amazonaws.com/nodegroup",
        CloudProvider.Gcp => "cloud.google.com/gke-nodepool",
        CloudProvider.Azure => "kubernetes.azure.com/agentpool",
        _ => null,
    };

    /// <summary>The labels that select the pool's nodes.</summary>
    public static ImmutableSortedDictionary<string, string> NodeLabels(ClusterSpec cluster, NodePoolSpec pool) =>
        PoolNameLabel(cluster.Provider) is { } key ? pool.Labels.SetItem(key, pool.Name) : pool.Labels;

    /// <summary>The taints the pool's nodes carry: the configured ones and the implicit ones the config reader recorded
    /// (GPU taint, AKS spot taint).</summary>
    public static IReadOnlyList<NodeTaint> Taints(ClusterSpec cluster, NodePoolSpec pool) =>
        PoolTaints.Effective(cluster.Provider, pool, type: null);

    public static JsonObject Selector(ImmutableSortedDictionary<string, string> labels)
    {
        var o = new JsonObject();
        foreach (var (k, v) in labels)
        {
            o[k] = v;
        }

        return o;
    }

    /// <summary>Exact tolerations of <paramref name="taints"/>, sorted by key then effect.</summary>
    public static JsonArray Tolerations(IEnumerable<NodeTaint> taints)
    {
        var array = new JsonArray();
        foreach (var t in taints.OrderBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Effect, StringComparer.Ordinal))
        {
            array.Add(Toleration.Of(t).ToJson());
        }

        return array;
    }

    /// <summary>
    /// Adds the pool's labels to the pod's nodeSelector, and the tolerations the pod earned that it does not carry yet:
    /// the workload's, the GPU toleration when the pods request GPUs, the spot toleration on an AKS spot pool.
    /// </summary>
    /// <param name="podTemplate">The pod template.</param>
    /// <param name="cluster">The target cluster.</param>
    /// <param name="pool">The pool placement chose.</param>
    /// <param name="workloadTolerations">The workload's <c>tolerations</c> setting.</param>
    /// <param name="gpu">True when the group's pods request GPUs.</param>
    public static void Apply(JsonObject podTemplate, ClusterSpec cluster, NodePoolSpec pool, ImmutableArray<Toleration> workloadTolerations, bool gpu)
    {
        var poolKey = PoolNameLabel(cluster.Provider);
        if (podTemplate["spec"] is not JsonObject spec)
        {
            spec = new JsonObject();
            podTemplate["spec"] = spec;
        }

        if (poolKey is not null || pool.Labels.Count > 0)
        {
            if (spec["nodeSelector"] is not JsonObject selector)
            {
                selector = new JsonObject();
                spec["nodeSelector"] = selector;
            }

            WriteSelector(selector, pool.Labels, poolKey, pool.Name);
        }

        var earned = new List<Toleration>(workloadTolerations.IsDefault ? [] : workloadTolerations);
        if (gpu)
        {
            earned.Add(PodTolerations.Gpu);
        }

        if (cluster.Provider == CloudProvider.Azure && pool.Spot)
        {
            earned.Add(PodTolerations.AksSpot);
        }

        if (earned.Count == 0)
        {
            return;
        }

        if (spec["tolerations"] is not JsonArray tolerations)
        {
            tolerations = new JsonArray();
            spec["tolerations"] = tolerations;
        }

        var present = Toleration.FromJson(tolerations);
        foreach (var toleration in earned)
        {
            if (!present.Any(p => Covers(p, toleration)))
            {
                tolerations.Add(toleration.ToJson());
                present = present.Add(toleration);
            }
        }
    }

    /// <summary>
    /// Writes <see cref="NodeLabels"/> into a selector in its order (the pool's labels with the pool-name label merged in by the
    /// labels' comparer) without building that dictionary for every placed group.
    /// </summary>
    private static void WriteSelector(JsonObject selector, ImmutableSortedDictionary<string, string> labels, string? poolKey, string poolName)
    {
        var pending = poolKey is not null;
        foreach (var (k, v) in labels)
        {
            if (pending)
            {
                var order = labels.KeyComparer.Compare(poolKey!, k);
                if (order == 0)
                {
                    selector[k] = poolName;
                    pending = false;
                    continue;
                }

                if (order < 0)
                {
                    selector[poolKey!] = poolName;
                    pending = false;
                }
            }

            selector[k] = v;
        }

        if (pending)
        {
            selector[poolKey!] = poolName;
        }
    }

    /// <summary>True when the pod template's containers request (or limit) <c>nvidia.com/gpu</c>.</summary>
    public static bool RequestsGpu(JsonObject podTemplate)
    {
        if ((podTemplate["spec"] as JsonObject)?["containers"] is not JsonArray containers)
        {
            return false;
        }

        foreach (var container in containers.OfType<JsonObject>())
        {
            var resources = container["resources"] as JsonObject;
            foreach (var part in new[] { "requests", "limits" })
            {
                if ((resources?[part] as JsonObject)?[PoolTaints.GpuKey] is JsonValue v &&
                    (v.TryGetValue<long>(out var n) ? n > 0 : v.TryGetValue<string>(out var s) && s.Trim() is not ("" or "0")))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="present"/> tolerates every taint <paramref name="earned"/> does (it is as broad or broader).</summary>
    private static bool Covers(Toleration present, Toleration earned)
    {
        var anyKey = string.IsNullOrEmpty(present.Key) && present.Operator == Toleration.ExistsOperator;
        var sameKey = anyKey || string.Equals(present.Key, earned.Key, StringComparison.Ordinal);
        var effect = string.IsNullOrEmpty(present.Effect) || string.Equals(present.Effect, earned.Effect, StringComparison.Ordinal);
        var value = present.Operator == Toleration.ExistsOperator ||
            (earned.Operator == Toleration.EqualOperator && string.Equals(present.Value ?? "", earned.Value ?? "", StringComparison.Ordinal));
        return sameKey && effect && value;
    }
}
