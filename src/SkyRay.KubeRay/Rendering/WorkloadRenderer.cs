using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Placement.Planning;

namespace SkyRay.KubeRay.Rendering;

/// <summary>Turns one placed copy of a workload into the <c>ray.io/v1</c> object for its target cluster.</summary>
public static class WorkloadRenderer
{
    /// <summary>Renders a workload copy.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="cluster">The target cluster.</param>
    /// <param name="copy">The copy from the plan (replica share, pools, overrides).</param>
    /// <param name="policy">The policy that placed it, or null.</param>
    /// <returns>The object to apply.</returns>
    public static KubeObject Render(WorkloadSpec workload, ClusterSpec cluster, WorkloadCopy copy, string? policy) =>
        throw new NotImplementedException("owned by the kuberay branch");
}

/// <summary>Builds the kuberay-operator Helm release for a cluster.</summary>
public static class OperatorReleaseBuilder
{
    /// <summary>The chart repository.</summary>
    public const string Repository = "https://ray-project.github.io/kuberay-helm/";

    /// <summary>Builds the release.</summary>
    /// <param name="settings">Operator settings from config.</param>
    /// <param name="cluster">The target cluster.</param>
    /// <returns>The release.</returns>
    public static OperatorRelease Build(KubeRaySettings settings, ClusterSpec cluster) =>
        throw new NotImplementedException("owned by the kuberay branch");
}

/// <summary>Writes Kubernetes objects as kubectl-applicable YAML, deterministic byte for byte.</summary>
public static class ManifestYaml
{
    /// <summary>Serializes objects as a multi-document YAML stream.</summary>
    /// <param name="objects">The objects, written in the order given.</param>
    /// <returns>YAML text ending with a newline.</returns>
    public static string Write(IEnumerable<System.Text.Json.Nodes.JsonNode> objects) =>
        throw new NotImplementedException("owned by the kuberay branch");
}
