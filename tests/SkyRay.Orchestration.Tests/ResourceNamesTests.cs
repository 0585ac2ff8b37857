using SkyRay.Fleet.Config;
using SkyRay.Fleet.Diagnostics;
using SkyRay.Orchestration.Naming;
using SkyRay.Orchestration.Tests.Builders;

namespace SkyRay.Orchestration.Tests;

public sealed class ResourceNamesTests
{
    private static FleetSpecBuilder Types() => new FleetSpecBuilder()
        .InstanceType("m6i.xlarge", "aws", 0.2m)
        .InstanceType("n2-standard-4", "gcp", 0.2m);

    [Fact]
    public void Cluster_and_workload_names_joining_to_one_name_are_an_error_at_the_workload_naming_both_owners()
    {
        var spec = Types()
            .Cluster(ClusterBuilder.Existing("east", "kind-east"))
            .Cluster(ClusterBuilder.Existing("east-west", "kind-east-west"))
            .Workload(new WorkloadBuilder("west-llm"))
            .Workload(new WorkloadBuilder("llm"))
            .Build();

        var error = Assert.Single(ResourceNames.Find(spec));

        Assert.Equal(Severity.Error, error.Severity);
        Assert.Equal("skyray:workloads.west-llm", error.Path);
        Assert.Equal(
            "the workload resource name 'east-west-llm' would be used by workload 'llm' on cluster 'east-west' and workload 'west-llm' on cluster 'east'; Pulumi needs unique names",
            error.Message);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public void Workload_namespaces_that_join_to_one_name_are_an_error_at_the_cluster()
    {
        var spec = Types()
            .Cluster(ClusterBuilder.Existing("lab", "kind-lab"))
            .Cluster(ClusterBuilder.Existing("lab-ns-ml", "kind-lab2"))
            .Workload(new WorkloadBuilder("a").Namespace("ml-ns-training"))
            .Workload(new WorkloadBuilder("b").Namespace("training"))
            .Build();

        var error = Assert.Single(ResourceNames.Find(spec));

        Assert.Equal("skyray:clusters.lab-ns-ml", error.Path);
        Assert.Contains("namespace resource name 'lab-ns-ml-ns-training' would be used by namespace 'ml-ns-training' on cluster 'lab' and namespace 'training' on cluster 'lab-ns-ml'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pools_clash_only_within_one_cloud_and_existing_clusters_declare_no_pools()
    {
        var sameCloud = Types()
            .Cluster(ClusterBuilder.Aws("east").Pool("gpu-pool-a", "m6i.xlarge", 0, 2))
            .Cluster(ClusterBuilder.Aws("east-pool-gpu").Pool("a", "m6i.xlarge", 0, 2))
            .Build();
        var otherCloud = Types()
            .Cluster(ClusterBuilder.Aws("east").Pool("gpu-pool-a", "m6i.xlarge", 0, 2))
            .Cluster(ClusterBuilder.Gcp("east-pool-gpu").Pool("a", "n2-standard-4", 0, 2))
            .Build();

        var error = Assert.Single(ResourceNames.Find(sameCloud));
        Assert.Equal("skyray:clusters.east.nodePools", error.Path);
        Assert.Contains("aws node pool resource name 'east-pool-gpu-pool-a'", error.Message, StringComparison.Ordinal);
        Assert.Empty(ResourceNames.Find(otherCloud));
    }

    [Fact]
    public void Distinct_names_give_no_error_and_fleet_loading_reports_clashes_like_any_config_error()
    {
        var fine = Types()
            .Cluster(ClusterBuilder.Existing("east", "kind-east"))
            .Cluster(ClusterBuilder.Existing("west", "kind-west"))
            .Workload(new WorkloadBuilder("llm"))
            .Build();
        var clash = Types()
            .Cluster(ClusterBuilder.Existing("east", "kind-east"))
            .Cluster(ClusterBuilder.Existing("east-west", "kind-east-west"))
            .Workload(new WorkloadBuilder("west-llm"))
            .Workload(new WorkloadBuilder("llm"))
            .Build();

        Assert.Empty(ResourceNames.Find(fine));
        var loaded = FleetLoading.Complete(new Result<FleetSpec>(clash, []));
        Assert.False(loaded.Ok);
        Assert.Contains(loaded.Diagnostics, d => d.Path == "skyray:workloads.west-llm" && d.Severity == Severity.Error);
    }
}
