using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;

namespace SkyRay.KubeRay.Rendering;

/// <summary>
/// Where a cluster add-on's pods (the KubeRay operator, the Cluster Autoscaler) run, as Helm values
/// (<c>tolerations</c>, <c>nodeSelector</c>):
/// <list type="bullet">
/// <item>AKS: on the system pool SkyRay gives every AKS cluster, which AKS taints <c>CriticalAddonsOnly=true:NoSchedule</c>
/// (<c>onlyCriticalAddonsEnabled</c>) and labels <c>kubernetes.azure.com/mode: system</c>: the add-on tolerates the taint
/// and selects the label, so it runs while user pools are at zero and never holds a user node up.</item>
/// <item>EKS, GKE and existing clusters have no system pool: the add-on runs on any pool without a repelling taint; when
/// every pool has one (a cluster of GPU pools only), it tolerates the first pool's taints (by name) and selects that
/// pool, so it can be scheduled at all.</item>
/// </list>
/// </summary>
public static class AddonPlacement
{
    /// <summary>The taint AKS puts on a system pool with <c>onlyCriticalAddonsEnabled</c>.</summary>
    public static NodeTaint AksCriticalAddonsOnly { get; } = new("CriticalAddonsOnly", "true", "NoSchedule");

    /// <summary>The label AKS puts on system pool nodes.</summary>
    public const string AksModeLabel = "kubernetes.azure.com/mode";

    /// <summary>The placement values for a cluster's add-ons; empty when the chart's defaults already fit.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <returns>A new object with <c>tolerations</c> and <c>nodeSelector</c> when needed.</returns>
    public static JsonObject Values(ClusterSpec cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var values = new JsonObject();
        if (cluster.Provider == CloudProvider.Azure)
        {
            values["nodeSelector"] = new JsonObject { [AksModeLabel] = "system" };
            values["tolerations"] = PoolPlacement.Tolerations([AksCriticalAddonsOnly]);
            return values;
        }

        var pools = cluster.NodePools.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        if (pools.Count > 0 && pools.All(p => PoolPlacement.Taints(cluster, p).Any(PoolTaints.Repels)))
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
}
