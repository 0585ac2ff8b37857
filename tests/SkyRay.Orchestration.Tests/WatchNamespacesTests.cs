using SkyRay.Orchestration.Releases;
using SkyRay.Orchestration.Tests.Builders;

namespace SkyRay.Orchestration.Tests;

/// <summary>The namespaces a namespaced KubeRay operator watches on a cluster: those of the workloads placed there.</summary>
public sealed class WatchNamespacesTests
{
    private static Fleet.Config.FleetSpec Spec() => new FleetSpecBuilder()
        .Cluster(ClusterBuilder.Aws("aws-a").Pool("cpu", "m6i.2xlarge", 1, 10))
        .Cluster(ClusterBuilder.Aws("aws-b").Pool("cpu", "m6i.2xlarge", 1, 10))
        .Workload(new WorkloadBuilder("train").Namespace("ml").CpuOnly())
        .Workload(new WorkloadBuilder("tune").Namespace("ml").CpuOnly())
        .Workload(new WorkloadBuilder("llm").Namespace("serve").CpuOnly())
        .Workload(new WorkloadBuilder("etl").Namespace("data").CpuOnly())
        .Build();

    [Fact]
    public void A_cluster_watches_each_namespace_of_its_workloads_once_in_name_order()
    {
        var spec = Spec();
        var plan = new FleetPlanBuilder(spec).Place("train", "aws-a").Place("tune", "aws-a").Place("llm", "aws-a").Place("etl", "aws-b").Build();

        Assert.Equal(["ml", "serve"], ClusterReleases.WatchNamespaces(spec, plan.Clusters["aws-a"]).ToArray());
        Assert.Equal(["data"], ClusterReleases.WatchNamespaces(spec, plan.Clusters["aws-b"]).ToArray());
    }

    [Fact]
    public void Another_spec_of_the_same_stack_is_read_afresh_and_undeclared_names_are_passed_over()
    {
        var spec = Spec();
        var plan = new FleetPlanBuilder(spec).Place("train", "aws-a").Place("llm", "aws-a").Build();
        var cluster = plan.Clusters["aws-a"] with { Workloads = ["gone", "llm", "train"] };
        Assert.Equal(["ml", "serve"], ClusterReleases.WatchNamespaces(spec, cluster).ToArray());

        // The same cluster plan against a spec whose train moved to another namespace: that spec's namespaces, not the first's.
        var moved = spec with { Workloads = spec.Workloads.SetItem("train", spec.Workloads["train"] with { Namespace = "research" }) };

        Assert.Equal(["research", "serve"], ClusterReleases.WatchNamespaces(moved, cluster).ToArray());
        Assert.Equal(["ml", "serve"], ClusterReleases.WatchNamespaces(spec, cluster).ToArray());
    }
}
