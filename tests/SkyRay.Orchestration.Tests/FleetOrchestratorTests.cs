using Moq;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests;

public sealed class FleetOrchestratorTests
{
    private static readonly FleetRendering Fake = FakeRendering.Instance;

    [Fact]
    public void Active_cloud_cluster_is_provisioned_then_connected_then_gets_the_operator_then_its_workloads()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a").Pool("cpu", "m6i.2xlarge", 2, 10))
            .Workload(new WorkloadBuilder("llm"))
            .Build();
        var plan = new FleetPlanBuilder(spec).Place("llm", "aws-a").Build();
        var ports = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        Assert.Equal(["provision aws-a", "connect aws-a", "release kuberay@aws-a", "apply llm@aws-a", "export"], ports.Calls);
    }

    [Fact]
    public void Clusters_are_walked_by_name_before_any_workload_and_workloads_by_name_then_cluster()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Gcp("gcp-b"))
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Workload(new WorkloadBuilder("zeta"))
            .Workload(new WorkloadBuilder("alpha"))
            .Build();
        var plan = new FleetPlanBuilder(spec).Place("zeta", "aws-a").Place("alpha", "gcp-b", "aws-a").Build();
        var ports = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        Assert.Equal(
            [
                "provision aws-a", "connect aws-a", "release kuberay@aws-a",
                "provision gcp-b", "connect gcp-b", "release kuberay@gcp-b",
                "apply alpha@aws-a", "apply alpha@gcp-b", "apply zeta@aws-a",
                "export",
            ],
            ports.Calls);
    }

    [Fact]
    public void Connection_is_made_from_the_provisioned_handle_of_the_same_cluster()
    {
        var spec = new FleetSpecBuilder().Cluster(ClusterBuilder.Azure("az")).Build();
        var plan = new FleetPlanBuilder(spec).Build();
        var ports = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        ports.Connector.Verify(c => c.Connect(It.Is<ClusterSpec>(s => s.Name == "az"), new TestHandle("az", "cluster")), Times.Once);
        ports.Releases.Verify(o => o.Install(new TestHandle("az", "connection"), It.Is<HelmRelease>(r => r.Version == "1.7.0"), It.Is<IReadOnlyList<IPortHandle>>(a => a.Count == 0)), Times.Once);
    }

    [Fact]
    public void Workload_is_applied_through_the_connection_of_its_target_cluster_and_depends_on_that_clusters_operator()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Cluster(ClusterBuilder.Gcp("gcp-b"))
            .Workload(new WorkloadBuilder("llm"))
            .Build();
        var plan = new FleetPlanBuilder(spec).Place("llm", "gcp-b").Build();
        var ports = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        var applied = Assert.Single(ports.Applied);
        Assert.Equal(new TestHandle("gcp-b", "connection"), applied.Connection);
        Assert.Equal("llm", applied.Workload.Name);
        Assert.Equal([new TestHandle("gcp-b", "release/kuberay")], applied.After);
    }

    [Fact]
    public void Existing_cluster_is_connected_through_its_kubeconfig_and_never_provisioned()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Existing("onprem", "lab"))
            .Workload(new WorkloadBuilder("job").Kind(RayKind.RayJob))
            .Build();
        var plan = new FleetPlanBuilder(spec).Place("job", "onprem").Build();
        var ports = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        ports.Provisioner.Verify(p => p.Provision(It.IsAny<ClusterProvisionSpec>()), Times.Never);
        ports.Connector.Verify(c => c.Connect(It.Is<ClusterSpec>(s => s.Name == "onprem"), null), Times.Once);
        Assert.Equal(["connect onprem", "release kuberay@onprem", "apply job@onprem", "export"], ports.Calls);
    }

    [Fact]
    public void Existing_cluster_in_standby_is_still_never_provisioned()
    {
        var spec = new FleetSpecBuilder().Cluster(ClusterBuilder.Existing("onprem", "lab")).Build();
        var plan = new FleetPlanBuilder(spec).Standby("onprem").Build();
        var ports = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        ports.Provisioner.Verify(p => p.Provision(It.IsAny<ClusterProvisionSpec>()), Times.Never);
        Assert.Equal(["connect onprem", "release kuberay@onprem", "export"], ports.Calls);
    }

    [Fact]
    public void Absent_dynamic_cluster_gets_no_port_call_at_all()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Cluster(ClusterBuilder.Gcp("gcp-burst").Dynamic().Pool("gpu", "g2-standard-8", 0, 8))
            .Workload(new WorkloadBuilder("llm"))
            .Build();
        var plan = new FleetPlanBuilder(spec).Absent("gcp-burst").Place("llm", "aws-a").Build();
        var ports = new MockPorts();

        var run = FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        Assert.DoesNotContain(ports.Calls, c => c.Contains("gcp-burst", StringComparison.Ordinal));
        Assert.False(run.Clusters.ContainsKey("gcp-burst"));
        Assert.Equal("absent", ports.Exports.Single().Clusters["gcp-burst"].State);
    }

    [Fact]
    public void Standby_cluster_is_provisioned_with_its_pools_at_zero_keeps_the_operator_and_gets_no_workloads()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Azure("az-idle").Standby(StandbyMode.Suspend, TimeSpan.FromMinutes(30)).Pool("gpu", "Standard_NC24ads_A100_v4", 1, 4))
            .Workload(new WorkloadBuilder("llm"))
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Build();
        var plan = new FleetPlanBuilder(spec).Standby("az-idle").Place("llm", "aws-a").Build();
        var ports = new MockPorts();

        var run = FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        ports.Provisioner.Verify(
            p => p.Provision(It.Is<ClusterProvisionSpec>(s =>
                s.Cluster.Name == "az-idle" && s.Plan.State == ClusterState.Standby && s.Plan.Pools.All(pool => pool.MinNodes == 0 && pool.DesiredNodes == 0))),
            Times.Once);
        Assert.Contains("release kuberay@az-idle", ports.Calls);
        Assert.DoesNotContain(ports.Calls, c => c.StartsWith("apply", StringComparison.Ordinal) && c.EndsWith("@az-idle", StringComparison.Ordinal));
        Assert.Equal(ClusterState.Standby, run.Clusters["az-idle"].State);
    }

    [Fact]
    public void Duplicate_copies_produce_one_apply_per_target_cluster()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Cluster(ClusterBuilder.Azure("az-b"))
            .Cluster(ClusterBuilder.Gcp("gcp-c"))
            .Workload(new WorkloadBuilder("serve").Workers(3))
            .Build();
        var plan = new FleetPlanBuilder(spec).Place("serve", "gcp-c", "aws-a", "az-b").Build();
        var ports = new MockPorts();

        var run = FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        Assert.Equal(["apply serve@aws-a", "apply serve@az-b", "apply serve@gcp-c"], ports.Calls.Where(c => c.StartsWith("apply", StringComparison.Ordinal)));
        Assert.All(run.Workloads, w => Assert.Equal(3, (int)w.Rendered.Manifest["spec"]!["workers"]!));
        Assert.Equal(["aws-a", "az-b", "gcp-c"], run.Outputs.Workloads["serve"].ToArray());
    }

    [Fact]
    public void Divide_copies_are_applied_once_per_cluster_each_rendered_with_its_own_share()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Cluster(ClusterBuilder.Gcp("gcp-c"))
            .Workload(new WorkloadBuilder("batch").Kind(RayKind.RayCluster).Workers(10))
            .Build();
        var plan = new FleetPlanBuilder(spec).PlaceShares("batch", "split", ("aws-a", 6), ("gcp-c", 4)).Build();
        var ports = new MockPorts();

        var run = FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        var shares = run.Workloads.ToDictionary(w => w.Cluster, w => (int)w.Rendered.Manifest["spec"]!["workers"]!);
        Assert.Equal(new Dictionary<string, int> { ["aws-a"] = 6, ["gcp-c"] = 4 }, shares);
        Assert.All(run.Workloads, w => Assert.Equal("split", (string?)w.Rendered.Manifest["spec"]!["policy"]));
        Assert.Equal(2, ports.Applied.Count);
    }

    [Fact]
    public void Unplaced_workload_is_not_applied_and_its_explanation_says_why()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Workload(new WorkloadBuilder("huge"))
            .Build();
        var plan = new FleetPlanBuilder(spec).Unplaced("huge", "needs 64×H100, no pool offers H100").Build();
        var ports = new MockPorts();

        var run = FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        Assert.DoesNotContain(ports.Calls, c => c.StartsWith("apply", StringComparison.Ordinal));
        Assert.Empty(run.Outputs.Workloads["huge"]);
        Assert.Equal(["huge: unplaced: needs 64×H100, no pool offers H100"], run.Outputs.Explanation.ToArray());
    }

    [Fact]
    public void Outputs_are_exported_once_last_with_every_cluster_and_every_workloads_targets()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a").Version("1.31"))
            .Cluster(ClusterBuilder.Gcp("gcp-burst").Dynamic().Version("1.30"))
            .Cluster(ClusterBuilder.Azure("az-idle").Standby(StandbyMode.Suspend, TimeSpan.FromHours(1)).Version("1.32"))
            .Cluster(ClusterBuilder.Existing("onprem", "lab").Version("1.29"))
            .Workload(new WorkloadBuilder("llm"))
            .Workload(new WorkloadBuilder("batch").Kind(RayKind.RayJob))
            .Build();
        var plan = new FleetPlanBuilder(spec)
            .Absent("gcp-burst")
            .Standby("az-idle")
            .PlaceShares("llm", "gpu-first", ("aws-a", 2))
            .Place("batch", "onprem", "aws-a")
            .Build();
        var ports = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        ports.Outputs.Verify(o => o.Export(It.IsAny<FleetOutputs>()), Times.Once);
        Assert.Equal("export", ports.Calls[^1]);
        var outputs = ports.Exports.Single();
        Assert.Equal(new ClusterOutput("aws", "1.31", "static", "active"), outputs.Clusters["aws-a"]);
        Assert.Equal(new ClusterOutput("gcp", "1.30", "dynamic", "absent"), outputs.Clusters["gcp-burst"]);
        Assert.Equal(new ClusterOutput("azure", "1.32", "static", "standby"), outputs.Clusters["az-idle"]);
        Assert.Equal(new ClusterOutput("existing", "1.29", "static", "active"), outputs.Clusters["onprem"]);
        Assert.Equal(["aws-a", "onprem"], outputs.Workloads["batch"].ToArray());
        Assert.Equal(["aws-a"], outputs.Workloads["llm"].ToArray());
        Assert.Equal(
            ["batch → aws-a, onprem (available capacity): fits on aws-a", "llm → aws-a (policy gpu-first): fits on aws-a"],
            outputs.Explanation.ToArray());
        Assert.Equal(plan.Placements.Keys, SkyRay.Placement.Planning.PlanJson.Read(outputs.Placements).Placements.Keys);
    }

    [Fact]
    public void Same_spec_and_plan_give_the_same_calls_and_outputs()
    {
        var (spec, plan) = LlmOnTwoClustersBatchOnOne();
        var first = new MockPorts();
        var second = new MockPorts();

        var a = FleetOrchestrator.Run(TestRun.Of(spec, plan), first.Ports, Fake);
        var b = FleetOrchestrator.Run(TestRun.Of(spec, plan), second.Ports, Fake);

        Assert.Equal(first.Calls, second.Calls);
        Assert.Equal(a.Outputs.Explanation.ToArray(), b.Outputs.Explanation.ToArray());
        Assert.Equal(a.Outputs.Clusters, b.Outputs.Clusters);
    }

    [Fact]
    public void Declare_makes_the_same_port_calls_in_the_same_order_as_run()
    {
        var (spec, plan) = LlmOnTwoClustersBatchOnOne();
        var walked = new MockPorts();
        var declared = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), walked.Ports, Fake);
        FleetOrchestrator.Declare(TestRun.Of(spec, plan), declared.Ports, Fake);

        Assert.Equal(
            ["provision aws-a", "connect aws-a", "release kuberay@aws-a", "provision gcp-c", "connect gcp-c", "release kuberay@gcp-c", "apply batch@gcp-c", "apply llm@aws-a", "apply llm@gcp-c", "export"],
            declared.Calls);
        Assert.Equal(walked.Calls, declared.Calls);
    }

    private static (FleetSpec Spec, FleetPlan Plan) LlmOnTwoClustersBatchOnOne()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Cluster(ClusterBuilder.Gcp("gcp-c"))
            .Workload(new WorkloadBuilder("llm"))
            .Workload(new WorkloadBuilder("batch"))
            .Build();
        var plan = new FleetPlanBuilder(spec).Place("llm", "aws-a", "gcp-c").Place("batch", "gcp-c").Build();
        return (spec, plan);
    }

    [Theory]
    [InlineData(ClusterState.Standby)]
    [InlineData(ClusterState.Absent)]
    public void Plan_that_puts_a_copy_on_a_cluster_that_is_not_active_is_refused_before_any_port_call(ClusterState state)
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Workload(new WorkloadBuilder("llm"))
            .Build();
        var plan = new FleetPlanBuilder(spec).State("aws-a", state).Place("llm", "aws-a").Build();
        var ports = new MockPorts();

        var error = Assert.Throws<ArgumentException>(() => FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake));

        Assert.Contains("'aws-a'", error.Message, StringComparison.Ordinal);
        Assert.Empty(ports.Calls);
    }

    [Fact]
    public void Plan_from_another_stack_missing_a_cluster_is_refused()
    {
        var planned = new FleetSpecBuilder().Cluster(ClusterBuilder.Aws("aws-a")).Build();
        var spec = new FleetSpecBuilder().Cluster(ClusterBuilder.Aws("aws-a")).Cluster(ClusterBuilder.Gcp("gcp-c")).Build();
        var plan = new FleetPlanBuilder(planned).Build();

        var error = Assert.Throws<ArgumentException>(() => FleetOrchestrator.Run(TestRun.Of(spec, plan), new MockPorts().Ports, Fake));

        Assert.Contains("'gcp-c'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("beta")]
    [InlineData("aardvark")]
    [InlineData("zulu")]
    public void Plan_from_another_stack_placing_an_undeclared_workload_is_refused_before_any_port_call(string undeclared)
    {
        // The workloads are matched to the plan's placements by walking both in name order: an undeclared name before, between
        // or after the declared ones is caught.
        var planned = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Workload(new WorkloadBuilder("alpha"))
            .Workload(new WorkloadBuilder(undeclared))
            .Workload(new WorkloadBuilder("gamma"))
            .Build();
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Workload(new WorkloadBuilder("alpha"))
            .Workload(new WorkloadBuilder("gamma"))
            .Build();
        var plan = new FleetPlanBuilder(planned).Place("alpha", "aws-a").Place(undeclared, "aws-a").Place("gamma", "aws-a").Build();
        var ports = new MockPorts();

        var error = Assert.Throws<ArgumentException>(() => FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake));

        Assert.Equal($"The plan places workload '{undeclared}', which the spec does not declare. (Parameter 'plan')", error.Message);
        Assert.Empty(ports.Calls);
    }

    [Fact]
    public void Declared_workloads_the_plan_has_no_entry_for_are_passed_over_and_each_placed_one_gets_its_own_spec()
    {
        // Declared: alpha, beta, gamma, delta (sorted: alpha, beta, delta, gamma); a plan made before beta and delta were
        // added places alpha and gamma only. Each applied object must be its own workload's (the fake rendering names it).
        var planned = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Workload(new WorkloadBuilder("alpha"))
            .Workload(new WorkloadBuilder("gamma"))
            .Build();
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Workload(new WorkloadBuilder("alpha"))
            .Workload(new WorkloadBuilder("beta"))
            .Workload(new WorkloadBuilder("gamma"))
            .Workload(new WorkloadBuilder("delta"))
            .Build();
        var plan = new FleetPlanBuilder(planned).Place("alpha", "aws-a").Place("gamma", "aws-a").Build();
        var ports = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        Assert.Equal(["provision aws-a", "connect aws-a", "release kuberay@aws-a", "apply alpha@aws-a", "apply gamma@aws-a", "export"], ports.Calls);
    }
}
