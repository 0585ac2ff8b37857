using System.Text.Json.Nodes;
using SkyRay.Fleet.Workloads;

namespace SkyRay.KubeRay.Rendering;

/// <summary>
/// Kubernetes accepts an extended resource such as <c>nvidia.com/gpu</c> only with a limit, and with request = limit.
/// A pasted spec that writes only the request (or a different limit) gets a limit equal to the request.
/// </summary>
internal static class GpuLimits
{
    public static void Align(JsonObject podTemplate)
    {
        foreach (var list in (string[])["containers", "initContainers"])
        {
            if ((podTemplate["spec"] as JsonObject)?[list] is not JsonArray containers)
            {
                continue;
            }

            foreach (var container in containers.OfType<JsonObject>())
            {
                if (container["resources"] is not JsonObject resources)
                {
                    continue;
                }

                // Only the request is written (the API server rejects that) or the two differ (rejected too): the
                // limit follows the request, which is what placement counted. A limit alone is fine as it is.
                var requested = (resources["requests"] as JsonObject)?[RawSpecDemand.NvidiaGpu];
                if (requested is null)
                {
                    continue;
                }

                if (resources["limits"] is not JsonObject limits)
                {
                    limits = new JsonObject();
                    resources["limits"] = limits;
                }

                if (!JsonNode.DeepEquals(limits[RawSpecDemand.NvidiaGpu], requested))
                {
                    limits[RawSpecDemand.NvidiaGpu] = requested.DeepClone();
                }
            }
        }
    }
}
