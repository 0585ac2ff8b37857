using System.Runtime.CompilerServices;
using System.Collections.Immutable;
using SkyRay.Fleet.Policies;
using SkyRay.Placement.Capacity;
using SkyRay.Placement.Explain;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline.Filters;
using SkyRay.Placement.Pipeline.Scoring;
using SkyRay.Placement.Pipeline.Selection;
using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Pipeline;

/// <summary>
/// Filter → score → select, kube-scheduler style. Cluster filters run once per policy (see <see cref="PolicyScope"/>),
/// unit filters and the capacity fit per candidate, scorers rank what passed, a selection (single cluster,
/// Duplicate, Divide) decides the copies. Holds the capacity of one plan run; not thread-safe.
/// </summary>
internal sealed class PlacementPipeline
{
    private readonly Dictionary<string, ImmutableArray<ClusterVerdict>> _unplacedVerdicts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _shapeIds = new(StringComparer.Ordinal);
    private readonly List<ulong[]> _failed = [];
    private readonly List<Memo[]?> _memos = [];
    private readonly int _memoShapes;
    private readonly Dictionary<string, ulong[]> _combinedFilterBits = new(StringComparer.Ordinal);
    private readonly Dictionary<(PolicyScope, int), Ranking> _rankings = [];
    private readonly Dictionary<(string Group, int), ImmutableSortedDictionary<string, int>> _workerMaps = [];
    private readonly Dictionary<(string, int, string, int), ImmutableSortedDictionary<string, string>> _poolMaps = [];
    private readonly Dictionary<(long, long, int, string?), int> _groupShapeIds = [];
    private readonly List<int[]> _groupFailsFrom = [];
    private readonly Dictionary<(int, string), ulong[]> _unitFilterPasses = [];
    private readonly Dictionary<(bool, int, LaunchTier, decimal), string> _chosenReasons = [];
    private readonly Dictionary<(string, int), ClusterVerdict> _sharedVerdicts = [];
    private readonly Dictionary<(string, string, int), ClusterVerdict> _gpuVerdicts = [];
    private readonly Dictionary<PlacementUnit, string> _verdictKeys = [];
    private ClusterVerdict[]? _capacityVerdicts;
    private ClusterVerdict[]? _divideVerdicts;

    public PlacementPipeline(PlanModel model, PlanOptions options)
    {
        Model = model;
        Options = options;
        State = new CapacityState(model);
        Packer = new UnitPacker(State);
        Cheapest = [.. model.Clusters.Select(c => c.CheapestNode)];
        // Memo tables are shapes × clusters; bound them to about four million entries.
        _memoShapes = Math.Max(64, 4_000_000 / Math.Max(1, model.Clusters.Length));
    }

    /// <summary>Filters decided per policy and cluster, in the order they are checked.</summary>
    public static ImmutableArray<IClusterFilter> ClusterFilters { get; } =
        [new NodePoolsFilter(), new ClusterSelectorFilter(), new OrderedClusterSelectorFilter(), new TopologyKeyFilter()];

    /// <summary>Filters decided per unit and cluster, before the capacity fit.</summary>
    public static ImmutableArray<IUnitFilter> UnitFilters { get; } = [new GpuTypeFilter()];

    /// <summary>
    /// Scorers in priority order. The search's early exits rely on this order
    /// (stickiness, then priority rank, then launch tier, then cost, then name).
    /// </summary>
    public static ImmutableArray<IScorer> Scorers { get; } =
        [new StickinessScorer(), new PriorityScorer(), new LaunchTierScorer(), new CostScorer(), new ClusterNameScorer()];

    /// <summary>Name of the capacity filter in explanations.</summary>
    public const string CapacityFilterName = "capacity";

    public PlanModel Model { get; }

    public PlanOptions Options { get; }

    public CapacityState State { get; }

    public UnitPacker Packer { get; }

    /// <summary>Per cluster, the price of the cheapest node it could add.</summary>
    private decimal[] Cheapest { get; }

    public static ISelection SelectionFor(SchedulePolicy? policy) => policy?.Spread?.Mode switch
    {
        SpreadMode.Duplicate => DuplicateSelection.Instance,
        SpreadMode.Divide => DivideSelection.Instance,
        _ => SingleClusterSelection.Instance,
    };

    public static int Compare(in Candidate a, in Candidate b)
    {
        foreach (var scorer in Scorers)
        {
            var c = scorer.Compare(a, b);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    /// <summary>
    /// A number for display that orders candidates like the scorers do in practice (lower is better):
    /// 10000 unless it is the current cluster, + 1000 per priority rank, + 100 per launch tier, + the cost per hour.
    /// The decision itself compares the scorers one by one, never this sum.
    /// </summary>
    public static double ScoreOf(in Candidate c) =>
        Math.Round((c.Sticky ? 0 : 10_000) + (c.Rank * 1_000) + ((int)c.Tier * 100) + (double)c.Cost, 4);

    /// <summary>
    /// A small id for a demand (see <see cref="PlacementUnit.DemandKey"/>). Capacity only shrinks while a plan is
    /// built, so once a demand did not fit a cluster it is not tried there again: a full fleet costs one bit test
    /// per cluster instead of a packing attempt.
    /// </summary>
    public int ShapeId(string demandKey)
    {
        if (!_shapeIds.TryGetValue(demandKey, out var id))
        {
            id = _shapeIds.Count;
            _shapeIds[demandKey] = id;
            _failed.Add(new ulong[(Model.Clusters.Length + 63) / 64]);
            _memos.Add(id < _memoShapes ? new Memo[Model.Clusters.Length] : null);
        }

        return id;
    }

    /// <summary>
    /// Every candidate of a policy ranked for one demand, kept across workloads: a heap ordered like the scorers
    /// (priority rank, launch tier, cost, name). Capacity changes one cluster at a time, so each query re-packs only
    /// the clusters committed since the last one and drops heap entries of older cluster versions. The answer is the
    /// same as scanning every candidate.
    /// </summary>
    private sealed class Ranking
    {
        /// <summary>Entries are exact fits, or lower bounds (<c>Exact</c> false) packed only when they reach the top.</summary>
        public PriorityQueue<(int Cluster, int Version, bool Exact), (int Rank, LaunchTier Tier, decimal Cost, int Cluster)> Heap { get; } = new(KeyOrder.Instance);

        public int Seen { get; set; }
    }

    /// <summary>The scorers' order for same-stickiness candidates: rank, launch tier, cost, name (index).</summary>
    private sealed class KeyOrder : IComparer<(int Rank, LaunchTier Tier, decimal Cost, int Cluster)>
    {
        public static KeyOrder Instance { get; } = new();

        public int Compare((int Rank, LaunchTier Tier, decimal Cost, int Cluster) x, (int Rank, LaunchTier Tier, decimal Cost, int Cluster) y)
        {
            if (x.Rank != y.Rank)
            {
                return x.Rank < y.Rank ? -1 : 1;
            }

            if (x.Tier != y.Tier)
            {
                return x.Tier < y.Tier ? -1 : 1;
            }

            var cost = decimal.Compare(x.Cost, y.Cost);
            return cost != 0 ? cost : x.Cluster.CompareTo(y.Cluster);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryFindRanked(PlacementUnit unit, ReadOnlySpan<int> counts, int shape, PolicyScope scope, Span<int> chosen, out Candidate best)
    {
        var (cpu, mem, gpu) = unit.Totals(counts);
        if (!_rankings.TryGetValue((scope, shape), out var ranking))
        {
            ranking = new Ranking { Seen = State.ChangeCount };
            _rankings[(scope, shape)] = ranking;
            foreach (var c in scope.Candidates)
            {
                Rank(ranking, unit, counts, shape, scope, c, cpu, mem, gpu, chosen);
            }
        }
        else
        {
            for (var i = ranking.Seen; i < State.ChangeCount; i++)
            {
                var c = State.ChangedCluster(i);
                if (scope.CandidateSet[c])
                {
                    Rank(ranking, unit, counts, shape, scope, c, cpu, mem, gpu, chosen);
                }
            }

            ranking.Seen = State.ChangeCount;
        }

        while (ranking.Heap.TryPeek(out var entry, out var key))
        {
            if (entry.Version != State.Version(entry.Cluster))
            {
                ranking.Heap.Dequeue();
                continue;
            }

            if (entry.Exact)
            {
                best = new Candidate(entry.Cluster, false, key.Rank, key.Tier, key.Cost);
                return true;
            }

            // A lower bound reached the top: pack for real; every other entry is at least this bound.
            ranking.Heap.Dequeue();
            var c = entry.Cluster;
            var fit = EvaluateOnce(unit, counts, shape, Model.Clusters[c], chosen);
            if (!fit.Ok)
            {
                Remember(unit, counts, shape, Model.Clusters[c], fit);
                continue;
            }

            ranking.Heap.Enqueue((c, entry.Version, true), (key.Rank, fit.Tier, fit.Cost, c));
        }

        best = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Rank(Ranking ranking, PlacementUnit unit, ReadOnlySpan<int> counts, int shape, PolicyScope scope, int c, long cpu, long mem, long gpu, Span<int> chosen)
    {
        var cluster = Model.Clusters[c];
        if (KnownNotToFit(shape, c) || !State.MayFit(c, cpu, mem, gpu) || !PassesUnitFilters(unit, cluster) || GroupKnownNotToFit(unit, counts, c))
        {
            return;
        }

        var version = State.Version(c);
        if (TryMemo(unit, shape, c, out var known))
        {
            if (known.Ok)
            {
                ranking.Heap.Enqueue((c, version, true), (scope.Rank[c], known.Tier, known.Cost, c));
            }

            return;
        }

        // Lower bound of launch tier and cost from the totals alone; packing waits until it matters.
        LaunchTier tier;
        decimal cost;
        if (cluster.ActiveAtStart)
        {
            tier = State.MayFitRunning(c, cpu, mem, gpu) ? LaunchTier.RunningNodes : LaunchTier.ScaleUp;
            cost = State.MayFitFree(c, cpu, mem, gpu) ? 0m : Cheapest[c];
        }
        else
        {
            tier = cluster.StartTier;
            cost = State.IsActive(c)
                ? (State.MayFitFree(c, cpu, mem, gpu) ? 0m : Cheapest[c])
                : (cluster.MinNodesCost > 0m ? cluster.MinNodesCost : Cheapest[c]);
        }

        ranking.Heap.Enqueue((c, version, false), (scope.Rank[c], tier, cost, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryMemo(PlacementUnit unit, int shape, int cluster, out Fit fit)
    {
        var memos = _memos[shape];
        if (memos is not null && memos[cluster].Version == State.Version(cluster) + 1 && !State.IsDirty(cluster) &&
            (unit.PreviousClusters.Length == 0 || !unit.HadCopyOn(Model.Clusters[cluster].Name)))
        {
            fit = memos[cluster].Fit;
            return true;
        }

        fit = default;
        return false;
    }

    /// <summary>Lower bounds: true when the cluster cannot beat <paramref name="best"/> whatever packing finds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool CannotBeat(PlanCluster cluster, long cpu, long mem, long gpu, in Candidate best)
    {
        var c = cluster.Index;
        if (cluster.ActiveAtStart)
        {
            // Only a running-nodes fit can beat a free scale-up found earlier.
            if (best.Tier == LaunchTier.ScaleUp && best.Cost == 0m && !State.MayFitRunning(c, cpu, mem, gpu))
            {
                return true;
            }

            // A scale-up that needs a new node costs at least the cheapest node; equal cost loses on name.
            return best.Tier == LaunchTier.ScaleUp && !State.MayFitFree(c, cpu, mem, gpu) && Cheapest[c] >= best.Cost;
        }

        // What bringing this cluster up (or growing it) adds must beat the best, or tie it with an earlier name.
        var bound = State.IsActive(c)
            ? (State.MayFitFree(c, cpu, mem, gpu) ? 0m : Cheapest[c])
            : (cluster.MinNodesCost > 0m ? cluster.MinNodesCost : Cheapest[c]);
        return bound > best.Cost || (bound == best.Cost && c > best.Cluster);
    }

    /// <summary>A fit remembered with the cluster version it was computed against.</summary>
    private struct Memo
    {
        public int Version;
        public Fit Fit;
    }

    /// <summary>
    /// Packs the unit onto the cluster without keeping it, reusing the answer for the same demand when the
    /// cluster's committed capacity has not changed since (most clusters do not change between two workloads).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Fit EvaluateOnce(PlacementUnit unit, ReadOnlySpan<int> counts, int shape, PlanCluster cluster, Span<int> chosen)
    {
        var memos = _memos[shape];
        var usable = memos is not null && !State.IsDirty(cluster.Index) && !unit.HadCopyOn(cluster.Name);
        var version = State.Version(cluster.Index) + 1;
        if (usable && memos![cluster.Index].Version == version)
        {
            return memos[cluster.Index].Fit;
        }

        var fit = Packer.Evaluate(unit, counts, cluster, keep: false, chosen);
        if (usable)
        {
            memos![cluster.Index] = new Memo { Version = version, Fit = fit };
        }

        return fit;
    }

    private bool KnownNotToFit(int shape, int cluster) => (_failed[shape][cluster >> 6] & (1UL << (cluster & 63))) != 0;

    /// <summary>
    /// Per pod shape and cluster, the smallest pod count known not to fit. A group packed first (on a cluster
    /// untouched by the unit) that fails proves that count of that shape never fits there again: first-fit packs
    /// identical pods optimally, every eligible pool is tried, and capacity only shrinks.
    /// </summary>
    private bool GroupKnownNotToFit(PlacementUnit unit, ReadOnlySpan<int> counts, int cluster)
    {
        var ids = GroupShapeIds(unit);
        for (var g = 0; g < ids.Length; g++)
        {
            if (counts[g] > 0 && _groupFailsFrom[ids[g]][cluster] <= counts[g])
            {
                return true;
            }
        }

        return false;
    }

    private void Remember(PlacementUnit unit, ReadOnlySpan<int> counts, int shape, PlanCluster cluster, in Fit fit)
    {
        MarkNotFitting(unit, shape, cluster);
        if (fit.FailedGroup >= 0 && fit.FailedGroup == unit.PackOrder[0])
        {
            ref var from = ref _groupFailsFrom[GroupShapeIds(unit)[fit.FailedGroup]][cluster.Index];
            from = Math.Min(from, counts[fit.FailedGroup]);
        }
    }

    private int[] GroupShapeIds(PlacementUnit unit)
    {
        if (unit.ShapeIds is { } known)
        {
            return known;
        }

        var ids = new int[unit.Groups.Length];
        for (var g = 0; g < ids.Length; g++)
        {
            var group = unit.Groups[g];
            var key = (group.Cpu, group.Mem, group.Gpu, group.GpuType);
            if (!_groupShapeIds.TryGetValue(key, out var id))
            {
                id = _groupShapeIds.Count;
                _groupShapeIds[key] = id;
                var from = new int[Model.Clusters.Length];
                Array.Fill(from, int.MaxValue);
                _groupFailsFrom.Add(from);
            }

            ids[g] = id;
        }

        unit.ShapeIds = ids;
        return ids;
    }

    private void MarkNotFitting(PlacementUnit unit, int shape, PlanCluster cluster)
    {
        // A previous pool preference changes how a unit packs there, so only preference-free failures are remembered.
        if (!unit.HadCopyOn(cluster.Name))
        {
            _failed[shape][cluster.Index >> 6] |= 1UL << (cluster.Index & 63);
        }
    }

    /// <summary>True when the unit's previous cluster is still a candidate and it still fits there.</summary>
    public bool CanStay(PlacementUnit unit, int sticky)
    {
        if (sticky < 0)
        {
            return false;
        }

        var cluster = Model.Clusters[sticky];
        if (!PassesUnitFilters(unit, cluster))
        {
            return false;
        }

        Span<int> chosen = stackalloc int[unit.Groups.Length];
        return Packer.Evaluate(unit, unit.BaseCounts, cluster, keep: false, chosen).Ok;
    }

    /// <summary>The first cluster the unit had a copy on that is a candidate in <paramref name="candidates"/>, or -1.</summary>
    public int StickyCluster(PlacementUnit unit, int[] candidates, PolicyScope scope, string? domain)
    {
        foreach (var name in unit.PreviousClusters)
        {
            if (Model.ByName.TryGetValue(name, out var c) && scope.CandidateSet[c] &&
                (domain is null || string.Equals(scope.Domain[c], domain, StringComparison.Ordinal)) &&
                Array.IndexOf(candidates, c) >= 0)
            {
                return c;
            }
        }

        return -1;
    }

    /// <summary>
    /// Finds the best cluster among <paramref name="candidates"/> (in rank, start tier order; see <see cref="PolicyScope.Candidates"/>).
    /// Exact with early exits: the sticky cluster first; within a rank a running-nodes fit ends the search (active
    /// clusters come in name order, and nothing beats tier 0 at cost 0 with an earlier name); a found fit ends the
    /// search at the next rank; a cluster whose start tier is slower than the best so far ends it too; a cluster
    /// whose cheapest possible addition cannot beat the best is skipped. With <paramref name="trace"/> every
    /// candidate is evaluated (for --explain) and the result is the same.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryFind(PlacementUnit unit, ReadOnlySpan<int> counts, int shape, int[] candidates, PolicyScope scope, int sticky, List<Traced>? trace, out Candidate best)
    {
        best = default;
        var found = false;
        var (cpu, mem, gpu) = unit.Totals(counts);
        Span<int> chosen = stackalloc int[unit.Groups.Length];
        if (trace is not null)
        {
            foreach (var c in candidates)
            {
                var candidate = Try(unit, counts, shape, c, scope, c == sticky, chosen, out var reject);
                trace.Add(new Traced(c, candidate, reject));
                if (candidate is { } ok && (!found || Compare(ok, best) < 0))
                {
                    best = ok;
                    found = true;
                }
            }

            return found;
        }

        if (sticky >= 0 && Try(unit, counts, shape, sticky, scope, true, chosen, out _) is { } stay)
        {
            best = stay;
            return true;
        }

        if (sticky < 0 && unit.PreviousClusters.Length == 0 && ReferenceEquals(candidates, scope.Candidates) && _memos[shape] is not null)
        {
            return TryFindRanked(unit, counts, shape, scope, chosen, out best);
        }

        var i = 0;
        while (i < candidates.Length)
        {
            var rank = scope.Rank[candidates[i]];
            var end = i;
            while (end < candidates.Length && scope.Rank[candidates[end]] == rank)
            {
                end++;
            }

            for (var k = i; k < end; k++)
            {
                var c = candidates[k];
                if (c == sticky)
                {
                    continue;
                }

                var cluster = Model.Clusters[c];
                if (found && cluster.StartTier > best.Tier)
                {
                    break;
                }

                // A remembered answer for this demand on an unchanged cluster decides at once.
                if (!TryMemo(unit, shape, c, out var fit))
                {
                    if (found && CannotBeat(cluster, cpu, mem, gpu, best))
                    {
                        continue;
                    }

                    if (KnownNotToFit(shape, c) || !State.MayFit(c, cpu, mem, gpu) || !PassesUnitFilters(unit, cluster) ||
                        GroupKnownNotToFit(unit, counts, c))
                    {
                        continue;
                    }

                    fit = EvaluateOnce(unit, counts, shape, cluster, chosen);
                    if (!fit.Ok)
                    {
                        Remember(unit, counts, shape, cluster, fit);
                        continue;
                    }
                }
                else if (!fit.Ok)
                {
                    continue;
                }

                // Same rank, not sticky: the scorers reduce to launch tier, then cost, then name.
                if (!found || fit.Tier < best.Tier || (fit.Tier == best.Tier && (fit.Cost < best.Cost || (fit.Cost == best.Cost && c < best.Cluster))))
                {
                    best = new Candidate(c, false, rank, fit.Tier, fit.Cost);
                    found = true;
                }

                if (best.Tier == LaunchTier.RunningNodes)
                {
                    break;
                }
            }

            if (found)
            {
                return true;
            }

            i = end;
        }

        return false;
    }

    /// <summary>Takes the capacity of a copy on the chosen cluster and records the members' copies.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddCopies(PlacementUnit unit, ReadOnlySpan<int> counts, in Candidate candidate, string? domain, UnitOutcome outcome)
    {
        var cluster = Model.Clusters[candidate.Cluster];
        Span<int> chosen = stackalloc int[unit.Groups.Length];
        var fit = Packer.Evaluate(unit, counts, cluster, keep: true, chosen);
        if (!fit.Ok)
        {
            throw new InvalidOperationException($"placement of '{unit.Name}' on '{cluster.Name}' no longer fits; the search and the commit disagree");
        }

        for (var m = 0; m < unit.Members.Length; m++)
        {
            var first = -1;
            var last = -1;
            var cost = 0m;
            for (var g = 0; g < unit.Groups.Length; g++)
            {
                var group = unit.Groups[g];
                if (group.Member != m)
                {
                    continue;
                }

                first = first < 0 ? g : first;
                last = g;
                cost += ShareCost(Model.Pools[chosen[g]], group, counts[g]);
            }

            var member = unit.Members[m];
            outcome.Copies[m].Add(new WorkloadCopy(
                member.Name,
                cluster.Name,
                WorkerReplicas(unit, counts, first, last),
                GroupPools(unit, chosen, first, last),
                DomainOverrides(unit.Scope.Policy, domain, member),
                fit.Tier,
                Math.Round(cost, 4)));
        }

        outcome.Chosen.Add(new Traced(candidate.Cluster, candidate with { Tier = fit.Tier }, null));
        outcome.ChosenDomains.Add(domain);
    }

    /// <summary>Turns a search trace into verdicts (explain mode).</summary>
    public void Explain(List<Traced> trace, Candidate? winner, string? domain, ClusterVerdict?[] into)
    {
        var prefix = domain is null ? string.Empty : $"domain {domain}: ";
        foreach (var t in trace)
        {
            var name = Model.Clusters[t.Cluster].Name;
            if (t.Candidate is not { } c)
            {
                into[t.Cluster] = new ClusterVerdict(name, false, null, prefix + t.Reject);
                continue;
            }

            var chosen = winner is { } w && w.Cluster == c.Cluster;
            into[t.Cluster] = new ClusterVerdict(name, true, ScoreOf(c), prefix + AcceptedReason(c, chosen ? null : winner));
        }
    }

    /// <summary>Verdict of a cluster a copy was placed on.</summary>
    public ClusterVerdict ChosenVerdict(in Candidate c)
    {
        // Many copies share the same facts; one string serves them all.
        var key = (c.Sticky, c.Rank, c.Tier, c.Cost);
        if (!_chosenReasons.TryGetValue(key, out var reason))
        {
            reason = AcceptedReason(c, null);
            _chosenReasons[key] = reason;
        }

        return new ClusterVerdict(Model.Clusters[c.Cluster].Name, true, ScoreOf(c), reason);
    }

    /// <summary>
    /// A verdict for every cluster of a unit that could not be placed, against the capacity left at the end of the
    /// plan (capacity only shrinks while planning, so what did not fit then does not fit now). Units with the same
    /// policy and demand share one array. With <paramref name="detailed"/> each capacity reason names the group and
    /// every pool's room; without it (huge plans) the capacity reason is one shared sentence per demand, so a plan
    /// with tens of thousands of unplaced workloads stays small. Filter reasons are always exact.
    /// </summary>
    public ImmutableArray<ClusterVerdict> UnplacedVerdicts(PlacementUnit unit, bool detailed)
    {
        var key = VerdictKey(unit);
        if (_unplacedVerdicts.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var verdicts = ImmutableArray.CreateBuilder<ClusterVerdict>(Model.Clusters.Length);
        string? shared = null;
        foreach (var cluster in Model.Clusters)
        {
            if (detailed)
            {
                verdicts.Add(new ClusterVerdict(cluster.Name, false, null, UnplacedReasonFor(unit, cluster)));
                continue;
            }

            verdicts.Add(TerseVerdict(unit, cluster, ref shared));
        }

        var result = verdicts.MoveToImmutable();
        _unplacedVerdicts[key] = result;
        return result;
    }

    /// <summary>Number of distinct verdict arrays <see cref="UnplacedVerdicts"/> would build for these units.</summary>
    public int DistinctVerdictSets(IEnumerable<PlacementUnit> units) =>
        units.Select(VerdictKey).Distinct(StringComparer.Ordinal).Count();

    private ClusterVerdict TerseVerdict(PlacementUnit unit, PlanCluster cluster, ref string? shared)
    {
        if (unit.Problem is not null)
        {
            return new ClusterVerdict(cluster.Name, false, null, shared ??= $"not considered: {unit.Problem}");
        }

        // Verdict objects are shared between demands wherever the words do not depend on the demand.
        if (unit.Scope.Rejections[cluster.Index] is { } rejected)
        {
            var scopeKey = (unit.Scope.Name ?? string.Empty, cluster.Index);
            if (!_sharedVerdicts.TryGetValue(scopeKey, out var verdict))
            {
                verdict = new ClusterVerdict(cluster.Name, false, null, rejected);
                _sharedVerdicts[scopeKey] = verdict;
            }

            return verdict;
        }

        foreach (var filter in UnitFilters)
        {
            if (!filter.Passes(unit, cluster))
            {
                var gpuKey = (filter.Name, unit.GpuKey, cluster.Index);
                if (!_gpuVerdicts.TryGetValue(gpuKey, out var verdict))
                {
                    verdict = new ClusterVerdict(cluster.Name, false, null, $"skipped by {filter.Name}: {filter.Explain(unit, cluster)}");
                    _gpuVerdicts[gpuKey] = verdict;
                }

                return verdict;
            }
        }

        if (unit.Scope.Policy?.Spread?.Mode == SpreadMode.Divide)
        {
            _divideVerdicts ??= [.. Model.Clusters.Select(c => new ClusterVerdict(c.Name, false, null, "skipped: the Divide shares could not all be placed (see the unplaced reason)"))];
            return _divideVerdicts[cluster.Index];
        }

        _capacityVerdicts ??= [.. Model.Clusters.Select(c => new ClusterVerdict(
            c.Name,
            false,
            null,
            $"skipped by {CapacityFilterName}: not enough room left for the workload's pods (the unplaced reason lists them; plan a smaller stack or use --explain for each pool's room)"))];
        return _capacityVerdicts[cluster.Index];
    }

    /// <summary>Why a unit cannot go to one cluster: a cluster filter, a unit filter, or capacity.</summary>
    public string? RejectReason(PlacementUnit unit, ReadOnlySpan<int> counts, PlanCluster cluster)
    {
        if (unit.Scope.Rejections[cluster.Index] is { } rejected)
        {
            return rejected;
        }

        foreach (var filter in UnitFilters)
        {
            if (!filter.Passes(unit, cluster))
            {
                return $"skipped by {filter.Name}: {filter.Explain(unit, cluster)}";
            }
        }

        Span<int> chosen = stackalloc int[unit.Groups.Length];
        return Packer.Evaluate(unit, counts, cluster, keep: false, chosen).Ok
            ? null
            : $"skipped by {CapacityFilterName}: {VerdictText.CapacityFailure(Packer, unit, counts, cluster)}";
    }

    private string UnplacedReasonFor(PlacementUnit unit, PlanCluster cluster)
    {
        if (unit.Problem is not null)
        {
            return $"not considered: {unit.Problem}";
        }

        return RejectReason(unit, unit.BaseCounts, cluster)
            ?? "passes every filter with the capacity left, but the workload as a whole could not be placed (see its unplaced reason)";
    }

    private Candidate? Try(PlacementUnit unit, ReadOnlySpan<int> counts, int shape, int c, PolicyScope scope, bool sticky, Span<int> chosen, out string? reject)
    {
        var cluster = Model.Clusters[c];
        reject = null;
        foreach (var filter in UnitFilters)
        {
            if (!filter.Passes(unit, cluster))
            {
                if (Options.Explain)
                {
                    reject = $"skipped by {filter.Name}: {filter.Explain(unit, cluster)}";
                }

                return null;
            }
        }

        var fit = KnownNotToFit(shape, c) || GroupKnownNotToFit(unit, counts, c)
            ? new Fit(false, cluster.StartTier, 0m, -1)
            : EvaluateOnce(unit, counts, shape, cluster, chosen);
        if (!fit.Ok)
        {
            Remember(unit, counts, shape, cluster, fit);
            if (Options.Explain)
            {
                reject = $"skipped by {CapacityFilterName}: {VerdictText.CapacityFailure(Packer, unit, counts, cluster)}";
            }

            return null;
        }

        return new Candidate(c, sticky, scope.Rank[c], fit.Tier, fit.Cost);
    }

    /// <summary>Unit filters answer the same for every unit with the same <see cref="IUnitFilter.CacheKey"/>, so each answer is a bit.</summary>
    private bool PassesUnitFilters(PlacementUnit unit, PlanCluster cluster)
    {
        // The combined answer of every unit filter, kept on the unit: one bit test per candidate.
        var combined = unit.FilterBits ??= CombinedFilterBits(unit);
        return (combined[cluster.Index >> 6] & (1UL << (cluster.Index & 63))) != 0;
    }

    private ulong[] CombinedFilterBits(PlacementUnit unit)
    {
        var key = string.Concat(UnitFilters.Select(f => f.CacheKey(unit) + "|"));
        if (_combinedFilterBits.TryGetValue(key, out var known))
        {
            return known;
        }

        var combined = new ulong[(Model.Clusters.Length + 63) / 64];
        _combinedFilterBits[key] = combined;
        Array.Fill(combined, ulong.MaxValue);
        foreach (var cluster in Model.Clusters)
        {
            if (!PassesUnitFiltersUncached(unit, cluster))
            {
                combined[cluster.Index >> 6] &= ~(1UL << (cluster.Index & 63));
            }
        }

        return combined;
    }

    private bool PassesUnitFiltersUncached(PlacementUnit unit, PlanCluster cluster)
    {
        for (var f = 0; f < UnitFilters.Length; f++)
        {
            var filter = UnitFilters[f];
            if (filter.CacheKey(unit) is not { } key)
            {
                continue;
            }

            if (!_unitFilterPasses.TryGetValue((f, key), out var bits))
            {
                bits = new ulong[(Model.Clusters.Length + 63) / 64];
                foreach (var c in Model.Clusters)
                {
                    if (filter.Passes(unit, c))
                    {
                        bits[c.Index >> 6] |= 1UL << (c.Index & 63);
                    }
                }

                _unitFilterPasses[(f, key)] = bits;
            }

            if ((bits[cluster.Index >> 6] & (1UL << (cluster.Index & 63))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    private string AcceptedReason(in Candidate c, Candidate? winner)
    {
        var facts = $"{LaunchTierScorer.Words(c.Tier)}, +{CostScorer.Money(c.Cost)}";
        if (c.Rank > 0)
        {
            facts += $", priority rank {c.Rank + 1}";
        }

        if (c.Sticky)
        {
            facts += ", current cluster";
        }

        if (winner is not { } w)
        {
            return "selected: " + facts;
        }

        var decidedBy = "name";
        foreach (var scorer in Scorers)
        {
            if (scorer.Compare(w, c) != 0)
            {
                decidedBy = scorer.Name;
                break;
            }
        }

        return $"passes, not chosen ({decidedBy} prefers {Model.Clusters[w.Cluster].Name}): {facts}";
    }

    /// <summary>
    /// The worker counts of one member's copy. Copies of small workloads share equal dictionaries (a plan of
    /// 100,000 workloads would otherwise build 100,000 near-identical ones).
    /// </summary>
    private ImmutableSortedDictionary<string, int> WorkerReplicas(PlacementUnit unit, ReadOnlySpan<int> counts, int first, int last)
    {
        // Head plus at most one worker group: one shared instance per (group, count).
        if (last - first == 1 && unit.Groups[last].IsWorker && !unit.Groups[first].IsWorker)
        {
            var key = (unit.Groups[last].Group, counts[last]);
            if (!_workerMaps.TryGetValue(key, out var shared))
            {
                shared = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal).Add(key.Group, key.Item2);
                _workerMaps[key] = shared;
            }

            return shared;
        }

        var workers = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        for (var g = first; g <= last && g >= 0; g++)
        {
            if (unit.Groups[g].IsWorker)
            {
                workers[unit.Groups[g].Group] = counts[g];
            }
        }

        return workers.ToImmutable();
    }

    /// <summary>The pool of each group of one member's copy, shared like <see cref="WorkerReplicas"/>.</summary>
    private ImmutableSortedDictionary<string, string> GroupPools(PlacementUnit unit, ReadOnlySpan<int> chosen, int first, int last)
    {
        if (last - first == 1)
        {
            var key = (unit.Groups[first].Group, chosen[first], unit.Groups[last].Group, chosen[last]);
            if (!_poolMaps.TryGetValue(key, out var shared))
            {
                shared = ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal)
                    .SetItem(key.Item1, Model.Pools[key.Item2].Name)
                    .SetItem(key.Item3, Model.Pools[key.Item4].Name);
                _poolMaps[key] = shared;
            }

            return shared;
        }

        var pools = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        for (var g = first; g <= last && g >= 0; g++)
        {
            pools[unit.Groups[g].Group] = Model.Pools[chosen[g]].Name;
        }

        return pools.ToImmutable();
    }

    private static decimal ShareCost(PlanPool pool, in UnitGroup group, int count)
    {
        // A copy pays for the share of each node its pods take, by the scarcest resource.
        var share = 0.0;
        if (pool.AllocCpu > 0)
        {
            share = Math.Max(share, group.Cpu / (double)pool.AllocCpu);
        }

        if (pool.AllocMem > 0)
        {
            share = Math.Max(share, group.Mem / (double)pool.AllocMem);
        }

        if (pool.Gpus > 0)
        {
            share = Math.Max(share, group.Gpu / (double)pool.Gpus);
        }

        return pool.Price * (decimal)Math.Min(1.0, share) * count;
    }

    private static ImmutableArray<FieldOverride> DomainOverrides(SchedulePolicy? policy, string? domain, Fleet.Workloads.WorkloadSpec member)
    {
        if (domain is null || policy?.Spread is not { } spread || spread.Overrides.IsDefaultOrEmpty)
        {
            return [];
        }

        var result = ImmutableArray.CreateBuilder<FieldOverride>();
        foreach (var o in spread.Overrides)
        {
            if (string.Equals(o.TopologyValue, domain, StringComparison.Ordinal) &&
                (o.Kind is null || string.Equals(o.Kind, member.Kind.ToString(), StringComparison.Ordinal)) &&
                (o.Name is null || string.Equals(o.Name, member.Name, StringComparison.Ordinal)))
            {
                result.AddRange(o.Overrides);
            }
        }

        return result.ToImmutable();
    }

    private string VerdictKey(PlacementUnit unit)
    {
        if (_verdictKeys.TryGetValue(unit, out var known))
        {
            return known;
        }

        var key = new System.Text.StringBuilder();
        key.Append(unit.Scope.Name ?? "<default>").Append('|').Append(unit.Problem).Append('|');
        if (unit.Members.Length > 1)
        {
            // Group labels in the reasons name the member workloads.
            key.Append(unit.Name).Append('|');
        }

        foreach (var g in unit.Groups)
        {
            key.Append(g.Group).Append(':');
        }

        key.Append(unit.BaseKey);
        var text = key.ToString();
        _verdictKeys[unit] = text;
        return text;
    }
}

/// <summary>One candidate of a search: passed with a score, or rejected with a reason.</summary>
/// <param name="Cluster">Cluster index.</param>
/// <param name="Candidate">The scored candidate, or null when rejected.</param>
/// <param name="Reject">Why it was rejected (explain mode), else null.</param>
internal readonly record struct Traced(int Cluster, Candidate? Candidate, string? Reject);

/// <summary>What placing one unit produced.</summary>
internal sealed class UnitOutcome
{
    private List<WorkloadCopy>[]? _copies;
    private List<Traced>? _chosen;
    private List<string?>? _chosenDomains;

    public UnitOutcome(int members)
    {
        Members = members;
    }

    public int Members { get; }

    /// <summary>Copies per member (made on first use: most units of a huge plan are one workload, many unplaced).</summary>
    public List<WorkloadCopy>[] Copies
    {
        get
        {
            if (_copies is null)
            {
                _copies = new List<WorkloadCopy>[Members];
                for (var i = 0; i < Members; i++)
                {
                    _copies[i] = new List<WorkloadCopy>(1);
                }
            }

            return _copies;
        }
    }

    /// <summary>Clusters chosen, with their scores.</summary>
    public List<Traced> Chosen => _chosen ??= new List<Traced>(1);

    /// <summary>Domains of <see cref="Chosen"/>, same order (null without spread).</summary>
    public List<string?> ChosenDomains => _chosenDomains ??= new List<string?>(1);

    /// <summary>True when at least one copy was placed.</summary>
    public bool Placed => _chosen is { Count: > 0 };

    /// <summary>Why nothing was placed, or null.</summary>
    public string? Unplaced { get; set; }

    /// <summary>Verdict per cluster (explain mode only).</summary>
    public ClusterVerdict?[]? Explained { get; set; }
}
