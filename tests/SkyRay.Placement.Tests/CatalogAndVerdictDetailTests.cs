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
        var fleet = new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Cluster("b", c => c.Label("x", "y").Pool("cpu", "m5.xlarge", 1, 1))
            .Policy("not-b", p => p.ClusterSelector(PolicyBuilder.Expr("x", Fleet.Policies.SelectorOperator.DoesNotExist)))
            .Workload("big", w => w.Policy("not-b").Workers("w", 4, 3000, 4));
        var spec = fleet.Build();

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
}
