using Moq;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Manifests;
using SkyRay.Orchestration.Namespaces;
using SkyRay.Orchestration.Ports;
using SkyRay.Orchestration.Recording;
using SkyRay.Orchestration.Tests.Builders;

namespace SkyRay.Orchestration.Tests;

public sealed class WorkloadNamespaceTests
{
    private static readonly FleetRendering Fake = FakeRendering.Instance;

    /// <summary>aws-a and gcp-b active, az-idle standby, aws-burst absent; workloads in serving, batch, default, kube-system and the operator's namespace.</summary>
    private static (FleetSpec Spec, Placement.Planning.FleetPlan Plan) Fleet()
    {
        var spec = new FleetSpecBuilder()
            .Cluster(ClusterBuilder.Aws("aws-a"))
            .Cluster(ClusterBuilder.Gcp("gcp-b"))
            .Cluster(ClusterBuilder.Azure("az-idle").Standby(StandbyMode.Suspend, TimeSpan.FromHours(1)))
            .Cluster(ClusterBuilder.Aws("aws-burst").Dynamic())
            .Workload(new WorkloadBuilder("llm").Namespace("serving"))
            .Workload(new WorkloadBuilder("chat").Namespace("serving"))
            .Workload(new WorkloadBuilder("train").Namespace("batch"))
            .Workload(new WorkloadBuilder("plain"))
            .Workload(new WorkloadBuilder("system").Namespace("kube-system"))
            .Workload(new WorkloadBuilder("beside-operator").Namespace(KubeRaySettings.DefaultNamespace))
            .Build();
        var plan = new FleetPlanBuilder(spec)
            .Standby("az-idle")
            .Absent("aws-burst")
            .Place("llm", "aws-a", "gcp-b")
            .Place("chat", "aws-a")
            .Place("train", "gcp-b")
            .Place("plain", "aws-a")
            .Place("system", "aws-a")
            .Place("beside-operator", "gcp-b")
            .Build();
        return (spec, plan);
    }

    [Fact]
    public void Each_active_cluster_gets_one_namespace_per_distinct_workload_namespace_sorted()
    {
        var (spec, plan) = Fleet();

        var namespaces = WorkloadNamespaces.For(spec, plan);

        Assert.Equal(["aws-a", "gcp-b"], namespaces.Keys.ToArray());
        Assert.Equal(["serving"], namespaces["aws-a"].Select(n => n.Name).ToArray());
        Assert.Equal(["batch", "serving"], namespaces["gcp-b"].Select(n => n.Name).ToArray());
    }

    [Fact]
    public void Namespace_object_is_a_v1_namespace_labelled_managed_by_skyray_that_enforces_the_restricted_pod_security_standard()
    {
        var ns = WorkloadNamespaces.Manifest("serving");

        Assert.Equal(("v1", "Namespace", "serving"), (ns.ApiVersion, ns.Kind, ns.Name));
        Assert.Equal(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"labels\":{\"app.kubernetes.io/managed-by\":\"skyray\",\"pod-security.kubernetes.io/enforce\":\"restricted\"},\"name\":\"serving\"}}",
            ns.Manifest.ToJsonString());
    }

    [Fact]
    public void A_namespace_enforces_the_least_strict_level_its_workloads_on_that_cluster_ask_for()
    {
        var (spec, plan) = Fleet();
        var batch = spec.Workloads.Values.First(w => w.Namespace == "batch");
        var relaxed = spec with { Workloads = spec.Workloads.SetItem(batch.Name, batch with { Security = batch.Security with { PodSecurity = PodSecurityLevel.Baseline } }) };

        Assert.Equal(PodSecurityLevel.Restricted, WorkloadNamespaces.Level(spec, plan, "gcp-b", "batch"));
        Assert.Equal(PodSecurityLevel.Baseline, WorkloadNamespaces.Level(relaxed, plan, "gcp-b", "batch"));
        Assert.Equal(PodSecurityLevel.Restricted, WorkloadNamespaces.Level(relaxed, plan, "gcp-b", "serving"));
        Assert.Contains(
            "\"pod-security.kubernetes.io/enforce\":\"baseline\"",
            WorkloadNamespaces.For(relaxed, plan)["gcp-b"].Single(n => n.Name == "batch").Manifest.ToJsonString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Levels_of_the_whole_plan_give_the_relaxed_level_only_to_the_relaxed_workloads_namespace()
    {
        var (spec, plan) = Fleet();
        var batch = spec.Workloads.Values.First(w => w.Namespace == "batch");
        var relaxed = spec with { Workloads = spec.Workloads.SetItem(batch.Name, batch with { Security = batch.Security with { PodSecurity = PodSecurityLevel.Baseline } }) };

        var levels = WorkloadNamespaces.Levels(relaxed, plan);

        // Only the relaxed workload asks for less than restricted, so only its namespace on its cluster is baseline.
        Assert.Equal(PodSecurityLevel.Baseline, levels[("gcp-b", "batch")]);
        Assert.Single(levels, l => l.Value != PodSecurityLevel.Restricted);
        Assert.Equal(PodSecurityLevel.Restricted, levels.GetValueOrDefault(("gcp-b", "serving"), PodSecurityLevel.Restricted));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("kube-system")]
    [InlineData("kube-public")]
    [InlineData("ops")]
    public void Built_in_and_operator_namespaces_are_never_created(string name) =>
        Assert.False(WorkloadNamespaces.IsCreated(name, "ops"));

    [Fact]
    public void Namespaces_are_declared_before_the_cluster_releases_and_any_workload()
    {
        var (spec, plan) = Fleet();
        var ports = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        Assert.Equal(
            [
                // A namespaced KubeRay operator's chart puts a Role in each namespace it watches: they exist first.
                "provision aws-a", "connect aws-a", "namespace serving@aws-a", "release kuberay@aws-a",
                "provision az-idle", "connect az-idle", "release kuberay@az-idle",
                "provision gcp-b", "connect gcp-b", "namespace batch@gcp-b", "namespace serving@gcp-b", "release kuberay@gcp-b",
                "apply beside-operator@gcp-b", "apply chat@aws-a", "apply llm@aws-a", "apply llm@gcp-b", "apply plain@aws-a",
                "apply system@aws-a", "apply train@gcp-b",
                "export",
            ],
            ports.Calls);
    }

    [Fact]
    public void Namespace_goes_through_its_clusters_connection_and_each_workload_depends_on_its_own_namespace()
    {
        var (spec, plan) = Fleet();
        var ports = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        ports.Namespaces.Verify(
            n => n.Apply(new TestHandle("gcp-b", "connection"), It.Is<KubeObject>(o => o.Kind == "Namespace" && o.Name == "batch")), Times.Once);
        var dependsOn = ports.Applied.ToDictionary(a => a.Workload.Name + "@" + a.Connection.Cluster, a => a.After.Count > 1 ? a.After[1] : null);
        Assert.Equal(new TestHandle("aws-a", "namespace/serving"), dependsOn["llm@aws-a"]);
        Assert.Equal(new TestHandle("gcp-b", "namespace/serving"), dependsOn["llm@gcp-b"]);
        Assert.Equal(new TestHandle("aws-a", "namespace/serving"), dependsOn["chat@aws-a"]);
        Assert.Equal(new TestHandle("gcp-b", "namespace/batch"), dependsOn["train@gcp-b"]);
    }

    [Fact]
    public void Workloads_in_default_built_in_or_operator_namespace_depend_on_no_namespace()
    {
        var (spec, plan) = Fleet();
        var ports = new MockPorts();

        FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        var dependsOn = ports.Applied.ToDictionary(a => a.Workload.Name + "@" + a.Connection.Cluster, a => a.After.Count > 1 ? a.After[1] : null);
        Assert.Null(dependsOn["plain@aws-a"]);
        Assert.Null(dependsOn["system@aws-a"]);
        Assert.Null(dependsOn["beside-operator@gcp-b"]);
        ports.Namespaces.Verify(
            n => n.Apply(It.IsAny<IPortHandle>(), It.Is<KubeObject>(o => o.Name == "default" || o.Name == "kube-system" || o.Name == KubeRaySettings.DefaultNamespace)),
            Times.Never);
    }

    [Fact]
    public void Shared_namespace_is_declared_once_per_cluster_and_never_on_standby_or_absent_clusters()
    {
        var (spec, plan) = Fleet();
        var ports = new MockPorts();

        var run = FleetOrchestrator.Run(TestRun.Of(spec, plan), ports.Ports, Fake);

        ports.Namespaces.Verify(n => n.Apply(It.IsAny<IPortHandle>(), It.Is<KubeObject>(o => o.Name == "serving")), Times.Exactly(2));
        ports.Namespaces.Verify(n => n.Apply(It.IsAny<IPortHandle>(), It.IsAny<KubeObject>()), Times.Exactly(3));
        Assert.Equal(["serving@aws-a", "batch@gcp-b", "serving@gcp-b"], run.Namespaces.Select(n => n.Namespace + "@" + n.Cluster).ToArray());
    }

    [Fact]
    public void Ports_without_a_namespace_applier_declare_no_namespace_and_workloads_depend_on_the_operator_alone()
    {
        var (spec, plan) = Fleet();
        var mock = new MockPorts();
        var ports = mock.Ports with { Namespaces = null };

        var run = FleetOrchestrator.Run(TestRun.Of(spec, plan), ports, Fake);

        Assert.Empty(run.Namespaces);
        Assert.Equal(7, mock.Applied.Count);
        Assert.All(mock.Applied, a => Assert.Equal([new TestHandle(a.Connection.Cluster, "release/kuberay")], a.After));
        Assert.DoesNotContain(mock.Calls, c => c.StartsWith("namespace", StringComparison.Ordinal));
    }

    [Fact]
    public void Preview_shows_each_namespace_before_the_workloads_and_their_calls_depend_on_it()
    {
        var (spec, plan) = Fleet();

        var recorder = RecordingPorts.Record(TestRun.Of(spec, plan), Fake);

        var lines = recorder.PreviewLines();
        Assert.Contains("+ namespace serving → aws-a", lines);
        Assert.True(lines.IndexOf("+ namespace serving → gcp-b") < lines.IndexOf("+ RayService llm → gcp-b"));
        var llm = recorder.Calls.Single(c => c.Id == "RayService/serving/llm@gcp-b");
        Assert.Equal(["connection/gcp-b", "helm/kuberay@gcp-b", "Namespace/serving@gcp-b"], llm.DependsOn.ToArray());
        Assert.Equal(["connection/aws-a", "helm/kuberay@aws-a"], recorder.Calls.Single(c => c.Id == "RayService/default/plain@aws-a").DependsOn.ToArray());
    }

    [Fact]
    public void Workloads_file_starts_with_the_clusters_namespaces()
    {
        var (spec, plan) = Fleet();

        var rendered = RenderAdapter.Render(TestRun.Of(spec, plan), Fake);

        var docs = rendered.Files.Single(f => f.Path == "gcp-b/workloads.yaml").Content.Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, docs.Length);
        Assert.Contains("\"kind\":\"Namespace\",\"metadata\":{\"labels\":{\"app.kubernetes.io/managed-by\":\"skyray\",\"pod-security.kubernetes.io/enforce\":\"restricted\"},\"name\":\"batch\"}", docs[0], StringComparison.Ordinal);
        Assert.Contains("\"name\":\"serving\"}", docs[1], StringComparison.Ordinal);
        Assert.Contains("\"name\":\"beside-operator\"", docs[2], StringComparison.Ordinal);
        Assert.DoesNotContain(rendered.Files, f => f.Path.StartsWith("az-idle/workloads", StringComparison.Ordinal));
    }

    [Fact]
    public void A_workload_in_a_namespace_skyray_does_not_create_is_warned_that_nothing_enforces_pod_security_there()
    {
        var (spec, _) = Fleet();
        var bag = new Fleet.Diagnostics.DiagnosticBag();

        WorkloadNamespaces.CheckEnforced(spec, bag);

        // default and kube-system exist everywhere; the operator's namespace comes from the Helm release, without the label.
        Assert.Equal(
            ["skyray:workloads.beside-operator.namespace", "skyray:workloads.plain.namespace", "skyray:workloads.system.namespace"],
            bag.Items.Select(d => d.Path).Order(StringComparer.Ordinal));
        Assert.All(bag.Items, d => Assert.Contains("carries no pod-security.kubernetes.io/enforce label", d.Message, StringComparison.Ordinal));
    }
}
