using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;
using SkyRay.Placement.Planning;

namespace SkyRay.KubeRay.Rendering;

/// <summary>One placed copy of a workload, with what rendering needs to know about it: everything the final object depends on.</summary>
/// <param name="Workload">The workload.</param>
/// <param name="Cluster">The target cluster.</param>
/// <param name="Copy">The copy from the plan (replica share, pools, overrides).</param>
/// <param name="Policy">The policy that placed it, or null.</param>
public sealed record WorkloadTarget(WorkloadSpec Workload, ClusterSpec Cluster, WorkloadCopy Copy, string? Policy)
{
    /// <summary>
    /// The stack the copy belongs to, for the stack-level settings that shape the object (a traffic record exposes a
    /// RayService's Serve endpoint, <see cref="ServeExposure"/>). Null renders the workload on its own, without them.
    /// </summary>
    public FleetSpec? Fleet { get; init; }

    /// <summary>
    /// Whether a deployment may wait for the object to become Ready (a RayService carries Pulumi's <c>pulumi.com/waitFor</c>
    /// annotation). False where nothing can schedule it this run (a cluster whose pools are all at zero, a cluster that does not
    /// answer): a run never waits on what cannot start.
    /// </summary>
    public bool Await { get; init; } = true;
}
