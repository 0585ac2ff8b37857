using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

public class ClusterStateTests
{
    [Fact]
    public void Idle_static_cluster_with_suspend_standby_goes_to_standby_with_pools_at_zero()
    {
        var plan = new FleetBuilder()
            .Cluster("idle", c => c.Standby(StandbyMode.Suspend).Pool("cpu", "m5.4xlarge", 2, 4))
            .Plan();

        var idle = plan.Clusters["idle"];
        Assert.Equal(ClusterState.Standby, idle.State);
        var pool = Assert.Single(idle.Pools);
        Assert.Equal((0, 4, 0), (pool.MinNodes, pool.MaxNodes, pool.DesiredNodes));
        Assert.Equal(0m, idle.HourlyCost);
    }

    [Fact]
    public void Idle_static_cluster_with_delete_standby_is_absent()
    {
        var plan = new FleetBuilder()
            .Cluster("idle", c => c.Standby(StandbyMode.Delete).Pool("cpu", "m5.4xlarge", 2, 4))
            .Plan();

        Assert.Equal(ClusterState.Absent, plan.Clusters["idle"].State);
    }

    [Fact]
    public void Idle_static_cluster_without_standby_keeps_min_nodes_running()
    {
        var plan = new FleetBuilder()
            .Cluster("always", c => c.Pool("cpu", "m5.4xlarge", 2, 4))
            .Plan();

        Assert.Equal(ClusterState.Active, plan.Clusters["always"].State);
        Assert.Equal(2, plan.Clusters["always"].Pools[0].DesiredNodes);
        Assert.Equal(2 * 0.768m, plan.Clusters["always"].HourlyCost);
    }

    [Fact]
    public void Dynamic_cluster_with_suspend_standby_that_ran_work_goes_to_standby_when_the_work_leaves()
    {
        var fleet = new FleetBuilder()
            .Cluster("dyn", c => c.Dynamic().Standby(StandbyMode.Suspend).Pool("cpu", "m5.4xlarge", 1, 4))
            .Workload("job", w => w);
        var first = fleet.Plan();
        Assert.Equal(ClusterState.Active, first.Clusters["dyn"].State);

        var second = fleet.Without("job").Plan(first);
        Assert.Equal(ClusterState.Standby, second.Clusters["dyn"].State);

        var third = fleet.Workload("again", w => w).Plan(second);
        Assert.Equal(LaunchTier.WakeStandby, third.Placements["again"].Copies[0].Tier);
    }

    [Fact]
    public void Dynamic_cluster_without_standby_is_removed_when_its_work_leaves()
    {
        var fleet = new FleetBuilder()
            .Cluster("dyn", c => c.Dynamic().Pool("cpu", "m5.4xlarge", 1, 4))
            .Workload("job", w => w);
        var first = fleet.Plan();
        var second = fleet.Without("job").Plan(first);

        Assert.Equal(ClusterState.Absent, second.Clusters["dyn"].State);
        Assert.Contains("not provisioned", second.Clusters["dyn"].Reason);
    }

    [Fact]
    public void Pool_with_an_instance_type_missing_from_the_catalog_offers_nothing_and_is_reported()
    {
        var plan = new FleetBuilder()
            .Cluster("c", c => c.Pool("cpu", "m9.imaginary", 1, 4))
            .Workload("job", w => w)
            .Plan();

        Assert.False(plan.Placements["job"].IsPlaced);
        var warning = Assert.Single(plan.Diagnostics);
        Assert.Equal("skyray:clusters.c.nodePools.cpu.instanceType", warning.Path);
        Assert.Contains("node-pools", plan.Placements["job"].Verdicts[0].Reason);
    }
}
