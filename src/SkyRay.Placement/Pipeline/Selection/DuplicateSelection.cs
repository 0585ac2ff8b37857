using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Pipeline.Selection;

/// <summary>
/// Spread Duplicate: the full unit once in every topology domain, on the domain's best cluster. With the
/// cluster name as topologyKey every cluster is its own domain, so every matching cluster that fits gets a copy.
/// Domains where nothing fits are skipped; the unit is unplaced only when no domain fits. On a re-plan the copies that keep
/// their cluster are placed first (<see cref="PlaceKept"/>, with the other kept units), the other domains later.
/// </summary>
internal sealed class DuplicateSelection : ISelection
{
    public static DuplicateSelection Instance { get; } = new();

    public string Name => "duplicate";

    public UnitOutcome Place(PlacementPipeline pipeline, PlacementUnit unit) => PlaceRest(pipeline, unit, new UnitOutcome(unit.Members.Length));

    /// <summary>
    /// The first part of a re-plan: a copy in each domain where the unit keeps a cluster of its previous plan and still fits
    /// there, nothing else (so the copies that run keep their room before moved or new work is placed). The outcome is
    /// unfinished: <see cref="PlaceRest"/> adds the other domains.
    /// </summary>
    public static UnitOutcome PlaceKept(PlacementPipeline pipeline, PlacementUnit unit)
    {
        var outcome = new UnitOutcome(unit.Members.Length) { KeptDomains = [] };
        var explained = pipeline.Options.Explain ? new ClusterVerdict?[pipeline.Model.Clusters.Length] : null;
        var shape = pipeline.BaseShapeId(unit);
        foreach (var domain in unit.Scope.Domains)
        {
            var sticky = pipeline.StickyCluster(unit, domain.Candidates, unit.Scope, domain.Value);
            if (sticky < 0)
            {
                continue;
            }

            // The stickiness scorer ranks the previous cluster first: it wins whenever it still fits.
            var trace = explained is null ? null : new List<Traced>();
            if (pipeline.TryFind(unit, unit.BaseCounts, shape, domain.Candidates, unit.Scope, sticky, trace, out var best) && best.Cluster == sticky)
            {
                pipeline.AddCopies(unit, unit.BaseCounts, best, domain.Value, outcome);
                outcome.KeptDomains.Add(domain.Value);
                if (trace is not null)
                {
                    pipeline.Explain(trace, best, domain.Value, explained!);
                }
            }
        }

        outcome.Explained = explained;
        return outcome;
    }

    /// <summary>Places the unit in every domain <paramref name="outcome"/> has no copy in yet, and finishes the outcome.</summary>
    public static UnitOutcome PlaceRest(PlacementPipeline pipeline, PlacementUnit unit, UnitOutcome outcome)
    {
        var scope = unit.Scope;
        var explained = outcome.Explained ?? (pipeline.Options.Explain ? new ClusterVerdict?[pipeline.Model.Clusters.Length] : null);
        var shape = pipeline.BaseShapeId(unit);
        List<TopologyDomain>? failed = null;
        foreach (var domain in scope.Domains)
        {
            if (outcome.KeptDomains?.Contains(domain.Value) == true)
            {
                continue;
            }

            var sticky = pipeline.StickyCluster(unit, domain.Candidates, scope, domain.Value);
            var trace = explained is null ? null : new List<Traced>();
            var found = pipeline.TryFind(unit, unit.BaseCounts, shape, domain.Candidates, scope, sticky, trace, out var best);
            if (found)
            {
                pipeline.AddCopies(unit, unit.BaseCounts, best, domain.Value, outcome);
            }
            else
            {
                (failed ??= []).Add(domain);
            }

            if (trace is not null)
            {
                pipeline.Explain(trace, found ? best : null, domain.Value, explained!);
            }
        }

        outcome.Explained = explained;
        outcome.KeptDomains = null;
        if (outcome.Placed && failed is not null)
        {
            // A missing copy's reason is worded only when a copy was placed elsewhere: a unit that fits in no domain keeps
            // none (its unplaced reason says why), and wording every candidate's reason for it was most of the time spent on
            // unplaced Duplicate units. Worded after the other domains were placed, the reasons are the same: a domain's
            // clusters have that domain's label value, so copies placed in other domains left their capacity as it was.
            foreach (var domain in failed)
            {
                (outcome.Missing ??= []).Add(new MissingCopy(scope.Policy!.Spread!.TopologyKey, domain.Value, MissingReason(pipeline, unit, domain)));
            }
        }

        if (!outcome.Placed)
        {
            // Every domain failed: the unplaced reason says so; missing copies list only gaps beside placed ones.
            outcome.Missing = null;
            outcome.Unplaced = pipeline.WithoutReasons ? PlacementPipeline.ReasonLeftOut : scope.Domains.Length == 0
                ? $"no cluster passes the filters of {SingleClusterSelection.Describe(scope)}"
                : $"Duplicate found no cluster that fits in any of the {scope.Domains.Length} domain(s) of {SingleClusterSelection.Describe(scope)}; needs {unit.DemandWords(unit.BaseCounts)}";
        }

        return outcome;
    }

    /// <summary>
    /// Why no cluster of a domain took the copy, against the capacity its clusters have: each candidate cluster's reason.
    /// Computed only for a failed domain of a placed unit, so a plan without gaps pays nothing.
    /// </summary>
    private static string MissingReason(PlacementPipeline pipeline, PlacementUnit unit, TopologyDomain domain) =>
        pipeline.WithoutReasons ? PlacementPipeline.ReasonLeftOut : string.Join("; ", domain.Candidates
            .Select(i => pipeline.Model.Clusters[i])
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => $"{c.Name}: {pipeline.DeclaredRejectReason(unit, c) ?? "passes every filter, yet the copy could not be placed"}"));
}
