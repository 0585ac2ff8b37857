using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.KubeRay.Rendering;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration;

/// <summary>
/// The pure functions the orchestrator builds its port arguments with. <see cref="Default"/> uses the real
/// KubeRay renderer, operator release builder, YAML writer and plan JSON; tests pass simpler ones so the walk can be pinned on its own.
/// </summary>
/// <param name="OperatorRelease">Builds the kuberay-operator release for a cluster.</param>
/// <param name="Workload">Renders one placed copy of a workload for its target cluster (workload, cluster, copy, policy).</param>
/// <param name="PlacementsJson">Serializes the plan's placements for the <c>placements</c> output, read back on the next run.</param>
/// <param name="Yaml">Writes objects as a multi-document YAML stream (the render adapter's files).</param>
public sealed record FleetRendering(
    Func<KubeRaySettings, ClusterSpec, OperatorRelease> OperatorRelease,
    Func<WorkloadSpec, ClusterSpec, WorkloadCopy, string?, KubeObject> Workload,
    Func<FleetPlan, string> PlacementsJson,
    Func<IEnumerable<JsonNode>, string> Yaml)
{
    /// <summary>The real functions: <see cref="OperatorReleaseBuilder.Build(KubeRaySettings, ClusterSpec)"/> and <see cref="WorkloadRenderer.Render"/>.</summary>
    public static FleetRendering Default { get; } = new(
        OperatorReleaseBuilder.Build,
        WorkloadRenderer.Render,
        PlanJson.Write,
        ManifestYaml.Write);
}
