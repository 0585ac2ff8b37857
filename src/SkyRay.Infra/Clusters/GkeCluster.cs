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
    /// <summary>GKE's accelerator names by catalog GPU model; A100 and H100 depend on the machine family.</summary>
    public static readonly ImmutableSortedDictionary<string, string> Accelerators = new Dictionary<string, string>
    {
        ["A100"] = "nvidia-tesla-a100",
        ["A100-80GB"] = "nvidia-a100-80gb",
        ["B200"] = "nvidia-b200",
        ["H100"] = "nvidia-h100-80gb",
        ["H100-MEGA"] = "nvidia-h100-mega-80gb",
        ["H200"] = "nvidia-h200-141gb",
        ["L4"] = "nvidia-l4",
        ["P100"] = "nvidia-tesla-p100",
        ["P4"] = "nvidia-tesla-p4",
        ["T4"] = "nvidia-tesla-t4",
        ["V100"] = "nvidia-tesla-v100",
    }.ToImmutableSortedDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>OAuth scope of node service accounts; IAM roles then decide what nodes may do.</summary>
    public const string CloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform";

    /// <summary>Declares the cluster under <paramref name="parent"/>.</summary>
    /// <returns>The kubeconfig, as a secret.</returns>
    public static Output<string> Declare(FleetCluster parent, ClusterSpec cluster, ClusterPlan plan, InstanceCatalog catalog)
    {
        var name = cluster.Name;
        var region = cluster.Region ?? throw new ArgumentException($"GCP cluster '{name}' has no region", nameof(cluster));
        // No project in config: the provider's default project (gcp:project or GOOGLE_PROJECT).
        Input<string>? project = cluster.Gcp?.Project is { } configured ? (Input<string>)configured : null;

        var gkeName = NodePools.ChildName(name, "gke");
        var gke = new Gcp.Container.Cluster(gkeName, new Gcp.Container.ClusterArgs
        {
            // Pulumi's auto-name unless it would pass GKE's 40 characters (a config name over 28 characters).
            Name = PhysicalNames.Bounded(gkeName, PhysicalNames.GkeCluster, PhysicalNames.CurrentStack()) is { } bounded ? (Input<string>)bounded : null,
            Location = region,
            Project = project,
            MinMasterVersion = cluster.KubernetesVersion,
            // Node pools are separate resources; GKE needs one node to create a cluster, then drops that pool.
            RemoveDefaultNodePool = true,
            InitialNodeCount = 1,
            // A dynamic cluster is deleted when no work is placed on it; a static one is protected from accidents.
            DeletionProtection = cluster.Lifecycle == ClusterLifecycle.Static,
        }, new CustomResourceOptions { Parent = parent });

        foreach (var pool in NodePools.Join(cluster, plan, catalog))
        {
            var nodeConfig = new Gcp.Container.Inputs.NodePoolNodeConfigArgs
            {
                MachineType = pool.Plan.InstanceType,
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
                        GpuDriverVersion = "DEFAULT",
                    },
                });
            }

            _ = new Gcp.Container.NodePool(NodePools.ChildName(name, "pool-" + pool.Spec.Name), new Gcp.Container.NodePoolArgs
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
            }, new CustomResourceOptions
            {
                Parent = parent,
                // The pool keeps the configured name (nodes carry it as cloud.google.com/gke-nodepool).
                DeleteBeforeReplace = true,
            });
        }

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
    /// The GKE accelerator type of a GPU machine type. A2 Ultra machines carry 80 GB A100s and A3 Mega machines
    /// the Mega H100s; otherwise the catalog's GPU model decides.
    /// </summary>
    /// <exception cref="InvalidOperationException">The GPU model has no GKE accelerator name here.</exception>
    public static string AcceleratorType(string machineType, string? gpuType)
    {
        var model = machineType.StartsWith("a2-ultragpu", StringComparison.Ordinal) ? "A100-80GB"
            : machineType.StartsWith("a3-megagpu", StringComparison.Ordinal) ? "H100-MEGA"
            : gpuType;
        return model is not null && Accelerators.TryGetValue(model, out var accelerator)
            ? accelerator
            : throw new InvalidOperationException(
                $"GPU machine type '{machineType}' ({gpuType ?? "unknown GPU"}) has no known GKE accelerator name; add it to {nameof(GkeCluster)}.{nameof(Accelerators)}.");
    }
}
