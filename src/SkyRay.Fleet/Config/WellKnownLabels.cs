namespace SkyRay.Fleet.Config;

/// <summary>Cluster labels SkyRay sets itself (like Nova does) so policies can select on them.</summary>
public static class WellKnownLabels
{
    /// <summary>The cluster's name.</summary>
    public const string ClusterName = "kubernetes.io/metadata.name";

    /// <summary>aws, azure, gcp or existing.</summary>
    public const string Provider = "skyray.io/provider";

    /// <summary>The cloud region.</summary>
    public const string Region = "skyray.io/region";

    /// <summary>The Kubernetes minor version.</summary>
    public const string KubernetesVersion = "skyray.io/kubernetes-version";

    /// <summary>static or dynamic.</summary>
    public const string Lifecycle = "skyray.io/lifecycle";

    /// <summary>Marks objects SkyRay manages (value <c>skyray</c>).</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";
}
