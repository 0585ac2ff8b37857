using System.Collections.Immutable;
using SkyRay.Fleet.Collections;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Fleet.Policies;
using SkyRay.Fleet.Workloads;
using SkyRay.Placement.Capacity;
using SkyRay.Placement.Labels;
using SkyRay.Placement.Model;
using SkyRay.Placement.Pipeline.Scoring;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Policies;

namespace SkyRay.Placement.Planning;

/// <summary>
/// What a planning run derives from the spec, the previous plan and the pool caps alone, before it places anything:
/// the model, each workload's policy, the placement units and the warnings. The consolidate pass plans the same spec a
/// hundred times over with different closures and moves; it builds this once per set of caps instead of once per
/// trial (it was about 40 % of a trial on a 100-cluster re-plan). A run resets the units' per-run caches before it
/// uses them, so a shared setup plans exactly as a fresh one.
/// </summary>
internal sealed class PlanSetup
{
    private readonly FleetSpec _spec;
    private readonly FleetPlan? _previous;
    private readonly Dictionary<(string Cluster, string Pool), int> _caps;
    private readonly List<PlacementUnit> _units;
    private readonly Dictionary<string, (int Unit, SchedulePolicy? Policy)> _singles;
    private int[]? _order;
    private KeptWork? _kept;

    private PlanSetup(FleetSpec spec, FleetPlan? previous, Dictionary<(string Cluster, string Pool), int> caps, SpecParts? parts)
    {
        _spec = spec;
        _previous = previous;
        _caps = caps;
        var diagnostics = new DiagnosticBag();
        // Parts kept for another spec object are not used (they were derived from that spec alone).
        parts = parts is not null && ReferenceEquals(parts.Spec, spec) ? parts : null;
        var uncapped = parts is null || caps.Count == 0 ? null : parts.UncappedModel(previous);
        Model = PlanModel.Build(spec, previous, diagnostics, caps.Count == 0 ? null : caps, parts is null ? null : parts.LabelsOf, parts is null ? null : parts.PoolsOf, uncapped);
        if (parts is not null && caps.Count == 0)
        {
            parts.KeepUncapped(previous, Model);
        }

        PolicyCoverage[] coverage;
        if (parts is null)
        {
            coverage = PolicyResolver.ResolveInOrder(spec, diagnostics);
        }
        else
        {
            // The same warnings in the same place of the bag as when resolved here, so the sorted list is the same.
            (coverage, var warnings) = parts.Coverage();
            diagnostics.AddRange(warnings);
        }

        (_units, _singles) = BuildUnits(coverage, diagnostics);
        Diagnostics = [.. diagnostics.Sorted()];
    }

    /// <summary>
    /// What every setup of one spec derives alike whatever the previous plan and the caps: the clusters' labels, their pools
    /// in name order and each workload's policy (with the resolution's warnings). The consolidate pass builds a setup per set
    /// of pool caps (each shrink trial has its own) and keeps these once for the pass.
    /// </summary>
    internal sealed class SpecParts(FleetSpec spec)
    {
        private readonly Dictionary<string, ImmutableSortedDictionary<string, string>> _labels = new(StringComparer.Ordinal);
        private readonly Dictionary<string, NodePoolSpec[]> _pools = new(StringComparer.Ordinal);
        private (PolicyCoverage[] Coverage, Diagnostic[] Warnings)? _coverage;
        private (FleetPlan? Previous, PlanModel Model)? _uncapped;

        /// <summary>The spec the parts were derived from.</summary>
        public FleetSpec Spec => spec;

        /// <summary><see cref="ClusterLabels.For"/> of the cluster, made the first time it is asked.</summary>
        public ImmutableSortedDictionary<string, string> LabelsOf(ClusterSpec cluster)
        {
            if (!_labels.TryGetValue(cluster.Name, out var labels))
            {
                labels = ClusterLabels.For(cluster);
                _labels[cluster.Name] = labels;
            }

            return labels;
        }

        /// <summary><see cref="PlanModel.PoolsInOrder"/> of the cluster, made the first time it is asked.</summary>
        public NodePoolSpec[] PoolsOf(ClusterSpec cluster)
        {
            if (!_pools.TryGetValue(cluster.Name, out var pools))
            {
                pools = PlanModel.PoolsInOrder(cluster);
                _pools[cluster.Name] = pools;
            }

            return pools;
        }

        /// <summary>
        /// The model last built without caps for this previous plan (null when there is none): a capped setup takes its
        /// uncapped clusters from it (see <see cref="PlanModel.Build"/>).
        /// </summary>
        public PlanModel? UncappedModel(FleetPlan? previous) =>
            _uncapped is { } kept && ReferenceEquals(kept.Previous, previous) ? kept.Model : null;

        /// <summary>Keeps a model built without caps for <paramref name="previous"/>.</summary>
        public void KeepUncapped(FleetPlan? previous, PlanModel model) => _uncapped = (previous, model);

        /// <summary>The workloads' policies in spec order and the warnings resolving them gave, resolved the first time asked.</summary>
        public (PolicyCoverage[] Coverage, Diagnostic[] Warnings) Coverage()
        {
            if (_coverage is null)
            {
                var warnings = new DiagnosticBag();
                var coverage = PolicyResolver.ResolveInOrder(spec, warnings);
                _coverage = (coverage, [.. warnings.Items]);
            }

            return _coverage.Value;
        }
    }

    /// <summary>The fleet as this run sees it.</summary>
    public PlanModel Model { get; }

    /// <summary>Warnings of the run (model, policies, splits), sorted: placing adds none.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; }

    /// <summary>Builds the setup of a run with these pool caps (empty: none).</summary>
    public static PlanSetup Build(FleetSpec spec, FleetPlan? previous, IReadOnlyDictionary<(string Cluster, string Pool), int> caps) =>
        Build(spec, previous, caps, null);

    /// <summary>Builds the setup of a run with these pool caps, taking what does not depend on them from <paramref name="parts"/> (when made for this spec).</summary>
    public static PlanSetup Build(FleetSpec spec, FleetPlan? previous, IReadOnlyDictionary<(string Cluster, string Pool), int> caps, SpecParts? parts) =>
        new(spec, previous, new Dictionary<(string Cluster, string Pool), int>(caps), parts);

    /// <summary>True when this setup was built for the same spec and previous plan (the same objects) and equal caps.</summary>
    public bool Fits(FleetSpec spec, FleetPlan? previous, IReadOnlyDictionary<(string Cluster, string Pool), int> caps)
    {
        if (!ReferenceEquals(spec, _spec) || !ReferenceEquals(previous, _previous) || caps.Count != _caps.Count)
        {
            return false;
        }

        foreach (var (pool, cap) in caps)
        {
            if (!_caps.TryGetValue(pool, out var mine) || mine != cap)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The units of one run, in the fixed order (single workloads by name, then groupBy groups by name), their per-run
    /// caches cleared; a workload moved away from a cluster (a consolidate trial) gets a unit of its own whose scope
    /// leaves that cluster out.
    /// </summary>
    public List<PlacementUnit> UnitsFor(IReadOnlyDictionary<string, string> movedAway)
    {
        foreach (var unit in _units)
        {
            unit.ClearRunCaches();
        }

        if (movedAway.Count == 0)
        {
            return _units;
        }

        var units = new List<PlacementUnit>(_units);
        foreach (var (workload, away) in movedAway)
        {
            if (!_singles.TryGetValue(workload, out var single))
            {
                continue;
            }

            var shared = _units[single.Unit];
            var scope = new PolicyScope(single.Policy, Model, [.. PlacementPipeline.ClusterFilters, Consolidation.MovedAwayFilter.For(away)]);
            units[single.Unit] = new PlacementUnit(shared.Name, shared.Members, scope, shared.Problem, shared.Previous, shared.Keys) { Index = single.Unit };
        }

        return units;
    }

    /// <summary>
    /// False when the workload (a single-workload unit) cannot have a copy on the cluster whatever else is placed: its
    /// policy's filters or a unit filter (GPU type, taints) rule the cluster out. True for workloads in groups.
    /// </summary>
    public bool MayPlaceOn(string workload, string cluster)
    {
        if (!_singles.TryGetValue(workload, out var single) || !Model.ByName.TryGetValue(cluster, out var index))
        {
            return true;
        }

        var unit = _units[single.Unit];
        if (!unit.Scope.CandidateSet[index])
        {
            return false;
        }

        foreach (var filter in PlacementPipeline.UnitFilters)
        {
            if (!filter.Passes(unit, Model.Clusters[index]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The units in placing order: GPU-heavy first, then more CPU, then more memory, then name (a moved workload's unit
    /// has the same demand and name as the one it replaces, so one order serves every run of the setup).
    /// </summary>
    public PlacementUnit[] Ordered(List<PlacementUnit> units)
    {
        if (_order is null)
        {
            var sorted = _units.ToArray();
            Array.Sort(sorted, (a, b) =>
            {
                var c = b.TotalGpu.CompareTo(a.TotalGpu);
                c = c != 0 ? c : b.TotalCpu.CompareTo(a.TotalCpu);
                c = c != 0 ? c : b.TotalMem.CompareTo(a.TotalMem);
                return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
            });
            _order = Array.ConvertAll(sorted, u => u.Index);
        }

        return Array.ConvertAll(_order, i => units[i]);
    }

    /// <summary>The brief cluster plans (a consolidate trial's, no workload list) the last trial of this setup made, by cluster index; null before the first.</summary>
    public ClusterPlan[]? BriefClusters { get; set; }

    /// <summary>The map of <see cref="BriefClusters"/> by cluster name.</summary>
    public ImmutableSortedDictionary<string, ClusterPlan>? BriefClusterMap { get; set; }

    /// <summary>The kept work (phase 1) a run with these options saved, or null.</summary>
    public KeptWork? SavedKeptWork(PlanOptions options, ImmutableArray<IScorer> scorers, object? selections) =>
        _kept is { } k && ReferenceEquals(k.Options, options) && k.Scorers == scorers && ReferenceEquals(k.Selections, selections) ? k : null;

    /// <summary>Saves the kept work of a run (committed capacity and outcomes, copies the caller no longer changes).</summary>
    public void SaveKeptWork(PlanOptions options, ImmutableArray<IScorer> scorers, object? selections, CapacityState state, UnitOutcome?[] outcomes, UnitOutcome?[] kept) =>
        _kept = new KeptWork(options, scorers, selections, state, outcomes, kept);

    /// <summary>
    /// Phase 1 of a run (the units that keep their placement) as it left the capacity: the same for every consolidate
    /// trial of a setup, so a trial copies it and plans only the rest.
    /// </summary>
    internal sealed record KeptWork(PlanOptions Options, ImmutableArray<IScorer> Scorers, object? Selections, CapacityState State, UnitOutcome?[] Outcomes, UnitOutcome?[] Kept)
    {
        /// <summary>The brief placements of <see cref="Outcomes"/>, made by the first trial that resumes from this kept work.</summary>
        public KeptPlacements? Placements { get; set; }

        /// <summary>
        /// True when no outcome of the kept work holds a reason text (none unplaced, none with a missing copy): a run with
        /// verdicts may resume from it as well as a trial (see <see cref="PlanRun.Run"/>).
        /// </summary>
        public bool WithoutReasonTexts { get; } = PlanRun.WithoutReasonTexts(Outcomes) && PlanRun.WithoutReasonTexts(Kept);

        /// <summary>The placements of the last trial that resumed from this kept work, or null before the first.</summary>
        public TrialPlacements? LastTrial { get; set; }

        /// <summary>
        /// By unit index, the units that fit on no cluster their scope allows even with only this kept work placed and no pool
        /// closed (see <c>Consolidate.Setups.FindStuck</c>): a trial resumed from this kept work has at least that capacity
        /// committed when their turn comes, and closures only take room away, so they fit nowhere in it either. Null until found.
        /// </summary>
        public bool[]? Stuck { get; set; }

        /// <summary>The outcome of a stuck unit (one workload, left unplaced without a reason), shared by every trial: never changed.</summary>
        public UnitOutcome StuckOutcome { get; } = new(1) { Unplaced = PlacementPipeline.ReasonLeftOut };
    }

    /// <summary>A trial's placements, as the next trial resumed from the same kept work starts from them.</summary>
    /// <param name="Placements">Every workload of the spec, by name.</param>
    /// <param name="Unplaced">By unit index, how <paramref name="Placements"/> holds the unit's members when the trial left the
    /// unit unplaced: its policy and reason (each member's placement is then those two, no copies, verdicts or missing copies);
    /// null for a unit the trial placed or the kept work placed. So a unit left unplaced the same way again needs neither new
    /// placements nor a lookup per member.</param>
    internal sealed record TrialPlacements(ImmutableSortedDictionary<string, WorkloadPlacement> Placements, (string? Policy, string Reason)?[] Unplaced);

    /// <summary>The brief placements (no verdicts) of the kept work's units, by workload name, and the copies they put on each cluster (by index).</summary>
    internal readonly record struct KeptPlacements(ImmutableSortedDictionary<string, WorkloadPlacement> Placements, int[] CopiesOn);

    private (List<PlacementUnit> Units, Dictionary<string, (int Unit, SchedulePolicy? Policy)> Singles) BuildUnits(PolicyCoverage[] coverage, DiagnosticBag diagnostics)
    {
        var model = Model;
        var scopes = new Dictionary<string, PolicyScope>(StringComparer.Ordinal);
        var defaultScope = new PolicyScope(null, model, PlacementPipeline.ClusterFilters);
        PolicyScope ScopeOf(SchedulePolicy? policy)
        {
            if (policy is null)
            {
                return defaultScope;
            }

            if (!scopes.TryGetValue(policy.Name, out var scope))
            {
                scope = new PolicyScope(policy, model, PlacementPipeline.ClusterFilters);
                scopes[policy.Name] = scope;
                WarnAboutSplit(policy, scope, diagnostics);
            }

            return scope;
        }

        var units = new List<PlacementUnit>(_spec.Workloads.Count);
        var singles = new Dictionary<string, (int Unit, SchedulePolicy? Policy)>(StringComparer.Ordinal);
        var keys = new DemandKeys();
        var groups = new SortedDictionary<string, (PolicyScope Scope, List<WorkloadSpec> Members)>(StringComparer.Ordinal);
        var index = 0;
        // The previous plan's placements walked beside the spec's workloads (both in ordinal name order in every run), not
        // looked up by name per workload.
        using var before = new InOrderLookup<WorkloadPlacement>(
            _previous?.Placements ?? ImmutableSortedDictionary.Create<string, WorkloadPlacement>(StringComparer.Ordinal),
            ReferenceEquals(_spec.Workloads.KeyComparer, StringComparer.Ordinal));

        foreach (var workload in _spec.Workloads.Values)
        {
            var covered = coverage[index++];
            var scope = ScopeOf(covered.Policy);
            if (covered.Problem is null && covered.Policy?.GroupByLabelKey is { } key && workload.Labels.TryGetValue(key, out var value))
            {
                var groupName = $"{covered.Policy.Name}/{key}={value}";
                if (!groups.TryGetValue(groupName, out var group))
                {
                    group = (scope, []);
                    groups[groupName] = group;
                }

                group.Members.Add(workload);
                continue;
            }

            singles[workload.Name] = (units.Count, covered.Policy);
            units.Add(new PlacementUnit(workload.Name, [workload], scope, covered.Problem, [before.Find(workload.Name) is { IsPlaced: true } was ? was : null], keys));
        }

        foreach (var (name, group) in groups)
        {
            var members = group.Members.ToArray();
            units.Add(new PlacementUnit(members.Length == 1 ? members[0].Name : name, members, group.Scope, null, [.. members.Select(m => PreviousOf(m.Name))], keys));
        }

        for (var i = 0; i < units.Count; i++)
        {
            units[i].Index = i;
        }

        return (units, singles);
    }

    private WorkloadPlacement? PreviousOf(string workload) =>
        _previous is not null && _previous.Placements.TryGetValue(workload, out var p) && p.IsPlaced ? p : null;

    private static void WarnAboutSplit(SchedulePolicy policy, PolicyScope scope, DiagnosticBag diagnostics)
    {
        if (policy.Spread is not { Mode: SpreadMode.Divide } spread || spread.PercentageSplit.IsDefaultOrEmpty)
        {
            return;
        }

        var total = spread.PercentageSplit.Sum(s => s.Percentage);
        if (total != 100)
        {
            diagnostics.Warning(
                $"{policy.Source}.spreadConstraints.percentageSplit",
                $"the percentages add up to {total}, not 100; shares are taken relative to {total}",
                "make the percentages add up to 100");
        }

        foreach (var s in spread.PercentageSplit)
        {
            if (s.Percentage > 0 && !scope.Domains.Any(d => string.Equals(d.Value, s.TopologyValue, StringComparison.Ordinal)))
            {
                diagnostics.Warning(
                    $"{policy.Source}.spreadConstraints.percentageSplit",
                    $"no cluster with {spread.TopologyKey}={s.TopologyValue} passes the policy's filters, so workloads divided by it stay unplaced",
                    "fix the topologyValue or the clusterSelector");
            }
        }
    }
}
