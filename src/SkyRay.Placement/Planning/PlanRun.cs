using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Policies;
using SkyRay.Placement.Capacity;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Pipeline.Scoring;
using SkyRay.Placement.Pipeline.Selection;

namespace SkyRay.Placement.Planning;

/// <summary>
/// One planning run: resolve policies, form units (groupBy), place them in a fixed order, then decide cluster states.
/// Order: units that had a placement and can keep it first (so a re-plan moves nothing that still fits; a Duplicate unit
/// the copies that keep their cluster), then everything else; within each phase GPU-heavy first, then more CPU, then more memory, then name.
/// </summary>
internal sealed class PlanRun(FleetSpec spec, FleetPlan? previous, PlanOptions options)
{
    /// <summary>Pools closed to new groups (a trial of the consolidate pass), as (cluster, pool) names; empty for a plain run.</summary>
    public IReadOnlyCollection<(string Cluster, string Pool)> ClosedPools { get; init; } = [];

    /// <summary>Workloads moved away from a cluster (a trial of the consolidate pass): workload → cluster it may not use (or <c>=cluster</c>, the only one it may use).</summary>
    public IReadOnlyDictionary<string, string> MovedAway { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Pools allowed fewer nodes than declared (a trial of the consolidate pass): (cluster, pool) → node cap; empty for a plain run.</summary>
    public IReadOnlyDictionary<(string Cluster, string Pool), int> PoolCaps { get; init; } = new Dictionary<(string Cluster, string Pool), int>();

    /// <summary>
    /// True for a trial of the consolidate pass: placements, pools and costs only, every verdict list empty (a trial is judged
    /// on cost and copies; the kept trial is planned once more with its verdicts).
    /// </summary>
    public bool WithoutVerdicts { get; init; }

    /// <summary>
    /// What the run derives from the spec alone, built once and shared by the consolidate pass's trials (used only when
    /// it was built for this spec, previous plan and <see cref="PoolCaps"/>; otherwise the run builds its own).
    /// </summary>
    public PlanSetup? Setup { get; init; }

    /// <summary>How a unit of a policy picks its clusters; the default selections unless a benchmark baseline supplies another.</summary>
    public Func<Fleet.Policies.SchedulePolicy?, ISelection>? Selections { get; init; }

    /// <summary>The ranking (scorers in priority order); the default one unless a test supplies another.</summary>
    public ImmutableArray<IScorer> Scorers { get; init; } = PlacementPipeline.DefaultScorers;

    /// <summary>Memo tables to search with and give back when the run ends (the consolidate pass's, shared by its runs); null: new ones.</summary>
    public PlacementPipeline.MemoPool? MemoTables { get; init; }

    public FleetPlan Run()
    {
        var setup = Setup is { } shared && shared.Fits(spec, previous, PoolCaps) ? shared : PlanSetup.Build(spec, previous, PoolCaps);
        var model = setup.Model;
        var units = setup.UnitsFor(MovedAway);
        var ordered = setup.Ordered(units);

        // A trial of the consolidate pass resumes from the kept work its setup saved (phase 1 does not depend on the
        // trial: closures apply to work placed anew, moves only to workloads without a previous placement).
        var resumable = ReferenceEquals(setup, Setup) && !MovesKeptWork(units);
        var sharesKeptWork = WithoutVerdicts && resumable;
        // So does a run with verdicts (the pass's kept trial, planned once more with them) when the kept work holds no reason
        // text: its outcomes are then the same with reasons as without (only reason texts depend on that), and a placed
        // unit's verdicts are made from its outcome's chosen candidates. Not with --explain, which traces every candidate.
        var keptWork = resumable ? setup.SavedKeptWork(options, Scorers, Selections) : null;
        var saved = sharesKeptWork || (!options.Explain && keptWork is { WithoutReasonTexts: true }) ? keptWork : null;
        var memoTables = MemoTables is { } pool && pool.Clusters == model.Clusters.Length ? pool : null;
        PlacementPipeline PipelineFrom(CapacityState? state) => new(model, options, Scorers, state) { WithoutReasons = WithoutVerdicts, MemoTables = memoTables };
        // With the pass's pool, the capacity a trial resumes from is copied into a state an earlier trial gave back.
        var pipeline = PipelineFrom(saved?.State.Copy(memoTables));
        var outcomes = saved is null ? new UnitOutcome?[units.Count] : (UnitOutcome?[])saved.Outcomes.Clone();

        // Capacity only shrinks while planning: a demand that fit nowhere under a policy fits nowhere later either.
        // Each entry also keeps the outcome memo hits give (one object for all of them: an outcome is only read once placed).
        var hopeless = new Dictionary<(PolicyScope, int), (string Reason, UnitOutcome? Given)>();
        // For the same reason a trial resumed from kept work leaves unplaced, without a search, the units that fit nowhere
        // with only the kept work placed (a moved workload's unit has fewer clusters still). Only for trials, which leave
        // reasons out, with the default selections: the outcome is then the one a failed single-cluster search gives.
        var stuck = saved is not null && WithoutVerdicts && !options.Explain && Selections is null ? saved.Stuck : null;
        UnitOutcome Place(PlacementUnit unit)
        {
            if (stuck is not null && stuck[unit.Index])
            {
                // The same outcome in every trial of this kept work, one object for all (an outcome placed in phase 2 is
                // only read). No memo entry is needed either: a unit of the same scope and demand fits nowhere as this
                // one does, so it is stuck too, or its search ends unplaced with the same reason left out.
                return saved!.StuckOutcome;
            }

            var key = (unit.Scope, pipeline.BaseShapeId(unit));
            if (hopeless.TryGetValue(key, out var known))
            {
                if (known.Given is not { } given || given.Members != unit.Members.Length)
                {
                    given = new UnitOutcome(unit.Members.Length) { Unplaced = known.Reason };
                    hopeless[key] = (known.Reason, given);
                }

                return given;
            }

            var outcome = (Selections ?? PlacementPipeline.SelectionFor)(unit.Scope.Policy).Place(pipeline, unit);
            pipeline.State.Commit();
            if (!outcome.Placed && outcome.Unplaced is not null)
            {
                hopeless[key] = (outcome.Unplaced, null);
            }

            return outcome;
        }

        // Phase 1: keep what was placed before, while the policy still selects the cluster and it still fits. A Duplicate
        // unit keeps here each copy whose cluster is still selected and still fits, and gets its other domains in phase 2:
        // a copy that lost its cluster, or a domain that gained one, must not cost the running copies their room.
        UnitOutcome?[] kept;
        if (saved is not null)
        {
            // Read only; phase 2 finishes a copy of each begun unit (most units have none, so none is copied up front).
            kept = saved.Kept;
        }
        else
        {
            kept = new UnitOutcome?[units.Count];
            // The default selections, the stickiness-first ranking and no per-candidate trace: a unit that can stay is placed
            // by evaluating its sticky cluster once (PlacementPipeline.Stay).
            var staysAtOnce = Selections is null && !options.Explain && !Scorers.IsDefaultOrEmpty && Scorers[0] is StickinessScorer;
            foreach (var unit in ordered)
            {
                if (unit.Problem is not null || !unit.IsSticky)
                {
                    continue;
                }

                if (unit.Scope.Policy?.Spread?.Mode == SpreadMode.Duplicate)
                {
                    kept[unit.Index] = DuplicateSelection.PlaceKept(pipeline, unit);
                    pipeline.State.Commit();
                    continue;
                }

                bool stays;
                if (unit.Scope.Policy?.Spread is null)
                {
                    var sticky = pipeline.StickyCluster(unit, unit.Scope.Candidates, unit.Scope, null);
                    if (staysAtOnce)
                    {
                        // One evaluation of the sticky cluster instead of CanStay's and then the search's (see Stay).
                        if (pipeline.Stay(unit, sticky) is { } stayed)
                        {
                            pipeline.State.Commit();
                            outcomes[unit.Index] = stayed;
                        }

                        continue;
                    }

                    stays = pipeline.CanStay(unit, sticky);
                }
                else
                {
                    stays = unit.PreviousClusters.All(c => model.ByName.TryGetValue(c, out var i) && unit.Scope.CandidateSet[i]);
                }

                if (stays)
                {
                    outcomes[unit.Index] = Place(unit);
                }
            }

            // A run with verdicts on a shared setup (the pass's greedy plan, on the setup without caps) saves its kept work
            // for the trials too when none of it holds a reason text (a trial leaves reasons out, and only reason texts
            // depend on that): the same decisions on the same setup, so the trial that would have saved it resumes instead.
            var forTrials = !WithoutVerdicts && !options.Explain && resumable && keptWork is null && WithoutReasonTexts(outcomes) && WithoutReasonTexts(kept);
            if (sharesKeptWork || forTrials)
            {
                setup.SaveKeptWork(options, Scorers, Selections, pipeline.State.Copy(), (UnitOutcome?[])outcomes.Clone(), [.. kept.Select(k => k?.Copy())]);
            }
        }

        // Closures move work placed anew: a kept workload stays on its pools (a trial that moved it would be refused anyway).
        if (saved is null && ClosedPools.Count > 0)
        {
            // Phase 1 searched with nothing closed: its memos would answer phase 2 as if nothing were. Go on from its
            // capacity with a pipeline that has searched nothing yet (as a trial resumed from saved kept work does).
            pipeline.ReturnMemoTables();
            var phase1 = pipeline.State;
            pipeline = PipelineFrom(phase1.Copy(memoTables));
            memoTables?.ReturnState(phase1);
            foreach (var unit in units)
            {
                unit.ClearRunCaches();
            }

            hopeless.Clear();
        }

        pipeline.Packer.Closures = ClosedPools.Count == 0 ? null : Consolidation.PoolClosures.For(model, ClosedPools);

        // Phase 2: everything new or moved, and the rest of the Duplicate units begun in phase 1.
        foreach (var unit in ordered)
        {
            if (outcomes[unit.Index] is not null)
            {
                continue;
            }

            if (kept[unit.Index] is { } begun)
            {
                outcomes[unit.Index] = DuplicateSelection.PlaceRest(pipeline, unit, saved is null ? begun : begun.Copy());
                pipeline.State.Commit();
                continue;
            }

            if (unit.Problem is not null)
            {
                outcomes[unit.Index] = new UnitOutcome(unit.Members.Length) { Unplaced = unit.Problem };
                continue;
            }

            outcomes[unit.Index] = Place(unit);
        }

        // A trial resumed from kept work starts from the kept units' placements, the same in every trial of the setup (the
        // same outcomes, no verdicts): built once per setup, so a trial builds only the placements of what it placed itself.
        PlanSetup.KeptPlacements? keptPlacements = saved is not null && WithoutVerdicts ? saved.Placements ??= KeptPlacements(units, saved.Outcomes, model) : null;
        // Such a trial lists the same workloads as the last trial resumed from that kept work, with the kept units' placements
        // alike: it starts from that trial's map and sets only what differs. An unplaced workload's brief placement is the
        // same in most trials (a re-plan's waiting workloads), and setting every one again rebuilt most of the map each trial.
        var lastTrial = keptPlacements is not null ? saved!.LastTrial : null;
        // By unit, how that map holds a unit it left unplaced (kept up to date below, as the map is).
        var lastUnplaced = keptPlacements is null ? null : lastTrial?.Unplaced ?? new (string?, string)?[units.Count];
        var placements = keptPlacements is null
            ? ImmutableSortedDictionary.CreateBuilder<string, WorkloadPlacement>(StringComparer.Ordinal)
            : (lastTrial?.Placements ?? keptPlacements.Value.Placements).ToBuilder();
        // Per cluster, how many copies it got, and (not in a trial's brief plan, which lists no workloads) which workloads.
        var copiesOn = keptPlacements is null ? new int[model.Clusters.Length] : (int[])keptPlacements.Value.CopiesOn.Clone();
        var perCluster = WithoutVerdicts ? null : new List<string>[model.Clusters.Length];
        for (var i = 0; perCluster is not null && i < perCluster.Length; i++)
        {
            perCluster[i] = [];
        }

        // Per-pool detail for every cluster of every unplaced demand, unless that would be more than the limit (and none
        // at all when the caller asked for no verdicts of unplaced workloads).
        var unplacedVerdicts = !WithoutVerdicts && (options.Explain || options.UnplacedVerdicts);
        var detailed = unplacedVerdicts && (options.Explain ||
            (long)pipeline.DistinctVerdictSets([.. units.Where(u => !outcomes[u.Index]!.Placed)]) * model.Clusters.Length <= options.DetailedVerdictLimit);
        foreach (var unit in units)
        {
            if (keptPlacements is not null && saved!.Outcomes[unit.Index] is not null)
            {
                continue;
            }

            var outcome = outcomes[unit.Index]!;
            if (lastUnplaced is not null)
            {
                // Left unplaced as the last trial left it: its members' placements in that map are these already.
                (string?, string)? now = outcome.Placed ? null : (unit.Scope.Name, outcome.Unplaced ?? NotPlaced);
                if (now is not null && lastUnplaced[unit.Index] == now)
                {
                    continue;
                }

                lastUnplaced[unit.Index] = now;
            }

            var verdicts = WithoutVerdicts || (!outcome.Placed && !unplacedVerdicts) ? [] : Verdicts(pipeline, unit, outcome, detailed);
            for (var m = 0; m < unit.Members.Length; m++)
            {
                var placement = PlacementOf(unit, m, outcome, verdicts);
                foreach (var copy in placement.Copies)
                {
                    var on = model.ByName[copy.Cluster];
                    copiesOn[on]++;
                    perCluster?[on].Add(copy.Workload);
                }

                placements[placement.Workload] = placement;
            }
        }

        var placementMap = placements.ToImmutable();
        if (keptPlacements is not null)
        {
            saved!.LastTrial = new(placementMap, lastUnplaced!);
        }

        var clusters = WithoutVerdicts && ReferenceEquals(setup, Setup) ? BriefClusters(setup, pipeline, copiesOn) : AllClusters(pipeline, copiesOn, perCluster);
        pipeline.ReturnMemoTables();
        memoTables?.ReturnState(pipeline.State);
        return new FleetPlan(spec.Stack, clusters, placementMap, setup.Diagnostics);
    }

    private static ImmutableSortedDictionary<string, ClusterPlan> AllClusters(PlacementPipeline pipeline, int[] copiesOn, List<string>[]? perCluster)
    {
        var clusters = ImmutableSortedDictionary.CreateBuilder<string, ClusterPlan>(StringComparer.Ordinal);
        foreach (var cluster in pipeline.Model.Clusters)
        {
            clusters[cluster.Name] = ClusterPlanFor(pipeline, cluster, copiesOn[cluster.Index], perCluster?[cluster.Index]);
        }

        return clusters.ToImmutable();
    }

    /// <summary>
    /// The brief cluster plans of a trial planned with a shared setup: a cluster whose state and pool sizes are those of the
    /// setup's previous trial gets that trial's cluster plan again (a brief plan is made of the model, the state and the
    /// pool sizes alone), and when every cluster does, the previous trial's whole map. Trials of one setup differ in a few
    /// clusters.
    /// </summary>
    private static ImmutableSortedDictionary<string, ClusterPlan> BriefClusters(PlanSetup setup, PlacementPipeline pipeline, int[] copiesOn)
    {
        var model = pipeline.Model;
        var last = setup.BriefClusters;
        var map = setup.BriefClusterMap;
        var plans = new ClusterPlan[model.Clusters.Length];
        var changed = map is null;
        foreach (var cluster in model.Clusters)
        {
            var before = last?[cluster.Index];
            var plan = before is not null && SameBrief(pipeline, cluster, copiesOn[cluster.Index], before)
                ? before
                : ClusterPlanFor(pipeline, cluster, copiesOn[cluster.Index], null);
            changed |= !ReferenceEquals(plan, before);
            plans[cluster.Index] = plan;
        }

        if (!changed)
        {
            return map!;
        }

        var builder = map is null ? ImmutableSortedDictionary.CreateBuilder<string, ClusterPlan>(StringComparer.Ordinal) : map.ToBuilder();
        foreach (var cluster in model.Clusters)
        {
            if (!ReferenceEquals(plans[cluster.Index], last?[cluster.Index]))
            {
                builder[cluster.Name] = plans[cluster.Index];
            }
        }

        map = builder.ToImmutable();
        setup.BriefClusters = plans;
        setup.BriefClusterMap = map;
        return map;
    }

    /// <summary>True when <see cref="ClusterPlanFor"/> would give a brief plan equal to <paramref name="before"/> (the same cluster's, of the same model).</summary>
    private static bool SameBrief(PlacementPipeline pipeline, PlanCluster cluster, int copies, ClusterPlan before)
    {
        // A brief plan's reason is empty when the cluster got copies, else the one its spec gives (the same text then).
        var (state, reason) = copies > 0 ? (ClusterState.Active, string.Empty) : WithoutWork(cluster);
        if (state != before.State || !string.Equals(reason, before.Reason, StringComparison.Ordinal))
        {
            return false;
        }

        if (before.State != ClusterState.Active)
        {
            return true;
        }

        for (var i = 0; i < cluster.Pools.Length; i++)
        {
            if (before.Pools[i].DesiredNodes != ActiveDesired(pipeline, cluster, cluster.Pools[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>An active cluster's nodes in a pool: what the run opened there, at least its MinNodes.</summary>
    private static int ActiveDesired(PlacementPipeline pipeline, PlanCluster cluster, PlanPool pool) =>
        Math.Max(pool.Min, pipeline.State.IsActive(cluster.Index) ? pipeline.State.Opened(pool) : 0);

    /// <summary>The state and reason of a cluster that got no copy.</summary>
    private static (ClusterState State, string Reason) WithoutWork(PlanCluster cluster)
    {
        var spec = cluster.Spec;
        if (spec.Lifecycle == ClusterLifecycle.Static && spec.Standby is null)
        {
            return (ClusterState.Active, "static cluster without standby, no placed work: keeps its MinNodes running");
        }

        if (spec.Standby?.Mode == StandbyMode.Suspend && (spec.Lifecycle == ClusterLifecycle.Static || cluster.StartState != ClusterState.Absent))
        {
            return (ClusterState.Standby, "no placed work: standby (suspend) scales its node pools to zero, the control plane stays");
        }

        return (ClusterState.Absent, spec.Lifecycle == ClusterLifecycle.Static
            ? "no placed work: standby (delete) removes the cluster until work comes back"
            : "dynamic cluster with no placed work: not provisioned");
    }

    /// <summary>The reason of an unplaced workload whose outcome gives none.</summary>
    private const string NotPlaced = "not placed";

    private static WorkloadPlacement PlacementOf(PlacementUnit unit, int member, UnitOutcome outcome, ImmutableArray<ClusterVerdict> verdicts)
    {
        var copies = !outcome.Placed ? [] : outcome.CopiesOf(member);
        return new WorkloadPlacement(
            unit.Members[member].Name,
            unit.Scope.Name,
            copies,
            verdicts,
            copies.IsEmpty ? outcome.Unplaced ?? NotPlaced : null)
        {
            MissingCopies = outcome.Missing is { Count: > 0 } missing && !copies.IsEmpty ? [.. missing] : [],
        };
    }

    /// <summary>
    /// The brief placements (no verdicts) of the units the kept work placed (those with an outcome in <paramref name="kept"/>),
    /// and how many copies each cluster got from them: what every trial resumed from that kept work starts its plan with.
    /// </summary>
    internal static PlanSetup.KeptPlacements KeptPlacements(List<PlacementUnit> units, UnitOutcome?[] kept, PlanModel model)
    {
        var placements = ImmutableSortedDictionary.CreateBuilder<string, WorkloadPlacement>(StringComparer.Ordinal);
        var copiesOn = new int[model.Clusters.Length];
        foreach (var unit in units)
        {
            if (kept[unit.Index] is not { } outcome)
            {
                continue;
            }

            for (var m = 0; m < unit.Members.Length; m++)
            {
                var placement = PlacementOf(unit, m, outcome, []);
                foreach (var copy in placement.Copies)
                {
                    copiesOn[model.ByName[copy.Cluster]]++;
                }

                placements[placement.Workload] = placement;
            }
        }

        return new PlanSetup.KeptPlacements(placements.ToImmutable(), copiesOn);
    }

    private static ImmutableArray<ClusterVerdict> Verdicts(PlacementPipeline pipeline, PlacementUnit unit, UnitOutcome outcome, bool detailed)
    {
        if (!outcome.Placed)
        {
            return pipeline.UnplacedVerdicts(unit, detailed);
        }

        var model = pipeline.Model;
        if (outcome.Explained is { } explained)
        {
            var all = ImmutableArray.CreateBuilder<ClusterVerdict>(model.Clusters.Length);
            foreach (var cluster in model.Clusters)
            {
                all.Add(explained[cluster.Index]
                    ?? new ClusterVerdict(cluster.Name, false, null, unit.Scope.Rejections[cluster.Index] ?? "not evaluated: in no domain that receives a copy"));
            }

            return all.MoveToImmutable();
        }

        if (outcome.ChosenCount == 1)
        {
            return pipeline.SingleChosenVerdicts(outcome.ChosenAt(0).Candidate!.Value);
        }

        return [.. Enumerable.Range(0, outcome.ChosenCount)
            .Select(outcome.ChosenAt)
            .OrderBy(t => t.Cluster)
            .Select(t => pipeline.ChosenVerdict(t.Candidate!.Value))];
    }

    /// <summary>True when no outcome holds a reason text: none unplaced, none with a missing copy.</summary>
    internal static bool WithoutReasonTexts(UnitOutcome?[] outcomes)
    {
        foreach (var outcome in outcomes)
        {
            if (outcome is not null && (outcome.Unplaced is not null || outcome.Missing is { Count: > 0 }))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when a consolidate move names a workload that had a placement (never, by the pass's rules; checked so a resumed run stays exact).</summary>
    private bool MovesKeptWork(List<PlacementUnit> units)
    {
        // Loops, not Exists with lambdas: asked in every trial with moves, and the inner lambda was a new delegate per unit.
        if (MovedAway.Count == 0)
        {
            return false;
        }

        foreach (var unit in units)
        {
            if (!unit.IsSticky)
            {
                continue;
            }

            foreach (var member in unit.Members)
            {
                if (MovedAway.ContainsKey(member.Name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <param name="pipeline">The run's pipeline.</param>
    /// <param name="cluster">The cluster.</param>
    /// <param name="copies">How many copies it got.</param>
    /// <param name="workloads">Workloads with a copy on it; null for a consolidate trial's brief plan: pools and costs only, no workload list or reason (a trial is judged on cost and copies).</param>
    private static ClusterPlan ClusterPlanFor(PlacementPipeline pipeline, PlanCluster cluster, int copies, List<string>? workloads)
    {
        var spec = cluster.Spec;
        var brief = workloads is null;
        var names = workloads is null ? [] : workloads.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToImmutableArray();
        ClusterState state;
        string reason;
        if (copies > 0)
        {
            state = ClusterState.Active;
            var what = brief ? string.Empty : $"{names.Length} workload(s) placed";
            reason = brief ? string.Empty : cluster.StartState switch
            {
                ClusterState.Active => spec.Lifecycle == ClusterLifecycle.Static ? $"static cluster, {what}" : $"dynamic cluster kept, {what}",
                ClusterState.Standby => $"woken from standby: {what}",
                _ => spec.Lifecycle == ClusterLifecycle.Static ? $"created again after delete standby: {what}" : $"dynamic cluster created just in time: {what}",
            };
        }
        else
        {
            (state, reason) = WithoutWork(cluster);
        }

        var pools = ImmutableArray.CreateBuilder<NodePoolPlan>(cluster.Pools.Length);
        var total = 0m;
        foreach (var pool in cluster.Pools)
        {
            switch (state)
            {
                case ClusterState.Active:
                    var desired = ActiveDesired(pipeline, cluster, pool);
                    var cost = pool.Type is null ? 0m : pool.Price * desired;
                    total += cost;
                    pools.Add(new NodePoolPlan(pool.Name, pool.Spec.InstanceType, pool.Min, pool.DeclaredMax, desired, cost));
                    break;
                case ClusterState.Standby:
                    pools.Add(new NodePoolPlan(pool.Name, pool.Spec.InstanceType, 0, pool.DeclaredMax, 0, 0m));
                    break;
                default:
                    pools.Add(new NodePoolPlan(pool.Name, pool.Spec.InstanceType, pool.Min, pool.DeclaredMax, 0, 0m));
                    break;
            }
        }

        return new ClusterPlan(cluster.Name, state, cluster.Labels, pools.MoveToImmutable(), names, total, reason);
    }
}
