using System.Collections.Immutable;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Orchestration.Tests.Builders;

/// <summary>Builds a <see cref="WorkloadSpec"/> in the structured form: a head and one worker group.</summary>
public sealed class WorkloadBuilder(string name)
{
    private RayKind _kind = RayKind.RayService;
    private string _namespace = "default";
    private string? _policy;
    private int _workers = 2;
    private bool _shutdownAfterJobFinishes = true;
    private string? _gpuType = "A10G";

    /// <summary>Workers without GPUs (by default each worker asks for one A10G).</summary>
    public WorkloadBuilder CpuOnly()
    {
        _gpuType = null;
        return this;
    }

    /// <summary>A RayJob that keeps its Ray cluster after it finishes.</summary>
    public WorkloadBuilder KeepsCluster()
    {
        _shutdownAfterJobFinishes = false;
        return this;
    }

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

    public WorkloadBuilder Policy(string policy)
    {
        _policy = policy;
        return this;
    }

    public WorkloadBuilder Workers(int replicas)
    {
        _workers = replicas;
        return this;
    }

    public WorkloadSpec Build()
    {
        var empty = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal);
        var head = new RayGroupSpec("head", "2", "8Gi", 0, null, 1, 1, 1, empty);
        var gpus = _gpuType is null ? 0 : 1;
        var workers = new RayGroupSpec("workers", "4", "16Gi", gpus, _gpuType, _workers, 0, _workers * 2, empty);
        var demand = new WorkloadDemand([
            new PodGroupDemand("head", new PodShape(2000, 8L << 30, 0, null), 1, 1, 1),
            new PodGroupDemand("workers", new PodShape(4000, 16L << 30, gpus, _gpuType), _workers, 0, _workers * 2),
        ]);
        return new WorkloadSpec(
            name,
            _kind,
            _namespace,
            empty,
            _policy,
            "2.52.0",
            "rayproject/ray:2.52.0",
            head,
            [workers],
            _kind == RayKind.RayJob ? new RayJobSettings("python main.py", null, _shutdownAfterJobFinishes, null, null) : null,
            _kind == RayKind.RayService ? new RayServiceSettings("applications: []") : null,
            null,
            demand);
    }
}
