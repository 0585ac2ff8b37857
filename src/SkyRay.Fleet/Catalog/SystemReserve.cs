namespace SkyRay.Fleet.Catalog;

/// <summary>
/// What every node keeps for itself (kubelet, container runtime, OS, the CNI and logging daemonsets)
/// and so never offers to Ray pods. Placement subtracts it from each node of a pool before packing pods.
/// </summary>
/// <remarks>
/// Flat per-node values, deliberately a little above what EKS, AKS and GKE reserve on small nodes
/// (around 100–250 mCPU and 0.7–1.8 GiB together with daemonsets) so a plan never counts on capacity a
/// real node does not have. GPUs are never reserved.
/// </remarks>
public static class SystemReserve
{
    /// <summary>CPU kept per node, in millicores (0.5 vCPU).</summary>
    public const long CpuMillis = 500;

    /// <summary>Memory kept per node, in bytes (1 GiB).</summary>
    public const long MemoryBytes = 1L << 30;

    /// <summary>CPU a node of <paramref name="type"/> offers to pods, in millicores (never negative).</summary>
    /// <param name="type">The instance type.</param>
    /// <returns>Allocatable millicores.</returns>
    public static long AllocatableCpuMillis(InstanceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Math.Max(0, (type.VCpus * 1000L) - CpuMillis);
    }

    /// <summary>Memory a node of <paramref name="type"/> offers to pods, in bytes (never negative).</summary>
    /// <param name="type">The instance type.</param>
    /// <returns>Allocatable bytes.</returns>
    public static long AllocatableMemoryBytes(InstanceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Math.Max(0, (long)(type.MemoryGiB * (1L << 30)) - MemoryBytes);
    }
}
