namespace SkyRay.Fleet.Config;

/// <summary>Whether a cluster takes work (<c>skyray:clusters.NAME.availability</c>).</summary>
public enum ClusterAvailability
{
    /// <summary>The default: the cluster takes new placements.</summary>
    Available,

    /// <summary>
    /// Planned maintenance: no new placements; its workloads are re-placed by their policies, each old copy kept until its
    /// replacement is observed running (running RayJobs finish where they are); the cluster itself stays.
    /// </summary>
    Cordoned,

    /// <summary>
    /// The cluster is gone or broken: its workloads are re-placed like a cordoned cluster's, its objects leave the Pulumi state
    /// without a delete against its API server, and a cloud cluster is deleted.
    /// </summary>
    Lost,
}

/// <summary>
/// <c>skyray:operations</c>: how SkyRay runs the live fleet between <c>pulumi up</c> runs.
/// </summary>
/// <param name="AllowEvictions">When false (the default), a running workload that no cluster fits any more stays where it runs,
/// flagged; when true it is removed like any unplaced workload.</param>
/// <param name="LostAfterUnreachableRuns">A cluster whose API server was observed unreachable on this many consecutive runs is
/// treated as lost (its workloads fail over); 0 turns this off.</param>
/// <param name="RetireMargin">How long after a traffic record's TTL has passed since the swap the old cluster of a clone-and-swap
/// upgrade is kept, so clients that cache names beyond the TTL have left it.</param>
public sealed record OperationsSpec(bool AllowEvictions, int LostAfterUnreachableRuns, TimeSpan RetireMargin)
{
    /// <summary>Consecutive unreachable runs before a cluster counts as lost, when config says nothing.</summary>
    public const int DefaultLostAfterUnreachableRuns = 3;

    /// <summary>The retire margin when config says nothing: 5 minutes.</summary>
    public static readonly TimeSpan DefaultRetireMargin = TimeSpan.FromMinutes(5);

    /// <summary>The defaults: no evictions, lost after 3 unreachable runs, a 5-minute retire margin.</summary>
    public static OperationsSpec Default { get; } = new(false, DefaultLostAfterUnreachableRuns, DefaultRetireMargin);
}
