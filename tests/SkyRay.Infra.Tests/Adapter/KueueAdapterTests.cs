using System.Text.Json.Nodes;
using Pulumi;
using SkyRay.Fleet.Config;
using SkyRay.Infra.Ports;
using SkyRay.Infra.Tests.Support;
using SkyRay.KubeRay.Kueue;
using SkyRay.KubeRay.Rendering;
using SkyRay.Placement.Planning;
using K8s = Pulumi.Kubernetes;

namespace SkyRay.Infra.Tests.Adapter;

/// <summary>Kueue through the Pulumi adapter: its OCI chart release, and its objects as generic resources after the releases.</summary>
public sealed class KueueAdapterTests
{
    private static ClusterSpec Lab() => TestFleet.Aws("lab", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3)) with
    {
        Kueue = KueueSettings.Disabled with
        {
            Enabled = true,
            PriorityClasses = System.Collections.Immutable.ImmutableSortedDictionary.Create<string, WorkloadPriorityClassSpec>(StringComparer.Ordinal)
                .Add("high", new WorkloadPriorityClassSpec(1000, "production")),
        },
    };

    [Fact]
    public async Task Kueue_release_is_the_oci_chart_without_a_repository_installed_after_the_operator()
    {
        K8s.Helm.V3.Release? operatorRelease = null;
        ReleaseHandle? kueue = null;
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            var adapter = new PulumiFleetPorts(TestFleet.Catalog, _ => Output.CreateSecret(""));
            var cluster = Lab();
            var provisioned = adapter.Ports.Provisioner.Provision(new Orchestration.Ports.ClusterProvisionSpec(cluster, TestFleet.Plan(cluster)));
            var connection = adapter.Ports.Connector.Connect(cluster, provisioned);
            var op = Assert.IsType<ReleaseHandle>(adapter.Ports.Releases.Install(connection, TestFleet.Release(), []));
            operatorRelease = op.Component.Release;
            kueue = Assert.IsType<ReleaseHandle>(adapter.Ports.Releases.Install(connection, KueueRelease.Build(cluster), [op]));
        });

        var release = mocks.Resources.Single(r => r.Type == "kubernetes:helm.sh/v3:Release" && r.Name == "lab-kueue");
        Assert.Equal("oci://registry.k8s.io/kueue/charts/kueue", Values.At(release, "chart"));
        Assert.Equal("0.19.2", Values.At(release, "version"));
        Assert.Equal("kueue", Values.At(release, "name"));
        Assert.Equal("kueue-system", Values.At(release, "namespace"));
        Assert.Equal(true, Values.At(release, "createNamespace"));
        Assert.Equal(false, Values.At(release, "skipAwait"));
        Assert.Null(Values.At(release, "repositoryOpts"));
        Assert.Contains("ray.io/rayjob", (string)Values.At(release, "values.managerConfig.controllerManagerConfigYaml")!, StringComparison.Ordinal);
        Assert.Contains(mocks.Resources, r => r.Type == "skyray:cluster:Release" && r.Name == "lab-kueue");
        Assert.Equal<Resource>([operatorRelease!], kueue!.Component.After);
    }

    [Fact]
    public async Task Kueue_objects_are_generic_resources_of_their_kind_after_the_releases_with_a_priority_class_value_at_the_top()
    {
        var objects = new List<ObjectHandle>();
        var releases = new List<Resource>();
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            var adapter = new PulumiFleetPorts(TestFleet.Catalog, _ => Output.CreateSecret(""));
            var cluster = Lab();
            var provisioned = adapter.Ports.Provisioner.Provision(new Orchestration.Ports.ClusterProvisionSpec(cluster, TestFleet.Plan(cluster)));
            var connection = adapter.Ports.Connector.Connect(cluster, provisioned);
            var op = Assert.IsType<ReleaseHandle>(adapter.Ports.Releases.Install(connection, TestFleet.Release(), []));
            var kueue = Assert.IsType<ReleaseHandle>(adapter.Ports.Releases.Install(connection, KueueRelease.Build(cluster), [op]));
            releases.AddRange([op.Component.Release, kueue.Component.Release]);
            var spec = new FleetSpec("adapter", System.Collections.Immutable.ImmutableSortedDictionary.Create<string, ClusterSpec>(StringComparer.Ordinal).Add("lab", cluster),
                System.Collections.Immutable.ImmutableSortedDictionary.Create<string, Fleet.Workloads.WorkloadSpec>(StringComparer.Ordinal),
                System.Collections.Immutable.ImmutableSortedDictionary.Create<string, Fleet.Policies.SchedulePolicy>(StringComparer.Ordinal),
                KubeRaySettings.Default, TestFleet.Catalog);
            foreach (var kubeObject in KueueObjects.For(spec, cluster, TestFleet.Plan(cluster)))
            {
                objects.Add(Assert.IsType<ObjectHandle>(adapter.Ports.Objects.Apply(connection, kubeObject, [op, kueue])));
            }
        });

        var priority = mocks.Resources.Single(r => r.Type == "kubernetes:kueue.x-k8s.io/v1beta2:WorkloadPriorityClass");
        Assert.Equal("lab-workloadpriorityclass-high", priority.Name);
        Assert.Equal(1000.0, Values.At(priority, "value"));
        Assert.Equal("production", Values.At(priority, "description"));
        Assert.Equal("high", Values.At(priority, "metadata.name"));
        Assert.Null(Values.At(priority, "metadata.namespace"));

        var queue = mocks.Resources.Single(r => r.Type == "kubernetes:kueue.x-k8s.io/v1beta2:ClusterQueue");
        Assert.Equal("lab-clusterqueue-skyray", queue.Name);
        // m6i.xlarge (4 vCPU, 16 GiB) × 3 nodes, less 0.5 vCPU and 1 GiB a node: 10.5 CPU, 45 GiB.
        var flavor = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(Assert.Single((IEnumerable<object>)Values.At(queue, "spec.resourceGroups")!));
        var resources = ((IEnumerable<object>)((IReadOnlyDictionary<string, object>)Assert.Single((IEnumerable<object>)flavor["flavors"]))["resources"]).Cast<IReadOnlyDictionary<string, object>>().ToList();
        Assert.Equal(["10500m", "45Gi"], resources.Select(r => (string)r["nominalQuota"]));
        Assert.Contains(mocks.Resources, r => r.Type == "kubernetes:kueue.x-k8s.io/v1beta2:ResourceFlavor" && r.Name == "lab-resourceflavor-skyray-cpu");
        Assert.All(mocks.Resources.Where(r => r.Type!.StartsWith("kubernetes:kueue.x-k8s.io/", StringComparison.Ordinal)), r => Assert.Contains("::lab-k8s::", r.Provider, StringComparison.Ordinal));
        Assert.All(objects, o => Assert.Equal(releases, o.Declared.DependsOn));
    }
}
