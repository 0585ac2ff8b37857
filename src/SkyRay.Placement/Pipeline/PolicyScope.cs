using System.Collections.Immutable;
using SkyRay.Fleet.Policies;
using SkyRay.Placement.Model;

namespace SkyRay.Placement.Pipeline;

/// <summary>
/// Everything about a policy that does not depend on the workload, computed once per plan: which clusters pass
/// the cluster filters (and why the others do not), their priority rank, and the topology domains.
/// </summary>
internal sealed class PolicyScope
{
    public PolicyScope(SchedulePolicy? policy, PlanModel model, IReadOnlyList<IClusterFilter> filters)
    {
        Policy = policy;
        _model = model;
        _filters = filters;
        var n = model.Clusters.Length;
        _rejectedBy = new int[n];
        Rank = new int[n];
        Domain = new string?[n];
        var passing = new List<int>();
        foreach (var cluster in model.Clusters)
        {
            _rejectedBy[cluster.Index] = -1;
            for (var f = 0; f < filters.Count; f++)
            {
                if (!filters[f].Passes(policy, cluster))
                {
                    _rejectedBy[cluster.Index] = f;
                    break;
                }
            }

            if (_rejectedBy[cluster.Index] >= 0)
            {
                continue;
            }

            passing.Add(cluster.Index);
            Rank[cluster.Index] = Scoring.PriorityScorer.RankOf(policy, cluster);
            if (policy?.Spread is { } spread)
            {
                Domain[cluster.Index] = cluster.Labels[spread.TopologyKey];
            }
        }

        // Search order: priority rank, then the fastest tier a cluster can offer, then name (= index) for active
        // clusters; clusters to wake or create by their cheapest node first, so the search finds a good fit early
        // and the scorers' bounds skip the rest (the result does not depend on this order: the search compares
        // bounds and floors with the scorers, never relies on positions).
        // Sorted in place: the last key (the index) tells every two apart, so any sort gives the order a stable OrderBy
        // chain gave (a scope is built per policy per setup, and per moved workload in every move trial).
        var candidates = passing.ToArray();
        var rank = Rank;
        Array.Sort(candidates, (a, b) =>
        {
            var c = rank[a].CompareTo(rank[b]);
            if (c != 0)
            {
                return c;
            }

            var x = model.Clusters[a];
            var y = model.Clusters[b];
            // As ints: an enum's own CompareTo takes an object, so each comparison boxed both tiers.
            c = ((int)x.StartTier).CompareTo((int)y.StartTier);
            if (c != 0)
            {
                return c;
            }

            c = (x.ActiveAtStart ? 0m : x.CheapestNode).CompareTo(y.ActiveAtStart ? 0m : y.CheapestNode);
            return c != 0 ? c : a.CompareTo(b);
        });
        Candidates = candidates;
        Domains = [.. Candidates
            .Where(i => Domain[i] is not null)
            .GroupBy(i => Domain[i]!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TopologyDomain(g.Key, [.. g]))];
        CandidateSet = new bool[n];
        foreach (var i in Candidates)
        {
            CandidateSet[i] = true;
        }
    }

    /// <summary>The policy, or null for the default (available capacity).</summary>
    public SchedulePolicy? Policy { get; }

    /// <summary>The policy's name, or null for the default.</summary>
    public string? Name => Policy?.Name;

    /// <summary>Why each cluster is not a candidate, null for candidates.</summary>
    public string?[] Rejections => _rejections ?? LazyInitializer.EnsureInitialized(ref _rejections, Explain);

    /// <summary>
    /// The suffix floors (see <c>PlacementPipeline.SuffixFloors</c>) of one of this scope's candidate lists for a pipeline of
    /// <paramref name="model"/> with <paramref name="scorers"/>, when one such pipeline worked them out; null otherwise.
    /// </summary>
    public Candidate[]? KnownFloors(PlanModel model, ImmutableArray<IScorer> scorers, int[] candidates) =>
        ReferenceEquals(model, _model) && _floorScorers == scorers && _floors.TryGetValue(candidates, out var floors) ? floors : null;

    /// <summary>Keeps floors a pipeline worked out (only for this scope's model; a pipeline with other scorers starts over).</summary>
    public void KeepFloors(PlanModel model, ImmutableArray<IScorer> scorers, int[] candidates, Candidate[] floors)
    {
        if (!ReferenceEquals(model, _model))
        {
            return;
        }

        if (_floorScorers != scorers)
        {
            _floorScorers = scorers;
            _floors.Clear();
        }

        _floors[candidates] = floors;
    }

    // Keyed by the list object: every list is the scope's own (its candidates or a domain's), so there are a few.
    private readonly Dictionary<int[], Candidate[]> _floors = new(ReferenceEqualityComparer.Instance);
    private ImmutableArray<IScorer> _floorScorers;

    private readonly PlanModel _model;
    private readonly IReadOnlyList<IClusterFilter> _filters;

    // Per cluster, the index of the first filter that rejects it, or -1.
    private readonly int[] _rejectedBy;
    private string?[]? _rejections;

    /// <summary>
    /// The reasons, written when first read: only verdicts read them, and a consolidate trial (which has none) builds a
    /// scope per policy and per moved workload, so writing them up front was most of what a scope cost.
    /// </summary>
    private string?[] Explain()
    {
        var reasons = new string?[_rejectedBy.Length];
        foreach (var cluster in _model.Clusters)
        {
            if (_rejectedBy[cluster.Index] is var f and >= 0)
            {
                var filter = _filters[f];
                reasons[cluster.Index] = $"skipped by {filter.Name}: {filter.Reject(Policy, cluster) ?? throw new InvalidOperationException($"filter {filter.Name} passes what it rejected")}";
            }
        }

        return reasons;
    }

    /// <summary>Priority rank per cluster (0 best).</summary>
    public int[] Rank { get; }

    /// <summary>Topology value per cluster when the policy spreads.</summary>
    public string?[] Domain { get; }

    /// <summary>Candidate clusters in search order.</summary>
    public int[] Candidates { get; }

    public bool[] CandidateSet { get; }

    /// <summary>Spread domains sorted by value, each with its candidates in search order.</summary>
    public TopologyDomain[] Domains { get; }
}

/// <summary>A topology domain: clusters sharing one value of the spread topologyKey.</summary>
/// <param name="Value">The label value.</param>
/// <param name="Candidates">Its candidate clusters in search order.</param>
internal sealed record TopologyDomain(string Value, int[] Candidates);
