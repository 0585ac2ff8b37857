using SkyRay.Placement.Tests.Builders;

namespace SkyRay.Placement.Tests;

public class GpuPlacementTests
{
    [Fact]
    public void Gpu_pods_go_only_to_pools_with_the_requested_gpu_type()
    {
        var plan = new FleetBuilder()
            .Cluster("aws-a10g", c => c.Pool("cpu", "m5.4xlarge", 1, 2).Pool("gpu", "g5.xlarge", 1, 2))
            .Cluster("gke-l4", c => c.Gcp().Dynamic().Pool("cpu", "n2-standard-8", 0, 2).Pool("gpu", "g2-standard-8", 0, 2))
            .Workload("llm", w => w.Workers("gpu-workers", 2, 4000, 16, gpu: 1, gpuType: "L4"))
            .Plan();

        Assert.Equal("gke-l4", plan.ClusterOf("llm"));
        var copy = plan.CopyOn("llm", "gke-l4");
        Assert.Equal("gpu", copy.GroupPools["gpu-workers"]);
        Assert.Equal("cpu", copy.GroupPools["head"]);
        Assert.Equal(2, copy.WorkerReplicas["gpu-workers"]);
    }

    [Fact]
    public void A_gpu_request_without_type_takes_any_gpu_pool()
    {
        var plan = new FleetBuilder()
            .Cluster("c", c => c.Pool("cpu", "m5.4xlarge", 1, 2).Pool("gpu", "g5.xlarge", 0, 2))
            .Workload("job", w => w.Workers("w", 1, 2000, 4, gpu: 1))
            .Plan();

        Assert.Equal("gpu", plan.CopyOn("job", "c").GroupPools["w"]);
    }

    [Fact]
    public void Cpu_pods_prefer_cpu_pools_even_when_a_gpu_pool_has_running_room()
    {
        var plan = new FleetBuilder()
            .Cluster("c", c => c.Pool("a-gpu", "g5.12xlarge", 1, 1).Pool("b-cpu", "m5.4xlarge", 0, 2))
            .Workload("etl", w => w.Workers("w", 2, 2000, 4))
            .Plan();

        var copy = plan.CopyOn("etl", "c");
        Assert.Equal("b-cpu", copy.GroupPools["w"]);
        Assert.Equal("b-cpu", copy.GroupPools["head"]);
    }

    [Fact]
    public void Cpu_pods_fall_back_to_a_gpu_pool_only_when_no_cpu_pool_fits_and_their_workload_tolerates_the_gpu_taint()
    {
        var plan = new FleetBuilder()
            .Cluster("c", c => c.Pool("cpu", "m5.xlarge", 1, 1).Pool("gpu", "g5.12xlarge", 1, 1))
            .Workload("etl", w => w.Head(500, 1).Workers("w", 1, 8000, 16).Tolerate("nvidia.com/gpu"))
            .Workload("etl-plain", w => w.Head(500, 1).Workers("w", 1, 8000, 16))
            .Plan();

        var copy = plan.CopyOn("etl", "c");
        Assert.Equal("gpu", copy.GroupPools["w"]);
        Assert.Equal("cpu", copy.GroupPools["head"]);
        Assert.Empty(plan.ClustersOf("etl-plain"));
    }

    [Fact]
    public void A_bigger_memory_variant_satisfies_a_gpu_type_request()
    {
        var catalogHasOnlyA100 = new FleetBuilder()
            .Cluster("gke", c => c.Gcp().Pool("cpu", "n2-standard-8", 0, 2).Pool("gpu", "a2-highgpu-1g", 0, 2))
            .Workload("job", w => w.Workers("w", 1, 4000, 16, gpu: 1, gpuType: "A100"))
            .Plan();

        Assert.Equal("gke", catalogHasOnlyA100.ClusterOf("job"));
    }

    [Fact]
    public void An_unplaceable_gpu_workload_gets_a_plain_reason_for_every_cluster()
    {
        var plan = new FleetBuilder()
            .Cluster("aws-cpu", c => c.Pool("cpu", "m5.4xlarge", 1, 4))
            .Cluster("gcp-l4-dyn", c => c.Gcp().Dynamic().Pool("gpu", "g2-standard-8", 0, 1))
            .Cluster("prod-only", c => c.Label("cluster.class", "production").Pool("cpu", "m5.4xlarge", 1, 4))
            .Policy("not-prod", p => p.ClusterSelector(PolicyBuilder.Expr("cluster.class", Fleet.Policies.SelectorOperator.DoesNotExist)))
            .Workload("llm", w => w.Policy("not-prod").Workers("w", 1, 4000, 16, gpu: 2, gpuType: "L4"))
            .Plan();

        var placement = plan.Placements["llm"];
        Assert.False(placement.IsPlaced);
        Assert.NotNull(placement.UnplacedReason);
        Assert.Equal(["aws-cpu", "gcp-l4-dyn", "prod-only"], placement.Verdicts.Select(v => v.Cluster));
        Assert.All(placement.Verdicts, v => Assert.False(v.Accepted));
        Assert.Contains("gpu-type", placement.Verdicts[0].Reason);
        Assert.Contains("no pool has GPUs", placement.Verdicts[0].Reason);
        Assert.Contains("needs 2×L4 per pod", placement.Verdicts[1].Reason);
        Assert.Contains("pool 'gpu' (g2-standard-8, 1×L4) has 1 per node", placement.Verdicts[1].Reason);
        Assert.Contains("cluster-selector", placement.Verdicts[2].Reason);
        Assert.Contains("cluster.class", placement.Verdicts[2].Reason);
    }
}
