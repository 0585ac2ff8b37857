using System.Collections.Immutable;
using SkyRay.Fleet.Catalog;

namespace SkyRay.Fleet.Config;

/// <summary>
/// The taints a pool's nodes carry without being configured: GPU pools are for GPU pods, on every cloud the same way
/// (GKE taints GPU nodes <c>nvidia.com/gpu=present:NoSchedule</c> itself; SkyRay declares the same taint on EKS and AKS
/// GPU pools), and AKS puts <c>kubernetes.azure.com/scalesetpriority=spot:NoSchedule</c> on every spot node. A pool that
/// configures a taint with the same key keeps its own instead.
/// </summary>
public static class PoolTaints
{
    /// <summary>The GPU taint's key, also the extended resource GPU pods request.</summary>
    public const string GpuKey = "nvidia.com/gpu";

    /// <summary>The GPU taint's value, as GKE writes it.</summary>
    public const string GpuValue = "present";

    /// <summary>The key of the taint (and label) AKS puts on spot nodes.</summary>
    public const string AksSpotKey = "kubernetes.azure.com/scalesetpriority";

    /// <summary>The GPU taint: <c>nvidia.com/gpu=present:NoSchedule</c>.</summary>
    public static NodeTaint Gpu { get; } = new(GpuKey, GpuValue, "NoSchedule");

    /// <summary>The AKS spot taint: <c>kubernetes.azure.com/scalesetpriority=spot:NoSchedule</c>.</summary>
    public static NodeTaint AksSpot { get; } = new(AksSpotKey, "spot", "NoSchedule");

    /// <summary>The implicit taints of a pool (see the class summary), in a fixed order: GPU, then spot.</summary>
    /// <param name="provider">The cluster's provider (an existing cluster's GPU pools count as tainted too: SkyRay keeps CPU
    /// pods off them the same way, and a toleration for a taint a node does not have is harmless).</param>
    /// <param name="pool">The pool as configured.</param>
    /// <param name="type">Its instance type's catalog entry, or null when unknown.</param>
    /// <returns>The taints.</returns>
    public static ImmutableArray<NodeTaint> Implicit(CloudProvider provider, NodePoolSpec pool, InstanceType? type) =>
        Implicit(provider, pool, type is { HasGpu: true });

    /// <summary>The implicit taints of a pool whose GPU-ness is known.</summary>
    /// <param name="provider">The cluster's provider.</param>
    /// <param name="pool">The pool as configured.</param>
    /// <param name="gpu">True when its instances have NVIDIA GPUs.</param>
    /// <returns>The taints.</returns>
    public static ImmutableArray<NodeTaint> Implicit(CloudProvider provider, NodePoolSpec pool, bool gpu)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var configured = pool.Taints.IsDefault ? [] : pool.Taints;
        var result = ImmutableArray.CreateBuilder<NodeTaint>();
        if (gpu && !configured.Any(t => string.Equals(t.Key, GpuKey, StringComparison.Ordinal)))
        {
            result.Add(Gpu);
        }

        if (provider == CloudProvider.Azure && pool.Spot && !configured.Any(t => string.Equals(t.Key, AksSpotKey, StringComparison.Ordinal)))
        {
            result.Add(AksSpot);
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// Every taint of a pool: the configured ones, then the implicit ones: those the config reader recorded
    /// (<see cref="NodePoolSpec.ImplicitTaints"/>), or, for a pool built without the reader, the ones
    /// <see cref="Implicit(CloudProvider, NodePoolSpec, bool)"/> finds.
    /// </summary>
    /// <param name="provider">The cluster's provider.</param>
    /// <param name="pool">The pool.</param>
    /// <param name="type">Its instance type's catalog entry, or null.</param>
    /// <returns>The taints.</returns>
    public static ImmutableArray<NodeTaint> Effective(CloudProvider provider, NodePoolSpec pool, InstanceType? type) =>
        Effective(provider, pool, type is { HasGpu: true });

    /// <summary>Every taint of a pool whose GPU-ness is known (see the other overload).</summary>
    /// <param name="provider">The cluster's provider.</param>
    /// <param name="pool">The pool.</param>
    /// <param name="gpu">True when its instances have NVIDIA GPUs.</param>
    /// <returns>The taints.</returns>
    public static ImmutableArray<NodeTaint> Effective(CloudProvider provider, NodePoolSpec pool, bool gpu)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var configured = pool.Taints.IsDefault ? [] : pool.Taints;
        var implicitTaints = pool.ImplicitTaints.IsDefaultOrEmpty ? Implicit(provider, pool, gpu) : pool.ImplicitTaints;
        return implicitTaints.IsEmpty ? configured : [.. configured, .. implicitTaints];
    }

    /// <summary>True when the taint keeps pods that do not tolerate it off the node (NoSchedule, NoExecute);
    /// PreferNoSchedule only makes the scheduler avoid it.</summary>
    /// <param name="taint">The taint.</param>
    /// <returns>True for a hard taint.</returns>
    public static bool Repels(NodeTaint taint)
    {
        ArgumentNullException.ThrowIfNull(taint);
        return taint.Effect is "NoSchedule" or "NoExecute";
    }

    /// <summary>As Kubernetes prints a taint: <c>key=value:Effect</c> (<c>key:Effect</c> without a value).</summary>
    /// <param name="taint">The taint.</param>
    /// <returns>The text.</returns>
    public static string Describe(NodeTaint taint)
    {
        ArgumentNullException.ThrowIfNull(taint);
        return string.IsNullOrEmpty(taint.Value) ? $"{taint.Key}:{taint.Effect}" : $"{taint.Key}={taint.Value}:{taint.Effect}";
    }
}

/// <summary>Node disk sizes: what a pool gets when config names none.</summary>
public static class PoolDisks
{
    /// <summary>Default for CPU pools: room for the Ray image (a few GB), logs and spilled objects.</summary>
    public const int CpuDefaultGiB = 100;

    /// <summary>Default for GPU pools: Ray's CUDA images are several GB each, and model weights are cached on the node.</summary>
    public const int GpuDefaultGiB = 200;

    /// <summary>Smallest disk accepted (above every cloud's minimum for its Linux images).</summary>
    public const int MinGiB = 30;

    /// <summary>Largest disk accepted (AKS's largest OS disk).</summary>
    public const int MaxGiB = 2048;

    /// <summary>The default size for a pool of this kind.</summary>
    /// <param name="gpu">True for GPU pools.</param>
    /// <returns>GiB.</returns>
    public static int DefaultGiB(bool gpu) => gpu ? GpuDefaultGiB : CpuDefaultGiB;

    /// <summary>The pool's disk size: as configured, else the default of its kind.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="gpu">True for GPU pools.</param>
    /// <returns>GiB.</returns>
    public static int SizeGiB(NodePoolSpec pool, bool gpu)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return pool.DiskSizeGb ?? DefaultGiB(gpu);
    }
}
