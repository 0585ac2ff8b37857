using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;

namespace SkyRay.KubeRay.Rendering;

/// <summary>
/// Exposes a RayService behind a traffic record: its serve Service (<c>spec.serveService</c>, which KubeRay creates as
/// <c>&lt;name&gt;-serve-svc</c>) gets <c>type: LoadBalancer</c>, so the cloud gives it an address a DNS record can point at.
/// Part of rendering (<see cref="WorkloadRenderer"/>), so the object checked by <c>--kuberay-crds</c>, written by
/// <c>skyray render</c> and declared by <c>pulumi up</c> is one and the same.
/// </summary>
public static class ServeExposure
{
    /// <summary>True when a traffic record of the stack points at the workload.</summary>
    /// <param name="spec">The stack.</param>
    /// <param name="workload">Workload name.</param>
    /// <returns>True when exposed.</returns>
    public static bool IsExposed(FleetSpec spec, string workload)
    {
        ArgumentNullException.ThrowIfNull(spec);
        // Asked for every copy of every workload: no LINQ over the sorted dictionary (its enumerator is pooled and boxed).
        if (spec.Traffic.IsEmpty)
        {
            return false;
        }

        foreach (var (_, traffic) in spec.Traffic)
        {
            if (string.Equals(traffic.Workload, workload, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The annotation that makes a cloud's load balancer internal (an address in the cluster's private network only), per
    /// the Kubernetes documentation's "Internal load balancer" table (Service, type LoadBalancer): AWS
    /// <c>service.beta.kubernetes.io/aws-load-balancer-internal</c> (also read by the AWS Load Balancer Controller, whose own
    /// is <c>aws-load-balancer-scheme: internal</c>, set too), Azure <c>service.beta.kubernetes.io/azure-load-balancer-internal</c>,
    /// GKE <c>networking.gke.io/load-balancer-type: Internal</c>. None for existing clusters: their owner's load balancer decides.
    /// </summary>
    /// <param name="provider">The cluster's provider.</param>
    /// <returns>Annotation name → value.</returns>
    public static IReadOnlyList<KeyValuePair<string, string>> InternalAnnotations(CloudProvider provider) => provider switch
    {
        CloudProvider.Aws =>
        [
            new("service.beta.kubernetes.io/aws-load-balancer-internal", "true"),
            new("service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"),
        ],
        CloudProvider.Azure => [new("service.beta.kubernetes.io/azure-load-balancer-internal", "true")],
        CloudProvider.Gcp => [new("networking.gke.io/load-balancer-type", "Internal")],
        _ => [],
    };

    /// <summary>The exposure a RayService behind a traffic record gets: its own, else internal from the private ranges.</summary>
    /// <param name="workload">The workload.</param>
    /// <returns>The exposure.</returns>
    public static ServeExposureSpec Of(WorkloadSpec workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return workload.Exposure ?? ServeExposureSpec.DefaultInternal;
    }

    /// <summary>
    /// The object with <c>spec.serveService.spec.type: LoadBalancer</c>, limited to the exposure's source ranges
    /// (<c>loadBalancerSourceRanges</c>, with <c>externalTrafficPolicy: Local</c> so the pods see the client address the
    /// NetworkPolicy checks), and internal unless the exposure asks for a public one. A serve Service the user wrote (raw
    /// spec) is kept: a type, source ranges, traffic policy or annotation the user chose is left alone.
    /// </summary>
    /// <param name="rendered">A rendered RayService.</param>
    /// <param name="provider">The cluster's provider (which annotation makes the load balancer internal).</param>
    /// <param name="exposure">The exposure.</param>
    /// <returns>A copy with the serve Service exposed; other kinds unchanged.</returns>
    internal static KubeObject Expose(KubeObject rendered, CloudProvider provider, ServeExposureSpec exposure)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        ArgumentNullException.ThrowIfNull(exposure);
        if (rendered.Kind != "RayService")
        {
            return rendered;
        }

        var manifest = (JsonObject)rendered.Manifest.DeepClone();
        var service = Child(Child(manifest, "spec"), "serveService");
        var serviceSpec = Child(service, "spec");
        if (serviceSpec["type"] is null)
        {
            serviceSpec["type"] = "LoadBalancer";
        }

        if (serviceSpec["loadBalancerSourceRanges"] is null && !exposure.SourceRanges.IsDefaultOrEmpty)
        {
            serviceSpec["loadBalancerSourceRanges"] = new JsonArray([.. exposure.SourceRanges.Select(r => (JsonNode)JsonValue.Create(r))]);
        }

        serviceSpec["externalTrafficPolicy"] ??= "Local";
        if (exposure.LoadBalancer == LoadBalancerScope.Internal)
        {
            var annotations = Child(Child(service, "metadata"), "annotations");
            foreach (var (key, value) in InternalAnnotations(provider))
            {
                annotations[key] ??= value;
            }
        }

        return rendered with { Manifest = manifest };
    }

    private static JsonObject Child(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[key] = created;
        return created;
    }
}
