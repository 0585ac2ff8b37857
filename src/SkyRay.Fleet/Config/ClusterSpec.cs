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
    ImmutableArray<NodeTaint> Taints)
{
    /// <summary>
    /// Taints the pool's nodes carry besides <see cref="Taints"/>: the GPU taint every GPU pool gets
    /// (<see cref="PoolTaints.Gpu"/>; GKE puts it there itself, SkyRay declares it on EKS and AKS) and the taint AKS puts on
    /// spot nodes. Filled by the config reader, which knows the instance catalog; empty for pools built elsewhere.
    /// </summary>
    public ImmutableArray<NodeTaint> ImplicitTaints { get; init; } = [];

    /// <summary>Every taint the pool's nodes carry: the configured ones, then the implicit ones.</summary>
    public ImmutableArray<NodeTaint> EffectiveTaints =>
        ImplicitTaints.IsDefaultOrEmpty ? (Taints.IsDefault ? [] : Taints) : [.. (Taints.IsDefault ? [] : Taints), .. ImplicitTaints];

    /// <summary>Size of each node's disk in GiB as configured, or null for the default of the pool's kind
    /// (<see cref="PoolDisks.DefaultGiB"/>).</summary>
    public int? DiskSizeGb { get; init; }

    /// <summary>
    /// Zones of the cluster's region the pool's nodes run in (GKE node locations), sorted; empty for the cloud's
    /// default. Required for GKE GPU pools: not every zone offers every accelerator.
    /// </summary>
    public ImmutableArray<string> Zones { get; init; } = [];
}

/// <summary>AWS (EKS) settings.</summary>
/// <param name="SubnetIds">Existing subnets to use; empty means "create a VPC".</param>
/// <param name="VpcCidr">CIDR of the VPC SkyRay creates when no subnets are given.</param>
public sealed record AwsSettings(ImmutableArray<string> SubnetIds, string VpcCidr)
{
    /// <summary>
    /// IAM principals (role or user ARNs) that get cluster-admin on the cluster through EKS access entries, sorted: the CI
    /// role, Pulumi Deployments' role, people. The identity that creates the cluster is admin as well.
    /// </summary>
    public ImmutableArray<string> AdminPrincipals { get; init; } = [];

    /// <summary>
    /// Where the cluster's public API endpoint answers from (<c>publicAccessCidrs</c>); EKS's default, the whole internet, when
    /// not configured (validate warns); empty turns the public endpoint off. The private endpoint is always on, so nodes
    /// reach the API server inside the VPC.
    /// </summary>
    public ImmutableArray<string> PublicAccessCidrs { get; init; } = [AnyAddress];

    /// <summary>The IPv4 range of every address.</summary>
    public const string AnyAddress = "0.0.0.0/0";

    /// <summary>The CIDR of the VPC SkyRay creates when <c>aws.vpcCidr</c> names none.</summary>
    public const string DefaultVpcCidr = "10.0.0.0/16";

    /// <summary>The settings of an EKS cluster whose config has no <c>aws</c> block.</summary>
    public static AwsSettings Default { get; } = new([], DefaultVpcCidr);
}

/// <summary>Azure (AKS) settings.</summary>
/// <param name="ResourceGroup">Existing resource group name, or null to create one named after the cluster.</param>
public sealed record AzureSettings(string? ResourceGroup)
{
    /// <summary>The subscription the cluster lives in, or null for the provider's default (<c>ARM_SUBSCRIPTION_ID</c>).</summary>
    public string? SubscriptionId { get; init; }

    /// <summary>AKS pricing tier: <c>Free</c>, <c>Standard</c> (financially backed uptime SLA) or <c>Premium</c> (needed for LTS).</summary>
    public string SkuTier { get; init; } = AzureDefaults.SkuTier;

    /// <summary>Kubernetes support plan: <c>KubernetesOfficial</c> or <c>AKSLongTermSupport</c> (Premium tier only).</summary>
    public string SupportPlan { get; init; } = AzureDefaults.SupportPlan;

    /// <summary>Network policy engine of the Azure CNI overlay network: <c>cilium</c> or <c>calico</c>.</summary>
    public string NetworkPolicy { get; init; } = AzureDefaults.NetworkPolicy;

    /// <summary>Nodes of the system pool (cluster add-ons, the KubeRay operator).</summary>
    public int SystemPoolNodes { get; init; } = AzureDefaults.SystemPoolNodes;

    /// <summary>True when the cluster takes AKS long-term support.</summary>
    public bool LongTermSupport => string.Equals(SupportPlan, AzureDefaults.LongTermSupportPlan, StringComparison.Ordinal);

    /// <summary>
    /// True to keep AKS local accounts (the long-lived cluster-admin certificate in <c>kubeConfigRaw</c>). False by default:
    /// Microsoft Entra ID sign-in with Azure RBAC for Kubernetes, every access audited per identity ("Manage local accounts
    /// with AKS-managed Microsoft Entra integration").
    /// </summary>
    public bool LocalAccounts { get; init; }

    /// <summary>Microsoft Entra group object ids whose members are cluster admins (AKS-managed Entra integration), sorted.</summary>
    public ImmutableArray<string> AdminGroupObjectIds { get; init; } = [];
}

/// <summary>Defaults of <see cref="AzureSettings"/>.</summary>
public static class AzureDefaults
{
    /// <summary>Standard: AKS's tier for production clusters (uptime SLA); Free has none.</summary>
    public const string SkuTier = "Standard";

    /// <summary>The community support plan.</summary>
    public const string SupportPlan = "KubernetesOfficial";

    /// <summary>The long-term support plan (needs the Premium tier).</summary>
    public const string LongTermSupportPlan = "AKSLongTermSupport";

    /// <summary>The tier LTS needs.</summary>
    public const string PremiumTier = "Premium";

    /// <summary>Cilium: the engine AKS recommends (Azure Network Policy Manager for Linux is being retired).</summary>
    public const string NetworkPolicy = "cilium";

    /// <summary>Two: the least AKS accepts for a production system pool.</summary>
    public const int SystemPoolNodes = 2;

    /// <summary>
    /// The built-in Azure role the identity that runs <c>pulumi up</c> gets on each cluster without local accounts, so it can
    /// install the operator and the workloads (Azure RBAC for Kubernetes authorization).
    /// </summary>
    public const string ClusterAdminRole = "Azure Kubernetes Service RBAC Cluster Admin";

    /// <summary>The application id of the AKS-managed Microsoft Entra server every AKS cluster trusts (kubelogin's <c>--server-id</c>).</summary>
    public const string EntraServerId = "6dae42f8-4368-4678-94ff-3960e28e3630";
}

/// <summary>GCP (GKE) settings.</summary>
/// <param name="Project">GCP project id, or null for the provider's default project.</param>
public sealed record GcpSettings(string? Project)
{
    /// <summary>The release channel the cluster is enrolled in: <c>RAPID</c>, <c>REGULAR</c>, <c>STABLE</c> or <c>EXTENDED</c>.</summary>
    public string ReleaseChannel { get; init; } = GcpDefaults.ReleaseChannel;

    /// <summary>The VPC network, or null for the project's <c>default</c> network.</summary>
    public string? Network { get; init; }

    /// <summary>The subnetwork of the cluster's region, or null for the network's subnetwork there.</summary>
    public string? Subnetwork { get; init; }

    /// <summary>True when the cluster is in the Extended channel (versions past standard support).</summary>
    public bool ExtendedChannel => string.Equals(ReleaseChannel, GcpDefaults.ExtendedChannel, StringComparison.Ordinal);

    /// <summary>
    /// The email of an existing IAM service account the node pools run as, or null for one SkyRay creates per cluster with
    /// <see cref="GcpDefaults.NodeServiceAccountRoles"/> only (never the Compute Engine default account).
    /// </summary>
    public string? NodeServiceAccount { get; init; }

    /// <summary>
    /// True (the default) for Workload Identity Federation for GKE: the cluster's workload pool is <c>PROJECT.svc.id.goog</c>
    /// and nodes run the GKE metadata server, so pods never see the node's service account credentials.
    /// </summary>
    public bool WorkloadIdentity { get; init; } = true;
}

/// <summary>Defaults of <see cref="GcpSettings"/>.</summary>
public static class GcpDefaults
{
    /// <summary>REGULAR: GKE's default channel, with the SLA and a version about two to three months after Rapid.</summary>
    public const string ReleaseChannel = "REGULAR";

    /// <summary>The channel that keeps a version past standard support.</summary>
    public const string ExtendedChannel = "EXTENDED";

    /// <summary>
    /// The roles of the node service account SkyRay creates: GKE's least-privilege node role (logging, monitoring, autoscaling
    /// metrics) and image pulls from Artifact Registry ("Configure GKE node service accounts"; CIS GKE Benchmark 5.2.1).
    /// </summary>
    public static ImmutableArray<string> NodeServiceAccountRoles { get; } = ["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"];

    /// <summary>The node metadata mode that serves Workload Identity and hides the node's credentials from pods.</summary>
    public const string WorkloadMetadataMode = "GKE_METADATA";

    /// <summary>The longest IAM service account id (6–30 characters).</summary>
    public const int MaxAccountIdLength = 30;

    /// <summary>
    /// The id of the node service account SkyRay creates for a cluster: <c>sr-</c>, the cluster name cut to fit, and six hex
    /// digits of the SHA-256 of <c>stack/cluster</c>, so two stacks in one project never share an account. At most 30
    /// characters, a lower-case letter first, no dash last (IAM's rule for account ids).
    /// </summary>
    /// <param name="stack">The Pulumi stack.</param>
    /// <param name="cluster">The cluster's configured name (a DNS label).</param>
    /// <returns>The account id.</returns>
    public static string AccountId(string stack, string cluster)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(cluster);
        var digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(stack + "/" + cluster));
        var suffix = Convert.ToHexStringLower(digest)[..6];
        const string Prefix = "sr-";
        var room = MaxAccountIdLength - Prefix.Length - 1 - suffix.Length;
        var name = (cluster.Length <= room ? cluster : cluster[..room]).TrimEnd('-');
        return $"{Prefix}{name}-{suffix}";
    }
}

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
