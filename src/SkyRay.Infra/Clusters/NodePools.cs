using System.Collections.Immutable;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;

namespace SkyRay.Infra.Clusters;

/// <summary>One node pool to declare: the plan's sizes, the configured labels and taints, the catalog entry.</summary>
/// <param name="Plan">Sizes from the plan.</param>
/// <param name="Spec">The pool as configured.</param>
/// <param name="Type">The instance type's catalog entry, or null when the catalog does not know it.</param>
internal sealed record PoolDeclaration(NodePoolPlan Plan, NodePoolSpec Spec, InstanceType? Type)
{
    /// <summary>GPUs per node (0 for CPU pools or unknown types).</summary>
    public int Gpus => Type?.Gpus ?? 0;

    /// <summary>True for pools of GPU instances.</summary>
    public bool HasGpu => Gpus > 0;
}

/// <summary>Joins a cluster's planned pools with their configuration, and spells taints the way each cloud wants.</summary>
internal static class NodePools
{
    /// <summary>The planned pools of a cluster, sorted by name, each with its configuration.</summary>
    /// <exception cref="InvalidOperationException">The plan names a pool the cluster does not configure (plan and spec disagree).</exception>
    public static ImmutableArray<PoolDeclaration> Join(ClusterSpec cluster, ClusterPlan plan, InstanceCatalog catalog)
    {
        var specs = cluster.NodePools.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var provider = ProviderNames.Of(cluster.Provider);
        var pools = ImmutableArray.CreateBuilder<PoolDeclaration>(plan.Pools.Length);
        foreach (var pool in plan.Pools.OrderBy(p => p.Pool, StringComparer.Ordinal))
        {
            if (!specs.TryGetValue(pool.Pool, out var spec))
            {
                throw new InvalidOperationException(
                    $"The plan sizes pool '{pool.Pool}' of cluster '{cluster.Name}', which the cluster does not configure.");
            }

            pools.Add(new PoolDeclaration(pool, spec, catalog.TryGet(provider, pool.InstanceType, out var type) ? type : null));
        }

        return pools.MoveToImmutable();
    }

    /// <summary>EKS and GKE spell taint effects in upper snake case (<c>NO_SCHEDULE</c>).</summary>
    public static string UpperSnakeEffect(string effect) => effect switch
    {
        "NoSchedule" => "NO_SCHEDULE",
        "PreferNoSchedule" => "PREFER_NO_SCHEDULE",
        "NoExecute" => "NO_EXECUTE",
        _ => throw new ArgumentException($"unknown taint effect '{effect}'", nameof(effect)),
    };

    /// <summary>AKS takes taints as <c>key=value:Effect</c> strings (<c>key:Effect</c> without a value).</summary>
    public static string AksTaint(NodeTaint taint) =>
        string.IsNullOrEmpty(taint.Value) ? $"{taint.Key}:{taint.Effect}" : $"{taint.Key}={taint.Value}:{taint.Effect}";

    /// <summary>Names of child resources: the cluster name, then what the resource is (the core's scheme, which it checks for clashes).</summary>
    public static string ChildName(string cluster, string part) => Orchestration.Naming.ResourceNames.Child(cluster, part);
}
