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
            else
            {
                (outcome.Missing ??= []).Add(new MissingCopy(scope.Policy!.Spread!.TopologyKey, domain.Value, MissingReason(pipeline, unit, domain)));
            }

            if (trace is not null)
            {
                pipeline.Explain(trace, found ? best : null, domain.Value, explained!);
            }
        }

        outcome.Explained = explained;
        if (!outcome.Placed)
        {
            // Every domain failed: the unplaced reason says so; missing copies list only gaps beside placed ones.
            outcome.Missing = null;
            outcome.Unplaced = scope.Domains.Length == 0
                ? $"no cluster passes the filters of {SingleClusterSelection.Describe(scope)}"
                : $"Duplicate found no cluster that fits in any of the {scope.Domains.Length} domain(s) of {SingleClusterSelection.Describe(scope)}; needs {unit.DemandWords(unit.BaseCounts)}";
        }

        return outcome;
    }

    /// <summary>
    /// Why no cluster of a domain took the copy, against the capacity left at that moment: each candidate cluster's
    /// reason. Computed only for a failed domain, so a plan without gaps pays nothing.
    /// </summary>
    private static string MissingReason(PlacementPipeline pipeline, PlacementUnit unit, TopologyDomain domain) =>
        string.Join("; ", domain.Candidates
            .Select(i => pipeline.Model.Clusters[i])
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => $"{c.Name}: {pipeline.RejectReason(unit, unit.BaseCounts, c) ?? "passes every filter, yet the copy could not be placed"}"));
}
