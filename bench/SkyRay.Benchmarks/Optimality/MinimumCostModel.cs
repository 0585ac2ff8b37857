using Google.OrTools.Sat;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Benchmarks.Optimality;

/// <summary>What the exact model minimises.</summary>
internal enum Objective
{
    /// <summary>Σ nodes × catalog price, nothing else.</summary>
    Cost,

    /// <summary>
    /// First the number of workloads that wait for a cluster to be woken or created (the planner's launch tiers
    /// WakeStandby / CreateCluster), then cost among the plans with that fewest number: the planner's "fastest launch
    /// first, then catalog cost" read as one global lexicographic objective.
    /// </summary>
    TierThenCost,
}

/// <summary>What the exact model found.</summary>
/// <param name="Status">CP-SAT status of the cost stage (Optimal when proven).</param>
/// <param name="HourlyCost">Cost of the best solution found, USD per hour (null when none).</param>
/// <param name="LowerBound">Best proven lower bound on the cost, USD per hour.</param>
/// <param name="Solution">The best solution, at node level (null when none).</param>
/// <param name="SlowStarts">Workloads of the solution on clusters that are not up at the start.</param>
/// <param name="Elapsed">Solver wall time (all stages).</param>
internal sealed record Optimum(
    CpSolverStatus Status,
    decimal? HourlyCost,
    decimal LowerBound,
    NodeSolution? Solution,
    int SlowStarts,
    TimeSpan Elapsed)
{
    public bool Proven => Status == CpSolverStatus.Optimal;
}

/// <summary>
/// The exact minimum node cost of a small single-copy fleet (≤ 30 workloads, ≤ 8 clusters) as a CP-SAT model at
/// node level, under the planner's placement rules (<see cref="ModelFleet"/>):
/// <list type="bullet">
/// <item>x[w,c]: workload w on cluster c, exactly one per workload; y[g,p]: group g on pool p of that cluster,
/// exactly one when the workload is there;</item>
/// <item>u[p,j]: node j of pool p runs, for j below a bound on the nodes an optimum can use; the first MinNodes are
/// tied to the cluster being up (always for static clusters without standby, else only when work lands there);
/// u[p,j] ⇒ u[p,j-1] (symmetry breaking);</item>
/// <item>z[g,p,j]: pods of group g on node j, Σ_j z = pods × y; per node Σ z × (CPU, memory, GPUs) ≤ allocatable
/// × u (after <c>SystemReserve</c>), plus the per-pool aggregate of the same as a redundant cut;</item>
/// <item>minimise Σ u × catalog price (or first the slow starts, see <see cref="Objective.TierThenCost"/>).</item>
/// </list>
/// CPU and memory are divided by the greatest common divisor of the pods' requests and each node's room is rounded
/// down to that unit, which keeps the coefficients small and the capacity test exact.
/// </summary>
/// <remarks>
/// The node bound per pool: an optimum runs, on each pool, max(MinNodes, the fewest nodes that hold the pods it put
/// there) nodes; that fewest number is at most the first-fit-decreasing count of every pod that may go to the pool,
/// so no optimum is cut off.
/// </remarks>
internal static class MinimumCostModel
{
    private const long PriceScale = 1_000_000;

    /// <summary>Builds and solves the model.</summary>
    /// <param name="fleet">A single-copy fleet.</param>
    /// <param name="timeLimit">Solver time limit (shared by the stages); the best solution so far is returned when it runs out.</param>
    /// <param name="objective">What to minimise.</param>
    /// <param name="workers">CP-SAT worker threads.</param>
    /// <param name="hint">A node-level solution to start from (the planner's, see <see cref="PlannerReplay"/>); only speeds the search up.</param>
    /// <returns>The optimum, or the best solution and bound found in time.</returns>
    public static Optimum Solve(ModelFleet fleet, TimeSpan timeLimit, Objective objective = Objective.Cost, int workers = 1, NodeSolution? hint = null)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        if (fleet.Unplaceable.Any())
        {
            return new Optimum(CpSolverStatus.Infeasible, null, 0m, null, 0, TimeSpan.Zero);
        }

        var m = new Built(fleet);
        if (hint is not null)
        {
            m.Hint(hint);
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var budget = timeLimit;
        if (objective == Objective.TierThenCost)
        {
            // Stage 1: the fewest slow starts. Then fix it and minimise cost.
            m.Model.Minimize(m.SlowStarts);
            var first = new CpSolver { StringParameters = Parameters(timeLimit / 3, workers) };
            var status = first.Solve(m.Model);
            if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
            {
                return new Optimum(status, null, 0m, null, 0, started.Elapsed);
            }

            // Not proven: keep the best found as a cap, the cost stage is then not lexicographically exact.
            m.Model.Add(m.SlowStarts <= (long)first.ObjectiveValue);
            budget = timeLimit - started.Elapsed;
        }

        m.Model.Minimize(m.CostExpr);
        var solver = new CpSolver { StringParameters = Parameters(budget, workers) };
        var final = solver.Solve(m.Model);
        started.Stop();
        if (final is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return new Optimum(final, null, 0m, null, 0, started.Elapsed);
        }

        var solution = m.Read(solver);
        return new Optimum(
            final,
            (decimal)solver.ObjectiveValue / PriceScale,
            (decimal)solver.BestObjectiveBound / PriceScale,
            solution,
            solution.SlowStarts(fleet),
            started.Elapsed);
    }

    /// <summary>An upper bound on the nodes an optimum runs in the pool (see the class remarks).</summary>
    public static int NodeBound(ModelFleet fleet, ModelPool pool)
    {
        var pods = new List<PodShape>();
        foreach (var w in fleet.Workloads)
        {
            if (!w.Options.TryGetValue(pool.Cluster, out var groups))
            {
                continue;
            }

            foreach (var g in groups)
            {
                if (g.Pools.Contains(pool))
                {
                    pods.AddRange(Enumerable.Repeat(g.Group.Pod, g.Group.Count));
                }
            }
        }

        // First-fit decreasing, hardest pods first as the planner orders them.
        pods.Sort((a, b) =>
        {
            var c = b.Gpus.CompareTo(a.Gpus);
            c = c != 0 ? c : b.CpuMillis.CompareTo(a.CpuMillis);
            return c != 0 ? c : b.MemoryBytes.CompareTo(a.MemoryBytes);
        });
        var free = new List<(long Cpu, long Mem, int Gpu)>();
        foreach (var pod in pods)
        {
            var i = free.FindIndex(n => n.Cpu >= pod.CpuMillis && n.Mem >= pod.MemoryBytes && n.Gpu >= pod.Gpus);
            if (i < 0)
            {
                free.Add((pool.Cpu, pool.Mem, pool.Gpus));
                i = free.Count - 1;
            }

            free[i] = (free[i].Cpu - pod.CpuMillis, free[i].Mem - pod.MemoryBytes, free[i].Gpu - pod.Gpus);
        }

        return Math.Min(pool.Max, Math.Max(pool.Min, free.Count));
    }

    private static string Parameters(TimeSpan limit, int workers) =>
        $"max_time_in_seconds:{Math.Max(0.5, limit.TotalSeconds):0.###},num_workers:{Math.Max(1, workers)},random_seed:1";

    private static long Scaled(decimal usd) => (long)Math.Round(usd * PriceScale, MidpointRounding.AwayFromZero);

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    /// <summary>The model's variables, kept to hint and to read the solution back.</summary>
    private sealed class Built
    {
        private readonly ModelFleet _fleet;
        private readonly BoolVar?[] _up;
        private readonly LinearExpr[][] _nodeOn;
        private readonly BoolVar?[][] _nodeVar;
        private readonly Dictionary<(string Workload, int Cluster), BoolVar> _x = [];
        private readonly Dictionary<(string Group, int Pool), BoolVar> _y = [];
        private readonly Dictionary<(string Group, int Pool), IntVar[]> _z = [];

        public Built(ModelFleet fleet)
        {
            _fleet = fleet;
            Model = new CpModel();
            var model = Model;
            long cpuUnit = 0, memUnit = 0;
            foreach (var w in fleet.Workloads)
            {
                foreach (var g in w.Demand.Groups)
                {
                    cpuUnit = Gcd(cpuUnit, g.Pod.CpuMillis);
                    memUnit = Gcd(memUnit, g.Pod.MemoryBytes);
                }
            }

            cpuUnit = Math.Max(1, cpuUnit);
            memUnit = Math.Max(1, memUnit);

            _up = new BoolVar?[fleet.Clusters.Count];
            foreach (var c in fleet.Clusters)
            {
                _up[c.Index] = c.AlwaysUp ? null : model.NewBoolVar($"up[{c.Name}]");
            }

            _nodeOn = new LinearExpr[fleet.Pools.Count][];
            _nodeVar = new BoolVar?[fleet.Pools.Count][];
            var costTerms = new List<LinearExpr>();
            foreach (var p in fleet.Pools)
            {
                var bound = NodeBound(fleet, p);
                var up = _up[p.Cluster];
                _nodeOn[p.Index] = new LinearExpr[bound];
                _nodeVar[p.Index] = new BoolVar?[bound];
                BoolVar? previous = null;
                for (var j = 0; j < bound; j++)
                {
                    if (j < p.Min)
                    {
                        // MinNodes run exactly while the cluster is up.
                        _nodeOn[p.Index][j] = up is null ? LinearExpr.Constant(1) : up;
                        continue;
                    }

                    var u = model.NewBoolVar($"u[{p.Key}#{j}]");
                    _nodeVar[p.Index][j] = u;
                    _nodeOn[p.Index][j] = u;
                    if (up is not null)
                    {
                        model.AddImplication(u, up);
                    }

                    if (previous is not null)
                    {
                        model.AddImplication(u, previous);
                    }

                    previous = u;
                }

                if (bound > 0)
                {
                    costTerms.Add(LinearExpr.Sum(_nodeOn[p.Index]) * Scaled(p.Price));
                }
            }

            CostExpr = LinearExpr.Sum(costTerms);

            var load = fleet.Pools.Select(_ => new List<(IntVar[] Z, BoolVar Y, PodGroupDemand Group)>()).ToArray();
            var slow = new List<LinearExpr>();
            var onCluster = fleet.Clusters.Select(_ => new List<BoolVar>()).ToArray();
            foreach (var w in fleet.Workloads)
            {
                var xs = new List<ILiteral>();
                foreach (var (c, groups) in w.Options)
                {
                    var x = model.NewBoolVar($"x[{w.Name},{fleet.Clusters[c].Name}]");
                    _x[(w.Name, c)] = x;
                    xs.Add(x);
                    onCluster[c].Add(x);
                    if (_up[c] is { } up)
                    {
                        model.AddImplication(x, up);
                    }

                    if (!fleet.Clusters[c].ActiveAtStart)
                    {
                        slow.Add(x);
                    }

                    foreach (var option in groups)
                    {
                        var key = $"{w.Name}/{option.Group.Group}";
                        var ys = new List<ILiteral>();
                        foreach (var p in option.Pools)
                        {
                            var y = model.NewBoolVar($"y[{key}@{p.Key}]");
                            _y[(key, p.Index)] = y;
                            ys.Add(y);
                            var count = option.Group.Count;
                            var perNode = (int)Math.Min(count, p.PodsPerNode(option.Group.Pod));
                            var z = new IntVar[_nodeOn[p.Index].Length];
                            for (var j = 0; j < z.Length; j++)
                            {
                                z[j] = model.NewIntVar(0, perNode, $"z[{key}@{p.Key}#{j}]");
                            }

                            _z[(key, p.Index)] = z;
                            model.Add(LinearExpr.Sum(z) == y * count);
                            load[p.Index].Add((z, y, option.Group));
                        }

                        // The group is on exactly one pool of this cluster when the workload is here, on none otherwise.
                        model.Add(LinearExpr.Sum(ys.Cast<BoolVar>()) == x);
                    }
                }

                model.AddExactlyOne(xs);
            }

            foreach (var c in fleet.Clusters)
            {
                if (_up[c.Index] is { } up)
                {
                    // A cluster that is not always up is up only when work lands on it.
                    model.AddBoolOr(onCluster[c.Index].Cast<ILiteral>().Append(up.Not()));
                }
            }

            foreach (var p in fleet.Pools)
            {
                var l = load[p.Index];
                if (l.Count == 0)
                {
                    continue;
                }

                var cpuCap = p.Cpu / cpuUnit;
                var memCap = p.Mem / memUnit;
                for (var j = 0; j < _nodeOn[p.Index].Length; j++)
                {
                    var on = _nodeOn[p.Index][j];
                    Capacity(model, l.Select(t => (t.Z[j], t.Group.Pod.CpuMillis / cpuUnit)), cpuCap, on);
                    Capacity(model, l.Select(t => (t.Z[j], t.Group.Pod.MemoryBytes / memUnit)), memCap, on);
                    Capacity(model, l.Select(t => (t.Z[j], (long)t.Group.Pod.Gpus)), p.Gpus, on);
                    foreach (var t in l.Where(t => t.Group.Pod.CpuMillis == 0 && t.Group.Pod.MemoryBytes == 0 && t.Group.Pod.Gpus == 0))
                    {
                        model.Add(t.Z[j] <= on * t.Group.Count);
                    }
                }

                // Redundant per-pool totals: a tighter linear relaxation.
                var nodes = LinearExpr.Sum(_nodeOn[p.Index]);
                Capacity(model, l.Select(t => ((IntVar)t.Y, t.Group.Count * (t.Group.Pod.CpuMillis / cpuUnit))), cpuCap, nodes);
                Capacity(model, l.Select(t => ((IntVar)t.Y, t.Group.Count * (t.Group.Pod.MemoryBytes / memUnit))), memCap, nodes);
                Capacity(model, l.Select(t => ((IntVar)t.Y, (long)t.Group.Count * t.Group.Pod.Gpus)), p.Gpus, nodes);
            }

            SlowStarts = slow.Count == 0 ? LinearExpr.Constant(0) : LinearExpr.Sum(slow);
        }

        public CpModel Model { get; }

        public LinearExpr CostExpr { get; }

        public LinearExpr SlowStarts { get; }

        public void Hint(NodeSolution hint)
        {
            foreach (var ((workload, c), x) in _x)
            {
                Model.AddHint(x, hint.Assignment.GetValueOrDefault(workload) == _fleet.Clusters[c].Name);
            }

            foreach (var ((group, p), y) in _y)
            {
                Model.AddHint(y, hint.GroupPools.GetValueOrDefault(group) == _fleet.Pools[p].Key);
            }

            foreach (var c in _fleet.Clusters)
            {
                if (_up[c.Index] is { } up)
                {
                    Model.AddHint(up, hint.Assignment.Values.Contains(c.Name));
                }
            }

            var pods = hint.Loads.ToDictionary(l => (l.Group, l.Pool, l.Node), l => l.Pods);
            foreach (var ((group, p), z) in _z)
            {
                for (var j = 0; j < z.Length; j++)
                {
                    Model.AddHint(z[j], pods.GetValueOrDefault((group, _fleet.Pools[p].Key, j)));
                }
            }

            foreach (var p in _fleet.Pools)
            {
                var running = hint.Nodes.GetValueOrDefault(p.Key);
                for (var j = 0; j < _nodeVar[p.Index].Length; j++)
                {
                    if (_nodeVar[p.Index][j] is { } u)
                    {
                        Model.AddHint(u, j < running);
                    }
                }
            }
        }

        public NodeSolution Read(CpSolver solver)
        {
            var assignment = _x.Where(kv => solver.BooleanValue(kv.Value))
                .ToDictionary(kv => kv.Key.Workload, kv => _fleet.Clusters[kv.Key.Cluster].Name, StringComparer.Ordinal);
            var groupPools = _y.Where(kv => solver.BooleanValue(kv.Value))
                .ToDictionary(kv => kv.Key.Group, kv => _fleet.Pools[kv.Key.Pool].Key, StringComparer.Ordinal);
            var nodes = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var p in _fleet.Pools)
            {
                nodes[p.Key] = _nodeOn[p.Index].Count(e => solver.Value(e) == 1);
            }

            var loads = new List<NodeLoad>();
            foreach (var ((group, p), z) in _z)
            {
                for (var j = 0; j < z.Length; j++)
                {
                    var pods = (int)solver.Value(z[j]);
                    if (pods > 0)
                    {
                        loads.Add(new NodeLoad(_fleet.Pools[p].Key, j, group, pods));
                    }
                }
            }

            return new NodeSolution(assignment, groupPools, nodes, loads);
        }

        private static void Capacity(CpModel model, IEnumerable<(IntVar Var, long Amount)> load, long perNode, LinearExpr nodes)
        {
            var terms = load.Where(l => l.Amount > 0).ToList();
            if (terms.Count == 0)
            {
                return;
            }

            model.Add(LinearExpr.WeightedSum(terms.Select(t => t.Var), terms.Select(t => t.Amount)) <= nodes * perNode);
        }
    }
}
