using System.Collections.Frozen;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Orchestration.Observations;

/// <summary>What an observed Ray object means for the cluster it runs on.</summary>
public enum Activity
{
    /// <summary>Created, not running yet (pods pending, job initializing or waiting, service not Ready): it consumes resources.</summary>
    Starting,

    /// <summary>Running (job running, service Ready and serving, Ray cluster ready): it consumes resources.</summary>
    Running,

    /// <summary>A RayJob that completed or failed: it consumes nothing once its Ray cluster is gone.</summary>
    Finished,

    /// <summary>Suspended (a RayJob or RayCluster with <c>suspend: true</c>, e.g. held by Kueue): no pods, not finished.</summary>
    Suspended,

    /// <summary>The status has a value SkyRay does not know: treated as consuming, never as finished.</summary>
    Unknown,
}

/// <summary>
/// Reads KubeRay v1.7.0 status fields (<c>ray-operator/apis/ray/v1</c>: <c>JobDeploymentStatus</c>, <c>ClusterState</c>, the
/// RayService <c>Ready</c> condition) into an <see cref="Activity"/>. A value not in those lists is <see cref="Activity.Unknown"/>
/// with a warning: unknown never counts as finished or idle, so it can only keep a cluster awake, never delete anything.
/// </summary>
public static class RayActivity
{
    // KubeRay v1.7.0 JobDeploymentStatus values (rayjob_types.go); "" is New.
    private static readonly FrozenDictionary<string, Activity> JobDeployment = new Dictionary<string, Activity>(StringComparer.Ordinal)
    {
        [""] = Activity.Starting,
        ["Initializing"] = Activity.Starting,
        ["Waiting"] = Activity.Starting,
        ["Retrying"] = Activity.Starting,
        ["Running"] = Activity.Running,
        ["Suspending"] = Activity.Running,
        ["Suspended"] = Activity.Suspended,
        ["Complete"] = Activity.Finished,
        ["Failed"] = Activity.Finished,
        ["ValidationFailed"] = Activity.Finished,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // KubeRay v1.7.0 ClusterState values (raycluster_types.go); "" before the first reconcile.
    private static readonly FrozenDictionary<string, Activity> ClusterStates = new Dictionary<string, Activity>(StringComparer.Ordinal)
    {
        [""] = Activity.Starting,
        ["ready"] = Activity.Running,
        ["failed"] = Activity.Running,
        ["suspended"] = Activity.Suspended,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The activity of one object.</summary>
    /// <param name="observed">The object.</param>
    /// <param name="warning">Why the status could not be read, or null.</param>
    /// <returns>The activity.</returns>
    public static Activity Of(ObservedRayObject observed, out string? warning)
    {
        ArgumentNullException.ThrowIfNull(observed);
        warning = null;
        if (!observed.HasStatus)
        {
            return Activity.Starting;
        }

        switch (observed.Kind)
        {
            case RayKind.RayJob:
                if (JobDeployment.TryGetValue(observed.DeploymentStatus ?? string.Empty, out var job))
                {
                    return job;
                }

                warning = $"RayJob {observed.Namespace}/{observed.Name} has jobDeploymentStatus '{observed.DeploymentStatus}', which SkyRay does not know; counted as running";
                return Activity.Unknown;
            case RayKind.RayCluster:
                if (ClusterStates.TryGetValue(observed.State ?? string.Empty, out var state))
                {
                    return state;
                }

                warning = $"RayCluster {observed.Namespace}/{observed.Name} has state '{observed.State}', which SkyRay does not know; counted as running";
                return Activity.Unknown;
            default:
                switch (observed.ReadyCondition)
                {
                    case "True":
                        return Activity.Running;
                    case null or "False" or "Unknown":
                        return Activity.Starting;
                    default:
                        warning = $"RayService {observed.Namespace}/{observed.Name} has a Ready condition of '{observed.ReadyCondition}'; counted as not Ready";
                        return Activity.Unknown;
                }
        }
    }

    /// <summary>True for a RayService that is Ready and has at least one serve endpoint (KubeRay's own definition of Ready
    /// includes endpoints; the count is checked too, for operators that report them apart).</summary>
    /// <param name="observed">The object.</param>
    /// <returns>Whether it serves.</returns>
    public static bool Serving(ObservedRayObject observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return observed.Kind == RayKind.RayService && observed.ReadyCondition == "True" && observed.ServeEndpoints is null or > 0;
    }

    /// <summary>True for a finished RayJob that succeeded (<c>jobStatus: SUCCEEDED</c>).</summary>
    /// <param name="observed">The object.</param>
    /// <returns>Whether it succeeded.</returns>
    public static bool Succeeded(ObservedRayObject observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        return observed.DeploymentStatus == "Complete" && observed.JobStatus is null or "SUCCEEDED";
    }
}
