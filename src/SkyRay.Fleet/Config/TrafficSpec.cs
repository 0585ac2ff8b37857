namespace SkyRay.Fleet.Config;

/// <summary>How a cluster moves to a new Kubernetes version (<c>skyray:clusters.NAME.upgrade.strategy</c>).</summary>
public enum UpgradeStrategy
{
    /// <summary>The cloud upgrades the cluster where it stands (control plane, then node pools).</summary>
    InPlace,

    /// <summary>
    /// A clone at the new version takes over: clone → swap the traffic record → retire the old cluster, one step per
    /// <c>pulumi up</c>, never leaving the traffic record without a Ready serving cluster.
    /// </summary>
    CloneAndSwap,
}

/// <summary>The DNS service a traffic record lives in.</summary>
public enum DnsProvider
{
    /// <summary>Amazon Route 53 (AWS credentials of the stack).</summary>
    Route53,

    /// <summary>Azure DNS (Azure credentials of the stack).</summary>
    AzureDns,

    /// <summary>Google Cloud DNS (GCP credentials of the stack).</summary>
    CloudDns,
}

/// <summary>A DNS record SkyRay keeps pointed at the clusters serving a RayService.</summary>
/// <param name="Provider">Route 53, Azure DNS or Cloud DNS.</param>
/// <param name="Zone">Route 53: the hosted zone id (<c>Z…</c>); Azure DNS: the zone's domain (<c>example.com</c>); Cloud DNS:
/// the managed zone's name (<c>example-com</c>).</param>
/// <param name="Name">The record's fully qualified name, without a trailing dot (<c>llm.example.com</c>).</param>
/// <param name="Ttl">Time to live in seconds; short, so a swap reaches clients quickly.</param>
/// <param name="ResourceGroup">Azure DNS only: the resource group holding the zone.</param>
/// <param name="Project">Cloud DNS only: the project of the managed zone, or null for the provider's default project.</param>
public sealed record DnsRecordSpec(DnsProvider Provider, string Zone, string Name, int Ttl, string? ResourceGroup = null, string? Project = null);

/// <summary>
/// A traffic record (<c>skyray:traffic.NAME</c>): "this DNS name points at the clusters serving this RayService".
/// Which clusters those are is decided per run by the core (the placement, and a clone-and-swap upgrade's phase).
/// </summary>
/// <param name="Name">Record name (the map key, a DNS-1123 label; names the Pulumi resource).</param>
/// <param name="Workload">The RayService whose serve endpoint the record points at.</param>
/// <param name="Dns">The DNS record.</param>
public sealed record TrafficSpec(string Name, string Workload, DnsRecordSpec Dns);
