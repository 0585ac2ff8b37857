using Pulumi;
using SkyRay.Fleet.Config;
using SkyRay.Infra.KubeRay;
using SkyRay.Infra.Ports;
using SkyRay.Infra.Tests.Support;
using SkyRay.Orchestration.Namespaces;
using SkyRay.Orchestration.Ports;
using System.Collections.Immutable;
using SkyRay.Placement.Planning;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.Tests.Adapter;

/// <summary>Connections, the operator release and Ray objects: what the Kubernetes half of the adapter declares.</summary>
public sealed class KubernetesSideTests
{
    private static readonly string[] TwoClusters = ["lab", "lab2"];

    [Fact]
    public async Task Existing_cluster_by_context_gets_only_a_provider_on_that_context()
    {
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            var adapter = new PulumiFleetPorts(TestFleet.Catalog, key => throw new InvalidOperationException("no secret expected, asked for " + key));
            adapter.Ports.Connector.Connect(TestFleet.Existing("lab", "kind-lab", null), null);
        });

        var provider = Assert.Single(mocks.Resources, r => r.Type == "pulumi:providers:kubernetes");
        Assert.Equal("lab-k8s", provider.Name);
        Assert.Equal("kind-lab", Values.At(provider, "context"));
        Assert.DoesNotContain(mocks.Resources, r => r.Type!.StartsWith("aws:", StringComparison.Ordinal) || r.Type.StartsWith("azure:", StringComparison.Ordinal) || r.Type.StartsWith("gcp:", StringComparison.Ordinal));
        Assert.Contains(mocks.Resources, r => r.Type == "skyray:fleet:Cluster" && r.Name == "lab");
    }

    [Fact]
    public async Task A_lost_clusters_provider_deletes_from_state_only_and_an_unreachable_ones_skips_updates()
    {
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            var adapter = new PulumiFleetPorts(TestFleet.Catalog, key => throw new InvalidOperationException("no secret expected, asked for " + key));
            adapter.Ports.Connector.Connect(TestFleet.Existing("gone", "ctx-gone", null), null, new ConnectionOptions(SkipUnreachableUpdates: true, DeleteUnreachable: true));
            adapter.Ports.Connector.Connect(TestFleet.Existing("flaky", "ctx-flaky", null), null, new ConnectionOptions(SkipUnreachableUpdates: true));
            adapter.Ports.Connector.Connect(TestFleet.Existing("fine", "ctx-fine", null), null, ConnectionOptions.Reachable);
        });

        var providers = mocks.Resources.Where(r => r.Type == "pulumi:providers:kubernetes").ToDictionary(r => r.Name!);
        // Provider inputs reach the engine as JSON text.
        static string? Text(object? value) => value is null ? null : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!.ToLowerInvariant();
        Assert.Equal("true", Text(Values.At(providers["gone-k8s"], "deleteUnreachable")));
        Assert.Equal("true", Text(Values.At(providers["gone-k8s"], "skipUpdateUnreachable")));
        Assert.Equal("true", Text(Values.At(providers["flaky-k8s"], "skipUpdateUnreachable")));
        Assert.Null(Values.At(providers["flaky-k8s"], "deleteUnreachable"));
        Assert.Null(Values.At(providers["fine-k8s"], "skipUpdateUnreachable"));
    }

    [Fact]
    public async Task Existing_cluster_with_a_secret_kubeconfig_connects_with_it_and_exports_it_as_a_secret()
    {
        PulumiFleetPorts? adapter = null;
        var asked = new List<string>();
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            adapter = new PulumiFleetPorts(TestFleet.Catalog, key =>
            {
                asked.Add(key);
                return Output.CreateSecret("kubeconfig-of-onprem");
            });
            adapter.Ports.Connector.Connect(TestFleet.Existing("onprem", null, "skyray-infra:onpremKubeconfig"), null);
        });

        Assert.Equal<string>(["skyray-infra:onpremKubeconfig"], asked);
        Assert.Equal("kubeconfig-of-onprem", Values.At(Assert.Single(mocks.Resources, r => r.Type == "pulumi:providers:kubernetes"), "kubeconfig"));
        var exported = Assert.IsType<Output<System.Collections.Immutable.ImmutableSortedDictionary<string, string>>>(adapter!.StackOutputs()["kubeconfigs"]);
        Assert.True(await Output.IsSecretAsync(exported));
        Assert.Equal("kubeconfig-of-onprem", (await Values.Of(exported))["onprem"]);
    }

    [Fact]
    public async Task Operator_release_is_parented_to_its_cluster_and_waits_as_the_core_decided()
    {
        var active = TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3));
        var suspended = TestFleet.Aws("idle", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3));
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            var adapter = new PulumiFleetPorts(TestFleet.Catalog, _ => Output.CreateSecret(""));
            foreach (var (cluster, state) in new[] { (active, ClusterState.Active), (suspended, ClusterState.Standby) })
            {
                var provisioned = adapter.Ports.Provisioner.Provision(new ClusterProvisionSpec(cluster, TestFleet.Plan(cluster, state)));
                var connection = adapter.Ports.Connector.Connect(cluster, provisioned);
                adapter.Ports.Releases.Install(connection, TestFleet.Release() with { Wait = state == ClusterState.Active, TimeoutSeconds = 420 }, []);
            }
        });

        var releases = mocks.Resources.Where(r => r.Type == "kubernetes:helm.sh/v3:Release").ToDictionary(r => r.Name!);
        Assert.Equal(false, Values.At(releases["east-kuberay"], "skipAwait"));
        Assert.Equal(true, Values.At(releases["idle-kuberay"], "skipAwait"));
        Assert.Equal(420.0, Values.At(releases["east-kuberay"], "timeout"));
        Assert.Equal("kuberay-operator", Values.At(releases["east-kuberay"], "chart"));
        Assert.Equal("1.7.0", Values.At(releases["east-kuberay"], "version"));
        Assert.Equal(1.0, Values.At(releases["east-kuberay"], "values.replicas"));
        Assert.Contains("::east-k8s::", releases["east-kuberay"].Provider, StringComparison.Ordinal);
        Assert.Contains("::idle-k8s::", releases["idle-kuberay"].Provider, StringComparison.Ordinal);
        Assert.Contains(mocks.Resources, r => r.Type == "skyray:kuberay:Operator" && r.Name == "east-kuberay");
    }

    [Fact]
    public async Task Ray_objects_carry_metadata_and_spec_and_declare_no_namespace_themselves()
    {
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            var adapter = new PulumiFleetPorts(TestFleet.Catalog, _ => Output.CreateSecret(""));
            var connection = adapter.Ports.Connector.Connect(TestFleet.Existing("lab", "kind-lab", null), null);
            var kubeRayOperator = adapter.Ports.Releases.Install(connection, TestFleet.Release(), []);
            adapter.Ports.Workloads.Apply(connection, TestFleet.RayCluster("train", "ml"), [kubeRayOperator]);
            adapter.Ports.Workloads.Apply(connection, TestFleet.RayCluster("tune", "ml"), [kubeRayOperator]);
            adapter.Ports.Workloads.Apply(connection, TestFleet.RayCluster("notebook", "default"), [kubeRayOperator]);
        });

        var rayClusters = mocks.Resources.Where(r => r.Type == "kubernetes:ray.io/v1:RayCluster").ToDictionary(r => r.Name!);
        Assert.Equal<string>(["lab-notebook", "lab-train", "lab-tune"], rayClusters.Keys.Order(StringComparer.Ordinal));
        var train = rayClusters["lab-train"];
        Assert.Equal("train", Values.At(train, "metadata.name"));
        Assert.Equal("ml", Values.At(train, "metadata.namespace"));
        Assert.Equal("condition=Ready", ((IReadOnlyDictionary<string, object>)Values.At(train, "metadata.annotations")!)["pulumi.com/waitFor"]);
        Assert.Equal("2.52.0", Values.At(train, "spec.rayVersion"));
        var worker = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(Assert.Single((IEnumerable<object>)Values.At(train, "spec.workerGroupSpecs")!));
        Assert.Equal(2.0, worker["replicas"]);
        Assert.All(rayClusters.Values, r => Assert.Contains("::lab-k8s::", r.Provider, StringComparison.Ordinal));

        // Namespaces come only from the namespace port (the core decides which); the workload applier creates none.
        Assert.DoesNotContain(mocks.Resources, r => r.Type == "kubernetes:core/v1:Namespace");
        Assert.Equal(3, mocks.Resources.Count(r => r.Type == "skyray:kuberay:Workload"));
    }

    [Fact]
    public async Task Namespace_port_declares_the_core_namespace_object_on_the_clusters_provider()
    {
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            var adapter = new PulumiFleetPorts(TestFleet.Catalog, _ => Output.CreateSecret(""));
            var namespaces = Assert.IsType<PulumiNamespaceApplier>(adapter.Ports.Namespaces);
            foreach (var cluster in TwoClusters)
            {
                var connection = adapter.Ports.Connector.Connect(TestFleet.Existing(cluster, "kind-" + cluster, null), null);
                var handle = Assert.IsType<NamespaceHandle>(namespaces.Apply(connection, WorkloadNamespaces.Manifest("ml")));
                Assert.Equal(cluster, handle.Cluster);
                Assert.Equal("ml", handle.Namespace);
            }
        });

        var declared = mocks.Resources.Where(r => r.Type == "kubernetes:core/v1:Namespace").ToDictionary(r => r.Name!);
        Assert.Equal<string>(["lab-ns-ml", "lab2-ns-ml"], declared.Keys.Order(StringComparer.Ordinal));
        foreach (var (cluster, ns) in new[] { ("lab", declared["lab-ns-ml"]), ("lab2", declared["lab2-ns-ml"]) })
        {
            Assert.Equal("ml", Values.At(ns, "metadata.name"));
            Assert.Equal("skyray", ((IReadOnlyDictionary<string, object>)Values.At(ns, "metadata.labels")!)["app.kubernetes.io/managed-by"]);
            Assert.Contains($"::{cluster}-k8s::", ns.Provider, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Workload_waits_for_its_operator_and_for_the_namespace_the_port_declared()
    {
        RayWorkload? inCreated = null;
        RayWorkload? inDefault = null;
        NamespaceHandle? ml = null;
        K8s.Helm.V3.Release? release = null;
        await TestFleet.DeclareAsync(() =>
        {
            var adapter = new PulumiFleetPorts(TestFleet.Catalog, _ => Output.CreateSecret(""));
            var connection = adapter.Ports.Connector.Connect(TestFleet.Existing("lab", "kind-lab", null), null);
            var kubeRayOperator = Assert.IsType<ReleaseHandle>(adapter.Ports.Releases.Install(connection, TestFleet.Release(), []));
            release = kubeRayOperator.Component.Release;
            ml = Assert.IsType<NamespaceHandle>(adapter.Ports.Namespaces!.Apply(connection, WorkloadNamespaces.Manifest("ml")));
            inCreated = Assert.IsType<WorkloadHandle>(adapter.Ports.Workloads.Apply(connection, TestFleet.RayCluster("train", "ml"), [kubeRayOperator, ml])).Component;
            inDefault = Assert.IsType<WorkloadHandle>(adapter.Ports.Workloads.Apply(connection, TestFleet.RayCluster("notebook", "default"), [kubeRayOperator])).Component;
        });

        Assert.Equal<Resource>([release!, ml!.Resource], inCreated!.DependsOn);
        Assert.Equal<Resource>([release!], inDefault!.DependsOn);
    }

    [Fact]
    public async Task A_namespace_handle_of_another_cluster_is_refused()
    {
        var error = await Record.ExceptionAsync(() => TestFleet.DeclareAsync(() =>
        {
            var adapter = new PulumiFleetPorts(TestFleet.Catalog, _ => Output.CreateSecret(""));
            var lab = adapter.Ports.Connector.Connect(TestFleet.Existing("lab", "kind-lab", null), null);
            var other = adapter.Ports.Connector.Connect(TestFleet.Existing("other", "kind-other", null), null);
            var kubeRayOperator = adapter.Ports.Releases.Install(lab, TestFleet.Release(), []);
            var foreign = adapter.Ports.Namespaces!.Apply(other, WorkloadNamespaces.Manifest("ml"));
            adapter.Ports.Workloads.Apply(lab, TestFleet.RayCluster("train", "ml"), [kubeRayOperator, foreign]);
        }));

        Assert.NotNull(error);
        Assert.Contains("namespace 'ml' of cluster 'other'", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exported_outputs_are_plain_maps_with_the_idle_clock_only_where_it_runs()
    {
        PulumiFleetPorts? adapter = null;
        await TestFleet.DeclareAsync(() =>
        {
            adapter = new PulumiFleetPorts(TestFleet.Catalog, _ => Output.CreateSecret(""));
            adapter.Ports.Outputs.Export(new FleetOutputs(
                new[]
                {
                    KeyValuePair.Create("east", new ClusterOutput("aws", "1.31", "static", "active")),
                    KeyValuePair.Create("burst", new ClusterOutput("gcp", "1.31", "dynamic", "standby", "2026-01-01T10:00:00.0000000+00:00")),
                }.ToImmutableSortedDictionary(StringComparer.Ordinal),
                new[] { KeyValuePair.Create("llm", System.Collections.Immutable.ImmutableArray.Create("east")) }.ToImmutableSortedDictionary(StringComparer.Ordinal),
                ["llm → east (available capacity)"],
                "{\"llm\":[\"east\"]}"));
        });

        var outputs = adapter!.StackOutputs();
        var clusters = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(outputs["clusters"]);
        var east = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(clusters["east"]);
        var burst = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(clusters["burst"]);
        Assert.Equal("active", east["state"]);
        Assert.False(east.ContainsKey("idleSince"));
        Assert.Equal("2026-01-01T10:00:00.0000000+00:00", burst["idleSince"]);
        Assert.Equal("{\"llm\":[\"east\"]}", outputs["placements"]);
        Assert.Equal<string>(["llm → east (available capacity)"], (IEnumerable<string>)outputs["explanation"]!);
        Assert.False(outputs.ContainsKey("kubeconfigs"));
    }
}
