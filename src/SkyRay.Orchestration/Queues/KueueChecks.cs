using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Validation;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Kueue;
using SkyRay.Placement.Policies;

namespace SkyRay.Orchestration.Queues;

/// <summary>
/// The checks of Kueue settings against the clusters each workload's policy allows (<see cref="PolicyClusters"/>), run by
/// <see cref="FleetLoading"/> once the stack has loaded, so <c>skyray validate</c> and <c>pulumi up</c> report the same:
/// <list type="bullet">
/// <item>a workload's <c>queue</c> or <c>priorityClass</c> needs a cluster among them that runs Kueue (a warning names the allowed clusters
/// that do not), and its priority class must be declared on every such cluster;</item>
/// <item>what Kueue's admission webhooks reject on a cluster the workload may land on: a RayJob that keeps its Ray cluster after it
/// finishes (<c>shutdownAfterJobFinishes: false</c>) or has both a <c>clusterSelector</c> and a <c>rayClusterSpec</c>, more than 18 pod sets
/// (head, worker groups and the RayJob submitter), the queue labels written by hand, a namespace Kueue does not manage
/// (<c>kube-system</c>, Kueue's own); a raw <c>suspend</c> is a warning (Kueue controls it);</item>
/// <item>what Kueue's CRDs reject on a cluster that runs it: more than 64 node pools (flavors of one resource group), a pool with more
/// than 8 node labels or 8 taints once the cloud's pool label and implicit taints are added; on an existing cluster, pools whose labels
/// do not tell them apart are a warning (Kueue could count a pod against the wrong pool's quota).</item>
/// </list>
/// </summary>
public static class KueueChecks
{
    /// <summary>Most pod sets of one Kueue Workload (the Workload CRD's <c>podSets</c> maxItems).</summary>
    public const int MaxPodSets = 18;

    /// <summary>Most flavors in one resource group of a ClusterQueue.</summary>
    public const int MaxFlavors = 64;

    /// <summary>Most node labels, and most node taints, of one ResourceFlavor.</summary>
    public const int MaxFlavorEntries = 8;

    /// <summary>Runs the checks.</summary>
    /// <param name="spec">The loaded stack.</param>
    /// <param name="diagnostics">Where problems go.</param>
    public static void Check(FleetSpec spec, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var anyKueue = spec.Clusters.Values.Any(c => c.Kueue.Enabled);
        if (!anyKueue && spec.Workloads.Values.All(w => w.Queue is null && w.PriorityClass is null))
        {
            // Nothing to check, and no policy evaluation for fleets that do not use Kueue.
            return;
        }

        foreach (var cluster in spec.Clusters.Values.Where(c => c.Kueue.Enabled))
        {
            CheckCluster(cluster, diagnostics);
        }

        var allowed = PolicyClusters.Allowed(spec);
        foreach (var workload in spec.Workloads.Values)
        {
            var clusters = allowed.GetValueOrDefault(workload.Name, []);
            if (clusters.IsEmpty)
            {
                continue;
            }

            var queued = clusters.Where(c => spec.Clusters[c].Kueue.Enabled).ToImmutableArray();
            var unqueued = clusters.Where(c => !spec.Clusters[c].Kueue.Enabled).ToImmutableArray();
            CheckNames(spec, workload, queued, unqueued, diagnostics);
            if (!queued.IsEmpty)
            {
                CheckWorkload(spec, workload, queued, diagnostics);
            }
        }
    }

    private static void CheckNames(FleetSpec spec, WorkloadSpec workload, ImmutableArray<string> queued, ImmutableArray<string> unqueued, DiagnosticBag d)
    {
        var path = WorkloadPath(workload);
        foreach (var (key, value) in new[] { ("queue", workload.Queue), ("priorityClass", workload.PriorityClass) })
        {
            if (value is null)
            {
                continue;
            }

            if (queued.IsEmpty)
            {
                d.Error(
                    Child(path, key),
                    $"names {(key == "queue" ? "queue" : "priority class")} '{value}', but none of the clusters its policy allows ({List(unqueued)}) runs Kueue",
                    $"enable Kueue on one of them (skyray:clusters.{unqueued[0]}.kueue: {{}}, or skyray:kueue for the fleet), or remove {key}");
            }
            else if (!unqueued.IsEmpty)
            {
                d.Warning(
                    Child(path, key),
                    $"applies only on the clusters that run Kueue ({List(queued)}); on {List(unqueued)} the workload starts without queueing",
                    "enable Kueue there too, or keep the workload off them with its policy");
            }
        }

        if (workload.PriorityClass is { } priority && !queued.IsEmpty)
        {
            var missing = queued.Where(c => !spec.Clusters[c].Kueue.PriorityClasses.ContainsKey(priority)).ToList();
            if (missing.Count > 0)
            {
                var known = spec.Clusters[missing[0]].Kueue.PriorityClasses.Keys.ToList();
                d.Error(
                    Child(path, "priorityClass"),
                    $"priority class '{priority}' is not declared on {List(missing)}, where the policy may place the workload",
                    known.Count == 0
                        ? $"declare it under skyray:kueue.priorityClasses (e.g. {priority}: {{value: 1000}})"
                        : Suggestions.Hint(priority, known, "priority classes there"));
            }
        }

        foreach (var label in new[] { KueueNames.QueueLabel, KueueNames.PriorityClassLabel }.Where(workload.Labels.ContainsKey))
        {
            d.Error(
                Child(Child(path, "labels"), label),
                $"label '{label}' is set by SkyRay on clusters that run Kueue",
                label == KueueNames.QueueLabel ? "write queue: NAME instead" : "write priorityClass: NAME instead");
        }
    }

    private static void CheckWorkload(FleetSpec spec, WorkloadSpec workload, ImmutableArray<string> queued, DiagnosticBag d)
    {
        if (!KueueLabels.IsQueued(workload))
        {
            return;
        }

        var path = WorkloadPath(workload);
        var where = $"on {List(queued)} (Kueue)";
        var kueueNamespaces = queued.Select(c => spec.Clusters[c].Kueue.Namespace).Distinct(StringComparer.Ordinal).ToList();
        if (workload.Namespace == "kube-system" || kueueNamespaces.Contains(workload.Namespace))
        {
            d.Error(
                Child(path, "namespace"),
                $"Kueue's admission webhooks skip namespace '{workload.Namespace}', so {where} the workload would not be queued",
                "put the workload in a namespace of its own, e.g. namespace: ml-team");
        }

        if (workload.Kind == RayKind.RayJob)
        {
            var shutdown = workload.Job?.ShutdownAfterJobFinishes ?? (workload.RawSpec?["shutdownAfterJobFinishes"] is JsonValue v && v.TryGetValue<bool>(out var b) && b);
            if (!shutdown)
            {
                d.Error(
                    workload.IsRaw ? Child(Child(path, "spec"), "shutdownAfterJobFinishes") : Child(path, "shutdownAfterJobFinishes"),
                    $"Kueue rejects a RayJob that keeps its Ray cluster after it finishes (it would hold the queue's quota), and the policy may place it {where}",
                    "set shutdownAfterJobFinishes: true (and ttlSecondsAfterFinished for time to read logs)");
            }

            if (workload.RawSpec is { } raw && raw["clusterSelector"] is JsonObject { Count: > 0 } && raw["rayClusterSpec"] is not null)
            {
                d.Error(
                    Child(Child(path, "spec"), "clusterSelector"),
                    $"Kueue rejects a queued RayJob that also selects an existing Ray cluster, and the policy may place it {where}",
                    "remove clusterSelector (the job gets its own Ray cluster) or rayClusterSpec (it runs on the existing one, unqueued)");
            }
        }

        var podSets = PodSets(workload);
        if (podSets > MaxPodSets)
        {
            d.Error(
                workload.IsRaw ? Child(path, "spec") : Child(path, "workerGroups"),
                $"becomes a Kueue workload of {podSets} pod sets (head, worker groups{(SubmitterPodSet(workload) ? ", submitter" : "")}); Kueue accepts at most {MaxPodSets}, and the policy may place it {where}",
                "merge worker groups of the same shape");
        }

        if (workload.RawSpec?.ContainsKey("suspend") == true)
        {
            d.Warning(
                Child(Child(path, "spec"), "suspend"),
                $"Kueue controls spec.suspend {where}: it suspends the object on creation and unsuspends it on admission",
                "remove suspend; a declared value is applied again by every update and can stop a running job");
        }
    }

    private static void CheckCluster(ClusterSpec cluster, DiagnosticBag d)
    {
        var path = $"skyray:clusters.{cluster.Name}";
        if (cluster.NodePools.Length > MaxFlavors)
        {
            d.Error(
                Child(path, "nodePools"),
                $"has {cluster.NodePools.Length} node pools; Kueue's ClusterQueue holds at most {MaxFlavors} flavors, one per pool",
                "use fewer, larger pools, or turn Kueue off for this cluster (kueue: {enabled: false})");
        }

        var index = cluster.NodePools.Select((p, i) => (p.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pool in cluster.NodePools)
        {
            var poolPath = $"{path}.nodePools[{index[pool.Name]}]";
            var labels = KueueObjects.FlavorLabels(cluster, pool);
            if (labels.Count > MaxFlavorEntries)
            {
                d.Error(
                    Child(poolPath, "labels"),
                    $"pool '{pool.Name}' has {labels.Count} node labels with the one the cloud sets; its Kueue ResourceFlavor holds at most {MaxFlavorEntries}",
                    $"keep at most {MaxFlavorEntries - (labels.Count - pool.Labels.Count)} labels on the pool");
            }

            var taints = KueueObjects.FlavorTaints(cluster, pool);
            if (taints.Count > MaxFlavorEntries)
            {
                d.Error(
                    Child(poolPath, "taints"),
                    $"pool '{pool.Name}' has {taints.Count} taints; its Kueue ResourceFlavor holds at most {MaxFlavorEntries}",
                    "drop taints that no pod needs to be kept off");
            }

            var key = string.Join(",", labels.Select(l => l.Key + "=" + l.Value));
            if (seen.TryGetValue(key, out var other))
            {
                d.Warning(
                    Child(poolPath, "labels"),
                    $"pools '{other}' and '{pool.Name}' have the same node labels, so Kueue cannot tell their flavors apart and may count a pod against the other pool's quota",
                    "give each pool a label of its own, e.g. labels: {skyray.io/pool: " + pool.Name + "}");
            }
            else
            {
                seen[key] = pool.Name;
            }
        }
    }

    /// <summary>The pod sets Kueue makes of the workload: head, one per worker group, and a RayJob's submitter in K8sJobMode.</summary>
    private static int PodSets(WorkloadSpec workload)
    {
        var workers = workload.IsRaw
            ? ((workload.Kind switch
            {
                RayKind.RayJob => workload.RawSpec!["rayClusterSpec"] as JsonObject,
                RayKind.RayService => workload.RawSpec!["rayClusterConfig"] as JsonObject,
                _ => workload.RawSpec,
            })?["workerGroupSpecs"] as JsonArray)?.Count ?? 0
            : workload.WorkerGroups.Length;
        return 1 + workers + (SubmitterPodSet(workload) ? 1 : 0);
    }

    private static bool SubmitterPodSet(WorkloadSpec workload) =>
        workload.Kind == RayKind.RayJob &&
        (workload.RawSpec?["submissionMode"] is not JsonValue mode || (mode.TryGetValue<string>(out var m) && m == "K8sJobMode"));

    private static string WorkloadPath(WorkloadSpec workload) => $"skyray:workloads.{workload.Name}";

    /// <summary>A child config path, as the loader writes them: <c>a.b</c>, or <c>a["x/y"]</c> for keys with other characters.</summary>
    private static string Child(string parent, string key) =>
        key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? $"{parent}.{key}" : $"{parent}[\"{key}\"]";

    private static string List(IEnumerable<string> clusters) => string.Join(", ", clusters);
}
