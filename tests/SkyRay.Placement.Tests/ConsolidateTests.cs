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

    [Fact]
    public void A_small_early_saving_does_not_shut_out_a_bigger_gpu_node_the_most_expensive_pool_is_drained_by_halves()
    {
        // TestCatalog: a2-highgpu-1g 1 A100 $3.67; p4d.24xlarge 8 A100 $21.96; n2-standard-8 7.5 vCPU after the reserve
        // $0.388; m5.xlarge 3.5 vCPU after the reserve $0.192. Four A100 jobs of 3, 3, 2 and 1 workers (1 GPU each) with
        // 1.5-vCPU heads, a CPU job 'etl-a' (head 1 + worker 2.5 vCPU) and a gcp-only CPU job 'etl-b' (head 1 + worker 2).
        var plan = new FleetBuilder()
            .Cluster("aws", c => c.Pool("cpu", "m5.xlarge", 0, 4).Pool("gpu", "p4d.24xlarge", 0, 2))
            .Cluster("gke", c => c.Gcp().Pool("cpu", "n2-standard-8", 0, 4).Pool("gpu", "a2-highgpu-1g", 0, 10))
            .Policy("gcp-only", p => p.Clusters("skyray.io/provider", "gcp"))
            .Workload("big-1", w => w.Head(1500, 2).Workers("w", 3, 4000, 16, gpu: 1, gpuType: "A100"))
            .Workload("big-2", w => w.Head(1500, 2).Workers("w", 3, 4000, 16, gpu: 1, gpuType: "A100"))
            .Workload("mid", w => w.Head(1500, 2).Workers("w", 2, 4000, 16, gpu: 1, gpuType: "A100"))
            .Workload("small", w => w.Head(1500, 2).Workers("w", 1, 4000, 16, gpu: 1, gpuType: "A100"))
            .Workload("etl-a", w => w.Head(1000, 2).Workers("w", 1, 2500, 4))
            .Workload("etl-b", w => w.Policy("gcp-only").Head(1000, 2).Workers("w", 1, 2000, 4))
            .Plan();

        // The greedy, one job at a time: each A100 job adds fewer a2 nodes than a p4d costs, so all nine GPUs go to nine a2
        // nodes ($33.03) and the four heads (6 vCPU) to one n2 node; etl-a then needs a second n2 ($0.388) but fits one
        // m5.xlarge ($0.192): aws; etl-b opens the second n2. $33.03 + $0.776 + $0.192 = $33.998.
        // The two searches by pool name first close aws's CPU pool (etl-a shares the second n2 with etl-b: −$0.192) and
        // keep it closed: no head can go to aws any more, so the p4d is out of reach ($33.806). Closing the a2 pool needs
        // two p4d ($43.92), and one a2 node fewer sends the 1-GPU job to a p4d of its own.
        // The optimum: the 3-, 3- and 2-GPU jobs fill one p4d ($21.96), the 1-GPU job keeps one a2 node ($3.67); aws's three
        // heads and etl-a (pods 1.5, 1.5, 1.5, 2.5, 1 vCPU: 8 vCPU) need three m5.xlarge ($0.576), and on gke the small
        // job's head and etl-b (4.5 vCPU) one n2 ($0.388). $21.96 + $3.67 + $0.576 + $0.388 = $26.594. Every other split of
        // the GPU jobs costs more: all on a2 $33.03 of GPUs, 7 on the p4d and 2 on a2 $29.30, all on aws two p4d $43.92.
        Assert.Equal(26.594m, plan.HourlyCost);
        Assert.Equal(1, plan.Clusters["aws"].Pools.Single(p => p.Pool == "gpu").DesiredNodes);
        Assert.Equal(3, plan.Clusters["aws"].Pools.Single(p => p.Pool == "cpu").DesiredNodes);
        Assert.Equal(1, plan.Clusters["gke"].Pools.Single(p => p.Pool == "gpu").DesiredNodes);
        Assert.Equal(1, plan.Clusters["gke"].Pools.Single(p => p.Pool == "cpu").DesiredNodes);
        Assert.Equal("aws", plan.ClusterOf("big-1"));
        Assert.Equal("aws", plan.ClusterOf("big-2"));
        Assert.Equal("aws", plan.ClusterOf("mid"));
        Assert.Equal("gke", plan.ClusterOf("small"));
        Assert.Equal("aws", plan.ClusterOf("etl-a"));
        Assert.Equal("gke", plan.ClusterOf("etl-b"));
    }
}
