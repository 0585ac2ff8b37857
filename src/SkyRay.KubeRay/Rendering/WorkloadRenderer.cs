using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Api;
using SkyRay.KubeRay.Security;
using SkyRay.Placement.Planning;

namespace SkyRay.KubeRay.Rendering;

/// <summary>
/// Turns one placed copy of a workload into the <c>ray.io/v1</c> object for its target cluster.
/// <list type="bullet">
/// <item>Structured form: built through the typed model (<see cref="RayClusterSpec"/>, <see cref="RayJobSpec"/>,
/// <see cref="RayServiceSpec"/>) with a <c>ray-head</c> / <c>ray-worker</c> container, requests = limits for cpu,
/// memory and <c>nvidia.com/gpu</c>, the usual Ray ports, and <c>enableInTreeAutoscaling</c> when any worker group
/// has minReplicas &lt; maxReplicas.</item>
/// <item>Raw form: the spec as written (a deep clone).</item>
/// </list>
/// Then every copy is adapted to its cluster: nodeSelector (pool labels and the cloud's pool-name label) of the pool
/// chosen for each group and the tolerations the pods earned (the workload's <c>tolerations</c>, the GPU toleration of GPU
/// pods, the AKS spot toleration on an AKS spot pool; see <see cref="PodTolerations"/>) (<see cref="WorkloadCopy.GroupPools"/>), <c>nvidia.com/gpu</c> limits equal to requests (Kubernetes requires
/// both for extended resources), the copy's worker replicas (Divide share, with minReplicas / maxReplicas scaled to
/// the copy's fraction so its autoscaler stays within its part), SkyRay labels and, for RayServices, Pulumi's wait annotation with its timeout; on a
/// cluster that runs Kueue, the queue labels (<see cref="Kueue.KueueLabels"/>).
/// The policy's per-cluster overrides are applied last, so they win.
/// </summary>
public static class WorkloadRenderer
{
    /// <summary>The API version of every rendered object.</summary>
    public const string ApiVersion = "ray.io/v1";

    /// <summary>Renders a workload copy on its own, without stack-level settings (see <see cref="WorkloadTarget.Fleet"/>).</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="cluster">The target cluster.</param>
    /// <param name="copy">The copy from the plan (replica share, pools, overrides).</param>
    /// <param name="policy">The policy that placed it, or null.</param>
    /// <returns>The object to apply.</returns>
    /// <exception cref="InvalidOperationException">An override of the copy cannot be applied; use
    /// <see cref="RenderWithDiagnostics(WorkloadTarget, DiagnosticBag)"/> to get it as a located error instead.</exception>
    public static KubeObject Render(WorkloadSpec workload, ClusterSpec cluster, WorkloadCopy copy, string? policy) =>
        Render(new WorkloadTarget(workload, cluster, copy, policy));

    /// <summary>Renders a workload copy: the final object, exactly what is written and deployed.</summary>
    /// <param name="target">The copy and its stack.</param>
    /// <returns>The object to apply.</returns>
    /// <exception cref="InvalidOperationException">An override of the copy cannot be applied; use
    /// <see cref="RenderWithDiagnostics(WorkloadTarget, DiagnosticBag)"/> to get it as a located error instead.</exception>
    public static KubeObject Render(WorkloadTarget target)
    {
        var bag = new DiagnosticBag();
        var result = RenderWithDiagnostics(target, bag);
        return bag.HasErrors
            ? throw new InvalidOperationException(string.Join(Environment.NewLine, bag.Sorted()))
            : result;
    }

    /// <summary>Renders a workload copy on its own, reporting overrides that cannot be applied (the object is rendered without them).</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="cluster">The target cluster.</param>
    /// <param name="copy">The copy from the plan.</param>
    /// <param name="policy">The policy that placed it, or null.</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The object to apply.</returns>
    public static KubeObject RenderWithDiagnostics(WorkloadSpec workload, ClusterSpec cluster, WorkloadCopy copy, string? policy, DiagnosticBag diagnostics) =>
        RenderWithDiagnostics(new WorkloadTarget(workload, cluster, copy, policy), diagnostics);

    /// <summary>Renders a workload copy, reporting overrides that cannot be applied (the object is rendered without them).</summary>
    /// <param name="target">The copy and its stack.</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The object to apply.</returns>
    public static KubeObject RenderWithDiagnostics(WorkloadTarget target, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var (workload, cluster, copy, policy) = target;
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(copy);

        var spec = workload.RawSpec is { } raw ? (JsonObject)raw.DeepClone() : StructuredSpec(workload);
        if (ClusterPart(workload.Kind, spec) is { } clusterSpec)
        {
            AdaptCluster(clusterSpec, workload, cluster, copy);
        }

        // At the restricted level the submitter needs a security context too, so KubeRay's default becomes explicit.
        var restricted = workload.Security.PodSecurity == PodSecurityLevel.Restricted;
        if (workload.Kind == RayKind.RayJob && SubmitterTemplate(spec, copy, restricted) is { } submitter)
        {
            PlaceGroup(submitter, RawSpecDemand.SubmitterGroup, workload, cluster, copy);
        }

        // Security defaults (token auth, pod template label, restricted context) before overrides, so overrides win.
        WorkloadHardening.Apply(workload, spec);

        var manifest = new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = workload.Kind.ToString(),
            ["metadata"] = Metadata(workload, cluster, policy, target.Await),
            ["spec"] = spec,
        };

        Kueue.KueueLabels.Apply(manifest, workload, cluster);
        if (!copy.Overrides.IsDefaultOrEmpty)
        {
            FieldOverrides.Apply(manifest, copy.Overrides, $"skyray:policies.{policy ?? "(none)"} overrides for cluster {cluster.Name}", diagnostics);
        }

        var rendered = new KubeObject(ApiVersion, workload.Kind.ToString(), workload.Name, workload.Namespace, manifest);
        return target.Fleet is { } fleet && ServeExposure.IsExposed(fleet, workload.Name)
            ? ServeExposure.Expose(rendered, cluster.Provider, ServeExposure.Of(workload))
            : rendered;
    }

    private static JsonObject Metadata(WorkloadSpec workload, ClusterSpec cluster, string? policy, bool await)
    {
        var labels = new JsonObject();
        foreach (var (k, v) in workload.Labels)
        {
            labels[k] = v;
        }

        labels[RenderLabels.ManagedBy] = RenderLabels.ManagedByValue;
        labels[RenderLabels.Workload] = workload.Name;
        labels[RenderLabels.Cluster] = cluster.Name;
        if (policy is not null)
        {
            labels[RenderLabels.Policy] = policy;
        }

        var metadata = new JsonObject
        {
            ["labels"] = labels,
            ["name"] = workload.Name,
            ["namespace"] = workload.Namespace,
        };
        if (workload.Kind == RayKind.RayService && await)
        {
            metadata["annotations"] = new JsonObject
            {
                [RenderLabels.PulumiWaitFor] = RenderLabels.WaitForReady,
                [RenderLabels.PulumiTimeoutSeconds] = RenderLabels.ServeReadyTimeoutSeconds,
            };
        }

        return metadata;
    }

    private static JsonObject? ClusterPart(RayKind kind, JsonObject spec) => kind switch
    {
        RayKind.RayCluster => spec,
        RayKind.RayJob => spec["rayClusterSpec"] as JsonObject,
        RayKind.RayService => spec["rayClusterConfig"] as JsonObject,
        _ => null,
    };

    private static void AdaptCluster(JsonObject clusterSpec, WorkloadSpec workload, ClusterSpec cluster, WorkloadCopy copy)
    {
        if (ObjectAt(clusterSpec, "headGroupSpec", "template") is { } headTemplate)
        {
            PlaceGroup(headTemplate, RawSpecDemand.HeadGroup, workload, cluster, copy);
        }

        if (clusterSpec["workerGroupSpecs"] is not JsonArray workers)
        {
            return;
        }

        foreach (var worker in workers.OfType<JsonObject>())
        {
            var name = worker["groupName"] is JsonValue v && v.TryGetValue<string>(out var n) ? n : null;
            if (name is null)
            {
                continue;
            }

            if (worker["template"] is JsonObject template)
            {
                PlaceGroup(template, name, workload, cluster, copy);
            }

            if (copy.WorkerReplicas.TryGetValue(name, out var share))
            {
                ApplyShare(worker, name, share);
            }
        }
    }

    /// <summary>
    /// Gives a worker group this copy's share. The plan's share <paramref name="sharePods"/> is in pods out of the
    /// group's desired pods D (KubeRay's rule, <see cref="RawSpecDemand.WorkerDemand"/>), so the copy gets the
    /// fraction f = share / D of the group: <c>replicas</c> = share / numOfHosts, and <c>minReplicas</c> and
    /// <c>maxReplicas</c> scaled by f, rounded to the nearest whole number (halves up), so the autoscaler of one
    /// copy cannot grow it beyond its part of the range. Since min ≤ D ≤ max, rounding keeps
    /// min' ≤ replicas' ≤ max' (clamped anyway, never below 0). A Duplicate copy (share = D) keeps the range as
    /// written; a group without desired pods (D = 0) has nothing to divide and keeps it too; a missing
    /// <c>maxReplicas</c> (unbounded) stays missing.
    /// </summary>
    private static void ApplyShare(JsonObject worker, string name, int sharePods)
    {
        var min = Whole(worker["minReplicas"]);
        var max = Whole(worker["maxReplicas"]);
        var hosts = Math.Max(Whole(worker["numOfHosts"]) ?? 1, 1);
        var desired = RawSpecDemand.WorkerDemand(name, new PodShape(0, 0, 0, null), Int(Whole(worker["replicas"])), Int(min), Int(max), (int)Math.Min(hosts, int.MaxValue), suspended: false).Count;
        var replicas = Math.Max(sharePods, 0) / hosts;
        worker["replicas"] = replicas;
        if (desired <= 0 || sharePods == desired)
        {
            ClampRange(worker, replicas, min, max);
            return;
        }

        long Scale(long value) => (long)(((Int128)2 * Math.Max(value, 0) * sharePods + desired) / ((Int128)2 * desired));
        ClampRange(worker, replicas, min is { } m ? Scale(m) : null, max is { } x ? Scale(x) : null);
    }

    private static void ClampRange(JsonObject worker, long replicas, long? min, long? max)
    {
        if (min is { } m)
        {
            worker["minReplicas"] = Math.Clamp(m, 0, replicas);
        }

        if (max is { } x)
        {
            worker["maxReplicas"] = Math.Max(x, replicas);
        }
    }

    private static int? Int(long? value) => value is { } v ? (int)Math.Clamp(v, int.MinValue, int.MaxValue) : null;

    /// <summary>
    /// The submitter pod template to pin to the submitter's pool: the one written, else (K8sJobMode, a pool chosen
    /// for the submitter or the restricted pod security level, which needs a security context on it) KubeRay's own
    /// default made explicit, the head image with 500m / 200Mi requests and 1 / 1Gi limits and
    /// <c>restartPolicy: Never</c>, so demand stays <see cref="RawSpecDemand.DefaultSubmitter"/>. Null when there is
    /// nothing to pin: another submission mode, no reason to write it, or no head image to copy.
    /// </summary>
    private static JsonObject? SubmitterTemplate(JsonObject jobSpec, WorkloadCopy copy, bool restricted)
    {
        if (jobSpec["submitterPodTemplate"] is JsonObject written)
        {
            return written;
        }

        var mode = jobSpec["submissionMode"] is JsonValue m && m.TryGetValue<string>(out var text) ? text : "K8sJobMode";
        if (mode != "K8sJobMode" || jobSpec.ContainsKey("submitterPodTemplate") || (!copy.GroupPools.ContainsKey(RawSpecDemand.SubmitterGroup) && !restricted) ||
            ObjectAt(jobSpec, "rayClusterSpec", "headGroupSpec", "template", "spec") is not { } headPod ||
            headPod["containers"] is not JsonArray { Count: > 0 } containers || containers[0] is not JsonObject rayContainer ||
            rayContainer["image"] is not JsonValue image || !image.TryGetValue<string>(out var imageName))
        {
            return null;
        }

        // KubeRay's GetDefaultSubmitterTemplate: the head's image (defensive against version skew), fixed resources.
        var template = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["image"] = imageName,
                    ["name"] = RawSpecDemand.SubmitterContainerName,
                    ["resources"] = new JsonObject
                    {
                        ["limits"] = Resources(RawSpecDemand.DefaultSubmitterLimits),
                        ["requests"] = Resources(RawSpecDemand.DefaultSubmitter),
                    },
                }),
                ["restartPolicy"] = "Never",
            },
        };
        jobSpec["submitterPodTemplate"] = template;
        return template;
    }

    private static JsonObject Resources(PodShape shape) => new()
    {
        ["cpu"] = shape.CpuMillis % 1000 == 0
            ? (shape.CpuMillis / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : shape.CpuMillis.ToString(System.Globalization.CultureInfo.InvariantCulture) + "m",
        ["memory"] = shape.MemoryBytes % (1L << 30) == 0
            ? (shape.MemoryBytes >> 30).ToString(System.Globalization.CultureInfo.InvariantCulture) + "Gi"
            : (shape.MemoryBytes >> 20).ToString(System.Globalization.CultureInfo.InvariantCulture) + "Mi",
    };

    /// <summary>The mapping at a chain of keys, or null when any step is missing or not a mapping (never throws).</summary>
    internal static JsonObject? ObjectAt(JsonObject? start, params string[] keys)
    {
        var node = start;
        foreach (var key in keys)
        {
            node = node?[key] as JsonObject;
        }

        return node;
    }

    private static long? Whole(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number
            // An int (what the renderer and the YAML reader write for whole numbers) reads without serializing; any other
            // number is whole when its JSON text parses as a long, as before.
            ? v.TryGetValue<int>(out var i) ? i
            : long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : null
            : null;

    private static void PlaceGroup(JsonObject template, string group, WorkloadSpec workload, ClusterSpec cluster, WorkloadCopy copy)
    {
        if (copy.GroupPools.TryGetValue(group, out var poolName) &&
            cluster.NodePools.FirstOrDefault(p => p.Name == poolName) is { } pool)
        {
            PoolPlacement.Apply(template, cluster, pool, workload.Tolerations, PoolPlacement.RequestsGpu(template));
        }

        GpuLimits.Align(template);
    }

    private static JsonObject StructuredSpec(WorkloadSpec workload)
    {
        var head = workload.Head ?? throw new InvalidOperationException($"workload {workload.Name} has neither a raw spec nor a head group");
        var serving = workload.Kind == RayKind.RayService;
        var cluster = new RayClusterSpec(
            workload.RayVersion,
            RawSpecDemand.StructuredAutoscaling(workload.WorkerGroups) ? true : null,
            null,
            new HeadGroupSpec(head.RayStartParams, Template("ray-head", workload.Image, head, HeadPorts(serving))),
            [.. workload.WorkerGroups.Select(g => new WorkerGroupSpec(
                g.Name, g.Replicas, g.MinReplicas, g.MaxReplicas, null, g.RayStartParams, Template("ray-worker", workload.Image, g, [])))]);

        switch (workload.Kind)
        {
            case RayKind.RayJob:
                var job = workload.Job ?? throw new InvalidOperationException($"RayJob {workload.Name} has no job settings");
                return new RayJobSpec(
                    job.Entrypoint,
                    job.RuntimeEnvYaml,
                    job.ShutdownAfterJobFinishes,
                    job.TtlSecondsAfterFinished,
                    job.ActiveDeadlineSeconds,
                    "K8sJobMode",
                    cluster,
                    null).ToJson(cloneTemplates: false);
            case RayKind.RayService:
                var serve = workload.Serve ?? throw new InvalidOperationException($"RayService {workload.Name} has no serve settings");
                return new RayServiceSpec(serve.ServeConfigV2, cluster).ToJson(cloneTemplates: false);
            default:
                // The templates were built for this rendering alone: adopted, not cloned.
                return cluster.ToJson(cloneTemplates: false);
        }
    }

    private static ImmutableArray<(string Name, int Port)> HeadPorts(bool serving) =>
        serving
            ? [("gcs-server", 6379), ("dashboard", 8265), ("client", 10001), ("serve", 8000)]
            : [("gcs-server", 6379), ("dashboard", 8265), ("client", 10001)];

    private static JsonObject Template(string container, string image, RayGroupSpec group, ImmutableArray<(string Name, int Port)> ports)
    {
        var resources = new JsonObject { ["cpu"] = group.Cpu, ["memory"] = group.Memory };
        if (group.Gpu > 0)
        {
            resources[RawSpecDemand.NvidiaGpu] = group.Gpu.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var c = new JsonObject
        {
            ["image"] = image,
            ["name"] = container,
            ["resources"] = new JsonObject { ["limits"] = resources.DeepClone(), ["requests"] = resources },
        };
        if (!ports.IsEmpty)
        {
            c["ports"] = new JsonArray([.. ports.Select(p => (JsonNode)new JsonObject { ["containerPort"] = p.Port, ["name"] = p.Name })]);
        }

        return new JsonObject { ["spec"] = new JsonObject { ["containers"] = new JsonArray(c) } };
    }
}
