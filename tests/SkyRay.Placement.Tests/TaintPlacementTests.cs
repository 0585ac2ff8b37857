using SkyRay.Fleet.Config;
using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

/// <summary>Taints, the Kubernetes way: a group goes to a tainted pool only when it tolerates the taint.</summary>
public class TaintPlacementTests
{
    private static readonly NodeTaint Dedicated = new("dedicated", "ml", "NoSchedule");

    [Fact]
    public void Cpu_job_goes_to_a_cpu_pool_that_must_scale_up_rather_than_to_running_gpu_nodes()
    {
        // The case: the GPU cluster's nodes are already running (launch tier would prefer it), the CPU cluster
        // must scale up. GPU pools carry the GPU taint, which CPU pods do not tolerate.
        var plan = new FleetBuilder()
            .Cluster("a-gpu", c => c.Pool("gpu", "g5.12xlarge", 2, 2))
            .Cluster("b-cpu", c => c.Pool("cpu", "m5.4xlarge", 0, 4))
            .Workload("etl", w => w.Workers("w", 2, 2000, 4).Submitter())
            .Plan(explain: true);

        Assert.Equal("b-cpu", plan.ClusterOf("etl"));
        var verdict = plan.Placements["etl"].Verdicts.Single(v => v.Cluster == "a-gpu");
        Assert.Contains("skipped by taints", verdict.Reason, StringComparison.Ordinal);
        Assert.Contains("is tainted nvidia.com/gpu=present:NoSchedule", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Gpu_workload_puts_its_cpu_head_on_the_cpu_pool_and_only_its_gpu_workers_on_the_gpu_pool()
    {
        var plan = new FleetBuilder()
            .Cluster("c", c => c.Pool("cpu", "m5.4xlarge", 1, 2).Pool("gpu", "g5.xlarge", 0, 2))
            .Workload("train", w => w.Workers("gpu", 1, 2000, 4, gpu: 1).Submitter())
            .Plan();

        var copy = plan.CopyOn("train", "c");
        Assert.Equal(("cpu", "gpu", "cpu"), (copy.GroupPools["head"], copy.GroupPools["gpu"], copy.GroupPools["submitter"]));
    }

    [Fact]
    public void Cluster_of_gpu_pools_only_is_skipped_for_a_cpu_head_with_the_taint_named_unless_the_workload_tolerates_it()
    {
        var fleet = new FleetBuilder().Cluster("gpu-only", c => c.Pool("gpu", "g5.xlarge", 0, 2));

        var plain = fleet.Workload("llm", w => w.Workers("w", 1, 2000, 4, gpu: 1)).Plan(explain: true);
        Assert.Empty(plain.ClustersOf("llm"));
        var reason = plain.Placements["llm"].Verdicts.Single().Reason;
        Assert.Contains("group 'head' (no GPU) tolerates no pool here: pool 'gpu' (g5.xlarge, 1×A10G) is tainted nvidia.com/gpu=present:NoSchedule", reason, StringComparison.Ordinal);

        var tolerant = new FleetBuilder()
            .Cluster("gpu-only", c => c.Pool("gpu", "g5.xlarge", 0, 2))
            .Workload("llm", w => w.Workers("w", 1, 2000, 4, gpu: 1).Tolerate("nvidia.com/gpu"))
            .Plan();
        Assert.Equal("gpu-only", tolerant.ClusterOf("llm"));
    }

    [Fact]
    public void Configured_taint_keeps_workloads_off_unless_they_tolerate_it_by_key_and_value()
    {
        var fleet = () => new FleetBuilder()
            .Cluster("a-dedicated", c => c.Pool("cpu", "m5.4xlarge", 2, 2, Dedicated))
            .Cluster("b-shared", c => c.Pool("cpu", "m5.4xlarge", 0, 2));

        Assert.Equal("b-shared", fleet().Workload("job", w => w.Workers("w", 1, 1000, 2)).Plan().ClusterOf("job"));
        Assert.Equal("b-shared", fleet().Workload("job", w => w.Workers("w", 1, 1000, 2).Tolerate("dedicated", "other")).Plan().ClusterOf("job"));
        // Running nodes on the dedicated cluster win once the workload tolerates its taint.
        Assert.Equal("a-dedicated", fleet().Workload("job", w => w.Workers("w", 1, 1000, 2).Tolerate("dedicated", "ml")).Plan().ClusterOf("job"));
    }

    [Fact]
    public void Prefer_no_schedule_taints_do_not_keep_pods_off()
    {
        var plan = new FleetBuilder()
            .Cluster("c", c => c.Pool("cpu", "m5.4xlarge", 1, 2, new NodeTaint("soft", null, "PreferNoSchedule")))
            .Workload("job", w => w.Workers("w", 1, 1000, 2))
            .Plan();

        Assert.Equal("c", plan.ClusterOf("job"));
    }

    [Fact]
    public void Workloads_with_the_same_demand_but_different_tolerations_are_placed_each_by_its_own()
    {
        // Same shapes, so the planner's capacity memo must not carry one answer over to the other.
        var plan = new FleetBuilder()
            .Cluster("only-dedicated", c => c.Pool("cpu", "m5.4xlarge", 1, 4, Dedicated))
            .Workload("a-tolerant", w => w.Workers("w", 1, 1000, 2).Tolerate("dedicated", "ml"))
            .Workload("b-plain", w => w.Workers("w", 1, 1000, 2))
            .Workload("c-tolerant", w => w.Workers("w", 1, 1000, 2).Tolerate("dedicated", "ml"))
            .Plan();

        Assert.Equal("only-dedicated", plan.ClusterOf("a-tolerant"));
        Assert.Empty(plan.ClustersOf("b-plain"));
        Assert.Equal("only-dedicated", plan.ClusterOf("c-tolerant"));
    }
}
