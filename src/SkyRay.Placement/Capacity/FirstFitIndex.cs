using System.Runtime.CompilerServices;

namespace SkyRay.Placement.Capacity;

/// <summary>
/// The free CPU, memory and GPUs of one pool's nodes in a max-tree, so first-fit finds the first node that can take a
/// pod in O(log n) instead of scanning every partly used node before it. A subtree is entered only when its maximum
/// free CPU, memory and GPUs each reach the pod's request: a node that fits is never skipped, so the node found is
/// exactly the one a scan from the left would find (plans do not change), and the per-resource maxima rarely let in
/// a subtree with no fitting node. Kept only for pools that may run many nodes (see <see cref="CapacityState"/>).
/// </summary>
internal sealed class FirstFitIndex
{
    private readonly int _size;
    private readonly long[] _cpu;
    private readonly long[] _mem;
    private readonly int[] _gpu;

    /// <summary>An index for nodes 0 … <paramref name="capacity"/>-1, every node closed (nothing free).</summary>
    public FirstFitIndex(int capacity)
    {
        _size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, capacity));
        _cpu = new long[2 * _size];
        _mem = new long[2 * _size];
        _gpu = new int[2 * _size];
    }

    private FirstFitIndex(FirstFitIndex other)
    {
        _size = other._size;
        _cpu = (long[])other._cpu.Clone();
        _mem = (long[])other._mem.Clone();
        _gpu = (int[])other._gpu.Clone();
    }

    /// <summary>An independent copy (a plan resumed from a saved state changes its own).</summary>
    public FirstFitIndex Copy() => new(this);

    /// <summary>
    /// <paramref name="other"/> copied into this index when both hold as many nodes (its arrays reused), else a new copy.
    /// </summary>
    public FirstFitIndex CopyOf(FirstFitIndex other)
    {
        if (other._size != _size)
        {
            return other.Copy();
        }

        Array.Copy(other._cpu, _cpu, _cpu.Length);
        Array.Copy(other._mem, _mem, _mem.Length);
        Array.Copy(other._gpu, _gpu, _gpu.Length);
        return this;
    }

    /// <summary>Nodes the index can hold.</summary>
    public int Capacity => _size;

    /// <summary>Sets node <paramref name="node"/>'s free resources (0 for a closed node).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Set(int node, long cpu, long mem, int gpu)
    {
        var i = node + _size;
        _cpu[i] = cpu;
        _mem[i] = mem;
        _gpu[i] = gpu;
        for (i >>= 1; i > 0; i >>= 1)
        {
            var l = 2 * i;
            var c = Math.Max(_cpu[l], _cpu[l + 1]);
            var m = Math.Max(_mem[l], _mem[l + 1]);
            var g = Math.Max(_gpu[l], _gpu[l + 1]);
            if (_cpu[i] == c && _mem[i] == m && _gpu[i] == g)
            {
                // The maxima above do not change either.
                return;
            }

            _cpu[i] = c;
            _mem[i] = m;
            _gpu[i] = g;
        }
    }

    /// <summary>The first node at or after <paramref name="from"/> and before <paramref name="to"/> with at least the given free resources, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int First(int from, int to, long cpu, long mem, int gpu)
    {
        if (from >= to)
        {
            return -1;
        }

        // Walk up from the leaf of 'from', looking at right siblings; then walk down into the first that fits.
        var i = from + _size;
        if (Fits(i, cpu, mem, gpu))
        {
            return from < to ? from : -1;
        }

        while (true)
        {
            // Move to the next subtree to the right at the lowest level possible.
            while ((i & 1) == 1)
            {
                i >>= 1;
                if (i == 1)
                {
                    return -1;
                }
            }

            i++;
            if (Fits(i, cpu, mem, gpu))
            {
                break;
            }
        }

        // Descend to the leftmost fitting leaf; a subtree can pass the maxima test without a fitting node, then
        // continue to the right of it.
        while (true)
        {
            if (i >= _size)
            {
                var node = i - _size;
                return node < to ? node : -1;
            }

            var l = 2 * i;
            if (Fits(l, cpu, mem, gpu))
            {
                i = l;
                continue;
            }

            if (Fits(l + 1, cpu, mem, gpu))
            {
                i = l + 1;
                continue;
            }

            // No child fits although the parent's maxima did: go on after this subtree.
            while ((i & 1) == 1)
            {
                i >>= 1;
                if (i == 1)
                {
                    return -1;
                }
            }

            i++;
            while (!Fits(i, cpu, mem, gpu))
            {
                while ((i & 1) == 1)
                {
                    i >>= 1;
                    if (i == 1)
                    {
                        return -1;
                    }
                }

                i++;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Fits(int i, long cpu, long mem, int gpu) => _cpu[i] >= cpu && _mem[i] >= mem && _gpu[i] >= gpu;
}
