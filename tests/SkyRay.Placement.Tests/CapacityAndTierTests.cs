using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

public class CapacityAndTierTests
{
    [Fact]
    public void Available_capacity_prefers_running_static_nodes_and_leaves_dynamic_clusters_absent()
    {
        var plan = new FleetBuilder()
            .Cluster("a-dyn", c => c.Dynamic().Pool("cpu", "m5.4xlarge", 0, 4))
            .Cluster("z-static", c => c.Pool("cpu", "m5.4xlarge", 1, 4))
            .Workload("small", w => w.Workers("w", 2, 2000, 4))
            .Plan();

        Assert.Equal("z-static", plan.ClusterOf("small"));
        Assert.Equal(LaunchTier.RunningNodes, plan.Placements["small"].Copies[0].Tier);
        Assert.Equal(ClusterState.Absent, plan.Clusters["a-dyn"].State);
        Assert.Equal(0m, plan.Clusters["a-dyn"].HourlyCost);
    }

    [Fact]
    public void Work_that_no_longer_fits_the_static_cluster_overflows_to_a_dynamic_cluster_created_just_in_time()
    {
        var plan = new FleetBuilder()
            .Cluster("static", c => c.Pool("cpu", "m5.4xlarge", 1, 1))
            .Cluster("overflow", c => c.Dynamic().Pool("cpu", "m5.4xlarge", 0, 2))
            .Workload("first", w => w.Workers("w", 1, 12000, 16))
            .Workload("second", w => w.Workers("w", 1, 12000, 16))
            .Plan();

        Assert.Equal("static", plan.ClusterOf("first"));
        Assert.Equal("overflow", plan.ClusterOf("second"));
        Assert.Equal(LaunchTier.CreateCluster, plan.Placements["second"].Copies[0].Tier);
        var overflow = plan.Clusters["overflow"];
        Assert.Equal(ClusterState.Active, overflow.State);
        Assert.Equal<string>(["second"], overflow.Workloads);
        Assert.Equal(1, overflow.Pools[0].DesiredNodes);
        Assert.Equal(0.768m, overflow.HourlyCost);
    }

    [Fact]
    public void Scaling_up_an_active_cluster_beats_waking_a_standby_one_and_creating_one()
    {
        var plan = new FleetBuilder()
            .Cluster("a-dynamic", c => c.Dynamic().Pool("cpu", "m5.4xlarge", 0, 2))
            .Cluster("b-standby", c => c.Standby(StandbyMode.Suspend).Pool("cpu", "m5.4xlarge", 1, 2))
            .Cluster("c-active", c => c.Pool("cpu", "m5.4xlarge", 0, 2))
            .Workload("job", w => w.Workers("w", 1, 4000, 8))
            .Plan();

        Assert.Equal("c-active", plan.ClusterOf("job"));
        Assert.Equal(LaunchTier.ScaleUp, plan.Placements["job"].Copies[0].Tier);
        Assert.Equal(ClusterState.Standby, plan.Clusters["b-standby"].State);
    }

    [Fact]
    public void Waking_a_standby_cluster_beats_creating_a_dynamic_one()
    {
        var plan = new FleetBuilder()
            .Cluster("a-dynamic", c => c.Dynamic().Pool("cpu", "m5.xlarge", 0, 2))
            .Cluster("b-standby", c => c.Standby(StandbyMode.Suspend).Pool("cpu", "m5.4xlarge", 0, 2))
            .Workload("job", w => w.Workers("w", 1, 2000, 4))
            .Plan();

        Assert.Equal("b-standby", plan.ClusterOf("job"));
        Assert.Equal(LaunchTier.WakeStandby, plan.Placements["job"].Copies[0].Tier);
        Assert.Equal(ClusterState.Active, plan.Clusters["b-standby"].State);
        Assert.Contains("woken", plan.Clusters["b-standby"].Reason);
    }

    [Fact]
    public void Ties_in_launch_tier_go_to_the_cheaper_extra_nodes()
    {
        var plan = new FleetBuilder()
            .Cluster("a-big", c => c.Pool("cpu", "m5.4xlarge", 0, 2))
            .Cluster("b-small", c => c.Pool("cpu", "m5.xlarge", 0, 2))
            .Workload("job", w => w.Head(1000, 2))
            .Plan();

        Assert.Equal("b-small", plan.ClusterOf("job"));
    }

    [Fact]
    public void Equal_tier_and_cost_fall_back_to_cluster_name()
    {
        var plan = new FleetBuilder()
            .Cluster("b", c => c.Pool("cpu", "m5.4xlarge", 1, 2))
            .Cluster("a", c => c.Pool("cpu", "m5.4xlarge", 1, 2))
            .Workload("job", w => w)
            .Plan();

        Assert.Equal("a", plan.ClusterOf("job"));
    }

    [Fact]
    public void A_pod_must_fit_on_one_node_so_pods_are_never_split_across_nodes()
    {
        // m5.xlarge offers 3.5 CPU after the system reserve: one 2-CPU pod per node.
        var plan = new FleetBuilder()
            .Cluster("c", c => c.Pool("cpu", "m5.xlarge", 0, 10))
            .Workload("job", w => w.Head(500, 1).Workers("w", 4, 2000, 2))
            .Plan();

        Assert.Equal("c", plan.ClusterOf("job"));
        var pool = plan.Clusters["c"].Pools.Single();
        Assert.Equal(4, pool.DesiredNodes);
        Assert.Equal(4 * 0.192m, pool.HourlyCost);
    }

    [Fact]
    public void A_workload_larger_than_max_nodes_is_unplaced_with_room_left_in_the_reason()
    {
        var plan = new FleetBuilder()
            .Cluster("c", c => c.Pool("cpu", "m5.xlarge", 1, 2))
            .Workload("job", w => w.Head(500, 1).Workers("worker", 3, 3000, 4))
            .Plan();

        var placement = plan.Placements["job"];
        Assert.False(placement.IsPlaced);
        var verdict = Assert.Single(placement.Verdicts);
        Assert.False(verdict.Accepted);
        Assert.Contains("capacity", verdict.Reason);
        Assert.Contains("group 'worker' needs 3 pod(s)", verdict.Reason);
        Assert.Contains("pool 'cpu' (m5.xlarge)", verdict.Reason);
        Assert.Contains("max 2 node(s)", verdict.Reason);
    }

    [Fact]
    public void Desired_nodes_cover_min_nodes_and_cost_follows_the_catalog()
    {
        var plan = new FleetBuilder()
            .Cluster("c", c => c.Pool("cpu", "m5.4xlarge", 2, 5))
            .Workload("job", w => w.Workers("w", 1, 1000, 1))
            .Plan();

        var pool = plan.Clusters["c"].Pools.Single();
        Assert.Equal((2, 5, 2), (pool.MinNodes, pool.MaxNodes, pool.DesiredNodes));
        Assert.Equal(2 * 0.768m, plan.Clusters["c"].HourlyCost);
        Assert.Equal(plan.Clusters.Values.Sum(c => c.HourlyCost), plan.HourlyCost);
        Assert.True(plan.Placements["job"].Copies[0].HourlyCost > 0m);
    }

    [Fact]
    public void Capacity_counts_the_system_reserve_per_node()
    {
        // 4 vCPU / 16 GiB nodes keep 0.5 CPU and 1 GiB: a 4-CPU pod fits none of them.
        var plan = new FleetBuilder()
            .Cluster("c", c => c.Pool("cpu", "m5.xlarge", 1, 3))
            .Workload("job", w => w.Head(4000, 4))
            .Plan();

        Assert.False(plan.Placements["job"].IsPlaced);
        Assert.Contains("offers 3.5 CPU, 15 GiB per node after the system reserve", plan.Placements["job"].Verdicts[0].Reason);
    }
}
