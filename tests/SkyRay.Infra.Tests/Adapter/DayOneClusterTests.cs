using System.Collections.Immutable;
using Pulumi.Testing;
using SkyRay.Fleet.Config;
using SkyRay.Infra.Tests.Support;

namespace SkyRay.Infra.Tests.Adapter;

/// <summary>
/// What a cluster needs on a real cloud on day one: every cloud resource on an explicit provider built from the
/// cluster's own settings, disks that hold Ray's images, the right AMIs, GPU taints, access for admins, networks,
/// release channels and support plans.
/// </summary>
public sealed class DayOneClusterTests
{
    private static MockResourceArgs Only(Mocks mocks, string type, string name)
    {
        var matches = mocks.Resources.Where(r => r.Type == type && r.Name == name).ToList();
        Assert.True(matches.Count == 1, $"expected one {type} '{name}', found {matches.Count}; declared: {string.Join(", ", mocks.Resources.Select(r => $"{r.Type} {r.Name}"))}");
        return matches[0];
    }

    private static IReadOnlyList<string> Strings(object? list) => [.. ((IEnumerable<object>)list!).Select(o => (string)o)];

    /// <summary>Items of a list input; an input left unset counts as empty.</summary>
    private static int Count(object? list) => list is IEnumerable<object> items ? items.Count() : 0;

    [Fact]
    public async Task Every_cloud_resource_is_declared_on_its_clusters_own_provider()
    {
        var aws = TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3));
        var azure = TestFleet.Azure("west", TestFleet.Pool("cpu", "Standard_D4s_v5", 1, 3)) with
        {
            Azure = new AzureSettings(null) { SubscriptionId = "00000000-1111-2222-3333-444444444444" },
        };
        var gcp = TestFleet.Gcp("central", TestFleet.Pool("cpu", "n2-standard-4", 0, 3));
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            TestFleet.Declare(aws);
            TestFleet.Declare(azure);
            TestFleet.Declare(gcp);
        });

        // Provider inputs come from each cluster's settings, not the stack's defaults.
        Assert.Equal("us-east-1", Values.At(Only(mocks, "pulumi:providers:aws", "east-aws"), "region"));
        Assert.Equal("00000000-1111-2222-3333-444444444444", Values.At(Only(mocks, "pulumi:providers:azure", "west-azure"), "subscriptionId"));
        var google = Only(mocks, "pulumi:providers:gcp", "central-gcp");
        Assert.Equal(("my-project-123", "us-central1"), (Values.At(google, "project"), Values.At(google, "region")));

        // Every resource of a cloud package (providers aside) names that provider.
        foreach (var (prefix, provider) in new[] { ("aws:", "::east-aws::"), ("azure:", "::west-azure::"), ("gcp:", "::central-gcp::") })
        {
            var resources = mocks.Resources.Where(r => r.Type!.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(resources);
            Assert.All(resources, r => Assert.True(
                (r.Provider ?? "").Contains(provider, StringComparison.Ordinal),
                $"{r.Type} {r.Name} is declared on provider '{r.Provider}', not {provider.Trim(':')}"));
        }
    }

    [Fact]
    public async Task Eks_node_groups_get_disks_for_ray_images_the_ami_of_their_family_and_gpu_groups_the_gpu_taint()
    {
        var cluster = TestFleet.Aws(
            "east",
            TestFleet.Pool("cpu", "m6i.xlarge", 1, 3),
            TestFleet.Pool("gpu", "g5.xlarge", 0, 2),
            TestFleet.Pool("arm", "m7g.xlarge", 0, 2) with { DiskSizeGb = 64 });
        var mocks = await TestFleet.DeclareAsync(() => TestFleet.Declare(cluster));

        var cpu = Only(mocks, "aws:eks/nodeGroup:NodeGroup", "east-pool-cpu");
        var gpu = Only(mocks, "aws:eks/nodeGroup:NodeGroup", "east-pool-gpu");
        var arm = Only(mocks, "aws:eks/nodeGroup:NodeGroup", "east-pool-arm");
        // EKS would give 20 GiB; SkyRay's defaults are 100 (CPU) and 200 (GPU), or what config says.
        Assert.Equal((100.0, 200.0, 64.0), (Values.At(cpu, "diskSize"), Values.At(gpu, "diskSize"), Values.At(arm, "diskSize")));
        Assert.Equal(("AL2023_x86_64_STANDARD", "AL2023_x86_64_NVIDIA", "AL2023_ARM_64_STANDARD"), (Values.At(cpu, "amiType"), Values.At(gpu, "amiType"), Values.At(arm, "amiType")));
        var taint = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(Assert.Single((IEnumerable<object>)Values.At(gpu, "taints")!));
        Assert.Equal(("nvidia.com/gpu", "present", "NO_SCHEDULE"), (taint["key"], taint["value"], taint["effect"]));
        Assert.Equal(0, Count(Values.At(cpu, "taints")));
    }

    [Theory]
    [InlineData("a1.large", false, "AL2023_ARM_64_STANDARD")]       // first-generation Graviton
    [InlineData("c7gn.2xlarge", false, "AL2023_ARM_64_STANDARD")]
    [InlineData("g5g.xlarge", true, "AL2023_ARM_64_NVIDIA")]        // Graviton with NVIDIA T4G
    [InlineData("p5.48xlarge", true, "AL2023_x86_64_NVIDIA")]
    [InlineData("inf2.xlarge", false, "AL2023_x86_64_NEURON")]      // validation refuses these; the AMI is still the right one
    public void Eks_ami_type_follows_the_instance_family(string instanceType, bool gpu, string amiType) =>
        Assert.Equal(amiType, Infra.Clusters.EksCluster.AmiType(instanceType, gpu));

    [Fact]
    public async Task Eks_admin_principals_get_access_entries_with_the_cluster_admin_policy()
    {
        var cluster = TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3)) with
        {
            Aws = new AwsSettings([], "10.0.0.0/16") { AdminPrincipals = ["arn:aws:iam::123456789012:role/ci", "arn:aws:iam::123456789012:user/alice"] },
        };
        var mocks = await TestFleet.DeclareAsync(() => TestFleet.Declare(cluster));

        var entries = mocks.Resources.Where(r => r.Type == "aws:eks/accessEntry:AccessEntry").ToList();
        Assert.Equal<string>(["arn:aws:iam::123456789012:role/ci", "arn:aws:iam::123456789012:user/alice"], entries.Select(e => (string)Values.At(e, "principalArn")!).Order(StringComparer.Ordinal));
        Assert.All(entries, e => Assert.Equal(("east-eks-physical", "STANDARD"), (Values.At(e, "clusterName"), Values.At(e, "type"))));
        var associations = mocks.Resources.Where(r => r.Type == "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").ToList();
        Assert.Equal(2, associations.Count);
        Assert.All(associations, a =>
        {
            Assert.Equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", Values.At(a, "policyArn"));
            Assert.Equal("cluster", Values.At(a, "accessScope.type"));
        });
        Assert.Equal<string>(
            ["arn:aws:iam::123456789012:role/ci", "arn:aws:iam::123456789012:user/alice"],
            associations.Select(a => (string)Values.At(a, "principalArn")!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Aks_gets_an_overlay_network_with_network_policy_its_tier_and_plan_and_a_system_pool_of_two()
    {
        var cluster = TestFleet.Azure("west", TestFleet.Pool("cpu", "Standard_D4s_v5", 1, 3), TestFleet.Pool("gpu", "Standard_NC24ads_A100_v4", 0, 2));
        var lts = TestFleet.Azure("lts", TestFleet.Pool("cpu", "Standard_D4s_v5", 1, 3)) with
        {
            Azure = new AzureSettings(null) { SkuTier = "Premium", SupportPlan = "AKSLongTermSupport", NetworkPolicy = "calico", SystemPoolNodes = 1 },
        };
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            TestFleet.Declare(cluster);
            TestFleet.Declare(lts);
        });

        var aks = Only(mocks, "azure:containerservice/kubernetesCluster:KubernetesCluster", "west-aks");
        Assert.Equal(("azure", "overlay", "cilium", "cilium"), (Values.At(aks, "networkProfile.networkPlugin"), Values.At(aks, "networkProfile.networkPluginMode"), Values.At(aks, "networkProfile.networkDataPlane"), Values.At(aks, "networkProfile.networkPolicy")));
        Assert.Equal(("Standard", "KubernetesOfficial"), (Values.At(aks, "skuTier"), Values.At(aks, "supportPlan")));
        // AKS: a production system pool has at least two nodes of at least 4 vCPUs ("Manage system node pools").
        Assert.Equal(("Standard_D4s_v5", 2.0), (Values.At(aks, "defaultNodePool.vmSize"), Values.At(aks, "defaultNodePool.nodeCount")));

        var premium = Only(mocks, "azure:containerservice/kubernetesCluster:KubernetesCluster", "lts-aks");
        Assert.Equal(("Premium", "AKSLongTermSupport", "calico", "azure", 1.0), (Values.At(premium, "skuTier"), Values.At(premium, "supportPlan"), Values.At(premium, "networkProfile.networkPolicy"), Values.At(premium, "networkProfile.networkDataPlane"), Values.At(premium, "defaultNodePool.nodeCount")));

        var gpu = Only(mocks, "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool", "west-pool-gpu");
        Assert.Equal<string>(["nvidia.com/gpu=present:NoSchedule"], Strings(Values.At(gpu, "nodeTaints")));
        Assert.Equal((200.0, 100.0), (Values.At(gpu, "osDiskSizeGb"), Values.At(Only(mocks, "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool", "west-pool-cpu"), "osDiskSizeGb")));
    }

    [Fact]
    public async Task Gke_pins_its_release_channel_and_network_and_every_gpu_pool_its_zones_and_driver()
    {
        var cluster = TestFleet.Gcp(
            "central",
            TestFleet.Pool("cpu", "n2-standard-4", 0, 3),
            TestFleet.Pool("l4", "g2-standard-8", 0, 4) with { Zones = ["us-central1-a", "us-central1-c"] },
            TestFleet.Pool("l4-spot", "g2-standard-8", 0, 4, spot: true) with { Zones = ["us-central1-b"], DiskSizeGb = 300 }) with
        {
            Gcp = new GcpSettings("my-project-123") { ReleaseChannel = "STABLE", Network = "ray-vpc", Subnetwork = "ray-subnet" },
        };
        var mocks = await TestFleet.DeclareAsync(() => TestFleet.Declare(cluster));

        var gke = Only(mocks, "gcp:container/cluster:Cluster", "central-gke");
        Assert.Equal(("STABLE", "ray-vpc", "ray-subnet"), (Values.At(gke, "releaseChannel.channel"), Values.At(gke, "network"), Values.At(gke, "subnetwork")));

        var gpuPools = mocks.Resources.Where(r => r.Type == "gcp:container/nodePool:NodePool" && r.Name!.StartsWith("central-pool-l4", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, gpuPools.Count);
        Assert.All(gpuPools, pool =>
        {
            var accelerator = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(Assert.Single((IEnumerable<object>)Values.At(pool, "nodeConfig.guestAccelerators")!));
            Assert.Equal("nvidia-l4", accelerator["type"]);
            Assert.Equal("DEFAULT", ((IReadOnlyDictionary<string, object>)accelerator["gpuDriverInstallationConfig"])["gpuDriverVersion"]);
            Assert.Equal(true, Values.At(pool, "management.autoUpgrade"));
            // GKE taints GPU nodes itself; SkyRay declares no second nvidia.com/gpu taint.
            Assert.Equal(0, Count(Values.At(pool, "nodeConfig.taints")));
        });
        Assert.Equal<string>(["us-central1-a", "us-central1-c"], Strings(Values.At(Only(mocks, "gcp:container/nodePool:NodePool", "central-pool-l4"), "nodeLocations")));
        Assert.Equal(300.0, Values.At(Only(mocks, "gcp:container/nodePool:NodePool", "central-pool-l4-spot"), "nodeConfig.diskSizeGb"));
        Assert.Equal(200.0, Values.At(Only(mocks, "gcp:container/nodePool:NodePool", "central-pool-l4"), "nodeConfig.diskSizeGb"));
        Assert.Equal(0, Count(Values.At(Only(mocks, "gcp:container/nodePool:NodePool", "central-pool-cpu"), "nodeLocations")));
    }
}
