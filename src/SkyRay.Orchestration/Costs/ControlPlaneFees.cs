using SkyRay.Fleet.Config;

namespace SkyRay.Orchestration.Costs;

/// <summary>
/// What a cluster's control plane costs per hour, whatever its nodes do. Approximate public list prices (USD, standard
/// tier, no discounts), written down by hand like the instance catalog: check the providers' pricing pages before
/// relying on them. They count for every hour a cluster exists, including standby (suspend keeps the control plane).
/// </summary>
public static class ControlPlaneFees
{
    /// <summary>Amazon EKS, standard Kubernetes version support: $0.10 per cluster-hour.</summary>
    public const decimal EksHourlyUsd = 0.10m;

    /// <summary>Azure AKS, Free tier: no control-plane fee (the Standard tier, with an uptime SLA, is about $0.10/h).</summary>
    public const decimal AksFreeHourlyUsd = 0m;

    /// <summary>Google GKE, Standard edition cluster management fee: $0.10 per cluster-hour (the free-tier credit covering one
    /// zonal or Autopilot cluster per billing account is ignored).</summary>
    public const decimal GkeHourlyUsd = 0.10m;

    /// <summary>An existing cluster: SkyRay does not pay for its control plane.</summary>
    public const decimal ExistingHourlyUsd = 0m;

    /// <summary>The control-plane fee of a provider.</summary>
    /// <param name="provider">The cluster's provider.</param>
    /// <returns>USD per hour.</returns>
    public static decimal HourlyUsd(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => EksHourlyUsd,
        CloudProvider.Azure => AksFreeHourlyUsd,
        CloudProvider.Gcp => GkeHourlyUsd,
        _ => ExistingHourlyUsd,
    };
}
