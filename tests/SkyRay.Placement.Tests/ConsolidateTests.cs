using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>The consolidate pass after the greedy: cheaper combined layouts, never at the cost of stability or launch tier.</summary>
public class ConsolidateTests
{
    // Seven single-A100 workloads: one at a time, a 1-GPU a2 node ($3.67) always looks cheaper than a p4d
    // ($21.96, 8 A100), but seven a2 nodes ($25.69) cost more than one p4d.
    private static FleetBuilder A100Fleet(bool awsDynamic = false, bool withAws = true)
    {
        var fleet = new FleetBuilder()
            .Cluster("gke", c => c.Gcp().Pool("cpu", "n2-standard-8", 0, 4).Pool("gpu", "a2-highgpu-1g", 0, 8));
        if (withAws)
        {
            fleet.Cluster("aws", c => (awsDynamic ? c.Dynamic() : c).Pool("cpu", "m5.4xlarge", 0, 2).Pool("gpu", "p4d.24xlarge", 0, 2));
        }

        for (var i = 1; i <= 7; i++)
        {
            fleet.Workload($"train-{i}", w => w.Workers("w", 1, 4000, 16, gpu: 1, gpuType: "A100"));
        }

        return fleet;
    }

    [Fact]
    public void Consolidate_replaces_one_gpu_node_at_a_time_by_one_bigger_gpu_instance_when_that_is_cheaper()
    {
        var plan = A100Fleet().Plan();

        for (var i = 1; i <= 7; i++)
        {
            var copy = plan.CopyOn($"train-{i}", "aws");
            Assert.Equal("gpu", copy.GroupPools["w"]);
            Assert.Equal(LaunchTier.ScaleUp, copy.Tier);
        }

        Assert.Equal(1, plan.Clusters["aws"].Pools.Single(p => p.Pool == "gpu").DesiredNodes);
        Assert.Equal(0, plan.Clusters["gke"].Pools.Single(p => p.Pool == "gpu").DesiredNodes);
        Assert.Equal(21.96m + 0.768m, plan.HourlyCost);
    }

    [Fact]
    public void Consolidate_repacks_small_cpu_nodes_into_fewer_cheaper_ones()
    {
        // One at a time, an 8-vCPU node ($0.388) always looks cheaper than a 16-vCPU one ($0.768); the 15 pods
        // need three of the small nodes ($1.164) but fit one big node.
        var fleet = new FleetBuilder()
            .Cluster("aws", c => c.Pool("cpu", "m5.4xlarge", 0, 3))
            .Cluster("gke", c => c.Gcp().Pool("cpu", "n2-standard-8", 0, 4));
        for (var i = 1; i <= 5; i++)
        {
            fleet.Workload($"etl-{i}", w => w.Head(1000, 2).Workers("w", 2, 1000, 2));
        }

        var plan = fleet.Plan();

        Assert.All(plan.Placements.Keys, w => Assert.Equal("aws", plan.ClusterOf(w)));
        Assert.Equal(0.768m, plan.HourlyCost);
    }

    [Fact]
    public void Moved_workloads_say_why_in_their_verdict()
    {
        var plan = A100Fleet().Plan(explain: true);

        var chosen = plan.Placements["train-1"].Verdicts.Single(v => v.Cluster == "aws");
        Assert.True(chosen.Accepted);
        Assert.Contains("moved by consolidate from 'gke'", chosen.Reason, StringComparison.Ordinal);
        Assert.Contains("closes 7 node(s) of pool 'gpu' on 'gke'", chosen.Reason, StringComparison.Ordinal);
        Assert.Contains("plan −$3.35/h", chosen.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Consolidate_never_moves_a_workload_kept_from_the_previous_plan()
    {
        var before = A100Fleet(withAws: false).Plan();
        Assert.All(before.Placements.Keys, w => Assert.Equal("gke", before.ClusterOf(w)));

        var after = A100Fleet().Plan(before);

        Assert.All(after.Placements.Keys, w => Assert.Equal("gke", after.ClusterOf(w)));
        Assert.Equal(7, after.Clusters["gke"].Pools.Single(p => p.Pool == "gpu").DesiredNodes);
    }

    [Fact]
    public void A_no_op_replan_after_consolidation_moves_nothing()
    {
        var first = A100Fleet().Plan();
        var again = A100Fleet().Plan(first);

        // The tier becomes RunningNodes (the previous plan's nodes run); where everything is stays the same.
        foreach (var (name, placement) in first.Placements)
        {
            var copy = Assert.Single(placement.Copies);
            var kept = again.CopyOn(name, copy.Cluster);
            Assert.Equal(copy.GroupPools, kept.GroupPools);
            Assert.Equal(LaunchTier.RunningNodes, kept.Tier);
        }

        Assert.Equal(first.HourlyCost, again.HourlyCost);
        Assert.Equal(
            first.Clusters.Values.SelectMany(c => c.Pools.Select(p => (c.Cluster, p.Pool, p.DesiredNodes))),
            again.Clusters.Values.SelectMany(c => c.Pools.Select(p => (c.Cluster, p.Pool, p.DesiredNodes))));
    }

    [Fact]
    public void Consolidate_never_slows_a_launch_tier_for_a_cheaper_plan()
    {
        // The p4d is cheaper in total, but on a cluster that would have to be created: the workloads stay on the
        // running cluster (ScaleUp beats CreateCluster).
        var plan = A100Fleet(awsDynamic: true).Plan();

        for (var i = 1; i <= 7; i++)
        {
            var copy = plan.CopyOn($"train-{i}", "gke");
            Assert.Equal(LaunchTier.ScaleUp, copy.Tier);
        }

        Assert.Equal(ClusterState.Absent, plan.Clusters["aws"].State);
    }

    [Fact]
    public void Consolidate_keeps_cpu_pods_off_gpu_pools_when_it_closes_a_cpu_pool()
    {
        // Closing the CPU pool would put the CPU pods on the GPU pool's node more cheaply; the CPU-pools-first rule forbids it.
        var plan = new FleetBuilder()
            .Cluster("c", c => c.Pool("a-gpu", "g5.12xlarge", 1, 1).Pool("b-cpu", "m5.4xlarge", 0, 2))
            .Workload("etl", w => w.Workers("w", 2, 2000, 4))
            .Plan();

        Assert.Equal("b-cpu", plan.CopyOn("etl", "c").GroupPools["w"]);
    }
}
