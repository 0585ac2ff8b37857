using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Infra.Clusters;
using SkyRay.Infra.Ports;
using SkyRay.Infra.Tests.Support;
using SkyRay.Orchestration.Autoscaling;
using SkyRay.Orchestration.Ports;
using SkyRay.Placement.Planning;

namespace SkyRay.Infra.Tests.Adapter;

/// <summary>How the core's autoscaling decision maps onto EKS (Cluster Autoscaler), AKS and GKE resources.</summary>
public sealed class AutoscalingTests
{
    private static readonly ImmutableArray<NodeTaint> GpuTaint = [new NodeTaint("nvidia.com/gpu", "present", "NoSchedule")];

    private static ClusterSpec Eks() => TestFleet.Aws(
        "east",
        TestFleet.Pool("cpu", "m6i.xlarge", 1, 3),
        TestFleet.Pool("gpu", "g5.xlarge", 0, 4, spot: true, taints: GpuTaint, labels: TestFleet.Labels(("accelerator", "a10g"))));

    /// <summary>Provisions and connects one cluster through the adapter, with the core's decision for it.</summary>
    private static Task<Mocks> ProvisionAsync(ClusterSpec cluster, ClusterPlan plan, string? previousState = null) =>
        TestFleet.DeclareAsync(() =>
        {
            var adapter = new PulumiFleetPorts(TestFleet.Catalog, key => throw new InvalidOperationException("no secret expected, asked for " + key));
            var autoscaling = NodeAutoscaling.For(cluster, plan, TestFleet.Catalog, previousState);
            var handle = adapter.Ports.Provisioner.Provision(new ClusterProvisionSpec(cluster, plan, autoscaling));
            adapter.Ports.Connector.Connect(cluster, handle);
        });

    [Fact]
    public async Task Eks_cluster_binds_the_cluster_autoscaler_role_through_pod_identity()
    {
        var cluster = Eks();
        var mocks = await ProvisionAsync(cluster, TestFleet.Plan(cluster));

        var agent = Assert.Single(mocks.Resources, r => r.Type == "aws:eks/addon:Addon" && r.Name == "east-pod-identity-agent");
        Assert.Equal("eks-pod-identity-agent", Values.At(agent, "addonName"));
        Assert.Equal("east-eks-physical", Values.At(agent, "clusterName"));

        var role = Assert.Single(mocks.Resources, r => r.Type == "aws:iam/role:Role" && r.Name == "east-autoscaler-role");
        var trust = JsonNode.Parse((string)Values.At(role, "assumeRolePolicy")!)!["Statement"]![0]!;
        Assert.Equal("pods.eks.amazonaws.com", (string?)trust["Principal"]!["Service"]);
        Assert.Equal<string>(["sts:AssumeRole", "sts:TagSession"], trust["Action"]!.AsArray().Select(a => (string)a!));
        // Only the release's own service account: EKS Pod Identity tags each session with the pod's namespace and account.
        Assert.Equal(
            """{"StringEquals":{"aws:RequestTag/kubernetes-namespace":"kube-system","aws:RequestTag/kubernetes-service-account":"cluster-autoscaler"}}""",
            trust["Condition"]!.ToJsonString());

        var policy = JsonNode.Parse((string)Values.At(Assert.Single(mocks.Resources, r => r.Type == "aws:iam/rolePolicy:RolePolicy"), "policy")!)!;
        var actions = policy["Statement"]!.AsArray().SelectMany(s => s!["Action"]!.AsArray().Select(a => (string)a!)).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "autoscaling:DescribeAutoScalingGroups", "autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup",
                "ec2:DescribeInstanceTypes", "ec2:DescribeLaunchTemplateVersions", "eks:DescribeNodegroup",
            },
            actions);
        // Writes only on the cluster's own groups (EKS tags its managed node groups' ASGs k8s.io/cluster-autoscaler/<name>: owned).
        var write = policy["Statement"]!.AsArray().Single(s => s!["Action"]!.AsArray().Any(a => (string)a! == "autoscaling:SetDesiredCapacity"))!;
        Assert.Equal("""{"StringEquals":{"aws:ResourceTag/k8s.io/cluster-autoscaler/east-eks-physical":"owned"}}""", write["Condition"]!.ToJsonString());
        Assert.Equal(
            ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            write["Action"]!.AsArray().Select(a => (string)a!));
        Assert.All(policy["Statement"]!.AsArray().Where(s => s != write), s => Assert.Null(s!["Condition"]));

        var association = Assert.Single(mocks.Resources, r => r.Type == "aws:eks/podIdentityAssociation:PodIdentityAssociation");
        Assert.Equal("kube-system", Values.At(association, "namespace"));
        Assert.Equal("cluster-autoscaler", Values.At(association, "serviceAccount"));
        Assert.Equal("arn:aws:iam::123456789012:role/east-autoscaler-role", Values.At(association, "roleArn"));
        Assert.DoesNotContain(mocks.Resources, r => r.Type == "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    }

    [Fact]
    public async Task Eks_cluster_gets_the_pinned_cluster_autoscaler_chart_discovering_its_own_groups()
    {
        var cluster = Eks();
        var mocks = await ProvisionAsync(cluster, TestFleet.Plan(cluster));

        var release = Assert.Single(mocks.Resources, r => r.Type == "kubernetes:helm.sh/v3:Release" && r.Name == "east-cluster-autoscaler");
        Assert.Equal("cluster-autoscaler", Values.At(release, "chart"));
        Assert.Equal(NodeAutoscaling.ChartVersion, Values.At(release, "version"));
        Assert.Equal("https://kubernetes.github.io/autoscaler", Values.At(release, "repositoryOpts.repo"));
        Assert.Equal("kube-system", Values.At(release, "namespace"));
        Assert.Equal(false, Values.At(release, "skipAwait"));
        Assert.Contains("::east-k8s::", release.Provider, StringComparison.Ordinal);
        Assert.Equal("east-eks-physical", Values.At(release, "values.autoDiscovery.clusterName"));
        Assert.Equal("us-east-1", Values.At(release, "values.awsRegion"));
        Assert.Equal("cluster-autoscaler", Values.At(release, "values.rbac.serviceAccount.name"));
        Assert.Equal("least-waste", Values.At(release, "values.extraArgs.expander"));
        Assert.Equal(false, Values.At(release, "values.extraArgs.skip-nodes-with-system-pods"));
        Assert.Equal(true, Values.At(release, "values.extraArgs.balance-similar-node-groups"));
        Assert.Equal("v1.31.5", Values.At(release, "values.image.tag"));
    }

    [Fact]
    public async Task Eks_pool_with_minimum_zero_gets_template_tags_on_the_auto_scaling_group_eks_created()
    {
        var cluster = Eks();
        var mocks = await ProvisionAsync(cluster, TestFleet.Plan(cluster));

        var tags = mocks.Resources.Where(r => r.Type == "aws:autoscaling/tag:Tag").ToList();
        Assert.All(tags, t => Assert.Equal("eks-east-pool-gpu-asg", Values.At(t, "autoscalingGroupName")));
        Assert.All(tags, t => Assert.Equal(false, Values.At(t, "tag.propagateAtLaunch")));
        var byKey = tags.ToDictionary(t => (string)Values.At(t, "tag.key")!, t => (string)Values.At(t, "tag.value")!, StringComparer.Ordinal);
        Assert.Equal("a10g", byKey["k8s.io/cluster-autoscaler/node-template/label/accelerator"]);
        Assert.Equal("gpu", byKey["k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/nodegroup"]);
        Assert.Equal("SPOT", byKey["k8s.io/cluster-autoscaler/node-template/label/eks.amazonaws.com/capacityType"]);
        Assert.Equal("present:NoSchedule", byKey["k8s.io/cluster-autoscaler/node-template/taint/nvidia.com/gpu"]);
        Assert.Equal("1", byKey["k8s.io/cluster-autoscaler/node-template/resources/nvidia.com/gpu"]);
        // The cpu pool keeps a node (minimum 1): the autoscaler copies a live node, no hints needed.
        Assert.DoesNotContain(tags, t => ((string)Values.At(t, "autoscalingGroupName")!).Contains("pool-cpu", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Standby_eks_cluster_keeps_the_autoscaler_release_without_waiting_for_a_node()
    {
        var cluster = Eks();
        var mocks = await ProvisionAsync(cluster, TestFleet.Plan(cluster, ClusterState.Standby), previousState: "active");

        var release = Assert.Single(mocks.Resources, r => r.Name == "east-cluster-autoscaler");
        Assert.Equal(true, Values.At(release, "skipAwait"));
        Assert.Equal(2, mocks.Resources.Where(r => r.Type == "aws:autoscaling/tag:Tag")
            .Select(t => (string)Values.At(t, "autoscalingGroupName")!).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task Aks_and_gke_clusters_install_no_cluster_autoscaler()
    {
        var aks = TestFleet.Azure("west", TestFleet.Pool("cpu", "Standard_D4s_v5", 0, 3));
        var gke = TestFleet.Gcp("central", TestFleet.Pool("cpu", "n2-standard-4", 0, 3));
        var aksMocks = await ProvisionAsync(aks, TestFleet.Plan(aks));
        var mocks = await ProvisionAsync(gke, TestFleet.Plan(gke));

        Assert.DoesNotContain(aksMocks.Resources.Concat(mocks.Resources), r => r.Type == "kubernetes:helm.sh/v3:Release" || r.Type!.StartsWith("aws:", StringComparison.Ordinal));
        Assert.Equal(true, Values.At(Assert.Single(aksMocks.Resources, r => r.Type == "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool"), "autoScalingEnabled"));
        var pool = Assert.Single(mocks.Resources, r => r.Type == "gcp:container/nodePool:NodePool");
        // GKE's autoscaler owns the size: the program declares limits only, never a node count to reset.
        Assert.Null(Values.At(pool, "nodeCount"));
        Assert.Null(Values.At(pool, "initialNodeCount"));
    }

    [Fact]
    public void Node_counts_are_left_to_the_autoscaler_only_while_a_cluster_stays_active()
    {
        var cluster = Eks();
        var aks = TestFleet.Azure("west", TestFleet.Pool("cpu", "Standard_D4s_v5", 0, 3));
        var staying = NodeAutoscaling.For(cluster, TestFleet.Plan(cluster), TestFleet.Catalog, "active");
        var waking = NodeAutoscaling.For(cluster, TestFleet.Plan(cluster), TestFleet.Catalog, "standby");
        var aksStaying = NodeAutoscaling.For(aks, TestFleet.Plan(aks), TestFleet.Catalog, "active");

        Assert.Equal<string>(["scalingConfig.desiredSize"], EksCluster.IgnoredNodeGroupChanges(staying));
        Assert.Empty(EksCluster.IgnoredNodeGroupChanges(waking));
        Assert.Equal<string>(["nodeCount"], AksCluster.IgnoredPoolChanges(aksStaying));
        Assert.Empty(AksCluster.IgnoredPoolChanges(AutoscalingSpec.None));
    }
}
