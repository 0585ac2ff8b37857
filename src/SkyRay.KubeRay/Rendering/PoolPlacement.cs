using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;

namespace SkyRay.KubeRay.Rendering;

/// <summary>
/// Pins a pod template to a node pool: nodeSelector from the pool's labels plus the label each cloud puts on a
/// pool's nodes (SkyRay's provisioners name pools as configured), and tolerations for the pool's taints plus the
/// taint AKS puts on spot pools.
/// </summary>
internal static class PoolPlacement
{
    /// <summary>AKS taints (and labels) spot pools with this key, value <c>spot</c>.</summary>
    public const string AksSpotKey = "kubernetes.azure.com/scalesetpriority";

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

    /// <summary>The taints the pool's nodes carry.</summary>
    public static IReadOnlyList<NodeTaint> Taints(ClusterSpec cluster, NodePoolSpec pool)
    {
        var taints = pool.Taints.IsDefault ? [] : pool.Taints.ToList();
        if (cluster.Provider == CloudProvider.Azure && pool.Spot && !taints.Any(t => t.Key == AksSpotKey))
        {
            taints.Add(new NodeTaint(AksSpotKey, "spot", "NoSchedule"));
        }

        return taints;
    }

    public static JsonObject Selector(ImmutableSortedDictionary<string, string> labels)
    {
        var o = new JsonObject();
        foreach (var (k, v) in labels)
        {
            o[k] = v;
        }

        return o;
    }

    public static JsonArray Tolerations(IEnumerable<NodeTaint> taints)
    {
        var array = new JsonArray();
        foreach (var t in taints.OrderBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Effect, StringComparer.Ordinal))
        {
            array.Add(Toleration(t));
        }

        return array;
    }

    public static JsonObject Toleration(NodeTaint taint)
    {
        var o = new JsonObject { ["effect"] = taint.Effect, ["key"] = taint.Key };
        if (taint.Value is null)
        {
            o["operator"] = "Exists";
        }
        else
        {
            o["operator"] = "Equal";
            o["value"] = taint.Value;
        }

        return o;
    }

    /// <summary>Adds the pool's labels to the pod's nodeSelector and tolerations for taints it does not tolerate yet.</summary>
    public static void Apply(JsonObject podTemplate, ClusterSpec cluster, NodePoolSpec pool)
    {
        var labels = NodeLabels(cluster, pool);
        var taints = Taints(cluster, pool);
        if (podTemplate["spec"] is not JsonObject spec)
        {
            spec = new JsonObject();
            podTemplate["spec"] = spec;
        }

        if (labels.Count > 0)
        {
            if (spec["nodeSelector"] is not JsonObject selector)
            {
                selector = new JsonObject();
                spec["nodeSelector"] = selector;
            }

            foreach (var (k, v) in labels)
            {
                selector[k] = v;
            }
        }

        if (taints.Count == 0)
        {
            return;
        }

        if (spec["tolerations"] is not JsonArray tolerations)
        {
            tolerations = new JsonArray();
            spec["tolerations"] = tolerations;
        }

        foreach (var taint in taints.OrderBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Effect, StringComparer.Ordinal))
        {
            if (!tolerations.Any(t => Tolerates(t, taint)))
            {
                tolerations.Add(Toleration(taint));
            }
        }
    }

    // The Kubernetes toleration rule: empty key with Exists tolerates everything; effect empty matches any effect.
    private static bool Tolerates(JsonNode? node, NodeTaint taint)
    {
        // A toleration that is not a mapping tolerates nothing (the built-in model reports it).
        if (node is not JsonObject toleration)
        {
            return false;
        }

        var key = Text(toleration["key"]) ?? "";
        var op = Text(toleration["operator"]) ?? "Equal";
        var effect = Text(toleration["effect"]) ?? "";
        var value = Text(toleration["value"]) ?? "";
        if (effect.Length > 0 && effect != taint.Effect)
        {
            return false;
        }

        if (key.Length == 0)
        {
            return op == "Exists";
        }

        return key == taint.Key && (op == "Exists" || value == (taint.Value ?? ""));
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
