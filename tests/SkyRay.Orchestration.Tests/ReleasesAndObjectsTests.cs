using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Releases;
using SkyRay.Orchestration.Tests.Builders;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration.Tests;

/// <summary>Helm add-on releases, cluster objects and the objects that go with a workload: what the walk declares, in which order, after what.</summary>
public sealed class ReleasesAndObjectsTests
{
    private static (FleetSpec Spec, FleetPlan Plan) Fleet()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Workload(new WorkloadBuilder("llm").Namespace("serving"))
            .Build();
        return (spec, new FleetPlanBuilder(spec).Place("llm", "aws-a").Build());
    }

    private static HelmRelease Addon(string key, params string[] after) =>
        new(key, key, key, "1.0.0", "https://charts.example.com", "addons", new JsonObject()) { After = [.. after] };

    private static KubeObject Object(string kind, string name, string ns) =>
        new("v1", kind, name, ns, new JsonObject { ["apiVersion"] = "v1", ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = name } });

    [Fact]
    public void Releases_are_installed_in_their_order_each_after_the_releases_it_names()
    {
        var (spec, plan) = Fleet();
        var rendering = FakeRendering.Instance with
        {
            Releases = (s, c, p) => [.. FakeRendering.Instance.Releases(s, c, p), Addon("device-plugin"), Addon("queues", "kuberay", "device-plugin")],
        };
        var ports = new MockPorts();

        var run = FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, rendering);

        // The cluster's workload namespaces come first (a namespaced operator's chart puts a Role in each), then the releases.
        Assert.Equal(["provision aws-a", "connect aws-a", "namespace serving@aws-a", "release kuberay@aws-a", "release device-plugin@aws-a", "release queues@aws-a"], ports.Calls.Take(6));
        Assert.Equal(
            [new TestHandle("aws-a", "namespace/serving"), new TestHandle("aws-a", "release/kuberay"), new TestHandle("aws-a", "release/device-plugin")],
            ports.Installed[2].After);
        Assert.Equal([new TestHandle("aws-a", "namespace/serving")], ports.Installed[0].After);
        Assert.Equal(["kuberay", "device-plugin", "queues"], run.Clusters["aws-a"].Releases.Select(r => r.Release.Key));
        Assert.Equal(OperatorReleaseBuilder.Key, run.Clusters["aws-a"].Release.Key);
    }

    [Fact]
    public void A_release_after_one_the_cluster_does_not_install_first_is_a_programming_error()
    {
        var (spec, plan) = Fleet();
        var rendering = FakeRendering.Instance with
        {
            Releases = (s, c, p) => [Addon("queues", "kuberay"), .. FakeRendering.Instance.Releases(s, c, p)],
        };

        var error = Assert.Throws<ArgumentException>(() => FleetOrchestrator.Run(TestRun.Of(spec, plan), new MockPorts().Ports, rendering));

        Assert.Contains("Release 'queues' of cluster 'aws-a' comes after 'kuberay', which is not installed before it", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cluster_objects_follow_the_releases_and_namespaces_and_a_workload_comes_after_its_namespaces_objects_and_its_own()
    {
        var (spec, plan) = Fleet();
        var rendering = FakeRendering.Instance with
        {
            ClusterObjects = (_, _, _) => [Object("ClusterQueue", "shared", string.Empty), Object("LocalQueue", "team", "serving")],
            Companions = (target, _) => [Object("NetworkPolicy", target.Workload.Name, target.Workload.Namespace)],
        };
        var ports = new MockPorts();

        var run = FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, rendering);

        Assert.Equal(
            [
                "provision aws-a", "connect aws-a", "namespace serving@aws-a", "release kuberay@aws-a",
                "object ClusterQueue/shared@aws-a", "object LocalQueue/team@aws-a", "object NetworkPolicy/llm@aws-a", "apply llm@aws-a", "export",
            ],
            ports.Calls);
        var applied = Assert.Single(ports.Applied);
        Assert.Equal(
            [
                new TestHandle("aws-a", "release/kuberay"), new TestHandle("aws-a", "namespace/serving"),
                new TestHandle("aws-a", "object/LocalQueue/team"), new TestHandle("aws-a", "object/NetworkPolicy/llm"),
            ],
            applied.After);
        Assert.Equal(["ClusterQueue", "LocalQueue", "NetworkPolicy"], run.Objects.Select(o => o.Rendered.Kind));
        Assert.Equal([null, null, "llm"], run.Objects.Select(o => o.Workload));
    }

    [Fact]
    public void Releases_wait_only_where_a_node_can_run_their_pods()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("busy").Pool("cpu", "m6i.2xlarge", 1, 4))
            .Cluster(ClusterBuilder.Aws("idle-at-zero").Pool("cpu", "m6i.2xlarge", 0, 4))
            .Cluster(ClusterBuilder.Aws("asleep").Pool("cpu", "m6i.2xlarge", 1, 4))
            .Cluster(ClusterBuilder.Existing("lab", "kind-lab"))
            .Build();
        var plan = new FleetPlanBuilder(spec).Desired("busy", "cpu", 1).Desired("idle-at-zero", "cpu", 0).Standby("asleep").Build();

        bool Waits(string cluster) => Assert.Single(ClusterReleases.For(spec, spec.Clusters[cluster], plan.Clusters[cluster])).Wait;

        Assert.True(Waits("busy"));
        Assert.False(Waits("idle-at-zero"));
        Assert.False(Waits("asleep"));
        Assert.True(Waits("lab"));
    }
}
