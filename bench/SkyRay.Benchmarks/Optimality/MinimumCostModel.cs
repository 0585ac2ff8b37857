using Google.OrTools.Sat;
using SkyRay.Benchmarks.Fleets;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Placement.Planning;

namespace SkyRay.Benchmarks.Optimality;

/// <summary>What the exact model found.</summary>
/// <param name="Status">CP-SAT status (Optimal when proven).</param>
/// <param name="HourlyCost">Cost of the best solution found, USD per hour (null when none).</param>
/// <param name="LowerBound">Best proven lower bound, USD per hour.</param>
/// <param name="Assignment">Workload → cluster in the best solution.</param>
/// <param name="Nodes">"cluster/pool" → node count in the best solution.</param>
/// <param name="GroupPools">"workload/group" → "cluster/pool" in the best solution.</param>
/// <param name="Elapsed">Solver wall time.</param>
internal sealed record Optimum(
    CpSolverStatus Status,
    decimal? HourlyCost,
    decimal LowerBound,
    IReadOnlyDictionary<string, string> Assignment,
    IReadOnlyDictionary<string, int> Nodes,
    IReadOnlyDictionary<string, string> GroupPools,
    TimeSpan Elapsed)
{
    public bool Proven => Status == CpSolverStatus.Optimal;
}

/// <summary>
/// The exact minimum node cost of a small single-copy fleet (≤ 30 workloads, ≤ 8 clusters) as a CP-SAT model:
/// each workload on one eligible cluster, each of its pod groups whole on one pool of that cluster (as the
/// planner does), integer node counts per pool within min/max (min only while a dynamic cluster is up),
/// CPU, memory and GPU capacity per pool after <see cref="SystemReserve"/>, GPU model by
/// <see cref="GpuTypes.Satisfies"/>; minimise Σ nodes × catalog price.
/// </summary>
/// <remarks>
/// Capacity is aggregate per pool (the model may split pods of one node's worth across nodes), so its optimum is
/// a lower bound on any bin-packed plan: a planner/optimum ratio of 1.00 is optimal, above 1 is an upper bound on
/// the planner's gap. Policies honoured: none (any cluster) and <c>clusterSelector</c>; spread, groupBy and
/// ordered preferences are out of scope (use <see cref="FleetShape.SingleCopy"/> fleets).
/// </remarks>
internal static class MinimumCostModel
{
    private const long PriceScale = 1_000_000;

    /// <summary>Builds and solves the model.</summary>
    /// <param name="spec">A single-copy fleet.</param>
    /// <param name="timeLimit">Solver time limit; the best solution so far is returned when it runs out.</param>
    /// <param name="workers">CP-SAT worker threads.</param>
    /// <param name="hint">A plan to start from (the planner's), which only speeds the search up.</param>
    /// <returns>The optimum, or the best solution and bound found in time.</returns>
    public static Optimum Solve(FleetSpec spec, TimeSpan timeLimit, int workers = 1, FleetPlan? hint = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var model = new CpModel();
        var pools = new List<PoolInfo>();
        var clusterActive = new Dictionary<string, ILiteral>(StringComparer.Ordinal);
        foreach (var cluster in spec.Clusters.Values)
        {
            var active = cluster.Lifecycle == ClusterLifecycle.Static ? model.TrueLiteral() : (ILiteral)model.NewBoolVar($"up[{cluster.Name}]");
            clusterActive[cluster.Name] = active;
            foreach (var pool in cluster.NodePools)
            {
                if (cluster.CatalogProvider is not { } provider || !spec.Catalog.TryGet(provider, pool.InstanceType, out var type))
                {
                    throw new InvalidOperationException($"{cluster.Name}/{pool.Name}: instance type {pool.InstanceType} is not in the catalog");
                }

                var count = model.NewIntVar(0, pool.MaxNodes, $"n[{cluster.Name}/{pool.Name}]");
                // Min nodes run only while the cluster is up; a dynamic cluster that is down has no nodes at all.
                model.Add(LinearExpr.Term(count, 1) >= LinearExpr.Affine(active, pool.MinNodes, 0));
                model.Add(LinearExpr.Term(count, 1) <= LinearExpr.Affine(active, pool.MaxNodes, 0));
                pools.Add(new PoolInfo(cluster.Name, pool.Name, type, count));
            }
        }

        var placements = new Dictionary<string, List<(string Cluster, BoolVar Var)>>(StringComparer.Ordinal);
        var groupVars = new List<(string Key, string Pool, BoolVar Var)>();
        var poolLoad = pools.ToDictionary(p => p, _ => new List<(BoolVar Var, PodGroupDemand Group)>());
        foreach (var workload in spec.Workloads.Values)
        {
            var policy = workload.Policy is null ? null : spec.Policies[workload.Policy];
            var options = new List<(string, BoolVar)>();
            foreach (var cluster in spec.Clusters.Values)
            {
                if (!ClusterLabelSet.Matches(policy?.ClusterSelector, ClusterLabelSet.Of(cluster)))
                {
                    continue;
                }

                var clusterPools = pools.Where(p => p.Cluster == cluster.Name).ToList();
                var groupChoices = workload.Demand.Groups
                    .Select(g => (Group: g, Pools: clusterPools.Where(p => p.CanRun(g.Pod)).ToList()))
                    .ToList();
                if (groupChoices.Exists(c => c.Pools.Count == 0))
                {
                    continue;
                }

                var x = model.NewBoolVar($"x[{workload.Name},{cluster.Name}]");
                model.AddImplication(x, clusterActive[cluster.Name]);
                options.Add((cluster.Name, x));
                foreach (var (group, eligible) in groupChoices)
                {
                    var ys = new List<ILiteral>();
                    foreach (var pool in eligible)
                    {
                        var y = model.NewBoolVar($"y[{workload.Name},{group.Group},{cluster.Name}/{pool.Pool}]");
                        ys.Add(y);
                        poolLoad[pool].Add((y, group));
                        groupVars.Add(($"{workload.Name}/{group.Group}", $"{cluster.Name}/{pool.Pool}", y));
                    }

                    // The group is on exactly one pool of this cluster when the workload is here, on none otherwise.
                    model.Add(LinearExpr.Sum(ys) == LinearExpr.Term(x, 1));
                }
            }

            if (options.Count == 0)
            {
                return new Optimum(CpSolverStatus.Infeasible, null, 0m, new Dictionary<string, string>(), new Dictionary<string, int>(), new Dictionary<string, string>(), TimeSpan.Zero);
            }

            model.AddExactlyOne(options.Select(o => (ILiteral)o.Item2));
            placements[workload.Name] = options;
        }

        foreach (var (pool, load) in poolLoad)
        {
            if (load.Count == 0)
            {
                continue;
            }

            AddCapacity(model, pool.Nodes, pool.CpuMillis, load.Select(l => (l.Var, l.Group.Pod.CpuMillis * l.Group.Count)));
            AddCapacity(model, pool.Nodes, pool.MemoryMiB, load.Select(l => (l.Var, MiBUp(l.Group.Pod.MemoryBytes) * l.Group.Count)));
            AddCapacity(model, pool.Nodes, pool.Type.Gpus, load.Select(l => (l.Var, (long)l.Group.Pod.Gpus * l.Group.Count)));
        }

        if (hint is not null)
        {
            Hint(model, hint, pools, placements, groupVars);
        }

        model.Minimize(LinearExpr.WeightedSum(pools.Select(p => (LinearExpr)p.Nodes), pools.Select(p => Scaled(p.Type.HourlyUsd))));

        var solver = new CpSolver
        {
            StringParameters = $"max_time_in_seconds:{timeLimit.TotalSeconds:0.###},num_workers:{Math.Max(1, workers)},random_seed:1",
        };
        var started = System.Diagnostics.Stopwatch.StartNew();
        var status = solver.Solve(model);
        started.Stop();
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible))
        {
            return new Optimum(status, null, 0m, new Dictionary<string, string>(), new Dictionary<string, int>(), new Dictionary<string, string>(), started.Elapsed);
        }

        var assignment = placements.ToDictionary(
            p => p.Key,
            p => p.Value.First(o => solver.BooleanValue(o.Item2)).Item1,
            StringComparer.Ordinal);
        var nodes = pools.ToDictionary(p => $"{p.Cluster}/{p.Pool}", p => (int)solver.Value(p.Nodes), StringComparer.Ordinal);
        return new Optimum(
            status,
            (decimal)solver.ObjectiveValue / PriceScale,
            (decimal)solver.BestObjectiveBound / PriceScale,
            assignment,
            nodes,
            groupVars.Where(g => solver.BooleanValue(g.Var)).ToDictionary(g => g.Key, g => g.Pool, StringComparer.Ordinal),
            started.Elapsed);
    }

    private static void Hint(
        CpModel model,
        FleetPlan plan,
        List<PoolInfo> pools,
        Dictionary<string, List<(string Cluster, BoolVar Var)>> placements,
        List<(string Key, string Pool, BoolVar Var)> groupVars)
    {
        foreach (var pool in pools)
        {
            var desired = plan.Clusters.TryGetValue(pool.Cluster, out var cluster)
                ? cluster.Pools.FirstOrDefault(p => p.Pool == pool.Pool)?.DesiredNodes ?? 0
                : 0;
            model.AddHint(pool.Nodes, desired);
        }

        var chosenPools = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (workload, options) in placements)
        {
            if (plan.Placements.GetValueOrDefault(workload)?.Copies is not { Length: 1 } copies)
            {
                continue;
            }

            foreach (var (cluster, x) in options)
            {
                model.AddHint(x, cluster == copies[0].Cluster);
            }

            foreach (var (group, pool) in copies[0].GroupPools)
            {
                chosenPools.Add($"{workload}/{group}@{copies[0].Cluster}/{pool}");
            }
        }

        foreach (var (key, pool, y) in groupVars)
        {
            model.AddHint(y, chosenPools.Contains($"{key}@{pool}"));
        }
    }

    private static void AddCapacity(CpModel model, IntVar nodes, long perNode, IEnumerable<(BoolVar Var, long Amount)> load)
    {
        var terms = load.Where(l => l.Amount > 0).ToList();
        if (terms.Count == 0)
        {
            return;
        }

        model.Add(LinearExpr.WeightedSum(terms.Select(t => (ILiteral)t.Var), terms.Select(t => t.Amount)) <= LinearExpr.Term(nodes, perNode));
    }

    private static long Scaled(decimal usd) => (long)Math.Round(usd * PriceScale, MidpointRounding.AwayFromZero);

    private static long MiBUp(long bytes) => (bytes + (1L << 20) - 1) >> 20;

    private sealed record PoolInfo(string Cluster, string Pool, InstanceType Type, IntVar Nodes)
    {
        public long CpuMillis { get; } = SystemReserve.AllocatableCpuMillis(Type);

        public long MemoryMiB { get; } = SystemReserve.AllocatableMemoryBytes(Type) >> 20;

        /// <summary>True when one pod of this shape fits on one node of the pool (and its GPU model is offered).</summary>
        public bool CanRun(PodShape pod) =>
            pod.CpuMillis <= CpuMillis &&
            MiBUp(pod.MemoryBytes) <= MemoryMiB &&
            pod.Gpus <= Type.Gpus &&
            (pod.Gpus == 0 || GpuTypes.Satisfies(pod.GpuType, Type.GpuType));
    }
}
