using System.Collections.Immutable;
using System.Text.Json.Nodes;
using SkyRay.Fleet.Config;
using SkyRay.KubeRay.Kueue;
using SkyRay.KubeRay.Rendering;
using SkyRay.KubeRay.Security;
using SkyRay.Orchestration.Releases;
using SkyRay.Placement.Planning;

namespace SkyRay.Orchestration;

/// <summary>
/// The pure functions the orchestrator builds its port arguments with. <see cref="Default"/> uses the real ones; tests
/// replace single functions (<c>FleetRendering.Default with { Workload = ... }</c>) so the walk can be pinned on its own.
/// </summary>
public sealed record FleetRendering
{
    /// <summary>The real functions.</summary>
    public static FleetRendering Default { get; } = new();

    /// <summary>The Helm releases of a live cluster, in install order, the KubeRay operator's
    /// (<see cref="OperatorReleaseBuilder.Key"/>) among them (<see cref="ClusterReleases.For"/>).</summary>
    public Func<FleetSpec, ClusterSpec, ClusterPlan, ImmutableArray<HelmRelease>> Releases { get; init; } = ClusterReleases.For;

    /// <summary>The other Kubernetes objects of a live cluster, declared after its releases and namespaces: by default its Kueue
    /// queues where it runs Kueue (<see cref="KueueObjects.For"/>).</summary>
    public Func<FleetSpec, ClusterSpec, ClusterPlan, ImmutableArray<KubeObject>> ClusterObjects { get; init; } = KueueObjects.For;

    /// <summary>Renders one placed copy of a workload: the Ray object exactly as deployed (<see cref="WorkloadRenderer.Render(WorkloadTarget)"/>).</summary>
    public Func<WorkloadTarget, KubeObject> Workload { get; init; } = WorkloadRenderer.Render;

    /// <summary>The objects that go with one placed copy, declared before it in its namespace, given the copy and its rendered
    /// Ray object (<see cref="Workload"/>'s result): its NetworkPolicy (<see cref="WorkloadCompanions.For"/>).</summary>
    public Func<WorkloadTarget, KubeObject, ImmutableArray<KubeObject>> Companions { get; init; } = WorkloadCompanions.For;

    /// <summary>Writes objects as a multi-document YAML stream (the render adapter's files).</summary>
    public Func<IEnumerable<JsonNode>, string> Yaml { get; init; } = ManifestYaml.Write;
}
