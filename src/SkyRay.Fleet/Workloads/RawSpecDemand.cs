using System.Text.Json.Nodes;
using SkyRay.Fleet.Diagnostics;

namespace SkyRay.Fleet.Workloads;

/// <summary>Computes the demand of a raw KubeRay spec (RayCluster spec, RayJob spec, RayService spec).</summary>
public static class RawSpecDemand
{
    /// <summary>Computes pod groups from the head and worker group pod templates.</summary>
    /// <param name="kind">Which kind the spec belongs to.</param>
    /// <param name="spec">The raw spec.</param>
    /// <param name="path">Config path of the spec for diagnostics.</param>
    /// <param name="diagnostics">Where problems are reported.</param>
    /// <returns>The demand (possibly empty when the spec has errors).</returns>
    public static WorkloadDemand Compute(RayKind kind, JsonObject spec, string path, DiagnosticBag diagnostics) =>
        throw new NotImplementedException("owned by the kuberay branch");
}
