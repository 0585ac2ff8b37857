namespace SkyRay.KubeRay.Kueue;

/// <summary>The names SkyRay's Kueue objects and labels use (Kueue v0.19 APIs).</summary>
public static class KueueNames
{
    /// <summary>The API version of the queue objects: Kueue's storage version since 0.15, served by 0.19.</summary>
    public const string ApiVersion = "kueue.x-k8s.io/v1beta2";

    /// <summary>The one ClusterQueue SkyRay declares per cluster; every LocalQueue it declares points at it.</summary>
    public const string ClusterQueue = "skyray";

    /// <summary>The label naming the LocalQueue a job joins (Kueue's docs: "Queue selection").</summary>
    public const string QueueLabel = "kueue.x-k8s.io/queue-name";

    /// <summary>The label naming a job's WorkloadPriorityClass.</summary>
    public const string PriorityClassLabel = "kueue.x-k8s.io/priority-class";

    /// <summary>The annotation that makes a job elastic (Kueue's workload slices): Kueue admits a Ray object with in-tree autoscaling only with it.</summary>
    public const string ElasticJobAnnotation = "kueue.x-k8s.io/elastic-job";

    /// <summary>The GPU resource the ClusterQueue counts (the one the instance catalog models).</summary>
    public const string GpuResource = "nvidia.com/gpu";

    /// <summary>The ResourceFlavor of a node pool: <c>skyray-&lt;pool&gt;</c>, so it never takes over a flavor someone else created.</summary>
    /// <param name="pool">Pool name.</param>
    /// <returns>The flavor name.</returns>
    public static string Flavor(string pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return "skyray-" + pool;
    }
}
