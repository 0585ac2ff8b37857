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

/// <summary>Verdicts: the plain words of why each cluster was chosen, passed over or skipped.</summary>
internal sealed partial class PlacementPipeline
{
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
    /// The verdicts of a unit placed on one cluster. Verdicts are immutable, so units placed with the same facts on
    /// the same cluster share one array (tens of thousands of placed workloads would otherwise each hold their own).
    /// </summary>
    public ImmutableArray<ClusterVerdict> SingleChosenVerdicts(in Candidate c)
    {
        var key = (c.Cluster, c.Sticky, c.Rank, c.Tier, c.Cost);
        if (!_chosenVerdicts.TryGetValue(key, out var verdicts))
        {
            verdicts = [ChosenVerdict(c)];
            _chosenVerdicts[key] = verdicts;
        }

        return verdicts;
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

    /// <summary>
    /// <see cref="RejectReason"/> of the unit's declared counts against the capacity left now, remembered per verdict key
    /// and cluster while the cluster's committed capacity stays the same: units with one key have the same filters and
    /// demand, so the same words. A spread Duplicate on a full fleet asks this for every missing copy, of thousands of
    /// units with a few demands. Units with a previous plan pack by their previous pools, so they are not shared.
    /// </summary>
    public string? DeclaredRejectReason(PlacementUnit unit, PlanCluster cluster)
    {
        if (unit.PreviousClusters.Length > 0 || State.IsDirty(cluster.Index))
        {
            return RejectReason(unit, unit.BaseCounts, cluster);
        }

        var key = (VerdictKey(unit), cluster.Index);
        var version = State.Version(cluster.Index);
        if (_declaredRejections.TryGetValue(key, out var known) && known.Version == version)
        {
            // Debug builds (the tests) check every answer given from memory against the words made afresh.
            System.Diagnostics.Debug.Assert(string.Equals(known.Reason, RejectReason(unit, unit.BaseCounts, cluster), StringComparison.Ordinal), "a remembered reject reason differs from a fresh one");
            return known.Reason;
        }

        var reason = RejectReason(unit, unit.BaseCounts, cluster);
        _declaredRejections[key] = (version, reason);
        return reason;
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

    private string VerdictKey(PlacementUnit unit)
    {
        if (unit.VerdictKey is { } known)
        {
            return known;
        }

        // Built on the stack and interned: tens of thousands of unplaced units repeat a few keys.
        var key = new System.Runtime.CompilerServices.DefaultInterpolatedStringHandler(0, 0, null, stackalloc char[256]);
        key.AppendFormatted(unit.Scope.Name ?? "<default>");
        key.AppendLiteral("|");
        key.AppendFormatted(unit.Problem);
        key.AppendLiteral("|");
        if (unit.Members.Length > 1)
        {
            // Group labels in the reasons name the member workloads.
            key.AppendFormatted(unit.Name);
            key.AppendLiteral("|");
        }

        foreach (var g in unit.Groups)
        {
            key.AppendFormatted(g.Group);
            key.AppendLiteral(":");
        }

        key.AppendFormatted(unit.BaseKey);
        var text = unit.Keys.Intern(key.Text);
        key.Clear();
        unit.VerdictKey = text;
        return text;
    }
}
