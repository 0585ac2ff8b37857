using SkyRay.Infra.Clusters;
using SkyRay.Infra.KubeRay;
using SkyRay.Infra.Tests.Support;
using SkyRay.KubeRay.Rendering;

namespace SkyRay.Infra.Tests.Program;

/// <summary>
/// Creation and deletion order on a real cloud: releases come after the nodes their pods need, Ray objects after the
/// KubeRay operator. Pulumi deletes in the reverse order of these dependencies, so when a cluster goes (standby delete,
/// removed from config) its Ray objects are deleted first, while the operator that removes their KubeRay finalizers
/// still runs on nodes that can still reach the API server; then the operator, then the nodes, then the network.
/// </summary>
public sealed class ReleaseOrderTests
{
    private static Task<DeploymentResult> DeployAsync(string stack) =>
        PulumiRun.RunAsync(StackConfig.FromFile(stack == "dev" ? "Pulumi.dev.yaml" : $"stacks/Pulumi.{stack}.yaml"));

    [Fact]
    public async Task Teardown_goes_ray_objects_then_operator_then_node_pools_then_the_nodes_network()
    {
        var result = await DeployAsync("training");

        var clusters = result.Resources.OfType<FleetCluster>().ToDictionary(c => c.Spec.Name, StringComparer.Ordinal);
        var releases = result.Resources.OfType<ClusterRelease>().ToList();
        var workloads = result.Resources.OfType<RayWorkload>().ToList();
        Assert.NotEmpty(workloads);
        foreach (var workload in workloads)
        {
            // 1. A Ray object depends on its cluster's KubeRay operator release: it is deleted before the operator.
            var operatorRelease = releases.Single(r => r.Key == OperatorReleaseBuilder.Key && r.GetResourceName().StartsWith(workload.Cluster + "-", StringComparison.Ordinal));
            Assert.Contains(operatorRelease.Release, workload.DependsOn);
        }

        foreach (var release in releases)
        {
            // 2. Every release depends on every node pool of its cluster: it is created after them, deleted before them.
            var cluster = clusters.Values.Single(c => release.GetResourceName().StartsWith(c.Spec.Name + "-", StringComparison.Ordinal));
            Assert.NotEmpty(cluster.NodeResources);
            Assert.All(cluster.NodeResources, pool => Assert.Contains(pool, release.DependsOn));
        }

        // 3. EKS node groups come after the nodes' way out (NAT gateway, private routes) in a VPC SkyRay creates.
        foreach (var cluster in clusters.Values)
        {
            Assert.Contains(cluster.NodesAfter, r => r.GetResourceType() == "aws:ec2/natGateway:NatGateway");
            Assert.Contains(cluster.NodesAfter, r => r.GetResourceType() == "aws:ec2/routeTableAssociation:RouteTableAssociation");
        }
    }

    [Fact]
    public async Task Gpu_clusters_on_eks_get_the_nvidia_device_plugin_on_their_gpu_pools_only()
    {
        var result = await DeployAsync("dev");

        var plugin = result.Single("kubernetes:helm.sh/v3:Release", "aws-west-nvidia-device-plugin");
        Assert.Equal(("nvidia-device-plugin", "0.20.0", "kube-system"), (Values.At(plugin, "chart"), Values.At(plugin, "version"), Values.At(plugin, "namespace")));
        Assert.Equal("https://nvidia.github.io/k8s-device-plugin", Values.At(plugin, "repositoryOpts.repo"));
        var values = Values.ToJson(Values.At(plugin, "values"))!;
        var expression = values["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]![0]!;
        Assert.Equal("eks.amazonaws.com/nodegroup", (string?)expression["key"]);
        Assert.Equal<string>(["gpu", "gpu-l4"], expression["values"]!.AsArray().Select(v => (string)v!));
        // The dev stack's GPU groups are tainted nvidia.com/gpu=true:NoSchedule in config.
        Assert.Contains(values["tolerations"]!.AsArray(), t => (string?)t!["key"] == "nvidia.com/gpu" && (string?)t["value"] == "true");
        // GKE runs its own device plugin; the lab cluster is its owner's.
        Assert.DoesNotContain(result.Mocks.Resources, r => r.Name is "gcp-l4-nvidia-device-plugin" or "lab-nvidia-device-plugin");
    }

    [Fact]
    public async Task Kuberay_release_applies_its_chart_versions_crds_first_and_rolls_back_a_failed_install()
    {
        var result = await DeployAsync("training");

        var release = result.Single("kubernetes:helm.sh/v3:Release", "aws-train-kuberay");
        Assert.Equal((true, true, true, 600.0), (Values.At(release, "skipCrds"), Values.At(release, "atomic"), Values.At(release, "cleanupOnFail"), Values.At(release, "timeout")));
        var crds = result.Mocks.Resources.Where(r => r.Type == "kubernetes:yaml/v2:ConfigFile" && r.Name!.StartsWith("aws-train-kuberay-crd-", StringComparison.Ordinal))
            .Select(r => (string)Values.At(r, "file")!)
            .Order(StringComparer.Ordinal);
        Assert.Equal<string>(
            [
                "https://raw.githubusercontent.com/ray-project/kuberay/v1.7.0/helm-chart/kuberay-operator/crds/ray.io_rayclusters.yaml",
                "https://raw.githubusercontent.com/ray-project/kuberay/v1.7.0/helm-chart/kuberay-operator/crds/ray.io_raycronjobs.yaml",
                "https://raw.githubusercontent.com/ray-project/kuberay/v1.7.0/helm-chart/kuberay-operator/crds/ray.io_rayjobs.yaml",
                "https://raw.githubusercontent.com/ray-project/kuberay/v1.7.0/helm-chart/kuberay-operator/crds/ray.io_rayservices.yaml",
            ],
            crds);
        var component = result.Resources.OfType<ClusterRelease>().Single(r => r.GetResourceName() == "aws-train-kuberay");
        Assert.All(component.Crds, crd => Assert.Contains(crd, component.DependsOn));
    }
}
