namespace SkyRay.KubeRay.Api;

/// <summary>Enumerated values of <c>ray.io/v1</c> fields (KubeRay's Go constants), checked by the model.</summary>
public static class KubeRayValues
{
    /// <summary>RayJob <c>submissionMode</c>; K8sJobMode is the default.</summary>
    public static IReadOnlyList<string> SubmissionModes { get; } = ["K8sJobMode", "HTTPMode", "InteractiveMode", "SidecarMode"];

    /// <summary>RayCluster <c>upgradeStrategy.type</c>.</summary>
    public static IReadOnlyList<string> RayClusterUpgradeTypes { get; } = ["Recreate", "None"];

    /// <summary>RayService <c>upgradeStrategy.type</c>.</summary>
    public static IReadOnlyList<string> RayServiceUpgradeTypes { get; } = ["NewCluster", "NewClusterWithIncrementalUpgrade", "None"];

    /// <summary><c>autoscalerOptions.version</c>.</summary>
    public static IReadOnlyList<string> AutoscalerVersions { get; } = ["v1", "v2"];

    /// <summary><c>autoscalerOptions.upscalingMode</c>.</summary>
    public static IReadOnlyList<string> UpscalingModes { get; } = ["Default", "Aggressive", "Conservative"];

    /// <summary>The <c>clusterSelector</c> key naming the RayCluster a RayJob runs on.</summary>
    public const string ClusterSelectorKey = "ray.io/cluster";
}
