namespace SkyRay.Fleet.Catalog;

/// <summary>
/// What each node keeps back for the kubelet, the container runtime and system daemons, so Ray pods can
/// use only the rest. Validation ("can any node hold this pod?") and placement use the same numbers.
/// </summary>
public static class SystemReserve
{
    /// <summary>CPU kept back per node: 0.5 vCPU.</summary>
    public const long CpuMillis = 500;

    /// <summary>Memory kept back per node: 1 GiB.</summary>
    public const long MemoryBytes = 1L << 30;

    /// <summary>CPU a node of this type offers to pods, in millicores (never negative).</summary>
    /// <param name="type">The instance type.</param>
    /// <returns>Allocatable millicores.</returns>
    public static long AllocatableCpuMillis(InstanceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Math.Max(0, ((long)type.VCpus * 1000) - CpuMillis);
    }

    /// <summary>Memory a node of this type offers to pods, in bytes (never negative).</summary>
    /// <param name="type">The instance type.</param>
    /// <returns>Allocatable bytes.</returns>
    public static long AllocatableMemoryBytes(InstanceType type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var total = double.IsFinite(type.MemoryGiB) ? Math.Min(type.MemoryGiB, 1 << 20) * (1L << 30) : 0;
        return Math.Max(0, (long)total - MemoryBytes);
    }
}
