using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Autoscaling;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests;

public sealed class NodeAutoscalingTests
{
    private static FleetSpec Fleet(params ClusterBuilder[] clusters)
    {
        var builder = new FleetSpecBuilder()
            .InstanceType("m6i.xlarge", "aws", 0.2m)
            .InstanceType("g5.xlarge", "aws", 1m, gpus: 1)
            .InstanceType("Standard_D4s_v5", "azure", 0.2m)
            .InstanceType("n2-standard-4", "gcp", 0.2m);
        foreach (var cluster in clusters)
        {
            builder.Cluster(cluster);
        }

        return builder.Build();
    }

    private static FleetSpec WithGpuPool(FleetSpec spec, string cluster)
    {
        var gpu = new NodePoolSpec(
            "gpu",
            "g5.xlarge",
            0,
            4,
            Spot: true,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("accelerator", "a10g")]),
            [new NodeTaint("nvidia.com/gpu", "present", "NoSchedule"), new NodeTaint("dedicated", null, "NoExecute")]);
        var c = spec.Clusters[cluster];
        return spec with { Clusters = spec.Clusters.SetItem(cluster, c with { NodePools = [.. c.NodePools.Add(gpu).OrderBy(p => p.Name, StringComparer.Ordinal)] }) };
    }

    [Fact]
    public void Eks_cluster_gets_the_cluster_autoscaler_release_with_auto_discovery_values_and_the_image_of_its_minor()
    {
        var spec = Fleet(ClusterBuilder.Aws("east").Version("1.32").Pool("cpu", "m6i.xlarge", 1, 5));
        var decision = NodeAutoscaling.Decide(spec, new FleetPlanBuilder(spec).Build())["east"];

        Assert.Equal(NodeAutoscaler.ClusterAutoscaler, decision.Autoscaler);
        var release = Assert.IsType<ClusterAutoscalerRelease>(decision.Release);
        Assert.Equal(("cluster-autoscaler", "9.59.0", "https://kubernetes.github.io/autoscaler", "kube-system", "cluster-autoscaler"),
            (release.Chart, release.Version, release.Repository, release.Namespace, release.ServiceAccount));
        Assert.Equal("us-east-1", (string?)release.Values["awsRegion"]);
        Assert.Equal("cluster-autoscaler", (string?)release.Values["rbac"]!["serviceAccount"]!["name"]);
        Assert.Equal("v1.32.7", (string?)release.Values["image"]!["tag"]);
        var args = release.Values["extraArgs"]!;
        Assert.True((bool)args["balance-similar-node-groups"]!);
        Assert.False((bool)args["skip-nodes-with-system-pods"]!);
        Assert.Equal("least-waste", (string?)args["expander"]);
    }

    [Fact]
    public void Unknown_kubernetes_minor_keeps_the_charts_own_image()
    {
        var spec = Fleet(ClusterBuilder.Aws("east").Version("1.40").Pool("cpu", "m6i.xlarge", 1, 5));
        var release = NodeAutoscaling.Decide(spec, new FleetPlanBuilder(spec).Build())["east"].Release!;

        Assert.False(release.Values.ContainsKey("image"));
    }

    [Fact]
    public void Aks_and_gke_use_the_clouds_autoscaler_and_existing_and_absent_clusters_get_nothing()
    {
        var spec = Fleet(
            ClusterBuilder.Azure("az").Pool("cpu", "Standard_D4s_v5", 1, 3),
            ClusterBuilder.Gcp("gc").Pool("cpu", "n2-standard-4", 1, 3),
            ClusterBuilder.Existing("onprem", "ctx"),
            ClusterBuilder.Aws("burst").Dynamic().Pool("cpu", "m6i.xlarge", 0, 3));
        var decisions = NodeAutoscaling.Decide(spec, new FleetPlanBuilder(spec).Absent("burst").Build());

        Assert.Equal(NodeAutoscaler.CloudManaged, decisions["az"].Autoscaler);
        Assert.Equal(NodeAutoscaler.CloudManaged, decisions["gc"].Autoscaler);
        Assert.Null(decisions["az"].Release);
        Assert.Empty(decisions["gc"].ScaleFromZero);
        Assert.Equal(NodeAutoscaler.None, decisions["onprem"].Autoscaler);
        Assert.False(decisions.ContainsKey("burst"));
    }

    [Fact]
    public void Eks_pools_with_minimum_zero_get_template_tags_for_labels_taints_capacity_type_and_gpus()
    {
        var spec = WithGpuPool(Fleet(ClusterBuilder.Aws("east").Pool("cpu", "m6i.xlarge", 1, 5)), "east");
        var decision = NodeAutoscaling.Decide(spec, new FleetPlanBuilder(spec).Build())["east"];

        var hint = Assert.Single(decision.ScaleFromZero);
        Assert.Equal("gpu", hint.Pool);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["k8s.io/cluster-autoscaler/node-template/label/accelerator"] = "a10g",
                ["k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/capacityType"] = "SPOT",
                ["k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/nodegroup"] = "gpu",
                ["k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"] = "1",
                ["k8s.io/cluster-autoscaler/node-template/taint/dedicated"] = ":NoExecute",
                ["k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu"] = "present:NoSchedule",
            },
            hint.Tags);
    }

    [Fact]
    public void Standby_cluster_hints_every_pool_because_all_of_them_sit_at_zero()
    {
        var spec = WithGpuPool(Fleet(ClusterBuilder.Aws("east").Pool("cpu", "m6i.xlarge", 1, 5)), "east");
        var decision = NodeAutoscaling.Decide(spec, new FleetPlanBuilder(spec).Standby("east").Build())["east"];

        Assert.Equal<string>(["cpu", "gpu"], decision.ScaleFromZero.Select(h => h.Pool));
        Assert.Equal("ON_DEMAND", decision.ScaleFromZero[0].Tags["k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/capacityType"]);
    }

    [Theory]
    [InlineData(null, ClusterState.Active, true)]
    [InlineData("absent", ClusterState.Active, true)]
    [InlineData("standby", ClusterState.Active, true)]
    [InlineData("active", ClusterState.Standby, true)]
    [InlineData("standby", ClusterState.Standby, true)]
    [InlineData("active", ClusterState.Active, false)]
    public void Plan_sets_node_counts_except_while_a_cluster_stays_active(string? before, ClusterState now, bool planSets)
    {
        var spec = Fleet(ClusterBuilder.Aws("east").Pool("cpu", "m6i.xlarge", 1, 5), ClusterBuilder.Azure("az").Pool("cpu", "Standard_D4s_v5", 1, 3));
        var previous = before is null ? null : new Dictionary<string, string> { ["east"] = before, ["az"] = before };
        var decisions = NodeAutoscaling.Decide(spec, new FleetPlanBuilder(spec).State("east", now).State("az", now).Build(), previous);

        Assert.Equal(planSets, decisions["east"].PlanSetsNodeCount);
        Assert.Equal(planSets, decisions["az"].PlanSetsNodeCount);
    }

    [Fact]
    public void Eks_cluster_whose_pools_may_all_reach_zero_keeps_declaring_the_plans_counts_so_the_autoscaler_is_never_stranded()
    {
        var spec = Fleet(ClusterBuilder.Aws("gpu-only").Pool("a", "m6i.xlarge", 0, 3).Pool("b", "m6i.xlarge", 0, 3));
        var previous = new Dictionary<string, string> { ["gpu-only"] = "active" };

        var idle = NodeAutoscaling.Decide(spec, new FleetPlanBuilder(spec).Build(), previous)["gpu-only"];
        var busy = NodeAutoscaling.Decide(spec, new FleetPlanBuilder(spec).Desired("gpu-only", "a", 2).Build(), previous)["gpu-only"];

        Assert.True(idle.PlanSetsNodeCount);
        Assert.False(idle.ReleaseWaits);
        Assert.True(busy.PlanSetsNodeCount);
        Assert.True(busy.ReleaseWaits);
    }

    [Fact]
    public void Autoscaler_release_waits_only_for_an_active_cluster_with_a_planned_node()
    {
        var spec = Fleet(ClusterBuilder.Aws("east").Pool("cpu", "m6i.xlarge", 1, 5));

        Assert.True(NodeAutoscaling.Decide(spec, new FleetPlanBuilder(spec).Build())["east"].ReleaseWaits);
        Assert.False(NodeAutoscaling.Decide(spec, new FleetPlanBuilder(spec).Standby("east").Build())["east"].ReleaseWaits);
    }

    [Fact]
    public void Orchestrator_hands_each_provisioned_cluster_its_autoscaling_decision()
    {
        var spec = Fleet(
            ClusterBuilder.Aws("east").Pool("cpu", "m6i.xlarge", 1, 5).Pool("spare", "m6i.xlarge", 0, 5),
            ClusterBuilder.Gcp("gc").Pool("cpu", "n2-standard-4", 1, 3));
        var plan = new FleetPlanBuilder(spec).Build();
        var provisioned = new List<ClusterProvisionSpec>();
        var ports = new MockPorts();
        ports.Provisioner.Setup(p => p.Provision(Moq.It.IsAny<ClusterProvisionSpec>()))
            .Returns((ClusterProvisionSpec s) =>
            {
                provisioned.Add(s);
                return new TestHandle(s.Cluster.Name, "cluster");
            });

        FleetOrchestrator.Run(TestRun.Of(spec, plan, previousStates: new Dictionary<string, string> { ["east"] = "active" }), ports.Ports, FakeRendering.Instance);

        Assert.Equal<string>(["east", "gc"], provisioned.Select(p => p.Cluster.Name));
        Assert.Equal(NodeAutoscaler.ClusterAutoscaler, provisioned[0].Autoscaling!.Autoscaler);
        Assert.False(provisioned[0].Autoscaling!.PlanSetsNodeCount);
        Assert.Equal("spare", Assert.Single(provisioned[0].Autoscaling!.ScaleFromZero).Pool);
        Assert.Equal(NodeAutoscaler.CloudManaged, provisioned[1].Autoscaling!.Autoscaler);
        Assert.True(provisioned[1].Autoscaling!.PlanSetsNodeCount);
    }

    [Fact]
    public void Previous_states_come_from_the_exported_cluster_outputs()
    {
        var outputs = new FleetOutputs(
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [
                KeyValuePair.Create("east", new ClusterOutput("aws", "1.31", "static", "active")),
                KeyValuePair.Create("west", new ClusterOutput("aws", "1.31", "dynamic", "standby")),
            ]),
            ImmutableSortedDictionary<string, ImmutableArray<string>>.Empty,
            [],
            "{}");

        Assert.Equal(new Dictionary<string, string> { ["east"] = "active", ["west"] = "standby" }, NodeAutoscaling.PreviousStates(outputs));
        Assert.Empty(NodeAutoscaling.PreviousStates(null));
    }
}
