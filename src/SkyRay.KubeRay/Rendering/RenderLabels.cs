namespace SkyRay.KubeRay.Rendering;

/// <summary>Labels and annotations SkyRay puts on the objects it renders, so they can be found and traced back.</summary>
public static class RenderLabels
{
    /// <summary><c>app.kubernetes.io/managed-by</c>: value <see cref="ManagedByValue"/>.</summary>
    public const string ManagedBy = "app.kubernetes.io/managed-by";

    /// <summary>The value of <see cref="ManagedBy"/>.</summary>
    public const string ManagedByValue = "skyray";

    /// <summary>The workload the object renders.</summary>
    public const string Workload = "skyray.io/workload";

    /// <summary>The policy that placed the copy.</summary>
    public const string Policy = "skyray.io/policy";

    /// <summary>The cluster the copy targets.</summary>
    public const string Cluster = "skyray.io/cluster";

    /// <summary>Pulumi's await annotation: a RayService counts as created once it is Ready.</summary>
    public const string PulumiWaitFor = "pulumi.com/waitFor";

    /// <summary>The value of <see cref="PulumiWaitFor"/> on RayServices.</summary>
    public const string WaitForReady = "condition=Ready";

    /// <summary>Pulumi's await timeout annotation (pulumi-kubernetes reads it beside <see cref="PulumiWaitFor"/>).</summary>
    public const string PulumiTimeoutSeconds = "pulumi.com/timeoutSeconds";

    /// <summary>
    /// How long Pulumi waits for a RayService to be Ready: 30 minutes, room for a GPU pool to scale up from zero (a few
    /// minutes), the several-GB Ray GPU image to be pulled and Serve to load its model, before <c>pulumi up</c> fails.
    /// </summary>
    public const string ServeReadyTimeoutSeconds = "1800";
}
