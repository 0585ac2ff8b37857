using System.Collections.Immutable;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Orchestration.Observations;

/// <summary>Whether a cluster's API server answered.</summary>
public enum Reachability
{
    /// <summary>The API server answered (parts of the answer may still be missing: <see cref="ClusterObservation.Unread"/>).</summary>
    Reachable,

    /// <summary>No answer within the timeout, a refused connection, or credentials that do not work.</summary>
    Unreachable,
}

/// <summary>What Kueue says about one of its workloads (<c>kueue.x-k8s.io Workload</c>).</summary>
public enum QueueState
{
    /// <summary>Waiting in a queue for quota: work that will run on the cluster.</summary>
    Pending,

    /// <summary>Admitted (condition <c>Admitted</c> True) and not finished: running, or about to.</summary>
    Admitted,

    /// <summary>Finished (condition <c>Finished</c> True).</summary>
    Finished,
}

/// <summary>
/// One SkyRay-managed Ray object (<c>app.kubernetes.io/managed-by: skyray</c>, or a RayCluster KubeRay made for one) as the API
/// server reported it. Status fields are kept as written (the values of KubeRay v1.7.0's <c>status</c>), so a value SkyRay
/// does not know is visible as it is; <see cref="RayActivity"/> interprets them.
/// </summary>
/// <param name="Kind">RayJob, RayService or RayCluster.</param>
/// <param name="Namespace">The object's namespace.</param>
/// <param name="Name">The object's name.</param>
public sealed record ObservedRayObject(RayKind Kind, string Namespace, string Name)
{
    /// <summary>The workload it renders (label <c>skyray.io/workload</c>), or null for an object SkyRay did not render.</summary>
    public string? Workload { get; init; }

    /// <summary>For a RayCluster KubeRay created for a RayJob or RayService: that object's name (label
    /// <c>ray.io/originated-from-cr-name</c>).</summary>
    public string? OriginatedFrom { get; init; }

    /// <summary>True when the object had a <c>status</c> at all (a just-created object has none yet).</summary>
    public bool HasStatus { get; init; }

    /// <summary>RayJob <c>status.jobDeploymentStatus</c> (Initializing, Running, Complete, Failed, ...).</summary>
    public string? DeploymentStatus { get; init; }

    /// <summary>RayJob <c>status.jobStatus</c> (PENDING, RUNNING, STOPPED, SUCCEEDED, FAILED).</summary>
    public string? JobStatus { get; init; }

    /// <summary>RayJob <c>status.rayClusterName</c>: the Ray cluster the job runs on.</summary>
    public string? RayClusterName { get; init; }

    /// <summary>RayCluster <c>status.state</c> (ready, suspended, failed).</summary>
    public string? State { get; init; }

    /// <summary>RayService: the <c>status</c> of its <c>Ready</c> condition (True, False, Unknown), or null when it has none.</summary>
    public string? ReadyCondition { get; init; }

    /// <summary>RayService <c>status.numServeEndpoints</c>: Ray pods serving behind the serve Service.</summary>
    public int? ServeEndpoints { get; init; }

    /// <summary>When the job started (<c>status.startTime</c>) or the service became Ready (its condition's lastTransitionTime).</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the job ended (<c>status.endTime</c>).</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>RayService: the load balancer addresses of its serve Service (<c>&lt;name&gt;-serve-svc</c>), host names or IPs.</summary>
    public ImmutableArray<string> ServeAddresses { get; init; } = [];

    /// <summary>RayService: Serve requests in flight (sum of <c>ray_serve_num_ongoing_http_requests</c>), null when not read.</summary>
    public int? OngoingRequests { get; init; }
}

/// <summary>One Kueue workload (a queued unit of work: a RayJob, RayCluster or RayService, or anything else a team queues).</summary>
/// <param name="Namespace">Its namespace.</param>
/// <param name="Name">Its name.</param>
/// <param name="Queue">The LocalQueue it was submitted to (<c>spec.queueName</c>), or null.</param>
/// <param name="State">Pending, admitted or finished.</param>
public sealed record ObservedQueueWorkload(string Namespace, string Name, string? Queue, QueueState State);

/// <summary>What one cluster reported at one moment.</summary>
/// <param name="Cluster">The cluster's name in the stack (the physical name: a clone has its own).</param>
/// <param name="Reachability">Whether the API server answered.</param>
/// <param name="ObservedAt">When the answer came, by the observer's clock.</param>
public sealed record ClusterObservation(string Cluster, Reachability Reachability, DateTimeOffset ObservedAt)
{
    /// <summary>Why the cluster is unreachable, or what went wrong reading part of it; never credentials.</summary>
    public string? Problem { get; init; }

    /// <summary>The API server's version (<c>/version</c> gitVersion), when it answered.</summary>
    public string? ServerVersion { get; init; }

    /// <summary>Ready nodes per node pool (pools SkyRay cannot attribute a node to count under <c>(other)</c>).</summary>
    public ImmutableSortedDictionary<string, int> Nodes { get; init; } = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal);

    /// <summary>The SkyRay-managed Ray objects, sorted by kind, namespace and name.</summary>
    public ImmutableArray<ObservedRayObject> RayObjects { get; init; } = [];

    /// <summary>Kueue workloads that are pending or admitted (finished ones are left out), sorted by namespace and name.</summary>
    public ImmutableArray<ObservedQueueWorkload> QueueWorkloads { get; init; } = [];

    /// <summary>
    /// The parts that could not be read (<c>nodes</c>, <c>rayjobs</c>, <c>rayservices</c>, <c>rayclusters</c>, <c>workloads</c>):
    /// what is in them is unknown, so nothing is decided from their absence.
    /// </summary>
    public ImmutableSortedSet<string> Unread { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Problems with the answer that did not stop it (an unknown status value, a part that could not be read).</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    /// <summary>True when the Ray objects of every kind were read (none of them is in <see cref="Unread"/>).</summary>
    public bool RayObjectsComplete => Reachability == Reachability.Reachable && !Unread.Overlaps(ObservationParts.RayKinds);

    /// <summary>True when Kueue's workloads were read (or Kueue is not installed).</summary>
    public bool QueuesComplete => Reachability == Reachability.Reachable && !Unread.Contains(ObservationParts.QueueWorkloads);
}

/// <summary>The names of the parts of a cluster's observation (<see cref="ClusterObservation.Unread"/>).</summary>
public static class ObservationParts
{
    /// <summary>Nodes.</summary>
    public const string Nodes = "nodes";

    /// <summary>RayJobs.</summary>
    public const string RayJobs = "rayjobs";

    /// <summary>RayServices.</summary>
    public const string RayServices = "rayservices";

    /// <summary>RayClusters.</summary>
    public const string RayClusters = "rayclusters";

    /// <summary>Kueue workloads.</summary>
    public const string QueueWorkloads = "workloads";

    /// <summary>The three Ray kinds.</summary>
    public static ImmutableArray<string> RayKinds { get; } = [RayClusters, RayJobs, RayServices];

    /// <summary>The part a kind's objects are listed in.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>Its part name.</returns>
    public static string Of(RayKind kind) => kind switch
    {
        RayKind.RayJob => RayJobs,
        RayKind.RayService => RayServices,
        _ => RayClusters,
    };
}

/// <summary>What the fleet reported at one moment: one observation per cluster that was asked.</summary>
/// <param name="ObservedAt">When the observation was taken (the latest cluster answer).</param>
/// <param name="Clusters">By cluster name.</param>
public sealed record FleetObservation(DateTimeOffset ObservedAt, ImmutableSortedDictionary<string, ClusterObservation> Clusters)
{
    /// <summary>Where it came from, for messages: <c>live</c>, or the snapshot file's name.</summary>
    public string Source { get; init; } = "live";
}
