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

/// <summary>The search: which candidate cluster is best for a unit, and what is remembered between searches.</summary>
internal sealed partial class PlacementPipeline
{
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
            // The memo table is made on the first answer worth keeping: many shapes of a plan are tried on a few clusters only.
            _memos.Add(null);
        }

        return id;
    }

    /// <summary><see cref="ShapeId"/> of the unit's declared demand, kept on the unit.</summary>
    public int BaseShapeId(PlacementUnit unit)
    {
        if (unit.BaseShapeId < 0)
        {
            unit.BaseShapeId = ShapeId(unit.BaseKey);
        }

        return unit.BaseShapeId;
    }

    /// <summary>
    /// Every candidate of a policy ranked for one demand, kept across workloads: a heap ordered by the scorers
    /// (<see cref="Order"/>). Capacity changes one cluster at a time, so each query re-packs only the clusters
    /// committed since the last one and drops heap entries of older cluster versions. The answer is the same as
    /// scanning every candidate.
    /// </summary>
    private sealed class Ranking(int candidates, IComparer<Candidate> order)
    {
        /// <summary>
        /// Entries are exact fits, or lower bounds (<c>Exact</c> false, see <see cref="Bound"/>) packed only when they
        /// reach the top. Sized for every candidate up front: a plan holds a ranking per policy and demand, and growing
        /// each by doubling would allocate twice over.
        /// </summary>
        public PriorityQueue<(int Cluster, int Version, bool Exact), Candidate> Heap { get; } = new(candidates, order);

        public int Seen { get; set; }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryFindRanked(PlacementUnit unit, ReadOnlySpan<int> counts, int shape, PolicyScope scope, Span<int> chosen, out Candidate best)
    {
        var (cpu, mem, gpu) = unit.Totals(counts);
        if (!_rankings.TryGetValue((scope, shape), out var ranking))
        {
            ranking = new Ranking(scope.Candidates.Length, Order) { Seen = State.ChangeCount };
            _rankings[(scope, shape)] = ranking;
            foreach (var c in scope.Candidates)
            {
                Rank(ranking, unit, counts, shape, scope, c, cpu, mem, gpu, chosen);
            }
        }
        else
        {
            // A cluster committed to many times since the last search is ranked once, at its current version: one
            // entry per change would fill the heap with entries of versions already gone.
            var pass = ++_rankPass;
            for (var i = ranking.Seen; i < State.ChangeCount; i++)
            {
                var c = State.ChangedCluster(i);
                if (scope.CandidateSet[c] && _rankedInPass[c] != pass)
                {
                    _rankedInPass[c] = pass;
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
                best = key;
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

            ranking.Heap.Enqueue((c, entry.Version, true), key with { Tier = fit.Tier, Cost = fit.Cost });
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
                ranking.Heap.Enqueue((c, version, true), new Candidate(c, false, scope.Rank[c], known.Tier, known.Cost));
            }

            return;
        }

        // Packing waits until the bound reaches the top of the heap.
        ranking.Heap.Enqueue((c, version, false), Bound(cluster, scope.Rank[c], cpu, mem, gpu));
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

    /// <summary>
    /// A lower bound of the candidate the cluster would be for a demand of these totals, from the totals alone: the
    /// fastest launch tier and the least added cost any packing could give. Scorers are monotone (see
    /// <see cref="IScorer"/>), so the real candidate never ranks better than its bound: a bound that already ranks
    /// below the best found cannot win, and one at the top of the ranking heap is packed for real.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Candidate Bound(PlanCluster cluster, int rank, long cpu, long mem, long gpu)
    {
        var c = cluster.Index;
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

        return new Candidate(c, false, rank, tier, cost);
    }

    /// <summary>
    /// Per position of a candidate list, a floor of every candidate from there on: the best, by the scorers, of the
    /// candidates' start tiers at no cost (a cluster never starts faster than its start tier, nor adds less than
    /// nothing). Once the floor at a position ranks below the best found, no later candidate can win, whatever the
    /// order of the list. Cached per list (the lists live as long as the plan).
    /// </summary>
    private Candidate[] SuffixFloors(int[] candidates, PolicyScope scope)
    {
        if (_suffixFloors.TryGetValue(candidates, out var floors))
        {
            return floors;
        }

        // The floors depend on the list, the scope's ranks, the clusters' start tiers and the scorers only: the scope keeps
        // them for every pipeline of its model with these scorers (the consolidate pass's trials share the scopes of a setup).
        if (scope.KnownFloors(Model, Scorers, candidates) is { } known)
        {
            _suffixFloors[candidates] = known;
            return known;
        }

        floors = new Candidate[candidates.Length];
        for (var k = candidates.Length - 1; k >= 0; k--)
        {
            var c = candidates[k];
            var floor = new Candidate(c, false, scope.Rank[c], Model.Clusters[c].StartTier, 0m);
            floors[k] = k + 1 < candidates.Length && Order.Compare(floors[k + 1], floor) < 0 ? floors[k + 1] : floor;
        }

        _suffixFloors[candidates] = floors;
        scope.KeepFloors(Model, Scorers, candidates, floors);
        return floors;
    }

    /// <summary>A fit remembered with the cluster version it was computed against.</summary>
    internal struct Memo
    {
        public int Version;
        public Fit Fit;
    }

    /// <summary>
    /// Memo tables handed from one pipeline to the next of a consolidate pass (its trials plan one after the other on the
    /// same fleet): a table comes back cleared, as a new one is, so a pipeline answers exactly as with fresh tables. A
    /// trial makes hundreds of them (one per demand shape it searched), which was the largest share of what a trial
    /// allocated.
    /// </summary>
    internal sealed class MemoPool(int clusters)
    {
        private readonly Stack<Memo[]> _free = new();
        private readonly Stack<CapacityState> _states = new();

        /// <summary>
        /// A capacity state a run of the pass gave back, to copy another into (<see cref="CapacityState.Copy(MemoPool?)"/>);
        /// null when there is none of that shape.
        /// </summary>
        public CapacityState? RentState(int pools, int clusters) =>
            _states.TryPeek(out var state) && state.HasShape(pools, clusters) ? _states.Pop() : null;

        /// <summary>Takes back a run's capacity state: nothing may read it again (its run has ended or goes on from a copy).</summary>
        public void ReturnState(CapacityState state) => _states.Push(state);

        /// <summary>States waiting to be copied into again.</summary>
        public int FreeStates => _states.Count;

        /// <summary>Clusters of the fleet the tables are for (one entry per cluster).</summary>
        public int Clusters => clusters;

        /// <summary>Tables waiting to be given out again.</summary>
        public int Free => _free.Count;

        /// <summary>A table of <see cref="Clusters"/> entries, every entry zero (no fit remembered).</summary>
        public Memo[] Rent() => _free.TryPop(out var table) ? table : new Memo[clusters];

        /// <summary>Takes a table back, cleared; its pipeline must not read it again.</summary>
        public void Return(Memo[] table)
        {
            Array.Clear(table);
            _free.Push(table);
        }
    }

    /// <summary>
    /// Gives every memo table of this pipeline back to <see cref="MemoTables"/> (none without one). The pipeline answers
    /// no more searches after this: its run has ended or it is replaced.
    /// </summary>
    public void ReturnMemoTables()
    {
        if (MemoTables is not { } pool)
        {
            return;
        }

        for (var i = 0; i < _memos.Count; i++)
        {
            if (_memos[i] is { } table)
            {
                pool.Return(table);
                _memos[i] = null;
            }
        }
    }

    /// <summary>
    /// Packs the unit onto the cluster without keeping it, reusing the answer for the same demand when the
    /// cluster's committed capacity has not changed since (most clusters do not change between two workloads).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Fit EvaluateOnce(PlacementUnit unit, ReadOnlySpan<int> counts, int shape, PlanCluster cluster, Span<int> chosen)
    {
        var memos = _memos[shape];
        var usable = shape < _memoShapes && !State.IsDirty(cluster.Index) && !unit.HadCopyOn(cluster.Name);
        var version = State.Version(cluster.Index) + 1;
        if (usable && memos is not null && memos[cluster.Index].Version == version)
        {
            return memos[cluster.Index].Fit;
        }

        var fit = Packer.Evaluate(unit, counts, cluster, keep: false, chosen);
        if (usable)
        {
            memos ??= _memos[shape] = MemoTables?.Rent() ?? new Memo[Model.Clusters.Length];
            memos[cluster.Index] = new Memo { Version = version, Fit = fit };
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
            var key = (group.Cpu, group.Mem, group.Gpu, group.GpuType, group.Tolerance.Id);
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

    /// <summary>
    /// Places a unit without spread on its sticky cluster when it still fits there, with one evaluation: what
    /// <see cref="CanStay"/> followed by <see cref="Selection.SingleClusterSelection"/>'s search gives when the unit can
    /// stay, for a ranking whose first scorer is stickiness (the default one). The sticky candidate ranks before every other
    /// one, so a search that finds it ends there (see <see cref="TryFind"/>), and no memo of the run can hold a failure for a
    /// demand that still fits (capacity only shrinks while planning). Null when the unit does not fit there or has no sticky
    /// cluster; then nothing is placed.
    /// </summary>
    public UnitOutcome? Stay(PlacementUnit unit, int sticky)
    {
        if (sticky < 0)
        {
            return null;
        }

        // Packed and kept in one go (a pack that fails rolls itself back), instead of evaluated and then packed again to commit.
        Span<int> chosen = stackalloc int[unit.Groups.Length];
        if (Try(unit, unit.BaseCounts, BaseShapeId(unit), sticky, unit.Scope, true, chosen, out _, keep: true) is not { } stay)
        {
            return null;
        }

        var outcome = new UnitOutcome(unit.Members.Length);
        AddPacked(unit, unit.BaseCounts, stay, chosen, null, outcome);
        return outcome;
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
    /// Finds the best cluster among <paramref name="candidates"/> by the scorers (<see cref="Order"/>). Exact, with
    /// exits that compare bounds by the same scorers: the sticky cluster is tried first; a cluster whose
    /// <see cref="Bound"/> ranks below the best found is not packed; once the floor of the rest of the list
    /// (<see cref="SuffixFloors"/>) ranks below the best, the search ends. The list's order (rank, start tier, cheapest
    /// node first) only makes those exits come early. With <paramref name="trace"/> every candidate is evaluated (for
    /// --explain) and the result is the same.
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
                if (candidate is { } ok && (!found || Order.Compare(ok, best) < 0))
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
            found = true;
        }
        else if (unit.PreviousClusters.Length == 0 && ReferenceEquals(candidates, scope.Candidates) && shape < _memoShapes &&
            !_searchedOnce.Add((scope, shape)))
        {
            // The ranking pays off from the second search of a demand in a policy (only this branch makes one, so every
            // ranking's key is already in the set); a demand searched once takes the scan below, which gives the same answer.
            return TryFindRanked(unit, counts, shape, scope, chosen, out best);
        }

        var floors = SuffixFloors(candidates, scope);
        for (var k = 0; k < candidates.Length; k++)
        {
            if (found && Order.Compare(floors[k], best) > 0)
            {
                break;
            }

            var c = candidates[k];
            if (c == sticky)
            {
                continue;
            }

            var cluster = Model.Clusters[c];

            // A remembered answer for this demand on an unchanged cluster decides at once.
            if (!TryMemo(unit, shape, c, out var fit))
            {
                if (found && Order.Compare(Bound(cluster, scope.Rank[c], cpu, mem, gpu), best) > 0)
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

            var candidate = new Candidate(c, false, scope.Rank[c], fit.Tier, fit.Cost);
            if (!found || Order.Compare(candidate, best) < 0)
            {
                best = candidate;
                found = true;
            }
        }

        return found;
    }

    private Candidate? Try(PlacementUnit unit, ReadOnlySpan<int> counts, int shape, int c, PolicyScope scope, bool sticky, Span<int> chosen, out string? reject, bool keep = false)
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
            : keep ? Packer.Evaluate(unit, counts, cluster, keep: true, chosen) : EvaluateOnce(unit, counts, shape, cluster, chosen);
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
        // Looked up by the text on the stack: most units share a key already known.
        var text = new DefaultInterpolatedStringHandler(0, 0, null, stackalloc char[256]);
        foreach (var filter in UnitFilters)
        {
            text.AppendFormatted(filter.CacheKey(unit));
            text.AppendLiteral("|");
        }

        if (_combinedFilterBits.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text.Text, out var known))
        {
            text.Clear();
            return known;
        }

        var combined = new ulong[(Model.Clusters.Length + 63) / 64];
        _combinedFilterBits[text.ToStringAndClear()] = combined;
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
}
