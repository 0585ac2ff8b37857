using System.Collections.Immutable;
using Pulumi;
using SkyRay.Fleet.Config;
using SkyRay.Infra.Clusters;
using SkyRay.Infra.Tests.Support;
using SkyRay.Placement.Planning;

namespace SkyRay.Infra.Tests.Adapter;

/// <summary>How one planned cluster maps onto EKS, AKS and GKE resources.</summary>
public sealed class CloudClusterTests
{
    private static readonly ImmutableArray<NodeTaint> GpuTaint = [new NodeTaint("nvidia.com/gpu", "present", "NoSchedule")];

    [Fact]
    public async Task Eks_gpu_spot_pool_gets_the_nvidia_ami_spot_capacity_and_upper_case_taint_effects()
    {
        var cluster = TestFleet.Aws("east", TestFleet.Pool("gpu", "g5.xlarge", 1, 3, spot: true, taints: GpuTaint, labels: TestFleet.Labels(("accelerator", "a10g"))));
        var mocks = await TestFleet.DeclareAsync(() => TestFleet.Declare(cluster, TestFleet.Plan(cluster, desired: 2)));

        var group = Only(mocks, "aws:eks/nodeGroup:NodeGroup", "east-pool-gpu");
        Assert.Equal("AL2023_x86_64_NVIDIA", Values.At(group, "amiType"));
        Assert.Equal("SPOT", Values.At(group, "capacityType"));
        Assert.Equal("gpu", Values.At(group, "nodeGroupName"));
        Assert.Equal(2.0, Values.At(group, "scalingConfig.desiredSize"));
        Assert.Equal(1.0, Values.At(group, "scalingConfig.minSize"));
        Assert.Equal(3.0, Values.At(group, "scalingConfig.maxSize"));
        var taint = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(Assert.Single((IEnumerable<object>)Values.At(group, "taints")!));
        Assert.Equal("nvidia.com/gpu", taint["key"]);
        Assert.Equal("present", taint["value"]);
        Assert.Equal("NO_SCHEDULE", taint["effect"]);
        Assert.Equal("a10g", Values.At(group, "labels.accelerator"));
        Assert.Equal("1.31", Values.At(group, "version"));
    }

    [Fact]
    public async Task Eks_cpu_pools_use_the_standard_ami_on_demand_and_graviton_gets_the_arm_ami()
    {
        var cluster = TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3), TestFleet.Pool("arm", "m7g.xlarge", 0, 2));
        var mocks = await TestFleet.DeclareAsync(() => TestFleet.Declare(cluster));

        Assert.Equal("AL2023_x86_64_STANDARD", Values.At(Only(mocks, "aws:eks/nodeGroup:NodeGroup", "east-pool-cpu"), "amiType"));
        Assert.Equal("ON_DEMAND", Values.At(Only(mocks, "aws:eks/nodeGroup:NodeGroup", "east-pool-cpu"), "capacityType"));
        Assert.Equal("AL2023_ARM_64_STANDARD", Values.At(Only(mocks, "aws:eks/nodeGroup:NodeGroup", "east-pool-arm"), "amiType"));
    }

    [Fact]
    public async Task Eks_without_subnets_gets_a_vpc_with_nodes_in_the_private_subnets_of_two_zones()
    {
        var cluster = TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3));
        var mocks = await TestFleet.DeclareAsync(() => TestFleet.Declare(cluster));

        Assert.Equal("10.0.0.0/16", Values.At(Only(mocks, "aws:ec2/vpc:Vpc", "east-vpc"), "cidrBlock"));
        var subnets = mocks.Resources.Where(r => r.Type == "aws:ec2/subnet:Subnet").ToDictionary(r => r.Name!, r => r);
        Assert.Equal<string>(["east-private-0", "east-private-1", "east-public-0", "east-public-1"], subnets.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("10.0.0.0/18", Values.At(subnets["east-public-0"], "cidrBlock"));
        Assert.Equal("10.0.128.0/18", Values.At(subnets["east-private-0"], "cidrBlock"));
        Assert.Equal("zone-a", Values.At(subnets["east-private-0"], "availabilityZone"));
        Assert.Equal("zone-b", Values.At(subnets["east-private-1"], "availabilityZone"));
        Assert.Equal(true, Values.At(subnets["east-public-1"], "mapPublicIpOnLaunch"));

        var group = Only(mocks, "aws:eks/nodeGroup:NodeGroup", "east-pool-cpu");
        Assert.Equal(new object[] { "east-private-0-id", "east-private-1-id" }, (IEnumerable<object>)Values.At(group, "subnetIds")!);
        var eks = Only(mocks, "aws:eks/cluster:Cluster", "east-eks");
        Assert.Equal(4, ((IEnumerable<object>)Values.At(eks, "vpcConfig.subnetIds")!).Count());
        Assert.Single(mocks.Resources, r => r.Type == "aws:ec2/natGateway:NatGateway");
        Assert.Contains(mocks.Calls, c => c.Token == "aws:index/getAvailabilityZones:getAvailabilityZones" && (c.Provider ?? "").Contains("::east-aws::", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Eks_with_configured_subnets_creates_no_network()
    {
        var cluster = TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3)) with { Aws = new AwsSettings(["subnet-a", "subnet-b"], "10.0.0.0/16") };
        var mocks = await TestFleet.DeclareAsync(() => TestFleet.Declare(cluster));

        Assert.DoesNotContain(mocks.Resources, r => r.Type!.StartsWith("aws:ec2/", StringComparison.Ordinal));
        Assert.Equal(new object[] { "subnet-a", "subnet-b" }, (IEnumerable<object>)Values.At(Only(mocks, "aws:eks/cluster:Cluster", "east-eks"), "vpcConfig.subnetIds")!);
        Assert.Equal(new object[] { "subnet-a", "subnet-b" }, (IEnumerable<object>)Values.At(Only(mocks, "aws:eks/nodeGroup:NodeGroup", "east-pool-cpu"), "subnetIds")!);
    }

    [Fact]
    public async Task Eks_api_endpoint_is_private_inside_the_vpc_and_public_only_from_the_configured_ranges()
    {
        var open = await TestFleet.DeclareAsync(() => TestFleet.Declare(TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3))));
        var limited = TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3)) with
        {
            Aws = new AwsSettings([], "10.0.0.0/16") { PublicAccessCidrs = ["203.0.113.0/24"] },
        };
        var restricted = await TestFleet.DeclareAsync(() => TestFleet.Declare(limited));
        var privateOnly = await TestFleet.DeclareAsync(() => TestFleet.Declare(limited with { Aws = limited.Aws! with { PublicAccessCidrs = [] } }));

        var eks = Only(open, "aws:eks/cluster:Cluster", "east-eks");
        Assert.Equal((true, true), (Values.At(eks, "vpcConfig.endpointPrivateAccess"), Values.At(eks, "vpcConfig.endpointPublicAccess")));
        Assert.Equal(new object[] { "0.0.0.0/0" }, (IEnumerable<object>)Values.At(eks, "vpcConfig.publicAccessCidrs")!);
        Assert.Equal(new object[] { "203.0.113.0/24" }, (IEnumerable<object>)Values.At(Only(restricted, "aws:eks/cluster:Cluster", "east-eks"), "vpcConfig.publicAccessCidrs")!);
        Assert.Equal(false, Values.At(Only(privateOnly, "aws:eks/cluster:Cluster", "east-eks"), "vpcConfig.endpointPublicAccess"));
    }

    [Fact]
    public async Task Eks_roles_carry_the_cluster_and_node_managed_policies_and_every_resource_uses_the_regional_provider()
    {
        var cluster = TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3));
        var mocks = await TestFleet.DeclareAsync(() => TestFleet.Declare(cluster));

        var policies = mocks.Resources
            .Where(r => r.Type == "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .Select(r => (string)Values.At(r, "policyArn")!)
            .Order(StringComparer.Ordinal);
        Assert.Equal<string>(
            [
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
                "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
                "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
            ],
            policies);
        Assert.Equal("us-east-1", Values.At(Only(mocks, "pulumi:providers:aws", "east-aws"), "region"));
        Assert.All(
            mocks.Resources.Where(r => r.Type!.StartsWith("aws:", StringComparison.Ordinal)),
            r => Assert.Contains("::east-aws::", r.Provider, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Eks_kubeconfig_is_a_secret_that_signs_in_through_aws_eks_get_token()
    {
        var cluster = TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3));
        Output<string>? kubeconfig = null;
        await TestFleet.DeclareAsync(() => kubeconfig = TestFleet.Declare(cluster).Kubeconfig);

        Assert.True(await Output.IsSecretAsync(kubeconfig!));
        var text = await Values.Of(kubeconfig!);
        var config = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        Assert.Equal("https://east-eks.eks.example", (string?)config["clusters"]![0]!["cluster"]!["server"]);
        Assert.Equal(Mocks.CertificateAuthority, (string?)config["clusters"]![0]!["cluster"]!["certificate-authority-data"]);
        var exec = config["users"]![0]!["user"]!["exec"]!;
        Assert.Equal("aws", (string?)exec["command"]);
        Assert.Equal<string>(
            ["--region", "us-east-1", "eks", "get-token", "--cluster-name", "east-eks-physical", "--output", "json"],
            exec["args"]!.AsArray().Select(a => (string)a!));
    }

    [Fact]
    public async Task Aks_spot_pool_carries_the_spot_label_taint_and_eviction_policy()
    {
        var cluster = TestFleet.Azure("west", TestFleet.Pool("spot1", "Standard_D4s_v5", 0, 4, spot: true, taints: [new NodeTaint("dedicated", "ray", "NoSchedule")]));
        var mocks = await TestFleet.DeclareAsync(() => TestFleet.Declare(cluster));

        var pool = Only(mocks, "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool", "west-pool-spot1");
        Assert.Equal("spot1", Values.At(pool, "name"));
        Assert.Equal("Spot", Values.At(pool, "priority"));
        Assert.Equal("Delete", Values.At(pool, "evictionPolicy"));
        Assert.Equal(-1.0, Values.At(pool, "spotMaxPrice"));
        Assert.Equal("User", Values.At(pool, "mode"));
        Assert.Equal(0.0, Values.At(pool, "minCount"));
        Assert.Equal(
            new object[] { "dedicated=ray:NoSchedule", "kubernetes.azure.com/scalesetpriority=spot:NoSchedule" },
            (IEnumerable<object>)Values.At(pool, "nodeTaints")!);
        Assert.Equal("spot", ((IReadOnlyDictionary<string, object>)Values.At(pool, "nodeLabels")!)["kubernetes.azure.com/scalesetpriority"]);
        Assert.Equal("west-aks-id", Values.At(pool, "kubernetesClusterId"));
        Assert.Null(Values.At(pool, "gpuDriver"));
    }

    [Fact]
    public async Task Aks_creates_a_resource_group_unless_config_names_one_and_keeps_the_system_pool_for_add_ons()
    {
        var created = TestFleet.Azure("west", TestFleet.Pool("gpu", "Standard_NC24ads_A100_v4", 0, 2));
        var named = created with { Name = "west2", Azure = new AzureSettings("platform-rg") };
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            TestFleet.Declare(created);
            TestFleet.Declare(named);
        });

        Assert.Equal("westeurope", Values.At(Only(mocks, "azure:core/resourceGroup:ResourceGroup", "west-rg"), "location"));
        Assert.DoesNotContain(mocks.Resources, r => r.Name == "west2-rg");
        var aks = Only(mocks, "azure:containerservice/kubernetesCluster:KubernetesCluster", "west-aks");
        Assert.Equal("west-rg-physical", Values.At(aks, "resourceGroupName"));
        Assert.Equal("platform-rg", Values.At(Only(mocks, "azure:containerservice/kubernetesCluster:KubernetesCluster", "west2-aks"), "resourceGroupName"));
        Assert.Equal(true, Values.At(aks, "defaultNodePool.onlyCriticalAddonsEnabled"));
        Assert.Equal("SystemAssigned", Values.At(aks, "identity.type"));
        Assert.Equal("Install", Values.At(Only(mocks, "azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool", "west-pool-gpu"), "gpuDriver"));
    }

    [Fact]
    public async Task Gke_gpu_pool_gets_its_accelerator_with_a_managed_driver_and_total_autoscaling_limits()
    {
        var cluster = TestFleet.Gcp("central", TestFleet.Pool("gpu", "g2-standard-8", 0, 4, spot: true) with { Zones = ["us-central1-a"] });
        var mocks = await TestFleet.DeclareAsync(() => TestFleet.Declare(cluster));

        var gke = Only(mocks, "gcp:container/cluster:Cluster", "central-gke");
        Assert.Equal(false, Values.At(gke, "deletionProtection"));
        Assert.Equal(1.0, Values.At(gke, "initialNodeCount"));
        Assert.Equal("my-project-123", Values.At(gke, "project"));

        var pool = Only(mocks, "gcp:container/nodePool:NodePool", "central-pool-gpu");
        Assert.Equal("gpu", Values.At(pool, "name"));
        Assert.Equal("central-gke-physical", Values.At(pool, "cluster"));
        Assert.Equal(0.0, Values.At(pool, "autoscaling.totalMinNodeCount"));
        Assert.Equal(4.0, Values.At(pool, "autoscaling.totalMaxNodeCount"));
        Assert.Equal(true, Values.At(pool, "nodeConfig.spot"));
        var accelerator = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object>>(Assert.Single((IEnumerable<object>)Values.At(pool, "nodeConfig.guestAccelerators")!));
        Assert.Equal("nvidia-l4", accelerator["type"]);
        Assert.Equal(1.0, accelerator["count"]);
        Assert.Equal("DEFAULT", ((IReadOnlyDictionary<string, object>)accelerator["gpuDriverInstallationConfig"])["gpuDriverVersion"]);
    }

    [Fact]
    public async Task Clusters_the_program_creates_enforce_network_policies()
    {
        var eks = TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3));
        var aks = TestFleet.Azure("west", TestFleet.Pool("cpu", "Standard_D4s_v5", 1, 3));
        var gke = TestFleet.Gcp("central", TestFleet.Pool("cpu", "n2-standard-4", 1, 3));
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            TestFleet.Declare(eks);
            TestFleet.Declare(aks);
            TestFleet.Declare(gke);
        });

        // EKS: the VPC CNI managed add-on with its network policy agent on, taking over the self-managed one EKS installs.
        var cni = Only(mocks, "aws:eks/addon:Addon", "east-vpc-cni");
        Assert.Equal("vpc-cni", Values.At(cni, "addonName"));
        Assert.Equal("east-eks-physical", Values.At(cni, "clusterName"));
        Assert.Equal("true", System.Text.Json.Nodes.JsonNode.Parse((string)Values.At(cni, "configurationValues")!)!["enableNetworkPolicy"]!.GetValue<string>());
        Assert.Equal(("OVERWRITE", "OVERWRITE"), ((string?)Values.At(cni, "resolveConflictsOnCreate"), (string?)Values.At(cni, "resolveConflictsOnUpdate")));
        // AKS: Cilium network policy on the Cilium data plane; GKE: Dataplane V2.
        var cluster = Only(mocks, "azure:containerservice/kubernetesCluster:KubernetesCluster", "west-aks");
        Assert.Equal(("cilium", "cilium"), ((string?)Values.At(cluster, "networkProfile.networkPolicy"), (string?)Values.At(cluster, "networkProfile.networkDataPlane")));
        Assert.Equal("ADVANCED_DATAPATH", Values.At(Only(mocks, "gcp:container/cluster:Cluster", "central-gke"), "datapathProvider"));
    }

    [Fact]
    public async Task Aks_without_local_accounts_signs_in_through_entra_id_and_the_deployer_gets_the_cluster_admin_role()
    {
        var cluster = TestFleet.Azure("west", TestFleet.Pool("cpu", "Standard_D4s_v5", 1, 3));
        Output<string>? kubeconfig = null;
        var mocks = await TestFleet.DeclareAsync(() => kubeconfig = TestFleet.Declare(cluster).Kubeconfig);

        var aks = Only(mocks, "azure:containerservice/kubernetesCluster:KubernetesCluster", "west-aks");
        Assert.Equal(true, Values.At(aks, "localAccountDisabled"));
        Assert.Equal(true, Values.At(aks, "roleBasedAccessControlEnabled"));
        Assert.Equal(true, Values.At(aks, "azureActiveDirectoryRoleBasedAccessControl.azureRbacEnabled"));
        var assignment = Only(mocks, "azure:authorization/assignment:Assignment", "west-deployer-admin");
        Assert.Equal("west-aks-id", Values.At(assignment, "scope"));
        Assert.Equal("Azure Kubernetes Service RBAC Cluster Admin", Values.At(assignment, "roleDefinitionName"));
        Assert.Equal(Mocks.DeployerObjectId, Values.At(assignment, "principalId"));

        Assert.True(await Output.IsSecretAsync(kubeconfig!));
        var config = System.Text.Json.Nodes.JsonNode.Parse(await Values.Of(kubeconfig!))!;
        Assert.Equal("https://west-aks.hcp.westeurope.azmk8s.io:443", (string?)config["clusters"]![0]!["cluster"]!["server"]);
        Assert.Equal(Mocks.CertificateAuthority, (string?)config["clusters"]![0]!["cluster"]!["certificate-authority-data"]);
        var exec = config["users"]![0]!["user"]!["exec"]!;
        Assert.Equal("kubelogin", (string?)exec["command"]);
        // The AKS-managed Entra server application every AKS cluster trusts (kubelogin's documented --server-id).
        Assert.Equal<string>(
            ["get-token", "--login", "azurecli", "--server-id", "6dae42f8-4368-4678-94ff-3960e28e3630"],
            exec["args"]!.AsArray().Select(a => (string)a!));
    }

    [Fact]
    public async Task Aks_with_local_accounts_kept_uses_its_admin_kubeconfig_and_grants_no_role()
    {
        var plain = TestFleet.Azure("west", TestFleet.Pool("cpu", "Standard_D4s_v5", 1, 3)) with { Azure = new AzureSettings(null) { LocalAccounts = true } };
        var withGroups = plain with
        {
            Name = "north",
            Azure = new AzureSettings(null) { LocalAccounts = true, AdminGroupObjectIds = ["aaaaaaaa-0000-0000-0000-000000000001"] },
        };
        Output<string>? plainConfig = null;
        Output<string>? groupsConfig = null;
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            plainConfig = TestFleet.Declare(plain).Kubeconfig;
            groupsConfig = TestFleet.Declare(withGroups).Kubeconfig;
        });

        Assert.Equal(false, Values.At(Only(mocks, "azure:containerservice/kubernetesCluster:KubernetesCluster", "west-aks"), "localAccountDisabled"));
        Assert.Null(Values.At(Only(mocks, "azure:containerservice/kubernetesCluster:KubernetesCluster", "west-aks"), "azureActiveDirectoryRoleBasedAccessControl"));
        Assert.Equal(
            new object[] { "aaaaaaaa-0000-0000-0000-000000000001" },
            (IEnumerable<object>)Values.At(Only(mocks, "azure:containerservice/kubernetesCluster:KubernetesCluster", "north-aks"), "azureActiveDirectoryRoleBasedAccessControl.adminGroupObjectIds")!);
        Assert.DoesNotContain(mocks.Resources, r => r.Type == "azure:authorization/assignment:Assignment");
        Assert.Equal("apiVersion: v1\nkind: Config\n# aks west-aks\n", await Values.Of(plainConfig!));
        // With Entra integration on, kubeConfigRaw is a user's Entra sign-in; the local admin is the admin kubeconfig.
        Assert.Equal("apiVersion: v1\nkind: Config\n# aks admin north-aks\n", await Values.Of(groupsConfig!));
    }

    [Fact]
    public async Task Gke_nodes_run_as_a_dedicated_least_privilege_account_with_workload_identity()
    {
        var cluster = TestFleet.Gcp("central", TestFleet.Pool("cpu", "n2-standard-4", 1, 3));
        var mocks = await TestFleet.DeclareAsync(() => TestFleet.Declare(cluster));

        var account = Only(mocks, "gcp:serviceaccount/account:Account", "central-nodes");
        var id = Assert.IsType<string>(Values.At(account, "accountId"));
        Assert.Matches("^sr-central-[0-9a-f]{6}$", id);
        Assert.Equal("my-project-123", Values.At(account, "project"));
        var email = $"{id}@my-project-123.iam.gserviceaccount.com";
        var grants = mocks.Resources.Where(r => r.Type == "gcp:projects/iAMMember:IAMMember").ToList();
        // GKE's least-privilege node role and image pulls, nothing else (Configure GKE node service accounts).
        Assert.Equal<string>(
            ["roles/artifactregistry.reader", "roles/container.defaultNodeServiceAccount"],
            grants.Select(g => (string)Values.At(g, "role")!).Order(StringComparer.Ordinal));
        Assert.All(grants, g => Assert.Equal(("serviceAccount:" + email, "my-project-123"), ((string?)Values.At(g, "member"), (string?)Values.At(g, "project"))));

        var pool = Only(mocks, "gcp:container/nodePool:NodePool", "central-pool-cpu");
        Assert.Equal(email, Values.At(pool, "nodeConfig.serviceAccount"));
        Assert.Equal("GKE_METADATA", Values.At(pool, "nodeConfig.workloadMetadataConfig.mode"));
        var gke = Only(mocks, "gcp:container/cluster:Cluster", "central-gke");
        Assert.Equal("my-project-123.svc.id.goog", Values.At(gke, "workloadIdentityConfig.workloadPool"));
        // The bootstrap pool GKE creates the cluster with runs as the same account, never the Compute Engine default one.
        Assert.Equal(email, Values.At(gke, "nodeConfig.serviceAccount"));
    }

    [Fact]
    public async Task Gke_takes_a_configured_node_account_and_the_providers_project_and_can_turn_workload_identity_off()
    {
        var own = TestFleet.Gcp("central", TestFleet.Pool("cpu", "n2-standard-4", 1, 3)) with
        {
            Gcp = new GcpSettings("my-project-123") { NodeServiceAccount = "gke-nodes@my-project-123.iam.gserviceaccount.com", WorkloadIdentity = false },
        };
        var defaultProject = TestFleet.Gcp("south", TestFleet.Pool("cpu", "n2-standard-4", 1, 3)) with { Gcp = new GcpSettings(null) };
        var mocks = await TestFleet.DeclareAsync(() =>
        {
            TestFleet.Declare(own);
            TestFleet.Declare(defaultProject);
        });

        Assert.DoesNotContain(mocks.Resources, r => r.Type == "gcp:serviceaccount/account:Account" && r.Name == "central-nodes");
        var pool = Only(mocks, "gcp:container/nodePool:NodePool", "central-pool-cpu");
        Assert.Equal("gke-nodes@my-project-123.iam.gserviceaccount.com", Values.At(pool, "nodeConfig.serviceAccount"));
        Assert.Null(Values.At(pool, "nodeConfig.workloadMetadataConfig"));
        Assert.Null(Values.At(Only(mocks, "gcp:container/cluster:Cluster", "central-gke"), "workloadIdentityConfig"));

        // No project in config: the provider's default project, as its client config reports it.
        Assert.Equal(Mocks.DefaultGcpProject + ".svc.id.goog", Values.At(Only(mocks, "gcp:container/cluster:Cluster", "south-gke"), "workloadIdentityConfig.workloadPool"));
        Assert.Equal(Mocks.DefaultGcpProject, Values.At(Only(mocks, "gcp:serviceaccount/account:Account", "south-nodes"), "project"));
    }

    [Fact]
    public async Task Standby_cluster_keeps_its_pools_at_zero()
    {
        var cluster = TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 2, 5));
        var mocks = await TestFleet.DeclareAsync(() => TestFleet.Declare(cluster, TestFleet.Plan(cluster, ClusterState.Standby)));

        var group = Only(mocks, "aws:eks/nodeGroup:NodeGroup", "east-pool-cpu");
        Assert.Equal(0.0, Values.At(group, "scalingConfig.minSize"));
        Assert.Equal(0.0, Values.At(group, "scalingConfig.desiredSize"));
        Assert.Equal(5.0, Values.At(group, "scalingConfig.maxSize"));
    }

    [Fact]
    public async Task A_plan_naming_a_pool_the_cluster_does_not_configure_is_refused()
    {
        var cluster = TestFleet.Aws("east", TestFleet.Pool("cpu", "m6i.xlarge", 1, 3));
        var plan = TestFleet.Plan(cluster) with { Pools = [new NodePoolPlan("ghost", "m6i.xlarge", 1, 1, 1, 0m)] };

        var error = await Record.ExceptionAsync(() => TestFleet.DeclareAsync(() => TestFleet.Declare(cluster, plan)));

        Assert.NotNull(error);
        Assert.Contains("ghost", error.ToString(), StringComparison.Ordinal);
    }

    private static Pulumi.Testing.MockResourceArgs Only(Mocks mocks, string type, string name)
    {
        var matches = mocks.Resources.Where(r => r.Type == type && r.Name == name).ToList();
        Assert.True(matches.Count == 1, $"expected one {type} '{name}', found {matches.Count}; declared: {string.Join(", ", mocks.Resources.Select(r => r.Name))}");
        return matches[0];
    }
}
