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

    public PlacementPipeline(PlanModel model, PlanOptions options)
    {
        Model = model;
        Options = options;
        State = new CapacityState(model);
        Packer = new UnitPacker(State);
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

    /// <summary>A number that orders candidates like the scorers do (lower is better), for display.</summary>
    public static double ScoreOf(in Candidate c) =>
        (c.Sticky ? 0 : 1e9) + (c.Rank * 1e6) + ((int)c.Tier * 1e4) + (double)c.Cost;

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
    /// Finds the best cluster among <paramref name="candidates"/> (already in rank, start tier, name order).
    /// Exact with early exits: the sticky cluster first; within a rank a running-nodes fit ends the search (nothing
    /// can beat tier 0 at cost 0 with an earlier name); a found fit ends the search at the next rank; a cluster
    /// whose start tier is slower than the best so far ends it too. With <paramref name="trace"/> every candidate
    /// is evaluated (for --explain) and the result is the same.
    /// </summary>
    public bool TryFind(PlacementUnit unit, ReadOnlySpan<int> counts, int[] candidates, PolicyScope scope, int sticky, List<Traced>? trace, out Candidate best)
    {
        best = default;
        var found = false;
        var (cpu, mem, gpu) = unit.Totals(counts);
        Span<int> chosen = stackalloc int[unit.Groups.Length];
        if (trace is not null)
        {
            foreach (var c in candidates)
            {
                var candidate = Try(unit, counts, c, scope, c == sticky, chosen, out var reject);
                trace.Add(new Traced(c, candidate, reject));
                if (candidate is { } ok && (!found || Compare(ok, best) < 0))
                {
                    best = ok;
                    found = true;
                }
            }

            return found;
        }

        if (sticky >= 0 && Try(unit, counts, sticky, scope, true, chosen, out _) is { } stay)
        {
            best = stay;
            return true;
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
                if (found)
                {
                    if (cluster.StartTier > best.Tier)
                    {
                        break;
                    }

                    if (cluster.ActiveAtStart)
                    {
                        // Only a running-nodes fit can beat a free scale-up found earlier.
                        if (best.Tier == LaunchTier.ScaleUp && best.Cost == 0m && !State.MayFitRunning(c, cpu, mem, gpu))
                        {
                            continue;
                        }
                    }
                    else
                    {
                        if (best.Cost == 0m)
                        {
                            break;
                        }

                        if (!State.IsActive(c) && cluster.MinNodesCost >= best.Cost)
                        {
                            continue;
                        }
                    }
                }

                if (!State.MayFit(c, cpu, mem, gpu) || !PassesUnitFilters(unit, cluster))
                {
                    continue;
                }

                var fit = Packer.Evaluate(unit, counts, cluster, keep: false, chosen);
                if (!fit.Ok)
                {
                    continue;
                }

                var candidate = new Candidate(c, false, rank, fit.Tier, fit.Cost);
                if (!found || Compare(candidate, best) < 0)
                {
                    best = candidate;
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
            var workers = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
            var pools = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
            var cost = 0m;
            for (var g = 0; g < unit.Groups.Length; g++)
            {
                var group = unit.Groups[g];
                if (group.Member != m)
                {
                    continue;
                }

                var pool = Model.Pools[chosen[g]];
                if (group.IsWorker)
                {
                    workers[group.Group] = counts[g];
                }

                pools[group.Group] = pool.Name;
                cost += ShareCost(pool, group, counts[g]);
            }

            var member = unit.Members[m];
            outcome.Copies[m].Add(new WorkloadCopy(
                member.Name,
                cluster.Name,
                workers.ToImmutable(),
                pools.ToImmutable(),
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
    public ClusterVerdict ChosenVerdict(in Candidate c, string? domain) =>
        new(Model.Clusters[c.Cluster].Name, true, ScoreOf(c), (domain is null ? string.Empty : $"domain {domain}: ") + AcceptedReason(c, null));

    /// <summary>
    /// A verdict for every cluster of a unit that could not be placed, against the capacity left at the end of the
    /// plan (capacity only shrinks while planning, so what did not fit then does not fit now). Units with the same
    /// policy and demand share one array, which keeps a plan with many unplaced workloads small.
    /// </summary>
    public ImmutableArray<ClusterVerdict> UnplacedVerdicts(PlacementUnit unit)
    {
        var key = VerdictKey(unit);
        if (_unplacedVerdicts.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var verdicts = ImmutableArray.CreateBuilder<ClusterVerdict>(Model.Clusters.Length);
        foreach (var cluster in Model.Clusters)
        {
            verdicts.Add(new ClusterVerdict(cluster.Name, false, null, UnplacedReasonFor(unit, cluster)));
        }

        var result = verdicts.MoveToImmutable();
        _unplacedVerdicts[key] = result;
        return result;
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

    private Candidate? Try(PlacementUnit unit, ReadOnlySpan<int> counts, int c, PolicyScope scope, bool sticky, Span<int> chosen, out string? reject)
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

        var fit = Packer.Evaluate(unit, counts, cluster, keep: false, chosen);
        if (!fit.Ok)
        {
            if (Options.Explain)
            {
                reject = $"skipped by {CapacityFilterName}: {VerdictText.CapacityFailure(Packer, unit, counts, cluster)}";
            }

            return null;
        }

        return new Candidate(c, sticky, scope.Rank[c], fit.Tier, fit.Cost);
    }

    private static bool PassesUnitFilters(PlacementUnit unit, PlanCluster cluster)
    {
        foreach (var filter in UnitFilters)
        {
            if (!filter.Passes(unit, cluster))
            {
                return false;
            }
        }

        return true;
    }

    private string AcceptedReason(in Candidate c, Candidate? winner)
    {
        var parts = new List<string>(4);
        foreach (var scorer in Scorers)
        {
            var words = scorer.Describe(c);
            if (words.Length > 0)
            {
                parts.Add($"{scorer.Name} {words}");
            }
        }

        var facts = string.Join(", ", parts);
        if (winner is not { } w)
        {
            return $"selected: {LaunchTierScorer.Words(c.Tier)}, +{CostScorer.Money(c.Cost)} ({facts})";
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

    private static string VerdictKey(PlacementUnit unit)
    {
        var key = new System.Text.StringBuilder();
        key.Append(unit.Scope.Name ?? "<default>").Append('|').Append(unit.Problem).Append('|');
        if (unit.Members.Length > 1)
        {
            // Group labels in the reasons name the member workloads.
            key.Append(unit.Name).Append('|');
        }

        foreach (var g in unit.Groups)
        {
            key.Append(g.Group).Append(':').Append(g.Cpu).Append(',').Append(g.Mem).Append(',').Append(g.Gpu).Append(',')
                .Append(g.GpuType).Append('x').Append(g.Count).Append(';');
        }

        return key.ToString();
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
    public UnitOutcome(int members)
    {
        Copies = new List<WorkloadCopy>[members];
        for (var i = 0; i < members; i++)
        {
            Copies[i] = [];
        }
    }

    /// <summary>Copies per member.</summary>
    public List<WorkloadCopy>[] Copies { get; }

    /// <summary>Clusters chosen, with their scores.</summary>
    public List<Traced> Chosen { get; } = [];

    /// <summary>Domains of <see cref="Chosen"/>, same order (null without spread).</summary>
    public List<string?> ChosenDomains { get; } = [];

    /// <summary>Why nothing was placed, or null.</summary>
    public string? Unplaced { get; set; }

    /// <summary>Verdict per cluster (explain mode only).</summary>
    public ClusterVerdict?[]? Explained { get; set; }
}
