using Pulumi;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Autoscaling;
using SkyRay.Placement.Planning;
using Azure = Pulumi.Azure;

namespace SkyRay.Infra.Clusters;

/// <summary>
/// Declares an AKS cluster (Pulumi.Azure, the classic provider): a resource group unless config names one, the
/// cluster with a small system pool for cluster add-ons, and one autoscaled user pool per planned pool.
/// </summary>
internal static class AksCluster
{
    /// <summary>The system pool's name (config validation keeps user pools off it: ClusterReader.AksSystemPoolName).</summary>
    public const string SystemPoolName = "system";

    /// <summary>
    /// VM size of the system pool: AKS requires at least 4 vCPUs and 4 GB for system pools ("Manage system node pools");
    /// room for CoreDNS, metrics-server, Cilium and the KubeRay operator.
    /// </summary>
    public const string SystemPoolVmSize = "Standard_D4s_v5";

    /// <summary>Label and taint AKS puts on every spot node; the provider wants them declared (else it plans a change each run).</summary>
    public const string SpotKey = "kubernetes.azure.com/scalesetpriority";

    /// <summary>The taint AKS puts on every spot node, as AKS spells taints.</summary>
    public const string SpotTaint = SpotKey + "=spot:NoSchedule";

    /// <summary>The Pulumi property path of a pool's node count (for <c>ignoreChanges</c>).</summary>
    public const string NodeCountPath = "nodeCount";

    /// <summary>Declares the cluster under <paramref name="parent"/>.</summary>
    /// <param name="parent">The cluster's component.</param>
    /// <param name="cluster">The cluster as configured.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="catalog">Instance catalog.</param>
    /// <param name="autoscaling">The core's autoscaling decision: whether the plan's node counts are declared this run.</param>
    /// <returns>The kubeconfig, as a secret.</returns>
    /// <param name="nodePools">The cluster (with its system pool) and its user pools: releases are installed after them.</param>
    public static Output<string> Declare(
        FleetCluster parent, ClusterSpec cluster, ClusterPlan plan, InstanceCatalog catalog, AutoscalingSpec autoscaling, out IReadOnlyList<Resource> nodePools)
    {
        var name = cluster.Name;
        var region = cluster.Region ?? throw new ArgumentException($"Azure cluster '{name}' has no region", nameof(cluster));
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["skyray-cluster"] = name,
            ["managed-by"] = "skyray",
        };
        var settings = cluster.Azure ?? new AzureSettings(null);

        // One provider per cluster: the cluster's own subscription when config names one, else the stack's (ARM_SUBSCRIPTION_ID).
        var providerArgs = new Azure.ProviderArgs();
        if (settings.SubscriptionId is { } subscription)
        {
            providerArgs.SubscriptionId = subscription;
        }

        var provider = new Azure.Provider(NodePools.ChildName(name, "azure"), providerArgs, new CustomResourceOptions { Parent = parent });
        CustomResourceOptions Child() => new() { Parent = parent, Provider = provider };

        Input<string> resourceGroup = settings.ResourceGroup is { } existingGroup
            ? existingGroup
            : new Azure.Core.ResourceGroup(NodePools.ChildName(name, "rg"), new Azure.Core.ResourceGroupArgs
            {
                Location = region,
                Tags = tags,
            }, Child()).Name;

        var aksName = NodePools.ChildName(name, "aks");
        var aks = new Azure.ContainerService.KubernetesCluster(aksName, new Azure.ContainerService.KubernetesClusterArgs
        {
            // Pulumi's auto-name unless it would pass AKS's 63 characters (a config name over 51 characters).
            Name = PhysicalNames.Bounded(aksName, PhysicalNames.AksCluster, PhysicalNames.CurrentStack()) is { } bounded ? (Input<string>)bounded : null,
            ResourceGroupName = resourceGroup,
            Location = region,
            DnsPrefix = DnsPrefix(name),
            KubernetesVersion = cluster.KubernetesVersion,
            SkuTier = settings.SkuTier,
            SupportPlan = settings.SupportPlan,
            // Azure CNI Overlay (kubenet is being retired) with a network policy engine; Cilium needs its data plane.
            NetworkProfile = new Azure.ContainerService.Inputs.KubernetesClusterNetworkProfileArgs
            {
                NetworkPlugin = "azure",
                NetworkPluginMode = "overlay",
                NetworkDataPlane = settings.NetworkPolicy == "cilium" ? "cilium" : "azure",
                NetworkPolicy = settings.NetworkPolicy,
            },
            DefaultNodePool = new Azure.ContainerService.Inputs.KubernetesClusterDefaultNodePoolArgs
            {
                Name = SystemPoolName,
                VmSize = SystemPoolVmSize,
                // At least two for production ("Manage system node pools"); config may choose one for a dev stack.
                NodeCount = settings.SystemPoolNodes,
                OrchestratorVersion = cluster.KubernetesVersion,
                // Keeps Ray pods off the system pool (AKS taints it CriticalAddonsOnly=true:NoSchedule): they go to the
                // user pools the plan sized. Cluster add-ons tolerate the taint (AddonPlacement).
                OnlyCriticalAddonsEnabled = true,
            },
            Identity = new Azure.ContainerService.Inputs.KubernetesClusterIdentityArgs { Type = "SystemAssigned" },
            // No local accounts by default: no long-lived admin certificate, every sign-in through Microsoft Entra ID and
            // authorized by Azure RBAC ("Manage local accounts with AKS-managed Microsoft Entra integration").
            LocalAccountDisabled = !settings.LocalAccounts,
            RoleBasedAccessControlEnabled = true,
            AzureActiveDirectoryRoleBasedAccessControl = settings.LocalAccounts && settings.AdminGroupObjectIds.IsEmpty
                ? (Input<Azure.ContainerService.Inputs.KubernetesClusterAzureActiveDirectoryRoleBasedAccessControlArgs>?)null
                : EntraAccess(settings),
            Tags = tags,
        }, Child());

        var pools = new List<Resource> { aks };
        if (!settings.LocalAccounts)
        {
            // The identity running `pulumi up` installs the operator and the workloads: it gets the cluster-admin Azure role on
            // this cluster. Releases wait for the node pools, which AKS takes minutes to create: time for the assignment to
            // take effect (Azure RBAC assignments can take a few minutes).
            var deployer = Azure.Core.GetClientConfig.Invoke(new InvokeOptions { Provider = provider });
            pools.Add(new Azure.Authorization.Assignment(NodePools.ChildName(name, "deployer-admin"), new Azure.Authorization.AssignmentArgs
            {
                Scope = aks.Id,
                RoleDefinitionName = AzureDefaults.ClusterAdminRole,
                PrincipalId = deployer.Apply(c => c.ObjectId),
            }, Child()));
        }

        foreach (var pool in NodePools.Join(cluster, plan, catalog))
        {
            var labels = pool.Spec.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
            // The configured taints, the GPU taint of GPU pools and the spot taint AKS puts on spot nodes (declared, else
            // the provider plans a change every run): the core's rule, the one placement and rendering follow.
            var taints = PoolTaints.Effective(CloudProvider.Azure, pool.Spec, pool.HasGpu).Select(NodePools.AksTaint).ToList();
            if (pool.Spec.Spot)
            {
                labels[SpotKey] = "spot";
            }

            pools.Add(new Azure.ContainerService.KubernetesClusterNodePool(NodePools.ChildName(name, "pool-" + pool.Spec.Name), new Azure.ContainerService.KubernetesClusterNodePoolArgs
            {
                Name = pool.Spec.Name,
                KubernetesClusterId = aks.Id,
                Mode = "User",
                VmSize = pool.Plan.InstanceType,
                OrchestratorVersion = cluster.KubernetesVersion,
                AutoScalingEnabled = true,
                MinCount = pool.Plan.MinNodes,
                MaxCount = pool.Plan.MaxNodes,
                NodeCount = pool.Plan.DesiredNodes,
                NodeLabels = labels,
                NodeTaints = taints,
                Priority = pool.Spec.Spot ? "Spot" : "Regular",
                EvictionPolicy = pool.Spec.Spot ? (Input<string>)"Delete" : null,
                // -1: pay up to the on-demand price, so nodes are evicted for capacity only, never for price.
                SpotMaxPrice = pool.Spec.Spot ? (Input<double>)(-1.0) : null,
                GpuDriver = pool.HasGpu ? (Input<string>)"Install" : null,
                OsDiskSizeGb = PoolDisks.SizeGiB(pool.Spec, pool.HasGpu),
                Tags = tags,
            }, new CustomResourceOptions
            {
                Parent = parent,
                Provider = provider,
                // The pool keeps the configured name (nodes carry it as kubernetes.azure.com/agentpool).
                DeleteBeforeReplace = true,
                // AKS's autoscaler moves the count while the cluster stays active; declaring the plan's number on every
                // run would undo it. The plan's count still applies on creation, suspend and wake (the core decides).
                IgnoreChanges = IgnoredPoolChanges(autoscaling),
            }));
        }

        nodePools = pools;
        if (settings.LocalAccounts)
        {
            // With Entra integration on (admin groups), kubeConfigRaw is a user's Entra sign-in and the local admin is apart.
            return Output.CreateSecret(settings.AdminGroupObjectIds.IsEmpty ? aks.KubeConfigRaw : aks.KubeAdminConfigRaw);
        }

        // Without local accounts the kubeconfig signs in through kubelogin with the Azure CLI's identity (az login; in CI the
        // azure/login step), for the AKS-managed Entra server application.
        var kubeconfig = aks.KubeConfigs.Apply(configs => configs.FirstOrDefault() is { } c
            ? Kubeconfigs.WithExec(
                name,
                c.Host ?? string.Empty,
                c.ClusterCaCertificate ?? string.Empty,
                "kubelogin",
                ["get-token", "--login", "azurecli", "--server-id", AzureDefaults.EntraServerId],
                provideClusterInfo: false,
                installHint: "Install kubelogin (az aks install-cli) and sign in with az login.")
            : string.Empty);
        return Output.CreateSecret(kubeconfig);
    }

    /// <summary>AKS-managed Microsoft Entra integration with Azure RBAC for Kubernetes authorization, and the configured admin groups.</summary>
    private static Azure.ContainerService.Inputs.KubernetesClusterAzureActiveDirectoryRoleBasedAccessControlArgs EntraAccess(AzureSettings settings)
    {
        var access = new Azure.ContainerService.Inputs.KubernetesClusterAzureActiveDirectoryRoleBasedAccessControlArgs { AzureRbacEnabled = true };
        foreach (var group in settings.AdminGroupObjectIds)
        {
            access.AdminGroupObjectIds.Add(group);
        }

        return access;
    }

    /// <summary>The pool properties Pulumi leaves alone: the node count while AKS's autoscaler owns it.</summary>
    public static List<string> IgnoredPoolChanges(AutoscalingSpec autoscaling) =>
        autoscaling.PlanSetsNodeCount ? [] : [NodeCountPath];

    /// <summary>The longest DNS prefix AKS takes.</summary>
    public const int MaxDnsPrefix = 54;

    /// <summary>
    /// The cluster's DNS prefix: its name (a DNS label, so already letters, digits and inner dashes) cut to AKS's 54
    /// characters, without a trailing dash.
    /// </summary>
    public static string DnsPrefix(string cluster) =>
        cluster.Length <= MaxDnsPrefix ? cluster : cluster[..MaxDnsPrefix].TrimEnd('-');
}
