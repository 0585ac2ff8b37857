using System.Runtime.CompilerServices;
namespace SkyRay.Placement.Capacity;

/// <summary>Free resources of one node.</summary>
internal struct NodeFree
{
    public long Cpu;
    public long Mem;
    public int Gpu;
}

/// <summary>Arithmetic of fitting identical pods onto a node.</summary>
internal static class Packing
{
    /// <summary>How many pods of a shape fit in the free resources, at most <paramref name="cap"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int FitCount(long freeCpu, long freeMem, int freeGpu, long cpu, long mem, int gpu, int cap)
    {
        // Comparisons first: most nodes probed in a full fleet cannot take even one pod.
        if (freeCpu < cpu || freeMem < mem || freeGpu < gpu)
        {
            return 0;
        }

        long k = cap;
        if (cpu > 0)
        {
            k = Math.Min(k, freeCpu / cpu);
        }

        if (mem > 0)
        {
            k = Math.Min(k, freeMem / mem);
        }

        if (gpu > 0)
        {
            k = Math.Min(k, freeGpu / gpu);
        }

        return (int)k;
    }
}
