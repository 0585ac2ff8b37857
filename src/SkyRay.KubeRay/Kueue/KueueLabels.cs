using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;

namespace SkyRay.KubeRay.Kueue;

/// <summary>
/// What rendering adds to a Ray object placed on a cluster that runs Kueue (part of <see cref="Rendering.WorkloadRenderer"/>, before
/// the policy's overrides, so an override still wins):
/// <list type="bullet">
/// <item><c>kueue.x-k8s.io/queue-name</c>: the workload's queue, else the namespace's default queue (<c>default</c>);</item>
/// <item><c>kueue.x-k8s.io/priority-class</c>: the workload's WorkloadPriorityClass, when it names one;</item>
/// <item><c>kueue.x-k8s.io/elastic-job: "true"</c> on an object with in-tree autoscaling: Kueue admits an autoscaling RayJob, RayCluster
/// or RayService only as an elastic workload, and then admits each scale-up against the queue's quota.</item>
/// </list>
/// SkyRay does not write <c>spec.suspend</c>: Kueue's admission webhook (<c>failurePolicy: Fail</c>, so no create gets past it) suspends
/// every new object that carries a queue label, and Kueue sets <c>spec.suspend: false</c> when it admits the object, "regardless of its
/// previous value". A declared <c>suspend: true</c> would be applied again by the next <c>kubectl apply</c> or refreshed
/// <c>pulumi up</c> and stop a running job.
/// </summary>
public static class KueueLabels
{
    /// <summary>
    /// True when Kueue manages the workload once it carries a queue label: everything except a RayJob that runs on an existing Ray
    /// cluster (a <c>clusterSelector</c> and no <c>rayClusterSpec</c>), which Kueue leaves alone.
    /// </summary>
    /// <param name="workload">The workload.</param>
    /// <returns>True when it is queued.</returns>
    public static bool IsQueued(WorkloadSpec workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return !(workload.Kind == RayKind.RayJob && workload.RawSpec is { } raw && raw["rayClusterSpec"] is null && raw["clusterSelector"] is JsonObject { Count: > 0 });
    }

    /// <summary>Adds the labels and annotation to a rendered manifest (in place) when the cluster runs Kueue.</summary>
    /// <param name="manifest">The whole object, its <c>spec</c> already built.</param>
    /// <param name="workload">The workload.</param>
    /// <param name="cluster">The target cluster.</param>
    public static void Apply(JsonObject manifest, WorkloadSpec workload, ClusterSpec cluster)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(cluster);
        if (!cluster.Kueue.Enabled || !IsQueued(workload))
        {
            return;
        }

        var metadata = Child(manifest, "metadata");
        var labels = Child(metadata, "labels");
        labels[KueueNames.QueueLabel] = workload.Queue ?? KueueSettings.DefaultQueue;
        if (workload.PriorityClass is { } priority)
        {
            labels[KueueNames.PriorityClassLabel] = priority;
        }

        if (Autoscales(workload.Kind, manifest["spec"] as JsonObject))
        {
            Child(metadata, "annotations")[KueueNames.ElasticJobAnnotation] = "true";
        }
    }

    private static bool Autoscales(RayKind kind, JsonObject? spec)
    {
        var cluster = kind switch
        {
            RayKind.RayJob => spec?["rayClusterSpec"] as JsonObject,
            RayKind.RayService => spec?["rayClusterConfig"] as JsonObject,
            _ => spec,
        };
        return cluster?["enableInTreeAutoscaling"] is JsonValue v && v.TryGetValue<bool>(out var on) && on;
    }

    private static JsonObject Child(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[key] = created;
        return created;
    }
}
