using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace SkyRay.Fleet.Workloads;

/// <summary>The three KubeRay <c>ray.io/v1</c> kinds SkyRay deploys.</summary>
public enum RayKind
{
    /// <summary>A long-running Ray cluster.</summary>
    RayCluster,

    /// <summary>A batch job with its own Ray cluster.</summary>
    RayJob,

    /// <summary>A Ray Serve application with its Ray cluster.</summary>
    RayService,
}

/// <summary>
/// A head or worker group in the structured workload form. Quantities keep the user's spelling
/// (<c>16Gi</c>) for rendering; <see cref="WorkloadSpec.Demand"/> holds the parsed numbers.
/// </summary>
/// <param name="Name">Group name (<c>head</c> for the head group).</param>
/// <param name="Cpu">CPU request, a Kubernetes quantity (<c>4</c>, <c>500m</c>).</param>
/// <param name="Memory">Memory request, a Kubernetes quantity (<c>16Gi</c>).</param>
/// <param name="Gpu">GPUs per pod (<c>nvidia.com/gpu</c>).</param>
/// <param name="GpuType">Required GPU type (catalog name such as <c>L4</c>, <c>A100</c>), or null for any GPU.</param>
/// <param name="Replicas">Desired replicas (1 for the head).</param>
/// <param name="MinReplicas">Autoscaling minimum.</param>
/// <param name="MaxReplicas">Autoscaling maximum.</param>
/// <param name="RayStartParams">Extra <c>ray start</c> parameters.</param>
public sealed record RayGroupSpec(
    string Name,
    string Cpu,
    string Memory,
    int Gpu,
    string? GpuType,
    int Replicas,
    int MinReplicas,
    int MaxReplicas,
    ImmutableSortedDictionary<string, string> RayStartParams);

/// <summary>RayJob fields of the structured form.</summary>
/// <param name="Entrypoint">The command the job runs.</param>
/// <param name="RuntimeEnvYaml">Ray runtime environment as YAML text, or null.</param>
/// <param name="ShutdownAfterJobFinishes">Delete the job's Ray cluster when it finishes (default true, so clusters can go idle).</param>
/// <param name="TtlSecondsAfterFinished">Seconds to keep the Ray cluster after the job finishes, or null.</param>
/// <param name="ActiveDeadlineSeconds">Job deadline, or null.</param>
public sealed record RayJobSettings(
    string Entrypoint,
    string? RuntimeEnvYaml,
    bool ShutdownAfterJobFinishes,
    int? TtlSecondsAfterFinished,
    int? ActiveDeadlineSeconds);

/// <summary>RayService fields of the structured form.</summary>
/// <param name="ServeConfigV2">Ray Serve config (YAML text) as KubeRay's <c>serveConfigV2</c>.</param>
public sealed record RayServiceSettings(string ServeConfigV2);

/// <summary>The resources of one pod.</summary>
/// <param name="CpuMillis">CPU in millicores.</param>
/// <param name="MemoryBytes">Memory in bytes.</param>
/// <param name="Gpus">GPU count.</param>
/// <param name="GpuType">Required GPU type, or null for any GPU (or no GPU).</param>
public sealed record PodShape(long CpuMillis, long MemoryBytes, int Gpus, string? GpuType);

/// <summary>Demand of one Ray group: <see cref="Count"/> pods of one shape.</summary>
/// <param name="Group">Group name (<c>head</c> or the worker group name).</param>
/// <param name="Pod">Resources of one pod.</param>
/// <param name="Count">Pods placement reserves capacity for (see README, "How demand is counted").</param>
/// <param name="MinCount">Autoscaling minimum.</param>
/// <param name="MaxCount">Autoscaling maximum.</param>
public sealed record PodGroupDemand(string Group, PodShape Pod, int Count, int MinCount, int MaxCount);

/// <summary>What a workload needs from a cluster, computed from the structured or the raw form.</summary>
/// <param name="Groups">Head first, then worker groups in spec order.</param>
public sealed record WorkloadDemand(ImmutableArray<PodGroupDemand> Groups)
{
    /// <summary>Total CPU millicores over all counted pods.</summary>
    public long TotalCpuMillis => Groups.Sum(g => g.Pod.CpuMillis * g.Count);

    /// <summary>Total memory bytes over all counted pods.</summary>
    public long TotalMemoryBytes => Groups.Sum(g => g.Pod.MemoryBytes * g.Count);

    /// <summary>Total GPUs over all counted pods.</summary>
    public int TotalGpus => Groups.Sum(g => g.Pod.Gpus * g.Count);
}

/// <summary>A Ray workload of the fleet, validated.</summary>
/// <param name="Name">Workload name (the Kubernetes object name).</param>
/// <param name="Kind">RayCluster, RayJob or RayService.</param>
/// <param name="Namespace">Kubernetes namespace.</param>
/// <param name="Labels">Workload labels (policies select on them).</param>
/// <param name="Policy">Name of the placement policy named in config, or null to let policy selectors decide.</param>
/// <param name="RayVersion">Ray version (e.g. <c>2.52.0</c>).</param>
/// <param name="Image">Ray container image.</param>
/// <param name="Head">Head group (structured form), or null for the raw form.</param>
/// <param name="WorkerGroups">Worker groups (structured form); empty for the raw form.</param>
/// <param name="Job">RayJob fields (structured form).</param>
/// <param name="Serve">RayService fields (structured form).</param>
/// <param name="RawSpec">A KubeRay <c>spec</c> pasted as is (raw form), or null. Read-only: clone before changing.</param>
/// <param name="Demand">Resources the workload needs, from either form.</param>
public sealed record WorkloadSpec(
    string Name,
    RayKind Kind,
    string Namespace,
    ImmutableSortedDictionary<string, string> Labels,
    string? Policy,
    string RayVersion,
    string Image,
    RayGroupSpec? Head,
    ImmutableArray<RayGroupSpec> WorkerGroups,
    RayJobSettings? Job,
    RayServiceSettings? Serve,
    JsonObject? RawSpec,
    WorkloadDemand Demand)
{
    /// <summary>True when the workload was given as a raw KubeRay spec.</summary>
    public bool IsRaw => RawSpec is not null;

    /// <summary>Security settings (<c>security:</c>); <see cref="WorkloadSecurity.Default"/> when none are written.</summary>
    public WorkloadSecurity Security { get; init; } = WorkloadSecurity.Default;

    /// <summary>
    /// The RayService's serve exposure as configured (<c>exposure:</c>), or null when none is written (then a RayService
    /// behind a traffic record gets <see cref="ServeExposureSpec.DefaultInternal"/>, any other is not exposed).
    /// </summary>
    public ServeExposureSpec? Exposure { get; init; }

    /// <summary>
    /// The workload's <c>tolerations</c> setting: taints every pod of the workload tolerates, so placement may use pools
    /// carrying them and rendering adds them to every pod template. Empty when not configured.
    /// </summary>
    public ImmutableArray<Config.Toleration> Tolerations { get; init; } = [];

    /// <summary>
    /// Raw form: the tolerations each group's pod template already carries (<c>template.spec.tolerations</c>), by group
    /// name as in <see cref="Demand"/>; groups without any are left out. Empty for the structured form, whose pods carry
    /// only what SkyRay renders.
    /// </summary>
    public ImmutableSortedDictionary<string, ImmutableArray<Config.Toleration>> TemplateTolerations { get; init; } =
        ImmutableSortedDictionary.Create<string, ImmutableArray<Config.Toleration>>(StringComparer.Ordinal);

    /// <summary>
    /// The Kueue LocalQueue the workload joins on clusters that run Kueue (<c>queue</c>), or null for the namespace's default queue
    /// (<c>KueueSettings.DefaultQueue</c>). SkyRay declares the LocalQueue in the workload's namespace on every Kueue cluster the
    /// workload is placed on.
    /// </summary>
    public string? Queue { get; init; }

    /// <summary>The Kueue WorkloadPriorityClass of the workload (<c>priorityClass</c>), or null for none.</summary>
    public string? PriorityClass { get; init; }
}
