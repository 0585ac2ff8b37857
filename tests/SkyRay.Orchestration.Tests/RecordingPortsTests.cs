using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Tests.Builders;

namespace SkyRay.Orchestration.Tests;

public sealed class RecordingPortsTests
{
    private static (FleetSpecBuilder Spec, Func<Placement.Planning.FleetPlan> Plan) Fleet()
    {
        var specBuilder = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-static").Pool("cpu", "m6i.2xlarge", 2, 10).Pool("gpu", "g5.2xlarge", 0, 4))
            .Cluster(ClusterBuilder.Azure("az-idle").Standby(StandbyMode.Suspend, TimeSpan.FromHours(1)).Pool("gpu", "Standard_NC24ads_A100_v4", 1, 2))
            .Cluster(ClusterBuilder.Gcp("gcp-burst").Dynamic().Pool("gpu", "g2-standard-8", 0, 8))
            .Cluster(ClusterBuilder.Existing("onprem", "lab"))
            .Workload(new WorkloadBuilder("llm").Namespace("serving"))
            .Workload(new WorkloadBuilder("train").Kind(RayKind.RayJob));
        return (specBuilder, () =>
        {
            var spec = specBuilder.Build();
            return new FleetPlanBuilder(spec).Standby("az-idle").Absent("gcp-burst").Place("llm", "aws-static").Place("train", "onprem").Build();
        });
    }

    [Fact]
    public void Preview_lists_every_declared_resource_in_walk_order()
    {
        var (spec, plan) = Fleet();

        var recorder = RecordingPorts.Record(TestRun.Of(spec.Build(), plan()), FakeRendering.Instance);

        Assert.Equal(
            [
                "+ cluster aws-static (aws eks 1.31 us-east-1, pools: cpu 2..10 m6i.2xlarge, gpu 0..4 g5.2xlarge)",
                "+ provider aws-static (kubeconfig of cluster aws-static)",
                "+ namespace serving → aws-static",
                "+ helm kuberay-operator 1.7.0 → aws-static",
                "+ cluster az-idle (azure aks 1.31 westeurope, pools: gpu 0..2 Standard_NC24ads_A100_v4, standby: pools at zero)",
                "+ provider az-idle (kubeconfig of cluster az-idle)",
                "+ helm kuberay-operator 1.7.0 → az-idle",
                "+ provider onprem (existing, kubeconfig context 'lab')",
                "+ helm kuberay-operator 1.7.0 → onprem",
                "+ RayService llm → aws-static",
                "+ RayJob train → onprem",
            ],
            recorder.PreviewLines().ToArray());
    }

    [Fact]
    public void Every_call_records_the_handles_it_depends_on()
    {
        var (spec, plan) = Fleet();

        var recorder = RecordingPorts.Record(TestRun.Of(spec.Build(), plan()), FakeRendering.Instance);

        var byId = recorder.Calls.ToDictionary(c => c.Id);
        Assert.Empty(byId["cluster/aws-static"].DependsOn);
        Assert.Equal(["cluster/aws-static"], byId["connection/aws-static"].DependsOn.ToArray());
        Assert.Empty(byId["connection/onprem"].DependsOn);
        // The operator after the cluster's workload namespaces (a namespaced operator's chart puts a Role in each).
        Assert.Equal(["connection/aws-static", "Namespace/serving@aws-static"], byId["helm/kuberay@aws-static"].DependsOn.ToArray());
        Assert.Equal(["connection/aws-static"], byId["Namespace/serving@aws-static"].DependsOn.ToArray());
        Assert.Equal(
            ["connection/aws-static", "helm/kuberay@aws-static", "Namespace/serving@aws-static"], byId["RayService/serving/llm@aws-static"].DependsOn.ToArray());
        Assert.Equal(["connection/onprem", "helm/kuberay@onprem"], byId["RayJob/default/train@onprem"].DependsOn.ToArray());
    }

    [Fact]
    public void Absent_cluster_leaves_no_record_and_outputs_are_recorded_once()
    {
        var (spec, plan) = Fleet();

        var recorder = RecordingPorts.Record(TestRun.Of(spec.Build(), plan()), FakeRendering.Instance);

        Assert.DoesNotContain(recorder.Calls, c => c.Cluster == "gcp-burst");
        Assert.Single(recorder.Calls, c => c.Kind == RecordedKind.Outputs);
        Assert.Equal("absent", recorder.Exported.Single().Clusters["gcp-burst"].State);
    }
}
