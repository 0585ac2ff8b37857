using FsCheck.Xunit;
using SkyRay.Placement.Pipeline;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>
/// A re-plan keeps a unit on its cluster by evaluating that cluster once (<see cref="PlacementPipeline.Stay"/>) instead of
/// asking whether it can stay and then searching. That changes the speed only: the plan is the one the two steps give. The
/// two steps still run when a run is given its selections, so a run given the default selections explicitly is the
/// reference. Checked on random stack configs, re-planned after an edit and unchanged (where nearly every unit stays).
/// </summary>
public sealed class StayShortcutProperties
{
    [Property(MaxTest = 80)]
    public void A_re_plan_after_an_edit_is_the_same_as_with_the_search(int seed)
    {
        var stack = RandomStack.Generate(seed);
        var options = new PlanOptions();
        var first = PlanJson.Read(PlanJson.Write(new PlanRun(stack.Load(), null, options).Run()));
        var (edited, edit, _) = stack.Change(seed);

        SameAsWithTheSearch(edited.Load(), first, options, $"seed {seed}, edit '{edit}'");
    }

    [Property(MaxTest = 80)]
    public void A_re_plan_of_the_same_config_is_the_same_as_with_the_search(int seed)
    {
        var spec = RandomStack.Generate(seed).Load();
        var options = new PlanOptions();
        var first = PlanJson.Read(PlanJson.Write(new PlanRun(spec, null, options).Run()));

        var kept = SameAsWithTheSearch(spec, first, options, $"seed {seed}");

        // The shortcut was taken: some workload the first plan placed alone is still where it was.
        var placedAlone = first.Placements.Values.Count(p => p.Copies.Length == 1);
        Assert.True(placedAlone == 0 || kept > 0, $"seed {seed}: no workload kept its cluster");
    }

    [Property(MaxTest = 40)]
    public void A_re_plan_with_verdicts_for_every_cluster_is_the_same(int seed)
    {
        // --explain takes the search (every candidate is traced); the answer is the shortcut's.
        var spec = RandomStack.Generate(seed).Load();
        var first = PlanJson.Read(PlanJson.Write(new PlanRun(spec, null, new PlanOptions()).Run()));

        var quick = new PlanRun(spec, first, new PlanOptions()).Run();
        var explained = new PlanRun(spec, first, new PlanOptions(Explain: true)).Run();

        Assert.Equal(Clusters(quick), Clusters(explained));
    }

    /// <summary>Asserts the same plan JSON with the shortcut and with the search; returns the workloads on their previous cluster.</summary>
    private static int SameAsWithTheSearch(Fleet.Config.FleetSpec spec, FleetPlan previous, PlanOptions options, string label)
    {
        var quick = new PlanRun(spec, previous, options).Run();
        var searched = new PlanRun(spec, previous, options) { Selections = PlacementPipeline.SelectionFor }.Run();

        Assert.True(string.Equals(PlanJson.Write(searched), PlanJson.Write(quick), StringComparison.Ordinal), $"{label}: the plans differ");
        return quick.Placements.Values.Count(p =>
            p.Copies.Length == 1 && previous.Placements.TryGetValue(p.Workload, out var before) &&
            before.Copies.Length == 1 && before.Copies[0].Cluster == p.Copies[0].Cluster);
    }

    private static string Clusters(FleetPlan plan) =>
        string.Join(";", plan.Placements.Values.Select(p => $"{p.Workload}={string.Join(",", p.Copies.Select(c => $"{c.Cluster}:{string.Join("+", c.GroupPools.Select(g => $"{g.Key}@{g.Value}"))}"))}"));
}
