using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using SkyRay.Placement.Capacity;
using SkyRay.Placement.Planning;

namespace SkyRay.KubeRay.Kueue;

/// <summary>
/// The Kueue objects of a cluster that runs Kueue, every one derived from the stack and the plan:
/// <list type="number">
/// <item>a <c>WorkloadPriorityClass</c> per priority class the cluster's settings list;</item>
/// <item>a <c>ResourceFlavor</c> per node pool (<see cref="KueueNames.Flavor"/>): <c>nodeLabels</c> are the labels the renderer pins the
/// pool's pods with (the pool's labels and the cloud's pool-name label), <c>nodeTaints</c> the pool's taints the renderer tolerates, so
/// Kueue can only assign a pod set the flavor of the pool the planner chose, and GPU types stay apart;</item>
/// <item>one <c>ClusterQueue</c> (<see cref="KueueNames.ClusterQueue"/>, every namespace may use it through a LocalQueue) with one resource
/// group over <c>cpu</c>, <c>memory</c> and, when a pool has GPUs, <c>nvidia.com/gpu</c>: per flavor the pool's capacity at its
/// largest size after the per-node system reserve, as the planner counts it (<see cref="ClusterCapacity.AtMaximum"/>) — Kueue's
/// nominal quota is "the resources available for running jobs ... in an autoscaled cluster, what the cluster autoscaler can provide";</item>
/// <item>a <c>LocalQueue</c> per namespace and queue name of the workloads placed on the cluster (only an active cluster has them, in the
/// namespaces the run creates there).</item>
/// </list>
/// None of the flavors, the ClusterQueue or the priority classes depend on what is placed, only on the stack, so a cluster going to
/// standby keeps them unchanged and Kueue's webhooks (which cannot answer without a node) are never called for them.
/// </summary>
public static class KueueObjects
{
    /// <summary>The Kueue objects of a live cluster, in the order above (each kind sorted by name); none when Kueue is off.</summary>
    /// <param name="spec">The stack as declared this run.</param>
    /// <param name="cluster">The cluster.</param>
    /// <param name="plan">The cluster's plan.</param>
    /// <returns>The objects.</returns>
    public static ImmutableArray<KubeObject> For(FleetSpec spec, ClusterSpec cluster, ClusterPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(plan);
        if (!cluster.Kueue.Enabled || plan.State == ClusterState.Absent)
        {
            return [];
        }

        var objects = ImmutableArray.CreateBuilder<KubeObject>();
        foreach (var (name, priority) in cluster.Kueue.PriorityClasses)
        {
            objects.Add(PriorityClass(name, priority));
        }

        foreach (var pool in cluster.NodePools.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            objects.Add(Flavor(cluster, pool));
        }

        objects.Add(ClusterQueue(cluster, ClusterCapacity.AtMaximum(spec, cluster, plan)));
        if (plan.State == ClusterState.Active)
        {
            foreach (var (ns, queue) in LocalQueues(spec, plan))
            {
                objects.Add(LocalQueue(ns, queue));
            }
        }

        return objects.ToImmutable();
    }

    /// <summary>The (namespace, queue) pairs of the workloads the plan puts on a cluster, sorted.</summary>
    /// <param name="spec">The stack.</param>
    /// <param name="plan">The cluster's plan.</param>
    /// <returns>Distinct pairs.</returns>
    public static ImmutableArray<(string Namespace, string Queue)> LocalQueues(FleetSpec spec, ClusterPlan plan)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(plan);
        return [.. plan.Workloads
            .Select(w => spec.Workloads.GetValueOrDefault(w))
            .OfType<WorkloadSpec>()
            .Where(KueueLabels.IsQueued)
            .Select(w => (w.Namespace, w.Queue ?? KueueSettings.DefaultQueue))
            .Distinct()
            .OrderBy(p => p.Namespace, StringComparer.Ordinal)
            .ThenBy(p => p.Item2, StringComparer.Ordinal)];
    }

    /// <summary>The quota of one flavor, as written in the ClusterQueue: CPU, memory and (when <paramref name="withGpu"/>) GPUs.</summary>
    /// <param name="pool">The pool's capacity.</param>
    /// <param name="withGpu">Whether the ClusterQueue covers <c>nvidia.com/gpu</c>.</param>
    /// <returns>Resource name → quantity text, in covered-resources order.</returns>
    public static ImmutableArray<(string Resource, string Quota)> Quota(PoolCapacity pool, bool withGpu)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var quota = ImmutableArray.CreateBuilder<(string, string)>();
        quota.Add(("cpu", Cpu(pool.CpuMillis)));
        quota.Add(("memory", Memory(pool.MemoryBytes)));
        if (withGpu)
        {
            quota.Add((KueueNames.GpuResource, pool.Gpus.ToString(CultureInfo.InvariantCulture)));
        }

        return quota.ToImmutable();
    }

    private static KubeObject PriorityClass(string name, WorkloadPriorityClassSpec priority)
    {
        var manifest = new JsonObject
        {
            ["apiVersion"] = KueueNames.ApiVersion,
            ["kind"] = "WorkloadPriorityClass",
            ["metadata"] = Metadata(name, null),
            ["value"] = priority.Value,
        };
        if (priority.Description is { } description)
        {
            manifest["description"] = description;
        }

        return new KubeObject(KueueNames.ApiVersion, "WorkloadPriorityClass", name, string.Empty, manifest);
    }

    /// <summary>The node labels of a pool's flavor: the ones the renderer pins the pool's pods with.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="pool">The pool.</param>
    /// <returns>The labels, sorted.</returns>
    public static ImmutableSortedDictionary<string, string> FlavorLabels(ClusterSpec cluster, NodePoolSpec pool)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(pool);
        return PoolPlacement.NodeLabels(cluster, pool);
    }

    /// <summary>The node taints of a pool's flavor: the ones the renderer tolerates for the pool's pods.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="pool">The pool.</param>
    /// <returns>The taints.</returns>
    public static IReadOnlyList<NodeTaint> FlavorTaints(ClusterSpec cluster, NodePoolSpec pool)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(pool);
        return PoolPlacement.Taints(cluster, pool);
    }

    private static KubeObject Flavor(ClusterSpec cluster, NodePoolSpec pool)
    {
        var spec = new JsonObject();
        if (FlavorLabels(cluster, pool) is { Count: > 0 } labels)
        {
            spec["nodeLabels"] = PoolPlacement.Selector(labels);
        }

        var taints = FlavorTaints(cluster, pool);
        if (taints.Count > 0)
        {
            var array = new JsonArray();
            foreach (var taint in taints.OrderBy(t => t.Key, StringComparer.Ordinal).ThenBy(t => t.Effect, StringComparer.Ordinal))
            {
                var t = new JsonObject { ["effect"] = taint.Effect, ["key"] = taint.Key };
                if (taint.Value is not null)
                {
                    t["value"] = taint.Value;
                }

                array.Add(t);
            }

            spec["nodeTaints"] = array;
        }

        var name = KueueNames.Flavor(pool.Name);
        var manifest = new JsonObject
        {
            ["apiVersion"] = KueueNames.ApiVersion,
            ["kind"] = "ResourceFlavor",
            ["metadata"] = Metadata(name, null),
            ["spec"] = spec,
        };
        return new KubeObject(KueueNames.ApiVersion, "ResourceFlavor", name, string.Empty, manifest);
    }

    private static KubeObject ClusterQueue(ClusterSpec cluster, ImmutableArray<PoolCapacity> pools)
    {
        var queueing = cluster.Kueue.Queueing;
        var withGpu = pools.Any(p => p.GpusPerNode > 0);
        var covered = new JsonArray("cpu", "memory");
        if (withGpu)
        {
            covered.Add(KueueNames.GpuResource);
        }

        var flavors = new JsonArray();
        foreach (var pool in pools)
        {
            var resources = new JsonArray();
            foreach (var (resource, quota) in Quota(pool, withGpu))
            {
                resources.Add(new JsonObject { ["name"] = resource, ["nominalQuota"] = quota });
            }

            flavors.Add(new JsonObject { ["name"] = KueueNames.Flavor(pool.Pool), ["resources"] = resources });
        }

        var spec = new JsonObject
        {
            // Every namespace may use the queue; which namespaces do is decided by the LocalQueues SkyRay declares.
            ["namespaceSelector"] = new JsonObject(),
            ["preemption"] = new JsonObject
            {
                ["borrowWithinCohort"] = new JsonObject { ["policy"] = queueing.Preemption.BorrowWithinCohort.ToString() },
                ["reclaimWithinCohort"] = queueing.Preemption.ReclaimWithinCohort.ToString(),
                ["withinClusterQueue"] = queueing.Preemption.WithinClusterQueue.ToString(),
            },
            ["queueingStrategy"] = queueing.Strategy == QueueingStrategy.StrictFifo ? "StrictFIFO" : "BestEffortFIFO",
            ["resourceGroups"] = new JsonArray(new JsonObject { ["coveredResources"] = covered, ["flavors"] = flavors }),
        };
        if (queueing.Cohort is { } cohort)
        {
            spec["cohortName"] = cohort;
        }

        if (queueing.FairSharingWeight is { } weight)
        {
            spec["fairSharing"] = new JsonObject { ["weight"] = weight };
        }

        if (queueing.AdmissionFairSharing)
        {
            spec["admissionScope"] = new JsonObject { ["admissionMode"] = "UsageBasedAdmissionFairSharing" };
        }

        var manifest = new JsonObject
        {
            ["apiVersion"] = KueueNames.ApiVersion,
            ["kind"] = "ClusterQueue",
            ["metadata"] = Metadata(KueueNames.ClusterQueue, null),
            ["spec"] = spec,
        };
        return new KubeObject(KueueNames.ApiVersion, "ClusterQueue", KueueNames.ClusterQueue, string.Empty, manifest);
    }

    private static KubeObject LocalQueue(string ns, string queue)
    {
        var manifest = new JsonObject
        {
            ["apiVersion"] = KueueNames.ApiVersion,
            ["kind"] = "LocalQueue",
            ["metadata"] = Metadata(queue, ns),
            ["spec"] = new JsonObject { ["clusterQueue"] = KueueNames.ClusterQueue },
        };
        return new KubeObject(KueueNames.ApiVersion, "LocalQueue", queue, ns, manifest);
    }

    private static JsonObject Metadata(string name, string? ns)
    {
        var metadata = new JsonObject
        {
            ["labels"] = new JsonObject { [RenderLabels.ManagedBy] = RenderLabels.ManagedByValue },
            ["name"] = name,
        };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        return metadata;
    }

    /// <summary>CPU as a quantity: whole cores, else millicores.</summary>
    internal static string Cpu(long millis) =>
        millis % 1000 == 0
            ? (millis / 1000).ToString(CultureInfo.InvariantCulture)
            : millis.ToString(CultureInfo.InvariantCulture) + "m";

    /// <summary>Memory as a quantity in the largest binary unit that states it exactly.</summary>
    internal static string Memory(long bytes)
    {
        foreach (var (unit, size) in new[] { ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10) })
        {
            if (bytes != 0 && bytes % size == 0)
            {
                return (bytes / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return bytes.ToString(CultureInfo.InvariantCulture);
    }
}
