using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Pipeline.Selection;

/// <summary>
/// Spread Duplicate: the full unit once in every topology domain, on the domain's best cluster. With the
/// cluster name as topologyKey every cluster is its own domain, so every matching cluster that fits gets a copy.
/// Domains where nothing fits are skipped; the unit is unplaced only when no domain fits.
/// </summary>
internal sealed class DuplicateSelection : ISelection
{
    public static DuplicateSelection Instance { get; } = new();

    public string Name => "duplicate";

    public UnitOutcome Place(PlacementPipeline pipeline, PlacementUnit unit)
    {
        var outcome = new UnitOutcome(unit.Members.Length);
        var scope = unit.Scope;
        var explained = pipeline.Options.Explain ? new ClusterVerdict?[pipeline.Model.Clusters.Length] : null;
        var shape = pipeline.BaseShapeId(unit);
        foreach (var domain in scope.Domains)
        {
            var sticky = pipeline.StickyCluster(unit, domain.Candidates, scope, domain.Value);
            var trace = explained is null ? null : new List<Traced>();
            var found = pipeline.TryFind(unit, unit.BaseCounts, shape, domain.Candidates, scope, sticky, trace, out var best);
            if (found)
            {
                pipeline.AddCopies(unit, unit.BaseCounts, best, domain.Value, outcome);
            }

            if (trace is not null)
            {
                pipeline.Explain(trace, found ? best : null, domain.Value, explained!);
            }
        }

        outcome.Explained = explained;
        if (!outcome.Placed)
        {
            outcome.Unplaced = scope.Domains.Length == 0
                ? $"no cluster passes the filters of {SingleClusterSelection.Describe(scope)}"
                : $"Duplicate found no cluster that fits in any of the {scope.Domains.Length} domain(s) of {SingleClusterSelection.Describe(scope)}; needs {unit.DemandWords(unit.BaseCounts)}";
        }

        return outcome;
    }
}
