using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

public class CatalogAndVerdictDetailTests
{
    [Fact]
    public void An_existing_cluster_without_a_cloud_finds_its_instance_type_by_name()
    {
        var plan = new FleetBuilder()
            .Cluster("lab", c => c.Provider(CloudProvider.Existing).Pool("workers", "n2-standard-8", 1, 1))
            .Workload("job", w => w.Workers("w", 1, 4000, 8))
            .Plan();

        Assert.Equal("lab", plan.ClusterOf("job"));
        Assert.Equal(0.388m, plan.Clusters["lab"].HourlyCost);
        Assert.Equal("existing", plan.Clusters["lab"].Labels[WellKnownLabels.Provider]);
    }

    [Fact]
    public void Above_the_detail_limit_unplaced_capacity_reasons_are_one_shared_sentence()
    {
        var spec = TwoNodesOneRuledOut().Build();

        var detailed = FleetPlanner.Plan(spec).Placements["big"];
        var terse = FleetPlanner.Plan(spec, null, new PlanOptions(DetailedVerdictLimit: 0)).Placements["big"];

        Assert.Contains("room for", detailed.Verdicts[0].Reason);
        Assert.Contains("not enough room left", terse.Verdicts[0].Reason);
        // Filter reasons stay exact either way.
        Assert.Equal(detailed.Verdicts[1].Reason, terse.Verdicts[1].Reason);
        Assert.Contains("cluster-selector", terse.Verdicts[1].Reason);
        Assert.Contains("needs 1 'head' pod(s)", terse.UnplacedReason);
        Assert.Equal(detailed.Copies, terse.Copies);
    }

    [Fact]
    public void A_declaring_run_gives_unplaced_workloads_no_cluster_verdicts_and_changes_nothing_else()
    {
        // "big" needs four 3-CPU workers: each cluster has one 4-CPU node, so it is unplaced; "small" fits on "a".
        var spec = TwoNodesOneRuledOut()
            .Workload("small", w => w.Policy("not-b").Workers("w", 1, 500, 1))
            .Build();

        var full = FleetPlanner.Plan(spec, null, PlanOptions.Default);
        var declaring = FleetPlanner.Plan(spec, null, PlanOptions.Declaring);

        Assert.Equal(2, full.Placements["big"].Verdicts.Length);
        Assert.True(declaring.Placements["big"].Verdicts.IsEmpty);
        Assert.False(declaring.Placements["big"].Verdicts.IsDefault);
        Assert.Equal(full.Placements["big"].UnplacedReason, declaring.Placements["big"].UnplacedReason);
        Assert.Contains("needs 1 'head' pod(s)", declaring.Placements["big"].UnplacedReason);
        Assert.Equal("a", declaring.ClusterOf("small"));
        Assert.Equal(
            full.Placements["small"].Verdicts.Select(v => (v.Cluster, v.Accepted, v.Score, v.Reason)),
            declaring.Placements["small"].Verdicts.Select(v => (v.Cluster, v.Accepted, v.Score, v.Reason)));
        Assert.StartsWith("selected: ", declaring.Placements["small"].Verdicts.Single().Reason);
        Assert.Equal(full.HourlyCost, declaring.HourlyCost);
        Assert.Equal(PlanJson.Write(Without(full)), PlanJson.Write(Without(declaring)));

        // --explain asks for every verdict whatever the option says.
        var explained = FleetPlanner.Plan(spec, null, PlanOptions.Declaring with { Explain = true });
        Assert.Equal(2, explained.Placements["big"].Verdicts.Length);
        Assert.Contains("cluster-selector", explained.Placements["big"].Verdicts[1].Reason);
    }

    /// <summary>Clusters "a" and "b" with one m5.xlarge node each, policy "not-b" ruling "b" out, and "big" (four 3-CPU workers) under it.</summary>
    private static FleetBuilder TwoNodesOneRuledOut() => new FleetBuilder()
        .Cluster("a", c => c.Pool("cpu", "m5.xlarge", 1, 1))
        .Cluster("b", c => c.Label("x", "y").Pool("cpu", "m5.xlarge", 1, 1))
        .Policy("not-b", p => p.ClusterSelector(PolicyBuilder.Expr("x", Fleet.Policies.SelectorOperator.DoesNotExist)))
        .Workload("big", w => w.Policy("not-b").Workers("w", 4, 3000, 4));

    /// <summary>The plan with every verdict list empty (as the placements output keeps it).</summary>
    private static FleetPlan Without(FleetPlan plan) => plan with
    {
        Placements = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(
            StringComparer.Ordinal,
            plan.Placements.Select(p => KeyValuePair.Create(p.Key, p.Value with { Verdicts = [] }))),
    };
}
