using Pulumi;
using SkyRay.Fleet.Catalog;
using SkyRay.Fleet.Config;
using SkyRay.Orchestration.Autoscaling;
using SkyRay.Placement.Planning;

namespace SkyRay.Infra.Clusters;

/// <summary>What a <see cref="FleetCluster"/> declares; every value comes from the core.</summary>
/// <param name="Cluster">The cluster as configured.</param>
/// <param name="Plan">The plan for it (pool sizes); null for an existing cluster, which has nothing to provision.</param>
/// <param name="Catalog">Instance catalog (GPU count and model of each pool's instance type).</param>
/// <param name="ExistingKubeconfig">The kubeconfig of an existing cluster read from a secret config key, or null.</param>
/// <param name="Autoscaling">The core's autoscaling decision (null: <see cref="AutoscalingSpec.None"/>, as for a caller
/// that does not pass one).</param>
internal sealed record FleetClusterArgs(
    ClusterSpec Cluster,
    ClusterPlan? Plan,
    InstanceCatalog Catalog,
    Output<string>? ExistingKubeconfig = null,
    AutoscalingSpec? Autoscaling = null);

/// <summary>
/// One cluster of the fleet: the cloud resources of an EKS, AKS or GKE cluster with its node pools, or nothing for
/// an existing cluster. Everything SkyRay declares for the cluster (Kubernetes provider, KubeRay operator, Ray
/// workloads) is parented here, so <c>pulumi stack</c> shows the fleet cluster by cluster.
/// </summary>
internal sealed class FleetCluster : ComponentResource
{
    /// <summary>The component's type token.</summary>
    public const string TypeToken = "skyray:fleet:Cluster";

    /// <summary>Creates the cluster's resources.</summary>
    /// <param name="args">What to declare.</param>
    /// <param name="options">Component options.</param>
    public FleetCluster(FleetClusterArgs args, ComponentResourceOptions? options = null)
        : base(TypeToken, args.Cluster.Name, options)
    {
        Spec = args.Cluster;
        var autoscaling = args.Autoscaling ?? AutoscalingSpec.None;
        ClusterAutoscalerBinding? autoscaler = null;
        IReadOnlyList<Resource> nodePools = [];
        IReadOnlyList<Resource> nodesAfter = [];
        Kubeconfig = args.Cluster.Provider switch
        {
            CloudProvider.Aws => EksCluster.Declare(this, args.Cluster, RequirePlan(args), args.Catalog, autoscaling, out autoscaler, out nodePools, out nodesAfter),
            CloudProvider.Azure => AksCluster.Declare(this, args.Cluster, RequirePlan(args), args.Catalog, autoscaling, out nodePools),
            CloudProvider.Gcp => GkeCluster.Declare(this, args.Cluster, RequirePlan(args), args.Catalog, out nodePools),
            _ => args.ExistingKubeconfig is { } existing ? Output.CreateSecret(existing) : null,
        };
        Autoscaler = autoscaler;
        NodeResources = nodePools;
        NodesAfter = nodesAfter;

        var outputs = new Dictionary<string, object?>
        {
            ["provider"] = ProviderNames.Of(args.Cluster.Provider),
            ["kubernetesVersion"] = args.Cluster.KubernetesVersion,
        };
        if (Kubeconfig is not null)
        {
            outputs["kubeconfig"] = Kubeconfig;
        }

        RegisterOutputs(outputs);
    }

    /// <summary>The cluster as configured.</summary>
    public ClusterSpec Spec { get; }

    /// <summary>
    /// The kubeconfig (always a secret), or null for an existing cluster reached through a context of the ambient
    /// kubeconfig.
    /// </summary>
    public Output<string>? Kubeconfig { get; }

    /// <summary>
    /// The resources the cluster's nodes come from (EKS node groups; the AKS cluster with its system pool, and its user
    /// pools; GKE node pools); empty for an existing cluster. Releases are installed after them, so they wait for nodes
    /// to exist and, when the cluster goes, are removed (and the Ray objects before them) while the nodes still run.
    /// </summary>
    public IReadOnlyList<Resource> NodeResources { get; }

    /// <summary>
    /// What the node pools are declared after besides the cluster: on EKS in a VPC SkyRay creates, the nodes' way out (NAT
    /// gateway, private route table and associations), kept until the node groups are gone; empty otherwise.
    /// </summary>
    public IReadOnlyList<Resource> NodesAfter { get; }

    /// <summary>The Cluster Autoscaler to install once the cluster is connected (EKS), or null.</summary>
    public ClusterAutoscalerBinding? Autoscaler { get; }

    private static ClusterPlan RequirePlan(FleetClusterArgs args) =>
        args.Plan ?? throw new ArgumentException($"cluster '{args.Cluster.Name}' is a cloud cluster but has no plan", nameof(args));
}
