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

    /// <summary>OAuth scope of node service accounts; IAM roles then decide what nodes may do.</summary>
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

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
        }, new CustomResourceOptions { Parent = parent, Provider = provider });

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

    /// <summary>The GKE accelerator type of a GPU machine type (<see cref="InstanceFamilies.GkeAccelerator"/>).</summary>
    /// <exception cref="InvalidOperationException">The GPU model has no GKE accelerator name; validation reports this at the
    /// pool's instanceType first, so only a caller that skipped validation gets here.</exception>
    public static string AcceleratorType(string machineType, string? gpuType) =>
        InstanceFamilies.GkeAccelerator(machineType, gpuType) ?? throw new InvalidOperationException(
            $"GPU machine type '{machineType}' ({gpuType ?? "unknown GPU"}) has no known GKE accelerator name; validation should have rejected it.");
}
