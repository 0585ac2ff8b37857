using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Tests.Builders;

namespace SkyRay.Fleet.Tests.Config;

public sealed class FitCheckTests
{
    private const string Worker = "skyray:workloads.job.workerGroups[0]";

    [Fact]
    public void Pod_needing_more_gpus_than_any_node_of_its_type_names_the_group_and_the_largest_candidate()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("workloads/job/workerGroups/0", "{name: gpu-workers, cpu: 4, memory: 16Gi, gpu: 8, gpuType: A10G}")
            .SetYaml("clusters/aws-west/nodePools/2", "{name: gpu-big, instanceType: g5.12xlarge, maxNodes: 2}")
            .Load();

        var error = result.HasError(Worker, "worker group 'gpu-workers' needs pods of 4 CPU, 16Gi memory, 8 × A10G GPU, and no node pool anywhere can hold one");
        Assert.Contains("the largest candidate is pool 'gpu-big' of cluster 'aws-west' (g5.12xlarge: 47.5 CPU, 191Gi memory, 4 × A10G GPU", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gpu_type_no_pool_of_the_fleet_has_names_the_clouds_that_offer_it()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("workloads/job/workerGroups/0", "{name: h100, cpu: 8, memory: 64Gi, gpu: 8, gpuType: H100}")
            .Load();

        var error = result.HasError($"{Worker}.gpuType", "worker group 'h100' needs H100 GPUs but no node pool in the fleet has them");
        Assert.Contains("aws (p5.48xlarge)", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void System_reserve_is_subtracted_so_a_pod_as_large_as_the_node_does_not_fit()
    {
        var result = StackConfigBuilder.Valid()
            .SetYaml("workloads/job/workerGroups/0", "{name: workers, cpu: 8, memory: 8Gi}")
            .Load();

        var error = result.HasError(Worker, "needs pods of 8 CPU, 8Gi memory");
        Assert.Contains("(m6i.2xlarge: 7.5 CPU, 31Gi memory, no GPU after the system reserve", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pod_that_fits_after_the_reserve_is_accepted()
    {
        StackConfigBuilder.Valid()
            .SetYaml("workloads/job/workerGroups/0", "{name: workers, cpu: 7500m, memory: 31Gi}")
            .Load().IsValid();
    }

    [Fact]
    public void Request_for_a100_is_met_by_an_a100_80gb_pool()
    {
        StackConfigBuilder.Valid()
            .Set("workloads/job/image", "rayproject/ray:2.52.0-gpu")
            .SetYaml("workloads/job/workerGroups/0", "{name: a100, cpu: 8, memory: 64Gi, gpu: 1, gpuType: A100}")
            .SetYaml("clusters/aks", "{provider: azure, region: westeurope, kubernetesVersion: '1.35', nodePools: [{name: a100, instanceType: Standard_NC24ads_A100_v4, maxNodes: 2}]}")
            .Load().IsValid();
    }

    [Fact]
    public void Oversized_head_is_reported_at_the_head()
    {
        var result = StackConfigBuilder.Valid().SetYaml("workloads/job/head", "{cpu: 64, memory: 8Gi}").Load();

        result.HasError("skyray:workloads.job.head", "the head group needs pods of 64 CPU");
    }

    [Fact]
    public void Workloads_without_any_cluster_are_an_error()
    {
        var result = StackConfigBuilder.Valid().Remove("clusters").Load();

        result.HasError("skyray:clusters", "1 workload(s) are declared but no cluster to run them");
    }

    [Fact]
    public void Fit_check_is_skipped_while_clusters_have_errors_so_errors_do_not_cascade()
    {
        var result = StackConfigBuilder.Valid()
            .Set("clusters/aws-west/region", "nowhere")
            .SetYaml("workloads/job/workerGroups/0", "{name: workers, cpu: 64, memory: 8Gi}")
            .Load();

        result.HasError("skyray:clusters.aws-west.region", "is not a region name for aws");
        result.HasNoErrorAt("skyray:workloads");
    }

    [Fact]
    public void System_reserve_is_half_a_cpu_and_one_gib_per_node()
    {
        var type = new InstanceType("m6i.large", "aws", 2, 8, 0, null, 0.096m);

        Assert.Equal(1500, SystemReserve.AllocatableCpuMillis(type));
        Assert.Equal(7L << 30, SystemReserve.AllocatableMemoryBytes(type));
    }
}
