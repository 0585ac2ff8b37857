using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Ports;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Autoscaling;

/// <summary>What adds and removes a cluster's nodes when Ray's autoscaler asks for pods.</summary>
public enum NodeAutoscaler
{
    /// <summary>Nothing SkyRay manages (existing clusters, or a cluster that is not provisioned).</summary>
    None,

    /// <summary>SkyRay installs the Kubernetes Cluster Autoscaler (EKS: managed node groups only set min/max).</summary>
    ClusterAutoscaler,

    /// <summary>The cloud's own autoscaler, switched on per pool (AKS <c>autoScalingEnabled</c>, GKE node pool autoscaling).</summary>
    CloudManaged,
}

/// <summary>
/// What the Cluster Autoscaler must be told about a pool it may have to grow from zero nodes: with no node to copy, it
/// builds a template node from tags on the pool's Auto Scaling group. EKS puts the discovery tags on that group itself,
/// and the CA reads labels and taints from <c>eks:DescribeNodegroup</c> only while a group has never had a node, so a
/// pool that scaled down to zero (standby, idle dynamic pools) needs these tags to come back.
/// </summary>
/// <param name="Pool">Pool name.</param>
/// <param name="Tags">Auto Scaling group tags, key → value, sorted.</param>
public sealed record ScaleFromZeroHint(string Pool, ImmutableSortedDictionary<string, string> Tags);

/// <summary>The Cluster Autoscaler Helm release for one cluster.</summary>
/// <param name="ReleaseName">Helm release name.</param>
/// <param name="Chart">Chart name.</param>
/// <param name="Version">Chart version (pinned).</param>
/// <param name="Repository">Chart repository URL.</param>
/// <param name="Namespace">Namespace (kube-system, like the cloud's own add-ons).</param>
/// <param name="ServiceAccount">The service account the pod runs as; the cloud identity is bound to it.</param>
/// <param name="Values">Chart values, without <c>autoDiscovery.clusterName</c>: the adapter adds the cloud's name of the
/// cluster, which only the cloud knows (EKS clusters are auto-named).</param>
public sealed record ClusterAutoscalerRelease(
    string ReleaseName, string Chart, string Version, string Repository, string Namespace, string ServiceAccount, JsonObject Values);

/// <summary>How one provisioned cluster autoscales; every field is decided here, the adapter only maps it.</summary>
/// <param name="Autoscaler">Who scales the pools.</param>
/// <param name="PlanSetsNodeCount">True when the adapter declares the plan's desired node count this run (creation, going
/// to standby, waking up); false when the autoscaler owns the count and the adapter must not reset it (Pulumi
/// <c>ignoreChanges</c> on EKS <c>scalingConfig.desiredSize</c> and AKS <c>nodeCount</c>).</param>
/// <param name="Release">The Cluster Autoscaler release to install, or null.</param>
/// <param name="ScaleFromZero">Tags per pool that may sit at zero nodes, sorted by pool.</param>
/// <param name="ReleaseWaits">Whether to wait for the <paramref name="Release"/>'s pod: only when the plan gives the
/// cluster a node to run it on (an active cluster with at least one desired node).</param>
public sealed record AutoscalingSpec(
    NodeAutoscaler Autoscaler,
    bool PlanSetsNodeCount,
    ClusterAutoscalerRelease? Release,
    ImmutableArray<ScaleFromZeroHint> ScaleFromZero,
    bool ReleaseWaits = false)
{
    /// <summary>Nothing to do (existing clusters).</summary>
    public static AutoscalingSpec None { get; } = new(NodeAutoscaler.None, true, null, []);
}

/// <summary>
/// Decides how each provisioned cluster autoscales. Ray's autoscaler adds worker pods; something must add nodes for
/// them: on AKS and GKE the cloud's autoscaler (switched on per pool), on EKS the Kubernetes Cluster Autoscaler, which
/// SkyRay installs with an IAM role bound through EKS Pod Identity.
/// </summary>
public static class NodeAutoscaling
{
    /// <summary>The chart repository of the Kubernetes autoscaler project.</summary>
    public const string Repository = "https://kubernetes.github.io/autoscaler";

    /// <summary>Chart name.</summary>
    public const string Chart = "cluster-autoscaler";

    /// <summary>
    /// Pinned chart version: the newest <c>cluster-autoscaler-chart-*</c> tag of kubernetes/autoscaler when this was
    /// written (9.59.0, app version 1.35.0). Its default image is replaced per cluster (<see cref="ImageTags"/>).
    /// </summary>
    public const string ChartVersion = "9.59.0";

    /// <summary>Release name and service account name.</summary>
    public const string ReleaseName = "cluster-autoscaler";

    /// <summary>Namespace of the release.</summary>
    public const string Namespace = "kube-system";

    /// <summary>Tag key prefix the Cluster Autoscaler's AWS provider reads a template node from.</summary>
    public const string NodeTemplatePrefix = "k8s.io/cluster-autoscaler/node-template/";

    /// <summary>The node label EKS puts on every node of a managed node group (value: the group name).</summary>
    public const string EksNodeGroupLabel = "eks.amazonaws.com/nodegroup";

    /// <summary>The node label EKS puts on every node with its capacity type.</summary>
    public const string EksCapacityTypeLabel = "eks.amazonaws.com/capacityType";

    /// <summary>
    /// Cluster Autoscaler image per Kubernetes minor version: the project supports each CA minor only with the same
    /// Kubernetes minor. The newest <c>cluster-autoscaler-1.N.x</c> release tag of each minor when this was written,
    /// from 1.29, the oldest minor EKS offers (these releases vendor an AWS SDK that reads EKS Pod Identity
    /// credentials). Other versions keep the chart's image.
    /// </summary>
    public static ImmutableSortedDictionary<string, string> ImageTags { get; } = new Dictionary<string, string>
    {
        ["1.29"] = "v1.29.5",
        ["1.30"] = "v1.30.7",
        ["1.31"] = "v1.31.5",
        ["1.32"] = "v1.32.7",
        ["1.33"] = "v1.33.6",
        ["1.34"] = "v1.34.5",
        ["1.35"] = "v1.35.2",
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    /// <summary>The autoscaling of every cluster the orchestrator provisions (active or standby cloud clusters).</summary>
    /// <param name="spec">The validated stack.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="previousStates">Each cluster's state on the previous run (<c>active</c>, <c>standby</c>, <c>absent</c>, as
    /// exported), or null when unknown (first run).</param>
    /// <returns>By cluster name.</returns>
    public static ImmutableSortedDictionary<string, AutoscalingSpec> Decide(
        FleetSpec spec, FleetPlan plan, IReadOnlyDictionary<string, string>? previousStates = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        var result = ImmutableSortedDictionary.CreateBuilder<string, AutoscalingSpec>(StringComparer.Ordinal);
        foreach (var cluster in spec.Clusters.Values)
        {
            if (plan.Clusters.TryGetValue(cluster.Name, out var clusterPlan) && clusterPlan.State != ClusterState.Absent)
            {
                result[cluster.Name] = For(cluster, clusterPlan, spec.Catalog, previousStates?.GetValueOrDefault(cluster.Name));
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The autoscaling of one cluster.</summary>
    /// <param name="cluster">The cluster as configured.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="catalog">Instance catalog (GPUs per node).</param>
    /// <param name="previousState">The state the previous run exported, or null when unknown.</param>
    /// <returns>The decision.</returns>
    public static AutoscalingSpec For(ClusterSpec cluster, ClusterPlan plan, InstanceCatalog catalog, string? previousState)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(catalog);
        if (cluster.Provider == CloudProvider.Existing || plan.State == ClusterState.Absent)
        {
            return AutoscalingSpec.None;
        }

        // The autoscaler owns the node count only while the cluster stays active. Pulumi sets it when a pool is created
        // (ignoreChanges has no effect then anyway), when the cluster goes to standby (suspend: zero nodes; nothing else
        // would bring an EKS group there, the CA cannot remove the node it runs on), and when it wakes: the woken pools
        // must reach the size the placed work needs and at least their minimum (EKS refuses a minimum above the
        // desired size, and on EKS the CA has no node to run on before that).
        var stillActive = plan.State == ClusterState.Active
            && string.Equals(previousState, Words.Of(ClusterState.Active), StringComparison.Ordinal);
        if (cluster.Provider != CloudProvider.Aws)
        {
            return new AutoscalingSpec(NodeAutoscaler.CloudManaged, !stillActive, null, []);
        }

        // The CA runs on the pools themselves (EKS has no system pool). When every pool may shrink to zero, nothing
        // guarantees it a node: a cluster that idled down to zero nodes would leave the CA pending and new Ray pods with
        // it. There the plan's counts are declared on every run (the CA still scales between runs).
        var alwaysHasNode = plan.Pools.Any(p => p.MinNodes > 0);
        var specs = cluster.NodePools.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var hints = plan.Pools
            .Where(p => p.MinNodes == 0 && specs.ContainsKey(p.Pool))
            .OrderBy(p => p.Pool, StringComparer.Ordinal)
            .Select(p => new ScaleFromZeroHint(p.Pool, TemplateTags(specs[p.Pool], catalog.TryGet("aws", p.InstanceType, out var type) ? type.Gpus : 0)))
            .ToImmutableArray();
        var waits = plan.State == ClusterState.Active && plan.Pools.Any(p => p.DesiredNodes > 0);
        return new AutoscalingSpec(NodeAutoscaler.ClusterAutoscaler, !(stillActive && alwaysHasNode), Release(cluster), hints, waits);
    }

    /// <summary>
    /// The Auto Scaling group tags that describe a pool's nodes to the Cluster Autoscaler: every label the nodes carry
    /// and Ray pods may select on (the configured labels, the node group name, the capacity type), every taint as
    /// <c>value:Effect</c> (configured and implicit, <see cref="PoolTaints.Effective(CloudProvider, NodePoolSpec, bool)"/>), and the GPU
    /// count as <c>nvidia.com/gpu</c>.
    /// </summary>
    /// <param name="pool">The pool as configured.</param>
    /// <param name="gpus">GPUs per node (0 for CPU types).</param>
    /// <returns>Tag key → value, sorted.</returns>
    public static ImmutableSortedDictionary<string, string> TemplateTags(NodePoolSpec pool, int gpus)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var tags = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in pool.Labels)
        {
            tags[NodeTemplatePrefix + "label/" + key] = value;
        }

        tags[NodeTemplatePrefix + "label/" + EksNodeGroupLabel] = pool.Name;
        tags[NodeTemplatePrefix + "label/" + EksCapacityTypeLabel] = pool.Spot ? "SPOT" : "ON_DEMAND";
        // The GPU taint SkyRay puts on EKS GPU groups counts too, or the CA would scale a GPU group up for CPU pods.
        foreach (var taint in PoolTaints.Effective(CloudProvider.Aws, pool, gpus > 0))
        {
            tags[NodeTemplatePrefix + "taint/" + taint.Key] = (taint.Value ?? string.Empty) + ":" + taint.Effect;
        }

        if (gpus > 0)
        {
            tags[NodeTemplatePrefix + "resources/nvidia.com/gpu"] = gpus.ToString(CultureInfo.InvariantCulture);
        }

        return tags.ToImmutable();
    }

    /// <summary>The Cluster Autoscaler release for an EKS cluster.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <returns>The release; its values lack only <c>autoDiscovery.clusterName</c>.</returns>
    public static ClusterAutoscalerRelease Release(ClusterSpec cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var values = new JsonObject
        {
            ["cloudProvider"] = "aws",
            ["awsRegion"] = cluster.Region,
            ["rbac"] = new JsonObject
            {
                ["serviceAccount"] = new JsonObject
                {
                    ["create"] = true,
                    ["name"] = ReleaseName,
                    // EKS Pod Identity binds the role by namespace and service account name: no role annotation.
                    ["annotations"] = new JsonObject(),
                },
            },
            ["extraArgs"] = new JsonObject
            {
                // Ray worker groups often span several identical pools (zones, spot and on-demand): keep them even.
                ["balance-similar-node-groups"] = true,
                // Ray pods run next to kube-system pods; without this a node with CoreDNS never scales down.
                ["skip-nodes-with-system-pods"] = false,
                // Pick the pool that leaves the least CPU idle: GPU pools stay for pods that need GPUs.
                ["expander"] = "least-waste",
            },
        };
        if (ImageTags.TryGetValue(cluster.KubernetesVersion, out var tag))
        {
            values["image"] = new JsonObject { ["tag"] = tag };
        }

        return new ClusterAutoscalerRelease(ReleaseName, Chart, ChartVersion, Repository, Namespace, ReleaseName, values);
    }

    /// <summary>The previous run's cluster states, as exported (<c>active</c>, <c>standby</c>, <c>absent</c>).</summary>
    /// <param name="previous">The previous outputs, or null.</param>
    /// <returns>By cluster name; empty when there were none.</returns>
    public static ImmutableSortedDictionary<string, string> PreviousStates(FleetOutputs? previous) =>
        previous is null
            ? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)
            : previous.Clusters.ToImmutableSortedDictionary(c => c.Key, c => c.Value.State, StringComparer.Ordinal);
}
