using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Infra.KubeRay;
using SkyRay.Infra.Tests.Support;
using SkyRay.KubeRay.Rendering;
using SkyRay.Orchestration.Namespaces;
using SkyRay.Placement.Planning;

namespace SkyRay.Infra.Tests.Program;

/// <summary>
/// Every stack file of the repository (Pulumi.dev.yaml and stacks/), deployed against the mocks: the resources
/// match the core's plan for the same file.
/// </summary>
public sealed class StackFileDeploymentTests
{
    private const string NoStacks = "(no stack files in the repository)";

    public static TheoryData<string> StackFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in StackConfig.RepositoryStackFiles().DefaultIfEmpty(NoStacks))
        {
            data.Add(file);
        }

        return data;
    }

    [Fact]
    public void The_dev_stack_file_exists_beside_Pulumi_yaml()
    {
        Assert.Contains("Pulumi.dev.yaml", StackConfig.RepositoryStackFiles());
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public async Task Each_live_cloud_cluster_is_declared_with_its_configured_kubernetes_version(string stackFile)
    {
        var (expected, result) = await DeployAsync(stackFile);

        foreach (var cluster in expected.Live(CloudProvider.Aws))
        {
            Assert.Equal(cluster.KubernetesVersion, Values.At(result.Single("aws:eks/cluster:Cluster", cluster.Name + "-eks"), "version"));
        }

        foreach (var cluster in expected.Live(CloudProvider.Azure))
        {
            var aks = result.Single("azure:containerservice/kubernetesCluster:KubernetesCluster", cluster.Name + "-aks");
            Assert.Equal(cluster.KubernetesVersion, Values.At(aks, "kubernetesVersion"));
            Assert.Equal(cluster.Region, Values.At(aks, "location"));
        }

        foreach (var cluster in expected.Live(CloudProvider.Gcp))
        {
            var gke = result.Single("gcp:container/cluster:Cluster", cluster.Name + "-gke");
            Assert.Equal(cluster.KubernetesVersion, Values.At(gke, "minMasterVersion"));
            Assert.Equal(cluster.Region, Values.At(gke, "location"));
            Assert.Equal(true, Values.At(gke, "removeDefaultNodePool"));
            Assert.Equal(cluster.Lifecycle == ClusterLifecycle.Static, Values.At(gke, "deletionProtection"));
        }

        var components = result.OfType("skyray:fleet:Cluster");
        Assert.Equal(expected.Live().Select(c => c.Name).Order(StringComparer.Ordinal), components.Keys);
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public async Task Node_pools_are_sized_as_the_plan_says_and_keep_their_configured_names(string stackFile)
    {
        var (expected, result) = await DeployAsync(stackFile);

        foreach (var cluster in expected.Live().Where(c => c.Provider != CloudProvider.Existing))
        {
            foreach (var pool in expected.Plan.Clusters[cluster.Name].Pools)
            {
                var name = $"{cluster.Name}-pool-{pool.Pool}";
                switch (cluster.Provider)
                {
                    case CloudProvider.Aws:
                        var group = result.Single("aws:eks/nodeGroup:NodeGroup", name);
                        Assert.Equal((double)pool.MinNodes, Values.At(group, "scalingConfig.minSize"));
                        Assert.Equal((double)pool.MaxNodes, Values.At(group, "scalingConfig.maxSize"));
                        Assert.Equal((double)pool.DesiredNodes, Values.At(group, "scalingConfig.desiredSize"));
                        Assert.Equal(new object[] { pool.InstanceType }, (IEnumerable<object>)Values.At(group, "instanceTypes")!);
                        Assert.Equal(pool.Pool, Values.At(group, "nodeGroupName"));
                        break;
                    case CloudProvider.Azure:
                        var aksPool = result.Single("azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool", name);
                        Assert.Equal((double)pool.MinNodes, Values.At(aksPool, "minCount"));
                        Assert.Equal((double)pool.MaxNodes, Values.At(aksPool, "maxCount"));
                        Assert.Equal((double)pool.DesiredNodes, Values.At(aksPool, "nodeCount"));
                        Assert.Equal(pool.InstanceType, Values.At(aksPool, "vmSize"));
                        Assert.Equal(true, Values.At(aksPool, "autoScalingEnabled"));
                        Assert.Equal(pool.Pool, Values.At(aksPool, "name"));
                        break;
                    case CloudProvider.Gcp:
                        var gkePool = result.Single("gcp:container/nodePool:NodePool", name);
                        Assert.Equal((double)pool.MinNodes, Values.At(gkePool, "autoscaling.totalMinNodeCount"));
                        Assert.Equal((double)pool.MaxNodes, Values.At(gkePool, "autoscaling.totalMaxNodeCount"));
                        Assert.Equal(pool.InstanceType, Values.At(gkePool, "nodeConfig.machineType"));
                        Assert.Equal(pool.Pool, Values.At(gkePool, "name"));
                        break;
                }
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public async Task Clusters_the_plan_leaves_out_declare_nothing(string stackFile)
    {
        var (expected, result) = await DeployAsync(stackFile);

        var names = expected.Spec.Clusters.Keys.ToList();
        foreach (var cluster in expected.Absent)
        {
            Assert.DoesNotContain(result.Mocks.Resources, r => OwnerOf(r.Name!, names) == cluster.Name);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public async Task Every_kubernetes_resource_goes_through_its_own_clusters_provider(string stackFile)
    {
        var (expected, result) = await DeployAsync(stackFile);
        var clusters = expected.Spec.Clusters.Keys.ToList();

        // A yaml/v2 ConfigFile (the KubeRay CRDs) is a multi-language component: its provider travels in the providers map
        // of its registration, which the mocks do not see; its children are made by the provider plugin, not here.
        var kubernetes = result.Mocks.Resources
            .Where(r => r.Type!.StartsWith("kubernetes:", StringComparison.Ordinal) && r.Type != "kubernetes:yaml/v2:ConfigFile")
            .ToList();
        Assert.NotEmpty(kubernetes);
        foreach (var resource in kubernetes)
        {
            var owner = OwnerOf(resource.Name!, clusters);
            Assert.NotNull(owner);
            Assert.Contains($"::{owner}-k8s::", resource.Provider, StringComparison.Ordinal);
        }

        Assert.Equal(
            expected.Live().Select(c => c.Name + "-k8s").Order(StringComparer.Ordinal),
            result.OfType("pulumi:providers:kubernetes").Keys);
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public async Task Each_live_cluster_gets_the_configured_kuberay_operator_chart(string stackFile)
    {
        var (expected, result) = await DeployAsync(stackFile);

        foreach (var cluster in expected.Live())
        {
            // A namespaced operator (the default scope) watches the namespaces of the workloads placed on its cluster.
            var watched = expected.Plan.Clusters[cluster.Name].Workloads.Select(w => expected.Spec.Workloads[w].Namespace).Distinct().Order(StringComparer.Ordinal).ToList();
            var release = OperatorReleaseBuilder.Build(expected.Spec.KubeRay, cluster, watched);
            var declared = result.Single("kubernetes:helm.sh/v3:Release", cluster.Name + "-kuberay");
            Assert.Equal(release.Chart, Values.At(declared, "chart"));
            Assert.Equal(expected.Spec.KubeRay.ChartVersion, Values.At(declared, "version"));
            Assert.Equal(release.Namespace, Values.At(declared, "namespace"));
            Assert.Equal(release.ReleaseName, Values.At(declared, "name"));
            Assert.Equal(OperatorReleaseBuilder.Repository, Values.At(declared, "repositoryOpts.repo"));
            Assert.Equal(true, Values.At(declared, "createNamespace"));
            Assert.Equal(
                Values.Normalize(release.Values)?.ToJsonString(),
                Values.ToJson(Values.At(declared, "values") ?? ImmutableDictionary<string, object>.Empty)?.ToJsonString());
        }
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public async Task Each_placed_copy_is_a_ray_object_carrying_the_rendered_spec(string stackFile)
    {
        var (expected, result) = await DeployAsync(stackFile);

        var copies = expected.Plan.Placements.Values.SelectMany(p => p.Copies.Select(c => (Placement: p, Copy: c))).ToList();
        foreach (var (placement, copy) in copies)
        {
            var workload = expected.Spec.Workloads[copy.Workload];
            var rendered = WorkloadRenderer.Render(new WorkloadTarget(workload, expected.Spec.Clusters[copy.Cluster], copy, placement.Policy) { Fleet = expected.Spec });
            var declared = result.Single($"kubernetes:{rendered.ApiVersion}:{rendered.Kind}", $"{copy.Cluster}-{rendered.Name}");
            Assert.Equal(rendered.Name, Values.At(declared, "metadata.name"));
            Assert.Equal(rendered.Namespace, Values.At(declared, "metadata.namespace"));
            Assert.Equal(
                Values.Normalize(rendered.Manifest["spec"])?.ToJsonString(),
                Values.ToJson(Values.At(declared, "spec"))?.ToJsonString());
        }

        var rayObjects = result.Mocks.Resources.Count(r => r.Type!.StartsWith("kubernetes:ray.io/", StringComparison.Ordinal));
        Assert.Equal(copies.Count, rayObjects);
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public async Task Workload_namespaces_are_declared_once_per_cluster_as_the_core_decides(string stackFile)
    {
        var (expected, result) = await DeployAsync(stackFile);

        var namespaces = WorkloadNamespaces.For(expected.Spec, expected.Plan);
        var expectedNames = namespaces
            .SelectMany(c => c.Value.Select(n => $"{c.Key}-ns-{n.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var declared = result.OfType("kubernetes:core/v1:Namespace");
        Assert.Equal(expectedNames, declared.Keys);
        Assert.Equal(expectedNames.Count, result.Mocks.Resources.Count(r => r.Type == "kubernetes:core/v1:Namespace"));
        foreach (var (cluster, objects) in namespaces)
        {
            foreach (var ns in objects)
            {
                var resource = declared[$"{cluster}-ns-{ns.Name}"];
                Assert.Equal(ns.Name, Values.At(resource, "metadata.name"));
                Assert.Equal("skyray", ((IReadOnlyDictionary<string, object>)Values.At(resource, "metadata.labels")!)["app.kubernetes.io/managed-by"]);
            }
        }

        // The operator's namespace belongs to its Helm release (createNamespace), never to a Namespace resource too.
        Assert.DoesNotContain(declared.Values, r => (string?)Values.At(r, "metadata.name") == expected.Spec.KubeRay.Namespace);

        // Each Ray object waits for its cluster's releases (the operator first, then add-ons such as Kueue) and, where SkyRay creates
        // it, for its own namespace.
        var workloads = result.Resources.OfType<RayWorkload>().ToList();
        Assert.Equal(expected.Plan.Placements.Values.Sum(p => p.Copies.Length), workloads.Count);
        foreach (var workload in workloads)
        {
            var releases = SkyRay.Orchestration.Releases.ClusterReleases.For(expected.Spec, expected.Spec.Clusters[workload.Cluster], expected.Plan.Clusters[workload.Cluster]);
            Assert.Equal(
                releases.Select(r => $"{workload.Cluster}-{r.Key}"),
                workload.DependsOn.OfType<Pulumi.Kubernetes.Helm.V3.Release>().Select(r => r.GetResourceName()));
            var waitsFor = workload.DependsOn.OfType<Pulumi.Kubernetes.Core.V1.Namespace>().ToList();
            if (namespaces.TryGetValue(workload.Cluster, out var created) && created.Any(n => n.Name == workload.Rendered.Namespace))
            {
                var urn = await Values.Of(Assert.Single(waitsFor).Urn);
                Assert.EndsWith($"::{workload.Cluster}-ns-{workload.Rendered.Namespace}", urn, StringComparison.Ordinal);
            }
            else
            {
                Assert.Empty(waitsFor);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public async Task Kubeconfigs_are_exported_only_as_a_secret(string stackFile)
    {
        var (expected, result) = await DeployAsync(stackFile);
        var withKubeconfig = expected.Live()
            .Where(c => c.Provider != CloudProvider.Existing || c.Existing?.KubeconfigSecret is not null)
            .Select(c => c.Name)
            .Order(StringComparer.Ordinal)
            .ToList();
        Skip.If(withKubeconfig.Count == 0, $"{stackFile} has no cluster with a kubeconfig (only kube contexts)");

        var output = Assert.IsType<Pulumi.Output<ImmutableSortedDictionary<string, string>>>(result.Outputs["kubeconfigs"]);
        Assert.True(await Pulumi.Output.IsSecretAsync(output));
        var kubeconfigs = await Values.Of(output);
        Assert.Equal(withKubeconfig, kubeconfigs.Keys);
        Assert.All(kubeconfigs.Values, k => Assert.False(string.IsNullOrWhiteSpace(k)));
        Assert.DoesNotContain(result.Outputs, o => o.Key != "kubeconfigs" && o.Value is string s && s.Contains("kind: Config", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [MemberData(nameof(StackFiles))]
    public async Task Outputs_report_each_clusters_state_and_each_workloads_targets(string stackFile)
    {
        var (expected, result) = await DeployAsync(stackFile);

        var clusters = await result.OutputAsync<ImmutableSortedDictionary<string, object?>>("clusters");
        Assert.Equal(expected.Spec.Clusters.Keys, clusters.Keys);
        foreach (var (name, plan) in expected.Plan.Clusters)
        {
            var entry = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(clusters[name]);
            Assert.Equal(plan.State switch { ClusterState.Active => "active", ClusterState.Standby => "standby", _ => "absent" }, entry["state"]);
            Assert.Equal(expected.Spec.Clusters[name].KubernetesVersion, entry["kubernetesVersion"]);
        }

        var workloads = await result.OutputAsync<ImmutableSortedDictionary<string, object?>>("workloads");
        foreach (var (name, placement) in expected.Plan.Placements)
        {
            Assert.Equal(placement.Copies.Select(c => c.Cluster).Order(StringComparer.Ordinal), (IEnumerable<string>)workloads[name]!);
        }
    }

    /// <summary>The cluster a resource belongs to: the longest cluster name the resource name starts with (names are "cluster-part").</summary>
    private static string? OwnerOf(string resourceName, IEnumerable<string> clusters) =>
        clusters
            .Where(c => resourceName == c || resourceName.StartsWith(c + "-", StringComparison.Ordinal))
            .OrderByDescending(c => c.Length)
            .FirstOrDefault();

    private static async Task<(ExpectedFleet Expected, DeploymentResult Result)> DeployAsync(string stackFile)
    {
        Skip.If(stackFile == NoStacks, "no Pulumi.dev.yaml or stacks/Pulumi.*.yaml in the repository yet");
        var expected = ExpectedFleet.ForFile(stackFile);
        var result = await PulumiRun.RunAsync(StackConfig.FromFile(stackFile));
        return (expected, result);
    }
}
