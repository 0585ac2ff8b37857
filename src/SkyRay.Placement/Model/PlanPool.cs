using SkyRay.Placement.Capacity;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;

namespace SkyRay.Placement.Model;

/// <summary>A node pool with its catalog facts resolved: what one node offers after the system reserve, and its price.</summary>
internal sealed class PlanPool
{
    public PlanPool(int globalIndex, int cluster, int localIndex, NodePoolSpec spec, InstanceType? type, CloudProvider provider = CloudProvider.Existing, int? cap = null)
    {
        // Only hard taints keep pods off; PreferNoSchedule makes the scheduler avoid a node, not refuse it.
        RepellingTaints = [.. PoolTaints.Effective(provider, spec, type).Where(PoolTaints.Repels)];
        GlobalIndex = globalIndex;
        LocalIndex = localIndex;
        Cluster = cluster;
        Spec = spec;
        Type = type;
        Min = Math.Max(0, spec.MinNodes);
        DeclaredMax = Math.Max(Min, spec.MaxNodes);
        Max = cap is { } c ? Math.Max(Min, Math.Min(DeclaredMax, c)) : DeclaredMax;
        if (type is not null)
        {
            AllocCpu = SystemReserve.AllocatableCpuMillis(type);
            AllocMem = SystemReserve.AllocatableMemoryBytes(type);
            Gpus = type.Gpus;
            Price = type.HourlyUsd;
        }
    }

    /// <summary>MaxNodes as declared (what plans show); <see cref="Max"/> is lower only in a capped consolidate trial.</summary>
    public int DeclaredMax { get; }

    /// <summary>Index over all pools of the fleet (capacity arrays are indexed by it).</summary>
    public int GlobalIndex { get; }

    /// <summary>Index within the owning cluster's pools.</summary>
    public int LocalIndex { get; }

    /// <summary>Index of the owning cluster.</summary>
    public int Cluster { get; }

    public NodePoolSpec Spec { get; }

    public string Name => Spec.Name;

    /// <summary>Catalog entry, or null when the instance type is unknown (the pool then offers nothing).</summary>
    public InstanceType? Type { get; }

    public int Min { get; }

    public int Max { get; }

    /// <summary>Millicores one node offers to pods.</summary>
    public long AllocCpu { get; }

    /// <summary>Bytes one node offers to pods.</summary>
    public long AllocMem { get; }

    public int Gpus { get; }

    public string? GpuType => Type?.GpuType;

    public bool HasGpu => Gpus > 0;

    public decimal Price { get; }

    /// <summary>The pool's NoSchedule and NoExecute taints (configured and implicit, <see cref="PoolTaints.Effective(CloudProvider, NodePoolSpec, bool)"/>):
    /// a pod group goes here only when it tolerates each.</summary>
    public NodeTaint[] RepellingTaints { get; }

    /// <summary>True when a pod needing <paramref name="gpuType"/> GPUs may run here (null: any GPU).</summary>
    public bool OffersGpu(string? gpuType) => HasGpu && GpuTypes.Satisfies(gpuType, GpuType);

    /// <summary>Pods of a shape one empty node holds.</summary>
    public int PodsPerNode(long cpu, long mem, int gpu) => Packing.FitCount(AllocCpu, AllocMem, Gpus, cpu, mem, gpu, int.MaxValue);

    /// <summary>E.g. <c>pool 'gpu' (g2-standard-8, 1×L4)</c>.</summary>
    public string Describe()
    {
        if (Type is null)
        {
            return $"pool '{Name}' ({Spec.InstanceType}, not in the instance catalog)";
        }

        var gpu = HasGpu ? $", {Gpus}×{GpuType ?? "GPU"}" : string.Empty;
        return $"pool '{Name}' ({Type.Name}{gpu})";
    }
}
