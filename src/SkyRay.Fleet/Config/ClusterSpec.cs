using System.Collections.Immutable;

namespace SkyRay.Fleet.Config;

/// <summary>Where a cluster runs.</summary>
public enum CloudProvider
{
    /// <summary>Amazon EKS.</summary>
    Aws,

    /// <summary>Azure AKS.</summary>
    Azure,

    /// <summary>Google GKE.</summary>
    Gcp,

    /// <summary>A cluster the user already has, reached through a kubeconfig; nothing is provisioned.</summary>
    Existing,
}

/// <summary>Whether a cluster is always there or created just in time.</summary>
public enum ClusterLifecycle
{
    /// <summary>Always provisioned.</summary>
    Static,

    /// <summary>Provisioned only while the plan places work on it.</summary>
    Dynamic,
}

/// <summary>What happens to an idle cluster.</summary>
public enum StandbyMode
{
    /// <summary>Node pools scale to zero; the control plane stays.</summary>
    Suspend,

    /// <summary>The cluster is deleted and created again when work comes back.</summary>
    Delete,
}

/// <summary>Standby behaviour of an idle cluster.</summary>
/// <param name="Mode">Suspend (pools to zero) or delete (delete-recreate).</param>
/// <param name="IdleAfter">How long a cluster must be without placed work before it goes to standby.</param>
public sealed record StandbySpec(StandbyMode Mode, TimeSpan IdleAfter);

/// <summary>A Kubernetes node taint.</summary>
/// <param name="Key">Taint key.</param>
/// <param name="Value">Taint value, may be null.</param>
/// <param name="Effect">NoSchedule, PreferNoSchedule or NoExecute.</param>
public sealed record NodeTaint(string Key, string? Value, string Effect);

/// <summary>A node pool of a cluster, sized from the instance catalog.</summary>
/// <param name="Name">Pool name, unique within the cluster.</param>
/// <param name="InstanceType">Catalog instance type (e.g. <c>g5.xlarge</c>).</param>
/// <param name="MinNodes">Nodes always running while the cluster is active (may be 0).</param>
/// <param name="MaxNodes">Autoscaling limit.</param>
/// <param name="Spot">Spot / preemptible capacity.</param>
/// <param name="Labels">Kubernetes node labels.</param>
/// <param name="Taints">Kubernetes node taints.</param>
public sealed record NodePoolSpec(
    string Name,
    string InstanceType,
    int MinNodes,
    int MaxNodes,
    bool Spot,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableArray<NodeTaint> Taints);

/// <summary>AWS (EKS) settings.</summary>
/// <param name="SubnetIds">Existing subnets to use; empty means "create a VPC".</param>
/// <param name="VpcCidr">CIDR of the VPC SkyRay creates when no subnets are given.</param>
public sealed record AwsSettings(ImmutableArray<string> SubnetIds, string VpcCidr);

/// <summary>Azure (AKS) settings.</summary>
/// <param name="ResourceGroup">Existing resource group name, or null to create one named after the cluster.</param>
public sealed record AzureSettings(string? ResourceGroup);

/// <summary>GCP (GKE) settings.</summary>
/// <param name="Project">GCP project id, or null for the provider's default project.</param>
public sealed record GcpSettings(string? Project);

/// <summary>How SkyRay reaches an existing cluster.</summary>
/// <param name="KubeconfigContext">A context of the ambient kubeconfig, or null.</param>
/// <param name="KubeconfigSecret">The config key holding a <c>secure:</c> kubeconfig (e.g. <c>skyray-infra:onpremKubeconfig</c>), or null. The value itself is never held here.</param>
/// <param name="Cloud">The cloud whose instance catalog sizes this cluster's node pools (given as <c>existing.cloud</c> or
/// inferred from the pools' instance types); null when the cluster declares no node pools.</param>
public sealed record ExistingSettings(string? KubeconfigContext, string? KubeconfigSecret, CloudProvider? Cloud = null);

/// <summary>A cluster of the fleet, validated.</summary>
/// <param name="Name">Cluster name, also the value of label <c>kubernetes.io/metadata.name</c>.</param>
/// <param name="Provider">Cloud or existing.</param>
/// <param name="Region">Cloud region (null for existing clusters).</param>
/// <param name="KubernetesVersion">Kubernetes minor version such as <c>1.31</c>.</param>
/// <param name="Lifecycle">Static or dynamic.</param>
/// <param name="Standby">Standby behaviour when idle, or null to keep it running.</param>
/// <param name="Labels">User labels (e.g. <c>cluster.class: production</c>).</param>
/// <param name="NodePools">Node pools sorted by name.</param>
/// <param name="Aws">AWS settings when <see cref="Provider"/> is AWS.</param>
/// <param name="Azure">Azure settings when <see cref="Provider"/> is Azure.</param>
/// <param name="Gcp">GCP settings when <see cref="Provider"/> is GCP.</param>
/// <param name="Existing">Access settings when <see cref="Provider"/> is existing.</param>
public sealed record ClusterSpec(
    string Name,
    CloudProvider Provider,
    string? Region,
    string KubernetesVersion,
    ClusterLifecycle Lifecycle,
    StandbySpec? Standby,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableArray<NodePoolSpec> NodePools,
    AwsSettings? Aws = null,
    AzureSettings? Azure = null,
    GcpSettings? Gcp = null,
    ExistingSettings? Existing = null)
{
    /// <summary>
    /// The configured upgrade strategy (<c>upgrade.strategy</c>), or null when none is written: then a cluster serving a
    /// RayService behind a traffic record is upgraded by clone and swap, any other in place.
    /// </summary>
    public UpgradeStrategy? Upgrade { get; init; }

    /// <summary>Whether the cluster takes work (<c>availability</c>): available (the default), cordoned or lost.</summary>
    public ClusterAvailability Availability { get; init; } = ClusterAvailability.Available;

    /// <summary>
    /// Kueue on this cluster: <c>skyray:kueue</c> with the cluster's own <c>kueue</c> block over it (see <see cref="KueueSettings"/>);
    /// <see cref="KueueSettings.Disabled"/> when neither enables it.
    /// </summary>
    public KueueSettings Kueue { get; init; } = KueueSettings.Disabled;

    /// <summary>
    /// The catalog provider (<c>aws</c>, <c>azure</c>, <c>gcp</c>) to look this cluster's pool instance types up in:
    /// the cloud itself, or <see cref="ExistingSettings.Cloud"/> for an existing cluster; null when there is none.
    /// </summary>
    public string? CatalogProvider => Provider switch
    {
        CloudProvider.Existing => Existing?.Cloud is { } cloud ? ProviderNames.Of(cloud) : null,
        _ => ProviderNames.Of(Provider),
    };
}

/// <summary>The lower-case names providers have in config, labels and the instance catalog.</summary>
public static class ProviderNames
{
    /// <summary>The name of a provider: <c>aws</c>, <c>azure</c>, <c>gcp</c> or <c>existing</c>.</summary>
    /// <param name="provider">The provider.</param>
    /// <returns>Its lower-case name.</returns>
    public static string Of(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => "aws",
        CloudProvider.Azure => "azure",
        CloudProvider.Gcp => "gcp",
        _ => "existing",
    };
}
