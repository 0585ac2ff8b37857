using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

public class StabilityTests
{
    private static FleetBuilder Fleet() => new FleetBuilder()
        .Cluster("aws-1", c => c.Label("tier", "a").Pool("cpu", "m5.4xlarge", 1, 3))
        .Cluster("aws-2", c => c.Label("tier", "b").Pool("cpu", "m5.4xlarge", 1, 3))
        .Cluster("dyn", c => c.Dynamic().Pool("cpu", "m5.4xlarge", 0, 3))
        .Policy("on-a", p => p.Clusters("tier", "a"))
        .Policy("on-b", p => p.Clusters("tier", "b"))
        .Workload("w1", w => w.Workers("w", 2, 4000, 8))
        .Workload("w2", w => w.Workers("w", 3, 4000, 8))
        .Workload("w3", w => w.Policy("on-a").Workers("w", 1, 2000, 4))
        .Workload("w4", w => w.Workers("w", 4, 3000, 4));

    [Fact]
    public void A_no_op_re_plan_moves_nothing()
    {
        var fleet = Fleet();
        var first = fleet.Plan();
        var second = fleet.Plan(first);

        foreach (var name in first.Placements.Keys)
        {
            Assert.Equal(first.ClustersOf(name), second.ClustersOf(name));
            Assert.Equal(first.Placements[name].Copies[0].GroupPools, second.Placements[name].Copies[0].GroupPools);
        }

        Assert.Equal(first.Clusters.Values.Select(c => c.State), second.Clusters.Values.Select(c => c.State));
    }

    [Fact]
    public void Changing_one_workloads_policy_moves_only_that_workload()
    {
        var first = Fleet().Plan();
        var second = Fleet().Workload("w3", w => w.Policy("on-b").Workers("w", 1, 2000, 4)).Plan(first);

        Assert.Equal("aws-1", first.ClusterOf("w3"));
        Assert.Equal("aws-2", second.ClusterOf("w3"));
        foreach (var name in new[] { "w1", "w2", "w4" })
        {
            Assert.Equal(first.ClusterOf(name), second.ClusterOf(name));
        }
    }

    [Fact]
    public void A_workload_stays_on_its_cluster_even_when_a_faster_one_appears()
    {
        var before = new FleetBuilder()
            .Cluster("dyn", c => c.Dynamic().Pool("cpu", "m5.4xlarge", 0, 3))
            .Workload("job", w => w)
            .Plan();
        Assert.Equal("dyn", before.ClusterOf("job"));

        var after = new FleetBuilder()
            .Cluster("dyn", c => c.Dynamic().Pool("cpu", "m5.4xlarge", 0, 3))
            .Cluster("new-static", c => c.Pool("cpu", "m5.4xlarge", 1, 3))
            .Workload("job", w => w)
            .Plan(before);

        Assert.Equal("dyn", after.ClusterOf("job"));
        Assert.Equal(LaunchTier.RunningNodes, after.Placements["job"].Copies[0].Tier);
        Assert.Equal(ClusterState.Active, after.Clusters["dyn"].State);
    }

    [Fact]
    public void A_workload_leaves_a_cluster_its_policy_no_longer_selects()
    {
        var fleet = new FleetBuilder()
            .Cluster("exp-1", c => c.Label("team", "exp").Pool("cpu", "m5.4xlarge", 1, 3))
            .Cluster("exp-2", c => c.Pool("cpu", "m5.4xlarge", 1, 3))
            .Policy("experiments", p => p.Clusters("team", "exp"))
            .Workload("trial", w => w.Policy("experiments"));
        var first = fleet.Plan();

        var relabelled = new FleetBuilder()
            .Cluster("exp-1", c => c.Pool("cpu", "m5.4xlarge", 1, 3))
            .Cluster("exp-2", c => c.Label("team", "exp").Pool("cpu", "m5.4xlarge", 1, 3))
            .Policy("experiments", p => p.Clusters("team", "exp"))
            .Workload("trial", w => w.Policy("experiments"))
            .Plan(first);

        Assert.Equal("exp-1", first.ClusterOf("trial"));
        Assert.Equal("exp-2", relabelled.ClusterOf("trial"));
    }

    [Fact]
    public void A_workload_that_no_longer_fits_its_cluster_moves()
    {
        var first = new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Cluster("b", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Workload("job", w => w.Workers("w", 1, 4000, 8))
            .Plan();
        Assert.Equal("a", first.ClusterOf("job"));

        var grown = new FleetBuilder()
            .Cluster("a", c => c.Pool("cpu", "m5.xlarge", 1, 1))
            .Cluster("b", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Workload("job", w => w.Workers("w", 1, 4000, 8))
            .Plan(first);
        Assert.Equal("b", grown.ClusterOf("job"));
    }
}
