using SkyRay.Placement.Planning;

namespace SkyRay.Placement.Pipeline.Selection;

/// <summary>No spread: the whole unit on the one best cluster (clusterSelector, orderedClusterSelector or available capacity).</summary>
internal sealed class SingleClusterSelection : ISelection
{
    public static SingleClusterSelection Instance { get; } = new();

    public string Name => "single";

    public UnitOutcome Place(PlacementPipeline pipeline, PlacementUnit unit)
    {
        var outcome = new UnitOutcome(unit.Members.Length);
        var scope = unit.Scope;
        var sticky = pipeline.StickyCluster(unit, scope.Candidates, scope, null);
        var trace = pipeline.Options.Explain ? new List<Traced>() : null;
        if (pipeline.TryFind(unit, unit.BaseCounts, pipeline.BaseShapeId(unit), scope.Candidates, scope, sticky, trace, out var best))
        {
            pipeline.AddCopies(unit, unit.BaseCounts, best, null, outcome);
        }
        else
        {
            outcome.Unplaced = pipeline.WithoutReasons ? PlacementPipeline.ReasonLeftOut : scope.Candidates.Length == 0
                ? $"no cluster passes the filters of {Describe(scope)}"
                : $"fits on none of the {scope.Candidates.Length} cluster(s) {Describe(scope)} allows; needs {unit.DemandWords(unit.BaseCounts)}";
        }

        if (trace is not null)
        {
            outcome.Explained = new ClusterVerdict?[pipeline.Model.Clusters.Length];
            pipeline.Explain(trace, outcome.Placed ? best : null, null, outcome.Explained);
        }

        return outcome;
    }

    public static string Describe(PolicyScope scope) =>
        scope.Name is null ? "the default policy (available capacity)" : $"policy '{scope.Name}'";
}
