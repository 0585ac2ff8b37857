using System.Runtime.CompilerServices;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline;

namespace SkyRay.Placement.Capacity;

/// <summary>
/// What is left of every node while a plan is built. Struct arrays indexed by pool, plus per-cluster totals
/// for a cheap "cannot possibly fit" test. Every change goes to an undo log so a trial placement can be
/// rolled back to a savepoint (evaluate a candidate, Divide all-or-nothing) without copying state.
/// </summary>
internal sealed class CapacityState
{
    private enum UndoKind : byte
    {
        Take,
        Open,
        Activate,
    }

    private struct Undo
    {
        public UndoKind Kind;
        public int Target;
        public int Node;
        public long Cpu;
        public long Mem;
        public int Gpu;
    }

    private PlanModel _model;
    private readonly NodeFree[][] _nodes;
    private readonly int[] _opened;

    // Per pool, a node index before which no node can take any pod of the fleet (less free CPU or memory than the
    // smallest pod): first-fit starts there instead of rescanning full nodes. Lowered again by rollbacks.
    private readonly int[] _firstLive;

    // Per pool that may run more than IndexedNodes nodes, the first-fit index over its open nodes (null otherwise:
    // scanning a few nodes is faster than keeping a tree).
    private readonly FirstFitIndex?[] _index;
    private readonly bool[] _active;
    private readonly long[] _freeCpu;
    private readonly long[] _freeMem;
    private readonly long[] _freeGpu;
    private readonly long[] _runCpu;
    private readonly long[] _runMem;
    private readonly long[] _runGpu;
    private readonly long[] _openCpu;
    private readonly long[] _openMem;
    private readonly long[] _openGpu;
    private readonly List<Undo> _log = [];
    private readonly int[] _version;
    private readonly List<int> _changes = [];
    private readonly int[] _dirty;

    public CapacityState(PlanModel model)
    {
        _model = model;
        var pools = model.Pools;
        _nodes = new NodeFree[pools.Length][];
        _opened = new int[pools.Length];
        _firstLive = new int[pools.Length];
        _index = new FirstFitIndex?[pools.Length];
        var clusters = model.Clusters.Length;
        _active = new bool[clusters];
        _version = new int[clusters];
        _dirty = new int[clusters];
        _freeCpu = new long[clusters];
        _freeMem = new long[clusters];
        _freeGpu = new long[clusters];
        _runCpu = new long[clusters];
        _runMem = new long[clusters];
        _runGpu = new long[clusters];
        _openCpu = new long[clusters];
        _openMem = new long[clusters];
        _openGpu = new long[clusters];
        foreach (var cluster in model.Clusters)
        {
            _active[cluster.Index] = cluster.ActiveAtStart;
            foreach (var pool in cluster.Pools)
            {
                _nodes[pool.GlobalIndex] = [];
                if (pool.Type is null)
                {
                    continue;
                }

                _freeCpu[cluster.Index] += pool.AllocCpu * pool.Max;
                _freeMem[cluster.Index] += pool.AllocMem * pool.Max;
                _freeGpu[cluster.Index] += (long)pool.Gpus * pool.Max;
                var running = cluster.RunningNodes[pool.LocalIndex];
                _runCpu[cluster.Index] += pool.AllocCpu * running;
                _runMem[cluster.Index] += pool.AllocMem * running;
                _runGpu[cluster.Index] += (long)pool.Gpus * running;
                if (cluster.ActiveAtStart)
                {
                    OpenTo(pool, pool.Min, log: false);
                }
            }
        }
    }

    private CapacityState(CapacityState other)
    {
        if (other._log.Count != 0)
        {
            throw new InvalidOperationException("copy a capacity state only when every change is committed");
        }

        _model = other._model;
        _nodes = new NodeFree[other._nodes.Length][];
        for (var i = 0; i < _nodes.Length; i++)
        {
            _nodes[i] = (NodeFree[])other._nodes[i].Clone();
        }

        _opened = (int[])other._opened.Clone();
        _firstLive = (int[])other._firstLive.Clone();
        _index = new FirstFitIndex?[other._index.Length];
        for (var i = 0; i < _index.Length; i++)
        {
            _index[i] = other._index[i]?.Copy();
        }

        _active = (bool[])other._active.Clone();
        _version = (int[])other._version.Clone();
        _dirty = (int[])other._dirty.Clone();
        _freeCpu = (long[])other._freeCpu.Clone();
        _freeMem = (long[])other._freeMem.Clone();
        _freeGpu = (long[])other._freeGpu.Clone();
        _runCpu = (long[])other._runCpu.Clone();
        _runMem = (long[])other._runMem.Clone();
        _runGpu = (long[])other._runGpu.Clone();
        _openCpu = (long[])other._openCpu.Clone();
        _openMem = (long[])other._openMem.Clone();
        _openGpu = (long[])other._openGpu.Clone();
        _changes = [.. other._changes];
    }

    /// <summary>
    /// An independent copy of a committed state (nothing to roll back), so several plans can go on from the same point
    /// (the consolidate pass's trials all start from the kept work of a re-plan).
    /// </summary>
    public CapacityState Copy() => new(this);

    /// <summary>
    /// <see cref="Copy()"/>, made in a state <paramref name="spares"/> holds when it has one of the same fleet (its arrays
    /// reused where they have the same length as this state's, so the copy has exactly this state's arrays, lengths and
    /// indexes, as a new copy has).
    /// </summary>
    public CapacityState Copy(PlacementPipeline.MemoPool? spares)
    {
        if (spares?.RentState(_nodes.Length, _active.Length) is not { } spare)
        {
            return new(this);
        }

        spare.CopyFrom(this);
        return spare;
    }

    /// <summary>True when a state of <paramref name="pools"/> pools and <paramref name="clusters"/> clusters can be copied into this one.</summary>
    public bool HasShape(int pools, int clusters) => _nodes.Length == pools && _active.Length == clusters;

    private void CopyFrom(CapacityState other)
    {
        if (other._log.Count != 0)
        {
            throw new InvalidOperationException("copy a capacity state only when every change is committed");
        }

        _model = other._model;
        for (var i = 0; i < _nodes.Length; i++)
        {
            var source = other._nodes[i];
            if (_nodes[i] is { } mine && mine.Length == source.Length)
            {
                Array.Copy(source, mine, source.Length);
            }
            else
            {
                _nodes[i] = (NodeFree[])source.Clone();
            }

            _index[i] = other._index[i] is not { } index ? null : _index[i] is { } own ? own.CopyOf(index) : index.Copy();
        }

        Array.Copy(other._opened, _opened, _opened.Length);
        Array.Copy(other._firstLive, _firstLive, _firstLive.Length);
        Array.Copy(other._active, _active, _active.Length);
        Array.Copy(other._version, _version, _version.Length);
        Array.Copy(other._dirty, _dirty, _dirty.Length);
        Array.Copy(other._freeCpu, _freeCpu, _freeCpu.Length);
        Array.Copy(other._freeMem, _freeMem, _freeMem.Length);
        Array.Copy(other._freeGpu, _freeGpu, _freeGpu.Length);
        Array.Copy(other._runCpu, _runCpu, _runCpu.Length);
        Array.Copy(other._runMem, _runMem, _runMem.Length);
        Array.Copy(other._runGpu, _runGpu, _runGpu.Length);
        Array.Copy(other._openCpu, _openCpu, _openCpu.Length);
        Array.Copy(other._openMem, _openMem, _openMem.Length);
        Array.Copy(other._openGpu, _openGpu, _openGpu.Length);
        _log.Clear();
        _changes.Clear();
        _changes.AddRange(other._changes);
    }

    /// <summary>Pools that open more nodes than this keep a <see cref="FirstFitIndex"/>.</summary>
    public const int IndexedNodes = 64;

    /// <summary>Position in the undo log to roll back to.</summary>
    public int Savepoint => _log.Count;

    public bool IsActive(int cluster) => _active[cluster];

    public int Opened(PlanPool pool) => _opened[pool.GlobalIndex];

    public ReadOnlySpan<NodeFree> Nodes(PlanPool pool) => _nodes[pool.GlobalIndex].AsSpan(0, _opened[pool.GlobalIndex]);

    /// <summary>False when the totals alone rule the demand out (a necessary condition, never a sufficient one).</summary>
    public bool MayFit(int cluster, long cpu, long mem, long gpu) =>
        cpu <= _freeCpu[cluster] && mem <= _freeMem[cluster] && gpu <= _freeGpu[cluster];

    /// <summary>Like <see cref="MayFit"/> but only counting nodes that are already running.</summary>
    public bool MayFitRunning(int cluster, long cpu, long mem, long gpu) =>
        cpu <= _runCpu[cluster] && mem <= _runMem[cluster] && gpu <= _runGpu[cluster];

    /// <summary>
    /// Like <see cref="MayFit"/> but only counting nodes that cost nothing to use: open ones and running ones (a
    /// loose sum of both). False means any fit opens at least one paid node.
    /// </summary>
    public bool MayFitFree(int cluster, long cpu, long mem, long gpu) =>
        cpu <= _openCpu[cluster] + _runCpu[cluster] && mem <= _openMem[cluster] + _runMem[cluster] && gpu <= _openGpu[cluster] + _runGpu[cluster];

    /// <summary>Changes each time committed capacity of the cluster changes; equal versions mean equal capacity.</summary>
    public int Version(int cluster) => _version[cluster];

    /// <summary>Number of committed cluster changes so far; <see cref="ChangedCluster"/> lists them in order.</summary>
    public int ChangeCount => _changes.Count;

    /// <summary>The cluster of the <paramref name="i"/>-th committed change.</summary>
    public int ChangedCluster(int i) => _changes[i];

    /// <summary>True when the cluster has changes not committed yet (a unit in progress), so its version does not describe it.</summary>
    public bool IsDirty(int cluster) => _dirty[cluster] != 0;

    /// <summary>Forgets the undo log: everything so far is kept.</summary>
    public void Commit()
    {
        foreach (var u in _log)
        {
            var c = ClusterOf(u);
            if (_dirty[c] != 0)
            {
                _dirty[c] = 0;
                _version[c]++;
                _changes.Add(c);
            }
        }

        _log.Clear();
    }

    private int ClusterOf(in Undo u) => u.Kind == UndoKind.Activate ? u.Target : _model.Pools[u.Target].Cluster;

    private void Log(Undo u)
    {
        _log.Add(u);
        _dirty[ClusterOf(u)]++;
    }

    public void Rollback(int savepoint)
    {
        for (var i = _log.Count - 1; i >= savepoint; i--)
        {
            var u = _log[i];
            _dirty[ClusterOf(u)]--;
            switch (u.Kind)
            {
                case UndoKind.Take:
                    Give(u.Target, u.Node, u.Cpu, u.Mem, u.Gpu);
                    _firstLive[u.Target] = Math.Min(_firstLive[u.Target], u.Node);
                    break;
                case UndoKind.Open:
                    Closed(u.Target, u.Node);
                    _firstLive[u.Target] = Math.Min(_firstLive[u.Target], u.Node);
                    break;
                case UndoKind.Activate:
                    _active[u.Target] = false;
                    break;
            }
        }

        _log.RemoveRange(savepoint, _log.Count - savepoint);
    }

    /// <summary>Brings up an inactive cluster: every pool starts its MinNodes. Returns the cost per hour of those nodes.</summary>
    public decimal Activate(PlanCluster cluster)
    {
        if (_active[cluster.Index])
        {
            return 0m;
        }

        _active[cluster.Index] = true;
        Log(new Undo { Kind = UndoKind.Activate, Target = cluster.Index });
        var cost = 0m;
        foreach (var pool in cluster.Pools)
        {
            if (pool.Type is not null && pool.Min > _opened[pool.GlobalIndex])
            {
                cost += pool.Price * (pool.Min - _opened[pool.GlobalIndex]);
                OpenTo(pool, pool.Min, log: true);
            }
        }

        return cost;
    }

    /// <summary>
    /// Packs <paramref name="count"/> identical pods first-fit onto the pool's open nodes, opening nodes up to MaxNodes.
    /// On failure the pool is left partly filled: callers roll back to their savepoint.
    /// </summary>
    /// <param name="pool">The pool.</param>
    /// <param name="cpu">Millicores per pod.</param>
    /// <param name="mem">Bytes per pod.</param>
    /// <param name="gpu">GPUs per pod.</param>
    /// <param name="count">Pods.</param>
    /// <param name="scaledUp">Set when a pod lands on a node that is not running yet.</param>
    /// <param name="paidNodes">Nodes opened beyond the running ones (each costs the pool's price).</param>
    /// <returns>True when every pod found a node.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Pack(PlanPool pool, long cpu, long mem, int gpu, int count, out bool scaledUp, out int paidNodes)
    {
        scaledUp = false;
        paidNodes = 0;
        var g = pool.GlobalIndex;
        var perNode = Packing.FitCount(pool.AllocCpu, pool.AllocMem, pool.Gpus, cpu, mem, gpu, count);
        if (perNode == 0 || pool.Type is null)
        {
            // A pod that does not fit an empty node fits no partly used one either.
            return false;
        }

        var running = _model.Clusters[pool.Cluster].RunningNodes[pool.LocalIndex];
        var remaining = count;
        var nodes = _nodes[g];
        var opened = _opened[g];
        if (_index[g] is { } firstFit)
        {
            // The same nodes as the scan below, found without visiting the ones that cannot take a pod.
            for (var i = firstFit.First(_firstLive[g], opened, cpu, mem, gpu); i >= 0 && remaining > 0; i = firstFit.First(i + 1, opened, cpu, mem, gpu))
            {
                ref var n = ref nodes[i];
                var k = Packing.FitCount(n.Cpu, n.Mem, n.Gpu, cpu, mem, gpu, remaining);
                Take(g, i, cpu * k, mem * k, gpu * k);
                remaining -= k;
                scaledUp |= i >= running;
            }
        }
        else
        {
            for (var i = _firstLive[g]; i < opened && remaining > 0; i++)
            {
                ref var n = ref nodes[i];
                var k = Packing.FitCount(n.Cpu, n.Mem, n.Gpu, cpu, mem, gpu, remaining);
                if (k > 0)
                {
                    Take(g, i, cpu * k, mem * k, gpu * k);
                    remaining -= k;
                    scaledUp |= i >= running;
                }
            }
        }

        if (remaining == 0)
        {
            return true;
        }

        if (pool.Max - _opened[g] < (remaining + perNode - 1) / perNode)
        {
            // Not enough nodes left to open: fail before opening any.
            return false;
        }

        while (remaining > 0)
        {
            var index = _opened[g];
            if (index >= pool.Max)
            {
                return false;
            }

            OpenTo(pool, index + 1, log: true);
            if (index >= running)
            {
                paidNodes++;
                scaledUp = true;
            }

            var k = Math.Min(perNode, remaining);
            Take(g, index, cpu * k, mem * k, gpu * k);
            remaining -= k;
        }

        return true;
    }

    /// <summary>Pods of a shape the pool could still take: room on open nodes plus whole nodes it may still open.</summary>
    public long Room(PlanPool pool, long cpu, long mem, int gpu)
    {
        if (pool.Type is null)
        {
            return 0;
        }

        long room = 0;
        foreach (var n in Nodes(pool))
        {
            room += Packing.FitCount(n.Cpu, n.Mem, n.Gpu, cpu, mem, gpu, int.MaxValue / 2);
        }

        var perNode = Packing.FitCount(pool.AllocCpu, pool.AllocMem, pool.Gpus, cpu, mem, gpu, int.MaxValue / 2);
        return room + ((long)perNode * (pool.Max - _opened[pool.GlobalIndex]));
    }

    private void OpenTo(PlanPool pool, int target, bool log)
    {
        var g = pool.GlobalIndex;
        var nodes = _nodes[g];
        if (nodes.Length < target)
        {
            var grown = new NodeFree[Math.Min(pool.Max, Math.Max(target, Math.Max(4, nodes.Length * 2)))];
            Array.Copy(nodes, grown, _opened[g]);
            _nodes[g] = nodes = grown;
            if (grown.Length > IndexedNodes && (_index[g] is null || _index[g]!.Capacity < grown.Length))
            {
                var index = new FirstFitIndex(grown.Length);
                for (var i = 0; i < _opened[g]; i++)
                {
                    index.Set(i, nodes[i].Cpu, nodes[i].Mem, nodes[i].Gpu);
                }

                _index[g] = index;
            }
        }

        if (log)
        {
            Log(new Undo { Kind = UndoKind.Open, Target = g, Node = _opened[g] });
        }

        for (var i = _opened[g]; i < target; i++)
        {
            nodes[i] = new NodeFree { Cpu = pool.AllocCpu, Mem = pool.AllocMem, Gpu = pool.Gpus };
            _index[g]?.Set(i, pool.AllocCpu, pool.AllocMem, pool.Gpus);
        }

        var added = target - _opened[g];
        _openCpu[pool.Cluster] += pool.AllocCpu * added;
        _openMem[pool.Cluster] += pool.AllocMem * added;
        _openGpu[pool.Cluster] += (long)pool.Gpus * added;
        _opened[g] = target;
    }

    /// <summary>Undoes an open: nodes from <paramref name="back"/> on are closed again (they are empty: their takes were undone first).</summary>
    private void Closed(int g, int back)
    {
        var pool = _model.Pools[g];
        var removed = _opened[g] - back;
        if (_index[g] is { } index)
        {
            for (var i = back; i < _opened[g]; i++)
            {
                index.Set(i, 0, 0, 0);
            }
        }

        _openCpu[pool.Cluster] -= pool.AllocCpu * removed;
        _openMem[pool.Cluster] -= pool.AllocMem * removed;
        _openGpu[pool.Cluster] -= (long)pool.Gpus * removed;
        _opened[g] = back;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Take(int g, int node, long cpu, long mem, int gpu)
    {
        Log(new Undo { Kind = UndoKind.Take, Target = g, Node = node, Cpu = cpu, Mem = mem, Gpu = gpu });
        Give(g, node, -cpu, -mem, -gpu);
        if (node == _firstLive[g])
        {
            var nodes = _nodes[g];
            var f = node;
            while (f < _opened[g] && (nodes[f].Cpu < _model.SmallestPodCpu || nodes[f].Mem < _model.SmallestPodMem))
            {
                f++;
            }

            _firstLive[g] = f;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Give(int g, int node, long cpu, long mem, int gpu)
    {
        ref var n = ref _nodes[g][node];
        n.Cpu += cpu;
        n.Mem += mem;
        n.Gpu += gpu;
        _index[g]?.Set(node, n.Cpu, n.Mem, n.Gpu);
        var pool = _model.Pools[g];
        var c = pool.Cluster;
        _freeCpu[c] += cpu;
        _freeMem[c] += mem;
        _freeGpu[c] += gpu;
        _openCpu[c] += cpu;
        _openMem[c] += mem;
        _openGpu[c] += gpu;
        if (node < _model.Clusters[c].RunningNodes[pool.LocalIndex])
        {
            _runCpu[c] += cpu;
            _runMem[c] += mem;
            _runGpu[c] += gpu;
        }
    }
}
