using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using SkyRay.Fleet.Collections;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Consolidation;

/// <summary>
/// The <c>consolidate</c> pass: a bounded improvement after the greedy. The greedy places one unit at a time on
/// the cheapest nodes it adds, so it never sees that, say, one 8-GPU node is cheaper than eight 1-GPU nodes
/// bought one at a time. This pass re-plans with one more pool closed to new groups at a time (a pool the plan
/// runs nodes on beyond its MinNodes), so the work on it is re-packed elsewhere (another pool of the same cluster
/// or another cluster), and keeps the trial only when it is strictly cheaper and changes nothing it must not.
/// </summary>
/// <remarks>
/// A trial is kept only when (compared with the greedy plan): the plan's total node cost is strictly lower; every
/// workload the greedy placed is still placed, none at a slower launch tier; workloads with a placement in the
/// previous plan (sticky), workloads with spread (Duplicate / Divide) or more than one copy, and workloads under an
/// orderedClusterSelector (so no priority rank gets worse), keep exactly their
/// greedy copies; the diagnostics are the same. Capacity is packed by the ordinary pipeline in every trial, so
/// filters, GPU types, the CPU-pools-first rule and groupBy units (placed whole) hold as in any plan, and nothing is
/// overcommitted. Pools are tried in cluster then pool name order (the third search: the most expensive first, then that
/// order), so the result is deterministic.
/// Bounded: only plans of at most <see cref="MaxWorkloads"/> workloads and <see cref="MaxClusters"/> clusters,
/// at most <see cref="MaxPasses"/> passes over the pools, chains of <see cref="MaxChain"/> closures, and
/// <see cref="TrialWork"/> / workloads trial plans (between 8 and <see cref="MaxTrials"/>) for the two main searches, a tenth of
/// that on top for the third (<see cref="ThirdSearchShare"/>, when at least <see cref="MinThirdSearchTrials"/>).
/// </remarks>
internal static class Consolidate
{
    /// <summary>Name of the pass in explanations.</summary>
    public const string Name = "consolidate";

    /// <summary>Larger plans skip the pass (each trial is a full re-plan).</summary>
    public const int MaxWorkloads = 2_000;

    /// <summary>Larger fleets skip the pass.</summary>
    public const int MaxClusters = 100;

    /// <summary>Passes over the pools (a pass that keeps no trial ends the search).</summary>
    public const int MaxPasses = 8;

    /// <summary>Trial plans in all, at most.</summary>
    public const int MaxTrials = 1024;

    /// <summary>Trial plans times workloads, at most (so larger plans get fewer trials, at least 8).</summary>
    public const int TrialWork = 20_000;

    /// <summary>Steps of one chain of closures.</summary>
    public const int MaxChain = 4;

    /// <summary>The third search gets this fraction of the budget on top (1 / <see cref="ThirdSearchShare"/>).</summary>
    public const int ThirdSearchShare = 10;

    /// <summary>The third search runs only with at least this many trials (plans of up to 250 workloads).</summary>
    public const int MinThirdSearchTrials = 8;

    /// <summary>Plans with the greedy, then improves the plan when the bounds allow.</summary>
    public static FleetPlan Plan(FleetSpec spec, FleetPlan? previous, PlanOptions options) => Plan(spec, previous, options, shortcuts: true);

    /// <summary>
    /// <see cref="Plan(FleetSpec, FleetPlan?, PlanOptions)"/>; without <paramref name="shortcuts"/> every trial is planned in
    /// full from its own setup (no shared setup, no resumed kept work, no trial counted but not planned, none given again
    /// from memory), which must give
    /// the same plan: tests compare the two.
    /// </summary>
    internal static FleetPlan Plan(FleetSpec spec, FleetPlan? previous, PlanOptions options, bool shortcuts)
    {
        var setups = new Setups(spec, previous, options, shortcuts);
        var searched = spec.Workloads.Count <= MaxWorkloads && spec.Clusters.Count <= MaxClusters;
        // The greedy plan's memo tables go on to the trials (given back cleared, as new ones are) when there are trials.
        var greedy = new PlanRun(spec, previous, options) { Setup = setups.For(NoCaps), MemoTables = searched ? setups.MemoTables : null }.Run();
        if (!searched || greedy.Placements.Count == 0)
        {
            return greedy;
        }

        setups.FindStuck(greedy);

        // Two searches from the greedy plan that try the neighbourhoods in different orders (a local search ends
        // in whichever local optimum its first accepted trials lead to); the cheaper result is kept, the first on a tie.
        var budget = Math.Min(MaxTrials, Math.Max(8, TrialWork / Math.Max(1, spec.Workloads.Count)));
        var best = Search(spec, previous, greedy, setups, (budget + 1) / 2, Order.ShrinkAfterClosures);
        var other = Search(spec, previous, greedy, setups, budget / 2, Order.ShrinkLast);
        best = setups.CostOf(other.Plan) < setups.CostOf(best.Plan) ? other : best;

        // Both searches keep the first cheaper trial they meet, pools by name, and a closure stays for the rest of the
        // search: a small early saving (closing a CPU pool that held one workload) can shut out a large one (that pool is
        // where the heads of GPU workers a bigger GPU node would hold have to go). A third search, with a tenth of the
        // budget on top, tries the pools the plan pays most for first and drains them by halves. It is kept only when
        // strictly cheaper, and the first two are unchanged, so no plan gets dearer; plans too large for it to get
        // MinThirdSearchTrials trials (where every trial is a re-plan of hundreds of workloads) skip it. So does a re-plan
        // (a previous plan is given): draining pools by halves moves running work, and in the trace simulation, where every
        // run re-plans, it moved 13 % more workloads and raised the p95 wait from 20.8 to 27.2 minutes for 0.7 % less cost.
        var third = budget / ThirdSearchShare;
        if (previous is null && third >= MinThirdSearchTrials)
        {
            var largest = Search(spec, previous, greedy, setups, third, Order.LargestPoolsFirst);
            best = setups.CostOf(largest.Plan) < setups.CostOf(best.Plan) ? largest : best;
        }

        if (ReferenceEquals(best.Plan, greedy))
        {
            return greedy;
        }

        // Trials are planned without verdicts; the kept one once more with them (the same run, so the same placements).
        var kept = new PlanRun(spec, previous, options) { ClosedPools = best.Closed, MovedAway = best.Moved, PoolCaps = best.Caps, Setup = setups.For(best.Caps), MemoTables = setups.MemoTables }.Run();
        return Explain(greedy, kept);
    }

    /// <summary>One local search from the greedy plan: passes over the neighbourhoods until one keeps nothing.</summary>
    /// <returns>The best plan found (the greedy one when no trial was kept) and the closures, moves and caps that give it.</returns>
    private static (FleetPlan Plan, List<(string Cluster, string Pool)> Closed, SortedDictionary<string, string> Moved, Dictionary<(string Cluster, string Pool), int> Caps) Search(FleetSpec spec, FleetPlan? previous, FleetPlan greedy, Setups setups, int budget, Order order)
    {
        var capsFirst = order != Order.ShrinkLast;
        var best = greedy;
        var closed = new List<(string Cluster, string Pool)>();
        var moved = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var caps = new Dictionary<(string Cluster, string Pool), int>();
        // Trials that provably give the best plan again, or a plan the pass refuses, are counted but not planned, so
        // the search takes the same path as when it planned them, in less time.
        FleetPlan? freshOf = null;
        HashSet<string>? fresh = null;
        bool NewWorkOn(string cluster)
        {
            if (!setups.Shortcuts)
            {
                return true;
            }

            if (!ReferenceEquals(freshOf, best))
            {
                freshOf = best;
                fresh = setups.WithNewWork(best);
            }

            return fresh is null || fresh.Contains(cluster);
        }

        // A trial is kept when it is cheaper than the best plan so far and changes no copy the pass must keep.
        bool Improves(FleetPlan trial) => setups.CostOf(trial) < setups.CostOf(best) && setups.Keeps(greedy, trial);

        // With shortcuts, the workloads that may ever move in this search, found once (see Movable).
        var free = setups.Shortcuts ? setups.FreeToMove(greedy) : null;
        var trials = 0;
        for (var pass = 0; pass < MaxPasses && trials < budget; pass++)
        {
            var improved = false;
            // Shrink a pool by one node: the pool may not open the last node it runs, so whatever the greedy put
            // there last goes elsewhere (closing a pool moves all its work; this moves only the overflow).
            void Shrink()
            {
                foreach (var (cluster, pool) in CandidatePools(best, closed))
                {
                    if (trials >= budget)
                    {
                        break;
                    }

                    trials++;
                    if (!NewWorkOn(cluster))
                    {
                        continue;
                    }

                    var desired = best.Clusters[cluster].Pools.First(p => p.Pool == pool).DesiredNodes;
                    if (setups.KeptWorkOutgrows(caps, cluster, pool, desired - 1))
                    {
                        // The kept work alone runs all the pool's nodes: the trial would move a kept workload (see KeptWorkOutgrows).
                        continue;
                    }

                    var tryCaps = new Dictionary<(string Cluster, string Pool), int>(caps) { [(cluster, pool)] = desired - 1 };
                    var trial = setups.Trial(closed, moved, tryCaps);
                    if (Improves(trial))
                    {
                        best = trial;
                        caps = tryCaps;
                        improved = true;
                    }
                }
            }

            // Close the pool; when its work only lands on other pools at no saving, close those too (a chain of at most
            // MaxChain steps), so the work can reach a layout no single step finds cheaper.
            bool Close((string Cluster, string Pool) candidate)
            {
                var tryClosed = new List<(string Cluster, string Pool)>(closed) { candidate };
                for (var step = 0; step < MaxChain && trials < budget; step++)
                {
                    trials++;
                    var trial = setups.Trial(tryClosed, moved, caps);
                    if (Improves(trial))
                    {
                        best = trial;
                        closed = tryClosed;
                        return true;
                    }

                    var gained = Gained(best, trial, tryClosed);
                    if (gained.Count == 0)
                    {
                        break;
                    }

                    tryClosed = [.. tryClosed, .. gained];
                }

                return false;
            }

            // Drain the pool by halves: cap it at half the nodes it runs, then a quarter, … down to one node, until a trial is
            // kept. Moving one node's work (Shrink) or all of it (Close) can each cost more than the plan while moving most
            // of it pays: workloads needing nine A100s on nine 1-GPU nodes, where one 8-GPU node holds all but one GPU's.
            bool Drain((string Cluster, string Pool) candidate)
            {
                var pool = PoolNamed(best.Clusters[candidate.Cluster].Pools, candidate.Pool);
                for (var cap = pool.DesiredNodes / 2; cap >= Math.Max(1, pool.MinNodes) && trials < budget; cap /= 2)
                {
                    // Only reached for a cluster with new work (the closures' test below), as a closure is.
                    trials++;
                    if (setups.KeptWorkOutgrows(caps, candidate.Cluster, candidate.Pool, cap))
                    {
                        continue;
                    }

                    var tryCaps = new Dictionary<(string Cluster, string Pool), int>(caps) { [candidate] = cap };
                    var trial = setups.Trial(closed, moved, tryCaps);
                    if (Improves(trial))
                    {
                        best = trial;
                        caps = tryCaps;
                        return true;
                    }
                }

                return false;
            }

            var largestFirst = order == Order.LargestPoolsFirst;
            foreach (var candidate in largestFirst ? ByHourlyCost(best, CandidatePools(best, closed)) : CandidatePools(best, closed))
            {
                if (closed.Contains(candidate))
                {
                    continue;
                }

                if (!NewWorkOn(candidate.Cluster))
                {
                    // The same plan as the best one (see Setups.WithNewWork): its trial would end the chain at once.
                    trials += trials < budget ? 1 : 0;
                    continue;
                }

                bool kept;
                if (setups.ClosureChangesNothing(best, caps, candidate))
                {
                    // The same plan as the best one (see ClosureChangesNothing): its trial would end the chain at once.
                    trials += trials < budget ? 1 : 0;
                    kept = false;
                }
                else
                {
                    kept = Close(candidate);
                }

                if (kept || (largestFirst && Drain(candidate)))
                {
                    improved = true;
                }
            }

            if (capsFirst)
            {
                Shrink();
            }

            // Move one workload at a time away from its cluster (the greedy re-places everything after it).
            foreach (var name in Movable(spec, previous, greedy, best, moved, free))
            {
                if (trials >= budget)
                {
                    break;
                }

                trials++;
                var tryMoved = new SortedDictionary<string, string>(moved, StringComparer.Ordinal) { [name] = best.Placements[name].Copies[0].Cluster };
                var trial = setups.Trial(closed, tryMoved, caps);
                if (Improves(trial))
                {
                    best = trial;
                    moved = tryMoved;
                    improved = true;
                }
            }

            // Move one workload at a time to one other cluster (by name), where leaving was not enough.
            foreach (var name in Movable(spec, previous, greedy, best, moved, free))
            {
                foreach (var target in best.Clusters.Keys)
                {
                    if (trials >= budget || moved.ContainsKey(name) ||
                        string.Equals(target, best.Placements[name].Copies[0].Cluster, StringComparison.Ordinal))
                    {
                        continue;
                    }


                    trials++;
                    if (setups.RefusesPin(caps, greedy, name, target))
                    {
                        continue;
                    }

                    var tryMoved = new SortedDictionary<string, string>(moved, StringComparer.Ordinal) { [name] = "=" + target };
                    var trial = setups.Trial(closed, tryMoved, caps);
                    if (Improves(trial))
                    {
                        best = trial;
                        moved = tryMoved;
                        improved = true;
                    }
                }
            }

            // Swap two workloads on different clusters (each pinned to the other's cluster), where moving either
            // alone does not pay: the room one leaves is what the other needs.
            var movable = Movable(spec, previous, greedy, best, moved, free);
            for (var i = 0; i < movable.Count && trials < budget; i++)
            {
                for (var j = i + 1; j < movable.Count && trials < budget; j++)
                {
                    var (a, b) = (movable[i], movable[j]);
                    if (moved.ContainsKey(a) || moved.ContainsKey(b))
                    {
                        continue;
                    }

                    var onA = best.Placements[a].Copies[0].Cluster;
                    var onB = best.Placements[b].Copies[0].Cluster;
                    if (string.Equals(onA, onB, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    trials++;
                    if (setups.RefusesPin(caps, greedy, a, onB) || setups.RefusesPin(caps, greedy, b, onA))
                    {
                        continue;
                    }

                    var tryMoved = new SortedDictionary<string, string>(moved, StringComparer.Ordinal) { [a] = "=" + onB, [b] = "=" + onA };
                    var trial = setups.Trial(closed, tryMoved, caps);
                    if (Improves(trial))
                    {
                        best = trial;
                        moved = tryMoved;
                        improved = true;
                    }
                }
            }

            if (!capsFirst)
            {
                Shrink();
            }

            if (!improved)
            {
                break;
            }
        }

        return (best, closed, moved, caps);
    }

    /// <summary>The order a search tries its neighbourhoods in (see <see cref="Plan(FleetSpec, FleetPlan?, PlanOptions, bool)"/>).</summary>
    private enum Order
    {
        /// <summary>Close pools (by cluster then pool name), shrink pools, move, move to a cluster, swap.</summary>
        ShrinkAfterClosures,

        /// <summary>Close pools (by cluster then pool name), move, move to a cluster, swap, shrink pools.</summary>
        ShrinkLast,

        /// <summary>The pools the plan pays most for first, each closed or else drained by halves; then shrink, move, move to a cluster, swap.</summary>
        LargestPoolsFirst,
    }

    private static readonly Dictionary<(string Cluster, string Pool), int> NoCaps = [];
    private static readonly Dictionary<string, string> NoMoves = new(StringComparer.Ordinal);

    /// <summary>
    /// The setups of the pass's runs: one per set of pool caps (the current caps of each search, and each shrink trial's),
    /// the last few kept, so the trials of a search share the model and units instead of building them each time; and the
    /// pass's trial plans, all made with the same spec, previous plan and options.
    /// </summary>
    internal sealed class Setups(FleetSpec spec, FleetPlan? previous, PlanOptions options, bool shortcuts)
    {
        private const int Kept = 4;
        private readonly List<PlanSetup> _recent = [];
        private readonly Dictionary<string, FleetPlan> _trials = new(StringComparer.Ordinal);

        // Labels and policies do not depend on the caps: derived once for all the setups of the pass (with shortcuts, so
        // the properties that compare passes with and without them cover this one too).
        private readonly PlanSetup.SpecParts? _parts = shortcuts ? new(spec) : null;

        // The trials plan one after another on the same clusters: each takes the memo tables the one before gave back.
        private readonly PlacementPipeline.MemoPool? _memoTables = shortcuts ? new(spec.Clusters.Count) : null;

        /// <summary>
        /// The pass's memo tables (with shortcuts): its trials', and its greedy and kept plans' too, which plan on the same
        /// clusters before and after them.
        /// </summary>
        public PlacementPipeline.MemoPool? MemoTables => _memoTables;

        // Each plan's hourly cost, by plan object: the pass compares the best plan's cost after every trial, and
        // FleetPlan.HourlyCost sums every cluster's cost again on each call.
        private readonly Dictionary<FleetPlan, decimal>? _costs = shortcuts ? new(ReferenceEqualityComparer.Instance) : null;

        /// <summary>The plan's <see cref="FleetPlan.HourlyCost"/>, summed once per plan object with shortcuts.</summary>
        public decimal CostOf(FleetPlan plan) => Remembered(_costs, plan, 0, static (_, p) => p.HourlyCost);

        /// <summary>False: every run builds its own setup and every trial is planned (see <see cref="Plan(FleetSpec, FleetPlan?, PlanOptions, bool)"/>).</summary>
        public bool Shortcuts => shortcuts;

        // What the searches ask of the pass's plans, each a function of the pass's spec, previous plan and greedy plan and of
        // the plan asked about alone, so remembered by plan object with shortcuts: the second search mostly walks the first
        // one's path again (its trials given from memory), and asked it all again of the same plans.
        private readonly Dictionary<FleetPlan, bool>? _keeps = shortcuts ? new(ReferenceEqualityComparer.Instance) : null;
        private readonly Dictionary<FleetPlan, PoolsPlacedAnew>? _newPools = shortcuts ? new(ReferenceEqualityComparer.Instance) : null;
        private readonly Dictionary<WorkloadPlacement, (WorkloadCopy[] Fresh, WorkloadPlacement? Was)>? _newCopies = shortcuts ? new(ReferenceEqualityComparer.Instance) : null;
        private (FleetPlan Greedy, List<string> Free)? _free;

        /// <summary><see cref="Consolidate.Keeps"/> of the trial against the pass's greedy plan (remembered per trial with shortcuts).</summary>
        public bool Keeps(FleetPlan greedy, FleetPlan trial) =>
            Remembered(_keeps, trial, (spec, previous, greedy), static (s, t) => Consolidate.Keeps(s.spec, s.previous, s.greedy, t));

        /// <summary>
        /// The clusters where the plan has a copy its previous plan did not (another cluster, pools or worker count), or a
        /// copy of a Divide workload (the clusters of <see cref="PlacedAnew"/>); null when there is no previous plan (every copy
        /// is new).
        /// </summary>
        /// <remarks>
        /// A copy the previous plan had is kept work: placed in phase 1, before and regardless of any closure, and a shrink
        /// below the nodes it needs moves it, which the pass refuses (it is pinned). Phase 2 places each unit on the best
        /// candidate by the scorers; closing or capping a pool no unit of phase 2 uses only makes candidates on that cluster
        /// worse, never the chosen one, so the trial plan is the same plan and cannot be kept. Such trials are not run. A copy
        /// identical to the previous one is never a phase-2 copy: a unit not kept in phase 1 did not fit on its previous
        /// cluster, and capacity only shrinks. Divide units are re-split as a whole (a share may land back on its cluster in
        /// phase 2), so their clusters always count.
        /// </remarks>
        public HashSet<string>? WithNewWork(FleetPlan plan) => previous is null ? null : PlacedAnew(plan).Clusters;

        /// <summary>
        /// The clusters and pools of the plan's copies placed anew, and the clusters where one has a group on a GPU pool,
        /// remembered per plan; each placement is looked at once per pass (the trials of a pass share the kept work's
        /// placement objects).
        /// </summary>
        private PoolsPlacedAnew PlacedAnew(FleetPlan plan)
        {
            if (_newPools is not null && _newPools.TryGetValue(plan, out var known))
            {
                return known;
            }

            var model = (_recent.Count > 0 ? _recent[^1] : Shared(NoCaps)).Model;
            var result = new PoolsPlacedAnew(new(StringComparer.Ordinal), [], new(StringComparer.Ordinal));
            // The previous plan's placements walked beside the plan's (both maps in ordinal name order), not looked up by name.
            using var before = new InOrderLookup<WorkloadPlacement>(
                previous?.Placements ?? ImmutableSortedDictionary.Create<string, WorkloadPlacement>(StringComparer.Ordinal),
                ReferenceEquals(plan.Placements.KeyComparer, StringComparer.Ordinal));
            foreach (var (name, placement) in plan.Placements)
            {
                if (placement.Copies.IsDefaultOrEmpty)
                {
                    continue;
                }

                if (_newCopies is null || !_newCopies.TryGetValue(placement, out var anew))
                {
                    var was = before.Find(name);
                    anew = (NewCopies(spec, was, placement), was);
                    if (_newCopies is not null)
                    {
                        _newCopies[placement] = anew;
                    }
                }

                foreach (var copy in anew.Fresh)
                {
                    result.Clusters.Add(copy.Cluster);
                    var had = anew.Was is { IsPlaced: true } was ? was.CopyOn(copy.Cluster) : null;
                    foreach (var (group, pool) in copy.GroupPools)
                    {
                        if (had is not null && had.GroupPools.TryGetValue(group, out var previousPool) && string.Equals(previousPool, pool, StringComparison.Ordinal))
                        {
                            // The pool the group had on this cluster in the previous plan: a sticky unit packs each group into
                            // that pool first, before it looks at any other and whatever is closed (UnitPacker), so a closure
                            // of the pool does not move it. Such a copy is new for another group, or for its worker count.
                            continue;
                        }

                        result.Pools.Add((copy.Cluster, pool));
                        if (PoolOf(model, copy.Cluster, pool) is not { HasGpu: false })
                        {
                            result.OnGpuPools.Add(copy.Cluster);
                        }
                    }
                }
            }

            if (_newPools is not null)
            {
                _newPools[plan] = result;
            }

            return result;
        }

        /// <summary>What <paramref name="make"/> gives for the plan: made each time without shortcuts (no memo), else once per plan object.</summary>
        private static T Remembered<TState, T>(Dictionary<FleetPlan, T>? memo, FleetPlan plan, TState state, Func<TState, FleetPlan, T> make)
        {
            if (memo is null)
            {
                return make(state, plan);
            }

            if (!memo.TryGetValue(plan, out var value))
            {
                value = make(state, plan);
                memo[plan] = value;
            }

            return value;
        }

        /// <summary><see cref="Consolidate.FreeToMove"/> of the pass's greedy plan, found once (the searches only read the list).</summary>
        public List<string> FreeToMove(FleetPlan greedy)
        {
            if (_free is not { } known || !ReferenceEquals(known.Greedy, greedy))
            {
                known = (greedy, Consolidate.FreeToMove(spec, previous, greedy));
                _free = known;
            }

            return known.Free;
        }

        /// <summary>
        /// A trial plan (no verdicts) with these closures, moves and caps. A run is decided by its inputs alone, and the
        /// two searches of a pass often try the same ones (both start from the greedy plan and try every closure first;
        /// where no trial is kept they try the same moves and shrinks in another order), so with shortcuts a trial
        /// already planned in this pass is given again instead of planned twice.
        /// </summary>
        public FleetPlan Trial(List<(string Cluster, string Pool)> closed, SortedDictionary<string, string> moved, Dictionary<(string Cluster, string Pool), int> caps)
        {
            string? key = null;
            if (shortcuts)
            {
                key = TrialKey(closed, moved, caps);
                if (_trials.TryGetValue(key, out var known))
                {
                    return known;
                }
            }

            var plan = new PlanRun(spec, previous, options) { WithoutVerdicts = true, ClosedPools = closed, MovedAway = moved, PoolCaps = caps, Setup = For(caps), MemoTables = _memoTables }.Run();
            if (key is not null)
            {
                _trials[key] = plan;
            }

            return plan;
        }

        private static string TrialKey(List<(string Cluster, string Pool)> closed, SortedDictionary<string, string> moved, Dictionary<(string Cluster, string Pool), int> caps)
        {
            // Closures in their order (a chain closes step by step), moves in name order, caps in (cluster, pool) order;
            // a control character between names, which no cluster, pool or workload name holds.
            var key = new StringBuilder();
            foreach (var (cluster, pool) in closed)
            {
                key.Append('\u0001').Append(cluster).Append('\u0002').Append(pool);
            }

            key.Append('\u0003');
            foreach (var (workload, away) in moved)
            {
                key.Append('\u0001').Append(workload).Append('\u0002').Append(away);
            }

            key.Append('\u0003');
            foreach (var ((cluster, pool), cap) in caps.OrderBy(c => c.Key.Cluster, StringComparer.Ordinal).ThenBy(c => c.Key.Pool, StringComparer.Ordinal))
            {
                key.Append('\u0001').Append(cluster).Append('\u0002').Append(pool).Append('\u0002').Append(cap.ToString(CultureInfo.InvariantCulture));
            }

            return key.ToString();
        }

        public PlanSetup? For(IReadOnlyDictionary<(string Cluster, string Pool), int> caps) => shortcuts ? Shared(caps) : null;

        /// <summary>
        /// With shortcuts, when the greedy plan saved its kept work (on a first plan there is none, and the check is against the
        /// fleet as it starts): finds which workloads the greedy plan left unplaced fit on no cluster their policy allows with
        /// only the kept work placed (<see cref="PlanSetup.KeptWork.Stuck"/>),
        /// so the trials resumed from that kept work leave them unplaced without searching (in a busy trace simulation the
        /// waiting workloads were most of each trial's searches, and each search failed again). Single workloads without a
        /// spread only. Searches nothing the runs keep: the check has a pipeline of its own on a copy of the capacity, and the
        /// units' per-run caches are cleared after it (each run clears them too).
        /// </summary>
        /// <param name="greedy">The pass's greedy plan, planned on the setup without caps.</param>
        public void FindStuck(FleetPlan greedy)
        {
            if (!shortcuts || options.Explain)
            {
                return;
            }

            var setup = Shared(NoCaps);
            if (KeptWorkOf(setup) is not { Stuck: null } saved)
            {
                return;
            }

            var units = setup.UnitsFor(NoMoves);
            var pipeline = new PlacementPipeline(setup.Model, options, PlacementPipeline.DefaultScorers, saved.State.Copy()) { WithoutReasons = true };
            var stuck = new bool[units.Count];
            // Nothing is committed here, so whether a demand fits somewhere under a scope is the same for every unit that
            // has both (a sticky cluster only changes which cluster is tried first): asked once per scope and demand.
            var fitsNowhere = new Dictionary<(PolicyScope Scope, int Shape), bool>();
            foreach (var unit in units)
            {
                if (saved.Outcomes[unit.Index] is not null || saved.Kept[unit.Index] is not null || unit.Problem is not null ||
                    unit.Members.Length != 1 || unit.Scope.Policy?.Spread is not null ||
                    !greedy.Placements.TryGetValue(unit.Members[0].Name, out var placement) || placement.IsPlaced)
                {
                    continue;
                }

                var scope = unit.Scope;
                var shape = pipeline.BaseShapeId(unit);
                if (!fitsNowhere.TryGetValue((scope, shape), out var none))
                {
                    var sticky = pipeline.StickyCluster(unit, scope.Candidates, scope, null);
                    none = !pipeline.TryFind(unit, unit.BaseCounts, shape, scope.Candidates, scope, sticky, null, out _);
                    fitsNowhere[(scope, shape)] = none;
                }

                stuck[unit.Index] = none;
            }

            foreach (var unit in units)
            {
                unit.ClearRunCaches();
            }

            saved.Stuck = stuck;
        }

        /// <summary>
        /// True (with shortcuts) when a trial that pins the workload to the cluster is refused whatever else it places, so it is
        /// counted but not planned: its policy or its pods rule the cluster out (the workload would be unplaced), or its copy
        /// there would launch slower than in the greedy plan (<see cref="LaunchesSlowerOn(IReadOnlyDictionary{ValueTuple{string, string}, int}, FleetPlan, string, string)"/>).
        /// </summary>
        public bool RefusesPin(IReadOnlyDictionary<(string Cluster, string Pool), int> caps, FleetPlan greedy, string workload, string cluster)
        {
            if (!shortcuts)
            {
                return false;
            }

            var setup = Shared(caps);
            return !setup.MayPlaceOn(workload, cluster) || LaunchesSlowerOn(setup.Model, greedy, workload, cluster);
        }

        /// <summary>
        /// True (with shortcuts) when a trial that pins the workload to the cluster is refused whatever else it places: the
        /// cluster is not active when the plan starts, so every copy placed on it launches in its start tier (wake or
        /// create, <see cref="Capacity.UnitPacker.Evaluate"/>), and that is slower than the workload's copy in the greedy
        /// plan. The workload is free to move (<see cref="Movable"/>), and the pass refuses a free workload that launches
        /// slower than in the greedy plan, or is left unplaced (<see cref="Consolidate.Keeps(FleetSpec, FleetPlan, FleetPlan, FleetPlan)"/>).
        /// </summary>
        public bool LaunchesSlowerOn(IReadOnlyDictionary<(string Cluster, string Pool), int> caps, FleetPlan greedy, string workload, string cluster) =>
            shortcuts && LaunchesSlowerOn(Shared(caps).Model, greedy, workload, cluster);

        /// <summary>
        /// True (with shortcuts) when closing the pool gives the plan of <paramref name="plan"/>'s own run again, so its trial is
        /// counted but not planned: no copy the run placed anew (every copy of a first plan; on a re-plan, the copies the previous
        /// plan did not have, and every copy of a Divide workload) has a group on the pool, and, for a CPU pool, none on a GPU
        /// pool of its cluster (closing a CPU pool also shuts the cluster's GPU pools to CPU pods it could hold, see
        /// <see cref="PoolClosures"/>). A group on the pool it had on that cluster in the previous plan does not count: a sticky
        /// unit packs each group into its previous pool first, whatever is closed, and the same pack on the same capacity gives
        /// the same answer, so a group that ended there got there that way. A closure only takes options away from the packer,
        /// which picks a pool per group as the first of the best (running nodes, then cost) in name order, and from the search,
        /// which keeps the best cluster by the ranking: a unit whose choice used none of the options taken away chooses the
        /// same, the capacity goes the same way unit after unit, and kept work is placed before closures apply. Work the plan
        /// left unplaced fits nowhere with fewer options either.
        /// </summary>
        /// <param name="plan">The search's best plan, the run of the current closures, moves and caps.</param>
        /// <param name="caps">The current caps.</param>
        /// <param name="pool">The pool to close.</param>
        public bool ClosureChangesNothing(FleetPlan plan, IReadOnlyDictionary<(string Cluster, string Pool), int> caps, (string Cluster, string Pool) pool)
        {
            if (!shortcuts || Recent(caps) is not { } setup || PoolOf(setup.Model, pool.Cluster, pool.Pool) is not { } planPool)
            {
                return false;
            }

            var used = PlacedAnew(plan);
            return !used.Pools.Contains(pool) && (planPool.HasGpu || !used.OnGpuPools.Contains(pool.Cluster));
        }

        /// <summary>
        /// True (with shortcuts) when a trial that caps the pool at <paramref name="cap"/> nodes (a shrink, or a drain by
        /// halves) is refused whatever else it places: the kept work alone, as the setup of the current caps saved it, opened
        /// more nodes in the pool than the cap. The kept work is packed first, in the same order in every run, and first-fit
        /// opens a node only for pods no open node takes; so in the capped run some kept workload cannot get the pools it has
        /// in the greedy plan (the first one packed differently; at the latest, the one that opened node cap + 1). A kept
        /// workload had a placement in the previous plan, and the pass keeps such a workload only on exactly its greedy copy
        /// (<see cref="Consolidate.Keeps(FleetSpec, FleetPlan, FleetPlan, FleetPlan)"/>).
        /// </summary>
        public bool KeptWorkOutgrows(IReadOnlyDictionary<(string Cluster, string Pool), int> caps, string cluster, string pool, int cap)
        {
            if (!shortcuts || options.Explain)
            {
                return false;
            }

            // Asked of the setup a search's trials are using: never built here (a new one has no kept work saved).
            return Recent(caps) is { } setup && KeptWorkOf(setup) is { } saved && PoolOf(setup.Model, cluster, pool) is { } planPool &&
                saved.State.Opened(planPool) > cap;
        }

        /// <summary>The kept work the runs of the pass save in the setup (their options, the default ranking and selections), or null.</summary>
        private PlanSetup.KeptWork? KeptWorkOf(PlanSetup setup) => setup.SavedKeptWork(options, PlacementPipeline.DefaultScorers, null);

        /// <summary>The pool of the model's cluster by names, or null when there is no such cluster or pool.</summary>
        private static Model.PlanPool? PoolOf(Model.PlanModel model, string cluster, string pool) =>
            model.ByName.TryGetValue(cluster, out var index)
                ? Array.Find(model.Clusters[index].Pools, p => string.Equals(p.Name, pool, StringComparison.Ordinal))
                : null;

        private static bool LaunchesSlowerOn(Model.PlanModel model, FleetPlan greedy, string workload, string cluster)
        {
            if (!greedy.Placements.TryGetValue(workload, out var before) || before.Copies.Length != 1)
            {
                return false;
            }

            if (!model.ByName.TryGetValue(cluster, out var index))
            {
                return false;
            }

            var target = model.Clusters[index];
            return !target.ActiveAtStart && before.Copies[0].Tier < target.StartTier;
        }

        private PlanSetup Shared(IReadOnlyDictionary<(string Cluster, string Pool), int> caps)
        {
            if (Recent(caps) is { } recent)
            {
                return recent;
            }

            var setup = PlanSetup.Build(spec, previous, caps, _parts);
            if (_recent.Count == Kept)
            {
                _recent.RemoveAt(0);
            }

            _recent.Add(setup);
            return setup;
        }

        /// <summary>
        /// The kept setup for these caps, or null. The one found moves to the end of the list, the last to go: the setup of a
        /// search's current caps serves most of its trials, and the shrink trials in between each bring a setup of their own.
        /// </summary>
        private PlanSetup? Recent(IReadOnlyDictionary<(string Cluster, string Pool), int> caps)
        {
            for (var i = 0; i < _recent.Count; i++)
            {
                var setup = _recent[i];
                if (setup.Fits(spec, previous, caps))
                {
                    _recent.RemoveAt(i);
                    _recent.Add(setup);
                    return setup;
                }
            }

            return null;
        }
    }

    /// <summary>The pools, the ones the plan pays most for first (on a tie, in the order of the list).</summary>
    private static List<(string Cluster, string Pool)> ByHourlyCost(FleetPlan plan, List<(string Cluster, string Pool)> pools)
    {
        var cost = new Dictionary<(string Cluster, string Pool), decimal>(pools.Count);
        foreach (var pool in pools)
        {
            cost[pool] = PoolNamed(plan.Clusters[pool.Cluster].Pools, pool.Pool).HourlyCost;
        }

        // OrderByDescending is stable: equal costs keep cluster then pool name order.
        return [.. pools.OrderByDescending(p => cost[p])];
    }

    /// <summary>Pools running nodes beyond their MinNodes, by cluster then pool name, not closed yet.</summary>
    private static List<(string Cluster, string Pool)> CandidatePools(FleetPlan plan, List<(string Cluster, string Pool)> closed)
    {
        var list = new List<(string Cluster, string Pool)>();
        foreach (var (name, cluster) in plan.Clusters)
        {
            var start = list.Count;
            foreach (var pool in cluster.Pools)
            {
                if (pool.DesiredNodes > pool.MinNodes && pool.HourlyCost > 0m && !closed.Contains((name, pool.Pool)))
                {
                    list.Add((name, pool.Pool));
                }
            }

            SortByPool(list, start);
        }

        return list;
    }

    /// <summary>
    /// The clusters and pools of a plan's copies placed anew (see <see cref="Setups.ClosureChangesNothing"/>), and the clusters
    /// where one has a group on a GPU pool.
    /// </summary>
    internal readonly record struct PoolsPlacedAnew(HashSet<string> Clusters, HashSet<(string Cluster, string Pool)> Pools, HashSet<string> OnGpuPools);

    /// <summary>The placement's copies placed anew: those the previous plan did not have (every copy on a first plan, and every copy of a Divide workload).</summary>
    /// <param name="spec">The pass's spec.</param>
    /// <param name="was">The workload's placement in the previous plan, or null.</param>
    /// <param name="placement">The placement.</param>
    private static WorkloadCopy[] NewCopies(FleetSpec spec, WorkloadPlacement? was, WorkloadPlacement placement)
    {
        var divide = placement.Policy is { } policy && spec.Policies.TryGetValue(policy, out var p) && p.Spread?.Mode == Fleet.Policies.SpreadMode.Divide;
        var before = was is not null && !divide && was.IsPlaced ? was.Copies : [];
        List<WorkloadCopy>? fresh = null;
        foreach (var copy in placement.Copies)
        {
            if (!HadCopy(before, copy))
            {
                (fresh ??= []).Add(copy);
            }
        }

        return fresh is null ? [] : [.. fresh];
    }

    /// <summary>True when one of the previous copies is on the copy's cluster with the same pools and worker counts.</summary>
    private static bool HadCopy(ImmutableArray<WorkloadCopy> before, WorkloadCopy copy)
    {
        foreach (var b in before)
        {
            if (string.Equals(b.Cluster, copy.Cluster, StringComparison.Ordinal) &&
                SameEntries(b.GroupPools, copy.GroupPools) && SameEntries(b.WorkerReplicas, copy.WorkerReplicas))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Single workloads (not groupBy members, not pinned, not moved yet) placed in the plan, by name.</summary>
    /// <param name="spec">The spec.</param>
    /// <param name="previous">The previous plan.</param>
    /// <param name="greedy">The greedy plan.</param>
    /// <param name="plan">The plan to move workloads of.</param>
    /// <param name="moved">Workloads moved already.</param>
    /// <param name="free">The search's <see cref="FreeToMove"/>, or null: every workload of the plan is looked at.</param>
    internal static List<string> Movable(FleetSpec spec, FleetPlan? previous, FleetPlan greedy, FleetPlan plan, SortedDictionary<string, string> moved, List<string>? free)
    {
        var list = new List<string>();
        if (free is not null)
        {
            // What Pinned and the groupBy test say depends on the greedy plan, the previous plan and the policies alone,
            // except the plan's own copy count: only the workloads they leave free are looked up (in a re-plan most
            // workloads had a placement and are pinned; the plan was scanned whole three times per pass).
            foreach (var name in free)
            {
                if (plan.Placements[name].Copies.Length == 1 && !moved.ContainsKey(name))
                {
                    list.Add(name);
                }
            }

            return list;
        }

        foreach (var (name, placement) in plan.Placements)
        {
            if (placement.Copies.Length == 1 && !moved.ContainsKey(name) && !Pinned(spec, previous, greedy.Placements[name], placement) &&
                (placement.Policy is not { } policy || !spec.Policies.TryGetValue(policy, out var p) || p.GroupByLabelKey is null))
            {
                list.Add(name);
            }
        }

        return list;
    }

    /// <summary>
    /// The workloads, by name, that <see cref="Movable"/> may list whatever the plan: neither pinned by the greedy plan, the
    /// previous plan or their policy (<see cref="Pinned"/> with a single copy after), nor groupBy members.
    /// </summary>
    internal static List<string> FreeToMove(FleetSpec spec, FleetPlan? previous, FleetPlan greedy)
    {
        var list = new List<string>();
        foreach (var (name, before) in greedy.Placements)
        {
            if (before.Copies.Length == 1 && !Pinned(spec, previous, before, before) &&
                (before.Policy is not { } policy || !spec.Policies.TryGetValue(policy, out var p) || p.GroupByLabelKey is null))
            {
                list.Add(name);
            }
        }

        return list;
    }

    private static bool Pinned(FleetSpec spec, FleetPlan? previous, WorkloadPlacement before, WorkloadPlacement after) =>
        before.Copies.Length != 1 || after.Copies.Length != 1 ||
        (previous is not null && previous.Placements.TryGetValue(before.Workload, out var was) && was.IsPlaced) ||
        (before.Policy is { } policy && spec.Policies.TryGetValue(policy, out var p) &&
         (p.Spread is not null || p.OrderedClusterSelector is not null));

    /// <summary>Pools, by cluster then pool name, that run more nodes in the trial than in the plan and are not closed.</summary>
    private static List<(string Cluster, string Pool)> Gained(FleetPlan plan, FleetPlan trial, List<(string Cluster, string Pool)> closed)
    {
        // Asked after every trial of a chain: pools are matched and ordered in place (a sorted copy and a lambda per pool
        // were a large share of what the pass allocated besides its trials).
        var list = new List<(string Cluster, string Pool)>();
        foreach (var (name, cluster) in trial.Clusters)
        {
            var before = plan.Clusters[name].Pools;
            var start = list.Count;
            foreach (var pool in cluster.Pools)
            {
                var was = PoolNamed(before, pool.Pool);
                if (pool.DesiredNodes > was.DesiredNodes && !closed.Contains((name, pool.Pool)))
                {
                    list.Add((name, pool.Pool));
                }
            }

            SortByPool(list, start);
        }

        return list;
    }

    /// <summary>The first pool of that name (as <c>First</c>: throws when there is none, which a plan of the same fleet never gives).</summary>
    private static NodePoolPlan PoolNamed(ImmutableArray<NodePoolPlan> pools, string name)
    {
        foreach (var pool in pools)
        {
            if (string.Equals(pool.Pool, name, StringComparison.Ordinal))
            {
                return pool;
            }
        }

        throw new InvalidOperationException($"no pool '{name}' in the plan");
    }

    /// <summary>
    /// Sorts the entries from <paramref name="start"/> on by pool name, ordinal, keeping the order of equal names (as a
    /// stable <c>OrderBy</c> would; an insertion sort: a cluster has a few pools).
    /// </summary>
    internal static void SortByPool(List<(string Cluster, string Pool)> list, int start)
    {
        for (var i = start + 1; i < list.Count; i++)
        {
            var item = list[i];
            var j = i - 1;
            while (j >= start && string.CompareOrdinal(list[j].Pool, item.Pool) > 0)
            {
                list[j + 1] = list[j];
                j--;
            }

            list[j + 1] = item;
        }
    }

    /// <summary>True when the trial changes nothing the pass must not change (see the type's remarks).</summary>
    private static bool Keeps(FleetSpec spec, FleetPlan? previous, FleetPlan greedy, FleetPlan trial)
    {
        if (!trial.Diagnostics.SequenceEqual(greedy.Diagnostics))
        {
            return false;
        }

        foreach (var (name, before) in greedy.Placements)
        {
            if (!before.IsPlaced)
            {
                continue;
            }

            if (!trial.Placements.TryGetValue(name, out var after) || !after.IsPlaced)
            {
                return false;
            }

            var pinned = Pinned(spec, previous, before, after);
            if (pinned)
            {
                if (!SameCopies(before.Copies, after.Copies))
                {
                    return false;
                }

                continue;
            }

            if (after.Copies[0].Tier > before.Copies[0].Tier)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameCopies(ImmutableArray<WorkloadCopy> a, ImmutableArray<WorkloadCopy> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!SameCopy(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameCopy(WorkloadCopy a, WorkloadCopy b) =>
        string.Equals(a.Cluster, b.Cluster, StringComparison.Ordinal) &&
        a.Tier == b.Tier &&
        SameEntries(a.GroupPools, b.GroupPools) &&
        SameEntries(a.WorkerReplicas, b.WorkerReplicas);

    /// <summary>
    /// <c>SequenceEqual</c> of two maps' entries (keys ordinal, values by their default equality, in order), without boxing
    /// the enumerators and every entry: <see cref="Keeps"/> asks it for each pinned copy of every trial.
    /// </summary>
    internal static bool SameEntries<TValue>(ImmutableSortedDictionary<string, TValue> a, ImmutableSortedDictionary<string, TValue> b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        if (a.Count == 0)
        {
            return true;
        }

        if (ReferenceEquals(b.KeyComparer, StringComparer.Ordinal))
        {
            // As many keys on both sides, each of a's found in b (ordinal keys) with the same value: the same entries. One
            // enumerator, not two: an immutable sorted dictionary's enumerator rents a stack from a pool, and this ran for every
            // copy of every re-plan.
            foreach (var (key, value) in a)
            {
                if (!b.TryGetValue(key, out var other) || !EqualityComparer<TValue>.Default.Equals(value, other))
                {
                    return false;
                }
            }

            return true;
        }

        using var x = a.GetEnumerator();
        using var y = b.GetEnumerator();
        while (x.MoveNext())
        {
            if (!y.MoveNext() || !string.Equals(x.Current.Key, y.Current.Key, StringComparison.Ordinal) ||
                !EqualityComparer<TValue>.Default.Equals(x.Current.Value, y.Current.Value))
            {
                return false;
            }
        }

        return !y.MoveNext();
    }

    /// <summary>Adds to the chosen verdict of every moved workload why it moved.</summary>
    private static FleetPlan Explain(FleetPlan greedy, FleetPlan best)
    {
        var saved = (greedy.HourlyCost - best.HourlyCost).ToString("0.00", CultureInfo.InvariantCulture);
        var placements = best.Placements.ToBuilder();
        foreach (var (name, after) in best.Placements)
        {
            if (!greedy.Placements.TryGetValue(name, out var before) || !before.IsPlaced || SameCopies(before.Copies, after.Copies))
            {
                continue;
            }

            var from = before.Copies[0];
            var closes = new List<string>();
            foreach (var poolName in from.GroupPools.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                var was = greedy.Clusters[from.Cluster].Pools.FirstOrDefault(p => p.Pool == poolName);
                var now = best.Clusters[from.Cluster].Pools.FirstOrDefault(p => p.Pool == poolName);
                if (was is not null && now is not null && now.DesiredNodes < was.DesiredNodes)
                {
                    closes.Add($"closes {was.DesiredNodes - now.DesiredNodes} node(s) of pool '{poolName}' on '{from.Cluster}'");
                }
            }

            var why = $"moved by {Name} from '{from.Cluster}' ({string.Join(", ", from.GroupPools.Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(p => $"pool '{p}'"))}): " +
                $"{(closes.Count == 0 ? "re-packs the plan" : string.Join(", ", closes))}, plan −${saved}/h";
            var to = after.Copies[0].Cluster;
            var verdicts = after.Verdicts.Select(v => v.Accepted && string.Equals(v.Cluster, to, StringComparison.Ordinal)
                ? v with { Reason = $"{v.Reason}; {why}" }
                : v).ToImmutableArray();
            placements[name] = after with { Verdicts = verdicts };
        }

        return best with { Placements = placements.ToImmutable() };
    }
}
