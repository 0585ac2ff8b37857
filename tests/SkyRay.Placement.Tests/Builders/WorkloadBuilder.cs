using System.Collections.Immutable;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Placement.Tests.Builders;

/// <summary>Builds a structured <see cref="WorkloadSpec"/>: a RayJob in namespace <c>default</c> with a 1 CPU / 2 GiB head.</summary>
internal sealed class WorkloadBuilder(string name)
{
    private readonly Dictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly List<(string Name, int Count, long CpuMillis, long MemGiB, int Gpu, string? GpuType)> _workers = [];
    private RayKind _kind = RayKind.RayJob;
    private string _namespace = "default";
    private string? _policy;
    private long _headCpu = 1000;
    private long _headMemGiB = 2;
    private bool _submitter;
    private ImmutableArray<Fleet.Config.Toleration> _tolerations = [];

    public WorkloadBuilder Kind(RayKind kind)
    {
        _kind = kind;
        return this;
    }

    public WorkloadBuilder Namespace(string ns)
    {
        _namespace = ns;
        return this;
    }

    public WorkloadBuilder Label(string key, string value)
    {
        _labels[key] = value;
        return this;
    }

    public WorkloadBuilder Policy(string policy)
    {
        _policy = policy;
        return this;
    }

    public WorkloadBuilder Head(long cpuMillis, long memGiB)
    {
        _headCpu = cpuMillis;
        _headMemGiB = memGiB;
        return this;
    }

    public WorkloadBuilder Workers(string group, int count, long cpuMillis, long memGiB, int gpu = 0, string? gpuType = null)
    {
        _workers.Add((group, count, cpuMillis, memGiB, gpu, gpuType));
        return this;
    }

    /// <summary>Adds a toleration to the workload's <c>tolerations</c> setting.</summary>
    public WorkloadBuilder Tolerate(string key, string? value = null, string? effect = "NoSchedule")
    {
        _tolerations = _tolerations.Add(new Fleet.Config.Toleration(key, value is null ? "Exists" : "Equal", value, effect));
        return this;
    }

    /// <summary>Adds KubeRay's K8sJobMode submitter pod after the worker groups, as the config reader does for RayJobs.</summary>
    public WorkloadBuilder Submitter()
    {
        _submitter = true;
        return this;
    }

    public WorkloadSpec Build()
    {
        var empty = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
        var head = new RayGroupSpec("head", Cpu(_headCpu), $"{_headMemGiB}Gi", 0, null, 1, 1, 1, empty);
        var workers = _workers
            .Select(w => new RayGroupSpec(w.Name, Cpu(w.CpuMillis), $"{w.MemGiB}Gi", w.Gpu, w.GpuType, w.Count, 0, Math.Max(w.Count, 1), empty))
            .ToImmutableArray();
        var demand = new WorkloadDemand(
        [
            new PodGroupDemand("head", new PodShape(_headCpu, _headMemGiB << 30, 0, null), 1, 1, 1),
            .. _workers.Select(w => new PodGroupDemand(w.Name, new PodShape(w.CpuMillis, w.MemGiB << 30, w.Gpu, w.GpuType), w.Count, 0, Math.Max(w.Count, 1))),
            .. _submitter ? [RawSpecDemand.SubmitterDemand(RawSpecDemand.DefaultSubmitter, suspended: false)] : Array.Empty<PodGroupDemand>(),
        ]);
        return new WorkloadSpec(
            name,
            _kind,
            _namespace,
            _labels.ToImmutableSortedDictionary(StringComparer.Ordinal),
            _policy,
            "2.52.0",
            "rayproject/ray:2.52.0",
            head,
            workers,
            _kind == RayKind.RayJob ? new RayJobSettings("python main.py", null, true, null, null) : null,
            _kind == RayKind.RayService ? new RayServiceSettings("applications: []") : null,
            null,
            demand) { Tolerations = _tolerations };
    }

    private static string Cpu(long millis) => millis % 1000 == 0 ? (millis / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{millis}m";
}
