using System.Collections.Immutable;
using SkyRay.Fleet.Config;
using SkyRay.Fleet.Workloads;

namespace SkyRay.Orchestration.Observations;

/// <summary>What is known about one copy of a workload on one cluster.</summary>
public enum CopyState
{
    /// <summary>Nothing is known: no observation, the cluster did not answer, or its objects of that kind could not be read.</summary>
    Unknown,

    /// <summary>The cluster answered completely and has no such object.</summary>
    Absent,

    /// <summary>Created, not running yet.</summary>
    Starting,

    /// <summary>Running (a RayService: Ready and serving).</summary>
    Running,

    /// <summary>A RayJob that completed or failed.</summary>
    Finished,

    /// <summary>Suspended (no pods).</summary>
    Suspended,
}

/// <summary>One copy as observed.</summary>
/// <param name="State">What is known.</param>
/// <param name="Seen">The Ray object, when one was seen.</param>
/// <param name="Serving">A RayService that is Ready, has serve endpoints and a load balancer address.</param>
/// <param name="Consuming">True while the copy holds resources (a finished job whose Ray cluster is still up still does).</param>
public sealed record CopyView(CopyState State, ObservedRayObject? Seen, bool Serving, bool Consuming)
{
    /// <summary>Nothing known.</summary>
    public static CopyView Unknown { get; } = new(CopyState.Unknown, null, false, true);

    /// <summary>True when the copy is known to run (a RayJob running or done, a RayService serving, a RayCluster ready).</summary>
    public bool Runs => State is CopyState.Running or CopyState.Finished;
}

/// <summary>What is known about one cluster.</summary>
/// <param name="Cluster">Physical cluster name.</param>
/// <param name="Observation">Its observation, or null when it was not observed.</param>
/// <param name="Work">Work seen there that the plan does not place (Kueue's pending or admitted workloads, a finished job whose Ray
/// cluster is still up), or null.</param>
/// <param name="Unknown">Why what runs there is not known (no answer, objects that could not be read, a status SkyRay does not know),
/// or null; an unknown cluster is never sent to standby, nor woken, for what it might run.</param>
/// <param name="LastEnd">The latest end of a finished job seen there (not after the run's clock), or null.</param>
public sealed record ClusterView(string Cluster, ClusterObservation? Observation, string? Work, string? Unknown, DateTimeOffset? LastEnd)
{
    /// <summary>True when the cluster answered.</summary>
    public bool Reachable => Observation?.Reachability == Reachability.Reachable;

    /// <summary>True when the cluster was asked and did not answer.</summary>
    public bool Unreachable => Observation?.Reachability == Reachability.Unreachable;
}

/// <summary>
/// The observation judged against the stack: per copy what is known (<see cref="CopyView"/>), per cluster whether it may be idle
/// and since when. Everything a decision reads from an observation goes through here, so "unknown" has one meaning: it never
/// counts as finished, idle, drained or gone.
/// </summary>
public sealed class FleetView
{
    private readonly ImmutableSortedDictionary<string, ClusterView> _clusters;

    // Per cluster, each workload's own Ray object (not one it originated), by (kind, namespace, workload): built on first use,
    // so asking for every copy is linear in the objects instead of scanning them once per workload.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<(RayKind Kind, string Namespace, string Workload), ObservedRayObject>> _objects =
        new(StringComparer.Ordinal);

    private FleetView(FleetObservation? observation, ImmutableSortedDictionary<string, ClusterView> clusters, ImmutableArray<string> warnings)
    {
        Observation = observation;
        _clusters = clusters;
        Warnings = warnings;
    }

    /// <summary>No observation: decisions fall back to what the previous run implies, and say so.</summary>
    public static FleetView None { get; } = new(null, ImmutableSortedDictionary.Create<string, ClusterView>(StringComparer.Ordinal), []);

    /// <summary>The observation, or null when none was given.</summary>
    public FleetObservation? Observation { get; }

    /// <summary>True when an observation was given.</summary>
    public bool Observed => Observation is not null;

    /// <summary>Problems with the observation (clock skew, a stale snapshot, unknown status values), for the run's warnings.</summary>
    public ImmutableArray<string> Warnings { get; }

    /// <summary>Judges an observation.</summary>
    /// <param name="spec">The stack as declared this run (physical cluster names).</param>
    /// <param name="observation">The observation, or null.</param>
    /// <param name="now">The run's clock.</param>
    /// <returns>The view.</returns>
    public static FleetView Of(FleetSpec spec, FleetObservation? observation, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (observation is null)
        {
            return None;
        }

        var warnings = ImmutableArray.CreateBuilder<string>();
        var age = now - observation.ObservedAt;
        if (age > TimeSpan.FromHours(1))
        {
            warnings.Add($"the observation ({observation.Source}) was taken at {ObservationJson.Time(observation.ObservedAt)}, {age.TotalHours:0.#} h before this run; what it says may have changed");
        }
        else if (age < -TimeSpan.FromMinutes(5))
        {
            warnings.Add($"the observation ({observation.Source}) is dated {ObservationJson.Time(observation.ObservedAt)}, after this run's clock ({ObservationJson.Time(now)}): the clocks disagree");
        }

        var clusters = ImmutableSortedDictionary.CreateBuilder<string, ClusterView>(StringComparer.Ordinal);
        foreach (var (name, c) in observation.Clusters)
        {
            warnings.AddRange(c.Warnings.Select(w => $"{name}: {w}"));
            clusters[name] = Judge(c, now, warnings);
        }

        return new FleetView(observation, clusters.ToImmutable(), warnings.ToImmutable());
    }

    /// <summary>What is known about a cluster (an unobserved cluster has no observation and unknown work when an observation was given).</summary>
    /// <param name="cluster">Physical cluster name.</param>
    /// <returns>The cluster's view.</returns>
    public ClusterView Cluster(string cluster) =>
        _clusters.TryGetValue(cluster, out var view)
            ? view
            : new ClusterView(cluster, null, null, Observed ? "it was not observed" : null, null);

    /// <summary>What is known about one copy.</summary>
    /// <param name="workload">The workload.</param>
    /// <param name="cluster">Physical cluster name.</param>
    /// <returns>The copy's view.</returns>
    public CopyView Copy(WorkloadSpec workload, string cluster)
    {
        ArgumentNullException.ThrowIfNull(workload);
        var view = Cluster(cluster);
        if (view.Observation is not { Reachability: Reachability.Reachable } seen || seen.Unread.Contains(ObservationParts.Of(workload.Kind)))
        {
            return CopyView.Unknown;
        }

        var index = _objects.GetOrAdd(cluster, _ =>
        {
            var byWorkload = new Dictionary<(RayKind Kind, string Namespace, string Workload), ObservedRayObject>();
            foreach (var o in seen.RayObjects.Where(o => o.OriginatedFrom is null))
            {
                byWorkload.TryAdd((o.Kind, o.Namespace, o.Workload ?? o.Name), o); // the first one, as a scan would find it
            }

            return byWorkload;
        });
        if (!index.TryGetValue((workload.Kind, workload.Namespace, workload.Name), out var found))
        {
            return new CopyView(CopyState.Absent, null, false, false);
        }

        var activity = RayActivity.Of(found, out _);
        var state = activity switch
        {
            Activity.Starting => CopyState.Starting,
            Activity.Running => CopyState.Running,
            Activity.Finished => CopyState.Finished,
            Activity.Suspended => CopyState.Suspended,
            _ => CopyState.Unknown,
        };
        var serving = RayActivity.Serving(found) && !found.ServeAddresses.IsDefaultOrEmpty;
        if (workload.Kind == RayKind.RayService && state == CopyState.Running && !RayActivity.Serving(found))
        {
            state = CopyState.Starting;
        }

        var consuming = state switch
        {
            CopyState.Finished => RayClusterUp(seen, found),
            CopyState.Absent or CopyState.Suspended => false,
            _ => true,
        };
        return new CopyView(state, found, serving, consuming);
    }

    private static ClusterView Judge(ClusterObservation c, DateTimeOffset now, ImmutableArray<string>.Builder warnings)
    {
        if (c.Reachability != Reachability.Reachable)
        {
            return new ClusterView(c.Cluster, c, null, $"its API server did not answer ({c.Problem ?? "no reason given"})", null);
        }

        var unknown = new List<string>();
        var work = new List<string>();
        if (!c.RayObjectsComplete)
        {
            unknown.Add($"its {string.Join(", ", c.Unread.Intersect(ObservationParts.RayKinds))} could not be read");
        }

        if (!c.QueuesComplete)
        {
            unknown.Add("its Kueue workloads could not be read");
        }

        var queued = c.QueueWorkloads.Count(q => q.State is QueueState.Pending or QueueState.Admitted);
        if (queued > 0)
        {
            work.Add($"Kueue holds {queued} pending or admitted workload(s) in its queues");
        }

        DateTimeOffset? lastEnd = null;
        foreach (var o in c.RayObjects)
        {
            var activity = RayActivity.Of(o, out _);
            if (activity == Activity.Unknown)
            {
                unknown.Add($"{o.Kind} {o.Namespace}/{o.Name} has a status SkyRay does not know");
            }
            else if (activity == Activity.Finished && o.OriginatedFrom is null)
            {
                if (RayClusterUp(c, o))
                {
                    work.Add($"RayJob {o.Namespace}/{o.Name} finished but its Ray cluster {o.RayClusterName} is still up");
                }

                if (o.EndTime is { } end)
                {
                    if (end > now + TimeSpan.FromMinutes(1))
                    {
                        warnings.Add($"{c.Cluster}: RayJob {o.Namespace}/{o.Name} ended at {ObservationJson.Time(end)}, after this run's clock ({ObservationJson.Time(now)}): the clocks disagree; its end is read as now");
                        end = now;
                    }

                    lastEnd = lastEnd is { } l && l > end ? l : end;
                }
            }
        }

        return new ClusterView(c.Cluster, c, Join(work), Join(unknown), lastEnd);
    }

    private static string? Join(List<string> reasons) => reasons.Count == 0 ? null : string.Join("; ", reasons);

    /// <summary>What is observed about the clusters standing for one configured cluster (its upgrade's old cluster and clone), together.</summary>
    /// <param name="configured">The configured name.</param>
    /// <param name="physical">The physical clusters.</param>
    /// <returns>Work and unknowns of all of them; the latest job end.</returns>
    public ClusterView Configured(string configured, IEnumerable<string> physical)
    {
        ArgumentNullException.ThrowIfNull(physical);
        var views = physical.Select(Cluster).ToList();
        return new ClusterView(
            configured,
            null,
            Join([.. views.Select(v => v.Work).OfType<string>()]),
            Join([.. views.Select(v => v.Unknown).OfType<string>()]),
            views.Select(v => v.LastEnd).OfType<DateTimeOffset>().DefaultIfEmpty().Max() is var m && m != default ? m : null);
    }

    /// <summary>True when the Ray cluster a finished job ran on is still observed and not suspended.</summary>
    private static bool RayClusterUp(ClusterObservation c, ObservedRayObject job) =>
        job.RayClusterName is { Length: > 0 } name
        && c.RayObjects.Any(o => o.Kind == RayKind.RayCluster && o.Namespace == job.Namespace && o.Name == name && RayActivity.Of(o, out _) != Activity.Suspended);
}
