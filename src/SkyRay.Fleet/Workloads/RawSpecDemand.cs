using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Fleet.Workloads;

/// <summary>
/// Computes the demand of a raw KubeRay spec (RayCluster spec, RayJob spec, RayService spec) the way KubeRay
/// and the kube-scheduler see it:
/// <list type="bullet">
/// <item>Head: one pod. Worker group: <c>replicas</c> clamped to [<c>minReplicas</c>, <c>maxReplicas</c>] (KubeRay's
/// own rule; a missing <c>replicas</c> counts as <c>minReplicas</c>, a suspended group as 0) × <c>numOfHosts</c>.</item>
/// <item>Pod: per resource, the sum of the containers' requests, a request falling back to the limit when only a
/// limit is written (Kubernetes defaults requests to limits); init containers count as the scheduler counts them
/// (the largest init container, or the app containers plus restartable sidecars, whichever is larger).</item>
/// <item>GPUs: <c>nvidia.com/gpu</c>. The GPU type comes from node selector / required node affinity labels
/// (<see cref="GpuTypeNames.NodeLabelKeys"/>) mapped to catalog names, else null (any GPU).</item>
/// <item>Other accelerators (<c>google.com/tpu</c>, <c>amd.com/gpu</c>, …) are not counted: the catalog models
/// NVIDIA GPUs only, so such a spec gets a warning saying placement does not check them.</item>
/// <item>Pods KubeRay adds: the autoscaler sidecar on the head when <c>enableInTreeAutoscaling</c> is true
/// (<c>autoscalerOptions.resources</c>, else KubeRay's 500m / 512Mi); the RayJob submitter in K8sJobMode
/// (group <c>submitter</c>: <c>submitterPodTemplate</c>, else KubeRay's 500m / 200Mi) and in SidecarMode
/// (added to the head pod). HTTPMode and InteractiveMode add nothing.</item>
/// <item>A RayJob without <c>rayClusterSpec</c> (a <c>clusterSelector</c> job) runs on an existing Ray cluster:
/// its only demand is the submitter. A suspended RayCluster or RayJob has no pods.</item>
/// </list>
/// Only problems that stop the computation are reported here (unreadable quantities, wrongly typed counts);
/// everything else about the spec's shape is checked by the KubeRay model (<c>RawSpecChecks</c>).
/// </summary>
public static partial class RawSpecDemand
{
    /// <summary>Group name of the head pod.</summary>
    public const string HeadGroup = "head";

    /// <summary>Group name of the RayJob submitter pod (K8sJobMode).</summary>
    public const string SubmitterGroup = "submitter";

    /// <summary>KubeRay's default autoscaler sidecar: 500m CPU, 512Mi memory (requests = limits).</summary>
    public static PodShape DefaultAutoscaler { get; } = new(500, 512L * 1024 * 1024, 0, null);

    /// <summary>KubeRay's default RayJob submitter container requests: 500m CPU, 200Mi memory.</summary>
    public static PodShape DefaultSubmitter { get; } = new(500, 200L * 1024 * 1024, 0, null);

    /// <summary>KubeRay's default RayJob submitter container limits: 1 CPU, 1Gi memory (not counted by placement, which counts requests).</summary>
    public static PodShape DefaultSubmitterLimits { get; } = new(1000, 1024L * 1024 * 1024, 0, null);

    /// <summary>The container name KubeRay gives its default submitter (<c>ray-job-submitter</c>).</summary>
    public const string SubmitterContainerName = "ray-job-submitter";

    /// <summary>Computes pod groups from the head and worker group pod templates.</summary>
    /// <param name="kind">Which kind the spec belongs to.</param>
    /// <param name="spec">The raw spec.</param>
    /// <param name="path">Config path of the spec for diagnostics.</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The demand (possibly empty when the spec has errors).</returns>
    public static WorkloadDemand Compute(RayKind kind, JsonObject spec, string path, DiagnosticBag diagnostics)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var groups = ImmutableArray.CreateBuilder<PodGroupDemand>();
        switch (kind)
        {
            case RayKind.RayCluster:
                AddCluster(spec, path, extraHead: null, groups, diagnostics);
                break;
            case RayKind.RayService:
                if (spec["rayClusterConfig"] is JsonObject serviceCluster)
                {
                    AddCluster(serviceCluster, path + ".rayClusterConfig", extraHead: null, groups, diagnostics);
                }

                break;
            case RayKind.RayJob:
                AddJob(spec, path, groups, diagnostics);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown Ray kind");
        }

        return new WorkloadDemand(groups.ToImmutable());
    }

    private static void AddJob(JsonObject spec, string path, ImmutableArray<PodGroupDemand>.Builder groups, DiagnosticBag diagnostics)
    {
        var suspended = ReadBool(spec, "suspend");
        var mode = spec["submissionMode"] is JsonValue m && m.TryGetValue<string>(out var s) ? s : "K8sJobMode";
        var cluster = spec["rayClusterSpec"] as JsonObject;
        if (cluster is not null)
        {
            var sidecar = mode == "SidecarMode" ? DefaultSubmitter : null;
            var start = groups.Count;
            AddCluster(cluster, path + ".rayClusterSpec", sidecar, groups, diagnostics);
            if (suspended)
            {
                for (var i = start; i < groups.Count; i++)
                {
                    groups[i] = groups[i] with { Count = 0, MinCount = 0, MaxCount = 0 };
                }
            }
        }

        if (mode != "K8sJobMode")
        {
            return;
        }

        var submitter = DefaultSubmitter;
        if (spec["submitterPodTemplate"] is JsonObject template)
        {
            submitter = PodShapeOf(template, path + ".submitterPodTemplate", extra: null, diagnostics);
        }

        groups.Add(SubmitterDemand(submitter, suspended));
    }

    /// <summary>
    /// The tolerations the pod templates of a raw spec carry, by demand group name (<c>head</c>, each worker
    /// <c>groupName</c>, <c>submitter</c>); groups without any are left out. Misshapen parts are skipped, never thrown on.
    /// </summary>
    /// <param name="kind">The kind.</param>
    /// <param name="spec">The raw spec.</param>
    /// <returns>The tolerations by group.</returns>
    public static ImmutableSortedDictionary<string, ImmutableArray<Config.Toleration>> TemplateTolerations(RayKind kind, JsonObject spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = ImmutableSortedDictionary.CreateBuilder<string, ImmutableArray<Config.Toleration>>(StringComparer.Ordinal);
        void Add(string group, JsonNode? template)
        {
            var tolerations = Config.Toleration.FromJson(((template as JsonObject)?["spec"] as JsonObject)?["tolerations"]);
            if (!tolerations.IsEmpty)
            {
                result[group] = tolerations;
            }
        }

        var cluster = kind switch
        {
            RayKind.RayJob => spec["rayClusterSpec"] as JsonObject,
            RayKind.RayService => spec["rayClusterConfig"] as JsonObject,
            _ => spec,
        };
        Add(HeadGroup, (cluster?["headGroupSpec"] as JsonObject)?["template"]);
        if (cluster?["workerGroupSpecs"] is JsonArray workers)
        {
            foreach (var worker in workers.OfType<JsonObject>())
            {
                if (worker["groupName"] is JsonValue n && n.TryGetValue<string>(out var name) && name.Length > 0)
                {
                    Add(name, worker["template"]);
                }
            }
        }

        if (kind == RayKind.RayJob)
        {
            Add(SubmitterGroup, spec["submitterPodTemplate"]);
        }

        return result.ToImmutable();
    }

    private static void AddCluster(JsonObject cluster, string path, PodShape? extraHead, ImmutableArray<PodGroupDemand>.Builder groups, DiagnosticBag diagnostics)
    {
        var suspended = ReadBool(cluster, "suspend");
        if (cluster["headGroupSpec"] is JsonObject head)
        {
            PodShape? autoscaler = null;
            if (ReadBool(cluster, "enableInTreeAutoscaling"))
            {
                autoscaler = DefaultAutoscaler;
                if (cluster["autoscalerOptions"] is JsonObject options && options["resources"] is JsonObject resources)
                {
                    autoscaler = ContainerShape(resources, path + ".autoscalerOptions.resources", diagnostics);
                }
            }

            var shape = head["template"] is JsonObject template
                ? PodShapeOf(template, path + ".headGroupSpec.template", extra: null, diagnostics)
                : new PodShape(0, 0, 0, null);
            groups.Add(HeadDemand(shape, autoscaler, extraHead, suspended));
        }

        if (cluster["workerGroupSpecs"] is not JsonArray workers)
        {
            return;
        }

        for (var i = 0; i < workers.Count; i++)
        {
            if (workers[i] is not JsonObject worker)
            {
                continue;
            }

            var workerPath = $"{path}.workerGroupSpecs[{i}]";
            var name = worker["groupName"] is JsonValue n && n.TryGetValue<string>(out var groupName) && groupName.Length > 0
                ? groupName
                : $"workerGroupSpecs[{i}]";
            var shape = worker["template"] is JsonObject template
                ? PodShapeOf(template, workerPath + ".template", extra: null, diagnostics)
                : new PodShape(0, 0, 0, null);
            var min = ReadInt(worker, "minReplicas", workerPath, diagnostics);
            var max = ReadInt(worker, "maxReplicas", workerPath, diagnostics);
            var replicas = ReadInt(worker, "replicas", workerPath, diagnostics);
            var hosts = ReadInt(worker, "numOfHosts", workerPath, diagnostics);
            groups.Add(WorkerDemand(name, shape, replicas, min, max, hosts, suspended || ReadBool(worker, "suspend")));
        }
    }

    /// <summary>
    /// The head group: one pod (none when suspended) with the containers KubeRay injects into it, the autoscaler
    /// sidecar and, in SidecarMode, the job submitter. The one rule for both workload forms.
    /// </summary>
    /// <param name="headPod">Resources of the head pod template as written.</param>
    /// <param name="autoscaler">The autoscaler sidecar when in-tree autoscaling is on (<see cref="DefaultAutoscaler"/>
    /// unless <c>autoscalerOptions.resources</c> says otherwise), else null.</param>
    /// <param name="sidecarSubmitter">The submitter container of a SidecarMode RayJob, else null.</param>
    /// <param name="suspended">True when the cluster is suspended (no pods).</param>
    /// <returns>The head group's demand.</returns>
    public static PodGroupDemand HeadDemand(PodShape headPod, PodShape? autoscaler, PodShape? sidecarSubmitter, bool suspended)
    {
        ArgumentNullException.ThrowIfNull(headPod);
        var shape = headPod;
        foreach (var extra in (PodShape?[])[sidecarSubmitter, autoscaler])
        {
            shape = extra is null ? shape : Add(shape, extra);
        }

        var count = suspended ? 0 : 1;
        return new PodGroupDemand(HeadGroup, shape, count, count, count);
    }

    /// <summary>
    /// A worker group, by KubeRay's rule: desired replicas = <c>replicas</c> (or <c>minReplicas</c> when absent) clamped
    /// to [<c>minReplicas</c>, <c>maxReplicas</c>], times <c>numOfHosts</c>; 0 when suspended. The one rule for both forms.
    /// </summary>
    /// <param name="group">Group name.</param>
    /// <param name="pod">Resources of one worker pod.</param>
    /// <param name="replicas"><c>replicas</c>, or null when absent.</param>
    /// <param name="minReplicas"><c>minReplicas</c>, or null (0).</param>
    /// <param name="maxReplicas"><c>maxReplicas</c>, or null (unbounded).</param>
    /// <param name="numOfHosts"><c>numOfHosts</c>, or null (1).</param>
    /// <param name="suspended">True when the group or its cluster is suspended.</param>
    /// <returns>The group's demand.</returns>
    public static PodGroupDemand WorkerDemand(string group, PodShape pod, int? replicas, int? minReplicas, int? maxReplicas, int? numOfHosts, bool suspended)
    {
        var min = Math.Max(minReplicas ?? 0, 0);
        var max = Math.Max(maxReplicas ?? int.MaxValue, 0);
        var hosts = Math.Max(numOfHosts ?? 1, 0);
        long desired = replicas is null || replicas < min ? min : replicas > max ? max : replicas.Value;
        return new PodGroupDemand(group, pod, suspended ? 0 : Saturate(desired * hosts), Saturate((long)min * hosts), Saturate((long)max * hosts));
    }

    /// <summary>The RayJob submitter pod of K8sJobMode, group <see cref="SubmitterGroup"/>, listed after the worker groups.</summary>
    /// <param name="pod">Resources of the submitter pod (<see cref="DefaultSubmitter"/> unless <c>submitterPodTemplate</c> is given).</param>
    /// <param name="suspended">True when the RayJob is suspended (no pod).</param>
    /// <returns>The submitter's demand.</returns>
    public static PodGroupDemand SubmitterDemand(PodShape pod, bool suspended)
    {
        var count = suspended ? 0 : 1;
        return new PodGroupDemand(SubmitterGroup, pod, count, count, count);
    }

    /// <summary>
    /// Whether a structured workload turns on KubeRay's in-tree autoscaler: when any worker group can scale
    /// (minReplicas &lt; maxReplicas). The renderer writes <c>enableInTreeAutoscaling</c> by this rule and demand
    /// counts the autoscaler sidecar by it.
    /// </summary>
    /// <param name="workerGroups">The structured worker groups.</param>
    /// <returns>True when the autoscaler runs.</returns>
    public static bool StructuredAutoscaling(IEnumerable<RayGroupSpec> workerGroups) =>
        workerGroups.Any(g => g.MinReplicas < g.MaxReplicas);

    /// <summary>
    /// Demand of a structured workload: the same groups, in the same order and by the same rules, as
    /// <see cref="Compute"/> finds in the object the renderer makes of it (head with the autoscaler sidecar when
    /// <see cref="StructuredAutoscaling"/>, worker groups, the K8sJobMode submitter of a RayJob).
    /// </summary>
    /// <param name="kind">The workload's kind.</param>
    /// <param name="head">The head pod's resources.</param>
    /// <param name="workers">Each worker group with the resources of one pod.</param>
    /// <returns>The demand.</returns>
    public static WorkloadDemand Structured(RayKind kind, PodShape head, IReadOnlyList<(RayGroupSpec Group, PodShape Pod)> workers)
    {
        ArgumentNullException.ThrowIfNull(workers);
        var groups = ImmutableArray.CreateBuilder<PodGroupDemand>();
        var autoscaler = StructuredAutoscaling(workers.Select(w => w.Group)) ? DefaultAutoscaler : null;
        groups.Add(HeadDemand(head, autoscaler, sidecarSubmitter: null, suspended: false));
        foreach (var (group, pod) in workers)
        {
            groups.Add(WorkerDemand(group.Name, pod, group.Replicas, group.MinReplicas, group.MaxReplicas, numOfHosts: null, suspended: false));
        }

        if (kind == RayKind.RayJob)
        {
            // Structured RayJobs are rendered in K8sJobMode.
            groups.Add(SubmitterDemand(DefaultSubmitter, suspended: false));
        }

        return new WorkloadDemand(groups.ToImmutable());
    }

    private static int Saturate(long value) => value > int.MaxValue ? int.MaxValue : (int)value;

    private static int? ReadInt(JsonObject obj, string key, string path, DiagnosticBag diagnostics)
    {
        var node = obj[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l) &&
            l is >= int.MinValue and <= int.MaxValue)
        {
            return (int)l;
        }

        diagnostics.Error(
            $"{path}.{key}",
            $"'{key}' must be a whole number (int32), found {Describe(node)}",
            $"write it without quotes, e.g. '{key}: 2'");
        return null;
    }

    private static bool ReadBool(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static PodShape Add(PodShape a, PodShape b) =>
        new(a.CpuMillis + b.CpuMillis, a.MemoryBytes + b.MemoryBytes, a.Gpus + b.Gpus, a.GpuType ?? b.GpuType);

    internal static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "a mapping",
        JsonArray => "a list",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"the string \"{v.GetValue<string>()}\"",
        _ => node.ToJsonString(),
    };
}
