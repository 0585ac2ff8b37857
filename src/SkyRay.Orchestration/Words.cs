using SkyRay.Fleet.Config;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration;

/// <summary>The lower-case words outputs and previews use for enum values (stable, independent of enum names).</summary>
internal static class Words
{
    public static string Of(CloudProvider provider) => ProviderNames.Of(provider);

    public static string Of(ClusterLifecycle lifecycle) => lifecycle switch
    {
        ClusterLifecycle.Static => "static",
        ClusterLifecycle.Dynamic => "dynamic",
        _ => throw new ArgumentOutOfRangeException(nameof(lifecycle), lifecycle, null),
    };

    public static string Of(ClusterState state) => state switch
    {
        ClusterState.Active => "active",
        ClusterState.Standby => "standby",
        ClusterState.Absent => "absent",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>The managed Kubernetes service of a provider (eks, aks, gke), or <c>existing</c>.</summary>
    public static string Service(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws => "eks",
        CloudProvider.Azure => "aks",
        CloudProvider.Gcp => "gke",
        CloudProvider.Existing => "existing",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };
}
