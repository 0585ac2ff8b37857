using System.Collections.Immutable;
using Pulumi;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;
using Gcp = Pulumi.Gcp;

namespace SkyRay.Infra.Clusters;

/// <summary>
/// Declares a regional GKE cluster without its default node pool, and one autoscaled node pool per planned pool
/// (GPU pools with their accelerators and a GKE-managed driver).
/// </summary>
internal static class GkeCluster
{
    /// <summary>GKE's accelerator names by catalog GPU model (the core's table, <see cref="InstanceFamilies.GkeAccelerators"/>).</summary>
    public static ImmutableSortedDictionary<string, string> Accelerators => InstanceFamilies.GkeAccelerators;

    /// <summary>
    /// OAuth scope of node service accounts: Google's recommendation is this scope with a least-privilege account, so the
    /// account's IAM roles alone decide what nodes may do ("Configure GKE node service accounts").
    /// </summary>
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    /// <summary>The Pulumi property path of the cluster's bootstrap node config (for <c>ignoreChanges</c>).</summary>
    public const string NodeConfigPath = "nodeConfig";

    /// <summary>The datapath provider of GKE Dataplane V2 (eBPF, with NetworkPolicy enforcement built in).</summary>
    public const string AdvancedDatapath = "ADVANCED_DATAPATH";

    /// <summary>Declares the cluster under <paramref name="parent"/>.</summary>
    /// <param name="parent">The cluster's component.</param>
    /// <param name="cluster">The cluster as configured.</param>
    /// <param name="plan">Its plan.</param>
    /// <param name="catalog">Instance catalog.</param>
    /// <param name="nodePools">The node pools (releases on the cluster are installed after them).</param>
    /// <returns>The kubeconfig, as a secret.</returns>
    public static Output<string> Declare(FleetCluster parent, ClusterSpec cluster, ClusterPlan plan, InstanceCatalog catalog, out IReadOnlyList<Resource> nodePools)
    {
        var name = cluster.Name;
        var region = cluster.Region ?? throw new ArgumentException($"GCP cluster '{name}' has no region", nameof(cluster));
        // No project in config: the provider's default project (gcp:project or GOOGLE_PROJECT).
        Input<string>? project = cluster.Gcp?.Project is { } configured ? (Input<string>)configured : null;
        var settings = cluster.Gcp ?? new GcpSettings(null);

        // One provider per cluster, built from the cluster's own project and region, whatever the stack's gcp:* says.
        var provider = new Gcp.Provider(NodePools.ChildName(name, "gcp"), new Gcp.ProviderArgs
        {
            Project = project,
            Region = region,
        }, new CustomResourceOptions { Parent = parent });

        // The project's id is needed by name (IAM grants, the workload pool): the configured one, else the provider's default.
        Output<string> projectId = cluster.Gcp?.Project is { } configuredProject
            ? Output.Create(configuredProject)
            : Gcp.Organizations.GetClientConfig.Invoke(new InvokeOptions { Provider = provider }).Apply(c => c.Project);
        var (nodeAccount, grants) = NodeServiceAccount(parent, provider, name, settings, projectId);

        var gkeName = NodePools.ChildName(name, "gke");
        var gke = new Gcp.Container.Cluster(gkeName, new Gcp.Container.ClusterArgs
        {
            // Pulumi's auto-name unless it would pass GKE's 40 characters (a config name over 28 characters).
            Name = PhysicalNames.Bounded(gkeName, PhysicalNames.GkeCluster, PhysicalNames.CurrentStack()) is { } bounded ? (Input<string>)bounded : null,
            Location = region,
            Project = project,
            // In a release channel GKE keeps the control plane at or above this minimum and upgrades it as the channel
            // moves on (REGULAR by default; EXTENDED keeps a minor version past standard support).
            MinMasterVersion = cluster.KubernetesVersion,
            ReleaseChannel = new Gcp.Container.Inputs.ClusterReleaseChannelArgs { Channel = settings.ReleaseChannel },
            // Projects without a 'default' network exist: the configured network and subnetwork, else GKE's defaults.
            Network = settings.Network is { } network ? (Input<string>)network : null,
            Subnetwork = settings.Subnetwork is { } subnetwork ? (Input<string>)subnetwork : null,
            // Node pools are separate resources; GKE needs one node to create a cluster, then drops that pool.
            RemoveDefaultNodePool = true,
            InitialNodeCount = 1,
            // A dynamic cluster is deleted when no work is placed on it; a static one is protected from accidents.
            DeletionProtection = cluster.Lifecycle == ClusterLifecycle.Static,
            // GKE Dataplane V2 enforces NetworkPolicies (a cluster without it or the Calico add-on ignores them); Google's
            // recommended data plane. It is fixed at creation: a cluster made without it is replaced.
            DatapathProvider = AdvancedDatapath,
            // Workload Identity Federation for GKE: pods get Google Cloud access through their Kubernetes service account.
            WorkloadIdentityConfig = settings.WorkloadIdentity
                ? new Gcp.Container.Inputs.ClusterWorkloadIdentityConfigArgs { WorkloadPool = projectId.Apply(p => p + ".svc.id.goog") }
                : (Input<Gcp.Container.Inputs.ClusterWorkloadIdentityConfigArgs>?)null,
            // The one-node pool GKE creates the cluster with (and then drops) runs as the nodes' account too: projects that
            // disabled the Compute Engine default account (a common hardening step) could not create the cluster otherwise.
            NodeConfig = new Gcp.Container.Inputs.ClusterNodeConfigArgs { ServiceAccount = nodeAccount, OauthScopes = { CloudPlatformScope } },
        }, new CustomResourceOptions
        {
            Parent = parent,
            Provider = provider,
            DependsOn = grants,
            // That config describes only the dropped bootstrap pool: read back without it, it must not replace the cluster.
            IgnoreChanges = [NodeConfigPath],
        });

        var pools = new List<Resource>();
        foreach (var pool in NodePools.Join(cluster, plan, catalog))
        {
            var nodeConfig = new Gcp.Container.Inputs.NodePoolNodeConfigArgs
            {
                MachineType = pool.Plan.InstanceType,
                DiskSizeGb = PoolDisks.SizeGiB(pool.Spec, pool.HasGpu),
                Spot = pool.Spec.Spot,
                Labels = pool.Spec.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
                Taints = pool.Spec.Taints
                    .Select(t => new Gcp.Container.Inputs.NodePoolNodeConfigTaintArgs
                    {
                        Key = t.Key,
                        Value = t.Value ?? string.Empty,
                        Effect = NodePools.UpperSnakeEffect(t.Effect),
                    })
                    .ToList(),
                OauthScopes = { CloudPlatformScope },
                ServiceAccount = nodeAccount,
                // The GKE metadata server: pods see their Workload Identity, never the node account's credentials.
                WorkloadMetadataConfig = settings.WorkloadIdentity
                    ? new Gcp.Container.Inputs.NodePoolNodeConfigWorkloadMetadataConfigArgs { Mode = GcpDefaults.WorkloadMetadataMode }
                    : (Input<Gcp.Container.Inputs.NodePoolNodeConfigWorkloadMetadataConfigArgs>?)null,
            };
            if (pool.HasGpu)
            {
                nodeConfig.GuestAccelerators.Add(new Gcp.Container.Inputs.NodePoolNodeConfigGuestAcceleratorArgs
                {
                    Type = AcceleratorType(pool.Plan.InstanceType, pool.Type?.GpuType),
                    Count = pool.Gpus,
                    GpuDriverInstallationConfig = new Gcp.Container.Inputs.NodePoolNodeConfigGuestAcceleratorGpuDriverInstallationConfigArgs
                    {
                        // GKE installs the driver (and runs its own device plugin): every GPU pool sets this.
                        GpuDriverVersion = "DEFAULT",
                    },
                });
            }

            var poolArgs = new Gcp.Container.NodePoolArgs
            {
                Name = pool.Spec.Name,
                Cluster = gke.Name,
                Location = region,
                Project = project,
                // Total limits: the plan sizes the whole pool, not each zone of the region.
                Autoscaling = new Gcp.Container.Inputs.NodePoolAutoscalingArgs
                {
                    TotalMinNodeCount = pool.Plan.MinNodes,
                    TotalMaxNodeCount = pool.Plan.MaxNodes,
                },
                NodeConfig = nodeConfig,
                // A cluster in a release channel needs auto-upgrade on its pools.
                Management = new Gcp.Container.Inputs.NodePoolManagementArgs { AutoRepair = true, AutoUpgrade = true },
            };

            // The zones that offer the pool's accelerator (validation requires them for GPU pools); else every zone of
            // the cluster.
            foreach (var zone in pool.Spec.Zones.IsDefault ? [] : pool.Spec.Zones)
            {
                poolArgs.NodeLocations.Add(zone);
            }

            pools.Add(new Gcp.Container.NodePool(NodePools.ChildName(name, "pool-" + pool.Spec.Name), poolArgs, new CustomResourceOptions
            {
                Parent = parent,
                Provider = provider,
                // The pool keeps the configured name (nodes carry it as cloud.google.com/gke-nodepool).
                DeleteBeforeReplace = true,
                // Nodes start with their account's roles granted, so logging and image pulls work from the first boot.
                DependsOn = grants,
            }));
        }

        nodePools = pools;

        var kubeconfig = Output.Tuple(gke.Name, gke.Endpoint, gke.MasterAuth).Apply(t => Kubeconfigs.WithExec(
            name,
            "https://" + t.Item2,
            t.Item3.ClusterCaCertificate ?? string.Empty,
            "gke-gcloud-auth-plugin",
            [],
            provideClusterInfo: true,
            installHint: "Install gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin) and sign in with gcloud."));
        return Output.CreateSecret(kubeconfig);
    }

    /// <summary>
    /// The node pools' service account: the configured one, else a dedicated account per cluster with
    /// <see cref="GcpDefaults.NodeServiceAccountRoles"/> granted on the project (never the Compute Engine default account,
    /// which often holds Editor: CIS GKE Benchmark 5.2.1).
    /// </summary>
    /// <returns>The account's email and the grants node pools wait for (none for a configured account: its roles are yours).</returns>
    private static (Output<string> Email, InputList<Resource> Grants) NodeServiceAccount(
        FleetCluster parent, Gcp.Provider provider, string name, GcpSettings settings, Output<string> projectId)
    {
        if (settings.NodeServiceAccount is { } configured)
        {
            return (Output.Create(configured), new InputList<Resource>());
        }

        var options = new CustomResourceOptions { Parent = parent, Provider = provider };
        var account = new Gcp.ServiceAccount.Account(NodePools.ChildName(name, "nodes"), new Gcp.ServiceAccount.AccountArgs
        {
            AccountId = GcpDefaults.AccountId(PhysicalNames.CurrentStack(), name),
            DisplayName = $"SkyRay GKE nodes of {name}",
            Project = projectId,
        }, options);
        var grants = new InputList<Resource>();
        foreach (var role in GcpDefaults.NodeServiceAccountRoles)
        {
            grants.Add(new Gcp.Projects.IAMMember(NodePools.ChildName(name, "nodes-" + role[(role.IndexOf('/', StringComparison.Ordinal) + 1)..]), new Gcp.Projects.IAMMemberArgs
            {
                Project = projectId,
                Role = role,
                Member = account.Member,
            }, options));
        }

        return (account.Email, grants);
    }

    /// <summary>The GKE accelerator type of a GPU machine type (<see cref="InstanceFamilies.GkeAccelerator"/>).</summary>
    /// <exception cref="InvalidOperationException">The GPU model has no GKE accelerator name; validation reports this at the
    /// pool's instanceType first, so only a caller that skipped validation gets here.</exception>
    public static string AcceleratorType(string machineType, string? gpuType) =>
        InstanceFamilies.GkeAccelerator(machineType, gpuType) ?? throw new InvalidOperationException(
            $"GPU machine type '{machineType}' ({gpuType ?? "unknown GPU"}) has no known GKE accelerator name; validation should have rejected it.");
}
