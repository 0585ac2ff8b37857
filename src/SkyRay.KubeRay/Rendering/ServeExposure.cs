using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;

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
        return spec.Traffic.Values.Any(t => string.Equals(t.Workload, workload, StringComparison.Ordinal));
    }

    /// <summary>
    /// The object with <c>spec.serveService.spec.type: LoadBalancer</c>. A serve Service the user wrote (raw spec) is kept,
    /// only its type is set when it has none; a type the user chose is left alone.
    /// </summary>
    /// <param name="rendered">A rendered RayService.</param>
    /// <returns>A copy with the serve Service exposed; other kinds unchanged.</returns>
    internal static KubeObject Expose(KubeObject rendered)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        if (rendered.Kind != "RayService")
        {
            return rendered;
        }

        var manifest = (JsonObject)rendered.Manifest.DeepClone();
        var serviceSpec = Child(Child(Child(manifest, "spec"), "serveService"), "spec");
        if (serviceSpec["type"] is null)
        {
            serviceSpec["type"] = "LoadBalancer";
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
